import CathodeModels
import Foundation
import Plotting
import ResultStore
import StudyKit

/// Paper Fig. S11: the same dense cathode in the solid-state cell and in a liquid-electrolyte cell. The liquid wets
/// the whole top face (no contact loss), fills the cracks open to it and soaks a porous separator; ions move in it by
/// concentrated-solution theory (LiPF₆, Valøen and Reimers 2005).
public struct FigS11Liquid: Study {
    public let id = "figS11-liquid"
    public let title = "The dense cathode in a liquid electrolyte: rate capability and lithiation"
    public let paperFigure = "Fig. S11"
    public let template = "figS11-liquid"
    public init() {}

    static let rates = [0.1, 0.2, 0.5, 1.0, 2.0]
    /// The calibrated Fig. 4 section on a finer grid, without and with two cracks ⊥ CC open at the top face
    /// (through 60 % of the thickness, 5 µm apart: the kind the cycled cathode shows, Fig. 5b).
    static let grid: [String: Double] = ["nx": 46, "ny": 40]
    static let cracked: [String: Double] = ["openCrackCount": 2, "openCrackDepthFraction": 0.6]
    static let cells: [(label: String, overrides: [String: Double])] = [
        ("solid, intact", [:]),
        ("solid, cracked", cracked),
        ("liquid, intact", ["liquidElectrolyte": 1]),
        ("liquid, cracked", cracked.merging(["liquidElectrolyte": 1]) { a, _ in a }),
    ]

    /// The LCO/liquid exchange current density [A m⁻²] at the initial salt concentration and θ = ½.
    static var liquidExchangeCurrentDensity: Double {
        LiquidElectrolyteSettings().exchangeCurrentDensityAtStart(
            maxConcentration: PaperCalibratedSets.paperCalibrated.cell.maxConcentration)
    }

