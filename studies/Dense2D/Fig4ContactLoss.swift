import CathodeModels
import Foundation
import Plotting
import ResultStore
import StudyKit

/// Paper Fig. 4(b, e): contact loss at the cathode/SE interface with oriented (anisotropic) grains —
/// end-of-discharge θ maps at 0.25C for A/A_t = 1, 0.8, 0.6, and capacity over C-rate × contact fraction.
///
/// The interface is the experimental cell's measured one, 0.84 µm RMS (Fig. 4c), with contact lost on part of it:
/// the paper does not say which interface its Fig. 4(e) base case had, and this is the one its dense 1D model is
/// validated on. On a flat base the joint calibration cannot meet Fig. 4(e) and Fig. 4(g) together (cost 15.1
/// against 2.0, and the flat interface at full contact is then not kinetically limited); see PaperCalibration.section.
public struct Fig4ContactLoss: Study {
    public let id = "fig4-contact-loss"
    public let title = "Interfacial contact loss in the dense cathode: lithiation maps and rate capability"
    public let paperFigure = "Fig. 4(b, e)"
    public let template = "fig4-contact-loss"
    public init() {}

    static let rates = [0.1, 0.25, 0.5, 1.0, 2.0]
    static let fractions = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
    static let mapFractions = [1.0, 0.8, 0.6]
    static let mapCells = (nx: 92.0, ny: 80.0)
    /// The calibrated Model B on the Fig. 4(e) base interface (the calibration's section targets use the same).
    static let base = BaseParameters(Calibrated.dense, model: .dense2d, overrides: Calibrated.sectionInterface)

