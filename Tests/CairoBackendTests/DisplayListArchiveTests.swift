import Foundation
import Plotting
import Testing
@testable import CairoBackend

/// The archived display list a document draws figures from: it reads back equal to what the figure's PDF, SVG and
/// PNG were drawn from (every primitive kind, including a heatmap image and a colour-bar gradient), draws to the same
/// PDF bytes, and a damaged archive is an error, never a crash.
@Suite struct DisplayListArchiveTests {
    func figure() -> Figure {
        let field = Field2D(x: [0, 1, 2], y: [0, 1], values: [0, 0.5, 1, 0.2, 0.4, 0.9])
        return Figure(
            width: .doubleColumn, height: .cm(6), columns: 2,
            panels: [
                Panel(x: Axis("x [µm]"), y: Axis("V [V]")) {
                    Line(x: [0, 1, 2], y: [1, 0.5, 0.2], label: "a", dash: .dashed, marker: Marker(.circle))
                    Annotation(RichText("c/c_{max}"), x: 1, y: 0.8)
                },
                Panel(x: Axis("x"), y: Axis("y"), colorBar: ColorBar("θ")) { Heatmap(field, colorMap: .viridis) },
            ])
    }

    @Test func roundTripIsExact() throws {
        let figure = figure()
        let list = try FigureLayout.displayList(
            figure, measurer: CairoTextMeasurer.shared(family: figure.style.fontFamily))
        let bytes = DisplayListArchive.encode(list, fontFamily: figure.style.fontFamily)
        let (decoded, family) = try DisplayListArchive.decode(bytes)
        #expect(family == figure.style.fontFamily)
        #expect(decoded.width == list.width && decoded.height == list.height)
        #expect(decoded.items == list.items)
        let kinds = Set(
            list.items.map { item -> String in
                switch item {
                case .path: return "path"
                case .text: return "text"
                case .image: return "image"
                case .gradient: return "gradient"
                case .pushClip, .popClip: return "clip"
                }
            })
        #expect(kinds == ["path", "text", "image", "gradient", "clip"])
        let renderer = CairoRenderer(dpi: 72)
        #expect(try renderer.render(decoded, format: .pdf) == renderer.render(list, format: .pdf))
    }

    @Test func damagedArchivesAreErrors() throws {
        let figure = figure()
        let list = try FigureLayout.displayList(
            figure, measurer: CairoTextMeasurer.shared(family: figure.style.fontFamily))
        let bytes = DisplayListArchive.encode(list, fontFamily: figure.style.fontFamily)
        for cut in [0, 3, 5, 40, bytes.count / 2, bytes.count - 1] {
            #expect(throws: DisplayListArchive.ReadError.self) {
                try DisplayListArchive.decode(Array(bytes.prefix(cut)))
            }
        }
        #expect(throws: DisplayListArchive.ReadError.self) { try DisplayListArchive.decode(bytes + [0]) }
        var wrongVersion = bytes
        wrongVersion[4] = 99
        #expect(throws: DisplayListArchive.ReadError.self) { try DisplayListArchive.decode(wrongVersion) }
        // A count far beyond the bytes left (item count field after magic, version, family and size).
        var hugeCount = bytes
        let countOffset = 5 + 4 + figure.style.fontFamily.utf8.count + 16
        for k in 0..<4 { hugeCount[countOffset + k] = 0xff }
        #expect(throws: DisplayListArchive.ReadError.self) { try DisplayListArchive.decode(hugeCount) }
    }
}
