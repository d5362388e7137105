import Foundation
import Testing
@testable import ResultStore

/// TextTable's two renderings against their specifications: GitHub-flavoured Markdown tables (pipes inside a cell
/// escaped, alignment row) and RFC 4180 CSV (quote cells with a comma, quote or line break; double the quotes).
@Suite struct TextTableTests {
    let table = TextTable(
        columns: ["parameter", "value"], alignments: [.left, .right],
        rows: [["θ₀ | window", "0.517"], ["source, with comma", "say \"hi\""], ["two\nlines", "1"]])

    @Test func markdownEscapesPipesAndLineBreaks() {
        let lines = table.markdown.split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        #expect(lines[0] == "| parameter | value |")
        #expect(lines[1] == "|---|---:|")
        #expect(lines[2] == "| θ₀ \\| window | 0.517 |")
        #expect(lines[4] == "| two lines | 1 |")
    }

    @Test func csvQuotesByRFC4180() {
        let expected =
            "parameter,value\nθ₀ | window,0.517\n\"source, with comma\",\"say \"\"hi\"\"\"\n\"two\nlines\",1\n"
        #expect(table.csv == expected)
    }
}
