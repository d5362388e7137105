import Foundation
import Materials

/// Mechanical set-up of a dense-cathode section (shared/docs/physics.md §4.1–4.4): elastic constants, the
/// lattice-strain law, and the boundary conditions.
///
/// - x = 0 (Al current collector): clamped, u = 0 [E: a film bonded to a stiff substrate].
/// - y = 0, W: periodic (an infinite film; needs a periodic microstructure), rollers u_y = 0, or free.
/// - x = L (cathode/SE interface): free; an elastic (Winkler) foundation on the contact faces only,
///   k_n = E_SE/L_SE, k_t = k_n/(2(1 + ν_SE)); or a bonded SE layer meshed above the cathode, joined to it only
///   along contact faces (nodes are duplicated along non-contact faces, leaving a traction-free gap), its top
///   free or loaded by a stack pressure.
/// - Holes (pores, cracks): traction-free (their elements are absent).
public struct SectionMechanics: Sendable, Equatable, Codable {
    public enum Sides: String, Sendable, Codable, CaseIterable { case periodic, rollers, free }
    public enum Interface: String, Sendable, Codable, CaseIterable { case free, elasticFoundation, bondedLayer }

    public var condition: PlaneCondition = .planeStrain
    /// nil: periodic when the microstructure is periodic, else rollers.
    public var sides: Sides? = nil
    public var interface: Interface = .bondedLayer
    /// Isotropic LCO stiffness (physics.md §4.3, [V] Ai et al. 2020 via PyBaMM).
    public var cathodeYoungsModulus = ElasticConstants.lcoYoungsModulus
    public var cathodePoissonRatio = ElasticConstants.lcoPoissonRatio
    /// Optional hexagonal constants (C11, C33, C44, C12, C13) [Pa], rotated per grain; replace the isotropic values.
    public var transverseConstants: [Double]? = nil
    public var electrolyteYoungsModulus = ElasticConstants.solidElectrolyteYoungsModulus
    public var electrolytePoissonRatio = ElasticConstants.solidElectrolytePoissonRatio
    /// Thickness of the meshed SE layer, or L_SE for the foundation stiffness [m] (`ChemoMechanicalSpec` sets
    /// min(L_SE, 2W) by default, physics.md §4.4).
    public var electrolyteThickness = 20e-6
    /// Pressure on the top of the bonded SE layer [Pa] (compressive for p > 0).
    public var stackPressure = 0.0
    public var lattice: LatticeStrainLaw = .kim2004Linear
    /// Stress-free stoichiometry θ_ref; nil = the initial stoichiometry of the discharge (physics.md §4.2).
    public var referenceStoichiometry: Double? = nil

    public init() {}

    /// Throws a clear error for values outside their physical ranges.
    public func validate() throws {
        let checks: [(String, Double, ClosedRange<Double>, String)] = [
            ("youngsModulusGPa", cathodeYoungsModulus / 1e9, 1...2000, "GPa"),
            ("poissonRatio", cathodePoissonRatio, 0...0.49, ""),
            ("electrolyteYoungsModulusGPa", electrolyteYoungsModulus / 1e9, 0.01...2000, "GPa"),
            ("electrolytePoissonRatio", electrolytePoissonRatio, 0...0.49, ""),
            ("electrolyteThicknessMicrometres", electrolyteThickness * 1e6, 0.01...10_000, "µm"),
            ("stackPressureMPa", stackPressure / 1e6, 0...1000, "MPa"),
        ]
        for (name, v, range, unit) in checks where !(v.isFinite && range.contains(v)) {
            throw ModelInputError.outOfRange(
                parameter: name, value: v, allowed: "\(range.lowerBound)–\(range.upperBound)", unit: unit)
        }
        if let r = referenceStoichiometry, !(0...1).contains(r) {
            throw ModelInputError.outOfRange(parameter: "referenceStoichiometry", value: r, allowed: "0–1", unit: "")
        }
        if let c = transverseConstants {
            guard c.count == 5, c.allSatisfy({ $0.isFinite }) else {
                throw ModelInputError.invalidValue(
                    parameter: "transverseConstantsGPa", reason: "needs five numbers C11, C33, C44, C12, C13")
            }
            // Positive definiteness of the hexagonal tensor: C44 > 0, C11 > |C12|, (C11 + C12) C33 > 2 C13².
            guard c[2] > 0, c[0] > abs(c[3]), (c[0] + c[3]) * c[1] > 2 * c[4] * c[4] else {
                throw ModelInputError.invalidValue(
                    parameter: "transverseConstantsGPa",
                    reason: "C11, C33, C44, C12, C13 = \(c.map { $0 / 1e9 }) GPa is not positive definite")
            }
        }
        try lattice.validate()
    }

    /// The stiffness of a grain with orientation φ_g.
    public func cathodeStiffness(angle: Double) -> ElasticStiffness {
        if let c = transverseConstants {
            return .transverselyIsotropic(c11: c[0], c33: c[1], c44: c[2], c12: c[3], c13: c[4], angle: angle)
        }
        return .isotropic(youngsModulus: cathodeYoungsModulus, poissonRatio: cathodePoissonRatio)
    }

    /// Eigenstrain of a grain with Li-layer direction φ_g at stoichiometry θ (physics.md §4.2, section frame with
    /// the c-axis along e_s in the plane and z an a-direction):
    /// ε*_xx = ε_a cos²φ + ε_c sin²φ, ε*_yy = ε_a sin²φ + ε_c cos²φ, ε*_xy = (ε_a − ε_c) sin φ cos φ, ε*_zz = ε_a.
    @inline(__always)
    public func eigenstrain(theta: Double, reference: Double, angle: Double) -> (
        xx: Double, yy: Double, xy: Double, zz: Double
    ) {
        eigenstrain(theta: theta, reference: reference, cosine: cos(angle), sine: sin(angle))
    }

    /// The same with cos φ_g and sin φ_g given (taken once per grain when a field covers many cells).
    @inline(__always)
    public func eigenstrain(theta: Double, reference: Double, cosine c: Double, sine s: Double) -> (
        xx: Double, yy: Double, xy: Double, zz: Double
    ) {
        let (ea, ec) = lattice.strain(theta, reference: reference)
        return (ea * c * c + ec * s * s, ea * s * s + ec * c * c, (ea - ec) * s * c, ea)
    }
}
