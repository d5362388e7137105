import CathodeModels
import Foundation
import Materials
import Plotting
import ResultStore
import StudyKit

/// The global sensitivity of the paper's headline numbers to the values its ESI would have fixed (issue 17): Sobol
/// first-order and total indices, after a Morris screening, of six outputs over the literature ranges of the joint
/// calibration's parameters (studies/Calibration/PaperCalibration.swift), with bootstrap intervals.
///
/// Outputs (each computed as in the calibration, from uncalibrated bases with the uncertain inputs set per sample):
/// the dense cathode's 1C capacity (Model A, Fig. S13f); the 1C gains in E_g and E_v of the dense over the best
/// composite cathode (Model A against Model D at 50–95 wt%, the abstract's +32.9 % / +98.7 %); the Fig. 4(e) base
/// case at A/A_t = 0.6 at 0.1C and 1C (Model B, 87 and 19 mAh g⁻¹); and the roughness gain at 0.25C (Model B in full
/// contact, Q(0.84 µm RMS) − Q(flat), Fig. 4(f, g)). An input enters an output's design when it sets a name in a
/// model of that output's runs; the Fig. 1(b) stack's two layer values affect none of these outputs.
enum SensitivityDeclaration {
    /// The calibration's parameters over their literature ranges, nominal at the calibrated values.
    static var inputs: [UncertainParameter] {
        Calibrated.calibration.parameters.filter { !$0.applies.isEmpty }.map { parameter in
            UncertainParameter(parameter, nominal: PaperCalibratedValues.values[parameter.name] ?? parameter.initial)
        }
    }

    static func capacity(_ output: ModelOutput) -> Double { PaperCalibration.capacity([output]) }

    /// (E_g, E_v) of the dense cathode and the best composite (each maximised over CAM content) at one rate.
    /// Energies as in Fig7EnergyDensity: w·Q·3.757 V per cathode-layer mass, and per volume with the layer's density.
    static func energies(_ outputs: [ModelOutput]) -> (dense: (Double, Double), best: (Double, Double)) {
        let denseGravimetric = ElectrodeEnergy.gravimetric(
            capacityMilliampHoursPerGram: outputs[0].dense1d.capacity, camWeightFraction: 1)
        let dense = (
            denseGravimetric,
            ElectrodeEnergy.volumetric(
                gravimetric: denseGravimetric, electrodeDensityKgPerM3: Fig7EnergyDensity.denseDensity)
        )
        let composites = outputs.dropFirst().map { output -> (Double, Double) in
            let r = output.composite
            let gravimetric = ElectrodeEnergy.gravimetric(
                capacityMilliampHoursPerGram: r.capacity, camWeightFraction: r.camWeightFraction)
            return (
                gravimetric,
                ElectrodeEnergy.volumetric(gravimetric: gravimetric, electrodeDensityKgPerM3: r.electrodeDensity)
            )
        }
        return (dense, (composites.map { $0.0 }.max() ?? 0, composites.map { $0.1 }.max() ?? 0))
    }

    static var outputs: [SensitivityOutput] {
        let gainRuns = [PaperCalibration.dense(1)] + Fig7Grid.weights.map { PaperCalibration.composite($0, 1) }
        return [
            SensitivityOutput(
                "dense capacity at 1C", symbol: "Q_{dense}(1C)", unit: "mAh g⁻¹", runs: [PaperCalibration.dense(1)]
            ) { capacity($0[0]) },
            // As differences, not ratios: over the ranges the best composite's energy reaches zero (i₀ = 0.009 A m⁻² with a
            // 3.62 V cut-off), where the paper's relative gain is undefined; the sign of the difference is the claim.
            SensitivityOutput(
                "E_g gain of dense over best composite at 1C", symbol: "ΔE_g(1C)", unit: "Wh kg⁻¹", runs: gainRuns
            ) { outputs in
                let e = energies(outputs)
                return e.dense.0 - e.best.0
            },
            SensitivityOutput(
                "E_v gain of dense over best composite at 1C", symbol: "ΔE_v(1C)", unit: "Wh L⁻¹", runs: gainRuns
            ) { outputs in
                let e = energies(outputs)
                return e.dense.1 - e.best.1
            },
            SensitivityOutput(
                "section capacity at A/A_t = 0.6, 0.1C", symbol: "Q_{0.6}(0.1C)", unit: "mAh g⁻¹",
                runs: [PaperCalibration.section(0.1, contact: 0.6)]
            ) { capacity($0[0]) },
            SensitivityOutput(
                "section capacity at A/A_t = 0.6, 1C", symbol: "Q_{0.6}(1C)", unit: "mAh g⁻¹",
                runs: [PaperCalibration.section(1, contact: 0.6)]
            ) { capacity($0[0]) },
            SensitivityOutput(
                "roughness gain at 0.25C (0.84 µm vs flat)", symbol: "ΔQ_{rough}(0.25C)", unit: "mAh g⁻¹",
                runs: [
                    PaperCalibration.regimePoint(roughness: 0.84, fastKinetics: false),
                    PaperCalibration.regimePoint(roughness: 0, fastKinetics: false),
                ]
            ) {
                capacity($0[0]) - capacity($0[1])
            },
        ]
    }

