import CCmarkGFM
import Foundation

/// Markdown → a standalone HTML page, with a small print-friendly stylesheet. The Markdown is CommonMark as the
/// reference implementation reads it (cmark-gfm: intraword `_` stays literal, so `D_f` is not emphasis) with
/// GitHub's table and autolink extensions (bare URLs and `www.` links become links).
public enum HTMLPage {
    public static let stylesheet = """
    body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1.25rem; color: #1d1d1f; line-height: 1.5; }
    h1 { font-size: 1.6rem; border-bottom: 2px solid #0072B2; padding-bottom: .3rem; }
    h2 { font-size: 1.25rem; margin-top: 2rem; color: #0b3c5d; }
    img { max-width: min(100%, 46rem); height: auto; display: block; margin: 1rem auto; border: 1px solid #e3e3e3; }
    table { border-collapse: collapse; margin: 1rem 0; font-size: .9rem; width: 100%; }
    th, td { border: 1px solid #d0d0d0; padding: .3rem .55rem; text-align: left; vertical-align: top; }
    th { background: #f1f4f8; }
    tr:nth-child(even) td { background: #fafbfc; }
    code { background: #f3f3f3; padding: 0 .25rem; border-radius: 3px; font-size: .88em; }
    em { color: #444; }
    a { color: #0072B2; }
    """

    public static func render(markdown: String, title: String) -> String {
        let body = CommonMark.html(markdown)
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
        \(stylesheet)
        </style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}

/// CommonMark → HTML by cmark-gfm (the reference CommonMark implementation, with GitHub's extensions).
public enum CommonMark {
    /// The extensions attached to every parse: GFM tables and autolinks.
    static let extensions = ["table", "autolink"]

    /// The library's version, for bundle manifests.
    public static var version: String { String(cString: cmark_version_string()) }

    /// HTML of `markdown`. Raw HTML in the Markdown is kept (the text is the report's own), smart punctuation is
    /// off (what the template says is what the page shows).
    public static func html(_ markdown: String) -> String {
        cmark_gfm_core_extensions_ensure_registered()
        let options = CMARK_OPT_UNSAFE
        guard let parser = cmark_parser_new(options) else { return "" }
        defer { cmark_parser_free(parser) }
        for name in extensions {
            if let extensionPointer = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, extensionPointer) }
        }
        var text = markdown
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { cmark_parser_feed(parser, $0.baseAddress, $0.count) }
        }
        guard let document = cmark_parser_finish(parser) else { return "" }
        defer { cmark_node_free(document) }
        guard let rendered = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser)) else { return "" }
        defer { free(rendered) }
        return String(cString: rendered)
    }
}
