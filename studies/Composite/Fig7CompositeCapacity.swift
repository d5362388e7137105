import CathodeModels
import Foundation
import Plotting
import ResultStore
import StudyKit

/// CAM weight fractions and C-rates of the paper's Fig. 7 and S13.
enum Fig7Grid {
    static let weights = [50.0, 60, 70, 80, 90, 95]
    static let rates = [0.1, 0.2, 0.33, 0.5, 1.0]
    static let composites = Sweep(
        "composites", x: SweepAxis("camWeightPercent", values: weights, unit: "wt%"),
        y: SweepAxis("cRate", values: rates, unit: "h⁻¹"))
    /// The dense cathode (Model A, the paper's half-cell, calibrated set) at the same rates.
    static let dense = Sweep(
        "dense", SweepAxis("cRate", values: rates, unit: "h⁻¹"), base: BaseParameters(Calibrated.dense, model: .dense1d)
    )
    static func label(_ r: Double) -> String { r == 0.33 ? "0.33C" : (r == r.rounded() ? "\(Int(r))C" : "\(r)C") }
    static func slug(_ r: Double) -> String { label(r).replacingOccurrences(of: ".", with: "p") }
}

/// Paper Fig. 7(a, b) and S13(a–c): CAM-specific capacity of composite cathodes vs CAM wt% at five C-rates,
/// with the dense cathode as reference.
public struct Fig7CompositeCapacity: Study {
    public let id = "fig7-composite-capacity"
    public let title = "CAM-specific capacity of composite cathodes versus CAM content, with the dense cathode"
    public let paperFigure = "Fig. 7(a, b), S13(a–c)"
    public let template = "fig7-composite-capacity"
    public init() {}

    public var body: [StudyElement] {
        BaseParameters(Calibrated.composite, model: .composite)
        Fig7Grid.composites
        Fig7Grid.dense

        FigureSpec(
            "capacity-vs-cam",
            caption:
                "CAM-specific capacity of composite cathodes (same CAM mass as the dense cathode, calibrated set) versus CAM content at 0.1–1C; the dense cathode (100 wt%, Model A) at each rate as a filled marker."
        ) { r in
            let comp = try r["composites"]
            let dense = try r["dense"]
            var panels: [Panel] = []
            for rate in Fig7Grid.rates {
                let q = try Fig7Grid.weights.map {
                    try comp.point(where: ["camWeightPercent": $0, "cRate": rate]).composite.capacity
                }
                let d = try dense.point(where: ["cRate": rate]).dense1d.capacity
                panels.append(
                    Panel(
                        title: RichText(Fig7Grid.label(rate)), x: Axis("CAM content [wt%]", limits: 45...102),
                        y: Axis("Capacity [mAh g^{-1}]", limits: 0...140), legend: rate == 0.1 ? .bottomLeft : .none
                    ) {
                        Line(
                            x: Fig7Grid.weights, y: q, label: "composite", color: .blue,
                            marker: Marker(.circle, size: 3.5))
                        Scatter(x: [100], y: [d], label: "dense", color: .vermillion, marker: Marker(.diamond, size: 5))
                    })
            }
            return Figure(width: .doubleColumn, height: .cm(10), rows: 2, columns: 3, sharedY: true, panels: panels)
        }

        Quantities { r in
            var q: [Quantity] = []
            for rate in Fig7Grid.rates {
                for w in Fig7Grid.weights {
                    q.append(
                        Quantity(
                            "composite_\(Int(w))wt_\(Fig7Grid.slug(rate))",
                            try r["composites"].point(where: ["camWeightPercent": w, "cRate": rate]).composite.capacity,
                            unit: "mAh g⁻¹", format: "%.0f"))
                }
                q.append(
                    Quantity(
                        "dense_\(Fig7Grid.slug(rate))", try r["dense"].point(where: ["cRate": rate]).dense1d.capacity,
                        unit: "mAh g⁻¹", format: "%.0f"))
            }
            return q
        }

        Comparisons { r in
            func c(_ w: Double, _ rate: Double) throws -> Double {
                try r["composites"].point(where: ["camWeightPercent": w, "cRate": rate]).composite.capacity
            }
            func d(_ rate: Double) throws -> Double { try r["dense"].point(where: ["cRate": rate]).dense1d.capacity }
            return [
                Comparison(
                    "composite 70 wt%, 0.1C (~120 up to 90 wt%)", paper: 120, computed: try c(70, 0.1), unit: "mAh g⁻¹",
                    kind: .published, source: "Fig. 7(a) text", basis: .prediction),
                Comparison(
                    "composite 90 wt%, 0.1C", paper: 120.8, computed: try c(90, 0.1), unit: "mAh g⁻¹", kind: .derived,
                    source: "408.5 Wh kg⁻¹ / (0.9 × 3.757 V)",
                    basis: Calibrated.basis(Calibrated.compositeTarget(90, 0.1))),
                Comparison(
                    "composite 70 wt%, 0.5C", paper: 117.5, computed: try c(70, 0.5), unit: "mAh g⁻¹", kind: .derived,
                    source: "309 Wh kg⁻¹ / (0.7 × 3.757 V)",
                    basis: Calibrated.basis(Calibrated.compositeTarget(70, 0.5))),
                Comparison(
                    "composite 90 wt%, 0.5C (near zero)", paper: 0, computed: try c(90, 0.5), unit: "mAh g⁻¹",
                    kind: .published, source: "Fig. 7(b) text",
                    basis: Calibrated.basis(Calibrated.compositeTarget(90, 0.5))),
                Comparison(
                    "composite 70 wt%, 1C", paper: 90.1, computed: try c(70, 1), unit: "mAh g⁻¹", kind: .derived,
                    source: "237 Wh kg⁻¹ / (0.7 × 3.757 V)",
                    basis: Calibrated.basis(Calibrated.compositeTarget(70, 1))),
                Comparison(
                    "dense cathode, 0.1C", paper: 119, computed: try d(0.1), unit: "mAh g⁻¹", kind: .published,
                    source: "Fig. 7(a)", basis: Calibrated.basis(Calibrated.denseTarget(0.1))),
                Comparison(
                    "dense cathode, 0.5C", paper: 97, computed: try d(0.5), unit: "mAh g⁻¹", kind: .published,
                    source: "Fig. 7(b)", basis: Calibrated.basis(Calibrated.denseTarget(0.5))),
                Comparison(
                    "dense cathode, 1C", paper: 83.8, computed: try d(1), unit: "mAh g⁻¹", kind: .derived,
                    source: "315 Wh kg⁻¹ / 3.757 V", basis: Calibrated.basis(Calibrated.denseTarget(1))),
            ]
        }
    }
}
