import CairoBackend
import Foundation
import Plotting
import ReportEngine
import ResultStore

/// Writes a diff as a report folder: `diff.md` and `diff.html` (verdict first, then what differs in the
/// inputs, then the effects ranked by impact), `diff.json` (schema `cathodelab-diff` v1, see `DiffDocument`),
/// `diff-junit.xml` (one test case per compared item) and `figures/` with an overlay (old dashed, new solid)
/// of the changed series of every table and a difference map (new − old, diverging colour map centred at
/// zero) for every field that changed. Unchanged studies collapse to one line and get no figures.
public enum DiffReportWriter {
    public static func write(_ result: DiffResult, to folder: URL, dpi: Double = 150) throws {
        let renderer = CairoRenderer(dpi: dpi)
        try OutputFolder.replace(folder, kind: "diff") { dir in
            let figDir = dir.appendingPathComponent("figures")
            try FileManager.default.createDirectory(at: figDir, withIntermediateDirectories: true)
            var md = header(result)
            md += causes(result)
            md += ranking(result)
            for study in result.ranked where study.hasChanges {
                md += try details(study, renderer: renderer, figures: figDir)
            }
            try Data(md.utf8).write(to: dir.appendingPathComponent("diff.md"))
            try Data(HTMLPage.render(markdown: md, title: "CathodeLab diff: \(result.verdict)").utf8).write(
                to: dir.appendingPathComponent("diff.html"))
            try DiffDocument(result).encoded().write(to: dir.appendingPathComponent("diff.json"))
            try Data(JUnitReport.xml(result).utf8).write(to: dir.appendingPathComponent("diff-junit.xml"))
        }
    }

    // MARK: - Sections

    static func header(_ result: DiffResult) -> String {
        let changed = result.studies.filter(\.hasChanges).count
        let outside = result.studies.filter { !$0.isAcceptable }.count
        var md = "# CathodeLab diff: \(result.verdict)\n\n"
        md +=
            "**Verdict: \(result.verdict).** \(changed) of \(result.studies.count) stud\(result.studies.count == 1 ? "y" : "ies") changed"
        md += result.hasChanges ? ", \(outside) outside tolerance.\n\n" : ".\n\n"
        func side(_ url: URL, _ version: BundleManifest.CodeVersion?) -> String {
            "`\(url.path)`"
                + (version.map { " (commit `\($0.commit.prefix(12))`\($0.dirty ? ", with uncommitted changes" : ""))" }
                    ?? "")
        }
        md += "- old: \(side(result.old, result.oldVersion))\n- new: \(side(result.new, result.newVersion))\n"
        if let r = result.revisions {
            md += "- revisions: `\(r.old)` (`\(r.oldCommit.prefix(12))`) → `\(r.new)` (`\(r.newCommit.prefix(12))`)\n"
        }
        md +=
            "- default tolerance: |new − old| ≤ \(result.defaultTolerance.absolute) + \(result.defaultTolerance.relative)·|old| (studies may declare their own per quantity)\n"
        md +=
            "- machine-readable: [diff.json](diff.json) (schema `cathodelab-diff` v\(DiffDocument.currentSchemaVersion)), [diff-junit.xml](diff-junit.xml)\n\n"
        return md
    }