    /// The paper's value of each output, where it states one (the roughness gain it shows only as a trend); the energy
    /// gains from its Fig. S13(f) values at 1C (dense 315 Wh kg⁻¹ / 1510 Wh L⁻¹, best composite 237 / 760).
    static let published: [String: Double] = [
        "dense capacity at 1C": 83.8, "E_g gain of dense over best composite at 1C": 315 - 237,
        "E_v gain of dense over best composite at 1C": 1510 - 760,
        "section capacity at A/A_t = 0.6, 0.1C": 87, "section capacity at A/A_t = 0.6, 1C": 19,
    ]

    static func element(samples: Int, trajectories: Int) -> Sensitivity {
        Sensitivity(
            "headline", parameters: inputs, outputs: outputs, samples: samples,
            screening: .init(trajectories: trajectories, levels: 4, keepFraction: 0.05), confidence: 0.95,
            resamples: 1000)
    }

    static func slug(_ index: Int) -> String {
        ["dense_1c", "gain_eg_1c", "gain_ev_1c", "contact_0p1c", "contact_1c", "roughness_0p25c"][index]
    }

    /// The study body shared by the one-machine and the cluster sizes.
    @StudyBuilder static func body(samples: Int, trajectories: Int) -> [StudyElement] {
        BaseParameters(Calibrated.dense, model: .dense1d)
        element(samples: samples, trajectories: trajectories)

        FigureSpec(
            "sobol-indices",
            caption:
                "Sobol first-order (S_i) and total (S_Ti) indices of each headline output with their 95 % bootstrap intervals, per uncertain input over its literature range. Inputs that the Morris screening fixed at their calibrated value have no bar."
        ) { r in
            try indexFigure(try r.sensitivity("headline"))
        }
        FigureSpec(
            "morris-screening",
            caption:
                "Morris screening: each input's mean absolute elementary effect μ* relative to the largest of its design, per output; inputs below the dashed 5 % line were fixed at their calibrated values for the Sobol design."
        ) { r in
            try morrisFigure(try r.sensitivity("headline"))
        }
        TextTableSpec("summary") { r in summaryTable(try r.sensitivity("headline")) }
        TextTableSpec("indices") { r in indexTable(try r.sensitivity("headline")) }
        TextTableSpec("inputs") { _ in inputTable() }
        TextTableSpec("interactions") { r in interactionTable(try r.sensitivity("headline")) }
        DataTable("sobol") { r in sobolData(try r.sensitivity("headline")) }
        Quantities { r in try quantities(try r.sensitivity("headline"), samples: samples) }
        Comparisons { r in
            let result = try r.sensitivity("headline")
            return result.outputs.compactMap { o in
                published[o.name].map {
                    Comparison(
                        "\(o.name): mean over the ranges", paper: $0, computed: o.mean, unit: o.unit, kind: .published,
                        source: "abstract, Figs. 4(e), S13(f)", basis: .prediction)
                }
            }
        }
    }

    // MARK: - Figures

    static func indexFigure(_ result: SensitivityResult) throws -> Figure {
        let panels = result.outputs.enumerated().map { index, output -> Panel in
            let categories = output.inputs.map(\.symbol)
            func series(
                _ label: String, _ estimate: (SensitivityResult.InputIndices) -> SensitivityResult.Estimate?,
                color: Color
            ) -> BarSeries {
                let values = output.inputs.map { estimate($0)?.value ?? 0 }
                return BarSeries(
                    label, values: values, color: color, lower: output.inputs.map { estimate($0)?.lower ?? 0 },
                    upper: output.inputs.map { estimate($0)?.upper ?? 0 })
            }
            let chart = BarChart(
                categories: categories,
                series: [
                    series("S_i (first order)", { $0.firstOrder }, color: Color.okabeIto[0]),
                    series("S_{Ti} (total)", { $0.total }, color: Color.okabeIto[1]),
                ],
                valueFormat: nil, groupWidth: 0.8)
            // The range holds every interval (the bootstrap ends of a small-N estimate can pass 0 and 1).
            let ends = output.inputs.flatMap {
                [$0.firstOrder?.lower, $0.firstOrder?.upper, $0.total?.lower, $0.total?.upper].compactMap { $0 }
            }
            let low = min(-0.1, (ends.min() ?? 0) - 0.05)
            let high = max(1.1, (ends.max() ?? 1) + 0.05)
            return Panel(
                title: RichText("\(output.symbol) [\(output.unit)]"),
                x: Axis(""), y: Axis("Sobol index", limits: low...high), legend: index == 0 ? .auto : .none,
                layers: [chart.layer])
        }
        return Figure(width: .doubleColumn, height: .cm(20), rows: 3, columns: 2, panels: panels)
    }

