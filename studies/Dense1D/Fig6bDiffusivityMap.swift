import Foundation
import Plotting
import ResultStore
import StudyKit

/// Paper Fig. 6(b): capacity over effective diffusivity × C-rate, with the four cathode architectures.
public struct Fig6bDiffusivityMap: Study {
    public let id = "fig6b-diffusivity-map"
    public let title = "Capacity map over effective diffusivity and C-rate"
    public let paperFigure = "Fig. 6(b)"
    public let template = "fig6b-diffusivity-map"
    public init() {}

    /// The architectures the paper marks (Naik et al. 2025, Fig. 6b and Section 2), D_eff in cm² s⁻¹.
    static let markers: [(key: String, name: String, diffusivity: Double)] = [
        ("idealised", "idealised", 1e-7), ("model", "model system (Fig. 5)", 4e-9),
        ("experimental", "experimental", 1.5e-9), ("nonoriented", "non-oriented", 1e-10),
    ]
    /// Reference-implementation capacities at the markers (physics.md §10.1; not published).
    static let reference: [String: [Double: Double]] = [
        "idealised": [0.1: 123.6, 1: 122.5], "model": [0.1: 122.0, 1: 105.9],
        "experimental": [0.1: 119.1, 1: 77.1], "nonoriented": [0.1: 57.3, 1: 5.7],
    ]

    public var body: [StudyElement] {
        BaseParameters("paperHalfCell")
        Sweep("map", x: .log("diffusivityCm2PerS", 1e-10...1e-7, count: 31, unit: "cm² s⁻¹"), y: .log("cRate", 0.1...2, count: 16, unit: "h⁻¹"))
        Sweep("markers", x: SweepAxis("diffusivityCm2PerS", values: Self.markers.map(\.diffusivity), unit: "cm² s⁻¹"), y: SweepAxis("cRate", values: [0.1, 1], unit: "h⁻¹"))

        FigureSpec("diffusivity-map", caption: "Capacity of the paper's half-cell over D_eff (31 log-spaced values, 1e-10…1e-7 cm² s⁻¹) × C-rate (16 values, 0.1–2C); markers at 0.1C and 1C for the four architectures of Fig. 6(b).") { r in
            let field = try r["map"].field { $0.dense1d.capacity }
            let shapes: [MarkerShape] = [.diamond, .square, .circle, .triangle]
            return Figure(width: .singleColumn, height: .cm(7.6)) {
                Panel(x: Axis("D_{eff} [cm^{2} s^{-1}]", scale: .log10), y: Axis("C-rate [h^{-1}]", scale: .log10), legend: .below,
                      colorBar: ColorBar("Specific capacity [mAh g^{-1}]")) {
                    Heatmap(field, colorMap: .viridis, range: .fixed(0, 130))
                    Contours(field, levels: [50, 100], color: .white, width: 0.9, labelFormat: "%.0f")
                    for (k, m) in Self.markers.enumerated() {
                        Scatter(x: [m.diffusivity, m.diffusivity], y: [0.1, 1], label: "\(m.name), \(sci(m.diffusivity))",
                                color: .black, marker: Marker(shapes[k], size: 5.5, filled: false))
                    }
                }
            }
        }

        Quantities { r in
            var out: [Quantity] = []
            for m in Self.markers {
                for rate in [0.1, 1.0] {
                    out.append(Quantity("capacity_\(m.key)_\(slug(rate))", try r["markers"].point(where: ["diffusivityCm2PerS": m.diffusivity, "cRate": rate]).dense1d.capacity, unit: "mAh g⁻¹", format: "%.0f"))
                }
            }
            return out
        }

        Comparisons { r in
            var out = [Comparison("experimental cathode at 0.1C", paper: 119, computed: try r["markers"].point(where: ["diffusivityCm2PerS": 1.5e-9, "cRate": 0.1]).dense1d.capacity,
                                  unit: "mAh g⁻¹", kind: .published, source: "Fig. 7(a)")]
            for m in Self.markers {
                for rate in [0.1, 1.0] {
                    out.append(Comparison("\(m.name) at \(rateLabel(rate))", paper: Self.reference[m.key]![rate]!,
                                          computed: try r["markers"].point(where: ["diffusivityCm2PerS": m.diffusivity, "cRate": rate]).dense1d.capacity,
                                          unit: "mAh g⁻¹", kind: .reference, source: "physics.md §10.1"))
                }
            }
            return out
        }
    }
}
