import Foundation
import ResultStore

/// `diff.json`, schema `cathodelab-diff` version 1 (JSON Schema: `docs/diff.schema.json`).
///
/// Contract: every number is a JSON number (or null where it does not exist: the old value of an added
/// quantity, the relative change of a quantity whose old value is 0), every flag a JSON boolean, every list
/// a JSON array; studies are listed in impact order (as in the report). A later incompatible change raises
/// `schemaVersion`.
public struct DiffDocument: Codable, Sendable {
    public static let currentSchemaVersion = 1

    public struct Side: Codable, Sendable {
        public let path: String
        @Nullable public var commit: String?
        @Nullable public var dirty: Bool?
    }
    public struct ToleranceRecord: Codable, Sendable {
        public let relative: Double
        public let absolute: Double
    }
    public struct Parameter: Codable, Sendable {
        public let name: String
        public let unit: String
        @Nullable public var old: String?
        @Nullable public var new: String?
        @Nullable public var oldSource: String?
        @Nullable public var newSource: String?
        public let kind: String
        public let sourceNoteUnchanged: Bool
    }
    public struct Causes: Codable, Sendable {
        public let parameters: [Parameter]
        @Nullable public var templateChanged: Bool?
        @Nullable public var declarationChanged: Bool?
        @Nullable public var declarationFile: String?
        @Nullable public var oldPhysicsVersion: String?
        @Nullable public var newPhysicsVersion: String?
        @Nullable public var runsOnlyOld: Int?
        @Nullable public var runsOnlyNew: Int?
    }
    public struct QuantityRecord: Codable, Sendable {
        public let name: String
        public let unit: String
        @Nullable public var old: Double?
        @Nullable public var new: Double?
        @Nullable public var absoluteChange: Double?
        @Nullable public var relativeChange: Double?
        public let percentagePoints: Bool
        public let tolerance: ToleranceRecord
        public let status: String
        public let withinTolerance: Bool
    }
    public struct SeriesRecord: Codable, Sendable {
        public let file: String
        public let label: String
        public let x: String
        public let y: String
        public let unit: String
        public let maxAbsoluteChange: Double
        public let maxRelativeChange: Double
        public let status: String
        public let withinTolerance: Bool
    }
    public struct FieldRecord: Codable, Sendable {
        public let file: String
        public let value: String
        public let unit: String
        public let maxAbsoluteChange: Double
        @Nullable public var maxRelativeChange: Double?
        @Nullable public var note: String?
        public let status: String
        public let withinTolerance: Bool
    }
    public struct Largest: Codable, Sendable {
        public let name: String
        @Nullable public var relative: Double?
        public let text: String
    }
    public struct StudyRecord: Codable, Sendable {
        public let id: String
        public let status: String
        public let verdict: String
        public let withinTolerance: Bool
        public let hasChanges: Bool
        public let quantitiesOutsideTolerance: Int
        public let seriesOutsideTolerance: Int
        public let fieldsOutsideTolerance: Int
        @Nullable public var largestChange: Largest?
        public let causes: Causes
        public let quantities: [QuantityRecord]
        public let series: [SeriesRecord]
        public let fields: [FieldRecord]
    }

    public let schema: String
    public let schemaVersion: Int
    public let verdict: String
    public let withinTolerance: Bool
    public let hasChanges: Bool
    public let old: Side
    public let new: Side
    public let defaultTolerance: ToleranceRecord
    @Nullable public var revisions: RevisionCauses?
    public let studies: [StudyRecord]

    static func finite(_ v: Double?) -> Double? { v.flatMap { $0.isFinite ? $0 : nil } }