    static func morrisFigure(_ result: SensitivityResult) throws -> Figure {
        let panels = result.outputs.enumerated().map { index, output -> Panel in
            let largest = output.inputs.compactMap { $0.morris?.meanAbsolute }.max() ?? 0
            let relative = output.inputs.map { largest > 0 ? ($0.morris?.meanAbsolute ?? 0) / largest : 0 }
            let chart = BarChart(
                categories: output.inputs.map(\.symbol),
                series: [BarSeries("μ*/max μ*", values: relative, color: .okabeIto[2])], valueFormat: nil)
            return Panel(
                title: RichText(output.symbol), x: Axis(""), y: Axis("μ* / max μ*", limits: 0...1.1),
                legend: .none, layers: [chart.layer, ReferenceLine(.horizontal, at: 0.05).layer])
        }
        return Figure(width: .doubleColumn, height: .cm(20), rows: 3, columns: 2, panels: panels)
    }

    // MARK: - Tables

    static func interval(_ e: SensitivityResult.Estimate?) -> String {
        guard let e else { return "fixed" }
        return String(format: "%.2f [%.2f, %.2f]", e.value, e.lower, e.upper)
    }

    static func summaryTable(_ result: SensitivityResult) -> TextTable {
        TextTable(
            columns: [
                "output", "mean ± s.d.", "range over the samples", "share > 0", "largest total index", "Σ S_i",
                "runs (screening + Sobol)",
            ],
            alignments: [.left, .right, .right, .right, .left, .right, .right],
            rows: result.outputs.map { o in
                let top = o.inputs.max { ($0.total?.value ?? -1) < ($1.total?.value ?? -1) }
                let sum = o.inputs.reduce(0) { $0 + ($1.firstOrder?.value ?? 0) }
                return [
                    o.name, String(format: "%.1f ± %.1f %@", o.mean, o.standardDeviation, o.unit),
                    String(format: "%.1f … %.1f", o.minimum, o.maximum),
                    String(format: "%.0f %%", 100 * o.positiveShare),
                    top.map { "\($0.name): \(interval($0.total))" } ?? "–",
                    String(format: "%.2f", sum), "\(o.screeningRuns) + \(o.sobolRuns)",
                ]
            })
    }

    static func indexTable(_ result: SensitivityResult) -> TextTable {
        var rows: [[String]] = []
        for o in result.outputs {
            let largest = o.inputs.compactMap { $0.morris?.meanAbsolute }.max() ?? 0
            for input in o.inputs {
                rows.append([
                    o.name, input.name,
                    input.morris.map {
                        String(
                            format: "%.3g (%.0f %%)", $0.meanAbsolute, largest > 0 ? 100 * $0.meanAbsolute / largest : 0
                        )
                    } ?? "–",
                    interval(input.firstOrder), interval(input.total),
                ])
            }
        }
        return TextTable(
            columns: ["output", "input", "Morris μ* (of max)", "S_i [95 % CI]", "S_Ti [95 % CI]"],
            alignments: [.left, .left, .right, .right, .right], rows: rows)
    }

    /// Per output, the inputs that act mostly through interactions (S_Ti − S_i ≥ 0.2) and those that act alone
    /// (S_i ≥ 0.2 with S_Ti − S_i < 0.2).
    static func interactionTable(_ result: SensitivityResult) -> TextTable {
        TextTable(
            columns: ["output", "acting alone (S_i ≥ 0.2)", "acting through interactions (S_Ti − S_i ≥ 0.2)"],
            rows: result.outputs.map { o in
                let alone = o.inputs.filter {
                    ($0.firstOrder?.value ?? 0) >= 0.2 && ($0.total?.value ?? 0) - ($0.firstOrder?.value ?? 0) < 0.2
                }
                let interacting = o.inputs.filter { ($0.total?.value ?? 0) - ($0.firstOrder?.value ?? 0) >= 0.2 }
                return [
                    o.name, alone.isEmpty ? "–" : alone.map(\.name).joined(separator: ", "),
                    interacting.isEmpty ? "–" : interacting.map(\.name).joined(separator: ", "),
                ]
            })
    }

    static func inputTable() -> TextTable {
        TextTable(
            columns: ["input", "range", "scale", "calibrated value", "source of the range"],
            alignments: [.left, .right, .left, .right, .left],
            rows: inputs.map { p in
                [
                    p.name, String(format: "%.3g … %.3g %@", p.lower, p.upper, p.unit), p.scale.rawValue,
                    String(format: "%.3g", p.nominal), p.source,
                ]
            })
    }

