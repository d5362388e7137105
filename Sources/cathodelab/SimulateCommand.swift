import ArgumentParser
import CathodeModels
import Foundation
import Materials
import ModelIO
import ResultStore
import Studies

extension CathodeLab {
    /// `cathodelab simulate <model>`: one run from the command line.
    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run one simulation and write its curves and metadata.",
            subcommands: [Dense1D.self, Dense2D.self, Stress.self, Composite.self, Impedance.self, Cycling.self])
    }

    /// `cathodelab params [NAME]`: list the parameter sets of every model, or print one with values, units and sources.
    struct Params: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the parameter sets of every model, or print one with values, units and sources.",
            discussion: """
                dense1d sets (paperHalfCell, idealCell) are also the cell sets of the 2D and stress models; `--model dense2d` or \
                `--model stress` prints such a set as those models use it (their own defaults added).
                """)

        @Argument(help: "A parameter set name (omit to list them).")
        var name: String?

        @Option(
            help:
                "Print the set as this model uses it: dense1d, composite, dense2d, stress or impedance (default: the model the set belongs to)."
        )
        var model: String?

        func run() throws {
            guard let name else {
                print("Parameter sets:")
                for set in Dense1DParameterSet.all {
                    print(
                        "  \(set.name.padding(toLength: 20, withPad: " ", startingAt: 0)) dense1d, dense2d, stress  \(set.summary)"
                    )
                }
                for set in CompositeParameterSet.all {
                    print(
                        "  \(set.name.padding(toLength: 20, withPad: " ", startingAt: 0)) composite                \(set.summary)"
                    )
                }
                print("\nParameter names accepted in --params files and as options: cathodelab simulate <model> --help")
                return
            }
            if let model, !["dense1d", "composite", "dense2d", "stress", "impedance"].contains(model) {
                throw UsageError("--model '\(model)' is not one of dense1d, composite, dense2d, stress, impedance")
            }
            let composite = CompositeParameterSet.all.first { $0.name.lowercased() == name.lowercased() }
            if let composite {
                guard model == nil || model == "composite" else {
                    throw UsageError("'\(composite.name)' is a composite set; it cannot be printed as \(model!)")
                }
                let (setup, _) = try CompositeParameterRegistry.setup(base: composite.name, numbers: [:])
                print("\(composite.name) (composite): \(composite.summary)\n")
                printRows(CompositeParameterRegistry.describe(setup)) { row in
                    row.name.hasPrefix("derived:")
                        ? "derived from the composition (physics.md §5.1)" : composite.sources[row.name].map(Self.label)
                }
                printReferences(composite.citations)
                return
            }
            let set: Dense1DParameterSet
            do {
                set = try Dense1DParameterSet.named(name)
            } catch {
                let known = (Dense1DParameterSet.all.map(\.name) + CompositeParameterSet.all.map(\.name)).joined(
                    separator: ", ")
                throw UsageError("unknown parameter set '\(name)' (known: \(known))")
            }
            let rows: [(name: String, value: String, unit: String)]
            switch model ?? "dense1d" {
            case "dense1d": rows = Dense1DParameterRegistry.describe(Dense1DSetup(cell: set.cell))
            case "dense2d":
                rows = Dense2DParameterRegistry.describe(
                    try Dense2DParameterRegistry.spec(base: set.name, numbers: [:]))
            case "stress":
                rows = ChemoMechanicalParameterRegistry.describe(
                    try ChemoMechanicalParameterRegistry.spec(base: set.name, numbers: [:]))
            case "impedance":
                rows = ImpedanceParameterRegistry.describe(
                    try ImpedanceParameterRegistry.spec(base: set.name, numbers: [:]))
            default:
                throw UsageError(
                    "'\(set.name)' is a dense-cathode cell set; use --model dense1d, dense2d, stress or impedance")
            }
            print("\(set.name) (\(model ?? "dense1d")): \(set.summary)\n")
            printRows(rows) { row in
                set.sources[row.name].map(Self.label) ?? ChemoMechanicalParameterRegistry.sources[row.name]
                    ?? ImpedanceParameterRegistry.sources[row.name]
            }
            printReferences(set.citations)
        }

        static func label(_ source: ParameterSource) -> String {
            "[\(source.provenance.rawValue)] \(source.citationKey)\(source.note.isEmpty ? "" : ": \(source.note)")"
        }

        func printRows(
            _ rows: [(name: String, value: String, unit: String)],
            source: ((name: String, value: String, unit: String)) -> String?
        ) {
            let nameWidth = rows.map(\.name.count).max() ?? 10
            let valueWidth = min(rows.map(\.value.count).max() ?? 10, 40)
            print(
                "\("parameter".padding(toLength: nameWidth, withPad: " ", startingAt: 0))  \("value".padding(toLength: valueWidth, withPad: " ", startingAt: 0))  unit          source"
            )
            for row in rows {
                let text = source(row) ?? "model or solver default"
                print(
                    "\(row.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0))  \(row.value.padding(toLength: valueWidth, withPad: " ", startingAt: 0))  \(row.unit.padding(toLength: 12, withPad: " ", startingAt: 0))  \(text)"
                )
            }
            print("\nLabels: " + Provenance.allCases.map { "[\($0.rawValue)] \($0.meaning)" }.joined(separator: "; "))
        }

        func printReferences(_ citations: [Citation]) {
            print("\nReferences:")
            for citation in citations { print("  [\(citation.key)] \(citation.formatted)") }
        }
    }
}

