import Foundation

/// A table of text cells that a report shows as written (a calibration's parameters with their literature ranges,
/// a scorecard): Markdown for the narrative (`{{{table_<name>}}}`) and RFC 4180 CSV for `data/<name>.csv`.
public struct TextTable: Sendable, Equatable, Codable {
    public enum Alignment: String, Sendable, Codable { case left, right }
    public var columns: [String]
    public var alignments: [Alignment]
    public var rows: [[String]]

    /// `alignments` defaults to left for every column; every row must have as many cells as there are columns.
    public init(columns: [String], alignments: [Alignment]? = nil, rows: [[String]]) {
        precondition(
            rows.allSatisfy { $0.count == columns.count }, "every row of a TextTable needs \(columns.count) cells")
        self.columns = columns
        self.alignments = alignments ?? Array(repeating: .left, count: columns.count)
        self.rows = rows
    }

    /// A GitHub-flavoured Markdown table; `|` and line breaks inside a cell are escaped.
    public var markdown: String {
        func cell(_ s: String) -> String {
            s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        var lines = ["| " + columns.map(cell).joined(separator: " | ") + " |"]
        lines.append("|" + alignments.map { $0 == .right ? "---:" : "---" }.joined(separator: "|") + "|")
        for row in rows { lines.append("| " + row.map(cell).joined(separator: " | ") + " |") }
        return lines.joined(separator: "\n")
    }

    /// RFC 4180 CSV (cells with a comma, quote or line break are quoted, quotes doubled).
    public var csv: String {
        func quote(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
                ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        return ([columns] + rows).map { $0.map(quote).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
}
