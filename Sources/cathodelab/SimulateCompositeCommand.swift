import ArgumentParser
import CathodeModels
import Foundation
import ModelIO
import ResultStore
import Studies

private func compositeHelp(_ name: String) -> ArgumentHelp {
    let s = CompositeParameterRegistry.spec(named: name)!
    return ArgumentHelp("\(s.help) [\(s.unit)]")
}

extension CathodeLab.Simulate {
    /// Model D: the composite cathode. Every option overrides the base set (or the --params file).
    struct Composite: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "composite",
            abstract:
                "Galvanostatic discharge of a composite LiCoO2 cathode in a solid-state half-cell (Model D, P2D).",
            discussion: """
                Writes discharge.csv, profiles.csv (φ_e, particle-surface and particle-mean θ vs x/L), particles.csv \
                (θ over x/L × r/R_p) and metadata.json (every parameter used, with units; derived structure; capacity, \
                mean voltage, electrode-level energy density) and classes.csv (the CAM's particle classes by SE contact \
                count: share and contact fraction) to --out, or the curve CSV to stdout. A --params JSON file \
                sets any parameter by the option names below in camelCase, plus "base" (composite, compositeCalibrated), \
                "ionicTransport" (percolation|bruggeman|archie), "contactModel", "counterElectrode" and "ocpTable".
                """)

        @Option(name: .long, help: "Base parameter set (composite, compositeCalibrated).") var base: String?
        @Option(name: .long, help: "JSON parameter file overriding the base set.") var params: String?
        @Option(
            name: .long,
            help:
                "Output folder: new, empty, or written by CathodeLab before (replaced as a whole, never half-written). Without it, the curve CSV goes to stdout."
        ) var out: String?
        @Option(help: "SE transport law: percolation, bruggeman or archie.") var ionicTransport: String?
        @Option(help: "Contact model: electrolyteShare, constant or percolatingCoverage.") var contactModel: String?
        @Option(help: "Counter electrode: LiIn or LiMetal.") var counterElectrode: String?
        @Option(help: compositeHelp("camWeightPercent")) var camWeightPercent: Double?
        @Option(help: compositeHelp("activeDensityKgPerM3")) var activeDensityKgPerM3: Double?
        @Option(help: compositeHelp("inactiveDensityKgPerM3")) var inactiveDensityKgPerM3: Double?
        @Option(help: compositeHelp("porosity")) var porosity: Double?
        @Option(help: compositeHelp("massLoadingMilligramsPerCm2")) var massLoadingMilligramsPerCm2: Double?
        @Option(help: compositeHelp("electrolyteShareOfInactive")) var electrolyteShareOfInactive: Double?
        @Option(help: compositeHelp("particleRadiusMicrometres")) var particleRadiusMicrometres: Double?
        @Option(help: compositeHelp("particleDiffusivityCm2PerS")) var particleDiffusivityCm2PerS: Double?
        @Option(help: compositeHelp("maxConcentrationMolPerM3")) var maxConcentrationMolPerM3: Double?
        @Option(help: compositeHelp("initialStoichiometry")) var initialStoichiometry: Double?
        @Option(help: compositeHelp("exchangeCurrentDensityAPerM2")) var exchangeCurrentDensityAPerM2: Double?
        @Option(help: compositeHelp("contactFraction")) var contactFraction: Double?
        @Option(help: compositeHelp("coverageThreshold")) var coverageThreshold: Double?
        @Option(help: compositeHelp("contactSpotRadiusMicrometres")) var contactSpotRadiusMicrometres: Double?
        @Option(help: compositeHelp("contactCoordinationNumber")) var contactCoordinationNumber: Double?
        @Option(help: compositeHelp("coverageExponent")) var coverageExponent: Double?
        @Option(help: compositeHelp("ionicConductivitySPerM")) var ionicConductivitySPerM: Double?
        @Option(help: compositeHelp("percolationThreshold")) var percolationThreshold: Double?
        @Option(help: compositeHelp("percolationExponent")) var percolationExponent: Double?
        @Option(help: compositeHelp("bruggemanExponent")) var bruggemanExponent: Double?
        @Option(help: compositeHelp("archieExponent")) var archieExponent: Double?
        @Option(help: compositeHelp("electronicConductivitySPerM")) var electronicConductivitySPerM: Double?
        @Option(help: compositeHelp("separatorThicknessMicrometres")) var separatorThicknessMicrometres: Double?
        @Option(help: compositeHelp("separatorConductivitySPerM")) var separatorConductivitySPerM: Double?
        @Option(help: compositeHelp("counterElectrodePotentialV")) var counterElectrodePotentialV: Double?
        @Option(help: compositeHelp("counterElectrodeResistanceOhmCm2")) var counterElectrodeResistanceOhmCm2: Double?
        @Option(help: compositeHelp("temperatureK")) var temperatureK: Double?
        @Option(help: compositeHelp("ratedCapacityMilliampHoursPerGram")) var ratedCapacityMilliampHoursPerGram: Double?
        @Option(help: compositeHelp("lowerCutoffVsLiV")) var lowerCutoffVsLiV: Double?
        @Option(help: compositeHelp("thicknessMicrometres")) var thicknessMicrometres: Double?
        @Option(help: compositeHelp("camVolumeFraction")) var camVolumeFraction: Double?
        @Option(help: compositeHelp("electrolyteVolumeFraction")) var electrolyteVolumeFraction: Double?
        @Option(help: compositeHelp("specificAreaPerM")) var specificAreaPerM: Double?
        @Option(help: compositeHelp("cRate")) var cRate: Double?
        @Option(help: compositeHelp("electrodeCells")) var electrodeCells: Double?
        @Option(help: compositeHelp("particleShells")) var particleShells: Double?
        @Option(help: compositeHelp("absoluteTolerance")) var absoluteTolerance: Double?
        @Option(help: compositeHelp("relativeTolerance")) var relativeTolerance: Double?
        @Option(help: compositeHelp("maxStepFraction")) var maxStepFraction: Double?

        func run() throws {
            var numbers: [String: Double] = [:]
            let pairs: [(String, Double?)] = [
                ("camWeightPercent", camWeightPercent), ("activeDensityKgPerM3", activeDensityKgPerM3),
                ("inactiveDensityKgPerM3", inactiveDensityKgPerM3), ("porosity", porosity),
                ("massLoadingMilligramsPerCm2", massLoadingMilligramsPerCm2),
                ("electrolyteShareOfInactive", electrolyteShareOfInactive),
                ("particleRadiusMicrometres", particleRadiusMicrometres),
                ("particleDiffusivityCm2PerS", particleDiffusivityCm2PerS),
                ("maxConcentrationMolPerM3", maxConcentrationMolPerM3), ("initialStoichiometry", initialStoichiometry),
                ("exchangeCurrentDensityAPerM2", exchangeCurrentDensityAPerM2), ("contactFraction", contactFraction),
                ("coverageThreshold", coverageThreshold),
                ("contactSpotRadiusMicrometres", contactSpotRadiusMicrometres), ("coverageExponent", coverageExponent),
                ("contactCoordinationNumber", contactCoordinationNumber),
                ("ionicConductivitySPerM", ionicConductivitySPerM), ("percolationThreshold", percolationThreshold),
                ("percolationExponent", percolationExponent), ("bruggemanExponent", bruggemanExponent),
                ("archieExponent", archieExponent), ("electronicConductivitySPerM", electronicConductivitySPerM),
                ("separatorThicknessMicrometres", separatorThicknessMicrometres),
                ("separatorConductivitySPerM", separatorConductivitySPerM),
                ("counterElectrodePotentialV", counterElectrodePotentialV),
                ("counterElectrodeResistanceOhmCm2", counterElectrodeResistanceOhmCm2), ("temperatureK", temperatureK),
                ("ratedCapacityMilliampHoursPerGram", ratedCapacityMilliampHoursPerGram),
                ("lowerCutoffVsLiV", lowerCutoffVsLiV), ("thicknessMicrometres", thicknessMicrometres),
                ("camVolumeFraction", camVolumeFraction), ("electrolyteVolumeFraction", electrolyteVolumeFraction),
                ("specificAreaPerM", specificAreaPerM), ("cRate", cRate), ("electrodeCells", electrodeCells),
                ("particleShells", particleShells), ("absoluteTolerance", absoluteTolerance),
                ("relativeTolerance", relativeTolerance), ("maxStepFraction", maxStepFraction),
            ]
            for (k, v) in pairs { if let v { numbers[k] = v } }
            let folder = try SimulateSupport.outputFolder(out)
            var settings: [String: SettingValue] = [:]
            if let ionicTransport { settings["ionicTransport"] = .choice(ionicTransport) }
            if let contactModel { settings["contactModel"] = .choice(contactModel) }
            if let counterElectrode { settings["counterElectrode"] = .choice(counterElectrode) }
            let file =
                try params.map { try ParameterFile.read(path: $0, schema: CompositeParameterRegistry.schema) }
                ?? ParameterFile()
            let (setup, set) = try CompositeParameterRegistry.setup(
                base: base ?? file.base ?? "composite", numbers: file.numbers.merging(numbers) { _, new in new },
                settings: file.settings.merging(settings) { _, new in new })
            let r: CompositeResult
            do {
                r = try CompositeModel(setup).run()
            } catch let error as ModelRunError {
                throw error
            } catch {
                throw CLIError("the composite run failed: \(error)")
            }
            if let failure = r.startFailure { throw ModelRunError.cannotStart(reason: failure) }
            try SimulateSupport.requireFinite(curve: [
                ("time [s]", r.time), ("voltage [V]", r.voltage),
                ("capacity [mAh g-1]", r.capacityMilliampHoursPerGram),
            ])
            let curve = CSVTable([
                ("time [s]", r.time), ("capacity [mAh g-1]", r.capacityMilliampHoursPerGram),
                ("cell voltage [V]", r.voltage), ("voltage vs Li/Li+ [V]", r.voltageVsLi),
            ])
            guard let folder else {
                print(curve.text, terminator: "")
                return
            }
            let profiles = CSVTable([
                ("depth x/L [-]", r.depth), ("SE potential [V]", r.electrolytePotential),
                ("particle-surface stoichiometry [-]", r.surfaceStoichiometry),
                ("particle-mean stoichiometry [-]", r.meanStoichiometry),
            ])
            var particleRows: [[Double]] = []
            for (i, x) in r.depth.enumerated() {
                for (j, y) in r.radius.enumerated() {
                    particleRows.append([x, y, r.particleStoichiometry[i * r.radius.count + j]])
                }
            }
            let particles = CSVTable(
                columns: ["depth x/L [-]", "radius r/R_p [-]", "stoichiometry [-]"], rows: particleRows)
            // The particle classes by SE contact count (one row without contactCoordinationNumber).
            let contactClasses = setup.cell.contactClasses
            let classes = CSVTable(
                columns: ["CAM share [-]", "contact fraction [-]"],
                rows: contactClasses.map { [$0.weight, $0.contactFraction] })
            let eg = ElectrodeEnergy.gravimetric(
                capacityMilliampHoursPerGram: r.capacity, camWeightFraction: r.camWeightFraction)
            // The same with the run's own mean voltage (∫V dQ vs Li/Li⁺): the other reading of the paper's energies,
            // which its energy/capacity pairs do not rule out (paper-calibration report, "Nominal or integrated
            // energies").
            let integrated = ElectrodeEnergy.gravimetric(
                capacityMilliampHoursPerGram: r.capacity, camWeightFraction: r.camWeightFraction,
                meanVoltage: r.meanVoltageVsLi)
            let metadata = Studies.ModelMetadata(
                model: "composite (Model D, shared/docs/physics.md §5)", baseParameterSet: set.name,
                parameters: CompositeParameterRegistry.describe(setup).map {
                    .init(name: $0.name, value: $0.value, unit: $0.unit)
                },
                results: [
                    "capacity [mAh g-1]": r.capacity, "mean voltage vs Li/Li+ [V]": r.meanVoltageVsLi,
                    "energy density, paper nominal 3.757 V [Wh kg-1]": eg,
                    "energy density, paper nominal 3.757 V [Wh L-1]": ElectrodeEnergy.volumetric(
                        gravimetric: eg, electrodeDensityKgPerM3: r.electrodeDensity),
                    "energy density, integrated vs Li/Li+ [Wh kg-1]": integrated,
                    "energy density, integrated vs Li/Li+ [Wh L-1]": ElectrodeEnergy.volumetric(
                        gravimetric: integrated, electrodeDensityKgPerM3: r.electrodeDensity),
                    "thickness [um]": r.thickness * 1e6, "CAM volume fraction [-]": r.camVolumeFraction,
                    "SE volume fraction [-]": r.electrolyteVolumeFraction,
                    "time steps [-]": Double(r.steps),
                    "mean contact fraction [-]": setup.cell.contactFraction,
                    "CAM without SE contact [-]": setup.cell.uncontactedShare,
                ],
                termination: r.termination.rawValue, citations: set.citations.map(\.formatted))
            try SimulateSupport.requireFinite(metadata.results)
            try OutputFolder.replace(folder, kind: "simulation") { dir in
                try Data(curve.text.utf8).write(to: dir.appendingPathComponent("discharge.csv"))
                try Data(profiles.text.utf8).write(to: dir.appendingPathComponent("profiles.csv"))
                try Data(particles.text.utf8).write(to: dir.appendingPathComponent("particles.csv"))
                try Data(classes.text.utf8).write(to: dir.appendingPathComponent("classes.csv"))
                try StableJSON.encode(metadata).write(to: dir.appendingPathComponent("metadata.json"))
            }
            FileHandle.standardError.write(
                Data(
                    String(
                        format: "capacity %.2f mAh g-1 (%@), results in %@\n", r.capacity, r.termination.rawValue,
                        folder.path
                    ).utf8))
        }
    }
}
