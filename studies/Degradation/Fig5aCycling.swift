import CathodeModels
import Foundation
import Plotting
import ResultStore
import StudyKit

/// Paper Fig. 5(a, b): capacity fade of the dense cathode cycled at 1C, from bulk cracking along (003) and
/// delamination of the LCO/SE interface, on the Fig. 5(c) model system and on its well-oriented twin.
public struct Fig5aCycling: Study {
    public let id = "fig5a-cycling"
    public let title = "Capacity fade with cycling: bulk cracking and interface delamination of the model cathode at 1C"
    public let paperFigure = "Fig. 5(a, b)"
    public let template = "fig5a-cycling"
    public init() {}

    /// The cycled section: the Fig. 5(d) model system (same grid, D_f and calibrated Model B) at 1C, 75 cycles, fields
    /// every 25 cycles; Model B with 50 steps per nominal hour (the model system's 1C capacity moves by < 0.002 mAh g⁻¹
    /// from 800). The damage laws are the defaults, the interface Paris law among them the fitted one
    /// (`CyclingCalibratedValues`).
    public static var overrides: [String: Double] {
        Fig5dModelSystem.overrides.merging([
            "cRate": 1, "cycles": 75, "recordIntervalCycles": 25, "snapshotCount": 0, "stepsPerNominal": 50,
        ]) { $1 }
    }

    static let systems: [(label: String, overrides: [String: Double])] = [
        ("Fig. 5(c) system", [:]),
        ("well-oriented twin", ["modelSystemMisorientedFraction": 0]),
    ]
    static let mapCycles = [25, 50, 75]
    static let colours: [Color] = [.blue, .orange]
    static let damageBar = ColorBar("Damage", categories: ["intact", "crack ⊥ CC", "crack ∥ CC"])
    static let crackColours: [Color] = [.vermillion, .green]

    /// The cycling calibration's grid points by their squared retention error at the two fitted cycles, best first.
    static var gridErrors: [(exponent: Double, error: Double, retention50: Double)] {
        CyclingCalibratedValues.grid.map { point in
            (point.exponent, CyclingCalibration.cost(point.retention), point.retention[1])
        }.sorted { $0.error < $1.error }
    }

