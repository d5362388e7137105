import Foundation
import Materials
import SolverCore

/// An impedance run of Model B described by numbers (sweepable, cacheable): the 2D section (with the mechanical
/// settings the rate test needs), the rested state, the frequency sweep, the interface capacitances, and optionally
/// the rate test of Fig. 3(f).
///
/// Rate test (`rateTest` = 1; the paper's hypothesis for Fig. 3(f), not a measured law): the cell is discharged at
/// 0.1, 0.2, 0.5, 1 and 2C in turn (the C-rates of Fig. 3(c)); during each discharge Model C computes the stress at
/// the contacting faces, and a face whose interface normal stress σ_xx (tension positive) exceeds the adhesion
/// strength σ_ad at any stored time loses contact for good. After each discharge the spectrum of the section with its
/// remaining contact is computed at the rested state and read with the equivalent circuit, as an experimentalist
/// reads the EIS taken after each rate step.
public struct ImpedanceSpec: Sendable, Equatable, Codable {
    public var section = ChemoMechanicalSpec()
    /// State of charge s of the rested cell (θ̄ = θ₀ + (1 − s)·Q_rated/Q_theoretical).
    public var stateOfCharge = 0.5
    public var minimumFrequencyHz = 1e-3
    public var maximumFrequencyHz = 1e6
    public var frequencyCount = 60.0
    /// Cathode/SE double-layer capacitance per true contact area and the counter electrode's interface capacitance
    /// [µF cm⁻²] (Irvine1990 range 0.1–10 µF cm⁻² for electrode interfaces; estimates).
    public var doubleLayerCapacitanceMicrofaradPerCm2 = 5.0
    public var counterElectrodeCapacitanceMicrofaradPerCm2 = 10.0
    /// 1 = the rate test with stress-driven delamination (see the type's documentation).
    public var rateTest = 0.0
    /// Adhesion strength of the cathode/SE interface σ_ad [MPa] (derived estimate: K_Ic/√(πa) with the sulfide SE's
    /// fracture toughness K_Ic ≈ 0.23 MPa m^½ (McGrogan2017) and a = 3 µm, the size of the model system's interfacial
    /// voids; a = 1–10 µm gives 130–41 MPa).
    public var adhesionStrengthMPa = 75.0
    /// Stress evaluations per rate-test discharge (evenly spaced up to 0.8/C-rate, plus the end of discharge).
    public var stressSnapshots = 4.0
    /// 1 = fit the counter electrode's arc too (when the spectrum resolves it).
    public var fitCounterElectrodeArc = 1.0

    public init() {}

    /// The C-rates of the rate test (Fig. 3(c)).
    public static let rateTestCRates = [0.1, 0.2, 0.5, 1.0, 2.0]

    public var sweep: FrequencySweep {
        FrequencySweep(minimumHz: minimumFrequencyHz, maximumHz: maximumFrequencyHz, count: Int(frequencyCount))
    }
    public var capacitances: InterfaceCapacitances {
        InterfaceCapacitances(
            cathodeDoubleLayer: doubleLayerCapacitanceMicrofaradPerCm2 * 1e-2,
            counterElectrode: counterElectrodeCapacitanceMicrofaradPerCm2 * 1e-2)
    }
}

/// One spectrum of an impedance run: the pristine cell, or the cell after one discharge of the rate test.
public struct ImpedanceStage: Sendable, Equatable, Codable {
    /// The C-rate of the discharge just before this spectrum (0 = pristine).
    public var cRate: Double
    public var contact: [Bool]
    public var contactFraction: Double
    public var spectrum: ImpedanceSpectrum
    public var fit: CircuitFit
    /// The model's own charge-transfer resistance 1/(f i₀ Σw/W) of the remaining contact [Ω m²].
    public var chargeTransferResistance: Double
    /// Per column: the largest interface normal stress σ_xx seen in the discharge before this spectrum [Pa] (NaN where
    /// the column had no contact; empty for the pristine stage).
    public var peakNormalStress: [Double]
    /// Capacity of that discharge [mAh g⁻¹] (0 for the pristine stage).
    public var capacity: Double

