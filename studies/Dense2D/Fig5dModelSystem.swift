import CathodeModels
import Foundation
import Plotting
import ResultStore
import StudyKit

/// Paper Fig. 5(c, d): the model cathode system with oriented and misoriented grains, pores, microcracks and
/// interfacial voids; lithiation maps at several depths of discharge at 1C; its homogenised D_eff.
public struct Fig5dModelSystem: Study {
    public let id = "fig5d-model-system"
    public let title = "Lithiation of the model cathode system with microstructural defects at 1C"
    public let paperFigure = "Fig. 5(c, d), 6(b)"
    public let template = "fig5d-model-system"
    public init() {}

    /// The model system's grid and outputs (everything but its diffusivity). 100 steps per nominal hour: its 1C
    /// capacity is 49.6880 mAh g⁻¹ against 49.6884 at 800.
    static let geometry: [String: Double] = [
        "modelSystem": 1, "nx": 46, "ny": 80, "snapshotCount": 4, "stepsPerNominal": 100,
    ]

    /// The homogenised D_eff of the microstructure per unit D_f at the calibrated D_s/D_f (the cell problem of
    /// physics.md §3.8 is linear in D_f, so D_eff = factor · D_f; computed once per process, ~1 s in release).
    public static let homogenisationFactor: Result<Double, Error> = Result {
        let spec = try Dense2DParameterRegistry.spec(base: Calibrated.dense, numbers: geometry)
        let unit = 1e-13
        return try Dense2DModel.effectiveDiffusivity(
            try spec.setup().microstructure, fastDiffusivity: unit, anisotropyRatio: spec.anisotropyRatio) / unit
    }

    /// D_f chosen so that the homogenised D_eff of the microstructure equals the paper's 4e-9 cm² s⁻¹ (physics.md
    /// §3.7: "compute it and adjust") [cm² s⁻¹]. NaN (refused by the model's input check) if the homogenisation fails.
    public static var fastDiffusivity: Double { 4e-9 / ((try? homogenisationFactor.get()) ?? .nan) }
    public static var overrides: [String: Double] { geometry.merging(["diffusivityCm2PerS": fastDiffusivity]) { $1 } }

    /// The homogenised D_eff [cm² s⁻¹] of the model system at `fastDiffusivity` (the paper's 4e-9 by construction;
    /// recomputed, not assumed).
    public static let homogenised: Result<Double, Error> = Result {
        let spec = try Dense2DParameterRegistry.spec(base: Calibrated.dense, numbers: overrides)
        return try Dense2DModel.effectiveDiffusivity(
            try spec.setup().microstructure, fastDiffusivity: fastDiffusivity * 1e-4,
            anisotropyRatio: spec.anisotropyRatio) * 1e4
    }

    /// The capacity-equivalent D_ref [cm² s⁻¹] of a 2D discharge at 1C: the calibrated 1D cell's law whose 1C
    /// capacity equals the 2D one.
    public static func capacityEquivalent(_ capacity: Double) throws -> CapacityEquivalentDiffusivity.Result {
        try CapacityEquivalentDiffusivity.solve(
            capacity: capacity, cRate: 1, cell: PaperCalibratedSets.paperCalibrated.cell)
    }

