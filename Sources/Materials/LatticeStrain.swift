import Foundation

/// Anisotropic lattice (chemical) strain of Li_θCoO₂ relative to a stress-free reference stoichiometry θ_ref
/// (shared/docs/physics.md §4.2). Crystal frame: a-axis in the Li layers, c-axis across them (through (003)).
///
/// Linear (Vegard-type) law between θ = 0.5 and 1:
///
///     c(θ) = c₁ [1 + β_c (1 − θ)],   a(θ) = a₁ [1 − β_a (1 − θ)]
///     ε*_a = a(θ)/a(θ_ref) − 1 ≈ +β_a (θ − θ_ref),   ε*_c ≈ −β_c (θ − θ_ref)   (small-strain, linearised)
///
/// β_c = 2 (14.45 − 14.05)/14.05 = 0.0569 [D] from the ≈ 3 % c-axis expansion at x ≈ 0.5 (Kim et al. 2004);
/// β_a = 0.004 [E] (direction from Basch et al. 2014, magnitude an estimate, plausible −0.1 … −0.5 %).
/// On lithiation (θ rising) the c-axis contracts and the a-axis expands slightly. The volumetric strain per unit
/// θ, 2β_a − β_c = −0.049, corresponds to a partial molar volume of −9.5e-7 m³ mol⁻¹ (PyBaMM's Ai2020 LCO set:
/// −7.28e-7, same sign and order).
///
/// The tabulated option takes measured a(θ) and c(θ) (e.g. through the two-phase region near θ ≈ 0.75–0.93,
/// which the linear law ignores) and interpolates them linearly.
public enum LatticeStrainLaw: Sendable, Equatable, Codable {
    case linear(betaA: Double, betaC: Double)
    /// θ ascending; lattice parameters in any unit (only ratios are used).
    case table(stoichiometry: [Double], a: [Double], c: [Double])

    /// The default law of physics.md §4.2.
    public static let kim2004Linear = LatticeStrainLaw.linear(betaA: 0.004, betaC: 2 * (14.45 - 14.05) / 14.05)

    /// (ε*_a, ε*_c) at θ relative to θ_ref.
    @inline(__always)
    public func strain(_ theta: Double, reference: Double) -> (a: Double, c: Double) {
        switch self {
        case let .linear(ba, bc):
            return (ba * (theta - reference), -bc * (theta - reference))
        case let .table(s, a, c):
            let a0 = OpenCircuitPotential.interpolate(s, a, reference)
            let c0 = OpenCircuitPotential.interpolate(s, c, reference)
            return (
                OpenCircuitPotential.interpolate(s, a, theta) / a0 - 1,
                OpenCircuitPotential.interpolate(s, c, theta) / c0 - 1
            )
        }
    }

    /// Checks a table: at least two points, θ strictly ascending within [0, 1], positive lattice parameters.
    public func validate() throws {
        guard case let .table(s, a, c) = self else { return }
        guard s.count >= 2, s.count == a.count, s.count == c.count else {
            throw MaterialLawError.invalidTable(
                name: "latticeTable",
                reason: "needs ≥ 2 rows with θ, a and c each (got \(s.count), \(a.count), \(c.count))")
        }
        guard zip(s, s.dropFirst()).allSatisfy({ $0 < $1 }), s.first! >= 0, s.last! <= 1 else {
            throw MaterialLawError.invalidTable(name: "latticeTable", reason: "θ must rise strictly within [0, 1]")
        }
        guard (a + c).allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw MaterialLawError.invalidTable(name: "latticeTable", reason: "lattice parameters must be positive")
        }
    }
}

/// Errors in user-supplied material laws.
public enum MaterialLawError: Error, CustomStringConvertible, Equatable {
    case invalidTable(name: String, reason: String)
    public var description: String {
        switch self {
        case let .invalidTable(n, r): return "invalid \(n): \(r)"
        }
    }
}

/// Elastic constants of the phases in a dense-cathode section (physics.md §4.3).
public enum ElasticConstants {
    /// LiCoO₂ Young's modulus [Pa] and Poisson's ratio, isotropic: PyBaMM `Ai2020.py`
    /// ("Positive electrode Young's modulus [Pa]" 375e9, "Poisson's ratio" 0.2) from Ai et al. 2020 [V].
    public static let lcoYoungsModulus = 375e9
    public static let lcoPoissonRatio = 0.20
    /// Sensitivity value: polycrystalline LCO moduli well below 375 GPa are also reported [E] (physics.md §4.3).
    public static let lcoYoungsModulusLow = 190e9
    /// Sulfide/halide solid electrolyte [E]: an order of magnitude more compliant than oxides (range 15–40 GPa).
    public static let solidElectrolyteYoungsModulus = 25e9
    public static let solidElectrolytePoissonRatio = 0.30
}
