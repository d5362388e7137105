import CathodeModels
import Foundation
import Plotting

/// One computed point of a sweep: its label, the overrides that define it, and the model output.
public struct SweepPoint: Sendable {
    public let label: String
    public let overrides: [String: Double]
    public let output: ModelOutput
    public var dense1d: Dense1DResult { output.dense1d }
    public var composite: CompositeResult { output.composite }
    public var dense2d: Dense2DResult { output.dense2d }
    public var stress: ChemoMechanicalResult { output.stress }
    public var impedance: ImpedanceRunResult { output.impedance }
    public var cycling: CyclingResult { output.cycling }
}

/// The results of one sweep, in declaration order (x fastest for grids).
public struct SweepResults: Sendable {
    public let sweep: Sweep
    public let points: [SweepPoint]

    /// The point with the given case label.
    public func point(_ label: String) throws -> SweepPoint {
        guard let p = points.first(where: { $0.label == label }) else {
            throw StudyError.missingResult("sweep '\(sweep.name)' has no case '\(label)'")
        }
        return p
    }

    /// The point whose overrides match `values` (to 1e-9 relative).
    public func point(where values: [String: Double]) throws -> SweepPoint {
        guard
            let p = points.first(where: { p in
                values.allSatisfy { k, v in p.overrides[k].map { abs($0 - v) <= 1e-9 * max(abs(v), 1e-300) } ?? false }
            })
        else {
            throw StudyError.missingResult("sweep '\(sweep.name)' has no point \(values)")
        }
        return p
    }

    /// A scalar over a 2D sweep as a field on the (x, y) axis values.
    public func field(_ value: (SweepPoint) -> Double) throws -> Field2D {
        guard sweep.axes.count == 2 else { throw StudyError.missingResult("sweep '\(sweep.name)' is not a 2D grid") }
        return Field2D(x: sweep.axes[0].values, y: sweep.axes[1].values, values: points.map(value))
    }

    /// A scalar over a 1D sweep: (axis values, values).
    public func series(_ value: (SweepPoint) -> Double) throws -> (x: [Double], y: [Double]) {
        guard sweep.axes.count == 1 else { throw StudyError.missingResult("sweep '\(sweep.name)' is not 1D") }
        return (sweep.axes[0].values, points.map(value))
    }
}

/// Every sweep's results of a study, by sweep name, and the results of its calibrations, by id.
public struct StudyResults: Sendable {
    let sweeps: [String: SweepResults]
    var calibrations: [String: CalibrationResult] = [:]
    var sensitivities: [String: SensitivityResult] = [:]

    init(
        sweeps: [String: SweepResults], calibrations: [String: CalibrationResult] = [:],
        sensitivities: [String: SensitivityResult] = [:]
    ) {
        self.sweeps = sweeps
        self.calibrations = calibrations
        self.sensitivities = sensitivities
    }

    /// The indices of the study's sensitivity analysis `name`.
    public func sensitivity(_ name: String) throws -> SensitivityResult {
        guard let result = sensitivities[name] else {
            throw StudyError.missingResult("no sensitivity analysis named '\(name)' in this study")
        }
        return result
    }

    /// The result of the study's calibration `id`.
    public func calibration(_ id: String) throws -> CalibrationResult {
        guard let result = calibrations[id] else {
            throw StudyError.missingResult("no calibration named '\(id)' in this study")
        }
        return result
    }

    public subscript(_ name: String) -> SweepResults {
        get throws {
            guard let s = sweeps[name] else { throw StudyError.missingResult("no sweep named '\(name)'") }
            return s
        }
    }
}

/// Failures of a study declaration or its evaluation.
public enum StudyError: Error, Equatable, CustomStringConvertible {
    case invalidDeclaration(study: String, problems: [String])
    case missingResult(String)
    case templateMissing(study: String, path: String)
    case templateValues(study: String, template: String, missing: [String])
    case templateSyntax(study: String, template: String, reason: String)
    /// Runs that failed in a shard (each described), after the shard's other runs were stored.
    case runsFailed([String])
    /// `report --from-cache` found runs missing from the cache (each described), out of `total`.
    case runsNotCached([String], total: Int)

    public var description: String {
        switch self {
        case let .invalidDeclaration(s, p):
            return "study '\(s)' is declared wrongly:\n  - " + p.joined(separator: "\n  - ")
        case let .missingResult(m): return m
        case let .templateMissing(s, p): return "study '\(s)': narrative template \(p) does not exist"
        case let .templateValues(s, t, m):
            return
                "study '\(s)': template \(t) uses value\(m.count == 1 ? "" : "s") the study does not provide: \(m.joined(separator: ", "))"
        case let .templateSyntax(s, t, r): return "study '\(s)': template \(t) cannot be parsed: \(r)"
        case let .runsFailed(runs):
            return "\(runs.count) run\(runs.count == 1 ? "" : "s") failed:\n  "
                + runs.prefix(20).joined(separator: "\n  ")
                + (runs.count > 20 ? "\n  … and \(runs.count - 20) more" : "")
        case let .runsNotCached(runs, total):
            return
                "\(runs.count) of \(total) runs are not in the cache, so --from-cache cannot assemble the bundles (nothing was written); compute them with `report --shard I/N` or without --from-cache:\n  "
                + runs.prefix(20).joined(separator: "\n  ")
                + (runs.count > 20 ? "\n  … and \(runs.count - 20) more" : "")
        }
    }
}
