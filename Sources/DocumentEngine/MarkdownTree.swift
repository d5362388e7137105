import CCmarkGFM
import Foundation

/// Inline Markdown content as the document typesets it.
public indirect enum Inline: Sendable, Equatable {
    case text(String)
    case emphasis([Inline])
    case strong([Inline])
    case code(String)
    /// A link: its target as written (`https://…`, `#fig-…`, `../<study>/report.html#fig-…`).
    case link(href: String, [Inline])
    case image(source: String, alt: String)
    case superscript([Inline])
    case `subscript`([Inline])
    case softBreak
    case lineBreak

    /// The text a reader sees, without markup.
    public var plainText: String {
        switch self {
        case .text(let text), .code(let text): return text
        case .emphasis(let children), .strong(let children), .link(_, let children), .superscript(let children),
            .subscript(let children):
            return children.map(\.plainText).joined()
        case .image(_, let alt): return alt
        case .softBreak: return " "
        case .lineBreak: return "\n"
        }
    }
}

/// Column alignment of a GFM table.
public enum ColumnAlignment: Sendable, Equatable {
    case left, center, right
}

/// Block-level Markdown content (CommonMark with GFM tables) as the document typesets it.
public indirect enum Block: Sendable, Equatable {
    case heading(level: Int, [Inline])
    case paragraph([Inline])
    case list(ordered: Bool, start: Int, items: [[Block]])
    case code(info: String, text: String)
    case quote([Block])
    case table(header: [[Inline]], rows: [[[Inline]]], alignments: [ColumnAlignment])
    case rule
    case html(String)
}

/// Reads Markdown into `Block`s with cmark-gfm (the reference CommonMark reader, GFM tables and autolinks): the same
/// reading as the HTML reports, so intraword `_` is literal and a DOI in angle brackets or bare is a link. Raw inline
/// `<sub>…</sub>` and `<sup>…</sup>` become sub- and superscripts; other raw HTML is kept as text.
public enum MarkdownTree {
    public static func parse(_ markdown: String) -> [Block] {
        cmark_gfm_core_extensions_ensure_registered()
        guard let parser = cmark_parser_new(CMARK_OPT_DEFAULT) else { return [] }
        defer { cmark_parser_free(parser) }
        for name in ["table", "autolink"] {
            if let syntaxExtension = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, syntaxExtension)
            }
        }
        var text = markdown
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { cmark_parser_feed(parser, $0.baseAddress, $0.count) }
        }
        guard let document = cmark_parser_finish(parser) else { return [] }
        defer { cmark_node_free(document) }
        return blocks(children(of: document))
    }

    static func children(of node: OpaquePointer) -> [OpaquePointer] {
        var result: [OpaquePointer] = []
        var child = cmark_node_first_child(node)
        while let current = child {
            result.append(current)
            child = cmark_node_next(current)
        }
        return result
    }

    static func typeName(_ node: OpaquePointer) -> String {
        cmark_node_get_type_string(node).map { String(cString: $0) } ?? ""
    }

    static func literal(_ node: OpaquePointer) -> String {
        cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
    }

    static func blocks(_ nodes: [OpaquePointer]) -> [Block] {
        nodes.compactMap(block)
    }

    static func block(_ node: OpaquePointer) -> Block? {
        switch typeName(node) {
        case "heading":
            return .heading(level: Int(cmark_node_get_heading_level(node)), inlines(children(of: node)))
        case "paragraph":
            return .paragraph(inlines(children(of: node)))
        case "list":
            let ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST
            let items = children(of: node).map { blocks(children(of: $0)) }
            return .list(ordered: ordered, start: Int(cmark_node_get_list_start(node)), items: items)
        case "code_block":
            let info = cmark_node_get_fence_info(node).map { String(cString: $0) } ?? ""
            return .code(info: info, text: literal(node))
        case "block_quote":
            return .quote(blocks(children(of: node)))
        case "thematic_break":
            return .rule
        case "html_block":
            return .html(literal(node))
        case "table":
            let rows = children(of: node).map { row in children(of: row).map { inlines(children(of: $0)) } }
            guard let header = rows.first else { return nil }
            let columnCount = header.count
            var alignments = [ColumnAlignment](repeating: .left, count: columnCount)
            if let raw = cmark_gfm_extensions_get_table_alignments(node) {
                for column in 0..<columnCount {
                    switch raw[column] {
                    case UInt8(ascii: "r"): alignments[column] = .right
                    case UInt8(ascii: "c"): alignments[column] = .center
                    default: alignments[column] = .left
                    }
                }
            }
            let body = rows.dropFirst().map { row in
                (0..<columnCount).map { $0 < row.count ? row[$0] : [] }
            }
            return .table(header: header, rows: Array(body), alignments: alignments)
        default:
            return nil
        }
    }

    static func inlines(_ nodes: [OpaquePointer]) -> [Inline] {
        // Raw <sub>/<sup> open and close as sibling html_inline nodes: collect what lies between.
        var stack: [(tag: String, content: [Inline])] = [("", [])]
        for node in nodes {
            let type = typeName(node)
            if type == "html_inline" {
                let tag = literal(node).lowercased()
                if tag == "<sub>" || tag == "<sup>" {
                    stack.append((tag, []))
                    continue
                }
                if tag == "</sub>" || tag == "</sup>", stack.count > 1,
                    stack[stack.count - 1].tag == "<" + tag.dropFirst(2)
                {
                    let closed = stack.removeLast()
                    stack[stack.count - 1].content.append(
                        tag == "</sub>" ? .subscript(closed.content) : .superscript(closed.content))
                    continue
                }
            }
            if let item = inline(node, type: type) { stack[stack.count - 1].content.append(item) }
        }
        while stack.count > 1 {
            let open = stack.removeLast()
            stack[stack.count - 1].content.append(.text(open.tag))
            stack[stack.count - 1].content += open.content
        }
        return stack[0].content
    }

    static func inline(_ node: OpaquePointer, type: String) -> Inline? {
        switch type {
        case "text": return .text(literal(node))
        case "code": return .code(literal(node))
        case "emph": return .emphasis(inlines(children(of: node)))
        case "strong": return .strong(inlines(children(of: node)))
        case "link":
            let href = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
            return .link(href: href, inlines(children(of: node)))
        case "image":
            let source = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
            return .image(source: source, alt: inlines(children(of: node)).map(\.plainText).joined())
        case "softbreak": return .softBreak
        case "linebreak": return .lineBreak
        case "html_inline": return .text(literal(node))
        default: return nil
        }
    }
}
