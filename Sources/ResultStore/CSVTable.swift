import Foundation

/// A table of numbers written as CSV: a header row of column names that carry their units
/// (`time [s]`, `voltage [V]`), then one row per record. Numbers use a fixed format (`%.10g`), so the
/// same data always gives the same bytes.
public struct CSVTable: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[Double]]
    /// An optional first text column (e.g. the series a row belongs to), with its header.
    public var labelColumn: String?
    public var labels: [String]?

    public init(columns: [String], rows: [[Double]] = [], labelColumn: String? = nil, labels: [String]? = nil) {
        self.columns = columns
        self.rows = rows
        self.labelColumn = labelColumn
        self.labels = labels
    }

    /// Builds a table from named columns of equal length.
    public init(_ named: [(String, [Double])]) {
        columns = named.map(\.0)
        let n = named.map(\.1.count).max() ?? 0
        rows = (0..<n).map { i in named.map { i < $0.1.count ? $0.1[i] : .nan } }
    }

    public var text: String {
        let header = (labelColumn.map { [$0] } ?? []) + columns
        var out = header.map(Self.quote).joined(separator: ",") + "\n"
        for (k, r) in rows.enumerated() {
            let label = labels.map { [Self.quote($0[k])] } ?? []
            out += (label + r.map(Self.format)).joined(separator: ",") + "\n"
        }
        return out
    }

    public static func format(_ v: Double) -> String {
        if v.isNaN { return "" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if v == 0 { return "0" }
        return String(format: "%.10g", v)
    }

    static func quote(_ s: String) -> String {
        s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}

/// JSON with sorted keys and stable number formatting, for byte-stable metadata files.
public enum StableJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try e.encode(value)
        data.append(0x0A)
        return data
    }
}
