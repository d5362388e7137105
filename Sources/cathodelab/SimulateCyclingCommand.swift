import ArgumentParser
import CathodeModels
import Foundation
import ModelIO
import ResultStore
import Studies

private func helpCycling(_ name: String) -> ArgumentHelp {
    let s = CyclingParameterRegistry.spec(named: name)!
    return ArgumentHelp("\(s.help) [\(s.unit)]")
}

extension CathodeLab.Simulate {
    /// The cycling model: Model B discharges and Model C stresses with bulk fracture and interface delamination.
    struct Cycling: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cycling",
            abstract:
                "Capacity fade of a dense-cathode section over charge/discharge cycles, with bulk cracking and interface delamination.",
            discussion: """
                Each solved cycle is a Model B discharge at the C-rate from the charged state θ₀, then Model C's stress at the \
                end of discharge; cracks nucleate where the opening stress across (003) reaches bulkStrengthMPa and grow along \
                (003) by a Paris law; interface faces open where the normal stress reaches adhesionStrengthMPa and voids grow \
                along the interface by a Paris law. Cracked cells block Li across their (003) plane; open faces carry no \
                current. With cycle jumping (default) the damage is extrapolated over up to maximumJumpCycles cycles, or until \
                eventsPerJump faces have opened, before the next discharge. Defaults: the paperCalibrated cell, the damage \
                laws of docs/cycling.md with the interface Paris law fitted to Fig. 5(a) (`cathodelab calibrate cycling`), \
                and, without a section given, the run of study fig5a-cycling (the Fig. 5(c) model system, 46 × 80, with the \
                D_f of fig5d-model-system, 75 cycles at 1C). The section: --microstructure FILE.json, --mask IMAGE or the 2D \
                options with --set. \
                --electrolyte liquid wets cracks (no blocking) and the whole top (no delamination). Writes cycles.csv \
                (capacity and retention per cycle; solved = 1 where a discharge ran, else taken from the discharges around it), \
                solves.csv (damage at every discharge), and at cycle 1, every --record-every cycles, every --record-cycle \
                and the last: \
                theta_cycle<N>.npy (c/c_max at the end of that discharge, nx × ny, NaN in holes), cracked_cycle<N>.npy \
                (1 = cracked), opening_stress_cycle<N>.npy (Pa), contact_cycle<N>.npy (ny, 1 = bonded); with \
                microstructure.json and metadata.json, to --out (without it, cycles.csv goes to stdout). Exit 1 on bad \
                input with nothing written.
                """)

        @Option(
            name: .long, help: "Base 1D cell set (default: the --params file's \"base\" or paperCalibrated).")
        var base: String?
        @Option(name: .long, help: "JSON file of cycling, mechanical, 2D and cell parameter names (numbers).")
        var params: String?
        @Option(name: .long, help: "Microstructure JSON (replaces the one built from the options).") var microstructure:
            String?
        @Option(name: .long, help: "Mask image (PGM or PNG) of the cross-section.") var mask: String?
        @Option(name: .long, help: "Any cycling, mechanical, 2D or cell parameter as name=value (repeatable).")
        var set: [String] = []
        @Option(
            name: .long,
            help:
                "Output folder: new, empty, or written by CathodeLab before (replaced as a whole, never half-written). Without it, cycles.csv goes to stdout."
        ) var out: String?
        @Option(help: helpCycling("cycles")) var cycles: Double?
        @Option(name: .customLong("c-rate"), help: "C-rate of every discharge [h⁻¹].") var cRate: Double?
        @Option(name: .customLong("record-every"), help: helpCycling("recordIntervalCycles")) var recordEvery: Double?
        @Option(
            name: .customLong("record-cycle"),
            help: "Also record the fields at this cycle (repeatable; the cycle is solved, not jumped over).")
        var recordCycle: [Int] = []
        @Flag(name: .customLong("no-jumping"), help: "A discharge and stress solve every cycle (no cycle jumping).")
        var noJumping = false
        @Option(
            name: .long,
            help:
                "solid (default; cracks block, the interface can delaminate) or liquid (wetted cracks, no delamination)."
        ) var electrolyte: String = "solid"
        @Option(name: .customLong("bulk-strength-mpa"), help: helpCycling("bulkStrengthMPa")) var bulkStrengthMPa:
            Double?
        @Option(name: .customLong("adhesion-strength-mpa"), help: helpCycling("adhesionStrengthMPa"))
        var adhesionStrengthMPa: Double?
        @Option(help: helpCycling("interfaceParisRateMetresPerCycle")) var interfaceParisRateMetresPerCycle: Double?
        @Option(help: helpCycling("interfaceParisExponent")) var interfaceParisExponent: Double?

        func run() throws {
            let folder = try SimulateSupport.outputFolder(out)
            let schema = CyclingParameterRegistry.schema
            let file = try params.map { try ParameterFile.read(path: $0, schema: schema) } ?? ParameterFile()
            var numbers = file.numbers
            for (name, value) in try SimulateSupport.numbers(fromSet: set) {
                guard schema.kinds[name] != nil else { throw schema.unknown(name) }
                numbers[name] = value
            }
            // Without a section of the user's, the Fig. 5(a) run (the model system with the D_f of Fig. 5(d)).
            if microstructure == nil && mask == nil && numbers["modelSystem"] == nil {
                numbers = Fig5aCycling.overrides.merging(numbers) { $1 }
            }
            let pairs: [(String, Double?)] = [
                ("cycles", cycles), ("cRate", cRate), ("recordIntervalCycles", recordEvery),
                ("bulkStrengthMPa", bulkStrengthMPa), ("adhesionStrengthMPa", adhesionStrengthMPa),
                ("interfaceParisRateMetresPerCycle", interfaceParisRateMetresPerCycle),
                ("interfaceParisExponent", interfaceParisExponent),
            ]
            for (name, value) in pairs { if let value { numbers[name] = value } }
            if noJumping { numbers["cycleJumping"] = 0 }
            switch electrolyte {
            case "solid": break
            case "liquid":
                numbers["liquidElectrolyte"] = 1
                numbers["interfaceCondition"] = 0
            default:
                throw CLIError("--electrolyte must be solid or liquid (got \"\(electrolyte)\")")
            }
            let baseSet = base ?? file.base ?? "paperCalibrated"
            var spec = try CyclingParameterRegistry.spec(base: baseSet, numbers: numbers)
            spec.recordCycles = recordCycle
            let setup = try spec.section.diffusion.setup()
            let given = try SimulateSupport.microstructure(
                file: microstructure, mask: mask, numbers: numbers, cellThickness: setup.cell.thickness,
                width: spec.section.diffusion.widthMicrometres * 1e-6,
                angleDegrees: spec.section.diffusion.grainAngleDegrees)
            let result: CyclingResult
            do {
                result = try CyclingRunner.run(spec, microstructure: given) { message in
                    FileHandle.standardError.write(Data((message + "\n").utf8))
                }
            } catch let error as ModelInputError {
                throw error
            } catch let error as ModelRunError {
                throw error
            } catch {
                throw CLIError("the cycling run failed: \(error)")
            }
            try SimulateSupport.requireFinite(curve: [("capacity [mAh g-1]", result.capacity)])
            try write(result, spec: spec, microstructure: given ?? setup.microstructure, to: folder)
        }

        func write(_ r: CyclingResult, spec: CyclingSpec, microstructure m: Microstructure, to folder: URL?) throws {
            let retention = r.retention
            let table = CSVTable(
                columns: ["cycle", "capacity [mAh g-1]", "retention [-]", "solved [0/1]"],
                rows: r.capacity.indices.map {
                    [Double($0 + 1), r.capacity[$0], retention[$0], r.solvedCycle[$0] ? 1 : 0]
                })
            guard let folder else {
                print(table.text, terminator: "")
                return
            }
            let solves = CSVTable(
                columns: [
                    "cycle", "capacity [mAh g-1]", "contact fraction [-]", "cracked fraction [-]",
                    "cracked across the thickness [-]",
                ],
                rows: r.solves.map {
                    [Double($0.cycle), $0.capacity, $0.contactFraction, $0.crackedFraction, $0.blockingCrackedFraction]
                })
            var results: [String: Double] = [
                "first-cycle capacity [mAh g-1]": r.capacity.first ?? 0,
                "last-cycle capacity [mAh g-1]": r.capacity.last ?? 0,
                "last-cycle retention [-]": retention.last ?? 0, "discharges solved [-]": Double(r.solves.count),
            ]
            if let last = r.solves.last {
                results["contact fraction at the last discharge [-]"] = last.contactFraction
                results["cracked fraction at the last discharge [-]"] = last.crackedFraction
            }
            try SimulateSupport.requireFinite(results)
            let metadata = Studies.ModelMetadata(
                model: "cycling (Model B + Model C with bulk fracture and interface delamination, issue 15)",
                baseParameterSet: spec.section.diffusion.base,
                parameters: CyclingParameterRegistry.describe(spec).map {
                    .init(name: $0.name, value: $0.value, unit: $0.unit)
                },
                results: results, termination: r.stoppedEarly ?? "all cycles",
                citations: ["Paris1963", "Ritchie1999", "HutchinsonSuo1992", "Mughal2017", "McGrogan2017"])
            try OutputFolder.replace(folder, kind: "simulation") { dir in
                try Data(table.text.utf8).write(to: dir.appendingPathComponent("cycles.csv"))
                try Data(solves.text.utf8).write(to: dir.appendingPathComponent("solves.csv"))
                for snapshot in r.snapshots {
                    let n = snapshot.cycle
                    try NumpyArray.encode(snapshot.theta, shape: [r.nx, r.ny]).write(
                        to: dir.appendingPathComponent("theta_cycle\(n).npy"))
                    try NumpyArray.encode(snapshot.cracked.map { $0 ? 1 : 0 }, shape: [r.nx, r.ny]).write(
                        to: dir.appendingPathComponent("cracked_cycle\(n).npy"))
                    try NumpyArray.encode(
                        snapshot.openingStress.indices.map { r.hole[$0] ? .nan : snapshot.openingStress[$0] },
                        shape: [r.nx, r.ny]
                    ).write(to: dir.appendingPathComponent("opening_stress_cycle\(n).npy"))
                    try NumpyArray.encode(snapshot.contact.map { $0 ? 1 : 0 }, shape: [r.ny]).write(
                        to: dir.appendingPathComponent("contact_cycle\(n).npy"))
                }
                try StableJSON.encode(m).write(to: dir.appendingPathComponent("microstructure.json"))
                try StableJSON.encode(metadata).write(to: dir.appendingPathComponent("metadata.json"))
            }
            FileHandle.standardError.write(
                Data(
                    String(
                        format: "%d cycles, %d discharges: %.2f → %.2f mAh g-1 (retention %.3f), results in %@\n",
                        r.capacity.count, r.solves.count, r.capacity.first ?? 0, r.capacity.last ?? 0,
                        retention.last ?? 0, folder.path
                    ).utf8))
        }
    }
}
