import Foundation
import Plotting
import ResultStore

/// The verdict on one compared item (quantity, series, field) or on a study as a whole.
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

    /// The machine-readable name used in diff.json (schema 1).
    public var key: String {
        switch self {
        case .same: return "unchanged"
        case .withinTolerance: return "withinTolerance"
        case .changed: return "outsideTolerance"
        case .added: return "added"
        case .removed: return "removed"
        case .incomparable: return "incomparable"
        case .compared: return "compared"
        }
    }
}

/// The unit inside the last square brackets of a column name ("Cell voltage vs Li/In [V]" → "V"), or "".
func unitOfColumn(_ name: String) -> String {
    guard let open = name.lastIndex(of: "["), let close = name.lastIndex(of: "]"), open < close else { return "" }
    return String(name[name.index(after: open)..<close])
}

/// The factor that turns a value in unit `new` into unit `old` when the two differ only by an SI prefix on the first
/// symbol (kΩ cm2 → Ω cm2: 1000; µm → mm: 0.001), 1 when they are equal, nil otherwise.
func prefixFactor(from new: String, to old: String) -> Double? {
    if new == old { return 1 }
    let prefixes: [(String, Double)] = [
        ("G", 1e9), ("M", 1e6), ("k", 1e3), ("m", 1e-3), ("µ", 1e-6), ("μ", 1e-6), ("n", 1e-9), ("", 1),
    ]
    for (newPrefix, newScale) in prefixes where new.hasPrefix(newPrefix) {
        let rest = new.dropFirst(newPrefix.count)
        guard !rest.isEmpty else { continue }
        for (oldPrefix, oldScale) in prefixes where old == oldPrefix + rest {
            return newScale / oldScale
        }
    }
    return nil
}

/// One computed quantity on both sides: old, new, change and verdict.
///
/// A quantity whose unit is "%" changes in percentage points: `absoluteChange` is then in points and the
/// report prints "pp", never a relative change of a percentage.
public struct QuantityChange: Sendable {
    public let name: String
    public let unit: String
    public let old: Double?
    public let new: Double?
    public let tolerance: Tolerance
    public var isPercentage: Bool { unit == "%" }
    public var absoluteChange: Double? { old.flatMap { o in new.map { $0 - o } } }
    /// (new − old)/|old|; +∞ when old is 0 and new is not.
    public var relativeChange: Double? {
        old.flatMap { o in new.map { o == 0 ? ($0 == 0 ? 0 : .infinity) : ($0 - o) / abs(o) } }
    }
    public var status: ChangeStatus {
        guard let o = old else { return .added }
        guard let n = new else { return .removed }
        if o == n || (o.isNaN && n.isNaN) { return .same }
        return tolerance.accepts(old: o, new: n) ? .withinTolerance : .changed
    }
    /// The change as a reader wants it: "+1.3 %" of the old value, or "+2.1 pp" for a percentage.
    public var changeText: String {
        guard let d = absoluteChange else { return "–" }
        if isPercentage { return String(format: "%+.3g pp", d) }
        guard let r = relativeChange, r.isFinite else { return String(format: "%+.4g %@", d, unit) }
        return String(format: "%+.3g %%", 100 * r)
    }
}

/// One plotted series on both sides: the largest change of y over the old x values.
public struct SeriesChange: Sendable {
    public let file: String
    public let label: String
    public var status: ChangeStatus
    public var xName = "x", yName = "y"
    public var old: (x: [Double], y: [Double])?
    public var new: (x: [Double], y: [Double])?
    public var maxAbsoluteChange = 0.0
    public var maxRelativeChange = 0.0
    /// How the two sides were made comparable, or why they could not be (a column's unit changed).
    public var note: String?
    /// The unit of y, from the column name.
    public var unit: String { unitOfColumn(yName) }

    init(
        file: String, label: String, status: ChangeStatus, xName: String = "x", yName: String = "y",
        old: (x: [Double], y: [Double])? = nil, new: (x: [Double], y: [Double])? = nil
    ) {
        self.file = file
        self.label = label
        self.status = status
        self.xName = xName
        self.yName = yName
        self.old = old
        self.new = new
    }
}

