import CathodeModels
import Foundation
import Plotting
import ResultStore
import StudyKit

/// Paper Fig. 4(g): the limitation-regime map over contact fraction × RMS roughness at 0.25C.
///
/// The paper does not state its rule; physics.md §3.7 proposes one [E]: with the capacity Q and two
/// counterfactuals — Q_kin with fast kinetics (i₀ × 10⁴) and Q_tr with lateral transport restored
/// (D_s = D_f) — and Q_ideal with both, a point is "non-limiting" if Q ≥ 0.9 Q_ideal, else "kinetic
/// (active-area) limited" if ΔQ_kin > 2 ΔQ_tr, "transport (contact-loss) limited" if ΔQ_tr > 2 ΔQ_kin,
/// otherwise "mixed".
public struct Fig4gRegimeMap: Study {
    public let id = "fig4g-regime-map"
    public let title = "Limitation regimes of the dense cathode over contact fraction and interface roughness"
    public let paperFigure = "Fig. 4(g)"
    public let template = "fig4g-regime-map"
    public init() {}

    static let fractions = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
    static let roughness = [0.0, 0.1, 0.2, 0.4, 0.6, 0.84, 1.0]
    static let base: [String: Double] = ["cRate": 0.25, "ny": 40]
    static func grid(_ name: String, _ extra: [String: Double]) -> Sweep {
        Sweep(
            name, x: SweepAxis("contactFraction", values: fractions, unit: "–"),
            y: SweepAxis("roughnessRmsMicrometres", values: roughness, unit: "µm"),
            base: BaseParameters(Calibrated.dense, model: .dense2d, overrides: base.merging(extra) { _, b in b }))
    }

    /// 0 non-limiting, 1 kinetic, 2 mixed, 3 transport.
    static func regime(q: Double, kin: Double, tr: Double, ideal: Double) -> Double {
        if q >= 0.9 * ideal { return 0 }
        let dk = kin - q
        let dt = tr - q
        if dk > 2 * dt { return 1 }
        if dt > 2 * dk { return 3 }
        return 2
    }

