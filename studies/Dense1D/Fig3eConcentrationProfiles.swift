import CathodeModels
import Foundation
import Plotting
import ResultStore
import StudyKit

/// Paper Fig. 3(e): Li concentration across the cathode depth at the end of discharge for cases A, B, C.
public struct Fig3eConcentrationProfiles: Study {
    public let id = "fig3e-concentration-profiles"
    public let title = "End-of-discharge Li concentration across the cathode depth (cases A, B, C)"
    public let paperFigure = "Fig. 3(e)"
    public let template = "fig3e-concentration-profiles"
    public init() {}

    public var body: [StudyElement] {
        BaseParameters(Calibrated.dense)
        Sweep(
            "cases",
            cases: Fig3dCapacityMap.cases.map {
                SweepCase($0.name, ["thicknessMicrometres": $0.thickness, "cRate": $0.cRate])
            })

        FigureSpec(
            "profiles",
            caption:
                "c/c_max through the cathode (x/L = 0 at the current collector, 1 at the SE interface) at the end of discharge for case A (20 µm, 0.2C), B (60 µm, 0.2C) and C (60 µm, 1C)."
        ) { r in
            let dashes: [Dash] = [.solid, .dashed, .dotted]
            let cases = try r["cases"].points
            let panel = Panel(
                x: Axis("Normalised depth x/L_{c}", limits: 0...1), y: Axis("c/c_{max}", limits: 0.5...1.0),
                legend: .auto,
                layers: cases.enumerated().map { k, p in
                    Line(
                        x: p.dense1d.depth, y: p.dense1d.profiles.last!,
                        label:
                            "\(p.label): \(Int(p.overrides["thicknessMicrometres"]!)) µm, \(rateLabel(p.overrides["cRate"]!))",
                        dash: dashes[k % 3]
                    ).layer
                } + [ReferenceLine(.horizontal, at: PaperCalibratedSets.value("theta0"), label: "θ_{0}").layer])
            return Figure(width: .singleColumn, height: .cm(6.5), panels: [panel])
        }

        Quantities { r in
            try r["cases"].points.flatMap { p in
                [
                    Quantity("capacity_case_\(p.label)", p.dense1d.capacity, unit: "mAh g⁻¹", format: "%.0f"),
                    Quantity(
                        "collector_stoichiometry_case_\(p.label)", p.dense1d.profiles.last!.first!, unit: "",
                        format: "%.2f"),
                    Quantity(
                        "surface_stoichiometry_case_\(p.label)", p.dense1d.surfaceStoichiometry.last!, unit: "",
                        format: "%.4f"),
                ]
            }
        }

        Comparisons { r in
            // The paper's Fig. 3(d) places case A in the non-limiting regime (above its 100 mAh g⁻¹ contour).
            [
                Comparison(
                    "case A capacity (non-limiting regime: above 100)", paper: 100,
                    computed: try r["cases"].point("A").dense1d.capacity,
                    unit: "mAh g⁻¹", kind: .derived, source: "Fig. 3(d, e): A lies above the 100 mAh g⁻¹ contour",
                    basis: .prediction)
            ]
        }
    }
}