private func help(_ name: String) -> ArgumentHelp {
    let s = Dense1DParameterRegistry.spec(named: name)!
    return ArgumentHelp("\(s.help) [\(s.unit)]")
}

extension CathodeLab.Simulate {
    /// Model A: the 1D dense cathode. Every option overrides the base set (or the --params file).
    struct Dense1D: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dense1d",
            abstract: "Galvanostatic discharge/charge of the 1D dense LiCoO2 cathode (Model A).",
            discussion: """
                Writes discharge.csv (curve), profiles.csv (c/c_max vs x/L) and metadata.json (every parameter \
                used, with units; capacity, energy, mean voltage) to --out, or the curve CSV to stdout. A --params \
                JSON file sets any parameter by the option names below in camelCase (e.g. "thicknessMicrometres"), \
                plus "base", "counterElectrode" (LiIn|LiMetal), "mode", "diffusivityModel", "electronicConduction", \
                "constantVoltageHold", "ocp", "ocpTable" {"stoichiometry": [...], "voltage": [...]} and \
                "profileTimesSeconds". Options given on the command line override the file.
                """)

        @Option(name: .long, help: "Base parameter set (paperHalfCell, idealCell).") var base: String?
        @Option(name: .long, help: "JSON parameter file overriding the base set.") var params: String?
        @Option(
            name: .long,
            help:
                "Output folder: new, empty, or written by CathodeLab before (replaced as a whole, never half-written). Without it, the curve CSV goes to stdout."
        ) var out: String?
        @Option(name: .long, help: "What to print to stdout when --out is absent: curve, profiles or metadata.")
        var stdout: String = "curve"

        @Option(help: help("thicknessMicrometres")) var thicknessMicrometres: Double?
        @Option(help: help("porosity")) var porosity: Double?
        @Option(help: help("activeDensityKgPerM3")) var activeDensityKgPerM3: Double?
        @Option(help: help("maxConcentrationMolPerM3")) var maxConcentrationMolPerM3: Double?
        @Option(help: help("ratedCapacityMilliampHoursPerGram")) var ratedCapacityMilliampHoursPerGram: Double?
        @Option(help: help("diffusivityCm2PerS")) var diffusivityCm2PerS: Double?
        @Option(help: help("diffusivityReferenceStoichiometry")) var diffusivityReferenceStoichiometry: Double?
        @Option(help: help("exchangeCurrentDensityAPerM2")) var exchangeCurrentDensityAPerM2: Double?
        @Option(help: help("anodicTransferCoefficient")) var anodicTransferCoefficient: Double?
        @Option(help: help("roughnessFactor")) var roughnessFactor: Double?
        @Option(help: help("roughnessRmsMicrometres")) var roughnessRmsMicrometres: Double?
        @Option(help: help("roughnessCorrelationMicrometres")) var roughnessCorrelationMicrometres: Double?
        @Option(help: help("contactFraction")) var contactFraction: Double?
        @Option(help: help("electronicConductivityInsulatingSPerM")) var electronicConductivityInsulatingSPerM: Double?
        @Option(help: help("electronicConductivityMetallicSPerM")) var electronicConductivityMetallicSPerM: Double?
        @Option(help: help("electronicTransitionStoichiometry")) var electronicTransitionStoichiometry: Double?
        @Option(help: help("electronicTransitionWidth")) var electronicTransitionWidth: Double?
        @Option(help: help("separatorThicknessMicrometres")) var separatorThicknessMicrometres: Double?
        @Option(help: help("separatorConductivitySPerM")) var separatorConductivitySPerM: Double?
        @Option(help: help("counterElectrodePotentialV")) var counterElectrodePotentialV: Double?
        @Option(help: help("counterElectrodeResistanceOhmCm2")) var counterElectrodeResistanceOhmCm2: Double?
        @Option(help: help("counterElectrodeExchangeCurrentDensityAPerM2"))
        var counterElectrodeExchangeCurrentDensityAPerM2: Double?
        @Option(help: help("temperatureK")) var temperatureK: Double?
        @Option(help: help("initialStoichiometry")) var initialStoichiometry: Double?
        @Option(help: help("lowerCutoffVsLiV")) var lowerCutoffVsLiV: Double?
        @Option(help: help("upperCutoffVsLiV")) var upperCutoffVsLiV: Double?
        @Option(help: help("cRate")) var cRate: Double?
        @Option(help: help("currentDensityMilliampsPerCm2")) var currentDensityMilliampsPerCm2: Double?
        @Option(help: help("cvEndCRate")) var cvEndCRate: Double?
        @Option(help: help("cells")) var cells: Double?
        @Option(help: help("gradingRatio")) var gradingRatio: Double?
        @Option(help: help("absoluteTolerance")) var absoluteTolerance: Double?
        @Option(help: help("relativeTolerance")) var relativeTolerance: Double?
        @Option(help: help("maxStepFraction")) var maxStepFraction: Double?
        @Option(help: help("cutoffToleranceV")) var cutoffToleranceV: Double?
        @Option(help: "Counter electrode: LiIn or LiMetal.") var counterElectrode: String?
        @Option(help: "discharge or charge.") var mode: String?
        @Option(help: "Diffusivity law: constant, thermodynamicFactor or measuredPITT.") var diffusivityModel: String?
        @Flag(inversion: .prefixedNo, help: "Include the electronic potential drop in the cathode.")
        var electronicConduction: Bool?
        @Flag(help: "Hold the cut-off voltage after the constant-current phase until |I| < cvEndCRate.")
        var constantVoltageHold = false
        @Option(help: "Times for concentration profiles, comma-separated [s].") var profileTimesSeconds: String?

        var numericOverrides: [String: Double] {
            let pairs: [(String, Double?)] = [
                ("thicknessMicrometres", thicknessMicrometres), ("porosity", porosity),
                ("activeDensityKgPerM3", activeDensityKgPerM3),
                ("maxConcentrationMolPerM3", maxConcentrationMolPerM3),
                ("ratedCapacityMilliampHoursPerGram", ratedCapacityMilliampHoursPerGram),
                ("diffusivityCm2PerS", diffusivityCm2PerS),
                ("diffusivityReferenceStoichiometry", diffusivityReferenceStoichiometry),
                ("exchangeCurrentDensityAPerM2", exchangeCurrentDensityAPerM2),
                ("anodicTransferCoefficient", anodicTransferCoefficient), ("roughnessFactor", roughnessFactor),
                ("roughnessRmsMicrometres", roughnessRmsMicrometres),
                ("roughnessCorrelationMicrometres", roughnessCorrelationMicrometres),
                ("contactFraction", contactFraction),
                ("electronicConductivityInsulatingSPerM", electronicConductivityInsulatingSPerM),
                ("electronicConductivityMetallicSPerM", electronicConductivityMetallicSPerM),
                ("electronicTransitionStoichiometry", electronicTransitionStoichiometry),
                ("electronicTransitionWidth", electronicTransitionWidth),
                ("separatorThicknessMicrometres", separatorThicknessMicrometres),
                ("separatorConductivitySPerM", separatorConductivitySPerM),
                ("counterElectrodePotentialV", counterElectrodePotentialV),
                ("counterElectrodeResistanceOhmCm2", counterElectrodeResistanceOhmCm2),
                ("counterElectrodeExchangeCurrentDensityAPerM2", counterElectrodeExchangeCurrentDensityAPerM2),
                ("temperatureK", temperatureK),
                ("initialStoichiometry", initialStoichiometry), ("lowerCutoffVsLiV", lowerCutoffVsLiV),
                ("upperCutoffVsLiV", upperCutoffVsLiV),
                ("cRate", cRate), ("currentDensityMilliampsPerCm2", currentDensityMilliampsPerCm2),
                ("cvEndCRate", cvEndCRate), ("cells", cells),
                ("gradingRatio", gradingRatio), ("absoluteTolerance", absoluteTolerance),
                ("relativeTolerance", relativeTolerance),
                ("maxStepFraction", maxStepFraction), ("cutoffToleranceV", cutoffToleranceV),
            ]
            var d: [String: Double] = [:]
            for (k, v) in pairs { if let v { d[k] = v } }
            return d
        }

        func run() throws {
            guard ["curve", "profiles", "metadata"].contains(stdout) else {
                throw UsageError("--stdout must be curve, profiles or metadata (got '\(stdout)')")
            }
            let folder = try SimulateSupport.outputFolder(out)
            var settings: [String: SettingValue] = [:]
            if let counterElectrode { settings["counterElectrode"] = .choice(counterElectrode) }
            if let mode { settings["mode"] = .choice(mode) }
            if let diffusivityModel { settings["diffusivityModel"] = .choice(diffusivityModel) }
            if let electronicConduction { settings["electronicConduction"] = .flag(electronicConduction) }
            if constantVoltageHold { settings["constantVoltageHold"] = .flag(true) }
            if let profileTimesSeconds {
                let parts = profileTimesSeconds.split(separator: ",").map {
                    Double($0.trimmingCharacters(in: .whitespaces))
                }
                guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else {
                    throw UsageError(
                        "--profile-times-seconds '\(profileTimesSeconds)' is not a comma-separated list of numbers [s]")
                }
                settings["profileTimesSeconds"] = .list(parts.map { $0! })
            }
            let file =
                try params.map { try ParameterFile.read(path: $0, schema: Dense1DParameterRegistry.schema) }
                ?? ParameterFile()
            let (setup, base) = try Dense1DParameterRegistry.setup(
                base: self.base ?? file.base ?? "paperHalfCell",
                numbers: file.numbers.merging(numericOverrides) { _, new in new },
                settings: file.settings.merging(settings) { _, new in new })
            let result: Dense1DResult
            do {
                result = try Dense1DModel(setup).run()
            } catch let error as ModelRunError {
                throw error
            } catch {
                throw CLIError("the dense1d run failed: \(error)")
            }
            if let failure = result.startFailure { throw ModelRunError.cannotStart(reason: failure) }
            let metadata = Dense1DExport.metadata(setup, base: base, result: result)
            try SimulateSupport.requireFinite(metadata.results)
            try SimulateSupport.requireFinite(curve: [
                ("time [s]", result.time), ("voltage [V]", result.voltage),
                ("capacity [mAh g-1]", result.capacityMilliampHoursPerGram),
            ])
            if let folder {
                try Dense1DExport.write(setup, base: base, result: result, to: folder)
                FileHandle.standardError.write(
                    Data(
                        String(
                            format: "capacity %.2f mAh g-1 (%@), results in %@\n", result.capacity,
                            result.termination.rawValue, folder.path
                        ).utf8))
            } else {
                switch stdout {
                case "profiles": print(Dense1DExport.profiles(result).text, terminator: "")
                case "metadata": FileHandle.standardOutput.write(try StableJSON.encode(metadata))
                default: print(Dense1DExport.curve(result).text, terminator: "")
                }
            }
        }
    }
}

