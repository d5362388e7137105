import Foundation
import Plotting
import ResultStore

public enum ChangeStatus: String, Sendable, Codable {
    case same = "unchanged"
    case withinTolerance = "changed within tolerance"
    case changed = "CHANGED"
    case added = "added"
    case removed = "removed"
    case incomparable = "not comparable"
    case compared

    /// Whether this status lets `cathodelab diff` exit 0.
    var isAcceptable: Bool { self == .same || self == .withinTolerance || self == .compared }
}

public struct QuantityChange: Sendable {
    public let name: String
    public let unit: String
    public let old: Double?
    public let new: Double?
    public let tolerance: Tolerance
    public var absoluteChange: Double? { old.flatMap { o in new.map { $0 - o } } }
    public var relativeChange: Double? { old.flatMap { o in new.map { o == 0 ? ($0 == 0 ? 0 : .infinity) : ($0 - o) / abs(o) } } }
    public var status: ChangeStatus {
        guard let o = old else { return .added }
        guard let n = new else { return .removed }
        if o == n || (o.isNaN && n.isNaN) { return .same }
        return tolerance.accepts(old: o, new: n) ? .withinTolerance : .changed
    }
}

public struct SeriesChange: Sendable {
    public let file: String
    public let label: String
    public var status: ChangeStatus
    public var xName = "x", yName = "y"
    public var old: (x: [Double], y: [Double])?
    public var new: (x: [Double], y: [Double])?
    public var maxAbsoluteChange = 0.0
    public var maxRelativeChange = 0.0

    init(file: String, label: String, status: ChangeStatus, xName: String = "x", yName: String = "y",
         old: (x: [Double], y: [Double])? = nil, new: (x: [Double], y: [Double])? = nil) {
        self.file = file; self.label = label; self.status = status; self.xName = xName; self.yName = yName; self.old = old; self.new = new
    }
}

public struct FieldChange: Sendable {
    public let file: String
    public var status: ChangeStatus
    public var note: String?
    public var xName = "x", yName = "y", valueName = "value"
    public var x: [Double] = [], y: [Double] = []
    public var difference: [Double] = []
    public var maxAbsoluteChange = 0.0
    init(file: String, status: ChangeStatus) { self.file = file; self.status = status }
}

public struct StudyDiff: Sendable {
    public let id: String
    public let status: ChangeStatus
    public var quantities: [QuantityChange] = []
    public var series: [SeriesChange] = []
    public var fields: [FieldChange] = []
    init(id: String, status: ChangeStatus) { self.id = id; self.status = status }

    public var isAcceptable: Bool {
        status.isAcceptable && quantities.allSatisfy { $0.status.isAcceptable } && series.allSatisfy { $0.status.isAcceptable }
            && fields.allSatisfy { $0.status.isAcceptable }
    }
    public var hasChanges: Bool {
        status != .compared || quantities.contains { $0.status != .same } || series.contains { $0.status != .same } || fields.contains { $0.status != .same }
    }
}

/// The outcome of a diff: per-study changes, and whether everything is within tolerance.
public struct DiffResult: Sendable {
    public let old: URL
    public let new: URL
    public let oldVersion: BundleManifest.CodeVersion?
    public let newVersion: BundleManifest.CodeVersion?
    public let studies: [StudyDiff]
    public let defaultTolerance: Tolerance

    public var withinTolerance: Bool { studies.allSatisfy { $0.isAcceptable } }
    public var hasChanges: Bool { studies.contains { $0.hasChanges } }

    /// One paragraph for stdout.
    public var summary: String {
        if !hasChanges { return "no changes: \(studies.count) stud\(studies.count == 1 ? "y" : "ies") compared, every quantity, series and field identical" }
        let q = studies.flatMap(\.quantities), s = studies.flatMap(\.series), f = studies.flatMap(\.fields)
        func count<T>(_ xs: [T], _ st: (T) -> ChangeStatus, _ w: ChangeStatus) -> Int { xs.filter { st($0) == w }.count }
        var lines = ["\(studies.count) stud\(studies.count == 1 ? "y" : "ies") compared (\(count(studies, { $0.status }, .added)) added, \(count(studies, { $0.status }, .removed)) removed)"]
        lines.append("quantities: \(q.count) — \(count(q, { $0.status }, .changed)) outside tolerance, \(count(q, { $0.status }, .withinTolerance)) within, \(count(q, { $0.status }, .added)) added, \(count(q, { $0.status }, .removed)) removed")
        lines.append("series: \(s.count) — \(count(s, { $0.status }, .changed)) outside tolerance, \(count(s, { $0.status }, .withinTolerance)) within, \(count(s, { $0.status }, .added)) added, \(count(s, { $0.status }, .removed)) removed")
        lines.append("fields: \(f.count) — \(count(f, { $0.status }, .changed)) outside tolerance, \(count(f, { $0.status }, .withinTolerance)) within, \(count(f, { $0.status }, .incomparable)) not comparable")
        for st in studies {
            for c in st.quantities where c.status == .changed {
                lines.append(String(format: "  %@ %@: %@ → %@ %@ (%+.3g %%)", st.id, c.name, fmt(c.old), fmt(c.new), c.unit, 100 * (c.relativeChange ?? .nan)))
            }
        }
        lines.append(withinTolerance ? "everything within tolerance" : "changes outside tolerance")
        return lines.joined(separator: "\n")
    }
}

func fmt(_ v: Double?) -> String {
    guard let v else { return "–" }
    return String(format: "%.6g", v)
}
