import Foundation
import Testing

/// Data safety of every command that writes: foreign folders and the working directory are refused; a replaced
/// output never disappears, whatever step a kill interrupts; two reports into one folder do not collide.
@Suite struct SafetyTests {
    /// Every `--out`-taking command against a folder of the user's files, the working directory (as `.` and as its
    /// absolute path), its parent and the empty string: exit 2, and not one byte changes.
    @Test func everyWritingCommandRefusesFoldersItDidNotWrite() throws {
        let root = try CLIHarness.temporaryFolder("safety")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("mine/sub"), withIntermediateDirectories: true)
        try Data("precious".utf8).write(to: root.appendingPathComponent("mine/sub/thesis.tex"))
        try Data("precious".utf8).write(to: root.appendingPathComponent("readme.txt"))
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("old"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("new"), withIntermediateDirectories: true)
        let commands: [[String]] = [
            ["simulate", "dense1d"], ["simulate", "composite"], ["simulate", "dense2d", "--nx", "6", "--ny", "4"],
            ["simulate", "stress", "--set", "nx=6", "--set", "ny=4", "--delta-theta", "0.1"],
            ["report", "fig3e-concentration-profiles"],
            ["gallery"], ["diff", "old", "new"],
        ]
        let before = CLIHarness.snapshot(root)
        for command in commands {
            for target in ["mine", ".", root.path, "..", "", "readme.txt"] {
                let run = try CLIHarness.run(command + ["--out", target], in: root)
                #expect(run.status == 2, "\(command) --out '\(target)': exit \(run.status) \(run.stderr)")
                #expect(
                    run.stderr.contains("refusing to write") || run.stderr.contains("--out is empty"),
                    "\(command) --out '\(target)': \(run.stderr)")
            }
        }
        #expect(CLIHarness.snapshot(root) == before)
    }

    /// A folder CathodeLab wrote is replaced; the same command into a new folder creates it with the marker.
    @Test func ownFoldersAreReplaced() throws {
        let root = try CLIHarness.temporaryFolder("own")
        defer { try? FileManager.default.removeItem(at: root) }
        for rate in ["1", "0.5"] {
            let run = try CLIHarness.run(
                ["simulate", "dense1d", "--c-rate", rate, "--cells", "30", "--out", "run"], in: root)
            #expect(run.status == 0, "\(run.stderr)")
        }
        let marker = try String(contentsOf: root.appendingPathComponent("run/.cathodelab"), encoding: .utf8)
        #expect(marker.contains("\"writer\" : \"cathodelab\"") && marker.contains("\"kind\" : \"simulation\""))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    /// Killing the process at each step of a replacement leaves either the old or the new folder — complete —
    /// under the final name (with renameat2's atomic exchange, at every step); in the two-rename fallback the old
    /// folder waits complete under a hidden name between the two renames and the next run restores it. Either
    /// way the next run ends with the new folder and no leftovers.
    @Test(arguments: [
        ("staged", false), ("exchanged", false), ("staged", true), ("moved-old", true), ("moved-new", true),
    ])
    func killAtEachStepOfAReplacement(step: String, withoutExchange: Bool) throws {
        let root = try CLIHarness.temporaryFolder("kill")
        defer { try? FileManager.default.removeItem(at: root) }
        func capacity() throws -> Double {
            let meta =
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: root.appendingPathComponent("run/metadata.json"))) as! [String: Any]
            return (meta["results"] as! [String: Double])["capacity [mAh g-1]"]!
        }
        func complete() -> Bool {
            ["discharge.csv", "profiles.csv", "metadata.json", ".cathodelab"].allSatisfy {
                FileManager.default.fileExists(
                    atPath: root.appendingPathComponent("run").appendingPathComponent($0).path)
            }
        }
        let first = try CLIHarness.run(
            ["simulate", "dense1d", "--c-rate", "1", "--cells", "30", "--out", "run"], in: root)
        #expect(first.status == 0)
        let old = try capacity()
        var environment = ["CATHODELAB_TEST_KILL_AT": step]
        if withoutExchange { environment["CATHODELAB_TEST_NO_EXCHANGE"] = "1" }
        let killed = try CLIHarness.run(
            ["simulate", "dense1d", "--c-rate", "0.5", "--cells", "30", "--out", "run"], in: root,
            environment: environment)
        #expect(killed.signalled, "step \(step) was not reached: \(killed.stderr)")
        if step == "moved-old" {
            // The one window of the two-rename fallback: the old folder is complete under its hidden name, and the
            // next run puts it back before anything else (see OutputFolderTests for recovery on its own).
            let hidden = try FileManager.default.contentsOfDirectory(atPath: root.path).filter {
                $0.hasPrefix(".run.replaced-")
            }
            #expect(hidden.count == 1)
            #expect(
                FileManager.default.fileExists(
                    atPath: root.appendingPathComponent(hidden[0]).appendingPathComponent("metadata.json").path))
        } else {
            // A reader that arrives now (before any recovery) finds a complete folder, old or new.
            #expect(complete(), "after a kill at \(step) the folder is incomplete or missing")
            let seen = try capacity()
            #expect(seen == old || seen > old + 10, "unexpected capacity \(seen)")
        }
        let again = try CLIHarness.run(
            ["simulate", "dense1d", "--c-rate", "0.5", "--cells", "30", "--out", "run"], in: root,
            environment: withoutExchange ? ["CATHODELAB_TEST_NO_EXCHANGE": "1"] : [:])
        #expect(again.status == 0, "\(again.stderr)")
        let final = try capacity()
        #expect(complete() && final > old + 10)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix(".run.") }
        #expect(leftovers.isEmpty, "leftovers after recovery: \(leftovers)")
    }

    /// Two `report` processes on one output folder: the second waits for the first (and says so), both succeed,
    /// and no staging folder is left behind.
    @Test func twoReportsIntoOneFolder() throws {
        let root = try CLIHarness.temporaryFolder("two")
        defer { try? FileManager.default.removeItem(at: root) }
        let args = [
            "report", "fig3e-concentration-profiles", "fig3c-discharge-curves", "--out", "out", "--dpi", "50", "--jobs",
            "1",
        ]
        final class Box: @unchecked Sendable { var runs: [CLIHarness.Run?] = [nil, nil] }
        let box = Box()
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            box.runs[k] = try? CLIHarness.run(args, in: root)
        }
        let runs = box.runs.compactMap { $0 }
        #expect(runs.count == 2)
        for run in runs { #expect(run.status == 0, "\(run.stderr)") }
        #expect(runs.contains { $0.stderr.contains("waiting for it to finish") })
        let names = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("out").path)
        #expect(!names.contains { $0.contains("partial") || $0.contains("replaced") }, "\(names)")
        #expect(
            FileManager.default.fileExists(
                atPath: root.appendingPathComponent("out/fig3c-discharge-curves/report.md").path))
    }
}
