import Foundation
import Plotting
import ResultStore
import Testing
@testable import StudyKit

/// A small Model A study with coarse numerics, configurable to exercise the runner.
struct TinyStudy: Study {
    var id = "tiny"
    let title = "Tiny test study"
    let paperFigure = "none"
    var template = "tiny"
    var thickness = 20.0
    var rates = [0.5, 1.0]
    var failInFigure = false
    var duplicateSweep = false

    var body: [StudyElement] {
        BaseParameters("paperHalfCell", overrides: ["cells": 20, "thicknessMicrometres": thickness])
        Sweep("rates", SweepAxis("cRate", values: rates, unit: "h⁻¹"))
        if duplicateSweep {
            Sweep("rates", SweepAxis("cRateTypo", values: [1], unit: "h⁻¹"))
        }
        FigureSpec("capacity", caption: "Capacity vs C-rate.") { [failInFigure] r in
            if failInFigure { throw StudyError.missingResult("deliberate failure while building the figure") }
            let s = try r["rates"].series { $0.dense1d.capacity }
            return Figure {
                Panel(x: Axis("C-rate [h^{-1}]"), y: Axis("Capacity [mAh g^{-1}]")) {
                    Line(x: s.x, y: s.y, label: "dense", marker: Marker(.circle))
                }
            }
        }
        Quantities { r in
            try r["rates"].points.map {
                Quantity(
                    "capacity_\(String($0.overrides["cRate"]!).replacingOccurrences(of: ".", with: "p"))C",
                    $0.dense1d.capacity, unit: "mAh g⁻¹")
            }
        }
    }
}

