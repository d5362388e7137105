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
        page(title: title, extraStyle: SwiftHighlighter.stylesheet, body: literate(CommonMark.html(markdown)))
    }

    /// The report's HTML made literate and linkable: every figure image gets its anchor (`id="fig-<name>"`, the target
    /// of cross-references), and every Swift code block is highlighted and folded (`<details>`, closed), as Quarto's
    /// `code-fold` does.
    static func literate(_ html: String) -> String {
        var body = html.replacingOccurrences(
            of: #"<img src="figures/([A-Za-z0-9_.-]+)\.png""#,
            with: #"<img id="\#(FigureLabel.anchor("$1"))" src="figures/$1.png""#, options: .regularExpression)
        let codePattern = try! NSRegularExpression(
            pattern: #"<pre><code class="language-swift">([\s\S]*?)</code></pre>"#)
        for match in codePattern.matches(in: body, range: NSRange(body.startIndex..., in: body)).reversed() {
            guard let whole = Range(match.range, in: body), let inner = Range(match.range(at: 1), in: body) else {
                continue
            }
            let source = unescape(String(body[inner]))
            let lines =
                source.split(separator: "\n", omittingEmptySubsequences: false).count - (source.hasSuffix("\n") ? 1 : 0)
            body.replaceSubrange(
                whole,
                with:
                    "<details class=\"declaration\"><summary>Show the Swift code (\(lines) lines)</summary>\n<pre><code class=\"language-swift\">\(SwiftHighlighter.html(source))</code></pre>\n</details>"
            )
        }
        return body
    }

    /// The text cmark escaped for HTML.
    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The HTML document around a body: head with title and the stylesheet (plus `extraStyle`, `extraHead`).
    static func page(title: String, extraHead: String = "", extraStyle: String = "", body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        \(extraHead)<title>\(escape(title))</title>
        <style>
        \(stylesheet)
        \(extraStyle)</style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }

    /// What made a page, for the footer of a standalone page.
    public struct Provenance: Sendable {
        public var tool: String
        public var commit: String
        public var dirty: Bool
        public var commitDate: String
        public var physicsVersion: String
        public init(tool: String, commit: String, dirty: Bool, commitDate: String, physicsVersion: String) {
            self.tool = tool
            self.commit = commit
            self.dirty = dirty
            self.commitDate = commitDate
            self.physicsVersion = physicsVersion
        }
    }

    /// A page that travels on its own (e.g. as a mail attachment): the stylesheet inline, every figure the Markdown
    /// embeds as `![…](figures/<name>.png)` replaced by its SVG (`svgs[name]`, vector, text selectable) and the links
    /// to the figure files dropped, a link back to the report index (`indexLink`, relative: it works where the bundle
    /// folder is intact), and a footer naming the code version, commit and its date. Links (DOIs) stay links.
    public static func renderStandalone(
        markdown: String, title: String, svgs: [String: String], provenance: Provenance,
        indexLink: String = "../index.html"
    ) -> String {
        var body = literate(CommonMark.html(markdown))
        // cmark writes an image as <img src="figures/NAME.png" alt="TEXT" />, and the report's file links as
        // <a href="figures/NAME.pdf">PDF</a> · <a href="figures/NAME.svg">SVG</a>.
        body = body.replacingOccurrences(
            of: #" ?<a href="figures/[A-Za-z0-9_.-]+\.pdf">PDF</a> · <a href="figures/[A-Za-z0-9_.-]+\.svg">SVG</a>"#,
            with: "",
            options: .regularExpression)
        for (name, svg) in svgs.sorted(by: { $0.key < $1.key }) {
            let pattern =
                #"<img id="[^"]*" src="figures/"# + NSRegularExpression.escapedPattern(for: name)
                + #"\.png" alt="([^"]*)" />"#
            guard let regex = try? NSRegularExpression(pattern: pattern) else { continue }
            let inline = svg.replacingOccurrences(of: #"^<\?xml[^>]*>\s*"#, with: "", options: .regularExpression)
            let matches = regex.matches(in: body, range: NSRange(body.startIndex..., in: body)).reversed()
            for match in matches {
                guard let whole = Range(match.range, in: body), let alt = Range(match.range(at: 1), in: body) else {
                    continue
                }
                body.replaceSubrange(
                    whole,
                    with:
                        "<span class=\"figure\" id=\"\(FigureLabel.anchor(name))\" role=\"img\" aria-label=\"\(body[alt])\">\(inline)</span>"
                )
            }
        }
        let commit = provenance.commit.prefix(12) + (provenance.dirty ? " (with uncommitted changes)" : "")
        let style = """
            span.figure { display: block; margin: 1rem auto; max-width: min(100%, 46rem); }
            span.figure svg { width: 100%; height: auto; display: block; }
            nav.index, footer { font-size: .85rem; color: #555; }
            footer { border-top: 1px solid #d0d0d0; margin-top: 2.5rem; padding-top: .6rem; }

            """
        let footer =
            "<footer>Made by \(escape(provenance.tool)), commit <code>\(escape(String(commit)))</code> of \(escape(provenance.commitDate)), physics version <code>\(escape(provenance.physicsVersion))</code>. Figures are inline vector graphics; this page needs no other file.</footer>"
        return page(
            title: title, extraHead: "<meta name=\"generator\" content=\"\(escape(provenance.tool))\">\n",
            extraStyle: SwiftHighlighter.stylesheet + "\n" + style,
            body:
                "<nav class=\"index\"><a href=\"\(escape(indexLink))\">← All CathodeLab reports</a></nav>\n\(body)\n\(footer)"
        )
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
            of: ">", with: "&gt;")
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
            if let extensionPointer = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, extensionPointer)
            }
        }
        var text = markdown
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { cmark_parser_feed(parser, $0.baseAddress, $0.count) }
        }
        guard let document = cmark_parser_finish(parser) else { return "" }
        defer { cmark_node_free(document) }
        guard let rendered = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser)) else {
            return ""
        }
        defer { free(rendered) }
        return String(cString: rendered)
    }
}
