import CathodeModels
import Foundation
import Plotting
import ResultStore
import StudyKit

/// Paper Fig. S4: the validated model applied to an ideal solid-state cell — the same dense cathode, a 30 µm SE
/// separator and a Li metal anode — discharge curves over C-rate and the capacity map over C-rate × thickness, beside
/// the experimental half-cell of Fig. 3(d) (250 µm bilayer SE, Li/In).
public struct FigS4IdealCell: Study {
    public let id = "figS4-ideal-cell"
    public let title = "The dense cathode in an ideal solid-state cell: thin separator and Li metal"
    public let paperFigure = "Fig. S4"
    public let template = "figS4-ideal-cell"
    public init() {}

    static let rates = [0.1, 0.2, 0.5, 1.0, 2.0]
    static let contourRates = [0.1, 0.2, 0.5, 1.0]
    /// The same axes as `fig3d-capacity-map`, so the half-cell map below is that study's runs (shared cache).
    static let rateAxis = SweepAxis.log("cRate", 0.1...2, count: 20, unit: "h⁻¹")
    static let thicknessAxis = SweepAxis.linear("thicknessMicrometres", 10...100, count: 20, unit: "µm")
    static let columnThickness = SweepAxis.linear("thicknessMicrometres", 10...100, count: 37, unit: "µm")

