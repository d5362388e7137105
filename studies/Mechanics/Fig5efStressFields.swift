import CathodeModels
import Foundation
import Materials
import Plotting
import ResultStore
import StudyKit

/// Paper Fig. 5(e, f): σ_x and σ_y in the Fig. 5(c) model system during a 1C discharge, with the tensile
/// hotspots at pore and crack tips and interfacial void edges (one-way coupled Model B → Model C).
public struct Fig5efStressFields: Study {
    public let id = "fig5ef-stress-fields"
    public let title = "Chemo-mechanical stress fields and hotspots in the model cathode system at 1C"
    public let paperFigure = "Fig. 5(e, f)"
    public let template = "fig5ef-stress-fields"
    public init() {}

    /// The Fig. 5(d) diffusion run (same microstructure and D_f) with snapshots every 0.1 of the nominal time 1/C: the
    /// 1C discharge ends near 0.36 of it, so three maps before the cut-off and the end fill the 2 × 2 grid.
    static let overrides: [String: Double] = Fig5dModelSystem.overrides.merging(["snapshotCount": 8, "cRate": 1]) { $1 }

    public var body: [StudyElement] {
        BaseParameters(Calibrated.dense, model: .stress, overrides: Self.overrides)
        Sweep("run", cases: [SweepCase("1C", [:])])

        for (name, component, symbol) in [("sigma-x", StressComponent.sxx, "x"), ("sigma-y", StressComponent.syy, "y")]
        {
            FigureSpec(
                name,
                caption:
                    "σ_\(symbol) (\(symbol == "x" ? "through-thickness" : "in-plane, along the interface,") normal stress, tension positive) in the Fig. 5(c) model system at increasing depth of discharge at 1C; the last map is at the calibrated cut-off. Colour range: ±(99.5th percentile of |σ|), so the hotspot cells saturate. Plane strain, E = 375 GPa, ν = 0.2 (stresses scale with E), current collector clamped, SE layer (25 GPa, min(L_SE, 2W) = 80 µm thick) bonded on the contact faces only, stress-free at θ₀. Circles: the five largest tensile hotspots (σ_max) of each map; grey: pores and cracks."
            ) { r in
                let s = try r["run"].points[0].stress
                let d = s.diffusion
                let arrays = s.snapshots.map { component == .sxx ? $0.sxx : $0.syy }
                let limit = StressMaps.symmetricLimit(arrays)
                let panels = s.snapshots.enumerated().map { k, snap in
                    Panel(
                        title: StressMaps.title(snap, last: k == s.snapshots.count - 1),
                        x: Axis("y [µm]", niceLimits: false), y: Axis("x [µm]", niceLimits: false),
                        colorBar: ColorBar(RichText("σ_{\(symbol)} [MPa]")), aspectRatio: 23.1 / 40
                    ) {
                        Heatmap(StressMaps.field(arrays[k], of: d), colorMap: .coolWarm, range: .fixed(-limit, limit))
                        StressMaps.markers(Array(snap.hotspots.prefix(5)))
                    }
                }
                return Figure(width: .doubleColumn, height: .cm(7.2), rows: 2, columns: 2, panels: panels)
            }
        }

        FigureSpec(
            "hotspots",
            caption:
                "End of the 1C discharge: (a) c/c_max, (b) maximum principal stress σ_max = max(σ₁, σ_z) (tensile everywhere at this depth of discharge, so a sequential map from 0) with the ten largest tensile hotspots numbered by rank (the table in data/hotspots.csv gives their positions, values and the feature each sits at)."
        ) { r in
            let s = try r["run"].points[0].stress
            let d = s.diffusion
            let end = s.snapshots.last!
            let field = end.maximumPrincipal
            let limit = (field.max() ?? 1) / 1e6
            var annotations: [Layer] = []
            for (k, h) in end.hotspots.enumerated() {
                annotations.append(Annotation(RichText("\(k + 1)"), labelling: h.y * 1e6, h.x * 1e6).layer)
            }
            return Figure(
                width: .doubleColumn, height: .cm(4.6), columns: 2,
                panels: [
                    Panel(
                        title: "c/c_{max}", x: Axis("y [µm]", niceLimits: false), y: Axis("x [µm]", niceLimits: false),
                        colorBar: ColorBar("c/c_{max}"), aspectRatio: 23.1 / 40
                    ) {
                        Heatmap(mapField(d), colorMap: .viridis, range: .fixed(0.5, 1))
                    },
                    Panel(
                        title: "σ_{max}", x: Axis("y [µm]", niceLimits: false), y: Axis("x [µm]", niceLimits: false),
                        colorBar: ColorBar("σ_{max} [MPa]"), aspectRatio: 23.1 / 40,
                        layers: [
                            Heatmap(StressMaps.field(field, of: d), colorMap: .magma, range: .fixed(0, limit)).layer,
                            StressMaps.markers(end.hotspots).layer,
                        ] + annotations),
                ])
        }

        FigureSpec(
            "stress-evolution",
            caption:
                "Stress build-up during the 1C discharge: the largest tensile stress (hotspot cell), the mean σ_y over the oriented grains, and the laterally constrained film estimate σ_y = −E(ε_c + νε_a)/(1 − ν²) at the mean θ of the section (physics.md §4.7), all in MPa against the delivered capacity."
        ) { r in
            let s = try r["run"].points[0].stress
            let m = try Self.microstructure()
            let q = s.snapshots.map(\.capacityMilliampHoursPerGram)
            let peak = s.snapshots.map { ($0.hotspots.first?.peak ?? 0) / 1e6 }
            let mean = s.snapshots.map { StressMaps.meanOverOriented($0.syy, microstructure: m) / 1e6 }
            let film = zip(s.snapshots, s.diffusion.snapshots).map { snap, theta in
                StressMaps.filmStressYY(
                    theta: Self.meanTheta(theta), reference: s.referenceStoichiometry, youngsModulus: s.youngsModulus)
                    / 1e6
            }
            return Figure(width: .singleColumn, height: .cm(6.5)) {
                // Headroom above the hotspot line for the legend in the top-left corner.
                Panel(
                    x: Axis("Capacity [mAh g^{-1}]"), y: Axis("Stress [MPa]", limits: 0...(1.4 * (peak.max() ?? 1))),
                    legend: .topLeft
                ) {
                    Line(
                        x: q, y: peak, label: "largest σ_{max} (hotspot)", color: .vermillion,
                        marker: Marker(.circle, size: 3.5))
                    Line(
                        x: q, y: mean, label: "mean σ_{y}, oriented grains", color: .blue,
                        marker: Marker(.square, size: 3.5))
                    Line(x: q, y: film, label: "clamped-film σ_{y} at mean θ", color: .black, dash: .dashed)
                }
            }
        }

        DataTable("hotspots") { r in
            let s = try r["run"].points[0].stress
            var rows: [[Double]] = []
            var labels: [String] = []
            for snap in s.snapshots {
                for (k, h) in snap.hotspots.enumerated() {
                    rows.append([
                        snap.capacityMilliampHoursPerGram, Double(k + 1), h.x * 1e6, h.y * 1e6, h.peak / 1e6,
                        h.discMean / 1e6, h.theta,
                    ])
                    labels.append(h.feature.rawValue)
                }
            }
            return CSVTable(
                columns: [
                    "capacity [mAh g-1]", "rank", "x [um]", "y [um]", "sigma_max [MPa]", "disc mean r=0.25um [MPa]",
                    "c/c_max [-]",
                ], rows: rows, labelColumn: "feature", labels: labels)
        }

        Quantities { r in
            let s = try r["run"].points[0].stress
            let m = try Self.microstructure()
            let end = s.snapshots.last!
            let top = end.hotspots
            let defects: Set<HotspotFeature> = [.crackTip, .crackFlank, .poreEdge, .nonContactEdge]
            let meanTheta = Self.meanTheta(s.diffusion.snapshots.last!)
            var q = [
                Quantity("capacity", s.diffusion.capacity, unit: "mAh g⁻¹", format: "%.0f"),
                Quantity("youngs_modulus", s.youngsModulus / 1e9, unit: "GPa", format: "%.0f"),
                Quantity(
                    "electrolyte_thickness",
                    try ChemoMechanicalParameterRegistry.spec(base: Calibrated.dense, numbers: Self.overrides)
                        .mechanics(width: m.width).electrolyteThickness * 1e6, unit: "µm", format: "%.0f"),
                Quantity("reference_theta", s.referenceStoichiometry, unit: "", format: "%.4f"),
                Quantity("mean_theta_end", meanTheta, unit: "", format: "%.3f"),
                Quantity("peak_end", (top.first?.peak ?? 0) / 1e6, unit: "MPa", format: "%.0f"),
                Quantity("peak_disc_end", (top.first?.discMean ?? 0) / 1e6, unit: "MPa", format: "%.0f"),
                Quantity("peak_x_end", (top.first?.x ?? 0) * 1e6, unit: "µm", format: "%.1f"),
                Quantity("peak_y_end", (top.first?.y ?? 0) * 1e6, unit: "µm", format: "%.1f"),
                Quantity(
                    "peak_first", (s.snapshots.first?.hotspots.first?.peak ?? 0) / 1e6, unit: "MPa", format: "%.0f"),
                Quantity(
                    "capacity_first", s.snapshots.first?.capacityMilliampHoursPerGram ?? 0, unit: "mAh g⁻¹",
                    format: "%.0f"),
                Quantity(
                    "mean_syy_end", StressMaps.meanOverOriented(end.syy, microstructure: m) / 1e6, unit: "MPa",
                    format: "%.0f"),
                Quantity(
                    "film_syy_end",
                    StressMaps.filmStressYY(
                        theta: meanTheta, reference: s.referenceStoichiometry, youngsModulus: s.youngsModulus) / 1e6,
                    unit: "MPa", format: "%.0f"),
                Quantity(
                    "film_syy_full",
                    StressMaps.filmStressYY(
                        theta: 1, reference: s.referenceStoichiometry, youngsModulus: s.youngsModulus) / 1e6,
                    unit: "MPa", format: "%.0f"),
                Quantity("max_sxx_end", (end.sxx.max() ?? 0) / 1e6, unit: "MPa", format: "%.0f"),
                Quantity("min_sxx_end", (end.sxx.min() ?? 0) / 1e6, unit: "MPa", format: "%.0f"),
                Quantity(
                    "hotspots_at_defects", Double(top.filter { defects.contains($0.feature) }.count), unit: "",
                    format: "%.0f"),
                Quantity("hotspot_count", Double(top.count), unit: "", format: "%.0f"),
            ]
            for f in HotspotFeature.allCases {
                q.append(
                    Quantity(
                        "hotspots_"
                            + f.rawValue.replacingOccurrences(of: " ", with: "_").replacingOccurrences(
                                of: "-", with: "_"), Double(top.filter { $0.feature == f }.count), unit: "",
                        format: "%.0f"))
            }
            // Sensitivity (physics.md §4.3): the end-of-discharge field with E = 190 GPa.
            var soft = try ChemoMechanicalParameterRegistry.spec(base: Calibrated.dense, numbers: Self.overrides)
            soft.youngsModulusGPa = 190
            let softField = try ChemoMechanicalModel(microstructure: m, mechanics: try soft.mechanics()).stress(
                theta: s.diffusion.snapshots.last!, reference: s.referenceStoichiometry)
            let softPeak = StressHotspots.find(softField, microstructure: m, count: 1).first?.peak ?? 0
            q.append(Quantity("peak_end_E190", softPeak / 1e6, unit: "MPa", format: "%.0f"))
            q.append(Quantity("peak_ratio_E190", softPeak / max(top.first?.peak ?? 1, 1), unit: "", format: "%.3f"))
            return q
        }

        Comparisons { r in
            let s = try r["run"].points[0].stress
            let m = try Self.microstructure()
            let end = s.snapshots.last!
            let defects: Set<HotspotFeature> = [.crackTip, .crackFlank, .poreEdge, .nonContactEdge]
            let meanTheta = Self.meanTheta(s.diffusion.snapshots.last!)
            return [
                Comparison(
                    "Largest tensile hotspot at a pore/crack tip or void edge (1 = yes)", paper: 1,
                    computed: defects.contains(end.hotspots.first?.feature ?? .bulk) ? 1 : 0, unit: "",
                    kind: .published,
                    source:
                        "Fig. 5(e, f) text: \"pore/microcrack tips and interfacial void edges serve as tensile stress hotspots\""
                ),
                Comparison(
                    "Peak tensile stress grows with lithiation, cut-off vs first map (1 = yes)", paper: 1,
                    computed: (end.hotspots.first?.peak ?? 0) / max(s.snapshots.first?.hotspots.first?.peak ?? 1, 1) > 1
                        ? 1 : 0, unit: "",
                    kind: .published, source: "Fig. 5(e, f) text: \"stresses intensify with progressive lithiation\""),
                Comparison(
                    "Mean σ_y of the oriented grains at the cut-off vs clamped film at the mean θ",
                    paper: StressMaps.filmStressYY(
                        theta: meanTheta, reference: s.referenceStoichiometry, youngsModulus: s.youngsModulus) / 1e6,
                    computed: StressMaps.meanOverOriented(end.syy, microstructure: m) / 1e6, unit: "MPa",
                    kind: .derived, source: "physics.md §4.7 analytic estimate (uniform Δθ, perfect lateral constraint)"
                ),
            ]
        }

        Tolerances(["peak_*": Tolerance(relative: 0.01), "hotspots_*": Tolerance(relative: 0, absolute: 1)])
    }

    static func microstructure() throws -> Microstructure {
        try Dense2DParameterRegistry.spec(
            base: Calibrated.dense, numbers: overrides.filter { Dense2DParameterRegistry.knows($0.key) }
        ).setup().microstructure
    }

    static func meanTheta(_ theta: [Double]) -> Double {
        let solid = theta.filter { !$0.isNaN }
        return solid.reduce(0, +) / Double(max(solid.count, 1))
    }
}
