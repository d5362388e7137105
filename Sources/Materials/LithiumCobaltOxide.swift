import Foundation
import SolverCore

/// Crystallographic data of LiCoO₂ (R-3m) and what follows from it.
///
/// ρ = Z·M/(N_A·(√3/2)a²c) with a = 2.8156 Å, c = 14.0542 Å, Z = 3, M = 97.87 g mol⁻¹ (CRC Handbook,
/// 89th ed.) gives 5053 kg m⁻³; c_max = ρ/M = 51 630 mol m⁻³; the theoretical capacity of θ: 1 → 0 is
/// F/(3.6·M) = 273.85 mAh g⁻¹ (shared/docs/physics.md §1.2).
public enum LithiumCobaltOxide {
    /// Molar mass [kg mol⁻¹] (CRC Handbook, 89th ed., p. 4-71).
    public static let molarMass = 0.09787
    /// Hexagonal lattice parameters at θ = 1 [m] (CRC Handbook, 89th ed.).
    public static let latticeA = 2.8156e-10
    public static let latticeC = 14.0542e-10
    /// Formula units per hexagonal cell.
    public static let formulaUnitsPerCell = 3.0

    /// Crystallographic density [kg m⁻³] ≈ 5053.
    public static let density: Double = {
        let cellVolume = (3.0.squareRoot() / 2) * latticeA * latticeA * latticeC
        return formulaUnitsPerCell * molarMass / (PhysicalConstants.avogadro * cellVolume)
    }()

    /// Li concentration at x_Li = 1 [mol m⁻³] ≈ 51 630.
    public static let maxConcentration = density / molarMass

    /// Capacity of the full stoichiometry range θ: 1 → 0 [mAh g⁻¹] ≈ 273.85.
    public static let theoreticalCapacityMilliampHoursPerGram = PhysicalConstants.faraday / (3.6 * molarMass * 1000)

    /// The usable capacity the paper calls "theoretical" and bases its C-rates on [mAh g⁻¹] (Naik et al. 2025, Fig. 7 caption).
    public static let practicalCapacityMilliampHoursPerGram = 140.0
}

/// The open-circuit potential U(θ) of a cathode, vs Li/Li⁺.
public enum OpenCircuitPotential: Sendable, Equatable, Codable {
    /// Ramadass et al. (2004) rational fit, unstretched (as in LIONSIMBA, Torchio et al. 2016):
    ///
    ///     U(θ) = (−4.656 + 88.669θ² − 401.119θ⁴ + 342.909θ⁶ − 462.471θ⁸ + 433.434θ¹⁰)
    ///          / (−1 + 18.933θ² − 79.532θ⁴ + 37.311θ⁶ − 73.083θ⁸ + 95.96θ¹⁰)
    ///
    /// Valid for 0.47 ≤ θ ≤ 1 where U falls monotonically; the denominator has a pole at θ = 0.4226.
    /// Below 0.47 U is extrapolated linearly with the slope at 0.47 (physics.md §2.3).
    case ramadass2004
    /// A user table (θ ascending, U in V vs Li/Li⁺), interpolated linearly, constant beyond the ends.
    case table(stoichiometry: [Double], voltage: [Double])

    /// The stoichiometry range over which the law is valid.
    public var validRange: ClosedRange<Double> {
        switch self {
        case .ramadass2004: return 0.47...1.0
        case let .table(s, _): return (s.first ?? 0)...(s.last ?? 1)
        }
    }

    /// The lowest initial stoichiometry accepted (physics.md §2.3: θ₀ < 0.45 is an error for the fit).
    public var lowestAcceptedStoichiometry: Double {
        switch self {
        case .ramadass2004: return 0.45
        case let .table(s, _): return s.first ?? 0
        }
    }

    public var citationKey: String {
        switch self {
        case .ramadass2004: return References.ramadass2004.key
        case .table: return "user-table"
        }
    }

    @inline(__always)
    static func ramadass(_ t: Double) -> Double {
        let t2 = t * t
        let t4 = t2 * t2
        let t6 = t4 * t2
        let t8 = t4 * t4
        let t10 = t8 * t2
        let num = -4.656 + 88.669 * t2 - 401.119 * t4 + 342.909 * t6 - 462.471 * t8 + 433.434 * t10
        let den = -1 + 18.933 * t2 - 79.532 * t4 + 37.311 * t6 - 73.083 * t8 + 95.96 * t10
        return num / den
    }

