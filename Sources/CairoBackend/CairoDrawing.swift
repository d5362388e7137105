import CCairo
import Foundation
import Plotting

/// The backend proper: one function per primitive.
enum CairoDrawing {
    static func apply(fontFamily: String, to cr: OpaquePointer) {
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_set_font_options(cr, options)
        cairo_font_options_destroy(options)
        cairo_select_font_face(cr, fontFamily, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
    }

    static func draw(_ list: DisplayList, _ cr: OpaquePointer) {
        for item in list.items {
            switch item {
            case let .path(elements, fill, stroke):
                path(elements, cr)
                if let fill {
                    set(fill, cr)
                    if stroke != nil { cairo_fill_preserve(cr) } else { cairo_fill(cr) }
                }
                if let stroke {
                    set(stroke.color, cr)
                    cairo_set_line_width(cr, stroke.width)
                    cairo_set_line_cap(cr, stroke.roundCaps ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT)
                    stroke.dash.withUnsafeBufferPointer { cairo_set_dash(cr, $0.baseAddress, Int32($0.count), 0) }
                    cairo_stroke(cr)
                }
                cairo_new_path(cr)
            case .text(let t):
                cairo_save(cr)
                cairo_translate(cr, t.origin.x, t.origin.y)
                if t.angle != 0 { cairo_rotate(cr, -t.angle) }
                set(t.color, cr)
                cairo_select_font_face(
                    cr, currentFamily(cr), CAIRO_FONT_SLANT_NORMAL,
                    t.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
                for run in t.runs {
                    cairo_set_font_size(cr, run.size)
                    cairo_move_to(cr, run.dx, run.dy)
                    cairo_show_text(cr, run.text)
                }
                cairo_new_path(cr)
                cairo_restore(cr)
            case let .image(img, dest):
                image(img, dest, cr)
            case let .gradient(rect, colors, vertical):
                let pattern =
                    vertical
                    ? cairo_pattern_create_linear(rect.minX, rect.maxY, rect.minX, rect.minY)
                    : cairo_pattern_create_linear(rect.minX, rect.minY, rect.maxX, rect.minY)
                for (k, c) in colors.enumerated() {
                    cairo_pattern_add_color_stop_rgba(
                        pattern, Double(k) / Double(max(colors.count - 1, 1)), c.red, c.green, c.blue, c.alpha)
                }
                cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
                cairo_set_source(cr, pattern)
                cairo_fill(cr)
                cairo_pattern_destroy(pattern)
            case .pushClip(let r):
                cairo_save(cr)
                cairo_rectangle(cr, r.x, r.y, r.width, r.height)
                cairo_clip(cr)
            case .popClip:
                cairo_restore(cr)
            }
        }
    }

    /// The family the context was set up with (the toy API has no getter for the family alone).
    private static func currentFamily(_ cr: OpaquePointer) -> String {
        guard let face = cairo_get_font_face(cr), let fam = cairo_toy_font_face_get_family(face) else {
            return "DejaVu Sans"
        }
        return String(cString: fam)
    }

    private static func set(_ c: Color, _ cr: OpaquePointer) {
        if c.alpha >= 1 {
            cairo_set_source_rgb(cr, c.red, c.green, c.blue)
        } else {
            cairo_set_source_rgba(cr, c.red, c.green, c.blue, c.alpha)
        }
    }

    private static func path(_ elements: [PathElement], _ cr: OpaquePointer) {
        cairo_new_path(cr)
        for e in elements {
            switch e {
            case .move(let p): cairo_move_to(cr, p.x, p.y)
            case .line(let p): cairo_line_to(cr, p.x, p.y)
            case let .curve(a, b, p): cairo_curve_to(cr, a.x, a.y, b.x, b.y, p.x, p.y)
            case .close: cairo_close_path(cr)
            }
        }
    }

    private static func image(_ img: RasterImage, _ dest: Rect, _ cr: OpaquePointer) {
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(img.width), Int32(img.height)) else {
            return
        }
        defer { cairo_surface_destroy(surface) }
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard let data = cairo_image_surface_get_data(surface) else { return }
        // Cairo's ARGB32 is premultiplied, native-endian 32-bit words: B, G, R, A in memory on little-endian.
        for row in 0..<img.height {
            let line = data.advanced(by: row * stride).withMemoryRebound(to: UInt32.self, capacity: img.width) { $0 }
            for col in 0..<img.width {
                let k = 4 * (row * img.width + col)
                let a = UInt32(img.rgba[k + 3])
                let r = UInt32(img.rgba[k]) * a / 255
                let g = UInt32(img.rgba[k + 1]) * a / 255
                let b = UInt32(img.rgba[k + 2]) * a / 255
                line[col] = (a << 24) | (r << 16) | (g << 8) | b
            }
        }
        cairo_surface_mark_dirty(surface)
        cairo_save(cr)
        cairo_rectangle(cr, dest.x, dest.y, dest.width, dest.height)
        cairo_clip(cr)
        cairo_translate(cr, dest.x, dest.y)
        cairo_scale(cr, dest.width / Double(img.width), dest.height / Double(img.height))
        cairo_set_source_surface(cr, surface, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST)
        cairo_paint(cr)
        cairo_restore(cr)
    }
}

/// Text measurement with Cairo's toy API on a 1×1 scratch surface.
///
/// Ascent and descent are fixed fractions of the font size (0.76 and 0.24 em: DejaVu Sans' cap height and
/// descender), so vertical layout does not depend on which glyphs a label happens to contain.
public final class CairoTextMeasurer: TextMeasurer, @unchecked Sendable {
    private let surface: OpaquePointer
    private let cr: OpaquePointer
    private let lock = NSLock()
    private var cache: [String: Double] = [:]

    nonisolated(unsafe) private static var instances: [String: CairoTextMeasurer] = [:]
    private static let instancesLock = NSLock()

    /// One measurer per font family, shared (measuring is serialised by a lock).
    public static func shared(family: String) -> CairoTextMeasurer {
        instancesLock.lock()
        defer { instancesLock.unlock() }
        if let m = instances[family] { return m }
        let m = CairoTextMeasurer(family: family)
        instances[family] = m
        return m
    }

    public init(family: String) {
        surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1)
        cr = cairo_create(surface)
        CairoDrawing.apply(fontFamily: family, to: cr)
        self.family = family
    }
    private let family: String

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    public func measure(_ text: String, size: Double, bold: Bool) -> TextMetrics {
        lock.lock()
        defer { lock.unlock() }
        let key = "\(bold ? 1 : 0)|\(size)|\(text)"
        let width: Double
        if let w = cache[key] {
            width = w
        } else {
            cairo_select_font_face(
                cr, family, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
            cairo_set_font_size(cr, size)
            var ext = cairo_text_extents_t()
            cairo_text_extents(cr, text, &ext)
            width = ext.x_advance
            cache[key] = width
        }
        return TextMetrics(width: width, ascent: 0.76 * size, descent: 0.24 * size)
    }
}