    public init(
        cRate: Double, contact: [Bool], contactFraction: Double, spectrum: ImpedanceSpectrum, fit: CircuitFit,
        chargeTransferResistance: Double, peakNormalStress: [Double], capacity: Double
    ) {
        self.cRate = cRate
        self.contact = contact
        self.contactFraction = contactFraction
        self.spectrum = spectrum
        self.fit = fit
        self.chargeTransferResistance = chargeTransferResistance
        self.peakNormalStress = peakNormalStress
        self.capacity = capacity
    }
}

/// The outcome of an impedance run.
public struct ImpedanceRunResult: Sendable, Equatable, Codable {
    public var stoichiometry: Double
    public var stages: [ImpedanceStage]
    public var width: Double
    public var ny: Int
}

public enum ImpedanceRunner {
    /// Runs the spec; `microstructure` replaces the section the spec builds (a file or mask from the command line).
    public static func run(_ spec: ImpedanceSpec, microstructure: Microstructure? = nil) throws -> ImpedanceRunResult {
        try spec.sweep.validate()
        try spec.capacitances.validate()
        var setup = try spec.section.diffusion.setup()
        if let microstructure { setup.microstructure = microstructure }
        try setup.validate()
        let theta = try RestState.stoichiometry(stateOfCharge: spec.stateOfCharge, cell: setup.cell)
        let fitCounter = spec.fitCounterElectrodeArc > 0.5
        func stage(cRate: Double, peaks: [Double], capacity: Double) throws -> ImpedanceStage {
            let model = Dense2DImpedance(setup: setup, stoichiometry: theta, capacitances: spec.capacitances)
            let spectrum = try model.spectrum(spec.sweep)
            let fit = try CircuitFitter.fit(spectrum, counterElectrodeArc: fitCounter)
            return ImpedanceStage(
                cRate: cRate, contact: setup.microstructure.contact,
                contactFraction: setup.microstructure.contactFraction,
                spectrum: spectrum, fit: fit, chargeTransferResistance: model.chargeTransferResistance,
                peakNormalStress: peaks, capacity: capacity)
        }
        var stages = [try stage(cRate: 0, peaks: [], capacity: 0)]
        if spec.rateTest > 0.5 {
            let mechanics = try spec.section.mechanics(width: setup.microstructure.width)
            let strength = spec.adhesionStrengthMPa * 1e6
            for rate in ImpedanceSpec.rateTestCRates {
                var discharge = setup
                discharge.cRate = rate
                let nominal = 3600 / rate
                let count = Int(spec.stressSnapshots)
                discharge.snapshotTimes =
                    count >= 1 ? (1...count).map { 0.8 * nominal * Double($0) / Double(count) } : []
                let diffusion = try Dense2DModel(discharge).run()
                let model = try ChemoMechanicalModel(microstructure: discharge.microstructure, mechanics: mechanics)
                let reference = mechanics.referenceStoichiometry ?? diffusion.initialStoichiometry
                let faces = discharge.microstructure.interfaceFaces().filter {
                    $0.normalToX && discharge.microstructure.contact[$0.column]
                }
                var peaks = [Double](repeating: .nan, count: discharge.microstructure.ny)
                for theta in diffusion.snapshots where diffusion.startFailure == nil {
                    let field = model.stress(theta: theta, reference: reference)
                    for face in faces {
                        let value = field.sxx[face.cell]
                        peaks[face.column] = peaks[face.column].isNaN ? value : max(peaks[face.column], value)
                    }
                }
                for (column, peak) in peaks.enumerated() where peak > strength {
                    setup.microstructure.contact[column] = false
                }
                guard setup.microstructure.contact.contains(true) else {
                    throw ModelRunError.cannotStart(
                        reason: String(
                            format:
                                "the rate test delaminated the whole interface after the %gC discharge (largest interface normal stress %.0f MPa against an adhesion strength of %.0f MPa): raise adhesionStrengthMPa",
                            rate, (peaks.filter { !$0.isNaN }.max() ?? 0) / 1e6, spec.adhesionStrengthMPa))
                }
                stages.append(try stage(cRate: rate, peaks: peaks, capacity: diffusion.capacity))
            }
        }
        return ImpedanceRunResult(
            stoichiometry: theta, stages: stages, width: setup.microstructure.width, ny: setup.microstructure.ny)
    }
}

/// Names of the impedance settings (sweepable in studies); every other name goes to the stress/2D registries.
public enum ImpedanceParameterRegistry {
    typealias Spec = ParameterSpec<ImpedanceSpec>

