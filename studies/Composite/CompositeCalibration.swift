import CathodeModels
import Foundation
import StudyKit

/// The calibration of the composite model's transport knobs against the paper's composite results
/// (shared/docs/physics.md §7 rows 24–30 and 39).
///
/// With bulk-like SE conductivity and plain Bruggeman tortuosity the composites are not transport-limited
/// up to 1C (physics.md §10.3), yet the paper's collapse above 70–90 wt%. The percolation law's σ₀, φ_c and
/// t and the particle radius are therefore fitted. Printed numbers (capacities implied by the published
/// energies, row 39) carry σ = 2 mAh g⁻¹; qualitative statements are encoded as ranges with wide σ:
/// "near zero at ≥ 90 wt% at 0.5C" → 0 ± 10; "sharp drop above 90 wt% at 0.1C" → 30 ± 30 at 95 wt%;
/// the energy maxima at 70 wt% (0.5C, 1C) and at 80 wt% (0.2C, 0.33C) bound the neighbouring capacities.
public enum CompositeCalibration {
    public static let base = BaseParameters("composite", model: .composite)

    static func capacity(_ o: ModelOutput) -> Double { o.composite.capacity }

    public static let targets: [ParameterFit.Target] = [
        .init(
            "90 wt%, 0.1C", overrides: ["camWeightPercent": 90, "cRate": 0.1], published: 120.8, sigma: 2,
            source: "[D] 408.5 Wh kg⁻¹ / (0.9 × 3.757 V), Fig. 7c", extract: capacity),
        .init(
            "70 wt%, 0.5C", overrides: ["camWeightPercent": 70, "cRate": 0.5], published: 117.5, sigma: 2,
            source: "[D] 309 Wh kg⁻¹ / (0.7 × 3.757 V), Fig. 7d", extract: capacity),
        .init(
            "70 wt%, 1C", overrides: ["camWeightPercent": 70, "cRate": 1], published: 90.1, sigma: 2,
            source: "[D] 237 Wh kg⁻¹ / (0.7 × 3.757 V), Fig. S13f", extract: capacity),
        .init(
            "90 wt%, 0.5C", overrides: ["camWeightPercent": 90, "cRate": 0.5], published: 0, sigma: 10,
            source: "[P] near zero at ≥ 90 wt%, Fig. 7b", extract: capacity),
        .init(
            "95 wt%, 0.1C", overrides: ["camWeightPercent": 95, "cRate": 0.1], published: 30, sigma: 30,
            source: "[P] sharp drop above 90 wt%, Fig. 7a", extract: capacity),
        .init(
            "80 wt%, 0.5C", overrides: ["camWeightPercent": 80, "cRate": 0.5], published: 80, sigma: 20,
            source: "[P] steep drop above 70 wt% (E₈₀ < 309 Wh kg⁻¹ ⇒ Q < 103), Fig. 7b,d", extract: capacity),
        .init(
            "80 wt%, 1C", overrides: ["camWeightPercent": 80, "cRate": 1], published: 55, sigma: 20,
            source: "[P] peak at 70 wt% at 1C (E₈₀ < 237 Wh kg⁻¹ ⇒ Q < 79), Fig. S13f", extract: capacity),
        .init(
            "90 wt%, 0.2C", overrides: ["camWeightPercent": 90, "cRate": 0.2], published: 90, sigma: 20,
            source: "[P] decline at 90 wt% at 0.2C (E₉₀ < E₈₀), Fig. S13d", extract: capacity),
        .init(
            "90 wt%, 0.33C", overrides: ["camWeightPercent": 90, "cRate": 0.33], published: 60, sigma: 25,
            source: "[P] decline at 90 wt% at 0.33C, Fig. S13e", extract: capacity),
    ]

    public static let parameters: [ParameterFit.Parameter] = [
        .init("ionicConductivitySPerM", initial: 0.1, lower: 1e-3, upper: 10, logScale: true),
        .init("percolationThreshold", initial: 0.2, lower: 0.05, upper: 0.3),
        .init("percolationExponent", initial: 2, lower: 1, upper: 4),
        .init("particleRadiusMicrometres", initial: 2.5, lower: 1, upper: 5),
    ]

    public static var fit: ParameterFit { ParameterFit(base: base, parameters: parameters, targets: targets) }

    /// The alternative: Archie's law σ₀ φ^m (a steep tortuosity instead of a threshold).
    public static let archieBase = BaseParameters(
        "composite", model: .composite, settings: ["ionicTransport": .choice("archie")])
    public static let archieParameters: [ParameterFit.Parameter] = [
        .init("ionicConductivitySPerM", initial: 0.01, lower: 1e-4, upper: 10, logScale: true),
        .init("archieExponent", initial: 3.4, lower: 1, upper: 10),
        .init("particleRadiusMicrometres", initial: 3, lower: 1, upper: 5),
    ]
    public static var archieFit: ParameterFit {
        ParameterFit(base: archieBase, parameters: archieParameters, targets: targets)
    }
}