    public init(_ result: DiffResult) {
        schema = "cathodelab-diff"
        schemaVersion = Self.currentSchemaVersion
        verdict = result.verdict
        withinTolerance = result.withinTolerance
        hasChanges = result.hasChanges
        old = Side(path: result.old.path, commit: result.oldVersion?.commit, dirty: result.oldVersion?.dirty)
        new = Side(path: result.new.path, commit: result.newVersion?.commit, dirty: result.newVersion?.dirty)
        defaultTolerance = ToleranceRecord(
            relative: result.defaultTolerance.relative, absolute: result.defaultTolerance.absolute)
        revisions = result.revisions
        studies = result.ranked.map { study in
            let c = study.causes
            let outside = study.outside
            return StudyRecord(
                id: study.id, status: study.status.key, verdict: study.verdict, withinTolerance: study.isAcceptable,
                hasChanges: study.hasChanges,
                quantitiesOutsideTolerance: outside.quantities, seriesOutsideTolerance: outside.series,
                fieldsOutsideTolerance: outside.fields,
                largestChange: study.largestChange.map {
                    Largest(name: $0.name, relative: Self.finite($0.relative), text: $0.text)
                },
                causes: Causes(
                    parameters: c.parameters.map {
                        Parameter(
                            name: $0.name, unit: $0.unit, old: $0.old, new: $0.new, oldSource: $0.oldSource,
                            newSource: $0.newSource,
                            kind: $0.kind.rawValue, sourceNoteUnchanged: $0.sourceNoteUnchanged)
                    }, templateChanged: c.templateChanged, declarationChanged: c.declarationChanged,
                    declarationFile: c.declarationFile,
                    oldPhysicsVersion: c.oldPhysicsVersion, newPhysicsVersion: c.newPhysicsVersion,
                    runsOnlyOld: c.runsOnlyOld, runsOnlyNew: c.runsOnlyNew),
                quantities: study.quantities.map { q in
                    QuantityRecord(
                        name: q.name, unit: q.unit, old: Self.finite(q.old), new: Self.finite(q.new),
                        absoluteChange: Self.finite(q.absoluteChange),
                        relativeChange: q.isPercentage ? nil : Self.finite(q.relativeChange),
                        percentagePoints: q.isPercentage,
                        tolerance: ToleranceRecord(relative: q.tolerance.relative, absolute: q.tolerance.absolute),
                        status: q.status.key, withinTolerance: q.status.isAcceptable)
                },
                series: study.series.map { s in
                    SeriesRecord(
                        file: s.file, label: s.label, x: s.xName, y: s.yName, unit: s.unit,
                        maxAbsoluteChange: s.maxAbsoluteChange,
                        maxRelativeChange: s.maxRelativeChange, status: s.status.key,
                        withinTolerance: s.status.isAcceptable)
                },
                fields: study.fields.map { f in
                    FieldRecord(
                        file: f.file, value: f.valueName, unit: f.unit, maxAbsoluteChange: f.maxAbsoluteChange,
                        maxRelativeChange: Self.finite(f.maxRelativeChange), note: f.note, status: f.status.key,
                        withinTolerance: f.status.isAcceptable)
                })
        }
    }

    /// The document as sorted, pretty-printed JSON bytes.
    public func encoded() throws -> Data { try StableJSON.encode(self) }
}

/// An optional that is written as an explicit `null` (synthesised Codable would leave the key out), so that
/// every key of the schema is always present in diff.json.
@propertyWrapper
public struct Nullable<Value: Codable & Sendable>: Codable, Sendable {
    public var wrappedValue: Value?
    public init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? nil : try container.decode(Value.self)
    }
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

/// `diff-junit.xml`: one JUnit test suite per study, one test case per compared quantity, series and field; a
/// case outside tolerance (or added, removed, not comparable) is a failure whose message gives old, new and
/// the change, so CI systems show regressions natively.
public enum JUnitReport {
    public static func xml(_ result: DiffResult) -> String {
        var suites: [String] = []
        var totalTests = 0
        var totalFailures = 0
        for study in result.ranked {
            var cases: [String] = []
            var failures = 0
            func add(_ name: String, _ status: ChangeStatus, _ message: String) {
                let open = "    <testcase classname=\"\(escape(study.id))\" name=\"\(escape(name))\""
                if status.isAcceptable {
                    cases.append(open + "/>")
                } else {
                    failures += 1
                    cases.append(
                        open
                            + ">\n      <failure type=\"\(status.key)\" message=\"\(escape(message))\"/>\n    </testcase>"
                    )
                }
            }
            if study.status == .added || study.status == .removed {
                add("study", study.status, "study \(study.status.rawValue)")
            }
            for q in study.quantities {
                let message =
                    "\(q.name): \(fmt(q.old)) → \(fmt(q.new)) \(q.unit) (\(q.changeText)); tolerance rel \(q.tolerance.relative), abs \(q.tolerance.absolute)"
                add("quantity " + q.name, q.status, message)
            }
            for s in study.series {
                add(
                    "series \(s.file): \(s.label)", s.status,
                    String(
                        format: "%@ %@: max |Δ| %.4g %@ (%.3g %%)", s.file, s.label, s.maxAbsoluteChange, s.unit,
                        100 * s.maxRelativeChange))
            }
            for f in study.fields {
                add(
                    "field " + f.file, f.status,
                    String(format: "%@: max |Δ| %.4g %@", f.file, f.maxAbsoluteChange, f.unit)
                        + (f.note.map { "; " + $0 } ?? ""))
            }
            totalTests += cases.count
            totalFailures += failures
            suites.append(
                "  <testsuite name=\"\(escape(study.id))\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\">\n"
                    + cases.joined(separator: "\n") + (cases.isEmpty ? "" : "\n") + "  </testsuite>")
        }
        return
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"cathodelab diff\" tests=\"\(totalTests)\" failures=\"\(totalFailures)\" errors=\"0\">\n"
            + suites.joined(separator: "\n") + (suites.isEmpty ? "" : "\n") + "</testsuites>\n"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            default:
                // XML 1.0 forbids most control characters even when escaped.
                if ch.value < 0x20 && ch != "\t" { continue }
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
