import Foundation
import Materials

/// One layer of the solid-electrolyte separator: a single-ion conductor, so only the potential varies
/// and the layer is an ohmic resistor of area-specific resistance L/σ.
public struct SeparatorLayer: Sendable, Equatable, Codable {
    /// Thickness [m].
    public var thickness: Double
    /// Ionic conductivity [S m⁻¹].
    public var conductivity: Double
    public init(thickness: Double, conductivity: Double) { self.thickness = thickness; self.conductivity = conductivity }
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

/// Symmetric Butler–Volmer kinetics with a single-ion conductor (Bard and Faulkner 2001; Newman 2004):
///
///     i_n = −2 i₀(θ_s) sinh(f η / 2),  i₀(θ_s) = i₀,ref·√(θ_s(1 − θ_s))/0.5,
///
/// so η = −(2/f)·asinh(i_n/(2 i₀)) is explicit in the current (i_n > 0 is Li insertion, η < 0).
public enum ButlerVolmer {
    @inline(__always)
    public static func exchangeCurrentDensity(reference: Double, surfaceStoichiometry t: Double) -> Double {
        reference * (max(t * (1 - t), 0)).squareRoot() / 0.5
    }

    /// η [V] for interfacial current density i_n [A m⁻²]; −∞ (discharge) or +∞ (charge) when i₀ = 0.
    @inline(__always)
    public static func overpotential(current: Double, exchangeCurrentDensity i0: Double, inverseThermalVoltage f: Double) -> Double {
        if current == 0 { return 0 }
        guard i0 > 0 else { return current > 0 ? -.infinity : .infinity }
        return -(2 / f) * asinh(current / (2 * i0))
    }
}
