import ArgumentParser
import CathodeModels
import Foundation
import Materials
import ResultStore
import Studies

extension CathodeLab {
    /// `cathodelab simulate <model>`: one run from the command line.
    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run one simulation and write its curves and metadata.",
            subcommands: [Dense1D.self, Dense2D.self, Stress.self, Composite.self])
    }

    /// `cathodelab params [NAME]`: list the parameter sets, or print one with values, units and sources.
    struct Params: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List parameter sets, or print one with values, units and sources.")

        @Argument(help: "A parameter set name (omit to list them).")
        var name: String?

        func run() throws {
            guard let name else {
                print("Parameter sets (model dense1d):")
                for s in Dense1DParameterSet.all { print("  \(s.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(s.summary)") }
                print("\nParameter names accepted in --params files and as options: cathodelab simulate dense1d --help")
                return
            }
            let set: Dense1DParameterSet
            do { set = try Dense1DParameterSet.named(name) } catch { throw CLIError("\(error)") }
            print("\(set.name): \(set.summary)\n")
            let rows = Dense1DParameterRegistry.describe(Dense1DSetup(cell: set.cell))
            let nameWidth = rows.map(\.name.count).max() ?? 10
            let valueWidth = min(rows.map(\.value.count).max() ?? 10, 40)
            print("\("parameter".padding(toLength: nameWidth, withPad: " ", startingAt: 0))  \("value".padding(toLength: valueWidth, withPad: " ", startingAt: 0))  unit          source")
            for r in rows {
                let src = set.sources[r.name].map { "[\($0.provenance.rawValue)] \($0.citationKey)\($0.note.isEmpty ? "" : ": \($0.note)")" } ?? "solver/protocol default"
                print("\(r.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0))  \(r.value.padding(toLength: valueWidth, withPad: " ", startingAt: 0))  \(r.unit.padding(toLength: 12, withPad: " ", startingAt: 0))  \(src)")
            }
            print("\nLabels: " + Provenance.allCases.map { "[\($0.rawValue)] \($0.meaning)" }.joined(separator: "; "))
            print("\nReferences:")
            for c in set.citations { print("  [\(c.key)] \(c.formatted)") }
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
        @Option(name: .long, help: "Output folder (written atomically). Without it, the curve CSV goes to stdout.") var out: String?
        @Option(name: .long, help: "What to print to stdout when --out is absent: curve, profiles or metadata.") var stdout: String = "curve"

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
        @Option(help: help("contactFraction")) var contactFraction: Double?
        @Option(help: help("electronicConductivityInsulatingSPerM")) var electronicConductivityInsulatingSPerM: Double?
        @Option(help: help("electronicConductivityMetallicSPerM")) var electronicConductivityMetallicSPerM: Double?
        @Option(help: help("electronicTransitionStoichiometry")) var electronicTransitionStoichiometry: Double?
        @Option(help: help("electronicTransitionWidth")) var electronicTransitionWidth: Double?
        @Option(help: help("separatorThicknessMicrometres")) var separatorThicknessMicrometres: Double?
        @Option(help: help("separatorConductivitySPerM")) var separatorConductivitySPerM: Double?
        @Option(help: help("counterElectrodePotentialV")) var counterElectrodePotentialV: Double?
        @Option(help: help("counterElectrodeResistanceOhmCm2")) var counterElectrodeResistanceOhmCm2: Double?
        @Option(help: help("counterElectrodeExchangeCurrentDensityAPerM2")) var counterElectrodeExchangeCurrentDensityAPerM2: Double?
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
        @Option(help: "Diffusivity law: constant or thermodynamicFactor.") var diffusivityModel: String?
        @Flag(inversion: .prefixedNo, help: "Include the electronic potential drop in the cathode.") var electronicConduction: Bool?
        @Flag(help: "Hold the cut-off voltage after the constant-current phase until |I| < cvEndCRate.") var constantVoltageHold = false
        @Option(help: "Times for concentration profiles, comma-separated [s].") var profileTimesSeconds: String?

        var numericOverrides: [String: Double] {
            let pairs: [(String, Double?)] = [
                ("thicknessMicrometres", thicknessMicrometres), ("porosity", porosity), ("activeDensityKgPerM3", activeDensityKgPerM3),
                ("maxConcentrationMolPerM3", maxConcentrationMolPerM3), ("ratedCapacityMilliampHoursPerGram", ratedCapacityMilliampHoursPerGram),
                ("diffusivityCm2PerS", diffusivityCm2PerS), ("diffusivityReferenceStoichiometry", diffusivityReferenceStoichiometry),
                ("exchangeCurrentDensityAPerM2", exchangeCurrentDensityAPerM2), ("anodicTransferCoefficient", anodicTransferCoefficient), ("roughnessFactor", roughnessFactor), ("contactFraction", contactFraction),
                ("electronicConductivityInsulatingSPerM", electronicConductivityInsulatingSPerM), ("electronicConductivityMetallicSPerM", electronicConductivityMetallicSPerM),
                ("electronicTransitionStoichiometry", electronicTransitionStoichiometry), ("electronicTransitionWidth", electronicTransitionWidth),
                ("separatorThicknessMicrometres", separatorThicknessMicrometres), ("separatorConductivitySPerM", separatorConductivitySPerM),
                ("counterElectrodePotentialV", counterElectrodePotentialV), ("counterElectrodeResistanceOhmCm2", counterElectrodeResistanceOhmCm2),
                ("counterElectrodeExchangeCurrentDensityAPerM2", counterElectrodeExchangeCurrentDensityAPerM2), ("temperatureK", temperatureK),
                ("initialStoichiometry", initialStoichiometry), ("lowerCutoffVsLiV", lowerCutoffVsLiV), ("upperCutoffVsLiV", upperCutoffVsLiV),
                ("cRate", cRate), ("currentDensityMilliampsPerCm2", currentDensityMilliampsPerCm2), ("cvEndCRate", cvEndCRate), ("cells", cells),
                ("gradingRatio", gradingRatio), ("absoluteTolerance", absoluteTolerance), ("relativeTolerance", relativeTolerance),
                ("maxStepFraction", maxStepFraction), ("cutoffToleranceV", cutoffToleranceV),
            ]
            var d: [String: Double] = [:]
            for (k, v) in pairs { if let v { d[k] = v } }
            return d
        }

        func run() throws {
            guard ["curve", "profiles", "metadata"].contains(stdout) else { throw ValidationError("--stdout must be curve, profiles or metadata (got '\(stdout)')") }
            var text: [String: Any] = [:]
            if let counterElectrode { text["counterElectrode"] = counterElectrode }
            if let mode { text["mode"] = mode }
            if let diffusivityModel { text["diffusivityModel"] = diffusivityModel }
            if let electronicConduction { text["electronicConduction"] = electronicConduction }
            if constantVoltageHold { text["constantVoltageHold"] = true }
            if let profileTimesSeconds {
                let parts = profileTimesSeconds.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
                guard parts.allSatisfy({ $0 != nil }) else { throw CLIError("parameter 'profileTimesSeconds': '\(profileTimesSeconds)' is not a comma-separated list of numbers [s]") }
                text["profileTimesSeconds"] = parts.map { $0! }
            }
            let setup: Dense1DSetup, base: Dense1DParameterSet
            do {
                if let params {
                    (setup, base) = try Dense1DParameterRegistry.setup(jsonFile: params, base: self.base, numbers: numericOverrides, text: text)
                } else {
                    (setup, base) = try Dense1DParameterRegistry.setup(base: self.base ?? "paperHalfCell", numbers: numericOverrides, text: text)
                }
            } catch let e as ModelInputError { throw CLIError(e.description) }
            let result: Dense1DResult
            do { result = try Dense1DModel(setup).run() } catch { throw CLIError("simulation failed: \(error)") }
            if let out {
                try Dense1DExport.write(setup, base: base, result: result, to: URL(fileURLWithPath: out))
                FileHandle.standardError.write(Data(String(format: "capacity %.2f mAh g-1 (%@), results in %@\n", result.capacity, result.termination.rawValue, out).utf8))
            } else {
                switch stdout {
                case "profiles": print(Dense1DExport.profiles(result).text, terminator: "")
                case "metadata": FileHandle.standardOutput.write(try StableJSON.encode(Dense1DExport.metadata(setup, base: base, result: result)))
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
            abstract: "Fit the composite model's transport parameters to the paper's composite results (Levenberg–Marquardt).",
            discussion: "Prints the fitted values, the residual table and a JSON record to paste into the calibrated parameter set.")

        @Argument(help: "What to fit: composite (percolation law) or composite-archie.") var what: String = "composite"
        @Option(help: "Maximum Levenberg–Marquardt iterations.") var maxIterations: Int = 30

        func run() throws {
            guard ["composite", "composite-archie"].contains(what) else { throw ValidationError("'\(what)' cannot be fitted (known: composite, composite-archie)") }
            let t0 = Date()
            let report = try (what == "composite" ? CompositeCalibration.fit : CompositeCalibration.archieFit).run(maxIterations: maxIterations)
            print(String(format: "fit finished in %.1f s: cost %.4g after %d iterations, %d evaluations", Date().timeIntervalSince(t0), report.cost, report.iterations, report.evaluations))
            for (k, v) in report.fitted.sorted(by: { $0.key < $1.key }) { print("  \(k) = \(v)") }
            for r in report.rows { print(String(format: "  %-16@ published %6.1f ± %4.1f  computed %6.1f  residual %+.2fσ  (%@)", r.target, r.published, r.sigma, r.computed, r.normalisedResidual, r.source)) }
            FileHandle.standardOutput.write(try StableJSON.encode(report))
        }
    }
}
