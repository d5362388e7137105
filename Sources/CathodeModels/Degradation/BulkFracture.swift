import Foundation

/// Fatigue growth of a crack under a cyclic stress range (Paris and Erdogan 1963; for brittle solids, where the
/// exponents are high, Ritchie, Int. J. Fract. 100, 55 (1999)):
///
///     da/dN = C (ΔK/K_c)^m  for K_th ≤ ΔK < K_c,   0 below the threshold K_th,   unstable (the crack runs) at ΔK ≥ K_c,
///     ΔK = Y Δσ √(π a),
///
/// with a the half-length of an internal crack, Δσ the range of the crack-opening stress over a cycle (the
/// stress-free reference is the charged state, so Δσ is the stress at the end of discharge) and Y a geometry factor.
/// `rateAtToughness` is C, the growth per cycle as ΔK approaches K_c.
public struct FatigueCrackLaw: Sendable, Equatable, Codable {
    /// K_c [Pa m^½].
    public var toughness: Double
    /// C [m per cycle].
    public var rateAtToughness: Double
    /// m [–].
    public var exponent: Double
    /// K_th/K_c [–].
    public var thresholdRatio: Double
    /// Y [–].
    public var geometryFactor: Double

    public init(
        toughness: Double, rateAtToughness: Double, exponent: Double, thresholdRatio: Double,
        geometryFactor: Double = 1
    ) {
        self.toughness = toughness
        self.rateAtToughness = rateAtToughness
        self.exponent = exponent
        self.thresholdRatio = thresholdRatio
        self.geometryFactor = geometryFactor
    }

    /// Checks every value against its allowed range (name, value, range, unit).
    public func validate(prefix: String) throws {
        func check(_ name: String, _ value: Double, _ range: ClosedRange<Double>, _ unit: String) throws {
            guard value.isFinite, range.contains(value) else {
                throw ModelInputError.outOfRange(
                    parameter: prefix + name, value: value,
                    allowed: "[\(range.lowerBound), \(range.upperBound)]", unit: unit)
            }
        }
        try check("ToughnessMPaSqrtM", toughness / 1e6, 1e-3...100, "MPa m^½")
        try check("ParisRateMetresPerCycle", rateAtToughness, 1e-15...1e-3, "m per cycle")
        try check("ParisExponent", exponent, 1...100, "–")
        try check("ThresholdRatio", thresholdRatio, 0...0.999, "–")
        try check("GeometryFactor", geometryFactor, 0.1...10, "–")
    }

    /// ΔK = Y Δσ √(π a) [Pa m^½] for a half-length a [m]; compressive ranges give 0.
    public func stressIntensity(stressRange: Double, halfLength: Double) -> Double {
        geometryFactor * max(stressRange, 0) * (Double.pi * halfLength).squareRoot()
    }

    /// da/dN [m per cycle] at ΔK: 0 below the threshold, +∞ at or above the toughness.
    public func growthPerCycle(stressIntensity k: Double) -> Double {
        if k < thresholdRatio * toughness || k <= 0 { return 0 }
        if k >= toughness { return .infinity }
        return rateAtToughness * pow(k / toughness, exponent)
    }

    /// Cycles for the half-length to grow from a₀ to a₁ at a constant stress range, the Paris law integrated in
    /// closed form (m ≠ 2): N = ∫ da / (C (YΔσ√(πa)/K_c)^m) = (a₁^{1−m/2} − a₀^{1−m/2}) / ((1 − m/2) C (YΔσ√π/K_c)^m).
    /// +∞ when the range is below the threshold at a₀; the caller checks for unstable growth (ΔK ≥ K_c).
    public func cycles(from a0: Double, to a1: Double, stressRange: Double) -> Double {
        guard a1 > a0 else { return 0 }
        if growthPerCycle(stressIntensity: stressIntensity(stressRange: stressRange, halfLength: a0)) == 0 {
            return .infinity
        }
        let scale = rateAtToughness * pow(geometryFactor * stressRange * Double.pi.squareRoot() / toughness, exponent)
        let power = 1 - exponent / 2
        if abs(power) < 1e-12 { return log(a1 / a0) / scale }
        return (pow(a1, power) - pow(a0, power)) / (power * scale)
    }
}