    public var body: [StudyElement] {
        BaseParameters(Calibrated.idealCell)
        Sweep("rates", SweepAxis("cRate", values: Self.rates, unit: "h⁻¹"))
        Sweep(
            "half-cell-rates", SweepAxis("cRate", values: Self.rates, unit: "h⁻¹"),
            base: BaseParameters(Calibrated.dense))
        Sweep("map", x: Self.rateAxis, y: Self.thicknessAxis)
        Sweep("half-cell-map", x: Self.rateAxis, y: Self.thicknessAxis, base: BaseParameters(Calibrated.dense))
        Sweep("contour-columns", x: SweepAxis("cRate", values: Self.contourRates, unit: "h⁻¹"), y: Self.columnThickness)
        Sweep(
            "half-cell-contour-columns", x: SweepAxis("cRate", values: Self.contourRates, unit: "h⁻¹"),
            y: Self.columnThickness, base: BaseParameters(Calibrated.dense))

        FigureSpec(
            "discharge-curves",
            caption:
                "(a) Discharge of the ideal cell (calibrated dense cathode, 23.1 µm; 30 µm SE at 1 mS cm⁻¹; Li metal) at 0.1–2C, voltage vs Li/Li⁺ (= cell voltage), to the calibrated cut-off. (b) The experimental half-cell (250 µm SE, Li/In; Fig. 3(c)) at the same rates, vs Li/Li⁺ for comparison."
        ) { r in
            let dashes: [Dash] = [.solid, .dashed, .dashDot, .dotted, .solid]
            func panel(_ sweep: String, title: String) throws -> Panel {
                let runs = try r[sweep].points.map(\.dense1d)
                return Panel(
                    title: RichText(title), x: Axis("Specific capacity [mAh g^{-1}]", limits: 0...130),
                    y: Axis("Voltage vs Li/Li^{+} [V]", limits: 3.3...4.3), legend: .auto,
                    layers: zip(Self.rates, runs).enumerated().map { k, p in
                        Line(
                            x: p.1.capacityMilliampHoursPerGram, y: p.1.voltageVsLi, label: rateLabel(p.0),
                            dash: dashes[k]
                        ).layer
                    })
            }
            return Figure(
                width: .doubleColumn, height: .cm(7), columns: 2,
                panels: [
                    try panel("rates", title: "Ideal cell"),
                    try panel("half-cell-rates", title: "Experimental half-cell"),
                ])
        }

        FigureSpec(
            "capacity-map",
            caption:
                "(a) Capacity of the ideal cell over 20 log-spaced C-rates (0.1–2C) × 20 thicknesses (10–100 µm), with its 100 mAh g⁻¹ contour (white) and the half-cell's (red, dashed; Fig. 3(d)) — they nearly coincide: along the contour neither cell is limited by its separator. (b) Capacity gained by the ideal cell over the half-cell at the same point (ideal − half-cell)."
        ) { r in
            let ideal = try r["map"].field { $0.dense1d.capacity }
            let half = try r["half-cell-map"].field { $0.dense1d.capacity }
            let gain = Field2D(x: ideal.x, y: ideal.y, values: zip(ideal.values, half.values).map { $0 - $1 })
            let limit = max(5, (gain.values.map(abs).max() ?? 5).rounded(.up))
            return Figure(
                width: .doubleColumn, height: .cm(7), columns: 2,
                panels: [
                    Panel(
                        x: Axis("C-rate [h^{-1}]", scale: .log10), y: Axis("Cathode thickness [µm]"), legend: .none,
                        colorBar: ColorBar("Specific capacity [mAh g^{-1}]")
                    ) {
                        Heatmap(ideal, colorMap: .viridis, range: .fixed(0, 130))
                        Contours(half, levels: [100], color: .vermillion, width: 1.0, dash: .dashed, labelled: false)
                        Contours(
                            ideal, levels: [100], color: .white, width: 1.3, labelFormat: "%.0f",
                            labelSuffix: " mAh g^{-1}")
                    },
                    Panel(
                        x: Axis("C-rate [h^{-1}]", scale: .log10), y: Axis("Cathode thickness [µm]"), legend: .none,
                        colorBar: ColorBar("Ideal − half-cell [mAh g^{-1}]")
                    ) {
                        Heatmap(gain, colorMap: .coolWarm, range: .fixed(-limit, limit))
                    },
                ])
        }

        Quantities { r in
            var out: [Quantity] = []
            for rate in Self.rates {
                let ideal = try r["rates"].point(where: ["cRate": rate]).dense1d
                let half = try r["half-cell-rates"].point(where: ["cRate": rate]).dense1d
                out.append(Quantity("capacity_\(slug(rate))", ideal.capacity, unit: "mAh g⁻¹"))
                out.append(Quantity("half_capacity_\(slug(rate))", half.capacity, unit: "mAh g⁻¹"))
                out.append(
                    Quantity(
                        "mean_voltage_\(slug(rate))", ideal.meanVoltage(vsLithium: true), unit: "V", format: "%.3f"))
                out.append(
                    Quantity(
                        "half_mean_voltage_\(slug(rate))", half.meanVoltage(vsLithium: true), unit: "V", format: "%.3f")
                )
            }
            for rate in Self.contourRates {
                for (prefix, sweep) in [
                    ("contour100", "contour-columns"), ("half_contour100", "half-cell-contour-columns"),
                ] {
                    let columns = try r[sweep]
                    let ls = columns.sweep.axes[1].values
                    let caps = try ls.map {
                        try columns.point(where: ["cRate": rate, "thicknessMicrometres": $0]).dense1d.capacity
                    }
                    out.append(
                        Quantity(
                            "\(prefix)_thickness_\(slug(rate))", crossing(ls, caps, level: 100) ?? .nan, unit: "µm",
                            format: "%.0f"))
                }
            }
            let ideal = try r["map"].field { $0.dense1d.capacity }
            let half = try r["half-cell-map"].field { $0.dense1d.capacity }
            out.append(
                Quantity(
                    "largest_gain", zip(ideal.values, half.values).map { $0 - $1 }.max() ?? .nan, unit: "mAh g⁻¹",
                    format: "%.0f"))
            for (prefix, sweep) in [("", "rates"), ("half_", "half-cell-rates")] {
                let oneC = try r[sweep].point(where: ["cRate": 1]).dense1d
                let mid = oneC.time.count / 2
                out.append(
                    Quantity("\(prefix)separator_loss_1C", oneC.separatorLoss[mid] * 1000, unit: "mV", format: "%.0f"))
                out.append(
                    Quantity(
                        "\(prefix)counter_loss_1C", oneC.counterElectrodeLoss[mid] * 1000, unit: "mV", format: "%.0f"))
            }
            let ohmic = try Dense1DParameterSet.named(Calibrated.idealCell).cell.separatorResistance
            out.append(Quantity("separator_resistance", ohmic * 1e4, unit: "Ω cm²", format: "%.0f"))
            out.append(
                Quantity(
                    "half_separator_resistance",
                    try Dense1DParameterSet.named(Calibrated.dense).cell.separatorResistance * 1e4, unit: "Ω cm²",
                    format: "%.0f"))
            return out
        }
    }
}
