import CathodeModels
import Foundation
import Plotting
import ResultStore
import StudyKit

/// The composite model's calibration: published composite capacities beside the calibrated and the
/// uncalibrated (bulk-like percolation) model, with the residual table.
public struct CompositeCalibrationStudy: Study {
    public let id = "composite-calibration"
    public let title = "Calibration of the composite-cathode transport against the paper's composite results"
    public let paperFigure = "Fig. 7, S13 (composites)"
    public let template = "composite-calibration"
    public init() {}

    static let cases = CompositeCalibration.targets.map { SweepCase($0.name, $0.overrides) }

    public var body: [StudyElement] {
        BaseParameters("compositeCalibrated", model: .composite)
        Sweep("calibrated", cases: Self.cases)
        Sweep("uncalibrated", cases: Self.cases, base: BaseParameters("composite", model: .composite))

        FigureSpec("residuals", caption: "Composite capacities at the nine calibration targets: the paper's values (printed numbers with ±2 mAh g⁻¹; qualitative statements as wide ranges, shown as error bars), the calibrated model (Archie transport) and the uncalibrated default (percolation, σ₀ = 1 mS cm⁻¹, φ_c = 0.2, t = 2).") { r in
            let targets = CompositeCalibration.targets
            let x = targets.indices.map(Double.init)
            let cal = try r["calibrated"].points.map(\.composite.capacity)
            let raw = try r["uncalibrated"].points.map(\.composite.capacity)
            return Figure(width: .doubleColumn, height: .cm(7.5)) {
                Panel(x: Axis("Calibration target (CAM content, C-rate)", limits: -0.5...Double(targets.count) - 0.5, ticks: x,
                              tickLabels: targets.map { RichText($0.name.replacingOccurrences(of: " wt%,", with: "%")) }),
                      y: Axis("Capacity [mAh g^{-1}]", limits: 0...140), legend: .below) {
                    Scatter(x: x, y: targets.map(\.published), yError: targets.map(\.sigma), label: "paper (± range)", color: .black, marker: Marker(.square, size: 4))
                    Scatter(x: x.map { $0 + 0.15 }, y: cal, label: "calibrated (Archie)", color: .blue, marker: Marker(.circle, size: 4.5))
                    Scatter(x: x.map { $0 - 0.15 }, y: raw, label: "uncalibrated (percolation)", color: .vermillion, marker: Marker(.triangle, size: 4.5, filled: false))
                }
            }
        }

        Quantities { r in
            let c = CompositeParameterSet.compositeCalibrated.cell
            guard case let .archie(s, m) = c.ionicTransport else { return [] }
            var q = [Quantity("fitted_sigma0_mS_per_cm", s * 10, unit: "mS cm⁻¹", format: "%.4f"),
                     Quantity("fitted_archie_exponent", m, unit: "", format: "%.2f"),
                     Quantity("fitted_particle_radius", c.particleRadius * 1e6, unit: "µm", format: "%.2f")]
            let cal = try r["calibrated"].points, raw = try r["uncalibrated"].points
            let targets = CompositeCalibration.targets
            let chi = zip(cal, targets).reduce(0.0) { $0 + pow(($1.0.composite.capacity - $1.1.published) / $1.1.sigma, 2) }
            let chiRaw = zip(raw, targets).reduce(0.0) { $0 + pow(($1.0.composite.capacity - $1.1.published) / $1.1.sigma, 2) }
            q.append(Quantity("cost_calibrated", 0.5 * chi, unit: "", format: "%.2f"))
            q.append(Quantity("cost_uncalibrated", 0.5 * chiRaw, unit: "", format: "%.1f"))
            q.append(Quantity("uncalibrated_80wt_0p5C", try r["uncalibrated"].point("80 wt%, 0.5C").composite.capacity, unit: "mAh g⁻¹", format: "%.0f"))
            q.append(Quantity("uncalibrated_90wt_0p5C", try r["uncalibrated"].point("90 wt%, 0.5C").composite.capacity, unit: "mAh g⁻¹", format: "%.0f"))
            q.append(Quantity("calibrated_90wt_0p5C", try r["calibrated"].point("90 wt%, 0.5C").composite.capacity, unit: "mAh g⁻¹", format: "%.0f"))
            return q
        }

        Comparisons { r in
            try zip(r["calibrated"].points, CompositeCalibration.targets).map { p, t in
                Comparison("\(t.name) (σ = \(Int(t.sigma)))", paper: t.published, computed: p.composite.capacity, unit: "mAh g⁻¹",
                           kind: t.source.hasPrefix("[D]") ? .derived : .published, source: t.source)
            }
        }
    }
}
