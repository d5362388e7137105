import ArgumentParser
import CathodeModels
import Foundation
import ResultStore
import Studies
import StudyKit

extension CathodeLab {
    /// `cathodelab calibrate [ID]`: runs (or reads from the cache) a declared calibration and prints its result.
    struct Calibrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Run a declared calibration: multi-start Levenberg–Marquardt on its fit targets, validation targets held out.",
            discussion: """
                Progress goes to stderr. Prints every fitted value with its standard error, literature range and source, \
                then every target (fit and validation) with the published value, the computed one and the residual in \
                units of the target's uncertainty. The result is cached in <out>/.cache under a key of the declaration \
                and the physics version (--force refits). With --json only the result record is printed.
                """)

        @Argument(help: "The calibration to run (default: paper).") var id: String = "paper"
        @Option(name: .long, help: "Output folder whose cache holds the result.") var out: String = "output"
        @Option(name: .long, help: "Parallel simulations, 1–256.") var jobs: Int = ProcessInfo.processInfo
            .activeProcessorCount
        @Flag(name: .long, help: "Ignore a cached result and refit.") var force = false
        @Flag(name: .long, help: "Print only the JSON record on stdout.") var json = false
        @Option(
            name: .customLong("write-swift"),
            help:
                "Write the fitted values as the generated Swift file of the calibrated parameter sets (only a file CathodeLab generated before, or a new one)."
        )
        var writeSwift: String?

        func validate() throws {
            guard (1...256).contains(jobs) else {
                throw ValidationError("--jobs \(jobs) is outside the allowed range 1–256")
            }
            let known = CalibrationCatalogue.all.map(\.id) + ["cycling"]
            guard known.contains(id) else {
                throw ValidationError("unknown calibration '\(id)' (known: \(known.joined(separator: ", ")))")
            }
        }

        func run() throws {
            if id == "cycling" { return try runCycling() }
            let calibration = CalibrationCatalogue.all.first { $0.id == id }!
            let root = try OutputFolder.checkTarget(out)
            try OutputFolder.prepareRoot(root, kind: "report")
            let cache = ResultCache(directory: root.appendingPathComponent(".cache"))
            try cache.checkUsable()
            let runner = CalibrationRunner(calibration, cache: cache, jobs: jobs) { message in
                FileHandle.standardError.write(Data((message + "\n").utf8))
            }
            let start = Date()
            let fromCache = !force && runner.cached() != nil
            let result: CalibrationResult
            do {
                result = try runner.run(force: force)
            } catch let error as CalibrationDeclarationError {
                throw UsageError(error.description)
            }
            if !json {
                print(
                    String(
                        format: "calibration %@ (%@): cost %.4g, %d evaluations, %.1f s%@", result.calibration,
                        result.stopReason, result.cost,
                        result.evaluations, Date().timeIntervalSince(start), fromCache ? " (read from the cache)" : ""))
                for p in result.parameters {
                    let error = p.standardError.map { String(format: "± %.2g", $0) } ?? "(not pinned)"
                    print(
                        String(
                            format: "  %-22@ = %-10.4g %@ %@  bounds [%g, %g]  literature [%g, %g]%@", p.name, p.value,
                            error, p.unit, p.lower, p.upper,
                            p.literatureLower, p.literatureUpper, p.atBound ? "  ON A BOUND" : ""))
                }
                for t in result.targets {
                    let status =
                        t.relation == .equal
                        ? String(format: "%+6.1f %%", 100 * t.relativeDifference) : (t.holds ? " holds " : " FAILS ")
                    print(
                        String(
                            format: "  %-10@ %-55@ published %@ %8.3g  computed %8.3g  %@  %+6.1fσ", t.role.rawValue,
                            t.name, t.relation.symbol, t.published,
                            t.computed, status, t.normalisedResidual))
                }
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(
                positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            if json { FileHandle.standardOutput.write(try encoder.encode(result) + Data([0x0A])) }
            if let writeSwift { try CalibratedValuesFile.write(result, to: writeSwift) }
        }
    }
}

