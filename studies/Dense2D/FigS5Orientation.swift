import CathodeModels
import Foundation
import Plotting
import ResultStore
import StudyKit

/// Paper Fig. S5/S6 orientation comparison: (003) facets perpendicular to the current collector (the
/// paper's design), parallel to it, and randomly oriented grains.
public struct FigS5Orientation: Study {
    public let id = "figS5-orientation"
    public let title =
        "Crystal orientation: (003) perpendicular versus parallel to the current collector, and random grains"
    public let paperFigure = "Fig. S5/S6"
    public let template = "figS5-orientation"
    public init() {}

    static let rates = [0.1, 0.25, 0.5, 1.0]
    static let cases: [(label: String, overrides: [String: Double])] = [
        ("(003) ⊥ CC", ["grainAngleDegrees": 0]),
        ("(003) ∥ CC", ["grainAngleDegrees": 90]),
        ("random grains", ["grainCount": 12, "randomOrientation": 1, "widthMicrometres": 20, "ny": 40]),
    ]

    public var body: [StudyElement] {
        BaseParameters(Calibrated.dense, model: .dense2d, overrides: ["diffusivityCm2PerS": 1e-8])
        Sweep(
            "runs",
            cases: Self.cases.flatMap { c in
                Self.rates.map { rate in
                    SweepCase("\(c.label) @ \(rate)C", c.overrides.merging(["cRate": rate]) { a, _ in a })
                }
            })

        FigureSpec(
            "orientation",
            caption:
                "(a) Capacity versus C-rate for the three orientations (D_f = 1e-8 cm² s⁻¹, D_s/D_f = 3e-3, full contact); (b–d) end-of-discharge c/c_max at 0.25C."
        ) { r in
            var layers: [Layer] = []
            for (k, c) in Self.cases.enumerated() {
                let q = try Self.rates.map { try r["runs"].point("\(c.label) @ \($0)C").dense2d.capacity }
                layers.append(
                    Line(
                        x: Self.rates, y: q, label: c.label, color: Color.okabeIto[k],
                        marker: Marker([.circle, .square, .triangle][k], size: 4)
                    ).layer)
            }
            var panels = [
                Panel(
                    x: Axis("C-rate [h^{-1}]", scale: .log10, limits: 0.08...1.25),
                    y: Axis("Capacity [mAh g^{-1}]", limits: 0...130), legend: .auto, layers: layers)
            ]
            for c in Self.cases {
                let d = try r["runs"].point("\(c.label) @ 0.25C").dense2d
                panels.append(
                    Panel(
                        title: RichText(c.label), x: Axis("y [µm]", niceLimits: false),
                        y: Axis("x [µm]", niceLimits: false),
                        colorBar: ColorBar("c/c_{max}")
                    ) { Heatmap(mapField(d), colorMap: .viridis, range: .fixed(0.5, 1)) })
            }
            return Figure(width: .doubleColumn, height: .cm(11), rows: 2, columns: 2, panels: panels)
        }

        Quantities { r in
            try Self.cases.enumerated().flatMap { k, c in
                try [0.1, 1.0].map { rate in
                    Quantity(
                        "capacity_case\(k + 1)_\(rate == 1 ? "1C" : "0p1C")",
                        try r["runs"].point("\(c.label) @ \(rate)C").dense2d.capacity, unit: "mAh g⁻¹", format: "%.0f")
                }
            } + [
                Quantity(
                    "calibrated_anisotropy", PaperCalibratedSets.value("anisotropy") * 1e4, unit: "× 10⁻⁴",
                    format: "%.1f")
            ]
        }

        Comparisons { r in
            // The paper states the parallel orientation performs much worse; no numbers are given.
            [
                Comparison(
                    "(003) ∥ CC relative to ⊥ at 0.25C (paper: much worse)", paper: 0,
                    computed: try r["runs"].point("(003) ∥ CC @ 0.25C").dense2d.capacity
                        / r["runs"].point("(003) ⊥ CC @ 0.25C").dense2d.capacity,
                    unit: "", kind: .published, source: "Section 2, Fig. S6 (qualitative)")
            ]
        }
    }
}
