import Foundation
import Materials
import SolverCore

/// One layer of the solid-electrolyte separator: a single-ion conductor, so only the potential varies
/// and the layer is an ohmic resistor of area-specific resistance L/σ.
public struct SeparatorLayer: Sendable, Equatable, Codable {
    /// Thickness [m].
    public var thickness: Double
    /// Ionic conductivity [S m⁻¹].
    public var conductivity: Double
    public init(thickness: Double, conductivity: Double) {
        self.thickness = thickness
        self.conductivity = conductivity
    }
    /// Area-specific resistance [Ω m²].
    public var resistance: Double { thickness / conductivity }
}

/// The counter electrode of a half-cell, with its potential vs Li/Li⁺ and overpotential law.
public enum CounterElectrode: Sendable, Equatable, Codable {
    /// In/InLi two-phase electrode at U_CE vs Li/Li⁺ (0.62 V, Santhosha et al. 2019) with a linear
    /// interfacial resistance: η_CE = I·R_CE [Ω m²].
    case lithiumIndium(potential: Double, resistance: Double)
    /// Li metal (U_CE = 0) with symmetric Butler–Volmer kinetics: η_CE = (2/f)·asinh(I/(2 i₀,Li)).
    case lithiumMetal(exchangeCurrentDensity: Double)

    public var name: String {
        switch self {
        case .lithiumIndium: return "LiIn"
        case .lithiumMetal: return "LiMetal"
        }
    }

    /// Equilibrium potential vs Li/Li⁺ [V].
    public var potential: Double {
        switch self {
        case .lithiumIndium(let u, _): return u
        case .lithiumMetal: return 0
        }
    }

    /// Overpotential loss [V] for current density I [A m⁻²] (> 0 in discharge, sign follows I).
    public func overpotential(current: Double, inverseThermalVoltage f: Double) -> Double {
        switch self {
        case .lithiumIndium(_, let r): return current * r
        case .lithiumMetal(let i0): return (2 / f) * asinh(current / (2 * i0))
        }
    }
}

/// Butler–Volmer kinetics with a single-ion conductor (Bard and Faulkner 2001; Newman 2004):
///
///     i_n = −i₀(θ_s) [exp(α_a f η) − exp(−α_c f η)],  α_c = 1 − α_a,  i₀(θ_s) = i₀,ref·√(θ_s(1 − θ_s))/0.5,
///
/// with i_n > 0 for Li insertion (η < 0). For α_a = α_c = 0.5 the inverse is explicit,
/// η = −(2/f)·asinh(i_n/(2 i₀)); otherwise η is found by safeguarded Newton iteration on the monotone
/// residual (SolverCore.ScalarRoot), started from a bracket around the symmetric value.
public enum ButlerVolmer {
    @inline(__always)
    public static func exchangeCurrentDensity(reference: Double, surfaceStoichiometry t: Double) -> Double {
        reference * (max(t * (1 - t), 0)).squareRoot() / 0.5
    }

    /// η [V] for interfacial current density i_n [A m⁻²]; −∞ (discharge) or +∞ (charge) when i₀ = 0.
    @inline(__always)
    public static func overpotential(
        current: Double, exchangeCurrentDensity i0: Double, inverseThermalVoltage f: Double,
        anodicTransferCoefficient alphaA: Double = 0.5
    ) -> Double {
        if current == 0 { return 0 }
        guard i0 > 0 else { return current > 0 ? -.infinity : .infinity }
        let symmetric = -(2 / f) * asinh(current / (2 * i0))
        if alphaA == 0.5 { return symmetric }
        return asymmetricOverpotential(current: current, i0: i0, f: f, alphaA: alphaA, guess: symmetric)
    }

    /// Current density [A m⁻²] at overpotential η.
    public static func current(
        overpotential eta: Double, exchangeCurrentDensity i0: Double, inverseThermalVoltage f: Double,
        anodicTransferCoefficient alphaA: Double = 0.5
    ) -> Double {
        -i0 * (exp(alphaA * f * eta) - exp(-(1 - alphaA) * f * eta))
    }

    @inline(never)
    static func asymmetricOverpotential(current: Double, i0: Double, f: Double, alphaA: Double, guess: Double) -> Double
    {
        let alphaC = 1 - alphaA
        // The residual falls monotonically in η; widen a bracket around the symmetric guess until it changes sign.
        func g(_ eta: Double) -> (value: Double, derivative: Double) {
            let a = exp(alphaA * f * eta)
            let c = exp(-alphaC * f * eta)
            return (-i0 * (a - c) - current, -i0 * f * (alphaA * a + alphaC * c))
        }
        var width = max(abs(guess), 0.01)
        var lo = guess - width
        var hi = guess + width
        while g(lo).value < 0 || g(hi).value > 0 {
            width *= 2
            lo = guess - width
            hi = guess + width
            if width > 100 { break }
        }
        return (try? ScalarRoot.solve(lo: lo, hi: hi, xTolerance: 1e-13, fTolerance: 1e-12 * abs(current), g)) ?? guess
    }
}
