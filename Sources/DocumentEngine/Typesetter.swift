import CCairo
import CPango
import Foundation

/// Where a link in typeset text goes: a named destination in the document, or a URI.
public enum LinkTarget: Sendable, Equatable {
    case destination(String)
    case uri(String)
}

/// A font and paragraph setting: Pango font description ("DejaVu Serif 9.5"), alignment, justification, spacing.
struct TextStyle {
    var font: String
    var size: Double
    var justify = false
    var alignment: ColumnAlignment = .left
    /// Extra space between lines, in points.
    var lineSpacing = 0.0
    /// Colour as "#rrggbb".
    var color = "#1d1d1f"
    var wrapAnywhere = false
    /// One line, ended by "…" when too long (running headers).
    var ellipsize = false
    /// Indent of the continuation lines of a wrapped line, in points (code).
    var hangingIndent = 0.0

    func with(_ change: (inout TextStyle) -> Void) -> TextStyle {
        var copy = self
        change(&copy)
        return copy
    }
}

/// Pango markup under construction, with the byte ranges of its links in the text Pango will lay out (markup stripped,
/// entities resolved), so that the links' rectangles can be found after layout.
struct Markup {
    private(set) var text = ""
    /// UTF-8 length of the visible text so far.
    private(set) var visibleBytes = 0
    private(set) var links: [(start: Int, end: Int, target: LinkTarget)] = []

    mutating func append(plain: String) {
        for character in plain.unicodeScalars {
            switch character {
            case "&": text += "&amp;"
            case "<": text += "&lt;"
            case ">": text += "&gt;"
            default: text.unicodeScalars.append(character)
            }
        }
        visibleBytes += plain.utf8.count
    }

    /// Opens and closes a markup tag around `body`.
    mutating func wrap(_ open: String, _ close: String, _ body: (inout Markup) -> Void) {
        text += open
        body(&self)
        text += close
    }

    mutating func link(_ target: LinkTarget?, _ body: (inout Markup) -> Void) {
        guard let target else {
            body(&self)
            return
        }
        let start = visibleBytes
        wrap("<span foreground=\"#0b5394\">", "</span>", body)
        links.append((start, visibleBytes, target))
    }
}

/// One laid-out line of a `TextBox`, in points relative to the box's top-left.
struct LineMetrics {
    var top: Double
    var height: Double
    var baseline: Double
    var x: Double
    var startIndex: Int
    var length: Int
}

/// Text laid out by Pango at a fixed width: its lines (each can go on a different page), their link rectangles.
final class TextBox {
    let layout: OpaquePointer
    let lines: [LineMetrics]
    let links: [(start: Int, end: Int, target: LinkTarget)]
    let width: Double
    let height: Double

    init(layout: OpaquePointer, links: [(start: Int, end: Int, target: LinkTarget)]) {
        self.layout = layout
        self.links = links
        var lines: [LineMetrics] = []
        let iterator = pango_layout_get_iter(layout)
        repeat {
            var ink = PangoRectangle()
            var logical = PangoRectangle()
            pango_layout_iter_get_line_extents(iterator, &ink, &logical)
            let baseline = pango_layout_iter_get_baseline(iterator)
            let line = pango_layout_iter_get_line_readonly(iterator)
            lines.append(
                LineMetrics(
                    top: Typesetter.points(logical.y), height: Typesetter.points(logical.height),
                    baseline: Typesetter.points(baseline), x: Typesetter.points(logical.x),
                    startIndex: Int(pango_layout_line_get_start_index(line)),
                    length: Int(pango_layout_line_get_length(line))))
        } while pango_layout_iter_next_line(iterator) != 0
        pango_layout_iter_free(iterator)
        self.lines = lines
        var logical = PangoRectangle()
        pango_layout_get_extents(layout, nil, &logical)
        width = Typesetter.points(logical.width)
        height = Typesetter.points(logical.height)
    }

    deinit { g_object_unref(UnsafeMutableRawPointer(layout)) }

    /// The height of lines `range` (top of the first to bottom of the last).
    func height(of range: Range<Int>) -> Double {
        guard let first = range.first, let last = range.last else { return 0 }
        return lines[last].top + lines[last].height - lines[first].top
    }

