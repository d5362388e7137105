import Foundation
import Plotting
import ResultStore
import StudyKit

/// Paper Fig. 3(d): capacity over C-rate × cathode thickness, with the 100 mAh g⁻¹ contour that
/// separates the non-limited from the transport-limited regime, and the cases A, B, C of Fig. 3(e).
public struct Fig3dCapacityMap: Study {
    public let id = "fig3d-capacity-map"
    public let title = "Rate capability of the dense cathode versus thickness"
    public let paperFigure = "Fig. 3(d)"
    public let template = "fig3d-capacity-map"
    public init() {}

    /// Cases of Fig. 3(e) (the paper gives no numbers; physics.md §2.10 proposes these).
    static let cases: [(name: String, thickness: Double, cRate: Double)] = [
        ("A", 20, 0.2), ("B", 60, 0.2), ("C", 60, 1),
    ]
    static let contourRates = [0.1, 0.2, 0.5, 1.0]

    public var body: [StudyElement] {
        BaseParameters(Calibrated.dense)
        Sweep(
            "map", x: .log("cRate", 0.1...2, count: 20, unit: "h⁻¹"),
            y: .linear("thicknessMicrometres", 10...100, count: 20, unit: "µm"))
        Sweep(
            "contour-columns", x: SweepAxis("cRate", values: Self.contourRates, unit: "h⁻¹"),
            y: .linear("thicknessMicrometres", 10...100, count: 37, unit: "µm"))

        FigureSpec(
            "capacity-map",
            caption:
                "Capacity of the dense cathode (calibrated set, paper's half-cell) over 20 log-spaced C-rates (0.1–2C) × 20 thicknesses (10–100 µm). The thick white line is the 100 mAh g⁻¹ contour; A, B, C are the cases of Fig. 3(e); the diamond is the paper's 23.1 µm cell at 1C."
        ) { r in
            let field = try r["map"].field { $0.dense1d.capacity }
            return Figure(width: .singleColumn, height: .cm(7)) {
                Panel(
                    x: Axis("C-rate [h^{-1}]", scale: .log10), y: Axis("Cathode thickness [µm]"), legend: .none,
                    colorBar: ColorBar("Specific capacity [mAh g^{-1}]")
                ) {
                    Heatmap(field, colorMap: .viridis, range: .fixed(0, 130))
                    Contours(
                        field, levels: [25, 50, 75], color: Color.white.withAlpha(0.6), width: 0.5, labelFormat: "%.0f")
                    Contours(
                        field, levels: [100], color: .white, width: 1.3, labelFormat: "%.0f", labelSuffix: " mAh g^{-1}"
                    )
                    for c in Self.cases {
                        Scatter(x: [c.cRate], y: [c.thickness], color: .white, marker: Marker(.circle, size: 5))
                        Annotation(RichText(c.name), labelling: c.cRate, c.thickness, color: .white, fontSize: 8)
                    }
                    Scatter(x: [1], y: [23.1], color: .vermillion, marker: Marker(.diamond, size: 5))
                }
            }
        }

        Quantities { r in
            var out: [Quantity] = []
            let columns = try r["contour-columns"]
            let ls = columns.sweep.axes[1].values
            for rate in Self.contourRates {
                let caps = try ls.map {
                    try columns.point(where: ["cRate": rate, "thicknessMicrometres": $0]).dense1d.capacity
                }
                out.append(
                    Quantity(
                        "contour100_thickness_\(slug(rate))", crossing(ls, caps, level: 100) ?? .nan, unit: "µm",
                        format: "%.0f"))
            }
            let map = try r["map"]
            out.append(
                Quantity(
                    "capacity_10um_0p1C",
                    try map.point(where: ["cRate": 0.1, "thicknessMicrometres": 10]).dense1d.capacity, unit: "mAh g⁻¹"))
            out.append(
                Quantity(
                    "capacity_100um_2C",
                    try map.point(where: ["cRate": 2, "thicknessMicrometres": 100]).dense1d.capacity, unit: "mAh g⁻¹"))
            return out
        }

        Comparisons { r in
            // The paper marks its own 23.1 µm cell: 97 mAh g⁻¹ at 0.5C (Fig. 7b), i.e. just below the contour there.
            let columns = try r["contour-columns"]
            let ls = columns.sweep.axes[1].values
            let caps = try ls.map {
                try columns.point(where: ["cRate": 0.5, "thicknessMicrometres": $0]).dense1d.capacity
            }
            return [
                Comparison(
                    "thickness where 100 mAh g⁻¹ is reached at 0.5C (the paper's cell: 97 mAh g⁻¹ at 23.1 µm)",
                    paper: 23.1,
                    computed: crossing(ls, caps, level: 100) ?? .nan, unit: "µm", kind: .derived,
                    source: "Fig. 3(d) and Fig. 7(b)",
                    basis: .prediction)
            ]
        }
    }
}
