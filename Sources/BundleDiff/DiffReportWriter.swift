import CairoBackend
import Foundation
import Plotting
import ReportEngine
import ResultStore

/// Writes a diff as a report folder: `diff.md`, `diff.html`, `diff.json` (the verdicts) and `figures/`
/// with an overlay for every compared series table (old dashed, new solid, same axes) and a difference
/// map (new − old, diverging colour map centred at zero) for every compared field.
public enum DiffReportWriter {
    public static func write(_ result: DiffResult, to folder: URL, revisions: [String] = [], dpi: Double = 150) throws {
        let renderer = CairoRenderer(dpi: dpi)
        try OutputFolder.replace(folder, kind: "diff") { dir in
            let figDir = dir.appendingPathComponent("figures")
            try FileManager.default.createDirectory(at: figDir, withIntermediateDirectories: true)
            var md = "# Diff of report bundles\n\n"
            md += "- old: `\(result.old.path)`" + (result.oldVersion.map { " (commit `\($0.commit)`\($0.dirty ? ", with uncommitted changes" : ""))" } ?? "") + "\n"
            md += "- new: `\(result.new.path)`" + (result.newVersion.map { " (commit `\($0.commit)`\($0.dirty ? ", with uncommitted changes" : ""))" } ?? "") + "\n"
            if !revisions.isEmpty { md += "- revisions compared: " + revisions.map { "`\($0)`" }.joined(separator: " → ") + "\n" }
            md += "- default tolerance: |new − old| ≤ \(result.defaultTolerance.absolute) + \(result.defaultTolerance.relative)·|old| (studies may declare their own per quantity)\n"
            md += "- verdict: **\(result.hasChanges ? (result.withinTolerance ? "changes, all within tolerance" : "changes outside tolerance") : "no changes")**\n\n"
            md += "```\n\(result.summary)\n```\n\n"
            for study in result.studies {
                md += "## \(study.id)\n\n"
                switch study.status {
                case .added: md += "Study **added** (only in the new bundles).\n\n"; continue
                case .removed: md += "Study **removed** (only in the old bundles).\n\n"; continue
                default: break
                }
                if !study.quantities.isEmpty {
                    md += "| quantity | old | new | abs. change | rel. change | tolerance | status |\n|---|---:|---:|---:|---:|---|---|\n"
                    for q in study.quantities {
                        let rel = q.relativeChange.map { $0.isFinite ? String(format: "%+.3g %%", 100 * $0) : "–" } ?? "–"
                        let abs = q.absoluteChange.map { String(format: "%+.4g", $0) } ?? "–"
                        md += "| `\(q.name)` | \(fmt(q.old)) \(q.unit) | \(fmt(q.new)) \(q.unit) | \(abs) | \(rel) | rel \(q.tolerance.relative), abs \(q.tolerance.absolute) | \(q.status.rawValue) |\n"
                    }
                    md += "\n"
                }
                let tables = Dictionary(grouping: study.series, by: \.file)
                for file in tables.keys.sorted() {
                    let entries = tables[file]!
                    let changed = entries.filter { $0.status != .same }
                    md += "**\(file)**: \(entries.count) series, \(changed.isEmpty ? "all unchanged" : changed.map { "\($0.label) \($0.status.rawValue)" + ($0.status == .changed || $0.status == .withinTolerance ? String(format: " (max |Δ| %.3g)", $0.maxAbsoluteChange) : "") }.joined(separator: "; "))\n\n"
                    let name = "\(study.id)--\(file.replacingOccurrences(of: ".csv", with: ""))-overlay"
                    if let fig = overlay(entries) {
                        try renderer.write(fig, to: figDir.appendingPathComponent(name), formats: [.png, .svg])
                        md += "![overlay of \(file)](figures/\(name).png)\n\n"
                    }
                }
                for f in study.fields {
                    md += "**\(f.file)** (field): \(f.status.rawValue)" + (f.status == .same ? "" : String(format: ", max |Δ| %.3g", f.maxAbsoluteChange)) + (f.note.map { ". \($0)" } ?? "") + "\n\n"
                    guard !f.difference.isEmpty, f.status != .same else { continue }
                    let name = "\(study.id)--\(f.file.replacingOccurrences(of: ".csv", with: ""))-difference"
                    let field = Field2D(x: f.x, y: f.y, values: f.difference.map { $0.isNaN ? 0 : $0 }, mask: f.difference.map(\.isNaN))
                    let fig = Figure(width: .singleColumn, height: .cm(6.5)) {
                        Panel(title: RichText("new − old: " + f.valueName), x: Axis(RichText(f.xName), niceLimits: false), y: Axis(RichText(f.yName), niceLimits: false),
                              colorBar: ColorBar(RichText("Δ " + f.valueName))) {
                            Heatmap(field, colorMap: .coolWarm, range: .symmetric)
                        }
                    }
                    try renderer.write(fig, to: figDir.appendingPathComponent(name), formats: [.png, .svg])
                    md += "![difference map of \(f.file)](figures/\(name).png)\n\n"
                }
            }
            try Data(md.utf8).write(to: dir.appendingPathComponent("diff.md"))
            try Data(HTMLPage.render(markdown: md, title: "CathodeLab diff").utf8).write(to: dir.appendingPathComponent("diff.html"))
            let verdicts = result.studies.map { s in
                ["study": s.id, "status": s.status.rawValue,
                 "quantitiesOutsideTolerance": s.quantities.filter { $0.status == .changed }.map(\.name).joined(separator: ","),
                 "withinTolerance": s.isAcceptable ? "true" : "false"]
            }
            try StableJSON.encode(verdicts).write(to: dir.appendingPathComponent("diff.json"))
        }
    }

    /// Old dashed, new solid, one colour per series; nil when nothing can be drawn.
    static func overlay(_ entries: [SeriesChange]) -> Figure? {
        var layers: [Layer] = []
        for (k, e) in entries.enumerated() {
            let color = Color.okabeIto[k % Color.okabeIto.count]
            let label = e.label.count > 40 ? String(e.label.prefix(40)) + "…" : e.label
            if let o = e.old, o.x.count > 0, o.x.allSatisfy(\.isFinite), o.y.allSatisfy(\.isFinite) {
                layers.append(Line(x: o.x, y: o.y, label: "\(label) (old)", color: color, width: 1.0, dash: .dashed).layer)
            }
            if let n = e.new, n.x.count > 0, n.x.allSatisfy(\.isFinite), n.y.allSatisfy(\.isFinite) {
                layers.append(Line(x: n.x, y: n.y, label: "\(label) (new)", color: color, width: 0.9).layer)
            }
        }
        guard !layers.isEmpty, let first = entries.first else { return nil }
        return Figure(width: .doubleColumn, height: .cm(7.5)) {
            Panel(title: RichText(first.file), x: Axis(RichText(first.xName)), y: Axis(RichText(first.yName)),
                  legend: layers.count > 12 ? .none : .outsideRight, layers: layers)
        }
    }
}