    @inline(__always)
    static func ramadassSlope(_ t: Double) -> Double {
        let t2 = t * t
        let t3 = t2 * t
        let t4 = t2 * t2
        let t5 = t4 * t
        let t6 = t4 * t2
        let t7 = t6 * t
        let t8 = t4 * t4
        let t9 = t8 * t
        let t10 = t8 * t2
        let num = -4.656 + 88.669 * t2 - 401.119 * t4 + 342.909 * t6 - 462.471 * t8 + 433.434 * t10
        let den = -1 + 18.933 * t2 - 79.532 * t4 + 37.311 * t6 - 73.083 * t8 + 95.96 * t10
        let dnum = 2 * 88.669 * t - 4 * 401.119 * t3 + 6 * 342.909 * t5 - 8 * 462.471 * t7 + 10 * 433.434 * t9
        let dden = 2 * 18.933 * t - 4 * 79.532 * t3 + 6 * 37.311 * t5 - 8 * 73.083 * t7 + 10 * 95.96 * t9
        return (dnum * den - num * dden) / (den * den)
    }

    static let ramadassLowerEdge = 0.47
    static let ramadassValueAtEdge = ramadass(ramadassLowerEdge)
    static let ramadassSlopeAtEdge = ramadassSlope(ramadassLowerEdge)

    /// U(θ) [V vs Li/Li⁺].
    @inline(__always)
    public func voltage(_ theta: Double) -> Double {
        switch self {
        case .ramadass2004:
            if theta < Self.ramadassLowerEdge {
                return Self.ramadassValueAtEdge + Self.ramadassSlopeAtEdge * (theta - Self.ramadassLowerEdge)
            }
            return Self.ramadass(theta)
        case let .table(s, v):
            return Self.interpolate(s, v, theta)
        }
    }

    /// dU/dθ [V].
    public func slope(_ theta: Double) -> Double {
        switch self {
        case .ramadass2004:
            return theta < Self.ramadassLowerEdge ? Self.ramadassSlopeAtEdge : Self.ramadassSlope(theta)
        case let .table(s, v):
            guard let k = s.firstIndex(where: { $0 >= theta }), k > 0 else { return 0 }
            return (v[k] - v[k - 1]) / (s[k] - s[k - 1])
        }
    }

    /// Piecewise-linear interpolation in an ascending table, constant beyond its ends (shared by the table laws).
    static func interpolate(_ xs: [Double], _ ys: [Double], _ x: Double) -> Double {
        if x <= xs[0] { return ys[0] }
        if x >= xs[xs.count - 1] { return ys[ys.count - 1] }
        var lo = 0
        var hi = xs.count - 1
        while hi - lo > 1 {
            let m = (lo + hi) / 2
            if xs[m] <= x { lo = m } else { hi = m }
        }
        let t = (x - xs[lo]) / (xs[hi] - xs[lo])
        return ys[lo] + t * (ys[hi] - ys[lo])
    }
}

/// Li chemical diffusivity in the dense cathode, D(θ) [m² s⁻¹].
public enum DiffusivityLaw: Sendable, Equatable, Codable {
    /// Constant D_eff (the paper quotes single values, e.g. 1.5e-9 cm² s⁻¹ for its cathode).
    case constant(Double)
    /// D(θ) = D_ref·g(θ), g = [(1 − θ)Θ(θ)] / [(1 − θ_ref)Θ(θ_ref)], Θ = −fθ(1 − θ)dU/dθ (vacancy mobility
    /// times the Darken thermodynamic factor), clipped to [1e-3, 1e3] (physics.md §2.2; motivated by
    /// Van der Ven and Ceder 2000). An option, not a default.
    case thermodynamicFactor(reference: Double, referenceStoichiometry: Double)
    /// The measured potential dependence of LiCoO₂ (PITT on a (003)-oriented thin film: 8e-12 cm² s⁻¹ at 4.2 V
    /// falling to 6e-13 cm² s⁻¹ at 3.85 V vs Li/Li⁺, a factor 13.3; "Li-ion diffusion in highly (003) oriented
    /// LiCoO₂ thin film cathode prepared by pulsed laser deposition", abstract), log-linear in the open-circuit
    /// potential between those two potentials and constant outside them:
    ///
    ///     D(θ) = D_ref · 13.3^(−s),   s = clamp((4.2 V − U(θ)) / 0.35 V, 0, 1),
    ///
    /// so D = D_ref while U(θ) ≥ 4.2 V (θ ≤ 0.517) and D_ref/13.3 once U(θ) ≤ 3.85 V (θ ≥ 0.90). Only the shape is
    /// taken from the film; D_ref is the cathode's own (the paper's dense cathode diffuses ~10³× faster than
    /// the film). The direction — slower as Li fills the lattice — agrees with the vacancy-mediated mechanism of
    /// Van der Ven and Ceder (2000).
    case measuredPITT(reference: Double)