    public var body: [StudyElement] {
        BaseParameters(Calibrated.dense, model: .cycling, overrides: Self.overrides)
        Sweep("runs", cases: Self.systems.map { SweepCase($0.label, $0.overrides) })

        FigureSpec(
            "fade",
            caption:
                "(a) Capacity retention Q_N/Q_1 of the model system cycled at 1C (charged back to θ₀ after every discharge), with the paper's Fig. 5(a) (86, 81, 62, 34 mAh g⁻¹ after 1, 25, 50, 75 cycles, as retention). The interface fatigue law (C_i, m_i) is fitted to the retention after 25 and 75 cycles (filled squares); the 50-cycle point (open square) is a prediction. Dashed: the well-oriented twin (the same grains, none turned by 90°), with the same laws. Markers on the curves: cycles at which the discharge and the stresses were solved (between them the damage is extrapolated by cycle jumping). (b) Bonded fraction of the interface and share of the solid cells cracked across the through-thickness direction ((003) ∥ CC) at those cycles."
        ) { r in
            var retention: [Layer] = []
            var damage: [Layer] = []
            for (k, system) in Self.systems.enumerated() {
                let run = try r["runs"].point(system.label).cycling
                let cycles = run.capacity.indices.map { Double($0 + 1) }
                let q = run.retention
                let solved = run.solves.map { Double($0.cycle) }
                retention.append(
                    Line(
                        x: cycles, y: q, label: "model: \(system.label)", color: Self.colours[k],
                        dash: k == 0 ? .solid : .dashed
                    ).layer)
                retention.append(
                    Scatter(
                        x: solved, y: run.solves.map { $0.capacity / run.capacity[0] }, color: Self.colours[k],
                        marker: Marker(.circle, size: 2.2)
                    ).layer)
                damage.append(
                    Line(
                        x: solved, y: run.solves.map(\.contactFraction), label: "bonded interface, \(system.label)",
                        color: Self.colours[k], dash: k == 0 ? .solid : .dashed, marker: Marker(.circle, size: 2.2)
                    ).layer)
                damage.append(
                    Line(
                        x: solved, y: run.solves.map(\.blockingCrackedFraction),
                        label: "cracked ∥ CC, \(system.label)", color: Self.crackColours[k],
                        dash: k == 0 ? .solid : .dashed, marker: Marker(.triangle, size: 2.2)
                    ).layer)
            }
            let fitted = CyclingCalibration.published.filter { $0.cycle != CyclingCalibration.predictedCycle }
            retention.append(
                Scatter(
                    x: fitted.map { Double($0.cycle) }, y: fitted.map { $0.capacity / 86 },
                    label: "paper Fig. 5(a) (fitted, and cycle 1)", color: .black, marker: Marker(.square, size: 4)
                ).layer)
            retention.append(
                Scatter(
                    x: [Double(CyclingCalibration.predictedCycle)],
                    y: [CyclingCalibration.publishedRetention(CyclingCalibration.predictedCycle)],
                    label: "paper Fig. 5(a) (predicted)", color: .black, marker: Marker(.square, size: 4, filled: false)
                ).layer)
            return Figure(width: .doubleColumn, height: .cm(7), columns: 2) {
                Panel(
                    x: Axis("Cycle", limits: 0...78), y: Axis("Capacity retention Q_{N}/Q_{1}", limits: 0...1.05),
                    legend: .auto, layers: retention)
                Panel(
                    x: Axis("Cycle", limits: 0...78), y: Axis("Fraction", limits: 0...1), legend: .auto, layers: damage)
            }
        }

        FigureSpec(
            "damage-maps",
            caption:
                "Damage before the discharge of cycles 25, 50 and 75 (rows: the Fig. 5(c) system, its well-oriented twin): cells cracked along (003) perpendicular to the current collector (harmless to through-thickness transport) or parallel to it (blocking), grey pores and cracks of the pristine system, and the interface faces that have lost contact (red marks at x = L)."
        ) { r in
            var panels: [Panel] = []
            for (row, system) in Self.systems.enumerated() {
                let run = try r["runs"].point(system.label).cycling
                for cycle in Self.mapCycles {
                    guard let snapshot = run.snapshots.first(where: { $0.cycle == cycle }) else {
                        throw StudyError.missingResult("no fields recorded at cycle \(cycle) for \(system.label)")
                    }
                    panels.append(
                        Panel(
                            title: RichText("\(row == 0 ? "Fig. 5(c) system" : "well-oriented twin"), cycle \(cycle)"),
                            x: Axis("y [µm]", niceLimits: false), y: Axis("x [µm]", niceLimits: false),
                            colorBar: cycle == Self.mapCycles.last ? Self.damageBar : nil,
                            aspectRatio: run.thickness / run.width,
                            layers: [
                                Heatmap(Self.damageField(run, snapshot), colorMap: .viridis, range: .fixed(-0.5, 2.5))
                                    .layer
                            ] + Self.lostContact(run, snapshot)))
                }
            }
            return Figure(width: .doubleColumn, height: .cm(6.6), rows: 2, columns: 3, panels: panels)
        }

        FigureSpec(
            "lithiation-maps",
            caption:
                "c/c_max at the end of the 1C discharge of cycles 1, 25, 50 and 75 in the Fig. 5(c) system (titled with the capacity of that cycle): the grains under faces that lost contact stay delithiated, and cracks parallel to the current collector cut the grains below them off."
        ) { r in
            let run = try r["runs"].point(Self.systems[0].label).cycling
            var panels: [Panel] = []
            for snapshot in run.snapshots.filter({ [1, 25, 50, 75].contains($0.cycle) }) {
                panels.append(
                    Panel(
                        title: RichText(String(format: "cycle %d: %.1f mAh g^{-1}", snapshot.cycle, snapshot.capacity)),
                        x: Axis("y [µm]", niceLimits: false), y: Axis("x [µm]", niceLimits: false),
                        colorBar: ColorBar("c/c_{max}"), aspectRatio: run.thickness / run.width,
                        layers: [
                            Heatmap(Self.field(run, snapshot.theta), colorMap: .viridis, range: .fixed(0.5, 1)).layer
                        ] + Self.lostContact(run, snapshot)))
            }
            return Figure(width: .doubleColumn, height: .cm(7.5), rows: 2, columns: 2, panels: panels)
        }

        DataTable("retention") { r in
            var columns: [(String, [Double])] = []
            for system in Self.systems {
                let run = try r["runs"].point(system.label).cycling
                if columns.isEmpty { columns.append(("cycle", run.capacity.indices.map { Double($0 + 1) })) }
                columns.append(("capacity \(system.label) [mAh g-1]", run.capacity))
                columns.append(("solved \(system.label) [0/1]", run.solvedCycle.map { $0 ? 1 : 0 }))
            }
            return CSVTable(columns)
        }

        // The cycling calibration's whole grid: which exponent was chosen, and whether it is the grid's edge.
        TextTableSpec("exponent-grid") { _ in
            let chosen = CyclingCalibratedValues.interfaceParisExponent
            let published = [25, 50, 75].map { CyclingCalibration.publishedRetention($0) }
            return TextTable(
                columns: [
                    "m_i", "C_i [m per cycle]", "retention 25 (fit)", "retention 50 (prediction)", "retention 75 (fit)",
                    "squared error at 25 and 75", "",
                ],
                alignments: [.right, .right, .right, .right, .right, .right, .left],
                rows: [
                    [
                        "paper", "", String(format: "%.3f", published[0]), String(format: "%.3f", published[1]),
                        String(format: "%.3f", published[2]), "", "",
                    ]
                ]
                    + CyclingCalibratedValues.grid.enumerated().map { index, point in
                        let error = CyclingCalibration.cost(point.retention)
                        let edge = index == 0 || index == CyclingCalibratedValues.grid.count - 1
                        return [
                            String(format: "%g", point.exponent), String(format: "%.2e", point.rate),
                            String(format: "%.3f", point.retention[0]), String(format: "%.3f", point.retention[1]),
                            String(format: "%.3f", point.retention[2]), String(format: "%.1e", error),
                            point.exponent == chosen ? (edge ? "**chosen** (edge of the grid)" : "**chosen**") : "",
                        ]
                    })
        }

        Quantities { r in
            let run = try r["runs"].point(Self.systems[0].label).cycling
            let twin = try r["runs"].point(Self.systems[1].label).cycling
            let last = run.solves.last!
            return [
                Quantity("first_capacity", run.capacity[0], unit: "mAh g⁻¹", format: "%.1f"),
                Quantity("retention_25", run.retention[24], unit: "", format: "%.3f"),
                Quantity("retention_50", run.retention[49], unit: "", format: "%.3f"),
                Quantity("retention_75", run.retention[74], unit: "", format: "%.3f"),
                Quantity("capacity_75", run.capacity[74], unit: "mAh g⁻¹", format: "%.1f"),
                Quantity("twin_first_capacity", twin.capacity[0], unit: "mAh g⁻¹", format: "%.1f"),
                Quantity("twin_retention_50", twin.retention[49], unit: "", format: "%.3f"),
                Quantity("twin_retention_75", twin.retention[74], unit: "", format: "%.3f"),
                Quantity("contact_start", run.solves[0].contactFraction, unit: "", format: "%.2f"),
                Quantity("contact_75", last.contactFraction, unit: "", format: "%.2f"),
                Quantity("twin_contact_75", twin.solves.last!.contactFraction, unit: "", format: "%.2f"),
                Quantity("cracked_75", last.crackedFraction, unit: "", format: "%.2f"),
                Quantity("blocking_75", last.blockingCrackedFraction, unit: "", format: "%.3f"),
                Quantity("twin_blocking_75", twin.solves.last!.blockingCrackedFraction, unit: "", format: "%.3f"),
                Quantity("discharges", Double(run.solves.count), unit: "", format: "%.0f"),
                Quantity(
                    "paris_rate", CyclingCalibratedValues.interfaceParisRateMetresPerCycle, unit: "m per cycle",
                    format: "%.2e"),
                Quantity("paris_exponent", CyclingCalibratedValues.interfaceParisExponent, unit: "", format: "%.1f"),
                Quantity("chosen_error", Self.gridErrors[0].error, unit: "", format: "%.1e"),
                Quantity("runner_up_exponent", Self.gridErrors[1].exponent, unit: "", format: "%.0f"),
                Quantity("runner_up_error", Self.gridErrors[1].error, unit: "", format: "%.1e"),
                Quantity("runner_up_retention_50", Self.gridErrors[1].retention50, unit: "", format: "%.3f"),
                Quantity("adhesion_strength", CyclingDefaults.adhesionStrengthMPa, unit: "MPa", format: "%.0f"),
                Quantity(
                    "interface_toughness", CyclingDefaults.interfaceToughnessMPaSqrtM, unit: "MPa m^½", format: "%.2f"),
                Quantity("bulk_strength", CyclingDefaults.bulkStrengthMPa, unit: "MPa", format: "%.0f"),
            ]
        }

        Comparisons { r in
            let run = try r["runs"].point(Self.systems[0].label).cycling
            return [25, 50, 75].map { cycle in
                Comparison(
                    "capacity retention after \(cycle) cycles at 1C, Q_\(cycle)/Q_1",
                    paper: CyclingCalibration.publishedRetention(cycle), computed: run.retention[cycle - 1], unit: "",
                    kind: .derived,
                    source:
                        "Fig. 5(a): \(Int(CyclingCalibration.published.first { $0.cycle == cycle }!.capacity))/86 mAh g⁻¹",
                    basis: cycle == CyclingCalibration.predictedCycle ? .prediction : .fitted)
            }
        }
    }

