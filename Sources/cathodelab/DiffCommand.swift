import ArgumentParser
import BundleDiff
import Foundation
import ResultStore

extension CathodeLab {
    /// `cathodelab diff A B` or `cathodelab diff --rev R1 --rev R2`.
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare two sets of report bundles (or two git revisions): every quantity, series and field.",
            discussion: """
            Exit code 0 when everything is within tolerance (or identical), 1 when not, 2 on bad input. \
            With --rev twice, both revisions are built in separate git worktrees (use WORKTREE for the current \
            working tree), their reports regenerated, and the results compared.
            """)

        @Argument(help: "Old and new output folders (or single study bundles).")
        var paths: [String] = []

        @Option(name: .long, help: "A git revision to build and report (give twice; WORKTREE = the working tree).")
        var rev: [String] = []

        @Option(name: .long, help: "Folder for the diff report (diff.md, diff.html, figures/).")
        var out: String = "output-diff"

        @Option(name: .long, help: "Default relative tolerance [–].")
        var relativeTolerance: Double = Tolerance.standard.relative

        @Option(name: .long, help: "Default absolute tolerance [quantity units].")
        var absoluteTolerance: Double = Tolerance.standard.absolute

        @Option(name: .long, help: "Study ids to regenerate with --rev (default: all).")
        var study: [String] = []

        func run() throws {
            guard relativeTolerance >= 0, absoluteTolerance >= 0, relativeTolerance.isFinite, absoluteTolerance.isFinite else {
                throw badInput("tolerances must be finite and ≥ 0 (got relative \(relativeTolerance), absolute \(absoluteTolerance))")
            }
            var oldURL: URL, newURL: URL
            var revisions: [String] = []
            let folder: URL
            if !rev.isEmpty {
                guard rev.count == 2, paths.isEmpty else { throw badInput("give either two folders or --rev twice") }
                folder = try OutputFolder.checkTarget(out)
                let builder = try RevisionBuilder(studies: study)
                let built = try builder.reports(for: rev)
                (oldURL, newURL) = (built[0].output, built[1].output)
                revisions = built.map(\.description)
            } else {
                guard paths.count == 2 else { throw badInput("expected two folders (old, new), got \(paths.count)") }
                (oldURL, newURL) = (OutputFolder.resolve(paths[0]), OutputFolder.resolve(paths[1]))
                folder = try OutputFolder.checkTarget(out, inputs: [oldURL, newURL])
            }
            let result: DiffResult
            do { result = try BundleDiff(old: oldURL, new: newURL, defaultTolerance: Tolerance(relative: relativeTolerance, absolute: absoluteTolerance)).compare() } catch let e as DiffError {
                throw badInput(e.description)
            }
            try DiffReportWriter.write(result, to: folder, revisions: revisions)
            print(result.summary)
            print("diff report: \(out)/diff.md")
            if !result.withinTolerance { throw ExitCode(1) }
        }

        func badInput(_ message: String) -> Error { UsageError(message) }
    }
}

/// Builds git revisions in separate worktrees and regenerates their reports.
struct RevisionBuilder {
    let studies: [String]

    struct Built { let name: String; let commit: String; let output: URL; var description: String { "\(name) (\(commit))" } }

    init(studies: [String]) throws {
        self.studies = studies
        guard (try? shell(["git", "rev-parse", "--show-toplevel"], in: nil)) != nil else {
            throw UsageError("--rev needs a git repository: run cathodelab diff --rev from inside a clone of CathodeLab")
        }
    }

    func reports(for revisions: [String]) throws -> [Built] {
        let root = try shell(["git", "rev-parse", "--show-toplevel"], in: nil).trimmingCharacters(in: .whitespacesAndNewlines)
        let scratch = URL(fileURLWithPath: root).appendingPathComponent(".build-revisions")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        return try revisions.enumerated().map { k, rev in
            let source: String, commit: String
            if rev.uppercased() == "WORKTREE" {
                source = root
                commit = (try? shell(["git", "rev-parse", "HEAD"], in: root).trimmingCharacters(in: .whitespacesAndNewlines)).map { $0 + "+worktree" } ?? "worktree"
            } else {
                commit = try shell(["git", "rev-parse", "--verify", "\(rev)^{commit}"], in: root).trimmingCharacters(in: .whitespacesAndNewlines)
                let tree = scratch.appendingPathComponent("tree-\(commit.prefix(12))")
                if !FileManager.default.fileExists(atPath: tree.path) {
                    _ = try shell(["git", "worktree", "add", "--detach", "--force", tree.path, commit], in: root)
                }
                source = tree.path
            }
            let output = scratch.appendingPathComponent("output-\(k)-\(commit.prefix(12))")
            try? FileManager.default.removeItem(at: output)
            FileHandle.standardError.write(Data("building \(rev) (\(commit)) in \(source)\n".utf8))
            _ = try shell(["swift", "build", "-c", "release", "--product", "cathodelab"], in: source)
            _ = try shell([source + "/.build/release/cathodelab", "report"] + studies + ["--out", output.path, "--templates", source + "/templates", "--quiet"], in: source)
            if source != root { _ = try? shell(["git", "worktree", "remove", "--force", source], in: root) }
            return Built(name: rev, commit: commit, output: output)
        }
    }

    func shell(_ args: [String], in dir: String?) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        if let dir { p.currentDirectoryURL = URL(fileURLWithPath: dir) }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw CLIError("`\(args.joined(separator: " "))` failed (exit \(p.terminationStatus)): \(String(decoding: e, as: UTF8.self).suffix(2000))")
        }
        return String(decoding: o, as: UTF8.self)
    }
}
