import Foundation

/// A binary liquid electrolyte (one salt, one solvent blend) described by concentrated-solution theory
/// (Newman and Thomas-Alyea 2004, ch. 12; Doyle, Fuller and Newman 1993): its conductivity κ(c, T), salt
/// diffusivity D(c, T), cation transference number t₊⁰ and thermodynamic factor 1 + d ln f±/d ln c. The current
/// density and the cation flux in the liquid are
///
///     i = −κ ∇φ_e + (2RT/F) κ (1 − t₊⁰)(1 + d ln f±/d ln c) ∇ln c,     N₊ = −D ∇c + t₊⁰ i / F,
///
/// with φ_e measured against a Li reference electrode in the same liquid. Concentrations in mol m⁻³, SI throughout.
public struct BinaryElectrolyte: Sendable, Equatable, Codable {
    public let name: String
    /// Cation transference number t₊⁰ (constant).
    public let transferenceNumber: Double

    /// LiPF₆ in PC:EC:DMC (10:27:63 by volume), Valøen and Reimers, J. Electrochem. Soc. 152, A882 (2005), [V]
    /// as implemented in PyBaMM (`lipf6_Valoen2005`) and MPET (`valoen_reimers`): t₊⁰ = 0.38;
    /// κ = 0.1 c (k₀₀ + k₀₁T + k₀₂T² + c(k₁₀ + k₁₁T + k₁₂T²) + c²(k₂₀ + k₂₁T))² S m⁻¹ (c in mol L⁻¹);
    /// D = 10⁻⁴ · 10^(−4.43 − 54/(T − 229 − 5c) − 0.22c) m² s⁻¹;
    /// (1 − t₊⁰)(1 + d ln f±/d ln c) = 0.601 − 0.24 c^½ + 0.982 (1 − 0.0052 (T − 294)) c^{3/2}.
    public static let valoenReimers2005 = BinaryElectrolyte(
        name: "LiPF6 (Valøen–Reimers 2005)", transferenceNumber: 0.38)

    /// The concentration range of the correlations [mol m⁻³]: Valøen and Reimers measured up to about 4 M; the
    /// model refuses states outside (0, 4000].
    public static let validConcentration: ClosedRange<Double> = 1e-6...4000

    /// Ionic conductivity κ(c, T) [S m⁻¹].
    public func conductivity(_ concentration: Double, temperature: Double) -> Double {
        let molar = max(concentration, 0) / 1000
        let t = temperature
        let inner =
            (-10.5 + 0.0740 * t - 6.96e-5 * t * t)
            + molar * (0.668 - 0.0178 * t + 2.80e-5 * t * t)
            + molar * molar * (0.494 - 8.86e-4 * t)
        return 0.1 * molar * inner * inner
    }

    /// Salt diffusivity D(c, T) [m² s⁻¹].
    public func diffusivity(_ concentration: Double, temperature: Double) -> Double {
        let molar = max(concentration, 0) / 1000
        let glass = 229 + 5 * molar
        return 1e-4 * pow(10, -4.43 - 54 / (temperature - glass) - 0.22 * molar)
    }

    /// (1 − t₊⁰)(1 + d ln f±/d ln c) [–].
    public func thermodynamicProduct(_ concentration: Double, temperature: Double) -> Double {
        let molar = max(concentration, 0) / 1000
        return 0.601 - 0.24 * molar.squareRoot() + 0.982 * (1 - 0.0052 * (temperature - 294)) * pow(molar, 1.5)
    }

    /// The diffusional conductivity κ_D = (2RT/F) κ (1 − t₊⁰)(1 + d ln f±/d ln c) [A m⁻¹], the coefficient of
    /// ∇ln c in the current density.
    public func diffusionalConductivity(_ concentration: Double, temperature: Double) -> Double {
        2 * PhysicalConstants.gasConstant * temperature / PhysicalConstants.faraday
            * conductivity(concentration, temperature: temperature)
            * thermodynamicProduct(concentration, temperature: temperature)
    }
}
