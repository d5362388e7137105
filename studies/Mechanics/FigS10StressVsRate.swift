import CathodeModels
import Foundation
import Materials
import Plotting
import ResultStore
import StudyKit

/// Paper Figs. S9, S10 (and the Fig. 5(d–f) discussion): lithiation and stress in the Fig. 5(c) model system
/// at 0.25C–2C, compared at equal depth of discharge (so that the heterogeneity, not the amount of Li, differs)
/// and at the cut-off.
public struct FigS10StressVsRate: Study {
    public let id = "figS10-stress-vs-rate"
    public let title = "Electrochemical and mechanical hotspots versus C-rate in the model cathode system"
    public let paperFigure = "Fig. S9, S10 (Fig. 5d–f)"
    public let template = "figS10-stress-vs-rate"
    public init() {}

    static let rates = [0.25, 0.5, 1.0, 2.0]
    /// The Fig. 5(d) model system as in Fig. 5(e, f), with five snapshots up to 0.8 of the nominal time 1/C: the first
    /// is at 0.16 of it, i.e. 0.16 × 140 = 22.4 mAh g⁻¹ at every rate.
    static let overrides: [String: Double] = Fig5dModelSystem.overrides.merging(["snapshotCount": 5, "cRate": 1]) { $1 }
    static let equalDepthIndex = 0