    public var body: [StudyElement] {
        Self.base
        Sweep(
            "map", x: SweepAxis("cRate", values: Self.rates, unit: "h⁻¹"),
            y: SweepAxis("contactFraction", values: Self.fractions, unit: "–"))
        // The maps on a grid 2 × finer through the thickness and 4 × across (0.25 µm × 0.125 µm cells): three runs of
        // about a second where the 46 × 20 grid of the capacity sweep draws 0.5 µm blocks.
        Sweep(
            "maps",
            cases: Self.mapFractions.map { fc in
                SweepCase(
                    "A/A_t = \(fc)",
                    ["cRate": 0.25, "contactFraction": fc, "nx": Self.mapCells.nx, "ny": Self.mapCells.ny])
            })

        FigureSpec(
            "contact-maps",
            caption:
                "End-of-discharge c/c_max at 0.25C in a 23.1 µm × 10 µm section of oriented grains (calibrated D_f and D_s/D_f) for contact fractions 1, 0.8 and 0.6 (one contact segment per 10 µm period, centred) of the cell's 0.84 µm RMS interface, on 92 × 80 cells. x/L = 1 is the interface."
        ) { r in
            var panels: [Panel] = []
            for fc in Self.mapFractions {
                let d = try r["maps"].point(where: ["contactFraction": fc]).dense2d
                let field = mapField(d)
                panels.append(
                    Panel(
                        title: RichText("A/A_{t} = \(fc == 1 ? "1" : String(fc))"),
                        x: Axis("y [µm]", niceLimits: false), y: Axis("x [µm]", niceLimits: false),
                        colorBar: fc == 0.6 ? ColorBar("c/c_{max}") : nil, aspectRatio: 1
                    ) {
                        Heatmap(field, colorMap: .viridis, range: .fixed(0.5, 1))
                    })
            }
            return Figure(width: .doubleColumn, height: .cm(7.5), columns: 3, panels: panels)
        }

        FigureSpec(
            "capacity-vs-rate",
            caption:
                "Capacity versus C-rate for contact fractions 0.5–1 of the cell's 0.84 µm RMS interface (2D model, shared cell voltage with Butler–Volmer current distribution)."
        ) { r in
            var layers: [Layer] = []
            for (k, fc) in Self.fractions.reversed().enumerated() {
                let q = try Self.rates.map {
                    try r["map"].point(where: ["cRate": $0, "contactFraction": fc]).dense2d.capacity
                }
                layers.append(
                    Line(
                        x: Self.rates, y: q, label: "A/A_t = \(fc)", color: Color.okabeIto[k % 8],
                        marker: Marker(.circle, size: 3.5)
                    ).layer)
            }
            return Figure(width: .singleColumn, height: .cm(6.5)) {
                Panel(
                    x: Axis("C-rate [h^{-1}]", scale: .log10, limits: 0.08...2.5),
                    y: Axis("Capacity [mAh g^{-1}]", limits: 0...130), legend: .auto, layers: layers)
            }
        }

        Quantities { r in
            func q(_ c: Double, _ f: Double) throws -> Double {
                try r["map"].point(where: ["cRate": c, "contactFraction": f]).dense2d.capacity
            }
            return [
                Quantity("capacity_1C_fc1", try q(1, 1), unit: "mAh g⁻¹", format: "%.0f"),
                Quantity("capacity_1C_fc0p6", try q(1, 0.6), unit: "mAh g⁻¹", format: "%.0f"),
                Quantity("capacity_0p1C_fc1", try q(0.1, 1), unit: "mAh g⁻¹", format: "%.0f"),
                Quantity("capacity_0p1C_fc0p6", try q(0.1, 0.6), unit: "mAh g⁻¹", format: "%.0f"),
                Quantity("capacity_0p25C_fc0p8", try q(0.25, 0.8), unit: "mAh g⁻¹", format: "%.0f"),
                Quantity("loss_1C_percent", (1 - (try q(1, 0.6)) / (try q(1, 1))) * 100, unit: "%", format: "%.0f"),
                Quantity(
                    "loss_0p1C_percent", (1 - (try q(0.1, 0.6)) / (try q(0.1, 1))) * 100, unit: "%", format: "%.0f"),
                Quantity(
                    "calibrated_fast_diffusivity", PaperCalibratedSets.value("sectionDiffusivity") * 1e9,
                    unit: "× 10⁻⁹ cm² s⁻¹", format: "%.2f"),
                Quantity(
                    "calibrated_anisotropy", PaperCalibratedSets.value("anisotropy") * 1e4, unit: "× 10⁻⁴",
                    format: "%.1f"),
                Quantity("calibrated_i0", PaperCalibratedSets.value("i0"), unit: "A m⁻²", format: "%.4f"),
                Quantity(
                    "calibrated_section_theta0", PaperCalibratedSets.value("sectionTheta0"), unit: "", format: "%.3f"),
                Quantity("calibrated_cell_theta0", PaperCalibratedSets.value("theta0"), unit: "", format: "%.3f"),
            ]
        }

        Comparisons { r in
            func q(_ c: Double, _ f: Double) throws -> Double {
                try r["map"].point(where: ["cRate": c, "contactFraction": f]).dense2d.capacity
            }
            let b = { (rate: String, fc: String) in Calibrated.basis("section capacity, \(rate), A/A_t = \(fc)") }
            return [
                Comparison(
                    "1C, A/A_t = 1", paper: 60, computed: try q(1, 1), unit: "mAh g⁻¹", kind: .published,
                    source: "Fig. 4(e) text", basis: b("1C", "1")),
                Comparison(
                    "1C, A/A_t = 0.6", paper: 19, computed: try q(1, 0.6), unit: "mAh g⁻¹", kind: .published,
                    source: "Fig. 4(e) text", basis: b("1C", "0.6")),
                Comparison(
                    "0.1C, A/A_t = 1", paper: 115, computed: try q(0.1, 1), unit: "mAh g⁻¹", kind: .published,
                    source: "Fig. 4(e) text", basis: b("0.1C", "1")),
                Comparison(
                    "0.1C, A/A_t = 0.6", paper: 87, computed: try q(0.1, 0.6), unit: "mAh g⁻¹", kind: .published,
                    source: "Fig. 4(e) text", basis: b("0.1C", "0.6")),
                Comparison(
                    "capacity loss at 1C (1 → 0.6)", paper: 68, computed: (1 - (try q(1, 0.6)) / (try q(1, 1))) * 100,
                    unit: "%", kind: .published, source: "Fig. 4(e) text",
                    basis: Calibrated.combine([b("1C", "1"), b("1C", "0.6")])),
                Comparison(
                    "capacity loss at 0.1C (1 → 0.6)", paper: 24,
                    computed: (1 - (try q(0.1, 0.6)) / (try q(0.1, 1))) * 100, unit: "%", kind: .published,
                    source: "Fig. 4(e) text",
                    basis: Calibrated.combine([b("0.1C", "1"), b("0.1C", "0.6")])),
            ]
        }
    }
}

/// The end-of-discharge θ map of a 2D result as a field over (y, x) in µm, holes masked.
func mapField(_ d: Dense2DResult, snapshot: Int? = nil) -> Field2D {
    let s = d.snapshots[snapshot ?? d.snapshots.count - 1]
    let xs = (0..<d.ny).map { (Double($0) + 0.5) * d.width / Double(d.ny) * 1e6 }
    let ys = (0..<d.nx).map { (Double($0) + 0.5) * d.thickness / Double(d.nx) * 1e6 }
    return Field2D(
        x: xs, y: ys, values: s.map { $0.isNaN ? 0 : $0 }, mask: s.contains(where: \.isNaN) ? s.map(\.isNaN) : nil)
}
