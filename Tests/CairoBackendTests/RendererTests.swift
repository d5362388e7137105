import CCairo
import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import Testing
@testable import CairoBackend
import Plotting
import Studies

/// The Cairo backend: valid files in every format, the requested pixel size, byte determinism, and
/// pixels that land where the layout says they should.
@Suite struct RendererTests {
    let renderer = CairoRenderer(dpi: 144)

    func simpleFigure() -> Figure {
        Figure(width: .singleColumn, height: .cm(6)) {
            Panel(x: Axis("Time [h]"), y: Axis("Voltage [V]")) {
                Line(x: [0, 1, 2, 3], y: [4.2, 4.0, 3.9, 3.2], label: "1C", marker: Marker(.circle))
                ReferenceLine(.horizontal, at: 3.5, label: "cut-off")
            }
        }
    }

    /// Decodes a PNG with Cairo and returns (width, height, pixel reader giving straight RGB).
    func decodePNG(_ bytes: [UInt8]) throws -> (Int, Int, (Int, Int) -> (UInt8, UInt8, UInt8)) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cathodelab-\(UUID().uuidString).png")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let surface = cairo_image_surface_create_from_png(url.path)!
        let w = Int(cairo_image_surface_get_width(surface))
        let h = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        var copy = [UInt8](repeating: 0, count: stride * h)
        for k in 0..<(stride * h) { copy[k] = data[k] }
        cairo_surface_destroy(surface)
        return (
            w, h,
            { x, y in
                let k = y * stride + 4 * x
                return (copy[k + 2], copy[k + 1], copy[k])  // BGRA in memory on little-endian
            }
        )
    }

    @Test func pngHasTheRequestedPixelSize() throws {
        let fig = simpleFigure()
        let png = try renderer.render(fig, format: .png)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // IHDR width and height are big-endian at bytes 16–23.
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == Int((8.5 / 2.54 * 144).rounded()))
        #expect(height == Int((6 / 2.54 * 144).rounded()))
    }

    @Test func svgParsesAsXMLWithUniqueSaltedIds() throws {
        let svg = String(decoding: try renderer.render(simpleFigure(), format: .svg), as: UTF8.self)
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse(), "SVG is not well-formed XML: \(String(describing: parser.parserError))")
        let ids = try NSRegularExpression(pattern: "id=\"([^\"]+)\"").matches(
            in: svg, range: NSRange(svg.startIndex..., in: svg)
        )
        .map { (svg as NSString).substring(with: $0.range(at: 1)) }
        #expect(!ids.isEmpty)
        #expect(Set(ids).count == ids.count)
        let salt = ids[0].split(separator: "-")[0]
        #expect(salt.count == 8 && ids.allSatisfy { $0.hasPrefix(salt + "-") })
        #expect(svg.contains("width=\"240.9"), "width in points")
    }

    @Test func pdfRendersWithPdftoppm() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cathodelab-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = try renderer.write(simpleFigure(), to: dir.appendingPathComponent("fig"), formats: [.pdf])
        let pdf = try Data(contentsOf: files[0])
        #expect(pdf.starts(with: Array("%PDF-".utf8)))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["pdftoppm", "-png", "-r", "50", files[0].path, dir.appendingPathComponent("page").path]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "pdftoppm failed (is poppler-utils installed? `make test` installs it)")
        let pages = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter {
            $0.hasPrefix("page") && $0.hasSuffix(".png")
        }
        #expect(pages.count == 1)
    }

    @Test func everyFormatIsByteIdenticalAcrossRenders() throws {
        let fig = simpleFigure()
        for format in FigureFormat.allCases {
            let a = try renderer.render(fig, format: format)
            // Advances Cairo's global id counters.
            _ = try renderer.render(Studies.Gallery.figures()[2].figure, format: format)
            let b = try renderer.render(fig, format: format)
            #expect(a == b, "\(format) output differs between two renders")
        }
    }

    @Test func pdfCarriesTheFixedDates() throws {
        let pdf = String(decoding: try renderer.render(simpleFigure(), format: .pdf), as: UTF8.self)
        // Cairo 1.16 writes the date without the "D:" prefix; later versions add it.
        #expect(pdf.contains("/CreationDate (20000101000000") || pdf.contains("/CreationDate (D:20000101000000"))
        #expect(pdf.contains("/ModDate (20000101000000") || pdf.contains("/ModDate (D:20000101000000"))
    }

    /// A 4 pt red line at y = 0.25 on a [0, 1] axis: the pixel row the transform predicts is red,
    /// rows 6 px away are white.
    @Test func aHorizontalLineLandsWhereTheTransformSays() throws {
        let red = Color(red: 1, green: 0, blue: 0)
        let fig = Figure(width: .cm(8), height: .cm(6)) {
            Panel(x: Axis("x", limits: 0...1), y: Axis("y", limits: 0...1)) {
                Line(x: [0, 1], y: [0.25, 0.25], color: red, width: 4)
            }
        }
        let laid = try FigureLayout.layout(fig, measurer: CairoTextMeasurer.shared(family: fig.style.fontFamily))
        let scale = 144.0 / 72
        let px = Int(laid.panels[0].x.position(0.5) * scale)
        let py = Int(laid.panels[0].y.position(0.25) * scale)
        let (_, _, pixel) = try decodePNG(try renderer.render(fig, format: .png))
        #expect(pixel(px, py) == (255, 0, 0))
        #expect(pixel(px, py - 6) == (255, 255, 255))
        #expect(pixel(px, py + 6) == (255, 255, 255))
    }

    /// One bar of height 0.5 on [0, 1]: its centre has the bar colour, just above its top is white.
    @Test func aBarLandsWhereTheTransformSays() throws {
        let green = Color(red: 0, green: 0.6, blue: 0)
        let fig = Figure(width: .cm(8), height: .cm(6)) {
            Panel(x: Axis("c"), y: Axis("v", limits: 0...1)) {
                BarChart(categories: ["a"], series: [BarSeries("s", values: [0.5], color: green)], valueFormat: nil)
            }
        }
        let laid = try FigureLayout.layout(fig, measurer: CairoTextMeasurer.shared(family: fig.style.fontFamily))
        let scale = 144.0 / 72
        let cx = Int(laid.panels[0].x.position(0) * scale)
        let mid = Int(laid.panels[0].y.position(0.25) * scale)
        let above = Int(laid.panels[0].y.position(0.55) * scale)
        let (_, _, pixel) = try decodePNG(try renderer.render(fig, format: .png))
        #expect(pixel(cx, mid) == (0, 153, 0))
        #expect(pixel(cx, above) == (255, 255, 255))
    }

    /// A 2 × 1 heatmap on fixed limits: each half shows its colour-map end colour; a masked cell is grey.
    @Test func heatmapCellsAndMaskLandWhereExpected() throws {
        let f = Field2D(x: [0.25, 0.75, 1.25], y: [0.5], values: [0, 1, 0], mask: [false, false, true])
        let fig = Figure(width: .cm(8), height: .cm(6)) {
            Panel(x: Axis("x", niceLimits: false), y: Axis("y", niceLimits: false)) {
                Heatmap(f, colorMap: .viridis, range: .fixed(0, 1))
            }
        }
        let laid = try FigureLayout.layout(fig, measurer: CairoTextMeasurer.shared(family: fig.style.fontFamily))
        let s = 144.0 / 72
        let g = laid.panels[0]
        let (_, _, pixel) = try decodePNG(try renderer.render(fig, format: .png))
        let y = Int(g.y.position(0.5) * s)
        let lo = ColorMap.viridis.color(at: 0)
        let hi = ColorMap.viridis.color(at: 1)
        func byte(_ v: Double) -> UInt8 { UInt8((v * 255).rounded()) }
        #expect(pixel(Int(g.x.position(0.25) * s), y) == (byte(lo.red), byte(lo.green), byte(lo.blue)))
        #expect(pixel(Int(g.x.position(0.75) * s), y) == (byte(hi.red), byte(hi.green), byte(hi.blue)))
        let m = Color.maskGrey
        #expect(pixel(Int(g.x.position(1.25) * s), y) == (byte(m.red), byte(m.green), byte(m.blue)))
    }

    @Test func aBadFigureWritesNoFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cathodelab-bad-\(UUID().uuidString)")
        let fig = Figure { Panel(x: Axis(), y: Axis("log", scale: .log10)) { Line(x: [1, 2], y: [1, -1]) } }
        #expect(throws: PlotError.self) { try renderer.write(fig, to: dir.appendingPathComponent("fig")) }
        #expect(!FileManager.default.fileExists(atPath: dir.path))
    }

    @Test func theWholeGalleryRendersInEveryFormat() throws {
        for (name, fig) in Studies.Gallery.figures() {
            for format in FigureFormat.allCases {
                let bytes = try CairoRenderer(dpi: 60).render(fig, format: format)
                #expect(bytes.count > 1000, "\(name).\(format) is suspiciously small")
            }
        }
    }
}
