import Foundation
import Plotting
import ResultStore
import Testing
@testable import BundleDiff
@testable import StudyKit

/// A small study with a curve and a 2D field, with knobs that change exactly one thing.
struct DiffStudy: Study {
    var id = "diff-study"
    let title = "Diff test study"
    let paperFigure = "none"
    let template = "diff-study"
    var diffusivity = 1.5e-9
    var thicknesses = [15.0, 25.0]
    var rates = [0.5, 1.0]
    var capacityTolerance: Tolerance? = nil

    var body: [StudyElement] {
        BaseParameters("paperHalfCell", overrides: ["cells": 16, "diffusivityCm2PerS": diffusivity])
        Sweep(
            "map", x: SweepAxis("cRate", values: rates, unit: "h⁻¹"),
            y: SweepAxis("thicknessMicrometres", values: thicknesses, unit: "µm"))
        Sweep("curve", SweepAxis("cRate", values: [1], unit: "h⁻¹"))
        FigureSpec("map", caption: "map") { r in
            let f = try r["map"].field { $0.dense1d.capacity }
            return Figure {
                Panel(x: Axis("C-rate [h^{-1}]"), y: Axis("L [µm]"), colorBar: ColorBar("Q [mAh g^{-1}]")) {
                    Heatmap(f)
                }
            }
        }
        FigureSpec("curve", caption: "curve") { r in
            let d = try r["curve"].points[0].dense1d
            return Figure {
                Panel(x: Axis("Q [mAh g^{-1}]"), y: Axis("V [V]")) {
                    Line(x: d.capacityMilliampHoursPerGram, y: d.voltage, label: "1C")
                }
            }
        }
        Quantities { r in
            [
                Quantity("capacity_1C", try r["curve"].points[0].dense1d.capacity, unit: "mAh g⁻¹"),
                Quantity("utilisation", 100 * (try r["curve"].points[0].dense1d.capacity) / 140, unit: "%"),
                Quantity("separator_resistance", 25, unit: "Ω cm²"),
            ]
        }
        if let t = capacityTolerance { Tolerances(["capacity_*": t]) }
    }
}

@Suite(.serialized) struct BundleDiffTests {
    let root: URL
    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("bundlediff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("templates"), withIntermediateDirectories: true)
        try Data("{{capacity_1C}}\n".utf8).write(to: root.appendingPathComponent("templates/diff-study.md"))
    }

