import CairoBackend
import Foundation
import Plotting
import ReportEngine
import ResultStore
import Testing
@testable import DocumentEngine

/// The typeset study document, read back by independent tools: poppler's `pdftotext` (every study title, figure
/// caption and paper-vs-computed number is in the text), `pdfimages` (figures are vectors, no raster), and pypdf
/// (Debian python3-pypdf: one outline entry per chapter, every internal link resolves to a page). Bundles are built
/// here the way the study runner builds them (ReportComposer, CairoRenderer with the display list).
@Suite(.serialized) struct DocumentTests {
    static let doi = "https://doi.org/10.1039/d5eb00133a"

    /// A bundle folder for study `id`: one line-plot figure, a comparison table, a long parameter table, references.
    static func makeBundle(
        in root: URL, id: String, title: String, chapter: Int, narrative: String, parameterRows: Int = 6
    ) throws {
        let folder = root.appendingPathComponent(id)
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("figures"), withIntermediateDirectories: true)
        let figureName = "curves"
        let figure = Figure(width: .singleColumn, height: .cm(6)) {
            Panel(x: Axis("Specific capacity [mAh g^{-1}]"), y: Axis("Voltage [V]")) {
                Line(x: [0, 40, 80, 120], y: [4.2, 3.9, 3.8, 3.0], label: "0.1C")
                Line(x: [0, 30, 60, 90], y: [4.1, 3.8, 3.7, 3.0], label: "1C")
            }
        }
        try CairoRenderer(dpi: 50).write(
            figure, to: folder.appendingPathComponent("figures/\(figureName)"), formats: [.pdf], displayList: true)
        let caption = "Discharge curves of study \(id) at 0.1C and 1C."
        let entry = ReportComposer.FigureEntry(
            name: figureName, caption: caption, label: FigureLabel.text(chapter: chapter, figure: 1))
        let comparisons = [
            Comparison(
                "capacity at 0.1C", paper: 119, computed: 117.25, unit: "mAh g⁻¹", kind: .published, source: "Fig. 7(a)"
            ),
            Comparison(
                "capacity at 1C", paper: 83.8, computed: 81.5, unit: "mAh g⁻¹", kind: .derived, source: "Fig. S13(f)"),
        ]
        let parameters = (0..<parameterRows).map {
            ParameterRecord(name: "parameter_\($0)", value: "\($0).5", unit: "m", source: "[E] estimate")
        }
        let references = [
            "[Naik2025] Naik et al., EES Batteries 1, 1184 (2025). \(doi)",
            "[Crank1975] Crank, The Mathematics of Diffusion (1975).",
        ]
        let markdown = ReportComposer.compose(
            title: title, paperFigure: "Fig. 3(c)", narrative: entry.markdown + "\n\n" + narrative,
            templateUsed: [entry.key], figures: [entry], comparisons: comparisons, quantities: [],
            parameters: parameters, parameterNote: "Model `dense1d`.", references: references,
            declaration: ("studies/\(id).swift", "struct Study { let id = \"\(id)\" } // the declaration\n"))
        try Data(markdown.utf8).write(to: folder.appendingPathComponent("report.md"))
        let manifest = BundleManifest(
            studyId: id, title: title, paperFigure: "Fig. 3(c)",
            codeVersion: .init(commit: "0123456789abcdef", dirty: false),
            physicsVersion: "feedfacecafebeef", parameterHash: "0", tools: ["cathodelab": "0.3.0"],
            figures: ["figures/\(figureName).pdf"], data: [])
        try StableJSON.encode(manifest).write(to: folder.appendingPathComponent("manifest.json"))
        try StableJSON.encode(["generatedAt": "2026-11-30T07:00:00Z"]).write(
            to: folder.appendingPathComponent("timings.json"))
    }

    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "cathodelab-document-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Two studies; the second refers to the first one's figure by name.
    static func twoStudies(parameterRows: Int = 6) throws -> URL {
        let root = try temporaryFolder()
        let index = FigureIndex([.init(study: "alpha", figures: ["curves"]), .init(study: "beta", figures: ["curves"])])
        try makeBundle(
            in: root, id: "alpha", title: "Alpha study of discharge", chapter: 1,
            narrative:
                "The ratio D_s/D_f stays literal; **strong** and *emphasis* and `code`, H<sub>2</sub>O and x<sup>2</sup>."
        )
        let reference = try CrossReference.resolve(
            in: "As {{ref:alpha/curves}} shows, the beta cell is thinner.", study: "beta", index: index)
        try makeBundle(
            in: root, id: "beta", title: "Beta study of thickness", chapter: 2, narrative: reference,
            parameterRows: parameterRows)
        return root
    }

    static let info = DocumentInfo(
        title: "Test document", paper: "Naik et al., EES Batteries 1, 1184 (2025).", tool: "cathodelab test")

    static func typeset(_ root: URL, _ ids: [String]) throws -> TypesetDocument {
        try StudyDocument(bundles: ids.map { try StudyBundle(folder: root.appendingPathComponent($0)) }, info: info)
            .typeset()
    }

    static func tool(_ path: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func write(_ document: TypesetDocument, in root: URL) throws -> URL {
        let url = root.appendingPathComponent("document.pdf")
        try Data(document.pdf).write(to: url)
        return url
    }

    static func squeezed(_ text: String) -> String { text.filter { !$0.isWhitespace } }

    @Test func textHoldsTitlesCaptionsAndEveryComparedNumber() throws {
        let root = try Self.twoStudies()
        defer { try? FileManager.default.removeItem(at: root) }
        let url = try Self.write(try Self.typeset(root, ["alpha", "beta"]), in: root)
        let text = try Self.tool("/usr/bin/pdftotext", [url.path, "-"])
        let flat = Self.squeezed(text)
        for title in ["Alpha study of discharge", "Beta study of thickness", "Contents", "Bibliography"] {
            #expect(flat.contains(Self.squeezed(title)), "missing \(title)")
        }
        for id in ["alpha", "beta"] {
            #expect(
                flat.contains(Self.squeezed("Discharge curves of study \(id) at 0.1C and 1C.")),
                "missing the caption of \(id)")
        }
        #expect(flat.contains("Fig.1.1.") && flat.contains("Fig.2.1.") && flat.contains("Table1.1."))
        for number in ["119.0", "117.2", "83.8", "81.5", "-1.5 %", "-2.7 %"].map(Self.squeezed) {
            #expect(flat.contains(number), "missing \(number)")
        }
        // The cross-reference names the figure's number; intraword underscores stay literal; the declaration is shown.
        #expect(flat.contains(Self.squeezed("As Fig. 1.1 shows")))
        #expect(flat.contains("D_s/D_f") && flat.contains("letid=\"alpha\""))
        // Each source once in the bibliography, in order of first citation.
        #expect(text.components(separatedBy: "The Mathematics of Diffusion").count == 2)
    }

    @Test func outlineHasOneEntryPerChapterAndEveryLinkResolves() throws {
        let root = try Self.twoStudies()
        defer { try? FileManager.default.removeItem(at: root) }
        let document = try Self.typeset(root, ["alpha", "beta"])
        let url = try Self.write(document, in: root)
        let json = try Self.tool(
            "/usr/bin/python3",
            [
                URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
                    "Scripts/pdf_structure.py"
                ).path, url.path,
            ])
        struct Structure: Decodable {
            struct Entry: Decodable {
                let title: String
                let page: Int
                let children: Int
            }
            struct Link: Decodable {
                let page: Int
                let dest: String?
                let targetPage: Int?
                let uri: String?
            }
            let pages: Int
            let outline: [Entry]
            let links: [Link]
            let metadata: [String: String]
        }
        let structure = try JSONDecoder().decode(Structure.self, from: Data(json.utf8))
        #expect(structure.pages == document.pageCount)
        #expect(
            structure.outline.map(\.title) == [
                "1 Alpha study of discharge", "2 Beta study of thickness", "Bibliography",
            ])
        #expect(structure.outline.map(\.page) == document.chapterPages)
        #expect(structure.outline[0].children == 3, "sections are nested under their chapter")
        let internalLinks = structure.links.filter { $0.uri == nil }
        #expect(!internalLinks.isEmpty)
        for link in internalLinks {
            #expect(link.targetPage != nil, "link to \(link.dest ?? "?") on page \(link.page) resolves to no page")
        }
        // The cross-reference in chapter 2 lands on chapter 1's figure page.
        let figurePage = try #require(document.destinations["fig:alpha/curves"])
        #expect(
            internalLinks.contains {
                $0.dest == "fig:alpha/curves" && $0.targetPage == figurePage && $0.page >= document.chapterPages[1]
            })
        #expect(structure.links.contains { $0.uri == Self.doi }, "DOIs are links")
        #expect(structure.metadata["/Creator"] == "cathodelab test")
    }

    @Test func sameBundlesGiveIdenticalBytes() throws {
        let root = try Self.twoStudies()
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try Self.typeset(root, ["alpha", "beta"]).pdf
        let second = try Self.typeset(root, ["alpha", "beta"]).pdf
        #expect(first == second)
    }

    /// Adding a study adds exactly its chapter's pages (contents and bibliography keep their length here).
    @Test func addingAStudyAddsItsChapterPages() throws {
        let root = try Self.twoStudies()
        defer { try? FileManager.default.removeItem(at: root) }
        let one = try Self.typeset(root, ["alpha"])
        let two = try Self.typeset(root, ["alpha", "beta"])
        let betaPages = two.chapterPages[2] - two.chapterPages[1]
        #expect(betaPages >= 1)
        #expect(two.pageCount == one.pageCount + betaPages)
        // Alone, chapter 2's reference points nowhere in the document: its text stays, with no link.
        let alone = try Self.typeset(root, ["beta"])
        #expect(!alone.linkTargets.contains("fig:alpha/curves"))
    }

    /// Figures are drawn as vectors: no raster image in the PDF, and the figure's tick labels are text.
    @Test func figuresAreVectors() throws {
        let root = try Self.twoStudies()
        defer { try? FileManager.default.removeItem(at: root) }
        let url = try Self.write(try Self.typeset(root, ["alpha"]), in: root)
        let images = try Self.tool("/usr/bin/pdfimages", ["-list", url.path])
        #expect(images.split(separator: "\n").count == 2, "raster images found:\n\(images)")
        let text = try Self.tool("/usr/bin/pdftotext", ["-f", "3", "-l", "3", url.path, "-"])
        #expect(text.contains("Voltage [V]"))
    }

    /// A long table continues on the next page under a repeated header.
    @Test func longTableRepeatsItsHeader() throws {
        let root = try Self.twoStudies(parameterRows: 160)
        defer { try? FileManager.default.removeItem(at: root) }
        let document = try Self.typeset(root, ["beta"])
        let url = try Self.write(document, in: root)
        var pagesWithRows = 0
        for page in 3...document.pageCount {
            let text = try Self.tool("/usr/bin/pdftotext", ["-f", "\(page)", "-l", "\(page)", url.path, "-"])
            guard text.contains("parameter_") else { continue }
            pagesWithRows += 1
            #expect(
                text.contains("parameter\n") || text.contains("parameter "),
                "page \(page) continues the table without its header")
        }
        #expect(pagesWithRows >= 3)
    }

    @Test func referenceToAMissingFigureIsAnError() throws {
        let root = try Self.twoStudies()
        defer { try? FileManager.default.removeItem(at: root) }
        let report = root.appendingPathComponent("beta/report.md")
        var markdown = try String(contentsOf: report, encoding: .utf8)
        markdown += "\nSee [Fig. 9.9](../alpha/report.html#fig-nonexistent).\n"
        try Data(markdown.utf8).write(to: report)
        #expect {
            _ = try Self.typeset(root, ["alpha", "beta"])
        } throws: { error in
            "\(error)".contains("figure 'nonexistent' of study 'alpha'") && "\(error)".contains("figures: curves")
        }
    }

    @Test func bundleWithoutItsDisplayListIsAClearError() throws {
        let root = try Self.twoStudies()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.removeItem(at: root.appendingPathComponent("alpha/figures/curves.displaylist"))
        #expect {
            _ = try StudyBundle(folder: root.appendingPathComponent("alpha"))
        } throws: { error in
            "\(error)".contains("curves.displaylist") && "\(error)".contains("cathodelab report alpha --force")
        }
    }
}

