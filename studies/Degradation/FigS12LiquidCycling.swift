import CathodeModels
import Foundation
import Plotting
import ResultStore
import StudyKit

/// Paper Fig. S12: the dense cathode cycled in the solid-state cell and in a liquid-electrolyte cell with the same
/// damage laws. In the liquid cell the electrolyte wets the whole top face (nothing to delaminate) and the cracks
/// (which then do not block Li), so the damage that fades the solid cell leaves it untouched.
public struct FigS12LiquidCycling: Study {
    public let id = "figS12-liquid-cycling"
    public let title = "Cycling the dense cathode in a solid-state and in a liquid-electrolyte cell"
    public let paperFigure = "Fig. S12"
    public let template = "figS12-liquid-cycling"
    public init() {}

    static let cells: [(label: String, overrides: [String: Double])] = [
        ("solid-state cell", [:]),
        ("liquid cell", ["liquidElectrolyte": 1, "interfaceCondition": 0]),
    ]

    public var body: [StudyElement] {
        BaseParameters(Calibrated.dense, model: .cycling, overrides: Fig5aCycling.overrides)
        Sweep("runs", cases: Self.cells.map { SweepCase($0.label, $0.overrides) })

        FigureSpec(
            "cycling",
            caption:
                "Capacity per cycle at 1C of the Fig. 5(c) model system in the solid-state cell (the calibrated run of Fig. 5a) and in a liquid cell (1 M LiPF₆, Valøen–Reimers 2005; 25 µm separator), both with the damage laws of Fig. 5(a). Markers: cycles at which the discharge and the stresses were solved."
        ) { r in
            var layers: [Layer] = []
            for (k, cell) in Self.cells.enumerated() {
                let run = try r["runs"].point(cell.label).cycling
                layers.append(
                    Line(
                        x: run.capacity.indices.map { Double($0 + 1) }, y: run.capacity, label: cell.label,
                        color: Fig5aCycling.colours[k], dash: k == 0 ? .solid : .dashed
                    ).layer)
                layers.append(
                    Scatter(
                        x: run.solves.map { Double($0.cycle) }, y: run.solves.map(\.capacity),
                        color: Fig5aCycling.colours[k], marker: Marker(.circle, size: 2.2)
                    ).layer)
            }
            return Figure(width: .singleColumn, height: .cm(7)) {
                Panel(
                    x: Axis("Cycle", limits: 0...78), y: Axis("Capacity [mAh g^{-1}]", limits: 0...100),
                    legend: .auto, layers: layers)
            }
        }

        FigureSpec(
            "maps-75",
            caption:
                "After 75 cycles, solid-state cell (left) and liquid cell (right): (a, b) damage (cells cracked along (003) ⊥ or ∥ to the current collector; red marks at x = L: faces that lost contact), (c, d) c/c_max at the end of the 75th discharge. The liquid cell cracks as well, but its cracks are wetted and its top face cannot delaminate."
        ) { r in
            var damage: [Panel] = []
            var lithiation: [Panel] = []
            for cell in Self.cells {
                let run = try r["runs"].point(cell.label).cycling
                guard let snapshot = run.snapshots.last else {
                    throw StudyError.missingResult("no fields recorded for the \(cell.label)")
                }
                damage.append(
                    Panel(
                        title: RichText("\(cell.label): damage"),
                        x: Axis("y [µm]", niceLimits: false), y: Axis("x [µm]", niceLimits: false),
                        colorBar: Fig5aCycling.damageBar, aspectRatio: run.thickness / run.width,
                        layers: [
                            Heatmap(
                                Fig5aCycling.damageField(run, snapshot), colorMap: .viridis, range: .fixed(-0.5, 2.5)
                            )
                            .layer
                        ] + Fig5aCycling.lostContact(run, snapshot)))
                lithiation.append(
                    Panel(
                        title: RichText(String(format: "\(cell.label): %.1f mAh g^{-1}", snapshot.capacity)),
                        x: Axis("y [µm]", niceLimits: false), y: Axis("x [µm]", niceLimits: false),
                        colorBar: ColorBar("c/c_{max}"), aspectRatio: run.thickness / run.width,
                        layers: [
                            Heatmap(Fig5aCycling.field(run, snapshot.theta), colorMap: .viridis, range: .fixed(0.5, 1))
                                .layer
                        ]))
            }
            let panels = damage + lithiation
            return Figure(width: .doubleColumn, height: .cm(7.5), rows: 2, columns: 2, panels: panels)
        }

        Quantities { r in
            let solid = try r["runs"].point(Self.cells[0].label).cycling
            let liquid = try r["runs"].point(Self.cells[1].label).cycling
            return [
                Quantity("solid_first", solid.capacity[0], unit: "mAh g⁻¹", format: "%.1f"),
                Quantity("solid_75", solid.capacity[74], unit: "mAh g⁻¹", format: "%.1f"),
                Quantity("solid_retention_75", solid.retention[74], unit: "", format: "%.3f"),
                Quantity("liquid_first", liquid.capacity[0], unit: "mAh g⁻¹", format: "%.1f"),
                Quantity("liquid_75", liquid.capacity[74], unit: "mAh g⁻¹", format: "%.1f"),
                Quantity("liquid_retention_75", liquid.retention[74], unit: "", format: "%.3f"),
                Quantity("liquid_cracked_75", liquid.solves.last!.crackedFraction, unit: "", format: "%.2f"),
                Quantity("liquid_discharges", Double(liquid.dischargesComputed), unit: "", format: "%.0f"),
                Quantity("solid_discharges", Double(solid.dischargesComputed), unit: "", format: "%.0f"),
            ]
        }
    }
}
