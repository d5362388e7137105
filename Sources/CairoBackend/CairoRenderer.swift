import CCairo
import Foundation
import Plotting

/// Output formats the Cairo backend writes.
public enum FigureFormat: String, CaseIterable, Sendable, Codable {
    case pdf, svg, png
}

/// Renders a `Plotting.Figure` with Cairo to PDF, SVG or PNG.
///
/// Contract:
/// - The figure is laid out once (`FigureLayout`) and the same display list is drawn into every format,
///   so the three files show the same figure.
/// - Text uses Cairo's toy font API pinned to DejaVu Sans (it covers µ, ⁻, ², σ, θ, Å, Greek), with metric
///   hinting off so that PDF, SVG and PNG lay text out identically.
/// - Output is byte-deterministic: the PDF creation and modification dates are fixed
///   (`fixedPDFDate`), SVG element ids are renumbered in order of appearance and salted with a hash of the
///   document (Cairo's SVG ids come from a process-global counter), PNG is written by `PNGEncoder`
///   from the pixels alone.
/// - PNG size is `round(width_in · dpi) × round(height_in · dpi)` pixels.
public struct CairoRenderer: Sendable {
    public var dpi: Double
    /// Written as PDF CreationDate and ModDate, so two renders of one figure are identical.
    public static let fixedPDFDate = "2000-01-01T00:00:00Z"

    public init(dpi: Double = 300) { self.dpi = dpi }

    /// The bytes of `figure` in `format`. Throws `PlotError` for a bad figure, `RenderError` if Cairo fails.
    public func render(_ figure: Figure, format: FigureFormat) throws -> [UInt8] {
        let list = try FigureLayout.displayList(
            figure, measurer: CairoTextMeasurer.shared(family: figure.style.fontFamily))
        return try render(list, format: format, fontFamily: figure.style.fontFamily)
    }