/// One 2D field on both sides: the difference map new − old on the old grid.
public struct FieldChange: Sendable {
    public let file: String
    public var status: ChangeStatus
    public var note: String?
    public var xName = "x", yName = "y", valueName = "value"
    public var x: [Double] = [], y: [Double] = []
    public var difference: [Double] = []
    public var maxAbsoluteChange = 0.0
    /// The largest |new − old| over the largest |old| of the field (a change relative to the field's scale).
    public var maxRelativeChange = 0.0
    public var unit: String { unitOfColumn(valueName) }
    init(file: String, status: ChangeStatus) {
        self.file = file
        self.status = status
    }
}

/// The largest change inside a study, for ranking and for the verdict table.
public struct LargestChange: Sendable, Equatable {
    /// What changed: a quantity name, or `file: series`, or a field's file.
    public let name: String
    /// The relative size used for ranking (|Δ|/|old|; for a percentage, |Δ pp|/|old|).
    public let relative: Double
    /// Human-readable: "97.8 → 99.1 mAh g⁻¹ (+1.3 %)".
    public let text: String
}

/// Every change of one study, and the inputs that differ (`causes`).
public struct StudyDiff: Sendable {
    public let id: String
    public let status: ChangeStatus
    public var quantities: [QuantityChange] = []
    public var series: [SeriesChange] = []
    public var fields: [FieldChange] = []
    public var causes = StudyCauses()
    init(id: String, status: ChangeStatus) {
        self.id = id
        self.status = status
    }

    public var isAcceptable: Bool {
        status.isAcceptable && quantities.allSatisfy { $0.status.isAcceptable }
            && series.allSatisfy { $0.status.isAcceptable }
            && fields.allSatisfy { $0.status.isAcceptable }
    }
    public var hasChanges: Bool {
        status != .compared || quantities.contains { $0.status != .same } || series.contains { $0.status != .same }
            || fields.contains { $0.status != .same }
    }
    /// Items outside tolerance (or added, removed, not comparable): quantities, series, fields.
    public var outside: (quantities: Int, series: Int, fields: Int) {
        (
            quantities.filter { !$0.status.isAcceptable }.count, series.filter { !$0.status.isAcceptable }.count,
            fields.filter { !$0.status.isAcceptable }.count
        )
    }
    /// One word for the verdict table.
    public var verdict: String {
        switch status {
        case .added: return "added"
        case .removed: return "removed"
        default: return !hasChanges ? "unchanged" : (isAcceptable ? "within tolerance" : "outside tolerance")
        }
    }

    /// Changed quantities sorted by |relative change|, largest first (then by name).
    public var changedQuantities: [QuantityChange] {
        quantities.filter { $0.status != .same }.sorted { a, b in
            let ra = abs(a.relativeChange ?? .infinity)
            let rb = abs(b.relativeChange ?? .infinity)
            return ra != rb ? ra > rb : a.name < b.name
        }
    }

    /// The single largest change (nil when nothing changed).
    public var largestChange: LargestChange? {
        var candidates: [LargestChange] = []
        for q in quantities where q.status != .same {
            let value: String
            if let o = q.old, let n = q.new {
                value = "\(fmt(o)) → \(fmt(n))\(q.unit.isEmpty ? "" : " " + q.unit) (\(q.changeText))"
            } else {
                value = q.status.rawValue
            }
            candidates.append(LargestChange(name: q.name, relative: abs(q.relativeChange ?? .infinity), text: value))
        }
        for s in series where s.status != .same {
            let text =
                s.status == .added || s.status == .removed
                ? s.status.rawValue
                : String(
                    format: "max |Δ| %.3g%@ (%.3g %%)", s.maxAbsoluteChange, s.unit.isEmpty ? "" : " " + s.unit,
                    100 * s.maxRelativeChange)
            candidates.append(
                LargestChange(
                    name: "\(s.file): \(s.label)",
                    relative: s.status == .added || s.status == .removed ? .infinity : s.maxRelativeChange, text: text))
        }
        for f in fields where f.status != .same {
            let text =
                f.status == .incomparable || f.status == .added || f.status == .removed
                ? f.status.rawValue
                : String(
                    format: "max |Δ| %.3g%@ (%.3g %% of the field's scale)", f.maxAbsoluteChange,
                    f.unit.isEmpty ? "" : " " + f.unit, 100 * f.maxRelativeChange)
            candidates.append(
                LargestChange(
                    name: f.file,
                    relative: f.status == .incomparable || f.status == .added || f.status == .removed
                        ? .infinity : f.maxRelativeChange, text: text))
        }
        return candidates.max { a, b in a.relative != b.relative ? a.relative < b.relative : a.name > b.name }
    }
}

