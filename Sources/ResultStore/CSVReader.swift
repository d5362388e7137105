import Foundation

extension CSVTable {
    /// Reads a table written by `text`: a header row, then rows of numbers; a first column whose values
    /// are not numbers (the series label) is read as the label column. Empty cells read as NaN.
    public init(parsing text: String) throws {
        var lines = Self.splitRows(text)
        guard !lines.isEmpty else { throw CSVError.empty }
        let header = lines.removeFirst()
        let rows = lines.filter { !$0.isEmpty && !($0.count == 1 && $0[0].isEmpty) }
        let labelled = !rows.isEmpty && rows.contains { Self.number($0[0]) == nil && !$0[0].isEmpty }
        var numeric: [[Double]] = []
        var labels: [String] = []
        for (k, r) in rows.enumerated() {
            guard r.count == header.count else {
                throw CSVError.ragged(row: k + 2, expected: header.count, got: r.count)
            }
            let cells = labelled ? Array(r.dropFirst()) : r
            if labelled { labels.append(r[0]) }
            numeric.append(
                try cells.enumerated().map { j, c in
                    if c.isEmpty { return .nan }
                    guard let v = Self.number(c) else {
                        throw CSVError.notANumber(row: k + 2, column: j + (labelled ? 2 : 1), text: c)
                    }
                    return v
                })
        }
        self.init(
            columns: labelled ? Array(header.dropFirst()) : header, rows: numeric,
            labelColumn: labelled ? header[0] : nil, labels: labelled ? labels : nil)
    }

    static func number(_ s: String) -> Double? {
        switch s {
        case "inf": return .infinity
        case "-inf": return -.infinity
        default: return Double(s)
        }
    }

    /// RFC 4180 rows: commas separate cells, double quotes protect commas and quotes.
    public static func splitRows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var cell = ""
        var quoted = false
        var chars = Array(text).makeIterator()
        while let c = chars.next() {
            if quoted {
                if c == "\"" {
                    if let n = chars.next() {
                        if n == "\"" {
                            cell.append("\"")
                        } else {
                            quoted = false
                            if n == "," {
                                row.append(cell)
                                cell = ""
                            } else if n == "\n" {
                                row.append(cell)
                                rows.append(row)
                                row = []
                                cell = ""
                            } else {
                                cell.append(n)
                            }
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    cell.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(cell)
                cell = ""
            } else if c == "\n" {
                row.append(cell)
                rows.append(row)
                row = []
                cell = ""
            } else {
                cell.append(c)
            }
        }
        if !cell.isEmpty || !row.isEmpty {
            row.append(cell)
            rows.append(row)
        }
        return rows
    }
}

public enum CSVError: Error, Equatable, CustomStringConvertible {
    case empty
    case ragged(row: Int, expected: Int, got: Int)
    case notANumber(row: Int, column: Int, text: String)
    public var description: String {
        switch self {
        case .empty: return "the CSV file is empty"
        case let .ragged(r, e, g): return "row \(r) has \(g) cells, the header has \(e)"
        case let .notANumber(r, c, t): return "row \(r), column \(c): '\(t)' is not a number"
        }
    }
}

/// How close two values must be to count as unchanged: |new − old| ≤ absolute + relative·|old|.
public struct Tolerance: Sendable, Codable, Equatable {
    public var relative: Double
    public var absolute: Double
    public init(relative: Double, absolute: Double = 0) {
        self.relative = relative
        self.absolute = absolute
    }
    /// Defaults of `cathodelab diff`: 1e-6 relative, 1e-9 absolute (numerical noise, not physics).
    public static let standard = Tolerance(relative: 1e-6, absolute: 1e-9)
    public func accepts(old: Double, new: Double) -> Bool {
        if old.isNaN && new.isNaN { return true }
        if old == new { return true }
        return abs(new - old) <= absolute + relative * abs(old)
    }
}

/// Per-quantity tolerances declared by a study (`data/tolerances.json`): a name or a prefix ending in `*`.
public struct ToleranceTable: Sendable, Codable, Equatable {
    public var entries: [String: Tolerance]
    public init(_ entries: [String: Tolerance] = [:]) { self.entries = entries }

    /// The tolerance for `name`: an exact entry, else the longest matching `prefix*`, else `fallback`.
    public func tolerance(for name: String, fallback: Tolerance) -> Tolerance {
        if let t = entries[name] { return t }
        let prefixes = entries.keys.filter { $0.hasSuffix("*") && name.hasPrefix(String($0.dropLast())) }
        return prefixes.max { $0.count < $1.count }.map { entries[$0]! } ?? fallback
    }
}