extension CathodeLab {
    /// `cathodelab fit composite`: re-runs the composite calibration and prints the fitted values and residuals.
    struct Fit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Fit the composite model's transport parameters to the paper's composite results (Levenberg–Marquardt).",
            discussion: """
                Progress goes to stderr. Prints the fitted values with standard errors from the Jacobian, the residual table \
                and a JSON record (with --json: the JSON record alone on stdout). Exit code 1 when the fit stops on the \
                iteration limit (the values are then not a converged minimum).
                """)

        @Argument(help: "What to fit: composite (percolation law) or composite-archie.") var what: String = "composite"
        @Option(help: "Maximum Levenberg–Marquardt iterations, 1–1000.") var maxIterations: Int = 30
        @Flag(help: "Print only the JSON record on stdout.") var json = false

        func validate() throws {
            guard (1...1000).contains(maxIterations) else {
                throw ValidationError("--max-iterations \(maxIterations) is outside the allowed range 1–1000")
            }
            guard ["composite", "composite-archie"].contains(what) else {
                throw ValidationError("'\(what)' cannot be fitted (known: composite, composite-archie)")
            }
        }

        func run() throws {
            let start = Date()
            let fit = what == "composite" ? CompositeCalibration.fit : CompositeCalibration.archieFit
            FileHandle.standardError.write(
                Data(
                    "fitting \(fit.parameters.map(\.name).joined(separator: ", ")) to \(fit.targets.count) targets…\n"
                        .utf8))
            let report = try fit.run(maxIterations: maxIterations) { iteration, cost, values in
                let text = values.keys.sorted().map { String(format: "%@ = %.4g", $0, values[$0]!) }.joined(
                    separator: ", ")
                FileHandle.standardError.write(
                    Data(
                        String(
                            format: "  iteration %d: cost %.4g (%@), %.1f s\n", iteration, cost, text,
                            Date().timeIntervalSince(start)
                        ).utf8))
            }
            if !json {
                print(
                    String(
                        format: "fit %@ after %d iterations (%d evaluations, %.1f s): cost %.4g", report.stopReason,
                        report.iterations, report.evaluations,
                        Date().timeIntervalSince(start), report.cost))
                for name in report.fitted.keys.sorted() {
                    let bound = report.atBound.contains(name) ? "  (on a bound of its range)" : ""
                    print(
                        String(
                            format: "  %@ = %.6g ± %.2g%@", name, report.fitted[name]!,
                            report.standardErrors[name] ?? .nan, bound))
                }
                for row in report.rows {
                    print(
                        String(
                            format: "  %-16@ published %6.1f ± %4.1f  computed %6.1f  residual %+.2fσ  (%@)",
                            row.target, row.published, row.sigma, row.computed, row.normalisedResidual, row.source))
                }
            }
            FileHandle.standardOutput.write(try StableJSON.encode(report))
            if !report.converged {
                throw CLIError(
                    "the fit stopped on the iteration limit (\(maxIterations)) before converging; raise --max-iterations"
                )
            }
        }
    }
}