    /// The film's PITT values [cm² s⁻¹] at the upper and lower potential [V vs Li/Li⁺] of the measurement.
    public static let pittUpper = (potential: 4.2, diffusivity: 8e-12)
    public static let pittLower = (potential: 3.85, diffusivity: 6e-13)

    public var reference: Double {
        switch self {
        case .constant(let d): return d
        case .thermodynamicFactor(let d, _): return d
        case .measuredPITT(let d): return d
        }
    }

    /// The same law with another reference diffusivity [m² s⁻¹].
    public func withReference(_ d: Double) -> DiffusivityLaw {
        switch self {
        case .constant: return .constant(d)
        case .thermodynamicFactor(_, let t): return .thermodynamicFactor(reference: d, referenceStoichiometry: t)
        case .measuredPITT: return .measuredPITT(reference: d)
        }
    }

    /// The names a parameter file uses for the laws (`diffusivityModel`).
    public static let modelNames = ["constant", "thermodynamicFactor", "measuredPITT"]

    /// The law's name as in `modelNames`.
    public var modelName: String {
        switch self {
        case .constant: return "constant"
        case .thermodynamicFactor: return "thermodynamicFactor"
        case .measuredPITT: return "measuredPITT"
        }
    }

    /// The law called `name` (any case) with reference diffusivity `reference` [m² s⁻¹] and its default shape
    /// parameters; nil for an unknown name.
    public static func named(_ name: String, reference: Double) -> DiffusivityLaw? {
        switch name.lowercased() {
        case "constant": return .constant(reference)
        case "thermodynamicfactor": return .thermodynamicFactor(reference: reference, referenceStoichiometry: 0.5)
        case "measuredpitt": return .measuredPITT(reference: reference)
        default: return nil
        }
    }

    public func value(_ theta: Double, ocp: OpenCircuitPotential, temperature: Double) -> Double {
        evaluator(ocp: ocp, temperature: temperature)(theta)
    }

    /// D(θ) with everything that does not depend on θ worked out once (the reference mobility of the
    /// thermodynamic-factor law), for solvers that evaluate it at every face and step.
    public func evaluator(ocp: OpenCircuitPotential, temperature: Double) -> DiffusivityEvaluator {
        DiffusivityEvaluator(law: self, ocp: ocp, temperature: temperature)
    }
}

/// D(θ) of one law, OCP and temperature (`DiffusivityLaw`), with its θ-independent parts precomputed.
public struct DiffusivityEvaluator: Sendable {
    public let law: DiffusivityLaw
    let ocp: OpenCircuitPotential
    let inverseThermalVoltage: Double
    /// g(θ_ref) of the thermodynamic-factor law (1 for the others).
    let referenceMobility: Double

    init(law: DiffusivityLaw, ocp: OpenCircuitPotential, temperature: Double) {
        self.law = law
        self.ocp = ocp
        inverseThermalVoltage = PhysicalConstants.inverseThermalVoltage(temperature)
        if case .thermodynamicFactor(_, let tRef) = law {
            referenceMobility = Self.mobility(tRef, ocp: ocp, inverseThermalVoltage: inverseThermalVoltage)
        } else {
            referenceMobility = 1
        }
    }