    public var body: [StudyElement] {
        BaseParameters(Calibrated.dense, model: .stress, overrides: Self.overrides)
        Sweep("rates", SweepAxis("cRate", values: Self.rates, unit: "h⁻¹"))

        FigureSpec(
            "rate-maps",
            caption:
                "The model system at equal depth of discharge (22 mAh g⁻¹, the first snapshot) for 0.25C, 0.5C, 1C and 2C (rows): c/c_max (left), σ_x (middle) and σ_y (right) in MPa (plane strain, E = 375 GPa; colour ranges shared down each column, stress ranges ±99.5th percentile of |σ|). Circles: the three largest tensile hotspots."
        ) { r in
            let runs = try Self.rates.map { try r["rates"].point(where: ["cRate": $0]).stress }
            let snaps = runs.map { $0.snapshots[Self.equalDepthIndex] }
            let limitX = StressMaps.symmetricLimit(snaps.map(\.sxx))
            let limitY = StressMaps.symmetricLimit(snaps.map(\.syy))
            var panels: [Panel] = []
            for (k, run) in runs.enumerated() {
                let d = run.diffusion
                let snap = snaps[k]
                let last = k == runs.count - 1
                for column in 0..<3 {
                    let x = Axis(last ? "y [µm]" : "", niceLimits: false)
                    let y = Axis(column == 0 ? "x [µm]" : "", niceLimits: false)
                    let title = RichText(Self.rateLabel(Self.rates[k]))
                    let bar = ColorBar(RichText(["c/c_{max}", "σ_{x} [MPa]", "σ_{y} [MPa]"][column]))
                    if column == 0 {
                        panels.append(
                            Panel(title: title, x: x, y: y, colorBar: bar, aspectRatio: 23.1 / 40) {
                                Heatmap(
                                    mapField(d, snapshot: Self.equalDepthIndex), colorMap: .viridis,
                                    range: .fixed(0.5, 1))
                            })
                    } else {
                        let values = column == 1 ? snap.sxx : snap.syy
                        let limit = column == 1 ? limitX : limitY
                        panels.append(
                            Panel(title: title, x: x, y: y, colorBar: bar, aspectRatio: 23.1 / 40) {
                                Heatmap(
                                    StressMaps.field(values, of: d), colorMap: .coolWarm, range: .fixed(-limit, limit))
                                StressMaps.markers(Array(snap.hotspots.prefix(3)))
                            })
                    }
                }
            }
            return Figure(width: .doubleColumn, height: .cm(11), rows: 4, columns: 3, panels: panels)
        }

        FigureSpec(
            "rate-trends",
            caption:
                "(a) Largest tensile stress σ_max (hotspot cell) at equal depth of discharge (22 mAh g⁻¹) and at the calibrated cut-off, versus C-rate. (b) Heterogeneity of lithiation at 22 mAh g⁻¹ (standard deviation of c/c_max over the solid) and the delivered capacity."
        ) { r in
            let runs = try Self.rates.map { try r["rates"].point(where: ["cRate": $0]).stress }
            let equal = runs.map { ($0.snapshots[Self.equalDepthIndex].hotspots.first?.peak ?? 0) / 1e6 }
            let end = runs.map { ($0.snapshots.last!.hotspots.first?.peak ?? 0) / 1e6 }
            let spread = runs.map { Self.standardDeviation($0.diffusion.snapshots[Self.equalDepthIndex]) }
            let capacity = runs.map(\.diffusion.capacity)
            return Figure(
                width: .doubleColumn, height: .cm(6.5), columns: 2,
                panels: [
                    Panel(
                        x: Axis("C-rate [h^{-1}]", scale: .log10, limits: 0.2...2.5), y: Axis("Largest σ_{max} [MPa]"),
                        legend: .auto
                    ) {
                        Line(
                            x: Self.rates, y: equal, label: "at 22 mAh g^{-1}", color: .vermillion,
                            marker: Marker(.circle, size: 3.5))
                        Line(
                            x: Self.rates, y: end, label: "at the cut-off", color: .blue,
                            marker: Marker(.square, size: 3.5))
                    },
                    Panel(
                        x: Axis("C-rate [h^{-1}]", scale: .log10, limits: 0.2...2.5),
                        y: Axis("std of c/c_{max} at 22 mAh g^{-1} [–]"), y2: Axis("Capacity [mAh g^{-1}]"),
                        legend: .auto
                    ) {
                        Line(
                            x: Self.rates, y: spread, label: "heterogeneity", color: .vermillion,
                            marker: Marker(.circle, size: 3.5))
                        Line(
                            x: Self.rates, y: capacity, label: "capacity (right)", color: .black, dash: .dashed,
                            marker: Marker(.square, size: 3.5), axis: .right)
                    },
                ])
        }

        DataTable("hotspots-vs-rate") { r in
            var rows: [[Double]] = []
            var labels: [String] = []
            for rate in Self.rates {
                let run = try r["rates"].point(where: ["cRate": rate]).stress
                for (tag, snap) in [(0.0, run.snapshots[Self.equalDepthIndex]), (1.0, run.snapshots.last!)] {
                    for (k, h) in snap.hotspots.prefix(5).enumerated() {
                        rows.append([
                            rate, tag, snap.capacityMilliampHoursPerGram, Double(k + 1), h.x * 1e6, h.y * 1e6,
                            h.peak / 1e6, h.theta,
                        ])
                        labels.append(h.feature.rawValue)
                    }
                }
            }
            return CSVTable(
                columns: [
                    "C-rate [h-1]", "cut-off (1) or equal depth (0)", "capacity [mAh g-1]", "rank", "x [um]", "y [um]",
                    "sigma_max [MPa]", "c/c_max [-]",
                ], rows: rows, labelColumn: "feature", labels: labels)
        }

        Quantities { r in
            var q: [Quantity] = []
            var equal: [Double] = []
            for rate in Self.rates {
                let run = try r["rates"].point(where: ["cRate": rate]).stress
                let tag = Self.tag(rate)
                let first = run.snapshots[Self.equalDepthIndex]
                equal.append(first.hotspots.first?.peak ?? 0)
                q += [
                    Quantity("capacity_\(tag)", run.diffusion.capacity, unit: "mAh g⁻¹", format: "%.0f"),
                    Quantity("peak_equal_\(tag)", (first.hotspots.first?.peak ?? 0) / 1e6, unit: "MPa", format: "%.0f"),
                    Quantity(
                        "peak_end_\(tag)", (run.snapshots.last!.hotspots.first?.peak ?? 0) / 1e6, unit: "MPa",
                        format: "%.0f"),
                    Quantity(
                        "spread_equal_\(tag)", Self.standardDeviation(run.diffusion.snapshots[Self.equalDepthIndex]),
                        unit: "", format: "%.3f"),
                ]
            }
            q.append(
                Quantity(
                    "equal_depth_capacity",
                    try r["rates"].point(where: ["cRate": 1]).stress.snapshots[Self.equalDepthIndex]
                        .capacityMilliampHoursPerGram, unit: "mAh g⁻¹", format: "%.1f"))
            q.append(Quantity("peak_ratio_2C_to_0p25C", equal.last! / max(equal.first!, 1), unit: "", format: "%.2f"))
            return q
        }

        Comparisons { r in
            let runs = try Self.rates.map { try r["rates"].point(where: ["cRate": $0]).stress }
            let equal = runs.map { $0.snapshots[Self.equalDepthIndex].hotspots.first?.peak ?? 0 }
            let spread = runs.map { Self.standardDeviation($0.diffusion.snapshots[Self.equalDepthIndex]) }
            let rising = zip(equal, equal.dropFirst()).allSatisfy { $0 < $1 }
            let heterogeneous = zip(spread, spread.dropFirst()).allSatisfy { $0 < $1 }
            return [
                Comparison(
                    "Mechanical hotspots intensify with C-rate at equal depth of discharge (1 = yes)", paper: 1,
                    computed: rising ? 1 : 0, unit: "", kind: .published,
                    source:
                        "Fig. S9/S10 text: \"electrochemical and mechanical hotspots intensify with increasing C-rate\""
                ),
                Comparison(
                    "Lithiation heterogeneity grows with C-rate (1 = yes)", paper: 1, computed: heterogeneous ? 1 : 0,
                    unit: "", kind: .published,
                    source: "same statement (electrochemical hotspots)"),
            ]
        }

        Tolerances(["peak_*": Tolerance(relative: 0.01)])
    }

    static func tag(_ rate: Double) -> String {
        String(format: "%g", rate).replacingOccurrences(of: ".", with: "p") + "C"
    }
    static func rateLabel(_ rate: Double) -> String { String(format: "%gC", rate) }

    static func standardDeviation(_ theta: [Double]) -> Double {
        let solid = theta.filter { !$0.isNaN }
        let mean = solid.reduce(0, +) / Double(max(solid.count, 1))
        return (solid.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(solid.count, 1))).squareRoot()
    }
}
