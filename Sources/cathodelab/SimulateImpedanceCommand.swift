import ArgumentParser
import CairoBackend
import CathodeModels
import Foundation
import ModelIO
import Plotting
import ResultStore
import Studies

extension CathodeLab.Simulate {
    /// Small-signal impedance of Model A (1D) or Model B (2D) at a rested state.
    struct Impedance: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "impedance",
            abstract:
                "Small-signal impedance spectrum of the dense cathode half-cell (Model A or B linearised at rest), read with an equivalent circuit.",
            discussion: """
                The cell is linearised about a rested, uniform state (--state-of-charge, or --stoichiometry θ̄) and solved in the \
                frequency domain: charge transfer on the contacting area in parallel with a double layer, solid diffusion on the \
                models' finite volumes, the SE separator and the counter electrode's arc. The spectrum is read with the circuit \
                R_s + R_int‖CPE + W_o (+ R_CE‖CPE); R_int is the interfacial resistance of the paper's Fig. 3(f). \
                --model dense1d takes the cell names of `simulate dense1d` in --params/--set; --model dense2d the names of \
                `simulate dense2d`, --microstructure/--mask, and the impedance and mechanical names (e.g. rateTest=1 runs the \
                rate test with stress-driven delamination, adhesionStrengthMPa=75). Writes spectrum.csv (frequency [Hz], Z′, Z″, \
                |Z| [Ω cm²], phase [°]), circuit.json (fitted elements in Ω cm², F cm⁻² s^(n−1), s), kramers-kronig.csv, \
                metadata.json and nyquist/bode figures (PDF, SVG, PNG) to --out, or the spectrum CSV to stdout. A rate test \
                writes spectrum_<k>.csv per stage (0 = pristine) and stages.csv. Exit code 2 for bad input (frequencies not \
                positive or reversed, a state of charge outside the open-circuit potential's range), 1 when the circuit fit \
                does not converge; nothing is written then.
                """)

        @Option(name: .long, help: "dense1d (Model A) or dense2d (Model B).") var model: String = "dense1d"
        @Option(name: .long, help: "Base cell set (paperHalfCell, idealCell, paperCalibrated, idealCellCalibrated).")
        var base: String?
        @Option(name: .long, help: "JSON parameter file (the model's names and \"base\").") var params: String?
        @Option(name: .long, help: "Any model parameter as name=value (repeatable).") var set: [String] = []
        @Option(name: .long, help: "Microstructure JSON (dense2d).") var microstructure: String?
        @Option(name: .long, help: "Mask image, PGM or PNG (dense2d).") var mask: String?
        @Option(
            name: .long,
            help: "State of charge s of the rested cell, 0–1 (θ̄ = θ₀ + (1 − s)·Q_rated/Q_theoretical; default 0.5).")
        var stateOfCharge: Double?
        @Option(name: .long, help: "Rest stoichiometry θ̄ instead of --state-of-charge (dense1d).") var stoichiometry:
            Double?
        @Option(name: .long, help: "Lowest frequency [Hz].") var minimumFrequencyHz: Double = 1e-3
        @Option(name: .long, help: "Highest frequency [Hz].") var maximumFrequencyHz: Double = 1e6
        @Option(name: .long, help: "Number of frequencies (log-spaced), 2–100000.") var frequencyCount: Double = 60
        @Option(
            name: .long,
            help: "Cathode/SE double-layer capacitance per true contact area [µF cm⁻²] (Irvine1990: 0.1–10; default 5)."
        ) var doubleLayerCapacitanceMicrofaradPerCm2: Double = 5
        @Option(name: .long, help: "Counter electrode interface capacitance [µF cm⁻²] (default 10).")
        var counterElectrodeCapacitanceMicrofaradPerCm2: Double = 10
        @Flag(name: .long, help: "Fit without the counter electrode's arc.") var noCounterElectrodeArc = false
        @Option(
            name: .long,
            help:
                "Output folder: new, empty, or written by CathodeLab before. Without it, the spectrum CSV goes to stdout."
        ) var out: String?

        func run() throws {
            guard ["dense1d", "dense2d"].contains(model) else {
                throw UsageError("--model must be dense1d or dense2d (got '\(model)')")
            }
            if stoichiometry != nil && stateOfCharge != nil {
                throw ModelInputError.conflict(
                    first: "--stoichiometry", second: "--state-of-charge", reason: "both set the rested state; give one"
                )
            }
            if model == "dense2d" && stoichiometry != nil {
                throw UsageError("--stoichiometry is for dense1d; use --state-of-charge with dense2d")
            }
            if model == "dense1d" && (microstructure != nil || mask != nil) {
                throw UsageError("--microstructure and --mask need --model dense2d")
            }
            let folder = try SimulateSupport.outputFolder(out)
            let count = try ParameterSpec<ImpedanceSpec>.wholeNumber("frequencyCount", frequencyCount, 2...100_000)
            let sweep = FrequencySweep(minimumHz: minimumFrequencyHz, maximumHz: maximumFrequencyHz, count: count)
            try sweep.validate()
            let capacitances = InterfaceCapacitances(
                cathodeDoubleLayer: doubleLayerCapacitanceMicrofaradPerCm2 * 1e-2,
                counterElectrode: counterElectrodeCapacitanceMicrofaradPerCm2 * 1e-2)
            try capacitances.validate()
            let stages: [(label: String, stage: ImpedanceStage)]
            let parameters: [(name: String, value: String, unit: String)]
            let baseName: String
            var theta: Double
            if model == "dense1d" {
                let file =
                    try params.map { try ParameterFile.read(path: $0, schema: Dense1DParameterRegistry.schema) }
                    ?? ParameterFile()
                var numbers = file.numbers
                for (name, value) in try SimulateSupport.numbers(fromSet: set) {
                    guard Dense1DParameterRegistry.schema.kinds[name] != nil else {
                        throw Dense1DParameterRegistry.schema.unknown(name)
                    }
                    numbers[name] = value
                }
                let (setup, set) = try Dense1DParameterRegistry.setup(
                    base: base ?? file.base ?? "paperHalfCell", numbers: numbers, settings: file.settings)
                baseName = set.name
                theta =
                    try stoichiometry ?? RestState.stoichiometry(stateOfCharge: stateOfCharge ?? 0.5, cell: setup.cell)
                let impedance = Dense1DImpedance(
                    cell: setup.cell, numerics: setup.numerics, stoichiometry: theta, capacitances: capacitances)
                let spectrum = try impedance.spectrum(sweep)
                let fit = try CircuitFitter.fit(spectrum, counterElectrodeArc: !noCounterElectrodeArc)
                stages = [
                    (
                        "",
                        ImpedanceStage(
                            cRate: 0, contact: [], contactFraction: setup.cell.contactFraction, spectrum: spectrum,
                            fit: fit,
                            chargeTransferResistance: impedance.parts.chargeTransfer, peakNormalStress: [], capacity: 0)
                    )
                ]
                parameters = Dense1DParameterRegistry.describe(setup)
            } else {
                let schema = ImpedanceParameterRegistry.schema
                let file = try params.map { try ParameterFile.read(path: $0, schema: schema) } ?? ParameterFile()
                var numbers = file.numbers
                for (name, value) in try SimulateSupport.numbers(fromSet: set) {
                    guard schema.kinds[name] != nil else { throw schema.unknown(name) }
                    numbers[name] = value
                }
                numbers["stateOfCharge"] = stateOfCharge ?? numbers["stateOfCharge"] ?? 0.5
                numbers["minimumFrequencyHz"] = minimumFrequencyHz
                numbers["maximumFrequencyHz"] = maximumFrequencyHz
                numbers["frequencyCount"] = Double(count)
                numbers["doubleLayerCapacitanceMicrofaradPerCm2"] = doubleLayerCapacitanceMicrofaradPerCm2
                numbers["counterElectrodeCapacitanceMicrofaradPerCm2"] = counterElectrodeCapacitanceMicrofaradPerCm2
                numbers["fitCounterElectrodeArc"] = noCounterElectrodeArc ? 0 : 1
                baseName = base ?? file.base ?? "paperHalfCell"
                let spec = try ImpedanceParameterRegistry.spec(base: baseName, numbers: numbers)
                let setup = try spec.section.diffusion.setup()
                let given = try SimulateSupport.microstructure(
                    file: microstructure, mask: mask, numbers: numbers, cellThickness: setup.cell.thickness,
                    width: spec.section.diffusion.widthMicrometres * 1e-6,
                    angleDegrees: spec.section.diffusion.grainAngleDegrees)
                let result = try ImpedanceRunner.run(spec, microstructure: given)
                theta = result.stoichiometry
                stages = result.stages.enumerated().map { index, stage in
                    (index == 0 ? "pristine" : String(format: "after %gC", stage.cRate), stage)
                }
                parameters = ImpedanceParameterRegistry.describe(spec)
            }
            for (_, stage) in stages {
                try SimulateSupport.requireFinite(curve: [
                    ("Z′ [Ω cm²]", stage.spectrum.real), ("Z″ [Ω cm²]", stage.spectrum.imaginary),
                ])
            }
            let tables = stages.map { Self.spectrumTable($0.stage.spectrum) }
            guard let folder else {
                print(tables.last!.text, terminator: "")
                return
            }
            let kramersKronig = try stages.map { try KramersKronig.test($0.stage.spectrum) }
            try write(
                stages: stages, tables: tables, kramersKronig: kramersKronig, parameters: parameters, base: baseName,
                theta: theta, to: folder)
        }

        static func spectrumTable(_ spectrum: ImpedanceSpectrum) -> CSVTable {
            let scale = ImpedanceSpectrum.ohmSquareMetresToOhmSquareCentimetres
            return CSVTable([
                ("frequency [Hz]", spectrum.frequencies), ("Z' [Ohm cm2]", spectrum.real.map { $0 * scale }),
                ("Z'' [Ohm cm2]", spectrum.imaginary.map { $0 * scale }),
                ("|Z| [Ohm cm2]", spectrum.magnitude.map { $0 * scale }),
                ("phase [deg]", spectrum.phaseDegrees),
            ])
        }

        /// The fitted circuit in the units of experimental papers (Ω cm², F cm⁻² s^(n−1), s), plus the fit quality.
        static func circuitRecord(_ stage: ImpedanceStage, label: String) -> [String: Double] {
            let c = stage.fit.circuit
            let scale = ImpedanceSpectrum.ohmSquareMetresToOhmSquareCentimetres
            var record: [String: Double] = [
                "seriesResistanceOhmCm2": c.seriesResistance * scale,
                "interfaceResistanceOhmCm2": c.interfaceResistance * scale,
                "interfaceQFaradPerCm2SecondsPowerNMinus1": c.interfaceQ / scale,
                "interfaceExponent": c.interfaceExponent,
                "interfaceCapacitanceFaradPerCm2": c.interfaceCapacitance / scale,
                "warburgResistanceOhmCm2": c.warburgResistance * scale, "warburgTimeSeconds": c.warburgTime,
                "modelChargeTransferResistanceOhmCm2": stage.chargeTransferResistance * scale,
                "relativeResidualRms": stage.fit.relativeResidual,
                "relativeResidualMax": stage.fit.maximumRelativeResidual,
                "contactFraction": stage.contactFraction, "cRateBefore": stage.cRate,
                "dischargeCapacityMilliampHoursPerGram": stage.capacity,
            ]
            if let r = c.counterResistance, let q = c.counterQ, let n = c.counterExponent {
                record["counterResistanceOhmCm2"] = r * scale
                record["counterQFaradPerCm2SecondsPowerNMinus1"] = q / scale
                record["counterExponent"] = n
            }
            return record
        }

        func write(
            stages: [(label: String, stage: ImpedanceStage)], tables: [CSVTable], kramersKronig: [KramersKronig.Result],
            parameters: [(name: String, value: String, unit: String)], base: String, theta: Double, to folder: URL
        ) throws {
            let colors = Color.okabeIto
            let curves = stages.enumerated().map { index, item in
                ImpedanceFigures.Curve(
                    label: item.label.isEmpty ? "computed" : item.label, spectrum: item.stage.spectrum,
                    fit: item.stage.fit.circuit, color: colors[index % colors.count])
            }
            let nyquist = Figure(width: .singleColumn, height: .cm(7)) { ImpedanceFigures.nyquist(curves) }
            let bode = Figure(width: .doubleColumn, height: .cm(6.5), columns: 2, panels: ImpedanceFigures.bode(curves))
            let circuits = stages.map { Self.circuitRecord($0.stage, label: $0.label) }
            let metadata = Studies.ModelMetadata(
                model: "impedance, \(model) (small-signal, linearised at rest; docs/impedance.md)",
                baseParameterSet: base,
                parameters: parameters.map { .init(name: $0.name, value: $0.value, unit: $0.unit) },
                results: [
                    "rest stoichiometry [-]": theta,
                    "interface resistance [Ohm cm2]": circuits.last!["interfaceResistanceOhmCm2"]!,
                    "series resistance [Ohm cm2]": circuits.last!["seriesResistanceOhmCm2"]!,
                    "largest Kramers-Kronig residual [-]": kramersKronig.map(\.maximumResidual).max()!,
                ],
                termination: "spectrum", citations: [])
            try SimulateSupport.requireFinite(metadata.results)
            let renderer = CairoRenderer()
            try OutputFolder.replace(folder, kind: "simulation") { dir in
                for (index, table) in tables.enumerated() {
                    let name = stages.count == 1 ? "spectrum.csv" : "spectrum_\(index).csv"
                    try Data(table.text.utf8).write(to: dir.appendingPathComponent(name))
                }
                if stages.count > 1 {
                    let rows = stages.map { item -> [Double] in
                        let peaks = item.stage.peakNormalStress.filter { !$0.isNaN }
                        return [
                            item.stage.cRate, item.stage.contactFraction, item.stage.capacity,
                            item.stage.fit.circuit.interfaceResistance * 1e4,
                            item.stage.chargeTransferResistance * 1e4, (peaks.max() ?? .nan) / 1e6,
                            (peaks.min() ?? .nan) / 1e6,
                        ]
                    }
                    try Data(
                        CSVTable(
                            columns: [
                                "C-rate before [h-1]", "contact fraction [-]", "discharge capacity [mAh g-1]",
                                "R_int fitted [Ohm cm2]", "R_ct model [Ohm cm2]",
                                "largest interface normal stress [MPa]", "smallest interface normal stress [MPa]",
                            ], rows: rows
                        ).text.utf8
                    )
                    .write(to: dir.appendingPathComponent("stages.csv"))
                }
                var kkRows: [[Double]] = []
                for (index, test) in kramersKronig.enumerated() {
                    for k in test.realResiduals.indices {
                        kkRows.append([
                            Double(index), stages[index].stage.spectrum.frequencies[k], test.realResiduals[k],
                            test.imaginaryResiduals[k],
                        ])
                    }
                }
                try Data(
                    CSVTable(
                        columns: [
                            "stage", "frequency [Hz]", "real residual / |Z| [-]", "imaginary residual / |Z| [-]",
                        ], rows: kkRows
                    ).text.utf8
                )
                .write(to: dir.appendingPathComponent("kramers-kronig.csv"))
                try StableJSON.encode(
                    circuits.count == 1
                        ? ["circuit": circuits[0]]
                        : Dictionary(uniqueKeysWithValues: circuits.enumerated().map { ("stage\($0)", $1) })
                )
                .write(to: dir.appendingPathComponent("circuit.json"))
                try StableJSON.encode(metadata).write(to: dir.appendingPathComponent("metadata.json"))
                _ = try renderer.write(nyquist, to: dir.appendingPathComponent("nyquist"))
                _ = try renderer.write(bode, to: dir.appendingPathComponent("bode"))
            }
            FileHandle.standardError.write(
                Data(
                    String(
                        format: "R_int %.4g Ohm cm2 (circuit fit, rms residual %.2g %%), results in %@\n",
                        circuits.last!["interfaceResistanceOhmCm2"]!, stages.last!.stage.fit.relativeResidual * 100,
                        folder.path
                    ).utf8))
        }
    }
}
