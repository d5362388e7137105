import ArgumentParser
import CathodeModels
import Foundation
import ModelIO
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
            abstract:
                "Galvanostatic discharge of a 2D dense-cathode cross-section (Model B): anisotropic grains, contact loss, roughness, holes.",
            discussion: """
                The microstructure is built from the options (grid, contact pattern, roughness, grains, seed), or read from \
                --microstructure FILE.json (as written to microstructure.json) or --mask IMAGE (PGM or PNG; dark = solid, \
                light = hole; top row = interface). Any 1D cell parameter can be set with --set name=value \
                (see `cathodelab simulate dense1d --help`). Writes discharge.csv, utilisation.csv (vs depth), interface.csv \
                (current density and θ_s along y), theta_end.csv and theta_end.npy (c/c_max, shape nx × ny, NaN in holes), \
                microstructure.json and metadata.json to --out, or the curve CSV to stdout. --snapshot-seconds T (repeatable) \
                adds theta_<k>.npy at those times and snapshots.csv; --stress also computes the chemo-mechanical stress \
                fields (Model C, one-way coupled; mechanical names such as youngsModulusGPa go in --set or --params) at every \
                snapshot and at the end: sigma_xx_<k>.npy … sigma_max_<k>.npy (Pa) and hotspots.csv.                 --electrolyte liquid runs the cathode in a liquid cell (LiPF₆, Valøen–Reimers 2005; it wets the whole top                 face and every pore open to it, and soaks a porous separator: the liquid* names set it) and adds                 electrolyte_end.npy (salt concentration in the pores, mol m⁻³, shape nx × ny, NaN elsewhere) and                 separator_end.csv (the separator's concentration by row and column).
                """)

        @Option(
            name: .long,
            help: "Base 1D cell set (paperHalfCell, idealCell; default: the --params file's \"base\" or paperHalfCell)."
        ) var base: String?
        @Option(
            name: .long,
            help:
                "JSON file of 2D and cell parameter names (numbers) and \"base\" overriding the defaults (with --stress also the mechanical names)."
        ) var params: String?
        @Option(name: .long, help: "Microstructure JSON (replaces the one built from the options).") var microstructure:
            String?
        @Option(
            name: .long,
            help:
                "Mask image (PGM or PNG) of the cross-section; the cell thickness and --width-micrometres set its size."
        ) var mask: String?
        @Option(
            name: .long,
            help: "Any 2D or cell parameter (with --stress also a mechanical one) as name=value (repeatable).") var set:
            [String] = []
        @Option(
            name: .long,
            help:
                "Output folder: new, empty, or written by CathodeLab before (replaced as a whole, never half-written). Without it, the curve CSV goes to stdout."
        ) var out: String?
        @Option(
            name: .customLong("snapshot-seconds"),
            help:
                "Also store c/c_max at this time [s] (repeatable; taken at the first time step at or after it; times after the cut-off are not reached)."
        ) var snapshotSeconds: [Double] = []
        @Flag(name: .long, help: "Also compute the stress fields (Model C) at every snapshot and at the end.")
        var stress = false
        @Option(
            name: .long,
            help:
                "solid (the SE separator of the base set, default) or liquid (LiPF₆ in a soaked porous separator; set its values with --set liquid…=)."
        ) var electrolyte: String = "solid"
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
        @Option(help: help2D("initialStoichiometry")) var initialStoichiometry: Double?
        @Option(help: help2D("lowerCutoffVsLiV")) var lowerCutoffVsLiV: Double?
        @Option(help: help2D("separatorThicknessMicrometres")) var separatorThicknessMicrometres: Double?
        @Option(help: help2D("separatorConductivitySPerM")) var separatorConductivitySPerM: Double?
        @Option(help: help2D("temperatureK")) var temperatureK: Double?
        @Option(help: help2D("counterElectrodeResistanceOhmCm2")) var counterElectrodeResistanceOhmCm2: Double?

        func run() throws {
            let folder = try SimulateSupport.outputFolder(out)
            let schema = stress ? ChemoMechanicalParameterRegistry.schema : Dense2DParameterRegistry.schema
            let file = try params.map { try ParameterFile.read(path: $0, schema: schema) } ?? ParameterFile()
            var numbers = file.numbers
            for (name, value) in try SimulateSupport.numbers(fromSet: set) {
                guard schema.kinds[name] != nil else { throw schema.unknown(name) }
                numbers[name] = value
            }
            let pairs: [(String, Double?)] = [
                ("nx", nx), ("ny", ny), ("widthMicrometres", widthMicrometres), ("contactFraction", contactFraction),
                ("contactPeriodMicrometres", contactPeriodMicrometres), ("randomContact", randomContact),
                ("randomGapMicrometres", randomGapMicrometres),
                ("roughnessRmsMicrometres", roughnessRmsMicrometres),
                ("roughnessCorrelationMicrometres", roughnessCorrelationMicrometres),
                ("anisotropyRatio", anisotropyRatio), ("grainAngleDegrees", grainAngleDegrees),
                ("grainCount", grainCount),
                ("misorientedFraction", misorientedFraction), ("randomOrientation", randomOrientation), ("seed", seed),
                ("cRate", cRate),
                ("stepsPerNominal", stepsPerNominal), ("diffusivityCm2PerS", diffusivityCm2PerS),
                ("exchangeCurrentDensityAPerM2", exchangeCurrentDensityAPerM2),
                ("initialStoichiometry", initialStoichiometry), ("lowerCutoffVsLiV", lowerCutoffVsLiV),
                ("separatorThicknessMicrometres", separatorThicknessMicrometres),
                ("separatorConductivitySPerM", separatorConductivitySPerM),
                ("temperatureK", temperatureK), ("counterElectrodeResistanceOhmCm2", counterElectrodeResistanceOhmCm2),
            ]
            for (name, value) in pairs { if let value { numbers[name] = value } }
            switch electrolyte {
            case "solid": break
            case "liquid": numbers["liquidElectrolyte"] = 1
            default:
                throw CLIError("--electrolyte must be solid or liquid (got \"\(electrolyte)\")")
            }
            if let bad = snapshotSeconds.first(where: { !($0.isFinite && $0 > 0) }) {
                throw ModelInputError.outOfRange(
                    parameter: "snapshotSeconds", value: bad, allowed: "positive times", unit: "s")
            }
            let baseSet = base ?? file.base ?? "paperHalfCell"
            let mechanicsSpec =
                stress ? try ChemoMechanicalParameterRegistry.spec(base: baseSet, numbers: numbers) : nil
            if let mechanicsSpec, mechanicsSpec.diffusion.liquidElectrolyte > 0.5, mechanicsSpec.interfaceCondition != 0
            {
                throw CLIError(
                    "--stress with a liquid electrolyte needs --set interfaceCondition=0 (a liquid bonds nothing to the top face)"
                )
            }
            let spec = try mechanicsSpec?.diffusion ?? Dense2DParameterRegistry.spec(base: baseSet, numbers: numbers)
            var setup = try spec.setup(snapshotTimes: snapshotSeconds)
            if let given = try SimulateSupport.microstructure(
                file: microstructure, mask: mask, numbers: numbers, cellThickness: setup.cell.thickness,
                width: spec.widthMicrometres * 1e-6, angleDegrees: spec.grainAngleDegrees)
            {
                setup.microstructure = given
            }
            try setup.validate()
            // Build (and factorise) the stress model before the discharge, so a bad mechanical set-up fails fast.
            let stressModel = try mechanicsSpec.map {
                try ChemoMechanicalModel(
                    microstructure: setup.microstructure, mechanics: try $0.mechanics(width: setup.microstructure.width)
                )
            }
            let r: Dense2DResult
            do {
                r = try Dense2DModel(setup).run()
            } catch let error as ModelInputError {
                throw error
            } catch {
                throw CLIError("the dense2d run failed: \(error)")
            }
            if let failure = r.startFailure { throw ModelRunError.cannotStart(reason: failure) }
            try SimulateSupport.requireFinite(curve: [
                ("time [s]", r.time), ("voltage [V]", r.voltage),
                ("capacity [mAh g-1]", r.capacityMilliampHoursPerGram),
            ])
            var fields: [(StressField, [StressHotspot])] = []
            if let stressModel, let mechanicsSpec {
                let reference = stressModel.mechanics.referenceStoichiometry ?? r.initialStoichiometry
                for theta in r.snapshots {
                    let field = stressModel.stress(theta: theta, reference: reference)
                    fields.append(
                        (
                            field,
                            StressHotspots.find(
                                field, microstructure: setup.microstructure, count: Int(mechanicsSpec.hotspotCount))
                        ))
                }
            }
            try write(r, setup: setup, spec: spec, stress: fields, to: folder)
        }

        func write(
            _ r: Dense2DResult, setup: Dense2DSetup, spec: Dense2DSpec, stress fields: [(StressField, [StressHotspot])],
            to folder: URL?
        ) throws {
            let curve = CSVTable([
                ("time [s]", r.time), ("capacity [mAh g-1]", r.capacityMilliampHoursPerGram),
                ("cell voltage [V]", r.voltage), ("voltage vs Li/Li+ [V]", r.voltageVsLi),
            ])
            guard let folder else {
                print(curve.text, terminator: "")
                return
            }
            let m = setup.microstructure
            let ys = (0..<m.ny).map { (Double($0) + 0.5) * m.dy * 1e6 }
            let end = r.snapshots.last!
            var rows: [[Double]] = []
            for i in 0..<m.nx {
                for j in 0..<m.ny { rows.append([(Double(i) + 0.5) * m.dx * 1e6, ys[j], end[i * m.ny + j]]) }
            }
            var results: [String: Double] = [
                "capacity [mAh g-1]": r.capacity, "contact fraction [-]": m.contactFraction,
                "mean area factor [-]": m.meanAreaFactor,
                "solid fraction [-]": m.solidFraction, "minimum stoichiometry [-]": r.minimumStoichiometry,
                "maximum stoichiometry [-]": r.maximumStoichiometry,
                "time steps [-]": Double(r.steps),
            ]
            if r.separatorRows > 0 {
                results["salt in the liquid at the start [mol m-2]"] = r.initialSalt
                results["salt in the liquid at the end [mol m-2]"] = r.finalSalt
            }
            let metadata = Studies.ModelMetadata(
                model: "dense2d (Model B, shared/docs/physics.md §3)", baseParameterSet: spec.base,
                parameters: Dense2DParameterRegistry.describe(spec).map {
                    .init(name: $0.name, value: $0.value, unit: $0.unit)
                },
                results: results,
                termination: r.capacity > 0 ? "voltage cut-off" : "none", citations: [])
            try SimulateSupport.requireFinite(metadata.results)
            try OutputFolder.replace(folder, kind: "simulation") { dir in
                try Data(curve.text.utf8).write(to: dir.appendingPathComponent("discharge.csv"))
                try Data(CSVTable([("depth x/L [-]", r.depth), ("utilisation [-]", r.utilisationVsDepth)]).text.utf8)
                    .write(to: dir.appendingPathComponent("utilisation.csv"))
                try Data(
                    CSVTable([
                        ("y [um]", ys), ("interface current density [A m-2]", r.interfaceCurrent),
                        ("surface stoichiometry [-]", r.surfaceStoichiometry),
                    ]).text.utf8
                ).write(to: dir.appendingPathComponent("interface.csv"))
                try Data(CSVTable(columns: ["x [um]", "y [um]", "c/c_max [-]"], rows: rows).text.utf8).write(
                    to: dir.appendingPathComponent("theta_end.csv"))
                try NumpyArray.encode(end, shape: [m.nx, m.ny]).write(to: dir.appendingPathComponent("theta_end.npy"))
                try StableJSON.encode(m).write(to: dir.appendingPathComponent("microstructure.json"))
                try StableJSON.encode(metadata).write(to: dir.appendingPathComponent("metadata.json"))
                if r.separatorRows > 0 {
                    try NumpyArray.encode(r.poreConcentration, shape: [m.nx, m.ny]).write(
                        to: dir.appendingPathComponent("electrolyte_end.npy"))
                    var separatorRows: [[Double]] = []
                    for (k, c) in r.separatorConcentration.enumerated() {
                        let height = spec.liquidSeparatorThicknessMicrometres / Double(r.separatorRows)
                        separatorRows.append([
                            m.thickness * 1e6 + (Double(k / m.ny) + 0.5) * height,
                            (Double(k % m.ny) + 0.5) * m.dy * 1e6, c,
                        ])
                    }
                    try Data(
                        CSVTable(columns: ["x [um]", "y [um]", "concentration [mol m-3]"], rows: separatorRows).text
                            .utf8
                    ).write(to: dir.appendingPathComponent("separator_end.csv"))
                }
                // Snapshots: 1…K in time order, the last at the end of discharge.
                if r.snapshots.count > 1 || !fields.isEmpty {
                    var rows: [[Double]] = []
                    for (k, t) in r.snapshotTimes.enumerated() {
                        let q = r.capacity(atTime: t)
                        rows.append([Double(k + 1), t, q])
                        try NumpyArray.encode(r.snapshots[k], shape: [m.nx, m.ny]).write(
                            to: dir.appendingPathComponent("theta_\(k + 1).npy"))
                    }
                    try Data(CSVTable(columns: ["snapshot", "time [s]", "capacity [mAh g-1]"], rows: rows).text.utf8)
                        .write(to: dir.appendingPathComponent("snapshots.csv"))
                }
                var spotRows: [[Double]] = []
                var spotLabels: [String] = []
                for (k, (field, spots)) in fields.enumerated() {
                    for c in StressComponent.allCases {
                        let values = field.component(c)
                        try NumpyArray.encode(
                            (0..<values.count).map { m.hole[$0] ? .nan : values[$0] }, shape: [m.nx, m.ny]
                        ).write(to: dir.appendingPathComponent("\(c.rawValue)_\(k + 1).npy"))
                    }
                    for (rank, h) in spots.enumerated() {
                        spotRows.append([
                            Double(k + 1), Double(rank + 1), h.x * 1e6, h.y * 1e6, h.peak / 1e6, h.discMean / 1e6,
                            h.theta,
                        ])
                        spotLabels.append(h.feature.rawValue)
                    }
                }
                if !fields.isEmpty {
                    try Data(
                        CSVTable(
                            columns: [
                                "snapshot", "rank", "x [um]", "y [um]", "sigma_max [MPa]", "disc mean r=0.25um [MPa]",
                                "c/c_max [-]",
                            ], rows: spotRows, labelColumn: "feature", labels: spotLabels
                        ).text.utf8
                    ).write(to: dir.appendingPathComponent("hotspots.csv"))
                }
            }
            let skipped = snapshotSeconds.filter { t in
                !r.snapshotTimes.contains { abs($0 - t) <= 0.02 * max(t, 1) || $0 >= t }
            }
            if !skipped.isEmpty {
                FileHandle.standardError.write(
                    Data("snapshot times after the cut-off (\(r.time.last ?? 0) s) were not reached: \(skipped)\n".utf8)
                )
            }
            FileHandle.standardError.write(
                Data(String(format: "capacity %.2f mAh g-1, results in %@\n", r.capacity, folder.path).utf8))
        }
    }
}
