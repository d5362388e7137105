import Foundation
import Testing
@testable import Plotting

/// Every bad figure is rejected with an error that names the panel, the series and the problem.
@Suite struct ValidationTests {
    /// A fixed-width measurer so layout can be tested without a backend: 0.55 em per character.
    struct MonospaceMeasurer: TextMeasurer {
        func measure(_ text: String, size: Double, bold: Bool) -> TextMetrics {
            TextMetrics(width: 0.55 * size * Double(text.count), ascent: 0.76 * size, descent: 0.24 * size)
        }
    }

    func figure(_ layer: any LayerConvertible, x: Axis = Axis("x"), y: Axis = Axis("y"), y2: Axis? = nil) -> Figure {
        Figure(panels: [Panel(x: x, y: y, y2: y2, layers: [layer.layer])])
    }

    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let figure: @Sendable () -> Figure
        let expected: String
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "empty series",
            figure: { Figure(panels: [Panel(x: Axis(), y: Axis(), layers: [Line(x: [], y: []).layer])]) },
            expected: "no data points"),
        Case(
            name: "NaN in y",
            figure: {
                Figure(panels: [
                    Panel(x: Axis(), y: Axis(), layers: [Line(x: [1, 2], y: [1, .nan], label: "v").layer])
                ])
            }, expected: "y[1] = nan"),
        Case(
            name: "infinity in x",
            figure: { Figure(panels: [Panel(x: Axis(), y: Axis(), layers: [Scatter(x: [.infinity], y: [1]).layer])]) },
            expected: "x[0] = inf"),
        Case(
            name: "mismatched sizes",
            figure: {
                Figure(panels: [
                    Panel(x: Axis(), y: Axis(), layers: [Line(x: [1, 2, 3], y: [1, 2], label: "q").layer])
                ])
            }, expected: "y has 2 entries, expected 3"),
        Case(
            name: "non-positive on log axis",
            figure: {
                Figure(panels: [
                    Panel(x: Axis("D", scale: .log10), y: Axis(), layers: [Line(x: [1e-9, 0], y: [1, 2]).layer])
                ])
            }, expected: "not positive"),
        Case(
            name: "field size",
            figure: {
                Figure(panels: [
                    Panel(
                        x: Axis(), y: Axis(),
                        layers: [Heatmap(Field2D(x: [0, 1], y: [0, 1], values: [1, 2, 3])).layer])
                ])
            }, expected: "values has 3 entries, expected 4"),
        Case(
            name: "NaN in unmasked cell",
            figure: {
                Figure(panels: [
                    Panel(
                        x: Axis(), y: Axis(), layers: [Heatmap(Field2D(x: [0, 1], y: [0], values: [1, .nan])).layer])
                ])
            }, expected: "not a finite number"),
        Case(
            name: "levels not increasing",
            figure: {
                Figure(panels: [
                    Panel(
                        x: Axis(), y: Axis(),
                        layers: [
                            Contours(Field2D(x: [0, 1], y: [0, 1], values: [1, 2, 3, 4]), levels: [2, 1]).layer
                        ])
                ])
            }, expected: "levels must increase"),
        Case(
            name: "error bar negative",
            figure: {
                Figure(panels: [Panel(x: Axis(), y: Axis(), layers: [Scatter(x: [1], y: [1], yError: [-1]).layer])])
            }, expected: "yError"),
        Case(
            name: "right axis missing",
            figure: {
                Figure(panels: [Panel(x: Axis(), y: Axis(), layers: [Line(x: [1], y: [1], axis: .right).layer])])
            }, expected: "no y2 axis"),
        Case(
            name: "bar values count",
            figure: {
                Figure(panels: [
                    Panel(
                        x: Axis(), y: Axis(),
                        layers: [BarChart(categories: ["a", "b"], series: [BarSeries("s", values: [1])]).layer])
                ])
            }, expected: "values has 1 entries, expected 2"),
        Case(
            name: "bad limits",
            figure: {
                Figure(panels: [Panel(x: Axis(limits: 2...2), y: Axis(), layers: [Line(x: [1], y: [1]).layer])])
            }, expected: "lower < upper"),
        Case(
            name: "colour-bar labels count",
            figure: {
                Figure(panels: [
                    Panel(
                        x: Axis(), y: Axis(), colorBar: ColorBar("r", ticks: [0, 1], tickLabels: ["a"]),
                        layers: [Heatmap(Field2D(x: [0, 1], y: [0, 1], values: [0, 1, 1, 0])).layer])
                ])
            }, expected: "1 tick labels for 2 ticks"),
        Case(
            name: "too many panels",
            figure: {
                Figure(
                    rows: 1, columns: 1,
                    panels: [Panel(x: Axis(), y: Axis(), layers: []), Panel(x: Axis(), y: Axis(), layers: [])])
            }, expected: "do not fit"),
    ]

    @Test(arguments: cases)
    func badInputIsRejectedWithANamedError(_ c: Case) {
        do {
            _ = try FigureLayout.layout(c.figure(), measurer: MonospaceMeasurer())
            Issue.record("\(c.name): expected an error")
        } catch let e as PlotError {
            #expect(e.description.contains(c.expected), "\(c.name): got '\(e.description)'")
        } catch {
            Issue.record("\(c.name): unexpected error type \(error)")
        }
    }

    @Test func aValidFigureLaysOutWithAxesInsideTheCell() throws {
        let fig = Figure(width: .singleColumn, height: .cm(6)) {
            Panel(x: Axis("t [h]"), y: Axis("V [V]")) { Line(x: [0, 1, 2], y: [4.2, 3.9, 3.0], label: "1C") }
        }
        let laid = try FigureLayout.layout(fig, measurer: MonospaceMeasurer())
        let box = laid.panels[0].axesBox
        #expect(box.minX > 0 && box.maxX < fig.width.points && box.minY > 0 && box.maxY < fig.height.points)
        #expect(laid.panels[0].x.lo == 0 && laid.panels[0].x.hi == 2)
        #expect(!laid.displayList.items.isEmpty)
    }

    @Test func sharedAxesUnifyLimitsAndAlignBoxes() throws {
        let fig = Figure(width: .doubleColumn, height: .cm(8), rows: 2, columns: 2, sharedX: true, sharedY: true) {
            for k in 0..<4 {
                Panel(x: Axis("x"), y: Axis("y")) { Line(x: [0, Double(k + 1)], y: [0, Double(10 * (k + 1))]) }
            }
        }
        let laid = try FigureLayout.layout(fig, measurer: MonospaceMeasurer())
        #expect(laid.panels[0].x.hi == laid.panels[2].x.hi)  // same column
        #expect(laid.panels[0].y.hi == laid.panels[1].y.hi)  // same row
        #expect(laid.panels[0].axesBox.minX == laid.panels[2].axesBox.minX)
        #expect(laid.panels[0].axesBox.maxY == laid.panels[1].axesBox.maxY)
    }

    /// A grid sizes itself to its panels: fewer columns when that leaves fewer empty cells without adding rows.
    @Test func gridsFitTheirPanelCount() throws {
        func grid(_ panels: Int, rows: Int, columns: Int) -> (Int, Int) {
            let fig = Figure(
                width: .doubleColumn, height: .cm(8), rows: rows, columns: columns,
                panels: (0..<panels).map { _ in Panel(x: Axis("x"), y: Axis("y")) { Line(x: [0, 1], y: [0, 1]) } })
            let fitted = fig.fittedGrid
            return (fitted.rows, fitted.columns)
        }
        #expect(grid(4, rows: 2, columns: 3) == (2, 2))  // the Fig. 5(d) case: no half-empty row
        #expect(grid(2, rows: 1, columns: 3) == (1, 2))
        #expect(grid(6, rows: 2, columns: 3) == (2, 3))  // full: unchanged
        #expect(grid(5, rows: 2, columns: 3) == (2, 3))  // 2 × 2 cannot hold 5; 3 rows would add a row
        #expect(grid(3, rows: 2, columns: 2) == (2, 2))  // one column would need 3 rows
        #expect(grid(3, rows: 2, columns: 3) == (1, 3))  // one row holds them: the figure becomes one row high
        let fig = Figure(
            width: .doubleColumn, height: .cm(8), rows: 2, columns: 3,
            panels: (0..<4).map { _ in Panel(x: Axis("x"), y: Axis("y")) { Line(x: [0, 1], y: [0, 1]) } })
        let laid = try FigureLayout.layout(fig, measurer: MonospaceMeasurer())
        #expect(laid.panels[2].axesBox.minX == laid.panels[0].axesBox.minX, "panel (c) starts the second row")
        #expect(laid.panels[1].cell.maxX > 0.99 * fig.width.points, "two columns span the width")
        let oneRow = Figure(
            width: .doubleColumn, height: .cm(8), rows: 2, columns: 3,
            panels: (0..<3).map { _ in Panel(x: Axis("x"), y: Axis("y")) { Line(x: [0, 1], y: [0, 1]) } })
        let laidRow = try FigureLayout.layout(oneRow, measurer: MonospaceMeasurer())
        #expect(abs(laidRow.displayList.height - oneRow.height.points / 2) < 1e-9, "a row's declared height is kept")
    }
}