    static func sobolData(_ result: SensitivityResult) -> CSVTable {
        var rows: [[Double]] = []
        var labels: [String] = []
        for o in result.outputs {
            for input in o.inputs {
                labels.append("\(o.name) | \(input.name)")
                let nan = Double.nan
                rows.append([
                    input.morris?.meanAbsolute ?? nan, input.morris?.standardDeviation ?? nan,
                    input.firstOrder?.value ?? nan, input.firstOrder?.lower ?? nan, input.firstOrder?.upper ?? nan,
                    input.total?.value ?? nan, input.total?.lower ?? nan, input.total?.upper ?? nan,
                ])
            }
        }
        return CSVTable(
            columns: [
                "morris mu*", "morris sigma", "S_i", "S_i lower", "S_i upper", "S_Ti", "S_Ti lower", "S_Ti upper",
            ], rows: rows,
            labelColumn: "output | input", labels: labels)
    }

    static func quantities(_ result: SensitivityResult, samples: Int) throws -> [Quantity] {
        var q: [Quantity] = [
            Quantity("samples", Double(samples), unit: "", format: "%.0f"),
            Quantity("inputs", Double(inputs.count), unit: "", format: "%.0f"),
        ]
        var screening = 0
        var sobol = 0
        var widest = 0.0
        for (index, o) in result.outputs.enumerated() {
            let s = slug(index)
            q += [
                Quantity("mean_\(s)", o.mean, unit: o.unit), Quantity("sd_\(s)", o.standardDeviation, unit: o.unit),
                Quantity("min_\(s)", o.minimum, unit: o.unit), Quantity("max_\(s)", o.maximum, unit: o.unit),
                Quantity("positive_share_\(s)", 100 * o.positiveShare, unit: "%", format: "%.0f"),
                Quantity("widest_ci_\(s)", o.widestFirstOrderInterval, unit: "", format: "%.2f"),
                Quantity(
                    "sum_first_order_\(s)", o.inputs.reduce(0) { $0 + ($1.firstOrder?.value ?? 0) }, unit: "",
                    format: "%.2f"),
                Quantity("kept_\(s)", Double(o.inputs.filter(\.sampled).count), unit: "", format: "%.0f"),
            ]
            for input in o.inputs {
                if let t = input.total {
                    q.append(Quantity("total_\(s)_\(input.name)", t.value, unit: "", format: "%.2f"))
                }
                if let f = input.firstOrder {
                    q.append(Quantity("first_\(s)_\(input.name)", f.value, unit: "", format: "%.2f"))
                }
            }
            widest = max(widest, o.widestFirstOrderInterval)
        }
        for design in Set(result.outputs.map(\.design)) {
            let first = result.outputs.first { $0.design == design }!
            screening += first.screeningRuns
            sobol += first.sobolRuns
        }
        // Interval widths shrink as 1/√N: the base sample size at which the widest first-order interval of this run would
        // fall below 0.05, rounded up to a power of two (an estimate from this run's own intervals).
        let needed = Double(samples) * (widest / 0.05) * (widest / 0.05)
        q += [
            Quantity("screening_runs", Double(screening), unit: "", format: "%.0f"),
            Quantity("sobol_runs", Double(sobol), unit: "", format: "%.0f"),
            Quantity("widest_ci", widest, unit: "", format: "%.2f"),
            Quantity(
                "samples_for_0p05", needed <= 1 ? 1 : Foundation.pow(2, (Foundation.log2(needed)).rounded(.up)),
                unit: "", format: "%.0f"),
        ]
        return q
    }
}

/// The sensitivity study at the size `make report` runs on one machine (N = 32: intervals of ±0.1–0.3).
public struct SensitivityStudy: Study {
    public let id = "sensitivity"
    public let title = "Global sensitivity of the headline numbers to the values the ESI would have fixed"
    public let paperFigure = "abstract, Figs. 4(e–g), 7, S13(f)"
    public let template = "sensitivity"
    public init() {}
    public var body: [StudyElement] { SensitivityDeclaration.body(samples: 32, trajectories: 8) }
}

/// The same study at the size for a cluster (N = 16384: the N = 32 run's widest first-order interval, 0.9, scaled by 1/√N to
/// below 0.05; about 1.9 million model runs, 19 CPU-hours, most of them the 0.25C roughness pair):
/// `cathodelab slurm sensitivity-cluster --shards 64 --submit`. Not part of the default report.
public struct SensitivityClusterStudy: Study {
    public let id = "sensitivity-cluster"
    public let title = "Global sensitivity of the headline numbers (cluster size)"
    public let paperFigure = "abstract, Figs. 4(e–g), 7, S13(f)"
    public let template = "sensitivity"
    public init() {}
    public var body: [StudyElement] { SensitivityDeclaration.body(samples: 16384, trajectories: 16) }
}
