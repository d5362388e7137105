import CathodeModels
import Foundation
import Plotting
import ResultStore
import StudyKit

/// Paper Fig. 3(f) and Fig. S5: the LCO/SE interfacial resistance read from impedance spectra — here computed from
/// the 2D model linearised at rest — versus contact fraction and roughness, and after each C-rate of the rate test,
/// with the contact lost to stress-driven delamination (the paper's hypothesis, made quantitative).
public struct Fig3fImpedance: Study {
    public let id = "fig3f-impedance"
    public let title = "Interfacial impedance of the dense cathode: contact, roughness and the rate test"
    public let paperFigure = "Fig. 3(f), S5"
    public let template = "fig3f-impedance"
    public init() {}

    static let fractions = [1.0, 0.8, 0.6, 0.4]
    static let roughness = [0.0, 0.3, 0.6, 0.84]
    /// The rate test runs on the Fig. 5(c) model system (interfacial voids, pores, cracks and misoriented grains give
    /// the interface its stress hotspots) with 25 frequencies over 10 mHz–100 kHz (the arcs and the start of the
    /// diffusion tail).
    static let rateTestOverrides: [String: Double] = Fig5dModelSystem.overrides.merging(
        ["rateTest": 1, "frequencyCount": 25, "minimumFrequencyHz": 0.01, "maximumFrequencyHz": 1e5]) { $1 }
    static let ohmCm2 = ImpedanceSpectrum.ohmSquareMetresToOhmSquareCentimetres