    func bundles(_ name: String, _ studies: DiffStudy..., templates: String = "templates", cache: URL? = nil) -> URL {
        let out = root.appendingPathComponent(name)
        var options = ReportOptions(
            outputRoot: out, templates: .folder(root.appendingPathComponent(templates)), jobs: 2, dpi: 50)
        options.cacheDirectory = cache
        let runner = StudyRunner(options: options, progress: ProgressReporter(mode: .quiet))
        for outcome in runner.run(studies) { #expect(outcome.error == nil, "\(outcome.error ?? "")") }
        return out
    }

    @Test func identicalBundlesDiffToNothing() throws {
        let r = try BundleDiff(old: bundles("a", DiffStudy()), new: bundles("b", DiffStudy())).compare()
        #expect(!r.hasChanges && r.withinTolerance)
        #expect(r.summary.hasPrefix("no changes"))
    }

    /// Changing D_eff changes the capacity, the curve and the field — and not the separator resistance.
    @Test func aParameterChangeShowsUpInExactlyTheAffectedQuantities() throws {
        let r = try BundleDiff(old: bundles("a", DiffStudy()), new: bundles("b", DiffStudy(diffusivity: 2e-9)))
            .compare()
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
        #expect(
            FileManager.default.fileExists(
                atPath: out.appendingPathComponent("figures/diff-study--map-field1-difference.png").path))
        #expect(
            FileManager.default.fileExists(
                atPath: out.appendingPathComponent("figures/diff-study--curve-overlay.png").path))
    }

    /// A declared tolerance wide enough turns the same change into "within tolerance".
    @Test func declaredTolerancesApply() throws {
        let loose = Tolerance(relative: 0.5)
        let r = try BundleDiff(
            old: bundles("a", DiffStudy(capacityTolerance: loose)),
            new: bundles("b", DiffStudy(diffusivity: 1.6e-9, capacityTolerance: loose)),
            defaultTolerance: Tolerance(relative: 1)
        ).compare()
        #expect(r.studies[0].quantities.first { $0.name == "capacity_1C" }?.status == .withinTolerance)
        #expect(r.withinTolerance)
    }

    /// Fields on different grids are compared on the old grid (the new one covers it).
    @Test func fieldsOnDifferentGridsAreInterpolated() throws {
        let r = try BundleDiff(old: bundles("a", DiffStudy()), new: bundles("b", DiffStudy(thicknesses: [15, 20, 25])))
            .compare()
        let f = r.studies[0].fields[0]
        #expect(f.note?.contains("interpolated bilinearly") == true)
        #expect(f.difference.count == 4)
        let narrower = try BundleDiff(
            old: bundles("c", DiffStudy(thicknesses: [15, 30])), new: bundles("d", DiffStudy())
        ).compare()
        #expect(narrower.studies[0].fields[0].status == .incomparable)
    }

    /// A Nyquist plot that switched from Ω cm² to kΩ cm² is the same data: the new values are converted to the old
    /// unit before comparing (a prefix changed, nothing else), and the report says so. A column whose unit changed
    /// otherwise is not compared at all. The prefix factors are checked against hand values.
    @Test func aColumnWhosePrefixChangedIsConvertedFirst() throws {
        #expect(prefixFactor(from: "kΩ cm2", to: "Ω cm2") == 1000)
        #expect(prefixFactor(from: "Ω cm2", to: "kΩ cm2") == 1e-3)
        #expect(prefixFactor(from: "µm", to: "mm") == 1e-3)
        #expect(prefixFactor(from: "mAh g-1", to: "mAh g-1") == 1)
        #expect(prefixFactor(from: "V", to: "A") == nil)
        let ohms = [25.0, 30, 60, 120]
        let arc = [0.0, 10, 25, 5]
        let old = CSVTable(
            columns: ["Re Z [Ω cm2]", "−Im Z [Ω cm2]"], rows: zip(ohms, arc).map { [$0, $1] }, labelColumn: "series",
            labels: Array(repeating: "flat", count: 4))
        var kilo = old
        kilo.columns = ["Re Z [kΩ cm2]", "−Im Z [kΩ cm2]"]
        kilo.rows = old.rows.map { $0.map { $0 / 1000 } }
        let diff = BundleDiff(old: root, new: root)
        let converted = diff.compareSeries(file: "spectra.csv", old, kilo, tolerance: .standard)
        #expect(converted.count == 1 && converted[0].status.isAcceptable, "\(converted.map(\.status))")
        #expect(converted[0].maxRelativeChange < 1e-12)
        #expect(converted[0].note?.contains("converted") == true)
        var otherUnit = kilo
        otherUnit.columns = ["Re Z [Ω cm2]", "−Im Z [V]"]
        let incomparable = diff.compareSeries(file: "spectra.csv", old, otherUnit, tolerance: .standard)
        #expect(incomparable[0].status == .changed && incomparable[0].note?.contains("not compared") == true)
        let same = diff.compareSeries(file: "spectra.csv", old, old, tolerance: .standard)
        #expect(same[0].status == .same && same[0].note == nil)
    }

    @Test func addedAndRemovedStudiesAndSeries() throws {
        let a = bundles("a", DiffStudy())
        let empty = root.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: a.appendingPathComponent("diff-study"), to: empty.appendingPathComponent("renamed"))
        // Same study id in both → compared; now remove the manifest's study from one side.
        let r = try BundleDiff(old: a, new: a).compare()
        #expect(!r.hasChanges)
        #expect(throws: DiffError.self) {
            try BundleDiff(old: a, new: root.appendingPathComponent("templates")).compare()
        }
        let moreRates = try BundleDiff(old: a, new: bundles("e", DiffStudy(rates: [0.5, 1, 2]))).compare()
        #expect(moreRates.studies[0].fields[0].status != .same)
    }

    // MARK: - Causes, ranking, machine-readable output (issue 16)

    /// Runs Debian's python3 (with python3-jsonschema, installed by `make test`) on a script; returns (status, output).
    func python(_ script: String, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A parameter change is reported as the cause (name, old, new, unit, source), its study is ranked before an
    /// unchanged one (which collapses to one line), and a percentage changes in percentage points.
    @Test func aParameterChangeIsTheCauseAndItsStudyRanksFirst() throws {
        let quiet = DiffStudy(id: "aa-unchanged-study")
        let old = bundles("a", quiet, DiffStudy())
        let new = bundles("b", quiet, DiffStudy(diffusivity: 2e-9))
        let result = try BundleDiff(old: old, new: new).compare()
        #expect(result.ranked.map(\.id) == ["diff-study", "aa-unchanged-study"])
        let changed = result.ranked[0]
        let cause = try #require(changed.causes.parameters.first { $0.name == "diffusivityCm2PerS" })
        #expect(cause.kind == .value && cause.old == "1.5e-09" && cause.new == "2e-09" && cause.unit == "cm² s⁻¹")
        #expect(cause.sourceNoteUnchanged, "the study overrides the value without touching its source note")
        #expect(changed.causes.parameters.count == 1, "\(changed.causes.parameters.map(\.name))")
        #expect(result.ranked[1].causes.isEmpty && !result.ranked[1].hasChanges)
        // The largest change is named, with units; the percentage changes in percentage points.
        let utilisation = try #require(changed.quantities.first { $0.name == "utilisation" })
        #expect(utilisation.changeText.hasSuffix("pp"))
        let capacity = try #require(changed.quantities.first { $0.name == "capacity_1C" })
        let expectedPoints = 100 * (capacity.new! - capacity.old!) / 140
        #expect(abs(utilisation.absoluteChange! - expectedPoints) < 1e-9)
        #expect(
            changed.changedQuantities.first?.name == "capacity_1C",
            "sorted by |relative change|: \(changed.changedQuantities.map(\.name))")
        #expect(changed.series.allSatisfy { $0.status == .same || $0.unit == "V" })
        let out = root.appendingPathComponent("report")
        try DiffReportWriter.write(result, to: out)
        let md = try String(contentsOf: out.appendingPathComponent("diff.md"), encoding: .utf8)
        let verdictLine = md.components(separatedBy: "\n").first { $0.hasPrefix("**Verdict") } ?? ""
        #expect(verdictLine.contains("changes outside tolerance") && verdictLine.contains("1 of 2 studies changed"))
        #expect(md.contains("| diff-study | `diffusivityCm2PerS` | 1.5e-09 | 2e-09 | cm² s⁻¹ |"))
        #expect(md.contains("value changed, source note unchanged"))
        #expect(md.contains("Unchanged (1): aa-unchanged-study."))
        #expect(!md.contains("## aa-unchanged-study"), "an unchanged study gets no section")
        #expect(!md.contains("```"), "tables, not code blocks")
        // Ranked: the causes section comes before the effects, and the effects table lists the changed study.
        let causesAt = try #require(md.range(of: "## What differs in the inputs"))
        let effectsAt = try #require(md.range(of: "## Effects, ranked"))
        #expect(causesAt.lowerBound < effectsAt.lowerBound)
        let html = try String(contentsOf: out.appendingPathComponent("diff.html"), encoding: .utf8)
        #expect(html.contains("<table") && html.contains("<img"))
    }

    /// diff.json validates against docs/diff.schema.json (python3-jsonschema), holds typed values, and the JUnit
    /// file parses with one failure per item outside tolerance.
    @Test func jsonFollowsItsSchemaAndJUnitCountsFailures() throws {
        let result = try BundleDiff(old: bundles("a", DiffStudy()), new: bundles("b", DiffStudy(diffusivity: 2e-9)))
            .compare()
        let out = root.appendingPathComponent("report")
        try DiffReportWriter.write(result, to: out)
        let schema = Self.packageRoot.appendingPathComponent("docs/diff.schema.json").path
        let script = """
            import json, sys, jsonschema, xml.etree.ElementTree as ET
            schema = json.load(open(sys.argv[1])); doc = json.load(open(sys.argv[2]))
            jsonschema.Draft202012Validator.check_schema(schema)
            jsonschema.validate(doc, schema, cls=jsonschema.Draft202012Validator)
            root = ET.parse(sys.argv[3]).getroot()
            cases = root.findall('.//testcase'); failures = root.findall('.//testcase/failure')
            print(len(cases), len(failures), root.get('failures'))
            """
        let (status, text) = try python(
            script,
            [schema, out.appendingPathComponent("diff.json").path, out.appendingPathComponent("diff-junit.xml").path])
        #expect(status == 0, "\(text)")
        let counts = text.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        let study = result.studies[0]
        let items = study.quantities.count + study.series.count + study.fields.count
        let outside = study.outside.quantities + study.outside.series + study.outside.fields
        #expect(counts == [items, outside, outside], "\(text)")
        #expect(outside >= 3)
        // Typed values: numbers and booleans, never strings.
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("diff.json")))
                as? [String: Any])
        #expect(json["withinTolerance"] as? Bool == false)
        let studies = try #require(json["studies"] as? [[String: Any]])
        let quantities = try #require(studies[0]["quantities"] as? [[String: Any]])
        let capacity = try #require(quantities.first { $0["name"] as? String == "capacity_1C" })
        #expect(capacity["old"] is Double && capacity["new"] is Double && capacity["relativeChange"] is Double)
        let utilisation = try #require(quantities.first { $0["name"] as? String == "utilisation" })
        #expect(utilisation["relativeChange"] is NSNull && utilisation["percentagePoints"] as? Bool == true)
        // A schema violation is caught (the validator is not vacuous).
        var broken = json
        broken["withinTolerance"] = "false"
        let brokenFile = root.appendingPathComponent("broken.json")
        try JSONSerialization.data(withJSONObject: broken).write(to: brokenFile)
        let (brokenStatus, _) = try python(
            script, [schema, brokenFile.path, out.appendingPathComponent("diff-junit.xml").path])
        #expect(brokenStatus != 0)
    }

    /// Identical bundle sets: "no changes", an empty JUnit failure count, every study collapsed.
    @Test func identicalSetsSayNoChanges() throws {
        let result = try BundleDiff(old: bundles("a", DiffStudy()), new: bundles("b", DiffStudy())).compare()
        let out = root.appendingPathComponent("report")
        try DiffReportWriter.write(result, to: out)
        let md = try String(contentsOf: out.appendingPathComponent("diff.md"), encoding: .utf8)
        #expect(md.hasPrefix("# CathodeLab diff: no changes"))
        #expect(md.contains("Unchanged (1): diff-study."))
        let junit = try String(contentsOf: out.appendingPathComponent("diff-junit.xml"), encoding: .utf8)
        #expect(junit.contains("failures=\"0\"") && !junit.contains("<failure"))
    }

    /// A source note that changes while its value does not is flagged as its own kind of cause.
    @Test func aSourceNoteChangeWithoutAValueChangeIsFlagged() throws {
        let old = bundles("a", DiffStudy())
        let new = root.appendingPathComponent("b")
        try FileManager.default.copyItem(at: old, to: new)
        let file = new.appendingPathComponent("diff-study/data/parameters.json")
        var records = try JSONDecoder().decode([ParameterRecord].self, from: Data(contentsOf: file))
        let k = try #require(records.firstIndex { $0.name == "separatorThicknessMicrometres" })
        records[k] = ParameterRecord(
            name: records[k].name, value: records[k].value, unit: records[k].unit, source: "[E] a new note")
        try StableJSON.encode(records).write(to: file)
        let result = try BundleDiff(old: old, new: new).compare()
        let causes = result.studies[0].causes
        #expect(
            causes.parameters.map(\.kind) == [.sourceOnly]
                && causes.parameters[0].name == "separatorThicknessMicrometres")
        #expect(!result.studies[0].hasChanges, "no number changed")
        let out = root.appendingPathComponent("report")
        try DiffReportWriter.write(result, to: out)
        #expect(
            try String(contentsOf: out.appendingPathComponent("diff.md"), encoding: .utf8).contains(
                "source note changed, value unchanged"))
    }

    /// Two output folders sharing one cache: a template-only change recomputes no model run, and the diff names
    /// the template as the only cause.
    @Test func aTemplateOnlyChangeRecomputesNoRun() throws {
        let cache = root.appendingPathComponent("shared-cache")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("templates-new"), withIntermediateDirectories: true)
        try Data("Capacity at 1C: {{capacity_1C}} (reworded).\n".utf8).write(
            to: root.appendingPathComponent("templates-new/diff-study.md"))
        let old = bundles("a", DiffStudy(), cache: cache)
        let new = bundles("b", DiffStudy(), templates: "templates-new", cache: cache)
        func timings(_ folder: URL) throws -> [String: String] {
            try JSONDecoder().decode(
                [String: String].self, from: Data(contentsOf: folder.appendingPathComponent("diff-study/timings.json")))
        }
        #expect(try timings(old)["runsComputed"] != "0")
        #expect(try timings(new)["runsComputed"] == "0", "every run must come from the shared cache")
        #expect(!FileManager.default.fileExists(atPath: new.appendingPathComponent(".cache").path))
        let result = try BundleDiff(old: old, new: new).compare()
        let causes = result.studies[0].causes
        #expect(
            causes.templateChanged == true && causes.parameters.isEmpty && !causes.physicsChanged
                && !causes.modelRunsChanged)
        #expect(!result.hasChanges, "no number changed")
    }
}
