import BuildInfo
import CathodeModels
import Foundation
import Materials
import ResultStore

/// Turns a Model A result into files: the discharge curve and profiles as CSV (units in the column
/// names) and a metadata record of every parameter used and the figures of merit.
public enum Dense1DExport {
    public static func curve(_ r: Dense1DResult) -> CSVTable {
        CSVTable([
            ("time [s]", r.time),
            ("capacity [mAh g-1]", r.capacityMilliampHoursPerGram),
            ("areal capacity [mAh cm-2]", r.capacityMilliampHoursPerCm2),
            ("current density [A m-2]", r.current),
            ("cell voltage [V]", r.voltage),
            ("voltage vs Li/Li+ [V]", r.voltageVsLi),
            ("surface stoichiometry [-]", r.surfaceStoichiometry),
            ("mean stoichiometry [-]", r.meanStoichiometry),
            ("OCP at mean stoichiometry [V]", r.meanOpenCircuitPotential),
            ("concentration loss [V]", r.concentrationLoss),
            ("kinetic loss [V]", r.kineticLoss),
            ("separator loss [V]", r.separatorLoss),
            ("electronic loss [V]", r.electronicLoss),
            ("counter-electrode loss [V]", r.counterElectrodeLoss),
        ])
    }

    public static func profiles(_ r: Dense1DResult) -> CSVTable {
        var cols: [(String, [Double])] = [("depth x/L [-]", r.depth)]
        for (t, p) in zip(r.profileTimes, r.profiles) { cols.append(("c/c_max at t = \(CSVTable.format(t)) s [-]", p)) }
        return CSVTable(cols)
    }

    public typealias Metadata = ModelMetadata

    public static func metadata(_ setup: Dense1DSetup, base: Dense1DParameterSet, result r: Dense1DResult) -> Metadata {
        Metadata(
            model: "dense1d (Model A, shared/docs/physics.md §2)",
            baseParameterSet: base.name,
            parameters: Dense1DParameterRegistry.describe(setup).map {
                .init(name: $0.name, value: $0.value, unit: $0.unit)
            },
            results: [
                "capacity [mAh g-1]": r.capacity,
                "areal capacity [mAh cm-2]": r.arealCapacity,
                "energy vs counter electrode [Wh kg-1]": r.energy(vsLithium: false),
                "energy vs Li/Li+ [Wh kg-1]": r.energy(vsLithium: true),
                "energy, paper nominal 3.757 V [Wh kg-1]": r.paperNominalEnergy,
                "mean voltage vs counter electrode [V]": r.meanVoltage(vsLithium: false),
                "mean voltage vs Li/Li+ [V]": r.meanVoltage(vsLithium: true),
                "utilisation [-]": r.utilisation,
                "duration [s]": r.time.last ?? 0,
                "time steps [-]": Double(r.steps),
                "1C current density [A m-2]": setup.cell.oneCCurrentDensity,
                "mass loading [mg cm-2]": setup.cell.massLoading * 100,
            ],
            termination: r.termination.rawValue,
            citations: base.citations.map(\.formatted))
    }

    /// Writes `discharge.csv`, `profiles.csv` and `metadata.json` as the folder `folder` (replaced without a gap).
    public static func write(_ setup: Dense1DSetup, base: Dense1DParameterSet, result: Dense1DResult, to folder: URL)
        throws
    {
        try OutputFolder.replace(folder, kind: "simulation") { dir in
            try Data(curve(result).text.utf8).write(to: dir.appendingPathComponent("discharge.csv"))
            try Data(profiles(result).text.utf8).write(to: dir.appendingPathComponent("profiles.csv"))
            try StableJSON.encode(metadata(setup, base: base, result: result)).write(
                to: dir.appendingPathComponent("metadata.json"))
        }
    }
}

/// Metadata of one command-line run: the parameters actually used (with units) and the results.
public struct ModelMetadata: Codable, Sendable {
    public struct Parameter: Codable, Sendable {
        public let name: String
        public let value: String
        public let unit: String
        public init(name: String, value: String, unit: String) {
            self.name = name
            self.value = value
            self.unit = unit
        }
    }
    public let model: String
    public let baseParameterSet: String
    public let parameters: [Parameter]
    public let results: [String: Double]
    public let termination: String
    public let citations: [String]
    /// The code that produced the run, fixed at build time.
    public let code: [String: String]
    public init(
        model: String, baseParameterSet: String, parameters: [Parameter], results: [String: Double],
        termination: String, citations: [String]
    ) {
        self.model = model
        self.baseParameterSet = baseParameterSet
        self.parameters = parameters
        self.results = results
        self.termination = termination
        self.citations = citations
        code = [
            "cathodelab": BuildInfo.version, "commit": BuildInfo.commit, "dirty": "\(BuildInfo.dirty)",
            "physicsVersion": BuildInfo.physicsVersion,
        ]
    }
}