    /// Θ-weighted vacancy mobility g(θ) = (1 − θ)·max(−fθ(1 − θ)U′(θ), 1e-12) of the thermodynamic-factor law.
    static func mobility(_ t: Double, ocp: OpenCircuitPotential, inverseThermalVoltage f: Double) -> Double {
        let tc = min(max(t, 1e-6), 1 - 1e-6)
        return (1 - tc) * max(-f * tc * (1 - tc) * ocp.slope(tc), 1e-12)
    }

    public func callAsFunction(_ theta: Double) -> Double {
        switch law {
        case .constant(let d):
            return d
        case .thermodynamicFactor(let d, _):
            let g = Self.mobility(theta, ocp: ocp, inverseThermalVoltage: inverseThermalVoltage)
            return d * min(max(g / referenceMobility, 1e-3), 1e3)
        case .measuredPITT(let d):
            let (upper, lower) = (DiffusivityLaw.pittUpper, DiffusivityLaw.pittLower)
            let s = min(max((upper.potential - ocp.voltage(theta)) / (upper.potential - lower.potential), 0), 1)
            return d * pow(lower.diffusivity / upper.diffusivity, s)
        }
    }
}

/// Electronic conductivity of Li_θCoO₂ across the insulator–metal transition (θ_t ≈ 0.94;
/// Ménétrier et al. 1999): log₁₀σ = log₁₀σ_met + (log₁₀σ_ins − log₁₀σ_met)/(1 + exp(−(θ − θ_t)/w)).
public struct ElectronicConductivity: Sendable, Equatable, Codable {
    /// σ at θ → 1 [S m⁻¹]: 1e-2 S m⁻¹, the paper's lower bound for single crystals (> 1e-4 S cm⁻¹).
    public var insulating: Double
    /// σ for θ ≲ 0.9 [S m⁻¹]: 10 S m⁻¹ [estimate].
    public var metallic: Double
    public var transition: Double
    public var width: Double

    public init(insulating: Double = 1e-2, metallic: Double = 10, transition: Double = 0.94, width: Double = 0.01) {
        self.insulating = insulating
        self.metallic = metallic
        self.transition = transition
        self.width = width
    }

    public func value(_ theta: Double) -> Double {
        let lm = log(metallic)
        let li = log(insulating)
        return exp(lm + (li - lm) / (1 + exp(-(theta - transition) / width)))
    }

    /// ∫ dx/σ(θ(x)) over cells of widths `widths` with stoichiometries `theta` [Ω m²·S m⁻¹ ⇒ m²/S·…],
    /// i.e. Σ wₖ/σ(θₖ); the logarithms are taken once per call and the two exponentials per cell are evaluated
    /// four cells at a time (`exponential`, within 2 ulp of libm): this sits on the 1D solver's hot path.
    public func resistivityIntegral(theta: [Double], widths: [Double]) -> Double {
        let lm = log(metallic)
        let dl = log(insulating) - lm
        let invW = 1 / width
        let count = theta.count
        let whole = count - count % 4
        var sum = SIMD4<Double>(repeating: 0)
        // One group of four cells: Σ w e^{−(ln σ_met + Δ/(1 + e^{−(θ − θ_t)/w}))}.
        @inline(__always) func add(_ lanes: SIMD4<Double>, _ weights: SIMD4<Double>) {
            let logistic = dl / (1 + exponential(-(lanes - transition) * invW))
            sum += weights * exponential(-(lm + logistic))
        }
        theta.withUnsafeBufferPointer { thetas in
            widths.withUnsafeBufferPointer { cellWidths in
                var k = 0
                while k < whole {
                    add(
                        SIMD4(thetas[k], thetas[k + 1], thetas[k + 2], thetas[k + 3]),
                        SIMD4(cellWidths[k], cellWidths[k + 1], cellWidths[k + 2], cellWidths[k + 3]))
                    k += 4
                }
                if whole < count {
                    // The last one to three cells; the empty lanes carry zero weight.
                    var lanes = SIMD4<Double>(repeating: transition)
                    var weights = SIMD4<Double>(repeating: 0)
                    for lane in 0..<(count - whole) {
                        lanes[lane] = thetas[whole + lane]
                        weights[lane] = cellWidths[whole + lane]
                    }
                    add(lanes, weights)
                }
            }
        }
        return sum.sum()
    }
}
