import Foundation
import Testing
@testable import ReportEngine

/// Cross-references, the Markdown balance check, the Swift highlighter and the folded declaration in the HTML.
@Suite struct LiterateReportTests {
    let index = FigureIndex([
        .init(study: "fig3c", figures: ["curves", "losses"]), .init(study: "fig3d", figures: ["map"]),
    ])

    @Test func crossReferencesBecomeNumberedLinksAndReadBack() throws {
        let text = "See {{ref:fig3d/map}} and {{ ref:losses }}."
        let resolved = try CrossReference.resolve(in: text, study: "fig3c", index: index)
        #expect(resolved == "See [Fig. 2.1](../fig3d/report.html#fig-map) and [Fig. 1.2](#fig-losses).")
        #expect(CrossReference.target(of: "../fig3d/report.html#fig-map", from: "fig3c")! == ("fig3d", "map"))
        #expect(CrossReference.target(of: "#fig-losses", from: "fig3c")! == ("fig3c", "losses"))
        #expect(CrossReference.target(of: "https://doi.org/10.1/x", from: "fig3c") == nil)
        #expect(CrossReference.references(in: text) == ["fig3d/map", "losses"])
    }

    @Test func unknownReferencesNameWhatExists() {
        #expect(throws: CrossReference.UnknownReference(reference: "fig3d/nope", known: ["fig3d/map"])) {
            try CrossReference.resolve(in: "{{ref:fig3d/nope}}", study: "fig3c", index: index)
        }
        #expect(throws: CrossReference.UnknownReference(reference: "figX/map", known: ["fig3c", "fig3d"])) {
            try CrossReference.resolve(in: "{{ref:figX/map}}", study: "fig3c", index: index)
        }
    }

    @Test func markdownBalance() {
        #expect(MarkdownCheck.problems(in: "A *b* and **c** and `**` in code.\n\n```swift\nlet a = 1\n```\n").isEmpty)
        #expect(
            MarkdownCheck.problems(in: "Intro\n\n```\nnever closed\n") == [
                "line 3: a code fence is opened and never closed (the rest of the page would be code)"
            ])
        #expect(
            MarkdownCheck.problems(in: "one **two\n") == [
                "line 1: '**' is opened and never closed (it would be printed literally)"
            ])
    }

    @Test func swiftTokensCoverTheSourceAndClassifyIt() {
        let source = """
            /// Doc comment
            @MainActor public struct Fig3d: Study { let id = "fig3d-\\(1 + 2)"; var x = 1.5e-3 } /* block /* nested */ */
            let s = \"\"\"
            multi "line"
            \"\"\"
            """
        let tokens = SwiftHighlighter.tokens(source)
        #expect(tokens.map(\.text).joined() == source)
        func kinds(_ text: String) -> [SwiftHighlighter.Kind] { tokens.filter { $0.text == text }.map(\.kind) }
        #expect(kinds("/// Doc comment") == [.comment])
        #expect(kinds("@MainActor") == [.attribute])
        #expect(kinds("public") == [.keyword] && kinds("struct") == [.keyword] && kinds("let") == [.keyword, .keyword])
        #expect(kinds("Fig3d") == [.type] && kinds("Study") == [.type])
        #expect(kinds("\"fig3d-\\(1 + 2)\"") == [.string])
        #expect(kinds("1.5e-3") == [.number])
        #expect(kinds("/* block /* nested */ */") == [.comment])
        #expect(kinds("\"\"\"\nmulti \"line\"\n\"\"\"") == [.string])
    }

    @Test func declarationIsFoldedAndHighlightedAndFiguresHaveAnchors() {
        let section = ReportComposer.declarationSection(file: "studies/X.swift", text: "let a = \"```\" // x < y\n")
        #expect(section.contains("````swift\n"), "the fence is longer than the source's backtick run")
        let html = HTMLPage.render(markdown: "![A figure](figures/map.png)\n\n" + section, title: "t")
        #expect(html.contains("<img id=\"fig-map\" src=\"figures/map.png\""))
        #expect(html.contains("<details class=\"declaration\"><summary>Show the Swift code (1 lines)</summary>"))
        #expect(
            html.contains("<span class=\"sw-keyword\">let</span> a = <span class=\"sw-string\">&quot;```&quot;</span>")
                || html.contains("<span class=\"sw-keyword\">let</span> a = <span class=\"sw-string\">\"```\"</span>"),
            "\(html)")
        #expect(html.contains("<span class=\"sw-comment\">// x &lt; y</span>"))
    }
}