@Suite(.serialized) struct StudyRunnerTests {
    let root: URL
    let templates: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("studykit-\(UUID().uuidString)")
        templates = root.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try Data("At 0.5C the cathode gives {{capacity_0p5C}}.\n\n{{{figure_capacity}}}\n".utf8).write(
            to: templates.appendingPathComponent("tiny.md"))
        try Data("Uses {{capacity_0p5C}} and {{no_such_value}} and {{#also_missing}}x{{/also_missing}}.\n".utf8).write(
            to: templates.appendingPathComponent("tiny-bad.md"))
    }

    func runner(force: Bool = false) -> StudyRunner {
        StudyRunner(
            options: ReportOptions(
                outputRoot: root.appendingPathComponent("output"), templates: .folder(templates), jobs: 2, force: force,
                dpi: 60),
            progress: ProgressReporter(mode: .quiet))
    }

    func bundle(_ id: String = "tiny") -> URL { root.appendingPathComponent("output").appendingPathComponent(id) }

    @Test func writesACompleteBundle() throws {
        let outcome = runner().run([TinyStudy()])[0]
        #expect(outcome.error == nil, "\(outcome.error ?? "")")
        for f in [
            "report.md", "report.html", "manifest.json", "timings.json", "data/quantities.json", "data/capacity.csv",
            "figures/capacity.pdf", "figures/capacity.svg", "figures/capacity.png",
        ] {
            #expect(FileManager.default.fileExists(atPath: bundle().appendingPathComponent(f).path), "missing \(f)")
        }
        let report = try String(contentsOf: bundle().appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("At 0.5C the cathode gives ") && report.contains(" mAh g⁻¹."))
        #expect(report.contains("![Capacity vs C-rate.](figures/capacity.png)"))
        #expect(
            report.contains("## Parameters") && report.contains("## References") && report.contains("[Ramadass2004]"))
        let csv = try String(contentsOf: bundle().appendingPathComponent("data/capacity.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("series,C-rate [h−1],Capacity [mAh g−1],y error"))
    }

    /// A template's cross-reference to a figure that does not exist, and Markdown that never closes a fence or `**`,
    /// fail the study with the template's name and the problem; a good reference becomes a numbered link.
    @Test func templateReferencesAndUnbalancedMarkdown() throws {
        let cases = [
            (
                "tiny-ref-bad", "See {{ref:tiny/no-such-figure}}.\n",
                "{{ref:tiny/no-such-figure}} names no figure (figures: tiny/capacity)"
            ),
            ("tiny-fence", "Text.\n\n```swift\nlet x = 1\n", "a code fence is opened and never closed"),
            ("tiny-strong", "A **bold claim that never ends.\n", "'**' is opened and never closed"),
        ]
        for (name, text, message) in cases {
            try Data(text.utf8).write(to: templates.appendingPathComponent("\(name).md"))
            var study = TinyStudy()
            study.template = name
            let outcome = runner().run([study])[0]
            #expect(outcome.error?.contains("templates/\(name).md") == true, "\(outcome.error ?? "no error")")
            #expect(outcome.error?.contains(message) == true, "\(outcome.error ?? "no error")")
        }
        try Data("As {{ref:capacity}} shows.\n\n{{{figure_capacity}}}\n".utf8).write(
            to: templates.appendingPathComponent("tiny-ref.md"))
        var study = TinyStudy()
        study.template = "tiny-ref"
        #expect(runner().run([study])[0].error == nil)
        let report = try String(contentsOf: bundle().appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("As [Fig. 1.1](#fig-capacity) shows."))
        #expect(report.contains("**Fig. 1.1.** *Capacity vs C-rate.*"))
        let html = try String(contentsOf: bundle().appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<img id=\"fig-capacity\" src=\"figures/capacity.png\""))
        #expect(
            FileManager.default.fileExists(atPath: bundle().appendingPathComponent("figures/capacity.displaylist").path)
        )
    }

    /// A figure defect found by the checker is reported with the study's outcome (and as a warning); the bundle is
    /// still written.
    @Test func figureDefectsReachTheOutcome() throws {
        struct Crowded: Study {
            let id = "tiny"
            let title = "Tiny study with a crowded figure"
            let paperFigure = "none"
            let template = "tiny"
            var body: [StudyElement] {
                BaseParameters("paperHalfCell", overrides: ["cells": 20, "thicknessMicrometres": 20])
                Sweep("rates", SweepAxis("cRate", values: [0.5, 1.0], unit: "h⁻¹"))
                FigureSpec("capacity", caption: "Two labels on one spot.") { r in
                    let s = try r["rates"].series { $0.dense1d.capacity }
                    return Figure {
                        Panel(x: Axis("C-rate [h^{-1}]"), y: Axis("Capacity [mAh g^{-1}]")) {
                            Line(x: s.x, y: s.y)
                            Annotation("first label", x: s.x[0], y: s.y[0])
                            Annotation("second label", x: s.x[0], y: s.y[0])
                        }
                    }
                }
                Quantities { r in
                    try r["rates"].points.map {
                        Quantity(
                            "capacity_\(String($0.overrides["cRate"]!).replacingOccurrences(of: ".", with: "p"))C",
                            $0.dense1d.capacity, unit: "mAh g⁻¹")
                    }
                }
            }
        }
        let outcome = runner().run([Crowded()])[0]
        #expect(outcome.error == nil, "\(outcome.error ?? "")")
        #expect(
            outcome.figureDefects.contains { $0.hasPrefix("figure capacity: panel (a): text overlaps text") },
            "\(outcome.figureDefects)")
        #expect(runner().run([TinyStudy()])[0].figureDefects.isEmpty)
    }

    @Test func templateNamingMissingValuesIsAnError() {
        var s = TinyStudy()
        s.template = "tiny-bad"
        let outcome = runner().run([s])[0]
        #expect(outcome.error?.contains("no_such_value") == true)
        #expect(outcome.error?.contains("also_missing") == true)
        #expect(outcome.error?.contains("capacity_0p5C") == false)
        var t = TinyStudy()
        t.template = "does-not-exist"
        #expect(runner().run([t])[0].error?.contains("does-not-exist.md is not among") == true)
    }

    /// Unchanged inputs hit the cache; changing one swept value recomputes exactly that point;
    /// changing a base parameter recomputes every point; --force ignores the cache.
    @Test func cacheHitsAndMisses() {
        let first = runner().run([TinyStudy()])[0]
        #expect(first.computed == 2 && first.cached == 0)
        let again = runner().run([TinyStudy()])[0]
        #expect(again.computed == 0 && again.cached == 2)
        var oneChanged = TinyStudy()
        oneChanged.rates = [0.5, 2.0]
        let partial = runner().run([oneChanged])[0]
        #expect(partial.computed == 1 && partial.cached == 1)
        var thicker = TinyStudy()
        thicker.thickness = 30
        let all = runner().run([thicker])[0]
        #expect(all.computed == 2 && all.cached == 0)
        let forced = runner(force: true).run([TinyStudy()])[0]
        #expect(forced.computed == 2 && forced.cached == 0)
    }

    /// An unchanged study keeps its bundle untouched (nothing read, computed or written); a changed template, a missing
    /// bundle file, a changed run or --force rebuild it.
    @Test func unchangedStudiesKeepTheirBundle() throws {
        _ = runner().run([TinyStudy()])
        let timings = bundle().appendingPathComponent("timings.json")
        let before = try Data(contentsOf: timings)
        let cache = root.appendingPathComponent("output/.cache")
        try FileManager.default.removeItem(at: cache)  // a kept bundle needs no cached run
        let kept = runner().run([TinyStudy()])[0]
        #expect(kept.error == nil && kept.computed == 0 && kept.cached == 2)
        #expect(try Data(contentsOf: timings) == before, "the bundle was rewritten")
        #expect(!FileManager.default.fileExists(atPath: cache.path))

        try Data("At 0.5C: {{capacity_0p5C}}.\n\n{{{figure_capacity}}}\n".utf8).write(
            to: templates.appendingPathComponent("tiny.md"))
        let retemplated = runner().run([TinyStudy()])[0]
        #expect(
            retemplated.error == nil && retemplated.computed == 2,
            "a changed template must rebuild (here recomputing the removed runs)")
        #expect(
            try String(contentsOf: bundle().appendingPathComponent("report.md"), encoding: .utf8).contains("At 0.5C: "))

        let afterTemplate = try Data(contentsOf: timings)
        try FileManager.default.removeItem(at: bundle().appendingPathComponent("figures/capacity.svg"))
        let repaired = runner().run([TinyStudy()])[0]
        #expect(repaired.error == nil && repaired.computed == 0 && repaired.cached == 2)
        #expect(FileManager.default.fileExists(atPath: bundle().appendingPathComponent("figures/capacity.svg").path))
        #expect(try Data(contentsOf: timings) != afterTemplate)

        var changed = TinyStudy()
        changed.rates = [0.5, 2.0]
        #expect(runner().run([changed])[0].computed == 1)
        let forced = runner(force: true).run([changed])[0]
        #expect(forced.computed == 2)
    }

    @Test func corruptCacheEntryIsRecomputed() throws {
        _ = runner().run([TinyStudy()])
        // Else the unchanged study keeps its bundle and reads no entry.
        try FileManager.default.removeItem(at: bundle())
        let cache = root.appendingPathComponent("output/.cache")
        for f in try FileManager.default.contentsOfDirectory(atPath: cache.path) {
            try Data("{not json".utf8).write(to: cache.appendingPathComponent(f))
        }
        let outcome = runner().run([TinyStudy()])[0]
        #expect(outcome.error == nil && outcome.computed == 2)
    }

    /// The cache makes its folder once per process; if the folder is removed meanwhile, the next store makes it (and
    /// its marker) again instead of failing.
    @Test func aCacheFolderRemovedDuringTheProcessIsMadeAgain() throws {
        _ = runner().run([TinyStudy()])
        let cache = root.appendingPathComponent("output/.cache")
        try FileManager.default.removeItem(at: cache)
        try FileManager.default.removeItem(at: bundle())
        let outcome = runner().run([TinyStudy()])[0]
        #expect(outcome.error == nil && outcome.computed == 2, "\(outcome)")
        let entries = try FileManager.default.contentsOfDirectory(atPath: cache.path)
        #expect(entries.filter { $0.hasSuffix(".run") }.count == 2)
        #expect(entries.contains(OutputMarker.fileName))
    }

    /// Entries that would be used wrongly are discarded and recomputed: one run's (valid) entry copied over
    /// another's, a truncated payload, a flipped byte (checksum), and a NaN in the voltage curve.
    @Test(arguments: ["swapped", "truncated", "flipped", "nan"])
    func untrustworthyCacheEntriesAreRecomputed(damage: String) throws {
        _ = runner().run([TinyStudy()])
        let cache = root.appendingPathComponent("output/.cache")
        let names = try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasSuffix(".run") }
            .sorted()
        #expect(names.count == 2)
        let first = cache.appendingPathComponent(names[0])
        var data = try Data(contentsOf: first)
        switch damage {
        case "swapped": data = try Data(contentsOf: cache.appendingPathComponent(names[1]))
        case "truncated": data = data.prefix(data.count - 100)
        case "flipped": data[data.count - 50] ^= 0x01
        default:
            // Replace the first voltage with NaN and fix up the header, so only the finiteness check can catch it. In the
            // binary payload the key "voltage" (u32 length + UTF-8) is followed by the packed-doubles tag 8 and a u32 count.
            let newline = data.firstIndex(of: 0x0A)!
            var bytes = [UInt8](data[data.index(after: newline)...])
            let needle: [UInt8] = [7, 0, 0, 0] + Array("voltage".utf8) + [8]
            let at = try #require(
                (0...(bytes.count - needle.count)).first { Array(bytes[$0..<($0 + needle.count)]) == needle })
            withUnsafeBytes(of: Double.nan.bitPattern.littleEndian) { raw in
                for i in 0..<8 { bytes[at + needle.count + 4 + i] = raw[i] }
            }
            var header = try JSONSerialization.jsonObject(with: data[..<newline]) as! [String: Any]
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            header["payloadChecksum"] = String(format: "%016llx", hash)
            header["payloadBytes"] = bytes.count
            data = try JSONSerialization.data(withJSONObject: header) + Data([0x0A]) + Data(bytes)
        }
        try data.write(to: first)
        // Else the unchanged study keeps its bundle and reads no entry.
        try FileManager.default.removeItem(at: bundle())
        let outcome = runner().run([TinyStudy()])[0]
        #expect(outcome.error == nil && outcome.computed == 1 && outcome.cached == 1, "\(damage): \(outcome)")
    }

    /// A cache path that is a file is a clear error, not a crash.
    @Test func cachePathThatIsAFile() throws {
        let out = root.appendingPathComponent("output")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: out.appendingPathComponent(".cache"))
        #expect(throws: UnsafeOutputError.self) { try runner().options.cache.checkUsable() }
    }

    /// A run that fails while writing leaves the previous bundle untouched, and no partial folder that looks finished.
    @Test func failedRunLeavesThePreviousBundleIntact() throws {
        _ = runner().run([TinyStudy()])
        let before = try Data(contentsOf: bundle().appendingPathComponent("report.md"))
        var failing = TinyStudy()
        failing.failInFigure = true
        failing.thickness = 25
        let outcome = runner().run([failing])[0]
        #expect(outcome.error?.contains("deliberate failure") == true)
        #expect(try Data(contentsOf: bundle().appendingPathComponent("report.md")) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("output").path)
            .filter { $0.contains("partial") }
        #expect(leftovers.isEmpty)
    }

    /// Leftovers of an interrupted (killed) run are hidden and removed by the next run — only CathodeLab's own
    /// (marked) staging folders of processes that no longer run; a look-alike folder without the marker stays.
    @Test func interruptedRunLeftoversAreRemoved() throws {
        let out = root.appendingPathComponent("output")
        let stale = out.appendingPathComponent(".tiny.partial-99999999-1")
        try FileManager.default.createDirectory(
            at: stale.appendingPathComponent("figures"), withIntermediateDirectories: true)
        try OutputFolder.mark(stale, kind: "bundle")
        let lookalike = out.appendingPathComponent(".tiny.partial-99999998-1")
        try FileManager.default.createDirectory(at: lookalike, withIntermediateDirectories: true)
        _ = runner().run([TinyStudy()])
        #expect(!FileManager.default.fileExists(atPath: stale.path))
        #expect(FileManager.default.fileExists(atPath: lookalike.path))
        #expect(FileManager.default.fileExists(atPath: bundle().appendingPathComponent("report.md").path))
    }

    @Test func failingStudyDoesNotStopTheOthers() {
        var bad = TinyStudy()
        bad.id = "tiny-failing"
        bad.failInFigure = true
        var good = TinyStudy()
        good.id = "tiny-good"
        let outcomes = runner().run([bad, good])
        #expect(outcomes[0].error != nil && outcomes[1].error == nil)
        #expect(FileManager.default.fileExists(atPath: bundle("tiny-good").appendingPathComponent("report.md").path))
        #expect(!FileManager.default.fileExists(atPath: bundle("tiny-failing").path))
    }

    @Test func bundlesAreByteIdenticalAcrossRuns() throws {
        _ = runner().run([TinyStudy()])
        let a = try snapshot()
        _ = runner(force: true).run([TinyStudy()])
        let b = try snapshot()
        #expect(a.keys.sorted() == b.keys.sorted())
        for (k, v) in a where k != "timings.json" { #expect(b[k] == v, "\(k) differs") }
    }

    func snapshot() throws -> [String: Data] {
        var out: [String: Data] = [:]
        let e = FileManager.default.enumerator(at: bundle(), includingPropertiesForKeys: nil)!
        for case let url as URL in e where !url.hasDirectoryPath {
            out[String(url.path.dropFirst(bundle().path.count + 1))] = try Data(contentsOf: url)
        }
        return out
    }

    @Test func declarationProblemsAreReportedTogether() {
        var s = TinyStudy()
        s.duplicateSweep = true
        let error = runner().run([s])[0].error ?? ""
        #expect(error.contains("two sweeps are named 'rates'"))
        #expect(error.contains("unknown parameter 'cRateTypo'"))
    }
}
