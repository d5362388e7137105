import Foundation
import Plotting
import ResultStore
import Testing
@testable import BundleDiff
@testable import StudyKit

/// A small study with a curve and a 2D field, with knobs that change exactly one thing.
struct DiffStudy: Study {
    let id = "diff-study"
    let title = "Diff test study"
    let paperFigure = "none"
    let template = "diff-study"
    var diffusivity = 1.5e-9
    var thicknesses = [15.0, 25.0]
    var rates = [0.5, 1.0]
    var capacityTolerance: Tolerance? = nil

    var body: [StudyElement] {
        BaseParameters("paperHalfCell", overrides: ["cells": 16, "diffusivityCm2PerS": diffusivity])
        Sweep("map", x: SweepAxis("cRate", values: rates, unit: "h⁻¹"), y: SweepAxis("thicknessMicrometres", values: thicknesses, unit: "µm"))
        Sweep("curve", SweepAxis("cRate", values: [1], unit: "h⁻¹"))
        FigureSpec("map", caption: "map") { r in
            let f = try r["map"].field { $0.dense1d.capacity }
            return Figure { Panel(x: Axis("C-rate [h^{-1}]"), y: Axis("L [µm]"), colorBar: ColorBar("Q [mAh g^{-1}]")) { Heatmap(f) } }
        }
        FigureSpec("curve", caption: "curve") { r in
            let d = try r["curve"].points[0].dense1d
            return Figure { Panel(x: Axis("Q [mAh g^{-1}]"), y: Axis("V [V]")) { Line(x: d.capacityMilliampHoursPerGram, y: d.voltage, label: "1C") } }
        }
        Quantities { r in
            [Quantity("capacity_1C", try r["curve"].points[0].dense1d.capacity, unit: "mAh g⁻¹"),
             Quantity("separator_resistance", 25, unit: "Ω cm²")]
        }
        if let t = capacityTolerance { Tolerances(["capacity_*": t]) }
    }
}

@Suite(.serialized) struct BundleDiffTests {
    let root: URL
    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("bundlediff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("templates"), withIntermediateDirectories: true)
        try Data("{{capacity_1C}}\n".utf8).write(to: root.appendingPathComponent("templates/diff-study.md"))
    }

    func bundles(_ name: String, _ study: DiffStudy) -> URL {
        let out = root.appendingPathComponent(name)
        let runner = StudyRunner(options: ReportOptions(outputRoot: out, templates: .folder(root.appendingPathComponent("templates")), jobs: 2, dpi: 50),
                                 progress: ProgressReporter(mode: .quiet))
        #expect(runner.run([study])[0].error == nil)
        return out
    }

    @Test func identicalBundlesDiffToNothing() throws {
        let r = try BundleDiff(old: bundles("a", DiffStudy()), new: bundles("b", DiffStudy())).compare()
        #expect(!r.hasChanges && r.withinTolerance)
        #expect(r.summary.hasPrefix("no changes"))
    }

    /// Changing D_eff changes the capacity, the curve and the field — and not the separator resistance.
    @Test func aParameterChangeShowsUpInExactlyTheAffectedQuantities() throws {
        let r = try BundleDiff(old: bundles("a", DiffStudy()), new: bundles("b", DiffStudy(diffusivity: 2e-9))).compare()
        let s = r.studies[0]
        #expect(s.quantities.first { $0.name == "capacity_1C" }?.status == .changed)
        #expect(s.quantities.first { $0.name == "separator_resistance" }?.status == .same)
        #expect(s.series.filter { $0.status == .changed }.map(\.label) == ["1C"])
        #expect(s.fields.count == 1 && s.fields[0].status == .changed)
        #expect(!r.withinTolerance)
        // The difference map is new − old on the same grid, with the sign of the change (faster diffusion → more capacity).
        #expect(s.fields[0].difference.allSatisfy { $0 >= 0 } && s.fields[0].maxAbsoluteChange > 0)
        let out = root.appendingPathComponent("report")
        try DiffReportWriter.write(r, to: out)
        let md = try String(contentsOf: out.appendingPathComponent("diff.md"), encoding: .utf8)
        #expect(md.contains("`capacity_1C`") && md.contains("CHANGED"))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("figures/diff-study--map-field1-difference.png").path))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("figures/diff-study--curve-overlay.png").path))
    }

    /// A declared tolerance wide enough turns the same change into "within tolerance".
    @Test func declaredTolerancesApply() throws {
        let loose = Tolerance(relative: 0.5)
        let r = try BundleDiff(old: bundles("a", DiffStudy(capacityTolerance: loose)), new: bundles("b", DiffStudy(diffusivity: 1.6e-9, capacityTolerance: loose)),
                               defaultTolerance: Tolerance(relative: 1)).compare()
        #expect(r.studies[0].quantities.first { $0.name == "capacity_1C" }?.status == .withinTolerance)
        #expect(r.withinTolerance)
    }

    /// Fields on different grids are compared on the old grid (the new one covers it).
    @Test func fieldsOnDifferentGridsAreInterpolated() throws {
        let r = try BundleDiff(old: bundles("a", DiffStudy()), new: bundles("b", DiffStudy(thicknesses: [15, 20, 25]))).compare()
        let f = r.studies[0].fields[0]
        #expect(f.note?.contains("interpolated bilinearly") == true)
        #expect(f.difference.count == 4)
        let narrower = try BundleDiff(old: bundles("c", DiffStudy(thicknesses: [15, 30])), new: bundles("d", DiffStudy())).compare()
        #expect(narrower.studies[0].fields[0].status == .incomparable)
    }

    @Test func addedAndRemovedStudiesAndSeries() throws {
        let a = bundles("a", DiffStudy())
        let empty = root.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: a.appendingPathComponent("diff-study"), to: empty.appendingPathComponent("renamed"))
        // Same study id in both → compared; now remove the manifest's study from one side.
        let r = try BundleDiff(old: a, new: a).compare()
        #expect(!r.hasChanges)
        #expect(throws: DiffError.self) { try BundleDiff(old: a, new: root.appendingPathComponent("templates")).compare() }
        let moreRates = try BundleDiff(old: a, new: bundles("e", DiffStudy(rates: [0.5, 1, 2]))).compare()
        #expect(moreRates.studies[0].fields[0].status != .same)
    }
}
