import CCmarkGFM
import Foundation

/// Finds Markdown that does not close what it opens, which CommonMark accepts silently but which garbles a page: a
/// code fence never closed (the rest of the page becomes code) and emphasis delimiters left unmatched (`**` or `__`
/// printed literally). Parsed by cmark-gfm, the same reader that renders the page.
public enum MarkdownCheck {
    /// One message per problem, with its line (1-based), in order.
    public static func problems(in markdown: String) -> [String] {
        cmark_gfm_core_extensions_ensure_registered()
        guard let parser = cmark_parser_new(CMARK_OPT_DEFAULT) else { return [] }
        defer { cmark_parser_free(parser) }
        if let table = cmark_find_syntax_extension("table") { cmark_parser_attach_syntax_extension(parser, table) }
        var text = markdown
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { cmark_parser_feed(parser, $0.baseAddress, $0.count) }
        }
        guard let document = cmark_parser_finish(parser) else { return [] }
        defer { cmark_node_free(document) }
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
        var problems: [String] = []
        guard let iterator = cmark_iter_new(document) else { return [] }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            let line = Int(cmark_node_get_start_line(node))
            switch cmark_node_get_type(node) {
            case CMARK_NODE_CODE_BLOCK where isFenced(node):
                let endLine = Int(cmark_node_get_end_line(node))
                let closing =
                    endLine >= 1 && endLine <= lines.count
                    ? lines[endLine - 1].trimmingCharacters(in: .whitespaces) : ""
                if endLine == line || !(closing.hasPrefix("```") || closing.hasPrefix("~~~")) {
                    problems.append(
                        "line \(line): a code fence is opened and never closed (the rest of the page would be code)")
                }
            case CMARK_NODE_TEXT:
                let literal = cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
                for delimiter in ["**", "__"] where literal.contains(delimiter) {
                    problems.append(
                        "line \(line): '\(delimiter)' is opened and never closed (it would be printed literally)")
                }
            default:
                break
            }
        }
        return problems
    }

    /// cmark writes the fence's length, offset and character through its pointers, so they must be real.
    static func isFenced(_ node: OpaquePointer) -> Bool {
        var length: Int32 = 0
        var offset: Int32 = 0
        var character: CChar = 0
        return cmark_node_get_fenced(node, &length, &offset, &character) != 0
    }
}
