import CathodeModels
import Foundation
import Plotting
import ResultStore
import StudyKit

/// Paper Fig. 7(e): Li concentration across the depth at the end of a 0.5C discharge for the 60 and 80 wt%
/// composites and the dense cathode; and the 80 wt% particles across depth × radius.
public struct Fig7eConcentration: Study {
    public let id = "fig7e-concentration"
    public let title = "End-of-discharge Li distribution: 60 and 80 wt% composites and the dense cathode at 0.5C"
    public let paperFigure = "Fig. 7(e)"
    public let template = "fig7e-concentration"
    public init() {}

    public var body: [StudyElement] {
        BaseParameters(Calibrated.composite, model: .composite)
        Sweep(
            "composites",
            cases: [
                SweepCase("60 wt%", ["camWeightPercent": 60, "cRate": 0.5]),
                SweepCase("80 wt%", ["camWeightPercent": 80, "cRate": 0.5]),
            ])
        Sweep(
            "dense", cases: [SweepCase("dense", ["cRate": 0.5])],
            base: BaseParameters(Calibrated.dense, model: .dense1d))

        FigureSpec(
            "depth-profiles",
            caption:
                "(a) c/c_max versus normalised depth at the end of a 0.5C discharge: particle-mean (solid) and particle-surface (dashed) stoichiometry of the 60 and 80 wt% composites, and the dense cathode; x/L = 0 at the current collector, 1 at the separator. (b) The 80 wt% composite's particles across depth and radius."
        ) { r in
            let c60 = try r["composites"].point("60 wt%").composite
            let c80 = try r["composites"].point("80 wt%").composite
            let dense = try r["dense"].points[0].dense1d
            let profiles = Panel(
                x: Axis("Normalised depth x/L", limits: 0...1), y: Axis("c/c_{max}", limits: 0.5...1),
                legend: .bottomLeft
            ) {
                Line(x: c60.depth, y: c60.meanStoichiometry, label: "60 wt%, particle mean", color: .blue)
                Line(
                    x: c60.depth, y: c60.surfaceStoichiometry, label: "60 wt%, particle surface", color: .blue,
                    dash: .dashed)
                Line(x: c80.depth, y: c80.meanStoichiometry, label: "80 wt%, particle mean", color: .vermillion)
                Line(
                    x: c80.depth, y: c80.surfaceStoichiometry, label: "80 wt%, particle surface", color: .vermillion,
                    dash: .dashed)
                Line(x: dense.depth, y: dense.profiles.last!, label: "dense", color: .black, width: 1.6)
            }
            let field = Field2D(
                x: c80.depth, y: c80.radius,
                values: transpose(c80.particleStoichiometry, rows: c80.depth.count, columns: c80.radius.count))
            let map = Panel(
                title: "80 wt%: θ(x, r)", x: Axis("Normalised depth x/L", niceLimits: false),
                y: Axis("Normalised radius r/R_{p}", niceLimits: false),
                colorBar: ColorBar("c/c_{max}")
            ) {
                Heatmap(field, colorMap: .viridis)
            }
            return Figure(width: .doubleColumn, height: .cm(7), columns: 2, panels: [profiles, map])
        }

        Quantities { r in
            let c60 = try r["composites"].point("60 wt%").composite
            let c80 = try r["composites"].point("80 wt%").composite
            let dense = try r["dense"].points[0].dense1d
            return [
                Quantity("capacity_60wt", c60.capacity, unit: "mAh g⁻¹", format: "%.0f"),
                Quantity("capacity_80wt", c80.capacity, unit: "mAh g⁻¹", format: "%.0f"),
                Quantity("capacity_dense", dense.capacity, unit: "mAh g⁻¹", format: "%.0f"),
                Quantity("collector_mean_80wt", c80.meanStoichiometry.first!, unit: "", format: "%.2f"),
                Quantity("separator_mean_80wt", c80.meanStoichiometry.last!, unit: "", format: "%.2f"),
                Quantity("collector_mean_60wt", c60.meanStoichiometry.first!, unit: "", format: "%.2f"),
                Quantity("separator_mean_60wt", c60.meanStoichiometry.last!, unit: "", format: "%.2f"),
                Quantity("collector_dense", dense.profiles.last!.first!, unit: "", format: "%.2f"),
            ]
        }

        Comparisons { r in
            [
                Comparison(
                    "dense cathode at 0.5C", paper: 97, computed: try r["dense"].points[0].dense1d.capacity,
                    unit: "mAh g⁻¹", kind: .published, source: "Fig. 7(b)",
                    basis: Calibrated.basis(Calibrated.denseTarget(0.5)))
            ]
        }
    }
}

/// Row-major (x cells × r shells) → row-major (r rows × x columns) for a Field2D over (x, r).
func transpose(_ a: [Double], rows: Int, columns: Int) -> [Double] {
    var out = [Double](repeating: 0, count: a.count)
    for i in 0..<rows { for j in 0..<columns { out[j * rows + i] = a[i * columns + j] } }
    return out
}
