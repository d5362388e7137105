import CathodeModels
import Foundation
import Plotting
import ResultStore
import StudyKit

/// Paper Fig. 4(d, f): interface roughness — utilisation versus depth at 0.25C for RMS roughness 0, 0.29
/// and 0.84 µm, and capacity over C-rate × roughness. Roughness enters as the active-area factor of each
/// interface face (physics.md §3.4, representation (a)), with contact loss A/A_t = 0.8 so that current
/// focusing matters.
public struct Fig4Roughness: Study {
    public let id = "fig4-roughness"
    public let title = "Interface roughness: active area, utilisation and rate capability"
    public let paperFigure = "Fig. 4(c, d, f)"
    public let template = "fig4-roughness"
    public init() {}

    static let rates = [0.1, 0.25, 0.5, 1.0, 2.0]
    static let roughness = [0.0, 0.1, 0.29, 0.5, 0.84]

    public var body: [StudyElement] {
        BaseParameters("paperHalfCell", model: .dense2d, overrides: ["contactFraction": 0.8, "ny": 40])
        Sweep("grid", x: SweepAxis("cRate", values: Self.rates, unit: "h⁻¹"), y: SweepAxis("roughnessRmsMicrometres", values: Self.roughness, unit: "µm"))
        // Sensitivity: 20× slower kinetics (i₀ = 0.05 A m⁻²), where the area factor should matter most.
        Sweep("slowKinetics", cases: [SweepCase("flat", ["cRate": 1, "roughnessRmsMicrometres": 0, "exchangeCurrentDensityAPerM2": 0.05]),
                                      SweepCase("rough", ["cRate": 1, "roughnessRmsMicrometres": 0.84, "exchangeCurrentDensityAPerM2": 0.05])])

        FigureSpec("roughness", caption: "(a) Utilisation versus normalised depth at the end of a 0.25C discharge for RMS roughness 0, 0.29 and 0.84 µm (area factors from a generated Gaussian profile, ℓ = 0.252 µm); (b) capacity versus C-rate for RMS roughness 0–0.84 µm. A/A_t = 0.8, oriented grains.") { r in
            let g = try r["grid"]
            var depth: [Layer] = [], rate: [Layer] = []
            for (k, h) in [0.0, 0.29, 0.84].enumerated() {
                let d = try g.point(where: ["cRate": 0.25, "roughnessRmsMicrometres": h]).dense2d
                depth.append(Line(x: d.depth, y: d.utilisationVsDepth, label: "RMS \(h) µm", color: Color.okabeIto[k], dash: [Dash.solid, .dashed, .dotted][k]).layer)
            }
            for (k, h) in Self.roughness.enumerated() {
                let q = try Self.rates.map { try g.point(where: ["cRate": $0, "roughnessRmsMicrometres": h]).dense2d.capacity }
                rate.append(Line(x: Self.rates, y: q, label: "RMS \(h) µm", color: Color.okabeIto[k], marker: Marker(.circle, size: 3)).layer)
            }
            return Figure(width: .doubleColumn, height: .cm(7), columns: 2, panels: [
                Panel(x: Axis("Normalised depth x/L", limits: 0...1), y: Axis("Utilisation [–]", limits: 0...1), legend: .bottomRight, layers: depth),
                Panel(x: Axis("C-rate [h^{-1}]", scale: .log10, limits: 0.08...2.5), y: Axis("Capacity [mAh g^{-1}]", limits: 0...130), legend: .bottomLeft, layers: rate),
            ])
        }

        Quantities { r in
            let g = try r["grid"]
            var q: [Quantity] = []
            for h in [0.29, 0.84] {
                let spec = try Dense2DParameterRegistry.spec(base: "paperHalfCell", numbers: ["contactFraction": 0.8, "ny": 40, "roughnessRmsMicrometres": h])
                q.append(Quantity("area_factor_\(h == 0.29 ? "smooth" : "rough")", try spec.setup().microstructure.meanAreaFactor, unit: "", format: "%.2f"))
            }
            for h in [0.0, 0.29, 0.84] {
                let tag = h == 0 ? "flat" : (h == 0.29 ? "smooth" : "rough")
                q.append(Quantity("capacity_0p25C_\(tag)", try g.point(where: ["cRate": 0.25, "roughnessRmsMicrometres": h]).dense2d.capacity, unit: "mAh g⁻¹", format: "%.0f"))
                q.append(Quantity("capacity_1C_\(tag)", try g.point(where: ["cRate": 1, "roughnessRmsMicrometres": h]).dense2d.capacity, unit: "mAh g⁻¹", format: "%.0f"))
            }
            q.append(Quantity("capacity_1C_flat_slow", try r["slowKinetics"].point("flat").dense2d.capacity, unit: "mAh g⁻¹", format: "%.1f"))
            q.append(Quantity("capacity_1C_rough_slow", try r["slowKinetics"].point("rough").dense2d.capacity, unit: "mAh g⁻¹", format: "%.1f"))
            q.append(Quantity("capacity_1C_flat_precise", try g.point(where: ["cRate": 1, "roughnessRmsMicrometres": 0]).dense2d.capacity, unit: "mAh g⁻¹", format: "%.1f"))
            q.append(Quantity("capacity_1C_rough_precise", try g.point(where: ["cRate": 1, "roughnessRmsMicrometres": 0.84]).dense2d.capacity, unit: "mAh g⁻¹", format: "%.1f"))
            return q
        }

        Comparisons { r in
            let spec = try Dense2DParameterRegistry.spec(base: "paperHalfCell", numbers: ["contactFraction": 0.8, "ny": 40, "roughnessRmsMicrometres": 0.84])
            return [Comparison("active-area ratio of the 0.84 µm interface", paper: 4, computed: try spec.setup().microstructure.meanAreaFactor, unit: "×", kind: .published, source: "Fig. 4(c) text (\"almost four times\")")]
        }
    }
}
