import ArgumentParser
import CathodeModels
import Foundation
import ResultStore
import Studies

private func help2D(_ name: String) -> ArgumentHelp {
    if let s = Dense2DParameterRegistry.spec(named: name) { return ArgumentHelp("\(s.help) [\(s.unit)]") }
    let s = Dense1DParameterRegistry.spec(named: name)!
    return ArgumentHelp("\(s.help) [\(s.unit)]")
}

extension CathodeLab.Simulate {
    /// Model B: the 2D dense-cathode cross-section.
    struct Dense2D: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dense2d",
            abstract: "Galvanostatic discharge of a 2D dense-cathode cross-section (Model B): anisotropic grains, contact loss, roughness, holes.",
            discussion: """
            The microstructure is built from the options (grid, contact pattern, roughness, grains, seed), or read from \
            --microstructure FILE.json (as written to microstructure.json) or --mask IMAGE (PGM or PNG; dark = solid, \
            light = hole; top row = interface). Any 1D cell parameter can be set with --set name=value \
            (see `cathodelab simulate dense1d --help`). Writes discharge.csv, utilisation.csv (vs depth), interface.csv \
            (current density and θ_s along y), theta_end.csv and theta_end.npy (c/c_max, shape nx × ny, NaN in holes), \
            microstructure.json and metadata.json to --out, or the curve CSV to stdout.
            """)

        @Option(name: .long, help: "Base 1D cell set (paperHalfCell, idealCell).") var base: String = "paperHalfCell"
        @Option(name: .long, help: "JSON file of 2D and cell parameter names (numbers) overriding the defaults.") var params: String?
        @Option(name: .long, help: "Microstructure JSON (replaces the one built from the options).") var microstructure: String?
        @Option(name: .long, help: "Mask image (PGM or PNG) of the cross-section; the cell thickness and --width-micrometres set its size.") var mask: String?
        @Option(name: .long, help: "Any 1D cell parameter as name=value (repeatable).") var set: [String] = []
        @Option(name: .long, help: "Output folder (written atomically). Without it, the curve CSV goes to stdout.") var out: String?
        @Option(help: help2D("nx")) var nx: Double?
        @Option(help: help2D("ny")) var ny: Double?
        @Option(help: help2D("widthMicrometres")) var widthMicrometres: Double?
        @Option(help: help2D("contactFraction")) var contactFraction: Double?
        @Option(help: help2D("contactPeriodMicrometres")) var contactPeriodMicrometres: Double?
        @Option(help: help2D("randomContact")) var randomContact: Double?
        @Option(help: help2D("randomGapMicrometres")) var randomGapMicrometres: Double?
        @Option(help: help2D("roughnessRmsMicrometres")) var roughnessRmsMicrometres: Double?
        @Option(help: help2D("roughnessCorrelationMicrometres")) var roughnessCorrelationMicrometres: Double?
        @Option(help: help2D("anisotropyRatio")) var anisotropyRatio: Double?
        @Option(help: help2D("grainAngleDegrees")) var grainAngleDegrees: Double?
        @Option(help: help2D("grainCount")) var grainCount: Double?
        @Option(help: help2D("misorientedFraction")) var misorientedFraction: Double?
        @Option(help: help2D("randomOrientation")) var randomOrientation: Double?
        @Option(help: help2D("seed")) var seed: Double?
        @Option(help: help2D("cRate")) var cRate: Double?
        @Option(help: help2D("stepsPerNominal")) var stepsPerNominal: Double?
        @Option(help: help2D("diffusivityCm2PerS")) var diffusivityCm2PerS: Double?
        @Option(help: help2D("exchangeCurrentDensityAPerM2")) var exchangeCurrentDensityAPerM2: Double?
        @Option(help: help2D("anodicTransferCoefficient")) var anodicTransferCoefficient: Double?
        @Option(help: help2D("initialStoichiometry")) var initialStoichiometry: Double?
        @Option(help: help2D("lowerCutoffVsLiV")) var lowerCutoffVsLiV: Double?
        @Option(help: help2D("separatorThicknessMicrometres")) var separatorThicknessMicrometres: Double?
        @Option(help: help2D("separatorConductivitySPerM")) var separatorConductivitySPerM: Double?
        @Option(help: help2D("temperatureK")) var temperatureK: Double?
        @Option(help: help2D("counterElectrodeResistanceOhmCm2")) var counterElectrodeResistanceOhmCm2: Double?

        func run() throws {
            var numbers: [String: Double] = [:]
            do {
                if let params {
                    let file = try Dense1DParameterRegistry.readJSONObject(path: params, allowed: Dense2DParameterRegistry.specs.map(\.name) + Dense1DParameterRegistry.allNames)
                    numbers = file.numbers
                }
                for item in set {
                    let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
                    guard parts.count == 2, let v = Double(parts[1]) else { throw ModelInputError.invalidValue(parameter: item, reason: "--set expects name=number") }
                    numbers[parts[0]] = v
                }
                let pairs: [(String, Double?)] = [("nx", nx), ("ny", ny), ("widthMicrometres", widthMicrometres), ("contactFraction", contactFraction), ("contactPeriodMicrometres", contactPeriodMicrometres), ("randomContact", randomContact), ("randomGapMicrometres", randomGapMicrometres), ("roughnessRmsMicrometres", roughnessRmsMicrometres), ("roughnessCorrelationMicrometres", roughnessCorrelationMicrometres), ("anisotropyRatio", anisotropyRatio), ("grainAngleDegrees", grainAngleDegrees), ("grainCount", grainCount), ("misorientedFraction", misorientedFraction), ("randomOrientation", randomOrientation), ("seed", seed), ("cRate", cRate), ("stepsPerNominal", stepsPerNominal), ("diffusivityCm2PerS", diffusivityCm2PerS), ("exchangeCurrentDensityAPerM2", exchangeCurrentDensityAPerM2), ("anodicTransferCoefficient", anodicTransferCoefficient), ("initialStoichiometry", initialStoichiometry), ("lowerCutoffVsLiV", lowerCutoffVsLiV), ("separatorThicknessMicrometres", separatorThicknessMicrometres), ("separatorConductivitySPerM", separatorConductivitySPerM), ("temperatureK", temperatureK), ("counterElectrodeResistanceOhmCm2", counterElectrodeResistanceOhmCm2)]
                for (k, v) in pairs { if let v { numbers[k] = v } }
                let spec = try Dense2DParameterRegistry.spec(base: base, numbers: numbers)
                var setup = try spec.setup()
                if let microstructure {
                    guard let data = FileManager.default.contents(atPath: microstructure) else { throw ModelInputError.malformedFile(path: microstructure, reason: "file not found or unreadable") }
                    do { setup.microstructure = try JSONDecoder().decode(Microstructure.self, from: data) } catch { throw ModelInputError.malformedFile(path: microstructure, reason: "not a microstructure JSON (\(error))") }
                }
                if let mask {
                    let image = try MaskImage.read(path: mask)
                    setup.microstructure = MaskImage.microstructure(image, thickness: setup.cell.thickness, width: spec.widthMicrometres * 1e-6, angle: spec.grainAngleDegrees * .pi / 180)
                }
                try setup.validate()
                let r = try Dense2DModel(setup).run()
                try write(r, setup: setup, spec: spec)
            } catch let e as ModelInputError { throw CLIError(e.description) }
            catch let e as MaskImage.ReadError { throw CLIError(e.description) }
        }

        func write(_ r: Dense2DResult, setup: Dense2DSetup, spec: Dense2DSpec) throws {
            let curve = CSVTable([("time [s]", r.time), ("capacity [mAh g-1]", r.capacityMilliampHoursPerGram), ("cell voltage [V]", r.voltage), ("voltage vs Li/Li+ [V]", r.voltageVsLi)])
            guard let out else { print(curve.text, terminator: ""); return }
            let m = setup.microstructure
            let ys = (0..<m.ny).map { (Double($0) + 0.5) * m.dy * 1e6 }
            let end = r.snapshots.last!
            var rows: [[Double]] = []
            for i in 0..<m.nx { for j in 0..<m.ny { rows.append([(Double(i) + 0.5) * m.dx * 1e6, ys[j], end[i * m.ny + j]]) } }
            let metadata = Studies.ModelMetadata(
                model: "dense2d (Model B, shared/docs/physics.md §3)", baseParameterSet: spec.base,
                parameters: Dense2DParameterRegistry.describe(spec).map { .init(name: $0.name, value: $0.value, unit: $0.unit) },
                results: ["capacity [mAh g-1]": r.capacity, "contact fraction [-]": m.contactFraction, "mean area factor [-]": m.meanAreaFactor,
                          "solid fraction [-]": m.solidFraction, "minimum stoichiometry [-]": r.minimumStoichiometry, "maximum stoichiometry [-]": r.maximumStoichiometry,
                          "time steps [-]": Double(r.steps)],
                termination: r.capacity > 0 ? "voltage cut-off" : "none", citations: [])
            try AtomicFolder.write(to: URL(fileURLWithPath: out)) { dir in
                try Data(curve.text.utf8).write(to: dir.appendingPathComponent("discharge.csv"))
                try Data(CSVTable([("depth x/L [-]", r.depth), ("utilisation [-]", r.utilisationVsDepth)]).text.utf8).write(to: dir.appendingPathComponent("utilisation.csv"))
                try Data(CSVTable([("y [um]", ys), ("interface current density [A m-2]", r.interfaceCurrent), ("surface stoichiometry [-]", r.surfaceStoichiometry)]).text.utf8).write(to: dir.appendingPathComponent("interface.csv"))
                try Data(CSVTable(columns: ["x [um]", "y [um]", "c/c_max [-]"], rows: rows).text.utf8).write(to: dir.appendingPathComponent("theta_end.csv"))
                try NumpyArray.encode(end, shape: [m.nx, m.ny]).write(to: dir.appendingPathComponent("theta_end.npy"))
                try StableJSON.encode(m).write(to: dir.appendingPathComponent("microstructure.json"))
                try StableJSON.encode(metadata).write(to: dir.appendingPathComponent("metadata.json"))
            }
            FileHandle.standardError.write(Data(String(format: "capacity %.2f mAh g-1, results in %@\n", r.capacity, out).utf8))
        }
    }
}