    static func causes(_ result: DiffResult) -> String {
        var md = "## What differs in the inputs\n\n"
        if let r = result.revisions {
            md += "### Commits (\(r.commits.count))\n\n"
            if r.commits.isEmpty {
                md +=
                    "No commits between the two revisions"
                    + (r.newCommit.hasSuffix("worktree") ? " (the new side is the working tree)" : "") + ".\n\n"
            } else {
                md += "| commit | subject |\n|---|---|\n"
                for c in r.commits { md += "| `\(c.hash.prefix(10))` | \(cell(c.subject)) |\n" }
                md += "\n"
            }
            md += "### Changed files (\(r.files.count))\n\n"
            if r.files.isEmpty {
                md += "No files differ.\n\n"
            } else {
                md += "| module | files |\n|---|---|\n"
                for group in r.filesByModule {
                    md += "| \(group.module) | \(group.paths.map { "`\($0)`" }.joined(separator: ", ")) |\n"
                }
                md += "\n"
            }
        }
        let withCauses = result.ranked.filter { !$0.causes.isEmpty }
        md += "### Recorded inputs of each study\n\n"
        if withCauses.isEmpty {
            md += "Every study has the same parameters, template, declaration and physics version on both sides.\n\n"
            return md
        }
        let parameterRows = withCauses.flatMap { s in s.causes.parameters.map { (s.id, $0) } }
        if !parameterRows.isEmpty {
            md += "| study | parameter | old | new | unit | source (new) | note |\n|---|---|---:|---:|---|---|---|\n"
            for (id, p) in parameterRows {
                let note: String
                switch p.kind {
                case .sourceOnly: note = "source note changed, value unchanged"
                case .added: note = "added"
                case .removed: note = "removed"
                case .value:
                    note = p.sourceNoteUnchanged ? "**value changed, source note unchanged**" : "value and note changed"
                }
                md +=
                    "| \(id) | `\(p.name)` | \(cell(p.old ?? "–")) | \(cell(p.new ?? "–")) | \(cell(p.unit)) | \(cell(p.newSource ?? p.oldSource ?? "")) | \(note) |\n"
            }
            md += "\n"
        }
        let other = withCauses.filter {
            $0.causes.templateChanged == true || $0.causes.declarationChanged == true || $0.causes.physicsChanged
                || $0.causes.modelRunsChanged
        }
        if !other.isEmpty {
            md +=
                "| study | declaration | template | physics version | model runs (only old / only new) |\n|---|---|---|---|---|\n"
            for s in other {
                let c = s.causes
                let declaration =
                    c.declarationChanged == true
                    ? "changed" + (c.declarationFile.map { " (`\($0)`)" } ?? "")
                    : (c.declarationChanged == nil ? "not recorded" : "same")
                let template =
                    c.templateChanged == true ? "changed" : (c.templateChanged == nil ? "not recorded" : "same")
                let physics =
                    c.physicsChanged ? "`\(c.oldPhysicsVersion ?? "")` → `\(c.newPhysicsVersion ?? "")`" : "same"
                let runs = c.runsOnlyOld.map { "\($0) / \(c.runsOnlyNew ?? 0)" } ?? "not recorded"
                md += "| \(s.id) | \(declaration) | \(template) | \(physics) | \(runs) |\n"
            }
            md += "\n"
        }
        return md
    }

    static func ranking(_ result: DiffResult) -> String {
        var md = "## Effects, ranked\n\n"
        let changed = result.ranked.filter(\.hasChanges)
        if !changed.isEmpty {
            md += "| study | verdict | quantities | series | fields | largest change |\n|---|---|---:|---:|---:|---|\n"
            for s in changed {
                let o = s.outside
                let largest = s.largestChange.map { "`\($0.name)`: \(cell($0.text))" } ?? "–"
                md +=
                    "| [\(s.id)](#\(anchor(s.id))) | \(s.isAcceptable ? s.verdict : "**\(s.verdict)**") | \(o.quantities) of \(s.quantities.count) | \(o.series) of \(s.series.count) | \(o.fields) of \(s.fields.count) | \(largest) |\n"
            }
            md += "\nCounts are items outside tolerance (or added, removed, not comparable) of all compared.\n\n"
        }
        let unchanged = result.ranked.filter { !$0.hasChanges }.map(\.id)
        if !unchanged.isEmpty { md += "Unchanged (\(unchanged.count)): \(unchanged.joined(separator: ", ")).\n\n" }
        return md
    }