    /// Draws lines `range` with the first line's top at `(x, y)`; adds their links to `page`.
    func draw(lines range: Range<Int>, at x: Double, _ y: Double, on page: PageCanvas, color: String) {
        guard let first = range.first else { return }
        let offset = y - lines[first].top
        page.setColor(hex: color)
        for index in range {
            let metrics = lines[index]
            guard let line = pango_layout_get_line_readonly(layout, Int32(index)) else { continue }
            cairo_move_to(page.context, x + metrics.x, offset + metrics.baseline)
            pango_cairo_show_layout_line(page.context, line)
            for link in links where link.start < metrics.startIndex + metrics.length && link.end > metrics.startIndex {
                var ranges: UnsafeMutablePointer<Int32>?
                var count: Int32 = 0
                pango_layout_line_get_x_ranges(
                    line, Int32(max(link.start, metrics.startIndex)),
                    Int32(min(link.end, metrics.startIndex + metrics.length)), &ranges, &count)
                if let ranges {
                    for rangeIndex in 0..<Int(count) {
                        let left = Typesetter.points(ranges[2 * rangeIndex])
                        let right = Typesetter.points(ranges[2 * rangeIndex + 1])
                        page.link(
                            x: x + left, y: offset + metrics.top, width: right - left, height: metrics.height,
                            to: link.target)
                    }
                    g_free(ranges)
                }
            }
        }
    }
}

/// Lays text out with Pango on the document's Cairo context: fonts at 72 units per inch (sizes are points), metric
/// hinting off (the same line breaks on every machine with the same fonts).
final class Typesetter {
    let pangoContext: OpaquePointer

    init(cairo context: OpaquePointer) {
        pangoContext = pango_cairo_create_context(context)
        pango_cairo_context_set_resolution(pangoContext, 72)
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        pango_cairo_context_set_font_options(pangoContext, options)
        cairo_font_options_destroy(options)
    }

    deinit { g_object_unref(UnsafeMutableRawPointer(pangoContext)) }

    static func points(_ pangoUnits: Int32) -> Double { Double(pangoUnits) / 1024 }

    /// `markup` laid out at `width` points in `style`.
    /// A new Pango layout in the style's font (the caller owns it).
    func layout(font style: TextStyle) -> OpaquePointer {
        let layout = pango_layout_new(pangoContext)!
        let font = pango_font_description_from_string("\(style.font) \(style.size)")
        pango_layout_set_font_description(layout, font)
        pango_font_description_free(font)
        return layout
    }

    func box(_ markup: Markup, width: Double, style: TextStyle) -> TextBox {
        let layout = layout(font: style)
        pango_layout_set_width(layout, Int32((width * 1024).rounded(.down)))
        pango_layout_set_wrap(layout, style.wrapAnywhere ? PANGO_WRAP_WORD_CHAR : PANGO_WRAP_WORD)
        pango_layout_set_justify(layout, style.justify ? 1 : 0)
        switch style.alignment {
        case .left: pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT)
        case .center: pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER)
        case .right: pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT)
        }
        pango_layout_set_spacing(layout, Int32(style.lineSpacing * 1024))
        if style.ellipsize { pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END) }
        if style.hangingIndent > 0 { pango_layout_set_indent(layout, Int32(-style.hangingIndent * 1024)) }
        pango_layout_set_markup(layout, markup.text, -1)
        return TextBox(layout: layout, links: markup.links)
    }

    /// The width of `markup` on one line (no wrapping), in points.
    func naturalWidth(_ markup: Markup, style: TextStyle) -> Double {
        let layout = layout(font: style)
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        pango_layout_set_markup(layout, markup.text, -1)
        var logical = PangoRectangle()
        pango_layout_get_extents(layout, nil, &logical)
        return Self.points(logical.width)
    }

    /// The width of the widest word of `markup` (the narrowest a column can be without breaking inside words).
    func widestWord(_ markup: Markup, style: TextStyle) -> Double {
        let box = self.box(markup, width: 1, style: style.with { $0.wrapAnywhere = false })
        return box.width
    }
}