    /// Draws an already laid-out display list.
    public func render(_ list: DisplayList, format: FigureFormat, fontFamily: String = Style.journal.fontFamily) throws
        -> [UInt8]
    {
        let sink = ByteSink()
        let ctxSink = sink.context
        let surface: OpaquePointer
        switch format {
        case .pdf:
            guard let s = cairo_pdf_surface_create_for_stream(ByteSink.write, ctxSink, list.width, list.height) else {
                throw RenderError.cairo("cannot create PDF surface")
            }
            cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, Self.fixedPDFDate)
            cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, Self.fixedPDFDate)
            cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "CathodeLab")
            surface = s
        case .svg:
            guard let s = cairo_svg_surface_create_for_stream(ByteSink.write, ctxSink, list.width, list.height) else {
                throw RenderError.cairo("cannot create SVG surface")
            }
            cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PT)
            surface = s
        case .png:
            let w = Int32((list.width / 72 * dpi).rounded())
            let h = Int32((list.height / 72 * dpi).rounded())
            guard w > 0, h > 0, let s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h) else {
                throw RenderError.cairo("cannot create a \(w)×\(h) image")
            }
            surface = s
        }
        defer { cairo_surface_destroy(surface) }
        guard let cr = cairo_create(surface) else { throw RenderError.cairo("cannot create context") }
        if format == .png { cairo_scale(cr, dpi / 72, dpi / 72) }
        CairoDrawing.apply(fontFamily: fontFamily, to: cr)
        CairoDrawing.draw(list, cr)
        let status = cairo_status(cr)
        cairo_destroy(cr)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RenderError.cairo(String(cString: cairo_status_to_string(status)))
        }
        if format == .png {
            cairo_surface_flush(surface)
            guard let data = cairo_image_surface_get_data(surface) else { throw RenderError.cairo("no image data") }
            return try PNGEncoder.encode(
                argb: data, width: Int(cairo_image_surface_get_width(surface)),
                height: Int(cairo_image_surface_get_height(surface)),
                stride: Int(cairo_image_surface_get_stride(surface)), dpi: dpi)
        } else {
            cairo_surface_finish(surface)
            let st = cairo_surface_status(surface)
            guard st == CAIRO_STATUS_SUCCESS else {
                throw RenderError.cairo(String(cString: cairo_status_to_string(st)))
            }
        }
        if format == .svg { return SVGImageRendering.pixelated(SVGIdentifiers.normalise(sink.bytes)) }
        return sink.bytes
    }

    /// Lays the figure out once and renders it in every requested format, the formats in parallel
    /// (each on its own Cairo surface and context). Results come back in the order of `formats`.
    public func renderAll(_ figure: Figure, formats: [FigureFormat] = FigureFormat.allCases) throws -> [(
        FigureFormat, [UInt8]
    )] {
        let list = try FigureLayout.displayList(
            figure, measurer: CairoTextMeasurer.shared(family: figure.style.fontFamily))
        return try renderAll(list, formats: formats, fontFamily: figure.style.fontFamily)
    }

    /// Renders one display list in every requested format, the formats in parallel.
    func renderAll(_ list: DisplayList, formats: [FigureFormat], fontFamily: String) throws -> [(FigureFormat, [UInt8])]
    {
        let results = ResultSlots(count: formats.count)
        DispatchQueue.concurrentPerform(iterations: formats.count) { k in
            results.set(k, Result { try render(list, format: formats[k], fontFamily: fontFamily) })
        }
        return try formats.indices.map { (formats[$0], try results.get($0).get()) }
    }

    /// Writes `<base>.pdf`, `.svg`, `.png` (or the chosen formats) and returns the files written; with
    /// `displayList`, also `<base>.displaylist` (`DisplayListArchive`), from which a document draws the same figure.
    /// Every format is rendered before any file is written, so a bad figure leaves no partial output.
    @discardableResult
    public func write(
        _ figure: Figure, to base: URL, formats: [FigureFormat] = FigureFormat.allCases, displayList: Bool = false
    ) throws -> [URL] {
        let list = try FigureLayout.displayList(
            figure, measurer: CairoTextMeasurer.shared(family: figure.style.fontFamily))
        return try write(
            list, fontFamily: figure.style.fontFamily, to: base, formats: formats, displayList: displayList)
    }

    /// Writes an already laid-out figure (e.g. one a caller has checked with `FigureCheck`) the same way.
    @discardableResult
    public func write(
        _ list: DisplayList, fontFamily: String, to base: URL, formats: [FigureFormat] = FigureFormat.allCases,
        displayList: Bool = false
    ) throws -> [URL] {
        var rendered = try renderAll(list, formats: formats, fontFamily: fontFamily).map { ($0.0.rawValue, $0.1) }
        if displayList {
            rendered.append((DisplayListArchive.fileExtension, DisplayListArchive.encode(list, fontFamily: fontFamily)))
        }
        try FileManager.default.createDirectory(at: base.deletingLastPathComponent(), withIntermediateDirectories: true)
        return try rendered.map { fileExtension, bytes in
            let url = base.appendingPathExtension(fileExtension)
            try Data(bytes).write(to: url, options: .atomic)
            return url
        }
    }

    /// Draws a laid-out display list into a caller's Cairo context (`cairo_t *`), in the context's current user space
    /// (origin at the figure's top-left, 1 unit = 1 pt): how a document places a figure on its page as vectors. The
    /// context's state is saved and restored around the drawing.
    public static func draw(_ list: DisplayList, fontFamily: String, into context: OpaquePointer) {
        cairo_save(context)
        CairoDrawing.apply(fontFamily: fontFamily, to: context)
        CairoDrawing.draw(list, context)
        cairo_restore(context)
    }
}

public enum RenderError: Error, CustomStringConvertible, Equatable {
    case cairo(String)
    public var description: String {
        switch self {
        case .cairo(let m): return "Cairo failed: \(m)"
        }
    }
}

/// Per-index result storage for `concurrentPerform` (each index written once, read after the join).
final class ResultSlots: @unchecked Sendable {
    private var slots: [Result<[UInt8], Error>?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ k: Int, _ r: Result<[UInt8], Error>) {
        lock.lock()
        slots[k] = r
        lock.unlock()
    }
    func get(_ k: Int) -> Result<[UInt8], Error> {
        lock.lock()
        defer { lock.unlock() }
        return slots[k]!
    }
}

/// Collects the bytes a Cairo surface streams out (`cairo_pdf_surface_create_for_stream(ByteSink.write, sink.context, …)`);
/// shared with the document engine, which streams its PDF the same way.
public final class ByteSink {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    /// The closure pointer Cairo hands back to `write`; valid while the sink lives.
    public var context: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    /// The write function for Cairo's stream surfaces.
    public static let write: cairo_write_func_t = { closure, data, length in
        guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
        let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
        sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
        return CAIRO_STATUS_SUCCESS
    }
}