    public var body: [StudyElement] {
        BaseParameters(Calibrated.dense, model: .dense2d, overrides: Self.base)
        Self.grid("actual", [:])
        Self.grid("fast-kinetics", ["exchangeCurrentDensityAPerM2": 1e4])
        Self.grid("lateral-transport", ["anisotropyRatio": 1])
        Self.grid("ideal", ["exchangeCurrentDensityAPerM2": 1e4, "anisotropyRatio": 1])

        FigureSpec(
            "regimes",
            caption:
                "(a) Capacity at 0.25C over contact fraction × RMS roughness (filled contours); (b) limitation regime by the rule of physics.md §3.7: 0 non-limiting, 1 kinetic (active-area) limited, 2 mixed, 3 transport (contact-loss) limited."
        ) { r in
            let q = try r["actual"].field { $0.dense2d.capacity }
            let k = try r["fast-kinetics"].points.map(\.dense2d.capacity)
            let t = try r["lateral-transport"].points.map(\.dense2d.capacity)
            let i = try r["ideal"].points.map(\.dense2d.capacity)
            let regimes = Field2D(
                x: q.x, y: q.y,
                values: q.values.indices.map { Self.regime(q: q.values[$0], kin: k[$0], tr: t[$0], ideal: i[$0]) })
            return Figure(width: .doubleColumn, height: .cm(7), columns: 2) {
                Panel(
                    x: Axis("Contact fraction A/A_{t}", niceLimits: false),
                    y: Axis("RMS roughness [µm]", niceLimits: false), colorBar: ColorBar("Capacity [mAh g^{-1}]")
                ) {
                    FilledContours(q, levels: [40, 60, 70, 80, 90, 100, 110, 120], colorMap: .viridis)
                    Contours(q, levels: [80, 100], color: .white, width: 0.8, labelFormat: "%.0f")
                }
                Panel(
                    x: Axis("Contact fraction A/A_{t}", niceLimits: false),
                    y: Axis("RMS roughness [µm]", niceLimits: false),
                    colorBar: ColorBar("Limitation regime", categories: ["none", "kinetic", "mixed", "transport"])
                ) {
                    Heatmap(regimes, colorMap: .magma, range: .fixed(-0.5, 3.5))
                }
            }
        }

        Quantities { r in
            let q = try r["actual"]
            func at(_ s: String, _ fc: Double, _ h: Double) throws -> Double {
                try r[s].point(where: ["contactFraction": fc, "roughnessRmsMicrometres": h]).dense2d.capacity
            }
            func reg(_ fc: Double, _ h: Double) throws -> Double {
                Self.regime(
                    q: try at("actual", fc, h), kin: try at("fast-kinetics", fc, h),
                    tr: try at("lateral-transport", fc, h), ideal: try at("ideal", fc, h))
            }
            _ = q
            return [
                Quantity("regime_smooth_full_contact", try reg(1, 0), unit: "", format: "%.0f"),
                Quantity("regime_rough_full_contact", try reg(1, 0.84), unit: "", format: "%.0f"),
                Quantity("regime_low_contact", try reg(0.5, 0.84), unit: "", format: "%.0f"),
                Quantity("capacity_fc1_flat", try at("actual", 1, 0), unit: "mAh g⁻¹", format: "%.0f"),
                Quantity("capacity_fc0p5_rough", try at("actual", 0.5, 0.84), unit: "mAh g⁻¹", format: "%.0f"),
                Quantity(
                    "capacity_fc0p5_rough_lateral", try at("lateral-transport", 0.5, 0.84), unit: "mAh g⁻¹",
                    format: "%.0f"),
                Quantity("capacity_fc1_flat_fast", try at("fast-kinetics", 1, 0), unit: "mAh g⁻¹", format: "%.0f"),
                Quantity("capacity_fc1_rough", try at("actual", 1, 0.84), unit: "mAh g⁻¹", format: "%.0f"),
                Quantity(
                    "kinetic_share_smooth_full_contact", try at("actual", 1, 0) / at("ideal", 1, 0), unit: "",
                    format: "%.3f"),
                Quantity(
                    "kinetic_share_rough_full_contact", try at("actual", 1, 0.84) / at("ideal", 1, 0.84), unit: "",
                    format: "%.3f"),
            ]
        }

        Comparisons { r in
            func at(_ s: String, _ fc: Double, _ h: Double) throws -> Double {
                try r[s].point(where: ["contactFraction": fc, "roughnessRmsMicrometres": h]).dense2d.capacity
            }
            func reg(_ fc: Double, _ h: Double) throws -> Double {
                Self.regime(
                    q: try at("actual", fc, h), kin: try at("fast-kinetics", fc, h),
                    tr: try at("lateral-transport", fc, h), ideal: try at("ideal", fc, h))
            }
            return [
                Comparison(
                    "regime at a smooth interface with full contact (1 = kinetic)", paper: 1, computed: try reg(1, 0),
                    unit: "", kind: .published,
                    source: "Fig. 4(g): smooth interfaces are compromised even at A/A_t ≈ 1",
                    basis: Calibrated.basis(
                        "flat interface, full contact, 0.25C: Q/Q(fast kinetics) (kinetically limited)")),
                Comparison(
                    "regime at A/A_t = 0.5, 0.84 µm (3 = transport)", paper: 3, computed: try reg(0.5, 0.84), unit: "",
                    kind: .published,
                    source: "Fig. 4(g): contact loss gives transport limits", basis: .prediction),
                Comparison(
                    "regime at a rough interface with full contact (0 = non-limiting)", paper: 0,
                    computed: try reg(1, 0.84), unit: "", kind: .published,
                    source: "Fig. 4(g)",
                    basis: Calibrated.basis("0.84 µm interface, full contact, 0.25C: Q/Q(fast kinetics) (not limited)")),
            ]
        }
    }
}
