import Foundation
import Plotting
import ResultStore
import Testing
@testable import StudyKit

/// `report --shard I/N` and `--from-cache` at the library level: shards are disjoint and their union is the whole
/// report for several N (including N larger than the number of runs); a rerun computes nothing; a shard leaves only
/// complete, loadable cache entries; assembling from the cache gives the bundle a one-machine run gives.
@Suite(.serialized) struct ShardTests {
    let root: URL
    let templates: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("shards-\(UUID().uuidString)")
        templates = root.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try Data("At 0.5C the cathode gives {{capacity_0p5C}}.\n\n{{{figure_capacity}}}\n".utf8).write(
            to: templates.appendingPathComponent("tiny.md"))
    }

    func runner(_ folder: String, computeMissing: Bool = true) -> StudyRunner {
        var options = ReportOptions(
            outputRoot: root.appendingPathComponent(folder), templates: .folder(templates), jobs: 2, dpi: 60)
        options.computeMissing = computeMissing
        return StudyRunner(options: options, progress: ProgressReporter(mode: .quiet))
    }

    static let study = TinyStudy(rates: [0.25, 0.5, 1.0, 1.5, 2.0, 3.0])

    @Test(arguments: [1, 2, 3, 7, 50])
    func shardsAreDisjointAndCoverTheReport(count: Int) throws {
        let folder = "cover-\(count)"
        let all = try runner(folder).cachedWork([Self.study]).map(\.key)
        var assigned = 0
        for index in 0..<count {
            let outcome = try runner(folder).runShard([Self.study], index: index, count: count)
            #expect(outcome.alreadyCached == 0, "shard \(index)/\(count) found runs of another shard")
            #expect(outcome.computed == outcome.assigned)
            assigned += outcome.assigned
        }
        #expect(assigned == all.count)
        let cache = runner(folder).options.cache
        #expect(cache.keys() == Set(all))
        for key in all {
            var warning: String?
            #expect(
                cache.load(key, warning: &warning) != nil && warning == nil,
                "entry \(key) is incomplete: \(warning ?? "")")
        }
        // A rerun of every shard computes nothing.
        for index in 0..<count {
            let again = try runner(folder).runShard([Self.study], index: index, count: count)
            #expect(again.computed == 0 && again.alreadyCached == again.assigned)
        }
        #expect(try runner(folder).missingRuns([Self.study]).isEmpty)
    }

    @Test func fromCacheNamesMissingRunsAndMatchesAOneMachineRun() throws {
        let partial = runner("partial")
        _ = try partial.runShard([Self.study], index: 0, count: 2)
        let missing = try partial.missingRuns([Self.study])
        #expect(!missing.isEmpty && missing.allSatisfy { $0.hasPrefix("tiny / rates: dense1d cRate=") })
        let refused = runner("partial", computeMissing: false).run([Self.study])[0]
        #expect(refused.error?.contains("not in the cache") == true)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("partial/tiny/report.md").path))

        _ = try partial.runShard([Self.study], index: 1, count: 2)
        #expect(runner("partial", computeMissing: false).run([Self.study])[0].error == nil)
        #expect(runner("one").run([Self.study])[0].error == nil)
        for file in [
            "report.md", "manifest.json", "data/quantities.json", "figures/capacity.pdf", "figures/capacity.svg",
            "figures/capacity.png",
        ] {
            let sharded = FileManager.default.contents(atPath: root.appendingPathComponent("partial/tiny/\(file)").path)
            let single = FileManager.default.contents(atPath: root.appendingPathComponent("one/tiny/\(file)").path)
            #expect(sharded != nil && sharded == single, "\(file) differs between the sharded and the one-machine run")
        }
    }

    @Test func shardOfAKeyIsStable() {
        // FNV-1a of the key string: fixed values, so every machine of a cluster agrees.
        #expect(
            StudyRunner.shard(ofKey: "0123456789abcdef", count: 4)
                == StudyRunner.shard(ofKey: "0123456789abcdef", count: 4))
        let counts = (0..<4000).reduce(into: [Int](repeating: 0, count: 4)) { histogram, k in
            histogram[StudyRunner.shard(ofKey: String(format: "%016llx", UInt64(k) &* 0x9E3779B97F4A7C15), count: 4)] +=
                1
        }
        #expect(counts.allSatisfy { abs($0 - 1000) < 150 }, "shard sizes \(counts)")
    }
}
