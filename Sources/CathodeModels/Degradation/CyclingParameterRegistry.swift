import Foundation

/// Names of the cycling settings and damage laws (sweepable in studies, settable in files); every other name goes to
/// the stress (Model C) and 2D (Model B) registries.
public enum CyclingParameterRegistry {
    typealias Spec = ParameterSpec<CyclingSpec>

    private static func real(
        _ name: String, _ unit: String, _ help: String, _ range: ClosedRange<Double>, open: Bool = false,
        _ key: WritableKeyPath<CyclingSpec, Double> & Sendable
    ) -> Spec {
        .bounded(name, unit, help, range, open: open, key)
    }

    public static let specs: [ParameterSpec<CyclingSpec>] = [
        Spec.whole("cycles", "charge/discharge cycles", 1...1000, \.cycles),
        Spec.flag("cycleJumping", "1 = extrapolate damage over several cycles between discharges", \.cycleJumping),
        Spec.whole("maximumJumpCycles", "longest cycle jump", 1...100, \.maximumJumpCycles),
        Spec.whole(
            "eventsPerJump", "interface faces allowed to open in one jump (error control)", 1...100, \.eventsPerJump),
        Spec.whole("recordIntervalCycles", "fields recorded every this many cycles", 1...1000, \.recordIntervalCycles),
        real(
            "bulkStrengthMPa", "MPa", "LCO strength σ_f across (003) (crack nucleation)", 0...100_000, open: true,
            \.bulkStrengthMPa),
        real("bulkToughnessMPaSqrtM", "MPa m^½", "LCO fracture toughness K_c", 0.001...100, \.bulkToughnessMPaSqrtM),
        real(
            "bulkParisRateMetresPerCycle", "m per cycle", "bulk Paris rate C at ΔK → K_c", 1e-15...1e-3,
            \.bulkParisRateMetresPerCycle),
        real("bulkParisExponent", "–", "bulk Paris exponent m", 1...100, \.bulkParisExponent),
        real("bulkThresholdRatio", "–", "bulk fatigue threshold K_th/K_c", 0...0.999, \.bulkThresholdRatio),
        real(
            "adhesionStrengthMPa", "MPa", "LCO/SE adhesion strength σ_a (face opening)", 0...100_000, open: true,
            \.adhesionStrengthMPa),
        real(
            "interfaceToughnessMPaSqrtM", "MPa m^½", "LCO/SE interface toughness K_c,i", 0.001...100,
            \.interfaceToughnessMPaSqrtM),
        real(
            "interfaceParisRateMetresPerCycle", "m per cycle", "interface Paris rate C_i at ΔK → K_c,i", 1e-15...1e-3,
            \.interfaceParisRateMetresPerCycle),
        real("interfaceParisExponent", "–", "interface Paris exponent m_i", 1...100, \.interfaceParisExponent),
        real(
            "interfaceThresholdRatio", "–", "interface fatigue threshold K_th/K_c,i", 0...0.999,
            \.interfaceThresholdRatio),
    ]

    /// Where each default comes from (labels of physics.md §0).
    public static let sources: [String: String] = [
        "cycles": "Fig. 5(a): 75 cycles at 1C", "cycleJumping": "[E] numerics", "maximumJumpCycles": "[E] numerics",
        "eventsPerJump": "[E] numerics (jump error control)", "recordIntervalCycles": "Fig. 5(a): 25, 50, 75",
        "bulkStrengthMPa": "[D] Griffith K_c/√(πa₀) with an intrinsic flaw a₀ = 50 nm [E]",
        "bulkToughnessMPaSqrtM":
            "[E] oxide cathodes 0.24–0.81 MPa m^½ (Mughal2017, LiMn₂O₄); none measured for LCO here",
        "bulkParisRateMetresPerCycle": "[E] Ritchie1999 (brittle solids: steep Paris laws)",
        "bulkParisExponent": "[E] Ritchie1999 (ceramics m ≈ 10–50)",
        "bulkThresholdRatio": "[E] Ritchie1999 (K_th ≈ 0.3–0.6 K_c for ceramics)",
        "adhesionStrengthMPa":
            "[D] K_Ic/√(πa), K_Ic 0.23 MPa m^½ (McGrogan2017), a = 1 µm (top of the 41–130 MPa range)",
        "interfaceToughnessMPaSqrtM":
            "[E] between the SE's 0.23 (McGrogan2017) and an oxide's 0.81 MPa m^½ (Mughal2017); mode I, raised with the shear share by Γ(ψ) (HutchinsonSuo1992)",
        "interfaceParisRateMetresPerCycle": "[C] fitted to Fig. 5(a) (cycling calibration)",
        "interfaceParisExponent":
            "[C] fitted to Fig. 5(a) on the grid 2, 3, 4, 6 (metals ≈ 2–4, ceramics ≥ 10: Ritchie1999)",
        "interfaceThresholdRatio": "[E] Ritchie1999",
    ]

    public static func spec(named name: String) -> ParameterSpec<CyclingSpec>? { specs.first { $0.name == name } }
    public static func knows(_ name: String) -> Bool {
        spec(named: name) != nil || ChemoMechanicalParameterRegistry.knows(name)
    }

    public static let schema = ChemoMechanicalParameterRegistry.schema.merging(
        ParameterSchema(
            model: "cycling",
            kinds: Dictionary(uniqueKeysWithValues: specs.map { ($0.name, ParameterSchema.Kind.number(unit: $0.unit)) })
        ),
        model: "cycling")

    public static func spec(base: String, numbers: [String: Double]) throws -> CyclingSpec {
        var s = CyclingSpec()
        let steps = s.section.diffusion.stepsPerNominal
        let rest = try ParameterSpec.applyLayered(
            numbers, to: &s, lookup: spec(named:), inner: ChemoMechanicalParameterRegistry.knows, schema: schema)
        s.section = try ChemoMechanicalParameterRegistry.spec(base: base, numbers: rest)
        // Cycling discharges default to 50 steps per nominal hour (capacity within 0.01 mAh g⁻¹ of 200 on the model
        // system) unless the numbers set it.
        if rest["stepsPerNominal"] == nil { s.section.diffusion.stepsPerNominal = steps }
        try s.laws.validate()
        return s
    }

    public static func describe(_ s: CyclingSpec) -> [(name: String, value: String, unit: String)] {
        (specs.compactMap { p in p.get(s).map { (p.name, Dense1DParameterRegistry.formatNumber($0), p.unit) } }
            + ChemoMechanicalParameterRegistry.describe(s.section)).sorted { $0.0 < $1.0 }
    }
}