/// Page breaking rules, on fragments of known heights.
@Suite struct PaginatorTests {
    static func fragment(_ height: Double, keep: Bool = false, breakBefore: Bool = false, space: Double = 0) -> Fragment
    {
        var fragment = Fragment(height: height) { _, _ in }
        fragment.keepWithNext = keep
        fragment.breakBefore = breakBefore
        fragment.spaceBefore = space
        return fragment
    }

    static func heights(_ pages: [[Paginator.Placement]]) -> [[Double]] { pages.map { $0.map(\.fragment.height) } }

    @Test func headingIsNeverLastOnAPage() {
        // 90 of 100 used; a heading (5) would fit but its paragraph's first line (10) would not: both move.
        let pages = Paginator.paginate(
            [Self.fragment(90), Self.fragment(5, keep: true), Self.fragment(10), Self.fragment(10)], height: 100)
        #expect(Self.heights(pages) == [[90], [5, 10, 10]])
    }

    @Test func oversizedChainsStillPlaceAndSpaceIsDroppedAtTheTop() {
        let pages = Paginator.paginate(
            [Self.fragment(60), Self.fragment(30, space: 20), Self.fragment(120)], height: 100)
        #expect(Self.heights(pages) == [[60], [30], [120]])
        #expect(pages[1][0].y == 0)
    }

