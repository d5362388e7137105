import CathodeModels
import Foundation
import Plotting
import ResultStore
import Testing
@testable import StudyKit

/// A `Sensitivity` element on fast Model A runs: Morris screening then a Saltelli design, as a two-stage plan.
struct TinySensitivityStudy: Study {
    var id = "tiny-sensitivity"
    let title = "Tiny sensitivity"
    let paperFigure = "none"
    let template = "tiny-sensitivity"
    var samples = 8
    var duplicateInput = false

    static let run = TargetRun(.dense1d, base: "paperHalfCell", ["cRate": 1, "cells": 16])

    var inputs: [UncertainParameter] {
        var list = [
            UncertainParameter(
                "diffusivity", symbol: "D", unit: "cm² s⁻¹", range: 5e-10...5e-9, scale: .log, nominal: 1.5e-9,
                source: "test",
                applies: ["dense1d": ["diffusivityCm2PerS"]]),
            UncertainParameter(
                "window", symbol: "θ_0", unit: "–", range: 0.49...0.55, scale: .linear, nominal: 0.52, source: "test",
                applies: ["dense1d": ["initialStoichiometry"]]),
            // Sets no Model A name: must not enter the design of a Model A output.
            UncertainParameter(
                "anisotropy", symbol: "D_s/D_f", unit: "–", range: 1e-4...1e-2, scale: .log, nominal: 1e-3,
                source: "test",
                applies: ["dense2d": ["anisotropyRatio"]]),
        ]
        if duplicateInput { list.append(list[0]) }
        return list
    }

    var body: [StudyElement] {
        BaseParameters("paperHalfCell")
        Sensitivity(
            "tiny", parameters: inputs,
            outputs: [
                SensitivityOutput("capacity", symbol: "Q", unit: "mAh g⁻¹", runs: [Self.run]) { $0[0].dense1d.capacity }
            ],
            samples: samples, screening: .init(trajectories: 4, levels: 4, keepFraction: 0.05), resamples: 200, seed: 11
        )
        Quantities { r in
            let output = try r.sensitivity("tiny").output("capacity")
            return output.inputs.map { Quantity("total_\($0.name)", $0.total?.value ?? -1, unit: "", format: "%.3f") }
        }
    }
}

/// A study that reports a calibration (the straight-line fit of CalibrationTests) next to a few Model A runs.
struct TinyCalibratedStudy: Study {
    let id = "tiny-calibrated"
    let title = "Tiny calibrated"
    let paperFigure = "none"
    let template = "tiny-calibrated"

    var body: [StudyElement] {
        BaseParameters("paperHalfCell", overrides: ["cells": 16])
        Sweep("rates", SweepAxis("cRate", values: [0.5, 1], unit: "h⁻¹"))
        CalibrationElement(CalibrationTests.Straight())
        Quantities { r in
            let fit = try r.calibration("test-straight")
            return [
                Quantity("slope", fit.values["c1"]!, unit: "", format: "%.6f"),
                Quantity("capacity_1C", try r["rates"].points[1].dense1d.capacity, unit: "mAh g⁻¹"),
            ]
        }
    }
}