/// The outcome of a diff: per-study changes and causes, and whether everything is within tolerance.
public struct DiffResult: Sendable {
    public let old: URL
    public let new: URL
    public let oldVersion: BundleManifest.CodeVersion?
    public let newVersion: BundleManifest.CodeVersion?
    public let studies: [StudyDiff]
    public let defaultTolerance: Tolerance
    /// The commits and changed files between two revisions (`diff --rev`), set by the command line.
    public var revisions: RevisionCauses?

    public var withinTolerance: Bool { studies.allSatisfy { $0.isAcceptable } }
    public var hasChanges: Bool { studies.contains { $0.hasChanges } }

    /// "no changes", "changes within tolerance" or "changes outside tolerance".
    public var verdict: String {
        !hasChanges ? "no changes" : (withinTolerance ? "changes within tolerance" : "changes outside tolerance")
    }

    /// Studies by impact: outside tolerance first, then any change, each group by its largest relative change;
    /// unchanged studies last, by id.
    public var ranked: [StudyDiff] {
        studies.sorted { a, b in
            let ga = !a.isAcceptable ? 0 : (a.hasChanges ? 1 : 2)
            let gb = !b.isAcceptable ? 0 : (b.hasChanges ? 1 : 2)
            if ga != gb { return ga < gb }
            let ra = a.largestChange?.relative ?? 0
            let rb = b.largestChange?.relative ?? 0
            return ra != rb ? ra > rb : a.id < b.id
        }
    }

    /// A few lines for stdout: verdict, counts, and the studies that changed, ranked.
    public var summary: String {
        if !hasChanges {
            return
                "no changes: \(studies.count) stud\(studies.count == 1 ? "y" : "ies") compared, every quantity, series and field identical"
        }
        let q = studies.flatMap(\.quantities)
        let s = studies.flatMap(\.series)
        let f = studies.flatMap(\.fields)
        func count<T>(_ xs: [T], _ st: (T) -> ChangeStatus, _ w: ChangeStatus) -> Int {
            xs.filter { st($0) == w }.count
        }
        var lines = [
            "\(verdict): \(studies.count) stud\(studies.count == 1 ? "y" : "ies") compared (\(count(studies, { $0.status }, .added)) added, \(count(studies, { $0.status }, .removed)) removed)"
        ]
        lines.append(
            "quantities: \(q.count) — \(count(q, { $0.status }, .changed)) outside tolerance, \(count(q, { $0.status }, .withinTolerance)) within, \(count(q, { $0.status }, .added)) added, \(count(q, { $0.status }, .removed)) removed"
        )
        lines.append(
            "series: \(s.count) — \(count(s, { $0.status }, .changed)) outside tolerance, \(count(s, { $0.status }, .withinTolerance)) within, \(count(s, { $0.status }, .added)) added, \(count(s, { $0.status }, .removed)) removed"
        )
        lines.append(
            "fields: \(f.count) — \(count(f, { $0.status }, .changed)) outside tolerance, \(count(f, { $0.status }, .withinTolerance)) within, \(count(f, { $0.status }, .incomparable)) not comparable"
        )
        for study in ranked where study.hasChanges {
            let largest = study.largestChange.map { ": largest \($0.name) \($0.text)" } ?? ""
            lines.append("  \(study.id) — \(study.verdict)\(largest); inputs: \(study.causes.summary)")
        }
        return lines.joined(separator: "\n")
    }
}

func fmt(_ v: Double?) -> String {
    guard let v else { return "–" }
    return String(format: "%.6g", v)
}