    private static func real(
        _ name: String, _ unit: String, _ help: String, _ range: ClosedRange<Double>, open: Bool = false,
        _ key: WritableKeyPath<ImpedanceSpec, Double> & Sendable
    ) -> Spec {
        .bounded(name, unit, help, range, open: open, key)
    }

    public static let specs: [ParameterSpec<ImpedanceSpec>] = [
        real("stateOfCharge", "–", "state of charge of the rested cell (1 = θ₀)", 0...1, \.stateOfCharge),
        real("minimumFrequencyHz", "Hz", "lowest frequency", 0...1e12, open: true, \.minimumFrequencyHz),
        real("maximumFrequencyHz", "Hz", "highest frequency", 0...1e12, open: true, \.maximumFrequencyHz),
        Spec.whole("frequencyCount", "frequencies (log-spaced)", 2...100_000, \.frequencyCount),
        real(
            "doubleLayerCapacitanceMicrofaradPerCm2", "µF cm⁻²",
            "cathode/SE double layer per true contact area (Irvine1990: 0.1–10)", 0.001...1000,
            \.doubleLayerCapacitanceMicrofaradPerCm2),
        real(
            "counterElectrodeCapacitanceMicrofaradPerCm2", "µF cm⁻²", "counter electrode interface capacitance",
            0.001...1000, \.counterElectrodeCapacitanceMicrofaradPerCm2),
        Spec.flag("rateTest", "1 = rate test 0.1–2C with stress-driven delamination", \.rateTest),
        real(
            "adhesionStrengthMPa", "MPa", "interface adhesion strength σ_ad (derived estimate 75; 41–130)", 0...100_000,
            open: true, \.adhesionStrengthMPa),
        Spec.whole(
            "stressSnapshots", "stress evaluations per rate-test discharge (plus the end)", 0...100, \.stressSnapshots),
        Spec.flag(
            "fitCounterElectrodeArc", "1 = the circuit includes the counter electrode's arc", \.fitCounterElectrodeArc),
    ]

    /// Where each default comes from (labels of physics.md §0).
    public static let sources: [String: String] = [
        "stateOfCharge": "[E] mid-window", "minimumFrequencyHz": "[E] 1 mHz", "maximumFrequencyHz": "[E] 1 MHz",
        "frequencyCount": "[E] 60",
        "doubleLayerCapacitanceMicrofaradPerCm2": "[E] inside Irvine1990's 0.1–10 µF cm⁻² for electrode interfaces",
        "counterElectrodeCapacitanceMicrofaradPerCm2":
            "[E] inside Irvine1990's 0.1–10 µF cm⁻² for electrode interfaces",
        "rateTest": "Fig. 3(c, f)", "adhesionStrengthMPa": "[D] K_Ic/√(πa), K_Ic 0.23 MPa m^½ (McGrogan2017), a = 3 µm",
        "stressSnapshots": "[E]", "fitCounterElectrodeArc": "[E]",
    ]

    public static func spec(named name: String) -> ParameterSpec<ImpedanceSpec>? { specs.first { $0.name == name } }
    public static func knows(_ name: String) -> Bool {
        spec(named: name) != nil || ChemoMechanicalParameterRegistry.knows(name)
    }

    public static let schema = ChemoMechanicalParameterRegistry.schema.merging(
        ParameterSchema(
            model: "impedance",
            kinds: Dictionary(uniqueKeysWithValues: specs.map { ($0.name, ParameterSchema.Kind.number(unit: $0.unit)) })
        ),
        model: "impedance")

    public static func spec(base: String, numbers: [String: Double]) throws -> ImpedanceSpec {
        var s = ImpedanceSpec()
        let rest = try ParameterSpec.applyLayered(
            numbers, to: &s, lookup: spec(named:), inner: ChemoMechanicalParameterRegistry.knows, schema: schema)
        s.section = try ChemoMechanicalParameterRegistry.spec(base: base, numbers: rest)
        try s.sweep.validate()
        return s
    }

    public static func describe(_ s: ImpedanceSpec) -> [(name: String, value: String, unit: String)] {
        (specs.compactMap { p in p.get(s).map { (p.name, Dense1DParameterRegistry.formatNumber($0), p.unit) } }
            + ChemoMechanicalParameterRegistry.describe(s.section)).sorted { $0.0 < $1.0 }
    }
}
