import CathodeModels
import Foundation
import Plotting
import ResultStore
import StudyKit

/// Paper Fig. 1(b): theoretical stack-level energy densities (anode | separator | cathode, no current
/// collectors) of the three designs of Fig. 1(a), with the assumption set `fig1bDefault` (physics.md §6.2).
public struct Fig1bStackEnergy: Study {
    public let id = "fig1b-stack-energy"
    public let title = "Theoretical stack energy density of three solid-state cell designs"
    public let paperFigure = "Fig. 1(b)"
    public let template = "fig1b-stack-energy"
    public init() {}

    static var designs: [StackDesign] { PaperCalibratedSets.stack }

    public var body: [StudyElement] {
        BaseParameters(Calibrated.composite, model: .composite)

        FigureSpec(
            "stack-energy",
            caption:
                "Theoretical stack energy densities (anode | Li₆PS₅Cl separator of the calibrated thickness | cathode, 1.55 mAh cm⁻², current collectors excluded) of (1) graphite composite | composite LCO, (2) Li metal | composite LCO, (3) Li metal | dense LCO; (b) the layer masses behind them."
        ) { _ in
            let names = ["(1) Gr | comp.", "(2) Li | comp.", "(3) Li | dense"]
            let bars = Panel(
                x: Axis("Anode | LCO cathode"), y: Axis("Gravimetric [Wh kg^{-1}]"), y2: Axis("Volumetric [Wh L^{-1}]"),
                legend: .topLeft
            ) {
                BarChart(
                    categories: names,
                    series: [
                        BarSeries("Wh kg^{-1}", values: Self.designs.map(\.gravimetric)),
                        BarSeries("Wh L^{-1}", values: Self.designs.map(\.volumetric), axis: .right),
                    ])
            }
            let masses = Panel(x: Axis("Anode | LCO cathode"), y: Axis("Areal mass [mg cm^{-2}]"), legend: .below) {
                BarChart(
                    categories: names,
                    series: (0..<3).map { k in
                        BarSeries(
                            ["anode", "separator", "cathode"][k],
                            values: Self.designs.map { $0.layers[k].massMilligramsPerCm2 })
                    }, mode: .stacked, valueFormat: "%.1f")
            }
            return Figure(width: .doubleColumn, height: .cm(7), columns: 2, panels: [bars, masses])
        }

        Quantities { _ in
            var q: [Quantity] = []
            for (k, d) in Self.designs.enumerated() {
                q.append(Quantity("design\(k + 1)_wh_per_kg", d.gravimetric, unit: "Wh kg⁻¹", format: "%.0f"))
                q.append(Quantity("design\(k + 1)_wh_per_l", d.volumetric, unit: "Wh L⁻¹", format: "%.0f"))
            }
            let d = Self.designs
            q.append(
                Quantity(
                    "gain_li_metal_gravimetric", (d[1].gravimetric / d[0].gravimetric - 1) * 100, unit: "%",
                    format: "%+.1f"))
            q.append(
                Quantity(
                    "gain_li_metal_volumetric", (d[1].volumetric / d[0].volumetric - 1) * 100, unit: "%",
                    format: "%+.1f"))
            q.append(
                Quantity(
                    "gain_dense_gravimetric", (d[2].gravimetric / d[1].gravimetric - 1) * 100, unit: "%",
                    format: "%+.1f"))
            q.append(
                Quantity(
                    "gain_dense_volumetric", (d[2].volumetric / d[1].volumetric - 1) * 100, unit: "%", format: "%+.1f"))
            q.append(
                Quantity("separator_thickness", PaperCalibratedSets.value("stackSeparator"), unit: "µm", format: "%.1f")
            )
            q.append(
                Quantity(
                    "composite_porosity", PaperCalibratedSets.value("stackPorosity") * 100, unit: "%", format: "%.1f"))
            return q
        }

        Comparisons { _ in
            let d = Self.designs
            return [
                Comparison(
                    "E_g gain, Li metal vs composite graphite anode", paper: 19.4,
                    computed: (d[1].gravimetric / d[0].gravimetric - 1) * 100, unit: "%", kind: .published,
                    source: "Fig. 1(b)", basis: Calibrated.basis("stack E_g gain, Li metal vs graphite anode")),
                Comparison(
                    "E_v gain, Li metal vs composite graphite anode", paper: 18.8,
                    computed: (d[1].volumetric / d[0].volumetric - 1) * 100, unit: "%", kind: .published,
                    source: "Fig. 1(b)", basis: Calibrated.basis("stack E_v gain, Li metal vs graphite anode")),
                Comparison(
                    "E_g gain, dense vs composite LCO", paper: 16.6,
                    computed: (d[2].gravimetric / d[1].gravimetric - 1) * 100, unit: "%", kind: .published,
                    source: "Fig. 1(b)", basis: Calibrated.basis("stack E_g gain, dense vs composite cathode")),
                Comparison(
                    "E_v gain, dense vs composite LCO", paper: 33.6,
                    computed: (d[2].volumetric / d[1].volumetric - 1) * 100, unit: "%", kind: .published,
                    source: "Fig. 1(b)", basis: Calibrated.basis("stack E_v gain, dense vs composite cathode")),
            ]
        }
    }
}
