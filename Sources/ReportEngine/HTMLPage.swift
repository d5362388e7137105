import Foundation
import Ink

/// Markdown → a standalone HTML page (JohnSundell/Ink), with a small print-friendly stylesheet.
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
        let body = MarkdownParser().html(from: markdown)
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