    public var body: [StudyElement] {
        BaseParameters(Calibrated.dense, model: .dense2d, overrides: Self.overrides)
        Sweep("run", cases: [SweepCase("1C", ["cRate": 1])])
        Sweep(
            "reference", cases: [SweepCase("1D at the homogenised D_eff", ["cRate": 1, "diffusivityCm2PerS": 4e-9])],
            base: BaseParameters(Calibrated.dense, model: .dense1d))

        FigureSpec(
            "model-system",
            caption:
                "(a) The model system: grain orientation (0° = (003) ⊥ current collector; misoriented grains at 90°), pores and cracks (grey), interfacial voids (red marks at x = L). The other panels: c/c_max at increasing depth of discharge at 1C (titled with the capacity delivered so far), the last at the calibrated cut-off."
        ) { r in
            let d = try r["run"].points[0].dense2d
            let spec = try Dense2DParameterRegistry.spec(base: Calibrated.dense, numbers: Self.overrides)
            let m = try spec.setup().microstructure
            let xs = (0..<m.ny).map { (Double($0) + 0.5) * m.dy * 1e6 }
            let ys = (0..<m.nx).map { (Double($0) + 0.5) * m.dx * 1e6 }
            let angles = Field2D(
                x: xs, y: ys, values: (0..<(m.nx * m.ny)).map { abs(m.grainAngles[m.grain[$0]]) * 180 / .pi },
                mask: m.hole)
            var panels = [
                Panel(
                    title: "grain orientation", x: Axis("y [µm]", niceLimits: false),
                    y: Axis("x [µm]", niceLimits: false),
                    colorBar: ColorBar("|φ_{g}| [°]"), aspectRatio: 1
                ) {
                    Heatmap(angles, colorMap: .cividis, range: .fixed(0, 90))
                    Scatter(
                        x: (0..<m.ny).filter { !m.contact[$0] }.map { xs[$0] },
                        y: (0..<m.ny).filter { !m.contact[$0] }.map { _ in ys.last! },
                        color: .vermillion, marker: Marker(.square, size: 2.5))
                }
            ]
            for (k, t) in d.snapshotTimes.enumerated() {
                let q = d.capacity(atTime: t)
                panels.append(
                    Panel(
                        title: RichText(String(format: "%.0f mAh g^{-1}", q)), x: Axis("y [µm]", niceLimits: false),
                        y: Axis("x [µm]", niceLimits: false),
                        colorBar: ColorBar("c/c_{max}"), aspectRatio: 1
                    ) { Heatmap(mapField(d, snapshot: k), colorMap: .viridis, range: .fixed(0.5, 1)) })
            }
            return Figure(width: .doubleColumn, height: .cm(8.5), rows: 2, columns: 3, panels: Array(panels.prefix(6)))
        }

        Quantities { r in
            let spec = try Dense2DParameterRegistry.spec(base: Calibrated.dense, numbers: Self.overrides)
            let m = try spec.setup().microstructure
            let capacity = try r["run"].points[0].dense2d.capacity
            let equivalent = try Self.capacityEquivalent(capacity)
            return [
                Quantity("deff", try Self.homogenised.get() * 1e9, unit: "× 10⁻⁹ cm² s⁻¹", format: "%.2f"),
                Quantity(
                    "deff_capacity_equivalent", equivalent.diffusivityCm2PerS * 1e9, unit: "× 10⁻⁹ cm² s⁻¹",
                    format: "%.2f"),
                Quantity("fast_diffusivity", Self.fastDiffusivity * 1e9, unit: "× 10⁻⁹ cm² s⁻¹", format: "%.2f"),
                Quantity("anisotropy_ratio", spec.anisotropyRatio * 1e4, unit: "× 10⁻⁴", format: "%.1f"),
                Quantity("contact_fraction", m.contactFraction, unit: "", format: "%.2f"),
                Quantity("solid_fraction", m.solidFraction, unit: "", format: "%.3f"),
                Quantity("capacity_2d", capacity, unit: "mAh g⁻¹", format: "%.1f"),
                Quantity(
                    "capacity_1d_deff", try r["reference"].points[0].dense1d.capacity, unit: "mAh g⁻¹", format: "%.1f"),
            ]
        }

        Comparisons { _ in
            [
                Comparison(
                    "homogenised D_eff of the model system [10⁻⁹ cm² s⁻¹]", paper: 4,
                    computed: try Self.homogenised.get() * 1e9, unit: "", kind: .published,
                    source: "Fig. 6(b); D_f chosen to reproduce it", basis: .fitted)
            ]
        }
    }
}
