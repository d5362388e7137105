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
    static let explicitOverrides: [String: Double] = [
        "contactFraction": 0.8, "nx": 92, "ny": 80, "explicitRoughness": 1, "roughnessCorrelationMicrometres": 1,
    ]

    public var body: [StudyElement] {
        BaseParameters(Calibrated.dense, model: .dense2d, overrides: ["contactFraction": 0.8, "ny": 40])
        Sweep(
            "grid", x: SweepAxis("cRate", values: Self.rates, unit: "h⁻¹"),
            y: SweepAxis("roughnessRmsMicrometres", values: Self.roughness, unit: "µm"))
        // Representation (b): the profile resolved on a finer grid (ℓ = 1 µm so that Δy = 0.125 µm resolves it),
        // equal mean solid thickness (loading) as the flat cathode.
        Sweep(
            "explicit", x: SweepAxis("cRate", values: [0.25, 1], unit: "h⁻¹"),
            y: SweepAxis("roughnessRmsMicrometres", values: [0, 0.29, 0.84], unit: "µm"),
            base: BaseParameters(Calibrated.dense, model: .dense2d, overrides: Self.explicitOverrides))
        // Sensitivity: the earlier estimate i₀ = 1 A m⁻² (about 80× faster kinetics than calibrated), where the
        // active area barely matters.
        Sweep(
            "fastKinetics",
            cases: [
                SweepCase("flat", ["cRate": 0.25, "roughnessRmsMicrometres": 0, "exchangeCurrentDensityAPerM2": 1]),
                SweepCase(
                    "rough", ["cRate": 0.25, "roughnessRmsMicrometres": 0.84, "exchangeCurrentDensityAPerM2": 1]),
            ])

        FigureSpec(
            "roughness",
            caption:
                "(a) Utilisation versus normalised depth at the end of a 0.25C discharge for RMS roughness 0, 0.29 and 0.84 µm (area factors from a generated Gaussian profile with the calibrated correlation length); (b) capacity versus C-rate for RMS roughness 0–0.84 µm. A/A_t = 0.8, oriented grains."
        ) { r in
            let g = try r["grid"]
            var depth: [Layer] = []
            var rate: [Layer] = []
            for (k, h) in [0.0, 0.29, 0.84].enumerated() {
                let d = try g.point(where: ["cRate": 0.25, "roughnessRmsMicrometres": h]).dense2d
                depth.append(
                    Line(
                        x: d.depth, y: d.utilisationVsDepth, label: "RMS \(h) µm", color: Color.okabeIto[k],
                        dash: [Dash.solid, .dashed, .dotted][k]
                    ).layer)
            }
            for (k, h) in Self.roughness.enumerated() {
                let q = try Self.rates.map {
                    try g.point(where: ["cRate": $0, "roughnessRmsMicrometres": h]).dense2d.capacity
                }
                rate.append(
                    Line(
                        x: Self.rates, y: q, label: "RMS \(h) µm", color: Color.okabeIto[k],
                        marker: Marker(.circle, size: 3)
                    ).layer)
            }
            return Figure(
                width: .doubleColumn, height: .cm(7), columns: 2,
                panels: [
                    Panel(
                        x: Axis("Normalised depth x/L", limits: 0...1), y: Axis("Utilisation [–]", limits: 0...1),
                        legend: .bottomRight, layers: depth),
                    Panel(
                        x: Axis("C-rate [h^{-1}]", scale: .log10, limits: 0.08...2.5),
                        y: Axis("Capacity [mAh g^{-1}]", limits: 0...130), legend: .bottomLeft, layers: rate),
                ])
        }

        FigureSpec(
            "explicit-geometry",
            caption:
                "Representation (b): the rough profile resolved on the grid (ℓ = 1 µm, Δx = 0.25 µm, Δy = 0.125 µm; solid electrolyte fills the valleys, grey), with the same mean solid thickness as the flat cathode. (a) c/c_max at the end of a 1C discharge for RMS 0.84 µm, A/A_t = 0.8; (b) utilisation versus depth at 0.25C for RMS 0, 0.29 and 0.84 µm."
        ) { r in
            let e = try r["explicit"]
            let d = try e.point(where: ["cRate": 1, "roughnessRmsMicrometres": 0.84]).dense2d
            var lines: [Layer] = []
            for (k, h) in [0.0, 0.29, 0.84].enumerated() {
                let p = try e.point(where: ["cRate": 0.25, "roughnessRmsMicrometres": h]).dense2d
                let x = p.depth.map { $0 * p.thickness * 1e6 }
                let u = p.utilisationVsDepth
                let keep = u.indices.filter { !u[$0].isNaN }
                lines.append(
                    Line(
                        x: keep.map { x[$0] }, y: keep.map { u[$0] }, label: "RMS \(h) µm", color: Color.okabeIto[k],
                        dash: [Dash.solid, .dashed, .dotted][k]
                    ).layer)
            }
            return Figure(
                width: .doubleColumn, height: .cm(7), columns: 2,
                panels: [
                    Panel(
                        title: "1C, RMS 0.84 µm", x: Axis("y [µm]", niceLimits: false),
                        y: Axis("x [µm]", niceLimits: false), colorBar: ColorBar("c/c_{max}"), aspectRatio: 1
                    ) {
                        Heatmap(mapField(d), colorMap: .viridis, range: .fixed(0.5, 1))
                    },
                    Panel(
                        title: "0.25C", x: Axis("Depth x [µm]"), y: Axis("Utilisation [–]", limits: 0...1),
                        legend: .bottomRight, layers: lines),
                ])
        }

        Quantities { r in
            let g = try r["grid"]
            var q: [Quantity] = []
            for h in [0.29, 0.84] {
                let spec = try Dense2DParameterRegistry.spec(
                    base: Calibrated.dense, numbers: ["contactFraction": 0.8, "ny": 40, "roughnessRmsMicrometres": h])
                q.append(
                    Quantity(
                        "area_factor_\(h == 0.29 ? "smooth" : "rough")", try spec.setup().microstructure.meanAreaFactor,
                        unit: "", format: "%.2f"))
            }
            for h in [0.0, 0.29, 0.84] {
                let tag = h == 0 ? "flat" : (h == 0.29 ? "smooth" : "rough")
                q.append(
                    Quantity(
                        "capacity_0p25C_\(tag)",
                        try g.point(where: ["cRate": 0.25, "roughnessRmsMicrometres": h]).dense2d.capacity,
                        unit: "mAh g⁻¹", format: "%.0f"))
                q.append(
                    Quantity(
                        "capacity_1C_\(tag)",
                        try g.point(where: ["cRate": 1, "roughnessRmsMicrometres": h]).dense2d.capacity,
                        unit: "mAh g⁻¹", format: "%.0f"))
            }
            for h in [0.0, 0.29, 0.84] {
                let tag = h == 0 ? "flat" : (h == 0.29 ? "smooth" : "rough")
                for rate in [0.25, 1.0] {
                    q.append(
                        Quantity(
                            "explicit_capacity_\(rate == 1 ? "1C" : "0p25C")_\(tag)",
                            try r["explicit"].point(where: ["cRate": rate, "roughnessRmsMicrometres": h]).dense2d
                                .capacity, unit: "mAh g⁻¹", format: "%.1f"))
                }
                if h > 0 {
                    let spec = try Dense2DParameterRegistry.spec(
                        base: Calibrated.dense,
                        numbers: Self.explicitOverrides.merging(["roughnessRmsMicrometres": h]) { $1 })
                    q.append(
                        Quantity(
                            "explicit_area_ratio_\(tag)", try spec.setup().microstructure.resolvedAreaRatio, unit: "",
                            format: "%.2f"))
                }
            }
            q.append(
                Quantity(
                    "capacity_0p25C_flat_fast_kinetics", try r["fastKinetics"].point("flat").dense2d.capacity,
                    unit: "mAh g⁻¹", format: "%.1f"))
            q.append(
                Quantity(
                    "capacity_0p25C_rough_fast_kinetics", try r["fastKinetics"].point("rough").dense2d.capacity,
                    unit: "mAh g⁻¹", format: "%.1f"))
            let flat = try g.point(where: ["cRate": 0.25, "roughnessRmsMicrometres": 0]).dense2d.capacity
            let rough = try g.point(where: ["cRate": 0.25, "roughnessRmsMicrometres": 0.84]).dense2d.capacity
            q.append(Quantity("roughness_gain_0p25C", rough - flat, unit: "mAh g⁻¹", format: "%+.1f"))
            q.append(
                Quantity(
                    "calibrated_correlation", PaperCalibratedSets.value("roughnessCorrelation"), unit: "µm",
                    format: "%.3f"))
            q.append(
                Quantity(
                    "capacity_1C_flat_precise",
                    try g.point(where: ["cRate": 1, "roughnessRmsMicrometres": 0]).dense2d.capacity, unit: "mAh g⁻¹",
                    format: "%.1f"))
            q.append(
                Quantity(
                    "capacity_1C_rough_precise",
                    try g.point(where: ["cRate": 1, "roughnessRmsMicrometres": 0.84]).dense2d.capacity, unit: "mAh g⁻¹",
                    format: "%.1f"))
            return q
        }

        Comparisons { r in
            let spec = try Dense2DParameterRegistry.spec(
                base: Calibrated.dense, numbers: ["contactFraction": 0.8, "ny": 40, "roughnessRmsMicrometres": 0.84])
            let g = try r["grid"]
            let flat = try g.point(where: ["cRate": 0.25, "roughnessRmsMicrometres": 0]).dense2d.capacity
            let rough = try g.point(where: ["cRate": 0.25, "roughnessRmsMicrometres": 0.84]).dense2d.capacity
            return [
                Comparison(
                    "active-area ratio of the 0.84 µm interface", paper: 4,
                    computed: try spec.setup().microstructure.meanAreaFactor, unit: "×", kind: .published,
                    source: "Fig. 4(c) text (\"almost four times\")",
                    basis: Calibrated.basis("active-area ratio at 0.84 µm RMS")),
                Comparison(
                    "roughness helps: 0.84 µm vs flat at 0.25C, A/A_t = 0.8 (1 = yes, by > 2 mAh g⁻¹)", paper: 1,
                    computed: rough - flat > 2 ? 1 : 0, unit: "",
                    kind: .published, source: "Fig. 4(d, f): roughness partly alleviates the losses", basis: .prediction
                ),
            ]
        }
    }
}
