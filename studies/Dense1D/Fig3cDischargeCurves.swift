import CathodeModels
import Foundation
import Plotting
import ResultStore
import StudyKit

/// Paper Fig. 3(c): discharge curves of the experimental half-cell at several C-rates, and the
/// voltage-loss breakdown that explains them.
public struct Fig3cDischargeCurves: Study {
    public let id = "fig3c-discharge-curves"
    public let title = "Discharge curves of the dense LiCoO₂ half-cell at several C-rates"
    public let paperFigure = "Fig. 3(c)"
    public let template = "fig3c-discharge-curves"
    public init() {}

    static let rates = [0.1, 0.2, 0.5, 1.0, 2.0]

    public var body: [StudyElement] {
        BaseParameters(Calibrated.dense)
        Sweep("rates", SweepAxis("cRate", values: Self.rates, unit: "h⁻¹"))

        FigureSpec(
            "discharge-curves",
            caption:
                "(a) Simulated discharge of the paper's half-cell (1.55 mAh cm⁻², 250 µm SE, Li/In) with the calibrated set (D(θ) law, i₀, cut-off and window from the joint calibration) at 0.1–2C to the calibrated cut-off; (b) the voltage-loss breakdown at 1C."
        ) { r in
            let runs = try r["rates"].points.map(\.dense1d)
            let dashes: [Dash] = [.solid, .dashed, .dashDot, .dotted, .solid]
            let curves = Panel(
                x: Axis("Specific capacity [mAh g^{-1}]"), y: Axis("Cell voltage vs Li/In [V]"), legend: .auto,
                layers: zip(Self.rates, runs).enumerated().map { k, p in
                    Line(x: p.1.capacityMilliampHoursPerGram, y: p.1.voltage, label: rateLabel(p.0), dash: dashes[k])
                        .layer
                } + [ReferenceLine(.horizontal, at: Calibrated.cutoffVsLiIn, label: "cut-off").layer])
            let oneC = try r["rates"].point(where: ["cRate": 1]).dense1d
            let q = oneC.capacityMilliampHoursPerGram
            let losses = Panel(
                title: "Voltage losses at 1C", x: Axis("Specific capacity [mAh g^{-1}]"),
                y: Axis("Loss [mV]", limits: 0...700), legend: .auto
            ) {
                Line(x: q, y: oneC.kineticLoss.map { $0 * 1000 }, label: "kinetic (LCO/SE)")
                Line(x: q, y: oneC.concentrationLoss.map { $0 * 1000 }, label: "concentration (diffusion)")
                Line(x: q, y: oneC.separatorLoss.map { $0 * 1000 }, label: "separator ohmic", dash: .dashed)
                Line(x: q, y: oneC.counterElectrodeLoss.map { $0 * 1000 }, label: "counter electrode", dash: .dotted)
                Line(x: q, y: oneC.electronicLoss.map { $0 * 1000 }, label: "electronic (LCO)", dash: .dashDot)
            }
            return Figure(width: .doubleColumn, height: .cm(7), columns: 2, panels: [curves, losses])
        }

        Quantities { r in
            var out: [Quantity] = []
            for p in try r["rates"].points {
                let rate = p.overrides["cRate"]!
                out.append(Quantity("capacity_\(slug(rate))", p.dense1d.capacity, unit: "mAh g⁻¹"))
                out.append(
                    Quantity(
                        "mean_voltage_vs_li_\(slug(rate))", p.dense1d.meanVoltage(vsLithium: true), unit: "V",
                        format: "%.3f"))
            }
            let oneC = try r["rates"].point(where: ["cRate": 1]).dense1d
            let mid = oneC.time.count / 2
            out.append(Quantity("kinetic_loss_1C_mid", oneC.kineticLoss[mid] * 1000, unit: "mV", format: "%.0f"))
            out.append(Quantity("separator_loss_1C", oneC.separatorLoss[mid] * 1000, unit: "mV", format: "%.0f"))
            out.append(
                Quantity(
                    "difference_0p5C_percent",
                    (try r["rates"].point(where: ["cRate": 0.5]).dense1d.capacity / 97 - 1) * 100, unit: "%",
                    format: "%+.1f"))
            out.append(Quantity("difference_1C_percent", (oneC.capacity / 83.8 - 1) * 100, unit: "%", format: "%+.1f"))
            out.append(
                Quantity("difference_1C_experiment_percent", (oneC.capacity / 86 - 1) * 100, unit: "%", format: "%+.1f")
            )
            out.append(Quantity("calibrated_theta0", PaperCalibratedSets.value("theta0"), unit: "", format: "%.4f"))
            out.append(
                Quantity(
                    "calibrated_window", 273.85 * (1 - PaperCalibratedSets.value("theta0")), unit: "mAh g⁻¹",
                    format: "%.0f"))
            out.append(Quantity("calibrated_i0", PaperCalibratedSets.value("i0"), unit: "A m⁻²", format: "%.3f"))
            out.append(Quantity("calibrated_cutoff", Calibrated.cutoffVsLi, unit: "V", format: "%.3f"))
            out.append(Quantity("calibrated_cutoff_li_in", Calibrated.cutoffVsLiIn, unit: "V", format: "%.3f"))
            out.append(
                Quantity(
                    "calibrated_dref", PaperCalibratedSets.value("denseDiffusivity") * 1e9, unit: "× 10⁻⁹ cm² s⁻¹",
                    format: "%.2f"))
            return out
        }

        Comparisons { r in
            func q(_ rate: Double) throws -> Double { try r["rates"].point(where: ["cRate": rate]).dense1d.capacity }
            return [
                Comparison(
                    "capacity at 0.1C", paper: 119, computed: try q(0.1), unit: "mAh g⁻¹", kind: .published,
                    source: "Fig. 7(a), dense cathode (model)",
                    basis: Calibrated.basis("dense capacity, 0.1C")),
                Comparison(
                    "capacity at 0.5C", paper: 97, computed: try q(0.5), unit: "mAh g⁻¹", kind: .published,
                    source: "Fig. 7(b), dense cathode (model)",
                    basis: Calibrated.basis("dense capacity, 0.5C")),
                Comparison(
                    "capacity at 1C", paper: 83.8, computed: try q(1), unit: "mAh g⁻¹", kind: .derived,
                    source: "315 Wh kg⁻¹ / 3.757 V (Fig. S13f)",
                    basis: Calibrated.basis("dense capacity, 1C")),
                Comparison(
                    "capacity at 1C, first cycle (experiment)", paper: 86, computed: try q(1), unit: "mAh g⁻¹",
                    kind: .published, source: "Fig. 5(a)",
                    basis: Calibrated.basis("dense capacity, 1C, first cycle (experiment)")),
            ]
        }
    }
}