@Suite(.serialized) struct SensitivityTests {
    let root: URL
    let templates: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("sensitivity-\(UUID().uuidString)")
        templates = root.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try Data("D: {{total_diffusivity}}, θ₀: {{total_window}}\n".utf8).write(
            to: templates.appendingPathComponent("tiny-sensitivity.md"))
        try Data("slope {{slope}}, {{capacity_1C}}\n".utf8).write(
            to: templates.appendingPathComponent("tiny-calibrated.md"))
    }

    func runner(_ folder: String, computeMissing: Bool = true, jobs: Int = 2) -> StudyRunner {
        var options = ReportOptions(
            outputRoot: root.appendingPathComponent(folder), templates: .folder(templates), jobs: jobs, dpi: 60)
        options.computeMissing = computeMissing
        return StudyRunner(options: options, progress: ProgressReporter(mode: .quiet))
    }

    func files(_ folder: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)!
        for case let url as URL in walker where !url.hasDirectoryPath && url.lastPathComponent != "timings.json" {
            out[String(url.path.dropFirst(folder.path.count))] = try Data(contentsOf: url)
        }
        return out
    }

    /// The screening decides the Saltelli runs, so the plan has two stages: before the screening is cached only its
    /// runs are known; `report` runs both; the result has indices only for the inputs that touch the output.
    @Test func screeningThenSaltelliAsTwoStages() throws {
        let study = TinySensitivityStudy()
        let first = try runner("one").plan(study)
        #expect(first.pendingStages == 1)
        // Morris: r(k + 1) points for the k = 2 inputs that set a Model A name.
        #expect(first.jobs.flatMap { $0 }.count == 4 * 3)
        #expect(StudyRunner.stageCount([study]) == 2)

        let outcome = runner("one").run([study])[0]
        #expect(outcome.error == nil, "\(outcome.error ?? "")")
        let plan = try runner("one").plan(study)
        #expect(plan.pendingStages == 0)
        let design = plan.sensitivities[0].designs[0]
        #expect(design.inputs == [0, 1], "the dense2d-only input entered a Model A design")
        let kept = try #require(design.kept)
        #expect(plan.jobs.flatMap { $0 }.count == 4 * 3 + 8 * (kept.count + 2))
        // D dominates the 1C capacity of a thin cathode far more than a ±3 % window: kept, with the larger total index.
        #expect(kept.contains(0))
        let quantities = try JSONDecoder().decode(
            [Quantity].self,
            from: Data(contentsOf: root.appendingPathComponent("one/tiny-sensitivity/data/quantities.json")))
        let total = Dictionary(uniqueKeysWithValues: quantities.map { ($0.name, $0.value) })
        #expect(total["total_diffusivity"]! > 0.5, "\(total)")
        #expect(total["total_anisotropy"] == nil)

        // A rerun computes nothing and writes the same bytes.
        let before = try files(root.appendingPathComponent("one/tiny-sensitivity"))
        let again = runner("one").run([study])[0]
        #expect(again.error == nil && again.computed == 0)
        #expect(try files(root.appendingPathComponent("one/tiny-sensitivity")) == before)
    }

    /// Several studies on two workers take the overlapped path: the calibration fits on its own thread during the
    /// pooled runs, and the study whose runs are all known after the first pass is written while the Saltelli pass
    /// computes. One worker takes the plain path (everything in turn). Both must write the same bytes.
    @Test func overlappedReportWritesTheSameBundlesAsTheSerialOne() throws {
        let studies: [any Study] = [TinyCalibratedStudy(), TinySensitivityStudy()]
        let overlapped = runner("overlapped").run(studies)
        let serial = runner("serial", jobs: 1).run(studies)
        for outcome in overlapped + serial { #expect(outcome.error == nil, "\(outcome.id): \(outcome.error ?? "")") }
        for study in studies {
            let a = try files(root.appendingPathComponent("overlapped/\(study.id)"))
            let b = try files(root.appendingPathComponent("serial/\(study.id)"))
            #expect(!a.isEmpty && a.keys.sorted() == b.keys.sorted(), "\(study.id)")
            for (name, data) in a { #expect(b[name] == data, "\(study.id): \(name) differs") }
        }
    }

    /// On a cluster the stages are consecutive array jobs: shards of the first round compute the screening (and
    /// cannot know the rest), the second round the Saltelli runs; the assembled bundle equals a one-machine run.
    @Test func shardedStagesMatchAOneMachineRun() throws {
        let study = TinySensitivityStudy()
        _ = runner("single").run([study])
        var total = 0
        for _ in 0..<2 {
            for index in 0..<3 {
                total += try runner("sharded").runShard([study], index: index, count: 3).computed
            }
        }
        #expect(try runner("sharded").missingRuns([study]).isEmpty)
        let plan = try runner("sharded").plan(study)
        #expect(total == Set(plan.jobs.flatMap { $0 }.map(\.key)).count, "every run computed exactly once")
        let assembled = runner("sharded", computeMissing: false).run([study])[0]
        #expect(assembled.error == nil, "\(assembled.error ?? "")")
        let single = try files(root.appendingPathComponent("single/tiny-sensitivity"))
        let sharded = try files(root.appendingPathComponent("sharded/tiny-sensitivity"))
        #expect(single.keys.sorted() == sharded.keys.sorted())
        for (name, data) in single { #expect(sharded[name] == data, "\(name) differs") }
    }

    @Test func badDeclarationsAreNamed() {
        let outcome = runner("bad").run([TinySensitivityStudy(samples: 2, duplicateInput: true)])[0]
        let error = outcome.error ?? ""
        #expect(error.contains("two inputs are named 'diffusivity'"), "\(error)")
        #expect(error.contains("sample size 2 is below 4"), "\(error)")
    }
}
