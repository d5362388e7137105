import CathodeModels
import Foundation
import Plotting
import ResultStore
import StudyKit

/// Paper Fig. 6(b): capacity over effective diffusivity × C-rate, with the cathode architectures placed on it.
///
/// The map runs the calibrated 1D cell with its D(θ) law, so the axis is the law's D_ref (θ = 0.9). The model system
/// of Fig. 5 appears twice: at its homogenised D_eff (the paper's 4e-9 cm² s⁻¹) and at its capacity-equivalent
/// D_ref (the 1D value that reproduces the section's 2D capacity at 1C; study fig5d-model-system).
public struct Fig6bDiffusivityMap: Study {
    public let id = "fig6b-diffusivity-map"
    public let title = "Capacity map over effective diffusivity and C-rate"
    public let paperFigure = "Fig. 6(b)"
    public let template = "fig6b-diffusivity-map"
    public init() {}

    /// The architectures the paper marks (Naik et al. 2025, Fig. 6b and Section 2), D_eff in cm² s⁻¹; the
    /// experimental cathode at the calibrated D_ref.
    static var markers: [(key: String, name: String, diffusivity: Double)] {
        [
            ("idealised", "idealised", 1e-7), ("model", "model system, homogenised", 4e-9),
            ("experimental", "experimental (calibrated)", PaperCalibratedSets.value("denseDiffusivity")),
            ("nonoriented", "non-oriented", 1e-10),
        ]
    }

    public var body: [StudyElement] {
        BaseParameters(Calibrated.dense)
        Sweep(
            "map", x: .log("diffusivityCm2PerS", 1e-10...1e-7, count: 31, unit: "cm² s⁻¹"),
            y: .log("cRate", 0.1...2, count: 16, unit: "h⁻¹"))
        Sweep(
            "markers", x: SweepAxis("diffusivityCm2PerS", values: Self.markers.map(\.diffusivity), unit: "cm² s⁻¹"),
            y: SweepAxis("cRate", values: [0.1, 1], unit: "h⁻¹"))
        Sweep(
            "model-system", cases: [SweepCase("1C", ["cRate": 1])],
            base: BaseParameters(Calibrated.dense, model: .dense2d, overrides: Fig5dModelSystem.overrides))

        FigureSpec(
            "diffusivity-map",
            caption:
                "Capacity of the paper's half-cell (calibrated set) over D_ref of the D(θ) law (31 log-spaced values, 1e-10…1e-7 cm² s⁻¹) × C-rate (16 values, 0.1–2C); markers at 0.1C and 1C for the architectures of Fig. 6(b), the Fig. 5 model system at its homogenised and at its capacity-equivalent diffusivity."
        ) { r in
            let field = try r["map"].field { $0.dense1d.capacity }
            let shapes: [MarkerShape] = [.diamond, .square, .circle, .triangle]
            let equivalent = try Fig5dModelSystem.capacityEquivalent(try r["model-system"].points[0].dense2d.capacity)
                .diffusivityCm2PerS
            return Figure(width: .singleColumn, height: .cm(8.2)) {
                Panel(
                    x: Axis("D_{ref} [cm^{2} s^{-1}]", scale: .log10), y: Axis("C-rate [h^{-1}]", scale: .log10),
                    legend: .below,
                    colorBar: ColorBar("Specific capacity [mAh g^{-1}]")
                ) {
                    Heatmap(field, colorMap: .viridis, range: .fixed(0, 130))
                    Contours(field, levels: [50, 100], color: .white, width: 0.9, labelFormat: "%.0f")
                    for (k, m) in Self.markers.enumerated() {
                        Scatter(
                            x: [m.diffusivity, m.diffusivity], y: [0.1, 1], label: "\(m.name), \(sci(m.diffusivity))",
                            color: .black, marker: Marker(shapes[k], size: 5.5, filled: false))
                    }
                    Scatter(
                        x: [equivalent], y: [1], label: "model system, capacity-equivalent, \(sci(equivalent))",
                        color: .vermillion,
                        marker: Marker(.square, size: 5.5, filled: true))
                }
            }
        }

        Quantities { r in
            var out: [Quantity] = []
            for m in Self.markers {
                for rate in [0.1, 1.0] {
                    out.append(
                        Quantity(
                            "capacity_\(m.key)_\(slug(rate))",
                            try r["markers"].point(where: ["diffusivityCm2PerS": m.diffusivity, "cRate": rate]).dense1d
                                .capacity, unit: "mAh g⁻¹", format: "%.0f"))
                }
            }
            let section = try r["model-system"].points[0].dense2d.capacity
            out.append(Quantity("model_system_capacity_2d", section, unit: "mAh g⁻¹", format: "%.0f"))
            out.append(
                Quantity(
                    "model_system_equivalent",
                    try Fig5dModelSystem.capacityEquivalent(section).diffusivityCm2PerS * 1e9, unit: "× 10⁻⁹ cm² s⁻¹",
                    format: "%.2f"))
            out.append(
                Quantity(
                    "experimental_dref", PaperCalibratedSets.value("denseDiffusivity") * 1e9, unit: "× 10⁻⁹ cm² s⁻¹",
                    format: "%.2f"))
            return out
        }

        Comparisons { r in
            [
                Comparison(
                    "experimental cathode at 0.1C", paper: 119,
                    computed: try r["markers"].point(where: [
                        "diffusivityCm2PerS": PaperCalibratedSets.value("denseDiffusivity"), "cRate": 0.1,
                    ]).dense1d.capacity,
                    unit: "mAh g⁻¹", kind: .published, source: "Fig. 7(a)",
                    basis: Calibrated.basis("dense capacity, 0.1C")),
                Comparison(
                    "experimental cathode at 1C", paper: 83.8,
                    computed: try r["markers"].point(where: [
                        "diffusivityCm2PerS": PaperCalibratedSets.value("denseDiffusivity"), "cRate": 1,
                    ]).dense1d.capacity,
                    unit: "mAh g⁻¹", kind: .derived, source: "315 Wh kg⁻¹ / 3.757 V (Fig. S13f)",
                    basis: Calibrated.basis("dense capacity, 1C")),
            ]
        }
    }
}
