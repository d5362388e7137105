import Foundation
import Testing
@testable import Plotting

/// The figure checker: a figure built with each defect fails with that defect named; the layout rules that avoid it
/// (automatic legend placement and its fallback below the axes, labels placed beside points, reference and contour
/// labels placed off the data, markers never cut at the frame, corner tick labels, grids fitted to their panels)
/// give a figure that passes.
@Suite struct FigureCheckTests {
    let measurer = ValidationTests.MonospaceMeasurer()

    func defects(_ figure: Figure) throws -> [FigureDefect] {
        try FigureCheck.defects(FigureLayout.layout(figure, measurer: measurer))
    }

    func kinds(_ figure: Figure) throws -> Set<FigureDefect.Kind> { Set(try defects(figure).map(\.kind)) }

    /// A fan of lines that fills the whole axes box.
    func fan(count: Int = 12) -> [Layer] {
        (0..<count).map { k in
            Line(
                x: [0, 1], y: [Double(k) / Double(count - 1), 1 - Double(k) / Double(count - 1)], label: "series \(k)"
            ).layer
        }
    }

    @Test func textOverText() throws {
        let clash = Figure(panels: [
            Panel(x: Axis("x", limits: 0...1), y: Axis("y", limits: 0...1)) {
                Annotation("first label", x: 0.5, y: 0.5)
                Annotation("second label", x: 0.52, y: 0.5)
            }
        ])
        #expect(try kinds(clash).contains(.textOverlapsText))
        let apart = Figure(panels: [
            Panel(x: Axis("x", limits: 0...1), y: Axis("y", limits: 0...1)) {
                Annotation("first label", x: 0.5, y: 0.8)
                Annotation("second label", x: 0.5, y: 0.2)
            }
        ])
        let apartDefects = try defects(apart)
        #expect(apartDefects.isEmpty, "\(apartDefects)")
    }

    @Test func labelOverDataAndLabelBesideAPoint() throws {
        let points = Scatter(x: [0.3, 0.5, 0.7], y: [0.5, 0.5, 0.5], marker: Marker(.circle))
        let onTop = Figure(panels: [
            Panel(x: Axis("x", limits: 0...1), y: Axis("y", limits: 0...1), legend: .none) {
                Line(x: [0, 1], y: [0, 1])
                points
                Annotation("B", x: 0.5, y: 0.5)
            }
        ])
        #expect(try kinds(onTop).contains(.textOverlapsData))
        let beside = Figure(panels: [
            Panel(x: Axis("x", limits: 0...1), y: Axis("y", limits: 0...1), legend: .none) {
                Line(x: [0, 1], y: [0, 1])
                points
                Annotation("B", labelling: 0.5, 0.5)
            }
        ])
        let besideDefects = try defects(beside)
        #expect(besideDefects.isEmpty, "\(besideDefects)")
    }

    @Test func legendOverDataMovesBelowUnlessFixed() throws {
        let fixed = Figure(panels: [
            Panel(x: Axis("x", limits: 0...1), y: Axis("y", limits: 0...1), legend: .topLeft, layers: fan())
        ])
        #expect(try kinds(fixed).contains(.legendCoversData))
        let automatic = Figure(
            height: .cm(12),
            panels: [Panel(x: Axis("x", limits: 0...1), y: Axis("y", limits: 0...1), legend: .auto, layers: fan())])
        let laidOut = try FigureLayout.layout(automatic, measurer: measurer)
        #expect(FigureCheck.defects(laidOut).isEmpty, "\(FigureCheck.defects(laidOut))")
        let legend = try #require(laidOut.marks.first { $0.role == .legendBox })
        #expect(legend.rect.minY > laidOut.panels[0].axesBox.maxY, "the legend moved below the axes")
        // With room inside, the automatic legend stays inside, on the side without data.
        let room = Figure(panels: [
            Panel(x: Axis("x", limits: 0...1), y: Axis("y", limits: 0...1)) {
                Line(x: [0, 1], y: [0, 0.3], label: "low")
            }
        ])
        let inside = try FigureLayout.layout(room, measurer: measurer)
        #expect(FigureCheck.defects(inside).isEmpty)
        let box = try #require(inside.marks.first { $0.role == .legendBox })
        #expect(box.rect.maxY < inside.panels[0].axesBox.midY, "the legend sits in the empty upper half")
    }

