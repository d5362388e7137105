import CathodeModels
import Foundation
import Materials
import Plotting
import ResultStore

/// Paper Fig. 3(e): Li concentration across the cathode depth at the end of discharge for cases A, B, C.
public struct Fig3eConcentrationProfiles: Study {
    public let id = "fig3e-concentration-profiles"
    public let title = "End-of-discharge Li concentration across the cathode depth (cases A, B, C)"
    public let paperFigure = "Fig. 3(e)"
    public init() {}

    public func run() throws -> StudyOutput {
        let cases = Fig3dCapacityMap.cases
        let results = try parallelMap(cases.count) { try Dense1DStudySupport.run(cRate: cases[$0].cRate, thicknessMicrometres: cases[$0].thickness) }
        var out = StudyOutput()
        let dashes: [Dash] = [.solid, .dashed, .dotted]
        let panel = Panel(x: Axis("Normalised depth x/L_{c}", limits: 0...1),
                          y: Axis("c/c_{max}", limits: 0.5...1.0), legend: .auto, layers: cases.enumerated().map { k, c in
            Line(x: results[k].depth, y: results[k].profiles.last!, label: "\(c.name): \(Int(c.thickness)) µm, \(rateLabel(c.cRate))", dash: dashes[k]).layer
        } + [ReferenceLine(.horizontal, at: Dense1DStudySupport.base.cell.initialStoichiometry, label: "θ_{0}").layer])
        out.figures.append(StudyFigure("profiles", caption: "c/c_max through the cathode (x/L = 0 at the current collector, 1 at the SE interface) at the end of discharge for case A (20 µm, 0.2C), B (60 µm, 0.2C) and C (60 µm, 1C).",
                                       figure: Figure(width: .singleColumn, height: .cm(6.5), panels: [panel])))
        var cols: [(String, [Double])] = []
        for (k, c) in cases.enumerated() {
            cols.append(("case \(c.name) depth x/L [-]", results[k].depth))
            cols.append(("case \(c.name) c/c_max [-]", results[k].profiles.last!))
            let p = results[k].profiles.last!
            out.quantities.append(Quantity("capacity_case_\(c.name)", results[k].capacity, unit: "mAh g⁻¹"))
            out.quantities.append(Quantity("collector_stoichiometry_case_\(c.name)", p.first!, unit: "", format: "%.3f"))
            out.quantities.append(Quantity("surface_stoichiometry_case_\(c.name)", results[k].surfaceStoichiometry.last!, unit: "", format: "%.4f"))
        }
        out.tables.append(("profiles", CSVTable(cols)))
        func q(_ n: String) -> Double { out.quantities.first { $0.name == n }!.value }
        out.narrative = """
        In case A (20 µm, 0.2C) the profile is nearly flat: the whole depth is used and the cathode delivers \
        \(String(format: "%.0f", q("capacity_case_A"))) mAh g⁻¹. In the thick cathode at the same rate (case B) Li \
        piles up at the interface — c/c_max reaches 1 there while the current-collector side stays at \
        \(String(format: "%.2f", q("collector_stoichiometry_case_B"))) — and the capacity falls to \
        \(String(format: "%.0f", q("capacity_case_B"))) mAh g⁻¹. At 1C (case C) the lithiated layer is thinner still \
        (collector side \(String(format: "%.2f", q("collector_stoichiometry_case_C"))), \
        \(String(format: "%.0f", q("capacity_case_C"))) mAh g⁻¹). This reproduces the paper's qualitative finding for \
        Fig. 3(e): concentration build-up near the cathode/SE interface for high thickness (B) and high thickness \
        and C-rate (C), which raises the kinetic overpotential (i₀ ∝ √(θ_s(1 − θ_s)) → 0) and ends the discharge. The \
        paper gives no values for A, B, C or their coordinates; the cases follow physics.md §2.10.
        """
        out.parameters = Dense1DStudySupport.parameters(Dense1DStudySupport.setup(cRate: 1))
        out.citations = Dense1DStudySupport.base.citations
        return out
    }
}
