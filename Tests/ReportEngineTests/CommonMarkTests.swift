import Foundation
import Testing
@testable import ReportEngine

/// The report Markdown is read as CommonMark (cmark-gfm, the reference implementation) with GitHub's tables and
/// autolinks. Expected HTML from the CommonMark spec 0.29 (examples on intraword `_`) and the GFM spec (tables,
/// autolinks), and every study template's subscripted names kept literal — the defect Ink had.
@Suite struct CommonMarkTests {
    @Test func intrawordUnderscoresAreLiteral() {
        // CommonMark 0.29, examples 354 and 383 style: `_` inside a word opens no emphasis.
        #expect(CommonMark.html("foo_bar_") == "<p>foo_bar_</p>\n")
        #expect(CommonMark.html("snake_case_word") == "<p>snake_case_word</p>\n")
        let sentence = CommonMark.html("The ratio D_s/D_f and the slopes β_c and β_a; L_SE stays 50 µm.")
        #expect(!sentence.contains("<em>"), "\(sentence)")
        #expect(sentence.contains("D_s/D_f") && sentence.contains("β_c and β_a") && sentence.contains("L_SE"))
        // Emphasis still works where CommonMark says it does.
        #expect(CommonMark.html("*a* and _b_") == "<p><em>a</em> and <em>b</em></p>\n")
    }

    @Test func tablesAndAutolinks() {
        let table = CommonMark.html("| a | b |\n|---|--:|\n| 1 | 2 |\n")
        #expect(
            table.contains("<table>") && table.contains("<th>a</th>") && table.contains("<td align=\"right\">2</td>"),
            "\(table)")
        let link = CommonMark.html("See https://doi.org/10.1039/D5EB00123A for details.")
        #expect(
            link.contains("<a href=\"https://doi.org/10.1039/D5EB00123A\">https://doi.org/10.1039/D5EB00123A</a>"),
            "\(link)")
        #expect(CommonMark.html("a <sup>2</sup>") == "<p>a <sup>2</sup></p>\n")
        #expect(CommonMark.version.hasPrefix("0.29"))
    }

    /// Every subscripted name in every study template (a word character, `_`, a word character) survives into the
    /// HTML as written.
    @Test func studyTemplatesKeepSubscriptedNames() throws {
        let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("templates")
        let names = try FileManager.default.contentsOfDirectory(atPath: templates.path).filter { $0.hasSuffix(".md") }
        #expect(names.count >= 16)
        let pattern = try NSRegularExpression(pattern: #"(?<![\\`{])\b\w+_\w+\b"#)
        var checked = 0
        defer { #expect(checked > 20, "only \(checked) subscripted names found: the pattern is broken") }
        for name in names {
            let text = try String(contentsOf: templates.appendingPathComponent(name), encoding: .utf8)
            // Placeholders ({{name_with_underscores}}) are replaced before rendering; drop them.
            let prose = text.replacingOccurrences(of: #"\{\{\{?[^}]*\}?\}\}"#, with: " ", options: .regularExpression)
            let html = CommonMark.html(prose)
            let range = NSRange(prose.startIndex..., in: prose)
            for match in pattern.matches(in: prose, range: range) {
                let word = String(prose[Range(match.range, in: prose)!])
                #expect(html.contains(word), "\(name): '\(word)' is not literal in the HTML")
                checked += 1
            }
        }
    }
}