    @Test func chaptersStartPagesAndTablesRepeatTheirHeader() {
        var row = Self.fragment(30)
        row.continuationHeader = { Self.fragment(7) }
        let pages = Paginator.paginate(
            [Self.fragment(10), Self.fragment(20, breakBefore: true), row, row, row, row], height: 100)
        #expect(Self.heights(pages) == [[10], [20, 30, 30], [7, 30, 30]])
    }
}

/// The Markdown reading the document uses, against cmark-gfm's spec examples for the cases the reports use.
@Suite struct MarkdownTreeTests {
    @Test func intrawordUnderscoresTablesAndAutolinks() {
        #expect(MarkdownTree.parse("foo_bar_") == [.paragraph([.text("foo_bar_")])])
        #expect(
            MarkdownTree.parse("*a* and __b__") == [
                .paragraph([.emphasis([.text("a")]), .text(" and "), .strong([.text("b")])])
            ])
        // GFM spec, tables (example 198 shape) with alignment.
        let table = MarkdownTree.parse("| foo | bar |\n| --- | --: |\n| baz | bim |\n")
        #expect(
            table == [
                .table(
                    header: [[.text("foo")], [.text("bar")]], rows: [[[.text("baz")], [.text("bim")]]],
                    alignments: [.left, .right])
            ])
        // GFM spec, autolinks extension: www. and https:// become links.
        guard case .paragraph(let inlines)? = MarkdownTree.parse("Visit https://doi.org/10.1039/x now.").first else {
            Issue.record("no paragraph")
            return
        }
        #expect(inlines.contains(.link(href: "https://doi.org/10.1039/x", [.text("https://doi.org/10.1039/x")])))
        #expect(
            MarkdownTree.parse("H<sub>2</sub>O") == [.paragraph([.text("H"), .subscript([.text("2")]), .text("O")])])
    }
}