    static func details(_ study: StudyDiff, renderer: CairoRenderer, figures: URL) throws -> String {
        var md = "<a id=\"\(anchor(study.id))\"></a>\n\n## \(study.id)\n\n"
        switch study.status {
        case .added: return md + "Study **added** (only in the new bundles).\n\n"
        case .removed: return md + "Study **removed** (only in the old bundles).\n\n"
        default: break
        }
        md += "Verdict: **\(study.verdict)**. Inputs that differ: \(study.causes.summary).\n\n"
        let changed = study.changedQuantities
        if !changed.isEmpty {
            md += "| quantity | old | new | unit | change | tolerance | status |\n|---|---:|---:|---|---:|---|---|\n"
            for q in changed {
                let tolerance = "rel \(q.tolerance.relative), abs \(q.tolerance.absolute)"
                md +=
                    "| `\(q.name)` | \(fmt(q.old)) | \(fmt(q.new)) | \(cell(q.unit)) | \(q.changeText) | \(tolerance) | \(q.status.isAcceptable ? q.status.rawValue : "**\(q.status.rawValue)**") |\n"
            }
            let same = study.quantities.count - changed.count
            md += "\n" + (same > 0 ? "\(same) other quantit\(same == 1 ? "y" : "ies") unchanged.\n\n" : "")
        } else if !study.quantities.isEmpty {
            md += "All \(study.quantities.count) quantities unchanged.\n\n"
        }
        let changedSeries = study.series.filter { $0.status != .same }
        if !changedSeries.isEmpty {
            md += "| data file | series | status | max \\|Δ\\| | max relative |\n|---|---|---|---:|---:|\n"
            for s in changedSeries {
                let abs =
                    s.status == .added || s.status == .removed
                    ? "–" : String(format: "%.3g", s.maxAbsoluteChange) + (s.unit.isEmpty ? "" : " \(s.unit)")
                let rel =
                    s.status == .added || s.status == .removed
                    ? "–" : String(format: "%.3g %%", 100 * s.maxRelativeChange)
                let label = s.note.map { "\(s.label) (\($0))" } ?? s.label
                md +=
                    "| `\(s.file)` | \(cell(label)) | \(s.status.isAcceptable ? s.status.rawValue : "**\(s.status.rawValue)**") | \(abs) | \(rel) |\n"
            }
            md += "\n"
            let files = Set(changedSeries.map(\.file)).sorted()
            for file in files {
                let name = "\(study.id)--\(file.replacingOccurrences(of: ".csv", with: ""))-overlay"
                if let fig = overlay(changedSeries.filter { $0.file == file }) {
                    try renderer.write(fig, to: figures.appendingPathComponent(name), formats: [.png, .svg])
                    md += "![Overlay of \(file): old dashed, new solid](figures/\(name).png)\n\n"
                }
            }
        }
        let changedFields = study.fields.filter { $0.status != .same }
        if !changedFields.isEmpty {
            md += "| field | status | max \\|Δ\\| | relative to the field's scale | note |\n|---|---|---:|---:|---|\n"
            for f in changedFields {
                let rel = f.maxRelativeChange.isFinite ? String(format: "%.3g %%", 100 * f.maxRelativeChange) : "–"
                md +=
                    "| `\(f.file)` | \(f.status.isAcceptable ? f.status.rawValue : "**\(f.status.rawValue)**") | \(String(format: "%.3g", f.maxAbsoluteChange))\(f.unit.isEmpty ? "" : " " + f.unit) | \(rel) | \(cell(f.note ?? "")) |\n"
            }
            md += "\n"
            for f in changedFields where !f.difference.isEmpty {
                let name = "\(study.id)--\(f.file.replacingOccurrences(of: ".csv", with: ""))-difference"
                let field = Field2D(
                    x: f.x, y: f.y, values: f.difference.map { $0.isNaN ? 0 : $0 }, mask: f.difference.map(\.isNaN))
                let fig = Figure(width: .singleColumn, height: .cm(6.5)) {
                    Panel(
                        title: RichText("new − old: " + f.valueName), x: Axis(RichText(f.xName), niceLimits: false),
                        y: Axis(RichText(f.yName), niceLimits: false),
                        colorBar: ColorBar(RichText("Δ " + f.valueName))
                    ) {
                        Heatmap(field, colorMap: .coolWarm, range: .symmetric)
                    }
                }
                try renderer.write(fig, to: figures.appendingPathComponent(name), formats: [.png, .svg])
                md += "![Difference map of \(f.file): new − old](figures/\(name).png)\n\n"
            }
        }
        return md
    }

    // MARK: - Helpers

    /// Text safe inside a Markdown table cell.
    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// The anchor written before a study's section (the Markdown renderer gives headings no ids).
    static func anchor(_ id: String) -> String { "study-" + id.lowercased() }

    /// Old dashed, new solid, one colour per series; nil when nothing can be drawn.
    static func overlay(_ entries: [SeriesChange]) -> Figure? {
        var layers: [Layer] = []
        for (k, e) in entries.enumerated() {
            let color = Color.okabeIto[k % Color.okabeIto.count]
            let label = e.label.count > 40 ? String(e.label.prefix(40)) + "…" : e.label
            if let o = e.old, o.x.count > 0, o.x.allSatisfy(\.isFinite), o.y.allSatisfy(\.isFinite) {
                layers.append(
                    Line(x: o.x, y: o.y, label: "\(label) (old)", color: color, width: 1.0, dash: .dashed).layer)
            }
            if let n = e.new, n.x.count > 0, n.x.allSatisfy(\.isFinite), n.y.allSatisfy(\.isFinite) {
                layers.append(Line(x: n.x, y: n.y, label: "\(label) (new)", color: color, width: 0.9).layer)
            }
        }
        guard !layers.isEmpty, let first = entries.first else { return nil }
        return Figure(width: .doubleColumn, height: .cm(7.5)) {
            Panel(
                title: RichText(first.file), x: Axis(RichText(first.xName)), y: Axis(RichText(first.yName)),
                legend: layers.count > 12 ? .none : .outsideRight, layers: layers)
        }
    }
}
