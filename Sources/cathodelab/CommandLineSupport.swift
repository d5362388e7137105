import ArgumentParser
import BuildInfo
import CathodeModels
import Foundation
import ModelIO
import ResultStore

/// Exit codes of every command (README "Safety and errors"):
/// 0 success; 1 a run or study failed, or a diff found changes outside tolerance; 2 bad usage or bad input
/// (nothing is computed or written).
enum ExitStatus {
    static let success: Int32 = 0
    static let failure: Int32 = 1
    static let badInput: Int32 = 2
}

/// A failure while running that the user can act on: `error: <message>`, exit code 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

/// Bad usage or input found by a command itself: `error: <message>`, exit code 2.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

/// The process entry point: parses the command line (negative numbers allowed as option values), runs the
/// command, and turns every error into one message on stderr and one documented exit code.
@main
enum EntryPoint {
    static func main() {
        let arguments = joinNegativeValues(Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try CathodeLab.parseAsRoot(arguments)
            try command.run()
        } catch {
            let (status, message) = report(error)
            if !message.isEmpty {
                let text = message.hasSuffix("\n") ? message : message + "\n"
                FileHandle(fileDescriptor: status == ExitStatus.success ? STDOUT_FILENO : STDERR_FILENO).write(
                    Data(text.utf8))
            }
            exit(status)
        }
    }

    /// The exit code and message for an error.
    static func report(_ error: Error) -> (Int32, String) {
        switch error {
        case let e as ExitCode: return (e.rawValue, "")
        case let e as UsageError: return (ExitStatus.badInput, "error: \(e.description)")
        case let e as ModelInputError: return (ExitStatus.badInput, "error: \(e.description)")
        case let e as UnsafeOutputError: return (ExitStatus.badInput, "error: \(e.description)")
        case let e as MaskImage.ReadError: return (ExitStatus.badInput, "error: \(e.description)")
        case let e as NumpyArray.DecodeError: return (ExitStatus.badInput, "error: \(e.description)")
        case let e as CLIError: return (ExitStatus.failure, "error: \(e.description)")
        case let e as ModelRunError: return (ExitStatus.failure, "error: \(e.description)")
        case let e as CircuitFitError: return (ExitStatus.failure, "error: \(e.description)")
        default:
            let code = CathodeLab.exitCode(for: error)
            let message = CathodeLab.fullMessage(for: error)
            if code == .success { return (ExitStatus.success, message) }
            // ArgumentParser reports usage problems with EX_USAGE (64); CathodeLab documents 2 for them.
            if code == .validationFailure { return (ExitStatus.badInput, message) }
            return (
                code.rawValue == 0 ? ExitStatus.failure : code.rawValue, message.isEmpty ? "error: \(error)" : message
            )
        }
    }

    /// `--name -1` → `--name=-1`, so a negative number is taken as the option's value rather than as an
    /// unknown option (and then range-checked like any other value).
    static func joinNegativeValues(_ arguments: [String]) -> [String] {
        var out: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument.hasPrefix("--"), argument.count > 2, !argument.contains("="), index + 1 < arguments.count,
                isNegativeNumber(arguments[index + 1])
            {
                out.append(argument + "=" + arguments[index + 1])
                index += 2
                continue
            }
            out.append(argument)
            index += 1
        }
        return out
    }

    static func isNegativeNumber(_ text: String) -> Bool {
        guard text.hasPrefix("-"), text.count > 1 else { return false }
        let rest = text.dropFirst().lowercased()
        return Double(text) != nil || ["inf", "infinity", "nan"].contains(rest)
    }
}

/// Shared pieces of the `simulate` commands.
enum SimulateSupport {
    /// `name=value` items of `--set` as numbers (the value must parse as a number).
    static func numbers(fromSet items: [String]) throws -> [String: Double] {
        var numbers: [String: Double] = [:]
        for item in items {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw UsageError("--set '\(item)': expected name=number")
            }
            guard let value = Double(parts[1].trimmingCharacters(in: .whitespaces)) else {
                throw UsageError("--set \(parts[0])='\(parts[1])': the value is not a number")
            }
            guard numbers[parts[0]] == nil else { throw UsageError("--set \(parts[0]) is given twice") }
            numbers[parts[0]] = value
        }
        return numbers
    }

    /// The resolved `--out` folder (checked before any work), or nil without `--out`.
    static func outputFolder(_ out: String?) throws -> URL? {
        try out.map { try OutputFolder.checkTarget($0) }
    }

    /// Throws when a result number is not finite (a run must never write NaN or ±inf as a result).
    static func requireFinite(_ values: [String: Double]) throws {
        for key in values.keys.sorted() where !values[key]!.isFinite {
            throw ModelRunError.nonFiniteResult(what: "\(key) (\(values[key]!))")
        }
    }

    /// Throws when any value of a curve is not finite.
    static func requireFinite(curve columns: [(String, [Double])]) throws {
        for (name, values) in columns {
            if let bad = values.first(where: { !$0.isFinite }) {
                throw ModelRunError.nonFiniteResult(what: "\(name) (\(bad)) in the curve")
            }
        }
    }

    /// A microstructure from exactly one of a JSON file and a mask image, with the settings they fix checked
    /// against those given (`numbers`), or nil when neither is given.
    static func microstructure(
        file: String?, mask: String?, numbers: [String: Double], cellThickness: Double, width: Double,
        angleDegrees: Double
    ) throws -> Microstructure? {
        switch (file, mask) {
        case (nil, nil):
            return nil
        case (.some, .some):
            throw ModelInputError.conflict(
                first: "--microstructure", second: "--mask", reason: "both describe the section; give one")
        case (.some(let path), nil):
            let fixed = [
                "nx", "ny", "widthMicrometres", "thicknessMicrometres", "contactFraction", "contactPeriodMicrometres",
                "randomContact",
                "randomGapMicrometres", "roughnessRmsMicrometres", "roughnessCorrelationMicrometres",
                "explicitRoughness",
                "grainAngleDegrees", "grainCount", "misorientedFraction", "randomOrientation", "seed", "modelSystem",
            ]
            if let name = fixed.first(where: { numbers[$0] != nil }) {
                throw ModelInputError.conflict(
                    first: "--microstructure \(path)", second: name,
                    reason:
                        "the microstructure file fixes the section's grid, size, contact, roughness and grains; remove \(name)"
                )
            }
            return try MicrostructureFile.read(path: path)
        case (nil, .some(let path)):
            let fixed = [
                "nx", "ny", "contactFraction", "contactPeriodMicrometres", "randomContact", "randomGapMicrometres",
                "roughnessRmsMicrometres",
                "roughnessCorrelationMicrometres", "explicitRoughness", "grainCount", "misorientedFraction",
                "randomOrientation", "modelSystem",
            ]
            if let name = fixed.first(where: { numbers[$0] != nil }) {
                throw ModelInputError.conflict(
                    first: "--mask \(path)", second: name,
                    reason: "the image fixes the grid (one pixel per cell), holes and contact; remove \(name)")
            }
            let image = try MaskImage.read(path: path)
            guard image.height >= 2 else {
                throw MaskImage.ReadError.unsupported(
                    path: path,
                    reason:
                        "the image has \(image.height) row; the section needs at least 2 cells through the thickness")
            }
            return MaskImage.microstructure(
                image, thickness: cellThickness, width: width, angle: angleDegrees * .pi / 180)
        }
    }
}
