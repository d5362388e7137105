import Foundation
import ResultStore

/// The top-level `output/index.md` and `output/index.html`: every study with its paper figure, a link
/// to its report and its first figure inline; failed studies are listed with their error.
public enum IndexPage {
    public struct Entry: Sendable {
        public let id: String
        public let title: String
        public let paperFigure: String
        public let firstFigure: String?
        public let error: String?
        public init(id: String, title: String, paperFigure: String, firstFigure: String?, error: String?) {
            self.id = id
            self.title = title
            self.paperFigure = paperFigure
            self.firstFigure = firstFigure
            self.error = error
        }
    }

    public static func markdown(_ entries: [Entry], codeVersion: BundleManifest.CodeVersion, galleryLink: Bool)
        -> String
    {
        var md =
            "# CathodeLab reports\n\nStudies regenerating the modelling of Naik et al., \"Mechanistic trade-offs in dense cathode architectures for high-energy-density solid-state batteries\", EES Batteries 1, 1184 (2025). Code version `\(codeVersion.commit)`\(codeVersion.dirty ? " (with uncommitted changes)" : "").\n\n"
        md +=
            "The whole study as one typeset document: [CathodeLab-study.pdf](CathodeLab-study.pdf) (written by `cathodelab document`, which `make report` runs after the reports).\n\n"
        md += "| study | paper figure | report |\n|---|---|---|\n"
        for e in entries {
            md +=
                "| \(e.title) | \(e.paperFigure) | "
                + (e.error == nil
                    ? "[\(e.id)](\(e.id)/report.md) ([HTML](\(e.id)/report.html))"
                    : "**failed**: \(e.error!.split(separator: "\n").first ?? "")") + " |\n"
        }
        md += "\n"
        for e in entries where e.error == nil {
            md += "## \(e.title)\n\n\(e.paperFigure) — [report](\(e.id)/report.md)\n\n"
            if let f = e.firstFigure { md += "![\(e.title)](\(e.id)/figures/\(f).png)\n\n" }
        }
        if galleryLink { md += "## Figure gallery\n\n[One example of every plot type](gallery/index.md).\n" }
        return md
    }

    public static func write(
        _ entries: [Entry], to root: URL, codeVersion: BundleManifest.CodeVersion, galleryLink: Bool
    ) throws {
        let md = markdown(entries, codeVersion: codeVersion, galleryLink: galleryLink)
        try Data(md.utf8).write(to: root.appendingPathComponent("index.md"), options: .atomic)
        let html = HTMLPage.render(
            markdown: md.replacingOccurrences(of: "/report.md)", with: "/report.html)"), title: "CathodeLab reports")
        try Data(html.utf8).write(to: root.appendingPathComponent("index.html"), options: .atomic)
    }
}