    /// Categories per cell: 0 intact, 1 cracked with (003) ⊥ CC, 2 cracked with (003) ∥ CC; holes masked.
    static func damageField(_ run: CyclingResult, _ snapshot: CyclingSnapshot) -> Field2D {
        let values = (0..<(run.nx * run.ny)).map { k -> Double in
            guard snapshot.cracked[k] else { return 0 }
            return abs(cos(run.cellAngle[k])) >= abs(sin(run.cellAngle[k])) ? 1 : 2
        }
        return Field2D(x: yCentres(run), y: xCentres(run), values: values, mask: run.hole)
    }

    static func field(_ run: CyclingResult, _ values: [Double]) -> Field2D {
        Field2D(
            x: yCentres(run), y: xCentres(run), values: values.map { $0.isNaN ? 0 : $0 },
            mask: values.contains(where: \.isNaN) ? values.map(\.isNaN) : nil)
    }

    /// Red marks at x = L over the faces that are not bonded (no layer when every face is, or in a liquid cell, which
    /// wets the whole top).
    static func lostContact(_ run: CyclingResult, _ snapshot: CyclingSnapshot) -> [Layer] {
        let ys = yCentres(run)
        let open = run.liquid ? [] : (0..<run.ny).filter { !snapshot.contact[$0] }
        guard !open.isEmpty else { return [] }
        return [
            Scatter(
                x: open.map { ys[$0] }, y: open.map { _ in xCentres(run).last! }, color: .vermillion,
                marker: Marker(.square, size: 2)
            ).layer
        ]
    }

    static func yCentres(_ run: CyclingResult) -> [Double] {
        (0..<run.ny).map { (Double($0) + 0.5) * run.width / Double(run.ny) * 1e6 }
    }
    static func xCentres(_ run: CyclingResult) -> [Double] {
        (0..<run.nx).map { (Double($0) + 0.5) * run.thickness / Double(run.nx) * 1e6 }
    }
}