extension CathodeLab.Calibrate {
    /// `calibrate cycling`: the interface fatigue law fitted to Fig. 5(a) (`CyclingCalibration`; ~10 min on 2 cores,
    /// not cached: its result lives in the generated Swift file).
    func runCycling() throws {
        let spec = try CyclingParameterRegistry.spec(base: Calibrated.dense, numbers: Fig5aCycling.overrides)
        let start = Date()
        let fit = try CyclingCalibration.fit(spec, jobs: jobs) { message in
            FileHandle.standardError.write(Data((message + "\n").utf8))
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            FileHandle.standardOutput.write(try encoder.encode(fit) + Data([0x0A]))
        } else {
            print(
                String(
                    format: "calibration cycling: %d evaluations, %.0f s", fit.evaluations,
                    Date().timeIntervalSince(start)
                ))
            print(String(format: "  interfaceParisRateMetresPerCycle = %.4g m per cycle [C]", fit.rate))
            print(
                String(
                    format: "  interfaceParisExponent           = %.3g%@ [C]", fit.exponent,
                    fit.atBound ? " (ON A BOUND)" : ""))
            for (k, cycle) in [25, 50, 75].enumerated() {
                print(
                    String(
                        format: "  %@ retention after %d cycles: published %.3f  computed %.3f",
                        cycle == 50 ? "predicted" : "fit      ",
                        cycle, CyclingCalibration.publishedRetention(cycle), fit.retention[k]))
            }
        }
        if let writeSwift {
            let url = OutputFolder.resolve(writeSwift)
            if FileManager.default.fileExists(atPath: url.path) {
                let existing = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
                guard existing.hasPrefix(CalibratedValuesFile.header) else {
                    throw UsageError(
                        "refusing to overwrite '\(writeSwift)': it is not a file this command generated (its first line must start with \"\(CalibratedValuesFile.header)\")"
                    )
                }
            }
            try Data(CyclingCalibration.swiftSource(fit).utf8).write(to: url, options: .atomic)
            FileHandle.standardError.write(Data("wrote \(url.path)\n".utf8))
        }
    }
}

/// The generated Swift file that carries a calibration's values into the parameter sets
/// (Sources/CathodeModels/Calibrated/PaperCalibratedValues.swift). It is replaced only if it is new or was
/// generated by this command before (its first line says so).
enum CalibratedValuesFile {
    static let header = "// Generated by `cathodelab calibrate"

    static func text(_ result: CalibrationResult) -> String {
        func number(_ v: Double) -> String { String(v) }
        var out = "\(header) \(result.calibration) --write-swift`. Do not edit; rerun the command to update.\n"
        out +=
            "// The values of the joint calibration `\(result.calibration)` (studies/Calibration/PaperCalibration.swift): cost \(String(format: "%.4g", result.cost)),\n"
        out +=
            "// \(result.evaluations) model evaluations, stopped: \(result.stopReason). The calibration report (study paper-calibration) refits\n"
        out += "// and flags any difference between these stored values and the current fit.\n\n"
        out += "/// Fitted values and standard errors of the calibration `\(result.calibration)`, by parameter name.\n"
        out += "public enum PaperCalibratedValues {\n    public static let values: [String: Double] = [\n"
        for p in result.parameters { out += "        \"\(p.name)\": \(number(p.value)),\n" }
        out += "    ]\n\n"
        let errors = result.parameters.compactMap { p in p.standardError.flatMap { $0.isFinite ? (p.name, $0) : nil } }
        // An empty Swift dictionary literal is `[:]`; a parameter the targets do not pin has no entry.
        out += "    public static let standardErrors: [String: Double] = [" + (errors.isEmpty ? ":]\n" : "\n")
        for (name, error) in errors { out += "        \"\(name)\": \(number(error)),\n" }
        out += errors.isEmpty ? "" : "    ]\n"
        out += "\n    /// Parameters that ended on a bound of their literature range (the fit wanted to go further).\n"
        out +=
            "    public static let atBound: [String] = [\(result.parameters.filter(\.atBound).map { "\"\($0.name)\"" }.joined(separator: ", "))]\n}\n"
        return out
    }

    static func write(_ result: CalibrationResult, to path: String) throws {
        let url = OutputFolder.resolve(path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            let existing = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
            guard !isDirectory.boolValue, existing.hasPrefix(header) else {
                throw UsageError(
                    "refusing to overwrite '\(path)': it is not a file this command generated (its first line must start with \"\(header)\")"
                )
            }
        }
        try Data(text(result).utf8).write(to: url, options: .atomic)
        FileHandle.standardError.write(Data("wrote \(url.path)\n".utf8))
    }
}