    public var body: [StudyElement] {
        BaseParameters(Calibrated.dense, model: .dense2d, overrides: Self.grid)
        Sweep(
            "runs",
            cases: Self.cells.flatMap { cell in
                Self.rates.map { rate in
                    SweepCase("\(cell.label) @ \(rate)C", cell.overrides.merging(["cRate": rate]) { a, _ in a })
                }
            })

        FigureSpec(
            "rate-capability",
            caption:
                "Capacity versus C-rate of the calibrated dense-cathode section (23.1 µm, oriented) in the solid-state cell (SE separator, calibrated LCO/SE kinetics, full contact) and in a liquid cell (1 M LiPF₆, Valøen–Reimers 2005, 25 µm separator of 39 % porosity, LCO/liquid kinetics of Ramadass et al. 2004), each intact and with two cracks ⊥ CC open at the top face."
        ) { r in
            var layers: [Layer] = []
            for (k, cell) in Self.cells.enumerated() {
                let q = try Self.rates.map { try r["runs"].point("\(cell.label) @ \($0)C").dense2d.capacity }
                layers.append(
                    Line(
                        x: Self.rates, y: q, label: cell.label, color: Color.okabeIto[k],
                        dash: k % 2 == 1 ? .dashed : .solid,
                        marker: Marker([.circle, .square, .triangle, .diamond][k], size: 4)
                    ).layer)
            }
            return Figure(width: .singleColumn, height: .cm(7)) {
                Panel(
                    x: Axis("C-rate [h^{-1}]", scale: .log10, limits: 0.08...2.5),
                    y: Axis("Capacity [mAh g^{-1}]", limits: 0...130), legend: .auto, layers: layers)
            }
        }

        FigureSpec(
            "maps-1c",
            caption:
                "c/c_max at the end of the 1C discharge in the four cells (x = 0 current collector, x = L interface; grey: the open cracks). In the liquid cell the cracks' walls react too, so Li enters the cathode at depth."
        ) { r in
            var panels: [Panel] = []
            for (k, cell) in Self.cells.enumerated() {
                let d = try r["runs"].point("\(cell.label) @ 1.0C").dense2d
                panels.append(
                    Panel(
                        title: RichText(cell.label),
                        x: Axis("y [µm]", niceLimits: false), y: Axis("x [µm]", niceLimits: false),
                        colorBar: k == Self.cells.count - 1 ? ColorBar("c/c_{max}") : nil
                    ) { Heatmap(mapField(d), colorMap: .viridis, range: .fixed(0.5, 1)) })
            }
            return Figure(width: .doubleColumn, height: .cm(6.5), columns: 4, panels: panels)
        }

        FigureSpec(
            "liquid-1c",
            caption:
                "The 1C discharge: (a) cell voltage against capacity in the four cells; (b) salt concentration across the liquid cells' separator at the end (mean over y; x from the cathode's top face at x = L to the counter electrode), from concentrated-solution transport."
        ) { r in
            var curves: [Layer] = []
            var profiles: [Layer] = []
            for (k, cell) in Self.cells.enumerated() {
                let d = try r["runs"].point("\(cell.label) @ 1.0C").dense2d
                curves.append(
                    Line(
                        x: d.capacityMilliampHoursPerGram, y: d.voltageVsLi, label: cell.label,
                        color: Color.okabeIto[k], dash: k % 2 == 1 ? .dashed : .solid
                    ).layer)
                guard d.separatorRows > 0 else { continue }
                let columns = d.ny
                let height = LiquidElectrolyteSettings().separatorThickness * 1e6 / Double(d.separatorRows)
                let x = (0..<d.separatorRows).map { d.thickness * 1e6 + (Double($0) + 0.5) * height }
                let c = (0..<d.separatorRows).map { row in
                    (0..<columns).reduce(0.0) { $0 + d.separatorConcentration[row * columns + $1] } / Double(columns)
                }
                profiles.append(
                    Line(
                        x: x, y: c, label: cell.label, color: Color.okabeIto[k], dash: k % 2 == 1 ? .dashed : .solid,
                        marker: Marker(.circle, size: 3)
                    ).layer)
            }
            return Figure(width: .doubleColumn, height: .cm(6.5), columns: 2) {
                Panel(
                    x: Axis("Capacity [mAh g^{-1}]"), y: Axis("Voltage vs Li/Li^{+} [V]"), legend: .auto,
                    layers: curves)
                Panel(
                    x: Axis("x [µm]"), y: Axis("c_{e} [mol m^{-3}]"), legend: .auto, layers: profiles)
            }
        }

        Quantities { r in
            func q(_ label: String, _ rate: Double) throws -> Double {
                try r["runs"].point("\(label) @ \(rate)C").dense2d.capacity
            }
            let liquid = try r["runs"].point("liquid, cracked @ 1.0C").dense2d
            return [
                Quantity("solid_intact_0p1C", try q("solid, intact", 0.1), unit: "mAh g⁻¹", format: "%.0f"),
                Quantity("solid_intact_1C", try q("solid, intact", 1), unit: "mAh g⁻¹", format: "%.0f"),
                Quantity("solid_intact_2C", try q("solid, intact", 2), unit: "mAh g⁻¹", format: "%.0f"),
                Quantity("solid_cracked_1C", try q("solid, cracked", 1), unit: "mAh g⁻¹", format: "%.0f"),
                Quantity("liquid_intact_0p1C", try q("liquid, intact", 0.1), unit: "mAh g⁻¹", format: "%.0f"),
                Quantity("liquid_intact_1C", try q("liquid, intact", 1), unit: "mAh g⁻¹", format: "%.0f"),
                Quantity("liquid_intact_2C", try q("liquid, intact", 2), unit: "mAh g⁻¹", format: "%.0f"),
                Quantity("liquid_cracked_1C", try q("liquid, cracked", 1), unit: "mAh g⁻¹", format: "%.0f"),
                Quantity("liquid_cracked_2C", try q("liquid, cracked", 2), unit: "mAh g⁻¹", format: "%.0f"),
                Quantity(
                    "liquid_gain_1C_percent", ((try q("liquid, intact", 1)) / (try q("solid, intact", 1)) - 1) * 100,
                    unit: "%", format: "%.0f"),
                Quantity(
                    "salt_drift", abs(liquid.finalSalt - liquid.initialSalt) / liquid.initialSalt, unit: "",
                    format: "%.1e"),
                Quantity(
                    "separator_polarisation",
                    (liquid.separatorConcentration.max() ?? 0) - (liquid.separatorConcentration.min() ?? 0),
                    unit: "mol m⁻³", format: "%.0f"),
                Quantity("calibrated_i0", PaperCalibratedSets.value("i0"), unit: "A m⁻²", format: "%.4f"),
                // The LCO/liquid exchange current density at the initial salt concentration and θ = ½ (Ramadass et
                // al. 2004), as the model starts its discharge with it.
                Quantity("liquid_i0", Self.liquidExchangeCurrentDensity, unit: "A m⁻²", format: "%.1f"),
                Quantity(
                    "kinetic_ratio", Self.liquidExchangeCurrentDensity / PaperCalibratedSets.value("i0"), unit: "",
                    format: "%.0f"),
            ]
        }
    }
}
