import Foundation
import Testing

/// Results are filed under the code that produced them: the physics version is compiled in, so a binary built
/// before a source edit keeps filing its results under its own version, and a rebuilt binary sees them as stale.
@Suite(.serialized) struct ProvenanceTests {
    /// `--version` names the version, the commit and the physics version; a bundle's manifest records the same.
    @Test func versionAndManifestAgree() throws {
        let root = try CLIHarness.temporaryFolder("version")
        defer { try? FileManager.default.removeItem(at: root) }
        let version = try CLIHarness.run(["--version"])
        #expect(version.status == 0)
        let physics = try #require(
            version.stdout.range(of: "physics ").map { String(version.stdout[$0.upperBound...].prefix(16)) })
        #expect(physics.count == 16 && physics.allSatisfy(\.isHexDigit))
        let run = try CLIHarness.run(
            ["report", "fig3e-concentration-profiles", "--out", "out", "--dpi", "50", "--quiet"], in: root)
        #expect(run.status == 0, "\(run.stderr)")
        let manifest =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: root.appendingPathComponent("out/fig3e-concentration-profiles/manifest.json")))
            as! [String: Any]
        #expect(manifest["physicsVersion"] as? String == physics)
        let list = try CLIHarness.run(["list", "--out", "out"], in: root)
        #expect(
            list.status == 0 && list.stdout.contains("fig3e-concentration-profiles")
                && list.stdout.contains(" current "), "\(list.stdout)")
    }

    /// `list` and `report` work from any folder: templates are built into the binary.
    @Test func runsOutsideTheRepository() throws {
        let root = try CLIHarness.temporaryFolder("anywhere")
        defer { try? FileManager.default.removeItem(at: root) }
        let list = try CLIHarness.run(["list"], in: root)
        #expect(list.status == 0, "\(list.stderr)")
        #expect(!list.stdout.contains("invalid"))
        let report = try CLIHarness.run(
            ["report", "fig3c-discharge-curves", "--out", "reports", "--dpi", "50", "--quiet"], in: root)
        #expect(report.status == 0, "\(report.stderr)")
        #expect(
            FileManager.default.fileExists(
                atPath: root.appendingPathComponent("reports/fig3c-discharge-curves/report.md").path))
    }

    /// The stale-binary test: build a copy of the package, edit a model source, run the old binary — its results
    /// are filed under its own physics version and it says the sources changed; rebuild — `list` marks the old
    /// bundle stale and the cache entries of the old physics are not reused.
    @Test(.timeLimit(.minutes(10))) func staleBinaryFilesResultsUnderItsOwnVersion() throws {
        let copy = try CLIHarness.temporaryFolder("stale")
        defer { try? FileManager.default.removeItem(at: copy) }
        for item in ["Package.swift", "Sources", "Plugins", "studies", "templates", "Tests"] {
            try FileManager.default.copyItem(
                at: CLIHarness.packageRoot.appendingPathComponent(item), to: copy.appendingPathComponent(item))
        }
        func build() throws -> URL {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["swift", "build", "--product", "cathodelab"]
            process.currentDirectoryURL = copy
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let log = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(String(decoding: log, as: UTF8.self).suffix(3000))")
            return copy.appendingPathComponent(".build/debug/cathodelab")
        }
        func physics(_ binary: URL) throws -> String {
            let out = try CLIHarness.run(["--version"], binary: binary).stdout
            return String(out[out.range(of: "physics ")!.upperBound...].prefix(16))
        }
        let old = try build()
        let oldPhysics = try physics(old)
        let model = copy.appendingPathComponent("Sources/CathodeModels/Dense1D/Dense1DModel.swift")
        try (try String(contentsOf: model, encoding: .utf8) + "\n// an edit after the build\n").write(
            to: model, atomically: true, encoding: .utf8)
        #expect(try physics(old) == oldPhysics, "the old binary must keep its compiled-in physics version")

        let work = try CLIHarness.temporaryFolder("stale-out")
        defer { try? FileManager.default.removeItem(at: work) }
        let report = try CLIHarness.run(
            ["report", "fig3e-concentration-profiles", "--out", "out", "--dpi", "50"], in: work, binary: old)
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stderr.contains("changed after this binary was built"), "\(report.stderr)")
        let manifestURL = work.appendingPathComponent("out/fig3e-concentration-profiles/manifest.json")
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL)) as! [String: Any]
        #expect(manifest["physicsVersion"] as? String == oldPhysics)

        let new = try build()
        let newPhysics = try physics(new)
        #expect(newPhysics != oldPhysics)
        let list = try CLIHarness.run(["list", "--out", "out"], in: work, binary: new)
        #expect(list.stdout.contains("stale (physics \(oldPhysics))"), "\(list.stdout)")
        #expect(list.stdout.contains("0/3 runs cached"), "\(list.stdout)")
    }
}