    public var body: [StudyElement] {
        BaseParameters(Calibrated.dense, model: .impedance)
        Sweep("contact", SweepAxis("contactFraction", values: Self.fractions, unit: "–"))
        Sweep("roughness", SweepAxis("roughnessRmsMicrometres", values: Self.roughness, unit: "µm"))
        Sweep("rate-test", cases: [SweepCase("rate test", Self.rateTestOverrides)])

        FigureSpec(
            "spectra-contact",
            caption:
                "Computed impedance of the calibrated 23.1 µm × 10 µm section (Model B linearised at rest, state of charge 0.5): Nyquist plots (equal scales; the capacitive diffusion tail leaves the frame) (a) for contact fractions 1, 0.8, 0.6 and 0.4 and (b) for RMS roughness 0–0.84 µm with full contact; (c) |Z| and (d) phase versus frequency for the contact fractions. Markers: computed; lines: the fitted circuit R_s + R_int‖CPE + W_o + R_CE‖CPE."
        ) { r in
            let contact = try Self.fractions.enumerated().map { index, fraction in
                let stage = try r["contact"].point(where: ["contactFraction": fraction]).impedance.stages[0]
                return ImpedanceFigures.Curve(
                    label: "A/A_t = \(fraction == 1 ? "1" : String(fraction))", spectrum: stage.spectrum,
                    fit: stage.fit.circuit, color: Color.okabeIto[index % 8])
            }
            let rough = try Self.roughness.enumerated().map { index, rms in
                let stage = try r["roughness"].point(where: ["roughnessRmsMicrometres": rms]).impedance.stages[0]
                return ImpedanceFigures.Curve(
                    label: rms == 0 ? "flat" : String(format: "%g µm", rms), spectrum: stage.spectrum,
                    fit: stage.fit.circuit, color: Color.okabeIto[(index + 4) % 8])
            }
            return Figure(
                width: .doubleColumn, height: .cm(12), rows: 2, columns: 2,
                panels: [ImpedanceFigures.nyquist(contact), ImpedanceFigures.nyquist(rough)]
                    + ImpedanceFigures.bode(contact))
        }

        FigureSpec(
            "interface-resistance",
            caption:
                "Interfacial resistance R_int read from the computed spectra by the circuit fit (markers) against the model's own charge-transfer resistance 1/(f i₀ r_a f_c) of the contacting area (line): (a) versus contact fraction, (b) versus RMS roughness of the interface (full contact)."
        ) { r in
            let contact = try Self.fractions.map {
                try r["contact"].point(where: ["contactFraction": $0]).impedance.stages[0]
            }
            let rough = try Self.roughness.map {
                try r["roughness"].point(where: ["roughnessRmsMicrometres": $0]).impedance.stages[0]
            }
            return Figure(
                width: .doubleColumn, height: .cm(6), columns: 2,
                panels: [
                    Panel(
                        x: Axis("Contact fraction A/A_{t}", limits: 0.3...1.05), y: Axis("R_{int} [Ω cm^{2}]"),
                        legend: .topRight
                    ) {
                        Line(
                            x: Self.fractions, y: contact.map { $0.chargeTransferResistance * Self.ohmCm2 },
                            label: "1/(f i_{0} r_{a} f_{c}) of the model", color: .black, dash: .dashed)
                        Scatter(
                            x: Self.fractions, y: contact.map { $0.fit.circuit.interfaceResistance * Self.ohmCm2 },
                            label: "circuit fit", color: .vermillion, marker: Marker(.circle, size: 4))
                    },
                    Panel(
                        x: Axis("RMS roughness [µm]", limits: -0.05...0.9), y: Axis("R_{int} [Ω cm^{2}]"),
                        legend: .topRight
                    ) {
                        Line(
                            x: Self.roughness, y: rough.map { $0.chargeTransferResistance * Self.ohmCm2 },
                            label: "1/(f i_{0} r_{a}) of the model", color: .black, dash: .dashed)
                        Scatter(
                            x: Self.roughness, y: rough.map { $0.fit.circuit.interfaceResistance * Self.ohmCm2 },
                            label: "circuit fit", color: .blue, marker: Marker(.square, size: 4))
                    },
                ])
        }

        FigureSpec(
            "rate-test",
            caption:
                "The rate test of Fig. 3(c, f) with stress-driven delamination (the paper's hypothesis; adhesion strength σ_ad a derived estimate): the Fig. 5(c) model system is discharged at 0.1, 0.2, 0.5, 1 and 2C in turn; a contact face whose interface normal stress σ_xx exceeds σ_ad during a discharge loses contact, and the spectrum is taken at rest after each step. (a) Nyquist plots and (b) phase after each step, (c) R_int (circuit fit) and the remaining contact fraction, (d) the largest and median interface normal stress of each discharge against σ_ad."
        ) { r in
            let run = try r["rate-test"].points[0].impedance
            let curves = run.stages.enumerated().map { index, stage in
                ImpedanceFigures.Curve(
                    label: index == 0 ? "pristine" : String(format: "after %gC", stage.cRate), spectrum: stage.spectrum,
                    fit: stage.fit.circuit, color: Color.okabeIto[index % 8])
            }
            let steps = Array(run.stages.dropFirst())
            let rates = steps.map(\.cRate)
            let strength = try Self.adhesionStrength(r)
            return Figure(
                width: .doubleColumn, height: .cm(12), rows: 2, columns: 2,
                panels: [
                    ImpedanceFigures.nyquist(curves),
                    ImpedanceFigures.bode(curves)[1],
                    Panel(
                        x: Axis("C-rate of the step [h^{-1}]", scale: .log10, limits: 0.07...3),
                        y: Axis("R_{int} [Ω cm^{2}]"), y2: Axis("Contact fraction A/A_{t}", limits: 0...1.05),
                        legend: .auto
                    ) {
                        Line(
                            x: rates, y: steps.map { $0.fit.circuit.interfaceResistance * Self.ohmCm2 },
                            label: "R_{int} after the step", color: .vermillion, marker: Marker(.circle, size: 3.5))
                        ReferenceLine(
                            .horizontal, at: run.stages[0].fit.circuit.interfaceResistance * Self.ohmCm2,
                            label: "pristine", color: .vermillion, dash: .dotted)
                        Line(
                            x: rates, y: steps.map(\.contactFraction), label: "contact (right)", color: .black,
                            dash: .dashed, marker: Marker(.square, size: 3), axis: .right)
                    },
                    Panel(
                        x: Axis("C-rate of the step [h^{-1}]", scale: .log10, limits: 0.07...3),
                        y: Axis("Interface σ_{xx} [MPa]"), legend: .auto
                    ) {
                        Line(
                            x: rates, y: steps.map { Self.largest($0.peakNormalStress) / 1e6 }, label: "largest",
                            color: .blue, marker: Marker(.circle, size: 3.5))
                        Line(
                            x: rates, y: steps.map { Self.median($0.peakNormalStress) / 1e6 }, label: "median",
                            color: .blue, dash: .dashed, marker: Marker(.square, size: 3))
                        ReferenceLine(
                            .horizontal, at: strength, label: RichText("σ_{ad}"), color: .vermillion, dash: .dashed)
                    },
                ])
        }

        DataTable("rate-test") { r in
            let run = try r["rate-test"].points[0].impedance
            let rows = run.stages.map { stage in
                [
                    stage.cRate, stage.capacity, stage.contactFraction,
                    stage.fit.circuit.interfaceResistance * Self.ohmCm2, stage.chargeTransferResistance * Self.ohmCm2,
                    Self.largest(stage.peakNormalStress) / 1e6, Self.median(stage.peakNormalStress) / 1e6,
                ]
            }
            return CSVTable(
                columns: [
                    "C-rate of the step [h-1] (0 = pristine)", "discharge capacity [mAh g-1]",
                    "contact fraction after [-]", "R_int fitted [Ohm cm2]",
                    "R_ct model [Ohm cm2]", "largest interface sigma_xx [MPa]", "median interface sigma_xx [MPa]",
                ], rows: rows)
        }

        DataTable("spectra") { r in
            var rows: [[Double]] = []
            var labels: [String] = []
            for fraction in Self.fractions {
                let s = try r["contact"].point(where: ["contactFraction": fraction]).impedance.stages[0].spectrum
                for k in s.frequencies.indices {
                    rows.append([fraction, s.frequencies[k], s.real[k] * Self.ohmCm2, s.imaginary[k] * Self.ohmCm2])
                    labels.append("contact")
                }
            }
            return CSVTable(
                columns: ["contact fraction [-]", "frequency [Hz]", "Z' [Ohm cm2]", "Z'' [Ohm cm2]"], rows: rows,
                labelColumn: "sweep", labels: labels)
        }

        Quantities { r in
            var q: [Quantity] = []
            let contact = try Self.fractions.map {
                try r["contact"].point(where: ["contactFraction": $0]).impedance.stages[0]
            }
            for (fraction, stage) in zip(Self.fractions, contact) {
                q.append(
                    Quantity(
                        "rint_fc\(Self.tag(fraction))", stage.fit.circuit.interfaceResistance * Self.ohmCm2,
                        unit: "Ω cm²", format: "%.0f"))
            }
            q.append(
                Quantity(
                    "rint_ratio_fc0p6",
                    contact[2].fit.circuit.interfaceResistance / contact[0].fit.circuit.interfaceResistance, unit: "",
                    format: "%.2f"))
            q.append(
                Quantity("rct_fc1", contact[0].chargeTransferResistance * Self.ohmCm2, unit: "Ω cm²", format: "%.0f"))
            q.append(
                Quantity(
                    "series_resistance", contact[0].fit.circuit.seriesResistance * Self.ohmCm2, unit: "Ω cm²",
                    format: "%.1f"))
            q.append(
                Quantity(
                    "interface_capacitance", contact[0].fit.circuit.interfaceCapacitance / Self.ohmCm2 * 1e6,
                    unit: "µF cm⁻²", format: "%.1f"))
            q.append(
                Quantity(
                    "apex_frequency",
                    1
                        / (2 * .pi * contact[0].fit.circuit.interfaceResistance
                            * contact[0].fit.circuit.interfaceCapacitance),
                    unit: "Hz", format: "%.2g"))
            let rough = try Self.roughness.map {
                try r["roughness"].point(where: ["roughnessRmsMicrometres": $0]).impedance.stages[0]
            }
            q.append(
                Quantity(
                    "rint_flat", rough[0].fit.circuit.interfaceResistance * Self.ohmCm2, unit: "Ω cm²", format: "%.0f"))
            q.append(
                Quantity(
                    "rint_rough084", rough[3].fit.circuit.interfaceResistance * Self.ohmCm2, unit: "Ω cm²",
                    format: "%.0f"))
            q.append(
                Quantity(
                    "rint_ratio_rough084",
                    rough[3].fit.circuit.interfaceResistance / rough[0].fit.circuit.interfaceResistance, unit: "",
                    format: "%.2f"))
            let all = contact + rough
            q.append(
                Quantity(
                    "largest_fit_residual", all.map(\.fit.maximumRelativeResidual).max()! * 100, unit: "%",
                    format: "%.2f"))
            q.append(
                Quantity(
                    "largest_kk_residual",
                    try all.map { try KramersKronig.test($0.spectrum).maximumResidual }.max()! * 100, unit: "%",
                    format: "%.3f"))
            let run = try r["rate-test"].points[0].impedance
            q.append(
                Quantity(
                    "rate_rint_pristine", run.stages[0].fit.circuit.interfaceResistance * Self.ohmCm2, unit: "Ω cm²",
                    format: "%.0f"))
            q.append(Quantity("rate_contact_pristine", run.stages[0].contactFraction, unit: "", format: "%.2f"))
            for stage in run.stages.dropFirst() {
                let tag = Self.rateTag(stage.cRate)
                q.append(
                    Quantity(
                        "rate_rint_\(tag)", stage.fit.circuit.interfaceResistance * Self.ohmCm2, unit: "Ω cm²",
                        format: "%.0f"))
                q.append(Quantity("rate_contact_\(tag)", stage.contactFraction, unit: "", format: "%.2f"))
                q.append(
                    Quantity(
                        "rate_peak_\(tag)", Self.largest(stage.peakNormalStress) / 1e6, unit: "MPa", format: "%.0f"))
                q.append(Quantity("rate_capacity_\(tag)", stage.capacity, unit: "mAh g⁻¹", format: "%.0f"))
            }
            q.append(
                Quantity(
                    "rate_steps_rising",
                    Double(
                        zip(run.stages, run.stages.dropFirst()).filter {
                            $1.fit.circuit.interfaceResistance > $0.fit.circuit.interfaceResistance * 1.001
                        }.count), unit: "", format: "%.0f"))
            q.append(
                Quantity(
                    "rate_rint_growth",
                    run.stages.last!.fit.circuit.interfaceResistance / run.stages[0].fit.circuit.interfaceResistance,
                    unit: "", format: "%.2f"))
            q.append(Quantity("adhesion_strength", try Self.adhesionStrength(r), unit: "MPa", format: "%.0f"))
            q.append(
                Quantity(
                    "double_layer",
                    try ImpedanceParameterRegistry.spec(base: Calibrated.dense, numbers: [:])
                        .doubleLayerCapacitanceMicrofaradPerCm2, unit: "µF cm⁻²", format: "%.0f"))
            return q
        }

        Comparisons { r in
            let run = try r["rate-test"].points[0].impedance
            let values = run.stages.map(\.fit.circuit.interfaceResistance)
            let rises = zip(values, values.dropFirst()).filter { $1 > $0 * 1.001 }.count
            let contact = try Self.fractions.map {
                try r["contact"].point(where: ["contactFraction": $0]).impedance.stages[0].fit.circuit
                    .interfaceResistance
            }
            let contactRaises = zip(contact, contact.dropFirst()).allSatisfy { $1 > $0 }
            return [
                Comparison(
                    "rate steps (of 5) after which the interfacial resistance rises", paper: 5, computed: Double(rises),
                    unit: "", kind: .derived,
                    source:
                        "Fig. 3(f) text: \"a consistent and notable increase as the cell is cycled at higher current density\" (after every step)",
                    basis: .prediction),
                Comparison(
                    "Contact loss raises the interfacial resistance (1 = yes)", paper: 1,
                    computed: contactRaises ? 1 : 0, unit: "", kind: .published,
                    source:
                        "Section 2: delamination read from the rising R_int (Fig. 3(f)) and modelled as contact loss (Fig. 4)",
                    basis: .prediction),
            ]
        }

        Tolerances(["rint_*": Tolerance(relative: 0.01), "rate_*": Tolerance(relative: 0.01)])
    }

    static func tag(_ value: Double) -> String { String(format: "%g", value).replacingOccurrences(of: ".", with: "p") }
    static func rateTag(_ rate: Double) -> String { tag(rate) + "C" }

    static func largest(_ values: [Double]) -> Double { values.filter { !$0.isNaN }.max() ?? .nan }
    static func median(_ values: [Double]) -> Double {
        let sorted = values.filter { !$0.isNaN }.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : 0.5 * (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2])
    }

    static func adhesionStrength(_ r: StudyResults) throws -> Double {
        try ImpedanceParameterRegistry.spec(base: Calibrated.dense, numbers: rateTestOverrides).adhesionStrengthMPa
    }
}