    @Test func clippedAnnotationAndMarkersAtTheFrame() throws {
        let cut = Figure(panels: [
            Panel(x: Axis("x", limits: 0...1), y: Axis("y", limits: 0...1)) {
                Annotation("a long label at the edge", x: 0.98, y: 0.5)
            }
        ])
        #expect(try kinds(cut).contains(.clipped))
        // Markers on the axis limits are drawn whole (above the frame), never cut.
        let edge = Figure(panels: [
            Panel(x: Axis("x", limits: 0...1), y: Axis("y", limits: 0...1), legend: .none) {
                Scatter(x: [0, 1], y: [0, 1], marker: Marker(.circle, size: 6))
            }
        ])
        let laidOut = try FigureLayout.layout(edge, measurer: measurer)
        #expect(FigureCheck.defects(laidOut).isEmpty)
        #expect(laidOut.marks.filter { $0.role == .marker }.allSatisfy { $0.clip == nil })
        let checked = LaidOutFigure(
            displayList: laidOut.displayList, panels: laidOut.panels, rows: 1, columns: 1,
            marks: laidOut.marks.map { mark in
                var clipped = mark
                if mark.role == .marker { clipped.clip = laidOut.panels[0].axesBox }
                return clipped
            })
        #expect(
            Set(FigureCheck.defects(checked).map(\.kind)) == [.clipped], "the same markers under the clip would be cut")
    }

    @Test func emptyGridRowsAreDefectsAndFittedGridsAreNot() throws {
        let panels = (0..<2).map { _ in
            Panel(x: Axis("x", limits: 0...1), y: Axis("y", limits: 0...1)) { Line(x: [0, 1], y: [0, 1]) }
        }
        let fitted = try FigureLayout.layout(Figure(rows: 2, columns: 2, panels: panels), measurer: measurer)
        #expect(fitted.rows == 1 && fitted.columns == 2 && FigureCheck.defects(fitted).isEmpty)
        let unfitted = LaidOutFigure(
            displayList: fitted.displayList, panels: fitted.panels, rows: 2, columns: 2, marks: fitted.marks)
        #expect(FigureCheck.defects(unfitted).map(\.kind) == [.emptyGridCells])
    }

    /// A reference line's label leaves the default spot (right end, above) when a curve runs through it.
    @Test func referenceLabelAvoidsCurves() throws {
        let figure = Figure(panels: [
            Panel(x: Axis("x", limits: 0...1), y: Axis("y", limits: 0...1), legend: .none) {
                Line(x: [0.55, 1], y: [0.53, 0.53])
                Line(x: [0.55, 1], y: [0.47, 0.47])
                ReferenceLine(.horizontal, at: 0.5, label: "cut-off")
            }
        ])
        let laidOut = try FigureLayout.layout(figure, measurer: measurer)
        #expect(FigureCheck.defects(laidOut).isEmpty, "\(FigureCheck.defects(laidOut))")
        let label = try #require(
            laidOut.marks.first {
                if case .referenceLabel = $0.role { return true }
                return false
            })
        #expect(
            label.rect.maxX < laidOut.panels[0].axesBox.midX + 20, "the label moved away from the curves at the right")
        // Where it would have gone (right end, above the line), it covers a curve.
        let box = laidOut.panels[0].axesBox
        let lineY = laidOut.panels[0].y.position(0.5)
        let defaultSpot = Rect(
            x: box.maxX - 3 - label.rect.width, y: lineY - 1.5 - label.rect.height, width: label.rect.width,
            height: label.rect.height)
        #expect(laidOut.marks.contains { $0.role == .dataPath && FigureCheck.overlapScore(defaultSpot, $0) > 0 })
    }

    /// Tick labels meeting at the lower-left corner and the panel letter above the top tick label.
    @Test func cornerTickLabelsAndPanelLetters() throws {
        let panels = (0..<2).map { _ in
            Panel(x: Axis("x", limits: 0...1), y: Axis("y", limits: 0...1), legend: .none) {
                Line(x: [0, 1], y: [0.2, 0.8])
            }
        }
        let figure = Figure(width: .doubleColumn, height: .cm(5), columns: 2, panels: panels)
        let found = try defects(figure)
        #expect(found.isEmpty, "\(found)")
    }

    /// Panels with the same colour map, range and bar title share one colour bar: down a column one bar spans the
    /// column's panels, along a row only the rightmost shows it; a categorical field gets named swatches, no gradient.
    @Test func sharedAndCategoricalColourBars() throws {
        let field = Field2D(x: [0, 1, 2], y: [0, 1], values: [0, 1, 2, 3, 2, 1])
        func map(_ range: ColorRange = .fixed(0, 3), bar: ColorBar = ColorBar("θ")) -> Panel {
            Panel(x: Axis("x"), y: Axis("y"), colorBar: bar) { Heatmap(field, colorMap: .viridis, range: range) }
        }
        func gradients(_ figure: Figure) throws -> [Rect] {
            try FigureLayout.layout(figure, measurer: measurer).displayList.items.compactMap { item in
                if case .gradient(let rect, _, _) = item { return rect }
                return nil
            }
        }
        let column = try gradients(
            Figure(
                width: .doubleColumn, height: .cm(10), rows: 2, columns: 2,
                panels: [map(), map(.fixed(0, 9)), map(), map(.fixed(0, 9))]))
        #expect(column.count == 2, "one bar per column")
        let laidOut = try FigureLayout.layout(
            Figure(
                width: .doubleColumn, height: .cm(10), rows: 2, columns: 2,
                panels: [map(), map(.fixed(0, 9)), map(), map(.fixed(0, 9))]), measurer: measurer)
        #expect(column[0].maxY == laidOut.panels[2].axesBox.maxY, "the shared bar reaches the column's last panel")
        // One scale over the whole grid: one bar, beside the last column, from the top row to the bottom row; the
        // first column gives its bar's space to its axes.
        let grid = try FigureLayout.layout(
            Figure(width: .doubleColumn, height: .cm(10), rows: 2, columns: 2, panels: [map(), map(), map(), map()]),
            measurer: measurer)
        let gridBars = grid.displayList.items.compactMap { item -> Rect? in
            if case .gradient(let rect, _, _) = item { return rect }
            return nil
        }
        #expect(gridBars.count == 1, "one bar for a grid of one scale")
        #expect(gridBars.first.map { $0.minX > grid.panels[1].axesBox.maxX } == true)
        #expect(gridBars.first.map { $0.maxY == grid.panels[3].axesBox.maxY } == true)
        #expect(grid.panels[0].axesBox.width > laidOut.panels[0].axesBox.width, "the first column took the bar's space")
        #expect(FigureCheck.defects(grid).isEmpty)
        let row = try gradients(
            Figure(width: .doubleColumn, height: .cm(5), columns: 3, panels: [map(), map(), map()]))
        #expect(row.count == 1, "one bar for the row")
        let different = try gradients(
            Figure(width: .doubleColumn, height: .cm(5), columns: 2, panels: [map(), map(.fixed(0, 9))]))
        #expect(different.count == 2, "different ranges keep their own bars")
        let categorical = try FigureLayout.layout(
            Figure(panels: [
                map(.fixed(-0.5, 3.5), bar: ColorBar("regime", categories: ["none", "kinetic", "mixed", "transport"]))
            ]),
            measurer: measurer)
        #expect(
            !categorical.displayList.items.contains {
                if case .gradient = $0 { return true }
                return false
            })
        let names = categorical.marks.filter { $0.role == .colorBarText }.map(\.text)
        #expect(names == ["transport", "mixed", "kinetic", "none", "regime"])
        #expect(FigureCheck.defects(categorical).isEmpty)
    }

    /// Maps of space are drawn at equal scale (1 µm = 1 µm), one scale for all maps of a row; a one-row figure gives
    /// a narrow map's unused width to the panels that can use it; equal-scale plots of curves keep their own scale.
    @Test func mapsAtEqualScaleWithoutGaps() throws {
        func section(width: Double) -> Panel {
            let field = Field2D(x: [0.25 * width, 0.75 * width], y: [5, 15, 25], values: [0, 1, 0, 1, 0, 1])
            return Panel(x: Axis("y [µm]", limits: 0...width), y: Axis("x [µm]", limits: 0...30)) { Heatmap(field) }
        }
        let curve = Panel(x: Axis("depth [µm]"), y: Axis("utilisation [–]")) { Line(x: [0, 1], y: [0, 1]) }
        let mixed = try FigureLayout.layout(
            Figure(width: .doubleColumn, height: .cm(6), columns: 2, panels: [section(width: 10), curve]),
            measurer: measurer)
        let map = mixed.panels[0].axesBox
        #expect(abs(map.width / 10 - map.height / 30) < 1e-6, "1 µm across = 1 µm down")
        #expect(
            mixed.panels[0].cell.width < mixed.panels[1].cell.width, "the narrow map's column gave its spare width away"
        )
        #expect(mixed.panels[0].cell.maxX - map.maxX < 40, "no gap beyond the map's own margin")
        let row = try FigureLayout.layout(
            Figure(
                width: .doubleColumn, height: .cm(6), columns: 3,
                panels: [section(width: 10), section(width: 40), section(width: 20)]), measurer: measurer)
        let scales = row.panels.enumerated().map { index, geometry in geometry.axesBox.width / [10.0, 40, 20][index] }
        #expect(scales.max()! - scales.min()! < 1e-6, "one scale for the row: \(scales)")
        #expect(FigureCheck.defects(row).isEmpty)
        // Fields drawn at a declared aspect (axes in different units, so not maps of space) share one scale per row
        // too: the same section in both columns is drawn the same size although only one column has a colour bar.
        func field(bar: Bool) -> Panel {
            let values = Field2D(x: [10, 30], y: [5, 15], values: [0, 1, 1, 0])
            return Panel(
                x: Axis("y [µm]", limits: 0...40), y: Axis("t [h]", limits: 0...20),
                colorBar: bar ? ColorBar("θ") : nil, aspectRatio: 0.5
            ) { Heatmap(values, colorMap: .viridis, range: .fixed(0, 1)) }
        }
        let declared = try FigureLayout.layout(
            Figure(width: .doubleColumn, height: .cm(6), columns: 2, panels: [field(bar: false), field(bar: true)]),
            measurer: measurer)
        let widths = declared.panels.map(\.axesBox.width)
        #expect(abs(widths[0] - widths[1]) < 1e-6, "same aspect, same extent, same size: \(widths)")
        // Equal-scale plots of curves (Nyquist plots) are not maps: each fills its cell, whatever its range. Sharing
        // the scale drew a 25 kΩ cm² spectrum at 40 % of the 65 kΩ cm² one beside it.
        func nyquist(range: Double) -> Panel {
            Panel(
                x: Axis("Re Z [Ω cm^{2}]", limits: 0...range), y: Axis("−Im Z [Ω cm^{2}]", limits: 0...(0.6 * range)),
                aspectRatio: 1
            ) { Scatter(x: [0.2 * range, 0.5 * range], y: [0.1 * range, 0.3 * range]) }
        }
        let spectra = try FigureLayout.layout(
            Figure(width: .doubleColumn, height: .cm(6), columns: 2, panels: [nyquist(range: 65), nyquist(range: 25)]),
            measurer: measurer)
        let spectrumWidths = spectra.panels.map(\.axesBox.width)
        #expect(abs(spectrumWidths[0] - spectrumWidths[1]) < 1, "each spectrum fills its cell: \(spectrumWidths)")
    }
}
