import ArgumentParser
import CathodeModels
import Foundation
import ModelIO
import ResultStore
import Studies

private func helpStress(_ name: String) -> ArgumentHelp {
    let s = ChemoMechanicalParameterRegistry.spec(named: name)!
    return ArgumentHelp("\(s.help) [\(s.unit)]")
}

extension CathodeLab.Simulate {
    /// Model C: stress fields of a section under a given lithiation, without running the diffusion model.
    struct Stress: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stress",
            abstract: "Chemo-mechanical stress of a dense-cathode section (Model C) under a given Li distribution.",
            discussion: """
                The section comes from --microstructure FILE.json (as written by `simulate dense2d`), --mask IMAGE (PGM/PNG, \
                dark = solid), or the 2D options given with --set (e.g. --set modelSystem=1 --set nx=46 --set ny=80). The load \
                is either --theta FILE.npy (c/c_max per cell, shape nx × ny, NaN allowed in holes; e.g. theta_end.npy of \
                `simulate dense2d`) or --delta-theta Δθ, a uniform change of stoichiometry from the stress-free θ_ref. \
                Writes stress.csv (x, y, θ and every stress measure in MPa for the solid cells), one .npy per measure \
                (sigma_xx, sigma_yy, tau_xy, sigma_zz, sigma_h, von_mises, sigma_max; Pa, shape nx × ny, NaN in holes), \
                hotspots.csv, microstructure.json and metadata.json to --out; without --out the hotspot table goes to stdout.
                """)

        @Option(
            name: .long,
            help: "Base 1D cell set (for the thickness and θ₀; default: the --params file's \"base\" or paperHalfCell)."
        ) var base: String?
        @Option(name: .long, help: "JSON file of mechanical, 2D and cell parameter names (numbers).") var params:
            String?
        @Option(name: .long, help: "Microstructure JSON.") var microstructure: String?
        @Option(name: .long, help: "Mask image (PGM or PNG) of the cross-section.") var mask: String?
        @Option(name: .long, help: "c/c_max per cell as a .npy array of shape nx × ny.") var theta: String?
        @Option(name: .long, help: "Uniform change of stoichiometry from θ_ref [–] (instead of --theta).")
        var deltaTheta: Double?
        @Option(name: .long, help: "Any 2D or cell parameter as name=value (repeatable).") var set: [String] = []
        @Option(
            name: .long,
            help:
                "Output folder: new, empty, or written by CathodeLab before (replaced as a whole, never half-written). Without it, the hotspot table goes to stdout."
        ) var out: String?
        @Option(name: .customLong("youngs-modulus-gpa"), help: helpStress("youngsModulusGPa")) var youngsModulusGPa:
            Double?
        @Option(help: helpStress("poissonRatio")) var poissonRatio: Double?
        @Option(name: .customLong("electrolyte-youngs-modulus-gpa"), help: helpStress("electrolyteYoungsModulusGPa"))
        var electrolyteYoungsModulusGPa: Double?
        @Option(help: helpStress("electrolytePoissonRatio")) var electrolytePoissonRatio: Double?
        @Option(help: helpStress("electrolyteThicknessMicrometres")) var electrolyteThicknessMicrometres: Double?
        @Option(name: .customLong("stack-pressure-mpa"), help: helpStress("stackPressureMPa")) var stackPressureMPa:
            Double?
        @Option(help: helpStress("interfaceCondition")) var interfaceCondition: Double?
        @Option(help: helpStress("sideCondition")) var sideCondition: Double?
        @Option(help: helpStress("planeStress")) var planeStress: Double?
        @Option(help: helpStress("latticeBetaA")) var latticeBetaA: Double?
        @Option(help: helpStress("latticeBetaC")) var latticeBetaC: Double?
        @Option(help: helpStress("referenceStoichiometry")) var referenceStoichiometry: Double?
        @Option(help: helpStress("hotspotCount")) var hotspotCount: Double?

        func run() throws {
            let folder = try SimulateSupport.outputFolder(out)
            let schema = ChemoMechanicalParameterRegistry.schema
            let file = try params.map { try ParameterFile.read(path: $0, schema: schema) } ?? ParameterFile()
            var numbers = file.numbers
            for (name, value) in try SimulateSupport.numbers(fromSet: set) {
                guard schema.kinds[name] != nil else { throw schema.unknown(name) }
                numbers[name] = value
            }
            let pairs: [(String, Double?)] = [
                ("youngsModulusGPa", youngsModulusGPa), ("poissonRatio", poissonRatio),
                ("electrolyteYoungsModulusGPa", electrolyteYoungsModulusGPa),
                ("electrolytePoissonRatio", electrolytePoissonRatio),
                ("electrolyteThicknessMicrometres", electrolyteThicknessMicrometres),
                ("stackPressureMPa", stackPressureMPa), ("interfaceCondition", interfaceCondition),
                ("sideCondition", sideCondition),
                ("planeStress", planeStress), ("latticeBetaA", latticeBetaA), ("latticeBetaC", latticeBetaC),
                ("referenceStoichiometry", referenceStoichiometry), ("hotspotCount", hotspotCount),
            ]
            for (name, value) in pairs { if let value { numbers[name] = value } }
            let spec = try ChemoMechanicalParameterRegistry.spec(
                base: base ?? file.base ?? "paperHalfCell", numbers: numbers)
            var setup = try spec.diffusion.setup()
            if let given = try SimulateSupport.microstructure(
                file: microstructure, mask: mask, numbers: numbers, cellThickness: setup.cell.thickness,
                width: spec.diffusion.widthMicrometres * 1e-6, angleDegrees: spec.diffusion.grainAngleDegrees)
            {
                setup.microstructure = given
            }
            try setup.validate()
            let m = setup.microstructure
            let mechanics = try spec.mechanics(width: m.width)
            let reference = mechanics.referenceStoichiometry ?? setup.cell.initialStoichiometry
            let thetaField: [Double]
            switch (theta, deltaTheta) {
            case (nil, nil):
                throw UsageError(
                    "give exactly one of --theta FILE.npy and --delta-theta Δθ (the Li field that loads the section)")
            case (.some, .some):
                throw ModelInputError.conflict(
                    first: "--theta", second: "--delta-theta", reason: "both give the Li field; give one")
            case (nil, .some(let d)):
                guard d.isFinite, (0...1).contains(reference + d) else {
                    throw ModelInputError.outOfRange(
                        parameter: "deltaTheta", value: d,
                        allowed: String(format: "%.4f–%.4f (θ_ref + Δθ within 0–1)", -reference, 1 - reference),
                        unit: "")
                }
                thetaField = [Double](repeating: reference + d, count: m.nx * m.ny)
            case (.some(let path), nil):
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw ModelInputError.malformedFile(path: path, reason: "file not found or unreadable")
                }
                let values: [Double]
                let shape: [Int]
                do {
                    (values, shape) = try NumpyArray.decode(data)
                } catch let error as NumpyArray.DecodeError {
                    throw ModelInputError.malformedFile(path: path, reason: error.description)
                }
                guard shape == [m.nx, m.ny] else {
                    throw ModelInputError.malformedFile(
                        path: path, reason: "shape \(shape) does not match the section's \(m.nx) × \(m.ny) cells")
                }
                if let k = (0..<values.count).first(where: {
                    !m.hole[$0] && !(values[$0].isFinite && (0...1).contains(values[$0]))
                }) {
                    throw ModelInputError.malformedFile(
                        path: path,
                        reason: "c/c_max = \(values[k]) in solid cell (\(k / m.ny), \(k % m.ny)) is outside 0–1")
                }
                thetaField = values
            }
            let model = try ChemoMechanicalModel(microstructure: m, mechanics: mechanics)
            let field = model.stress(theta: thetaField, reference: reference)
            let hotspots = StressHotspots.find(field, microstructure: m, count: Int(spec.hotspotCount))
            try write(field, hotspots: hotspots, microstructure: m, spec: spec, reference: reference, to: folder)
        }

        func write(
            _ f: StressField, hotspots: [StressHotspot], microstructure m: Microstructure, spec: ChemoMechanicalSpec,
            reference: Double, to folder: URL?
        ) throws {
            let spots = CSVTable(
                columns: ["rank", "x [um]", "y [um]", "sigma_max [MPa]", "disc mean r=0.25um [MPa]", "c/c_max [-]"],
                rows: hotspots.enumerated().map { k, h in
                    [Double(k + 1), h.x * 1e6, h.y * 1e6, h.peak / 1e6, h.discMean / 1e6, h.theta]
                },
                labelColumn: "feature", labels: hotspots.map(\.feature.rawValue))
            guard let folder else {
                print(spots.text, terminator: "")
                return
            }
            let components = StressComponent.allCases.map { ($0, f.component($0)) }
            var rows: [[Double]] = []
            for k in 0..<(m.nx * m.ny) where !m.hole[k] {
                rows.append(
                    [(Double(k / m.ny) + 0.5) * m.dx * 1e6, (Double(k % m.ny) + 0.5) * m.dy * 1e6, f.theta[k]]
                        + components.map { $0.1[k] / 1e6 })
            }
            let table = CSVTable(
                columns: ["x [um]", "y [um]", "c/c_max [-]"] + components.map { "\($0.0.rawValue) [MPa]" }, rows: rows)
            let peak = hotspots.first
            let metadata = Studies.ModelMetadata(
                model: "stress (Model C, shared/docs/physics.md §4; one load case)",
                baseParameterSet: spec.diffusion.base,
                parameters: ChemoMechanicalParameterRegistry.describe(spec).map {
                    .init(name: $0.name, value: $0.value, unit: $0.unit)
                },
                results: [
                    "reference stoichiometry [-]": reference, "maximum sigma_max [MPa]": (peak?.peak ?? 0) / 1e6,
                    "maximum sigma_yy [MPa]": (f.syy.max() ?? 0) / 1e6,
                    "minimum sigma_yy [MPa]": (f.syy.min() ?? 0) / 1e6,
                    "hotspots [-]": Double(hotspots.count),
                ],
                termination: "single load case", citations: [])
            try SimulateSupport.requireFinite(metadata.results)
            try OutputFolder.replace(folder, kind: "simulation") { dir in
                try Data(table.text.utf8).write(to: dir.appendingPathComponent("stress.csv"))
                try Data(spots.text.utf8).write(to: dir.appendingPathComponent("hotspots.csv"))
                for (c, values) in components {
                    try NumpyArray.encode(
                        (0..<values.count).map { m.hole[$0] ? .nan : values[$0] }, shape: [m.nx, m.ny]
                    ).write(to: dir.appendingPathComponent("\(c.rawValue).npy"))
                }
                try StableJSON.encode(m).write(to: dir.appendingPathComponent("microstructure.json"))
                try StableJSON.encode(metadata).write(to: dir.appendingPathComponent("metadata.json"))
            }
            FileHandle.standardError.write(
                Data(
                    String(
                        format: "largest tensile stress %.0f MPa (%@), results in %@\n", (peak?.peak ?? 0) / 1e6,
                        peak?.feature.rawValue ?? "none", folder.path
                    ).utf8))
        }
    }
}
