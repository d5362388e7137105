import Foundation
import Plotting
import ResultStore

/// Every plotted series and field of a figure as CSV tables, so each number in a figure can be read back.
///
/// Per panel: one table of all curve-like series in long form (`series`, x, y[, error]) with the axis
/// labels (which carry units) as column names; one table per field (x, y, value; masked cells empty);
/// one per bar chart (category index, value per series).
enum FigureData {
    static func tables(_ figure: Figure, name: String) -> [(String, CSVTable)] {
        var out: [(String, CSVTable)] = []
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        for (p, panel) in figure.panels.enumerated() {
            let tag = figure.panels.count > 1 ? "\(name)-\(letters[min(p, 25)])" : name
            let xl = panel.x.label.plainText.isEmpty ? "x" : panel.x.label.plainText
            let yl = panel.y.label.plainText.isEmpty ? "y" : panel.y.label.plainText
            var labels: [String] = []
            var rows: [[Double]] = []
            var fieldCount = 0
            var barCount = 0
            for (k, layer) in panel.layers.enumerated() {
                switch layer {
                case .line(let l):
                    for (x, y) in zip(l.x, l.y) {
                        labels.append(l.label ?? "line \(k + 1)")
                        rows.append([x, y, .nan])
                    }
                case .scatter(let s):
                    for i in s.x.indices {
                        labels.append(s.label ?? "markers \(k + 1)")
                        rows.append([s.x[i], s.y[i], s.yError?[i] ?? .nan])
                    }
                case .area(let a):
                    for i in a.x.indices {
                        labels.append((a.label ?? "area \(k + 1)") + " (lower)")
                        rows.append([a.x[i], a.lower[i], .nan])
                    }
                    for i in a.x.indices {
                        labels.append((a.label ?? "area \(k + 1)") + " (upper)")
                        rows.append([a.x[i], a.upper[i], .nan])
                    }
                case .heatmap(let h):
                    fieldCount += 1
                    out.append(
                        (
                            "\(tag)-field\(fieldCount)",
                            fieldTable(h.field, xl, yl, panel.colorBar?.label.plainText ?? "value")
                        ))
                case .filledContours(let f):
                    fieldCount += 1
                    out.append(
                        (
                            "\(tag)-field\(fieldCount)",
                            fieldTable(f.field, xl, yl, panel.colorBar?.label.plainText ?? "value")
                        ))
                case .bars(let b):
                    barCount += 1
                    // Each series' interval ends (when drawn) follow it as "<label> lower" / "<label> upper".
                    let columns = b.series.flatMap { s in
                        [s.label] + (s.lower != nil && s.upper != nil ? ["\(s.label) lower", "\(s.label) upper"] : [])
                    }
                    let rows = b.categories.indices.map { c in
                        b.series.flatMap { s in
                            [s.values[c]] + ((s.lower).flatMap { l in s.upper.map { u in [l[c], u[c]] } } ?? [])
                        } + b.targets.map { $0.values[c] }
                    }
                    out.append(
                        (
                            "\(tag)-bars\(barCount)",
                            CSVTable(
                                columns: columns + b.targets.map(\.label), rows: rows, labelColumn: xl,
                                labels: b.categories)
                        ))
                case .contours, .reference, .annotation:
                    continue  // derived from a field already written, or decoration
                }
            }
            if !rows.isEmpty {
                out.append(
                    (tag, CSVTable(columns: [xl, yl, "y error"], rows: rows, labelColumn: "series", labels: labels)))
            }
        }
        return out
    }

    static func fieldTable(_ f: Field2D, _ xl: String, _ yl: String, _ vl: String) -> CSVTable {
        var rows: [[Double]] = []
        for j in 0..<f.ny {
            for i in 0..<f.nx { rows.append([f.x[i], f.y[j], f.isMasked(i, j) ? .nan : f.value(i, j)]) }
        }
        return CSVTable(columns: [xl, yl, vl], rows: rows)
    }
}
