import Foundation
import ResultStore

/// Composes a study's `report.md`: the rendered narrative, then the figures the narrative did not
/// embed, the paper-vs-computed table, the computed quantities, the parameters (with units and
/// sources) and the references.
public enum ReportComposer {
    public struct FigureEntry: Sendable {
        public let name: String
        public let caption: String
        /// The figure's number ("Fig. 2.1", `FigureIndex`), shown before the caption; nil for an unnumbered figure.
        public let label: String?
        public init(name: String, caption: String, label: String? = nil) {
            self.name = name
            self.caption = caption
            self.label = label
        }
        /// Markdown that embeds the PNG (alt text: the caption) and, below it, the numbered caption with links to the
        /// PDF and SVG. The document engine reads this shape back (`figures/<name>.png` → the figure's display list).
        public var markdown: String {
            let text = ReportComposer.escapeMarkdown(caption)
            let number = label.map { "**\($0).** " } ?? ""
            return
                "![\(text)](figures/\(name).png)\n\n\(number)*\(text)* [PDF](figures/\(name).pdf) · [SVG](figures/\(name).svg)"
        }
        /// The template key that embeds this figure.
        public var key: String { "figure_" + name.replacingOccurrences(of: "-", with: "_") }
    }

    /// Escapes the characters Markdown would read as emphasis or code in plain text.
    public static func escapeMarkdown(_ s: String) -> String {
        var out = ""
        for ch in s {
            if "_*`".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    /// Template values: every quantity by name (formatted with its unit), `<name>_value` (number only),
    /// `figure_<name>` (the embed), `table_<name>` (a text table as Markdown), `title`, `paper_figure`.
    public static func templateValues(
        title: String, paperFigure: String, quantities: [Quantity], figures: [FigureEntry],
        tables: [(key: String, table: TextTable)] = []
    ) -> [String: Any] {
        var v: [String: Any] = ["title": title, "paper_figure": paperFigure]
        for q in quantities {
            v[q.name] = q.formatted
            v[q.name + "_value"] = q.number
        }
        for f in figures { v[f.key] = f.markdown }
        for t in tables { v[t.key] = t.table.markdown }
        return v
    }

    public static func compose(
        title: String, paperFigure: String, narrative: String, templateUsed: [String], figures: [FigureEntry],
        comparisons: [Comparison], quantities: [Quantity], parameters: [ParameterRecord], parameterNote: String,
        references: [String], declaration: (file: String, text: String)? = nil
    ) -> String {
        var md =
            "# \(title)\n\n*Regenerates \(paperFigure) of Naik et al., \"Mechanistic trade-offs in dense cathode architectures for high-energy-density solid-state batteries\", EES Batteries 1, 1184 (2025).*\n\n"
        md += narrative.trimmingCharacters(in: .whitespacesAndNewlines) + "\n\n"
        let unembedded = figures.filter { !templateUsed.contains($0.key) }
        if !unembedded.isEmpty {
            md += "## Figures\n\n" + unembedded.map(\.markdown).joined(separator: "\n\n") + "\n\n"
        }
        if !comparisons.isEmpty {
            let withBasis = comparisons.contains { $0.basis != nil }
            md +=
                "## Paper vs computed\n\n| quantity | paper | computed | difference | kind of paper value |"
                + (withBasis ? " computed value is |" : "") + " source |\n"
            md += "|---|---:|---:|---:|---|" + (withBasis ? "---|" : "") + "---|\n"
            for c in comparisons {
                let d = c.relativeDifference.isFinite ? String(format: "%+.1f %%", 100 * c.relativeDifference) : "–"
                let basis = withBasis ? " \(c.basis?.rawValue ?? "–") |" : ""
                md +=
                    "| \(c.quantity) | \(Quantity.significant(c.paper)) \(c.unit) | \(Quantity.significant(c.computed)) \(c.unit) | \(d) | \(c.kind.rawValue) |\(basis) \(c.source) |\n"
            }
            if withBasis {
                md +=
                    "\n*fitted*: a target of the calibration that set the fitted values (the joint calibration 'paper'; for the damage laws of Fig. 5(a), 'cycling'); *validation*: declared before the fit and never used by it; *prediction*: not a calibration target.\n"
            }
            md += "\n"
        }
        if !quantities.isEmpty {
            md += "## Computed quantities\n\n| name | value |\n|---|---:|\n"
            for q in quantities { md += "| `\(q.name)` | \(q.formatted) |\n" }
            md +=
                "\nAll values are also in `data/quantities.json`; every plotted series and field is in `data/*.csv`.\n\n"
        }
        if !parameters.isEmpty {
            md += "## Parameters\n\n\(parameterNote)\n\n| parameter | value | unit | source |\n|---|---|---|---|\n"
            for p in parameters { md += "| `\(p.name)` | \(p.value) | \(p.unit) | \(p.source) |\n" }
            md +=
                "\nSource labels: [P] stated in the paper, [V] checked in a cited source, [D] derived by arithmetic, [E] estimate, [C] calibrated to a published number.\n\n"
        }
        if !references.isEmpty {
            md += "## References\n\n" + references.map { "- \($0)" }.joined(separator: "\n") + "\n"
        }
        if let declaration {
            md += "\n" + declarationSection(file: declaration.file, text: declaration.text)
        }
        return md
    }

    /// The heading of the section that shows the study's own declaration (literate reports).
    public static let declarationHeading = "Declaration"

    /// The study's Swift declaration as a fenced code block (the fence longer than any backtick run in the source), so
    /// that a reader sees exactly how every figure and number was produced. HTML folds it (`HTMLPage`).
    public static func declarationSection(file: String, text: String) -> String {
        var longestRun = 0
        var run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longestRun = max(longestRun, run)
        }
        let fence = String(repeating: "`", count: max(3, longestRun + 1))
        let body = text.hasSuffix("\n") ? text : text + "\n"
        return
            "## \(declarationHeading)\n\nHow every figure and number above was produced: the study as declared in `\(file)`, compiled into cathodelab.\n\n\(fence)swift\n\(body)\(fence)\n"
    }
}
