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
            guard relativeTolerance >= 0, absoluteTolerance >= 0, relativeTolerance.isFinite, absoluteTolerance.isFinite
            else {
                throw badInput(
                    "tolerances must be finite and ≥ 0 (got relative \(relativeTolerance), absolute \(absoluteTolerance))"
                )
            }
            var oldURL: URL
            var newURL: URL
            var revisionCauses: RevisionCauses?
            let folder: URL
            if !rev.isEmpty {
                guard rev.count == 2, paths.isEmpty else { throw badInput("give either two folders or --rev twice") }
                folder = try OutputFolder.checkTarget(out)
                let builder = try RevisionBuilder(studies: study)
                let built = try builder.reports(for: rev)
                (oldURL, newURL) = (built[0].output, built[1].output)
                revisionCauses = try builder.causes(old: built[0], new: built[1])
            } else {
                guard paths.count == 2 else { throw badInput("expected two folders (old, new), got \(paths.count)") }
                (oldURL, newURL) = (OutputFolder.resolve(paths[0]), OutputFolder.resolve(paths[1]))
                folder = try OutputFolder.checkTarget(out, inputs: [oldURL, newURL])
            }
            var result: DiffResult
            do {
                result = try BundleDiff(
                    old: oldURL, new: newURL,
                    defaultTolerance: Tolerance(relative: relativeTolerance, absolute: absoluteTolerance)
                ).compare()
            } catch let e as DiffError {
                throw badInput(e.description)
            }
            result.revisions = revisionCauses
            if !rev.isEmpty { FileHandle.standardError.write(Data("rendering the diff report\n".utf8)) }
            try DiffReportWriter.write(result, to: folder)
            print(result.summary)
            print("diff report: \(out)/diff.md (also diff.html, diff.json, diff-junit.xml)")
            if !result.withinTolerance { throw ExitCode(1) }
        }

        func badInput(_ message: String) -> Error { UsageError(message) }
    }
}

/// Builds git revisions once each and regenerates their reports, sharing one result cache.
///
/// Each commit is checked out (git worktree) and built in release mode under `.build-revisions/tree-<commit>`,
/// and kept there: a later call with the same commit reuses the binary without building (a commit never
/// changes). Both revisions write their bundles with one shared result cache, `.build-revisions/cache`; its
/// keys hold the physics version compiled into each binary, so a run is reused exactly when its model inputs
/// and physics are the same — a change to templates or plotting recomputes no model run. `WORKTREE` means the
/// working tree itself (built in place, never cached as a commit).
struct RevisionBuilder {
    let studies: [String]
    let root: String
    let scratch: URL

    struct Built {
        let name: String
        let commit: String
        let output: URL
        let isWorktree: Bool
        var description: String { "\(name) (\(commit))" }
    }

    init(studies: [String]) throws {
        self.studies = studies
        guard let top = try? Self.shell(["git", "rev-parse", "--show-toplevel"], in: nil) else {
            throw UsageError(
                "--rev needs a git repository: run cathodelab diff --rev from inside a clone of CathodeLab")
        }
        root = top.trimmingCharacters(in: .whitespacesAndNewlines)
        scratch = URL(fileURLWithPath: root).appendingPathComponent(".build-revisions")
    }

    func say(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

    func reports(for revisions: [String]) throws -> [Built] {
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        try OutputFolder.mark(scratch, kind: "revisions")
        let cache = scratch.appendingPathComponent("cache")
        var built: [Built] = []
        for (k, rev) in revisions.enumerated() {
            let source: String
            let commit: String
            let isWorktree = rev.uppercased() == "WORKTREE"
            if isWorktree {
                source = root
                commit =
                    ((try? Self.shell(["git", "rev-parse", "HEAD"], in: root))?.trimmingCharacters(
                        in: .whitespacesAndNewlines) ?? "unknown") + "+worktree"
            } else {
                guard
                    let resolved = try? Self.shell(
                        ["git", "rev-parse", "--verify", "--quiet", "\(rev)^{commit}"], in: root)
                else {
                    throw UsageError("--rev \(rev) is not a commit of this repository (git rev-parse found nothing)")
                }
                commit = resolved.trimmingCharacters(in: .whitespacesAndNewlines)
                source = try checkout(commit)
            }
            let label = "[\(k + 1)/\(revisions.count)] \(rev) (\(commit.prefix(12)))"
            let binary = source + "/.build/release/cathodelab"
            let builtMarker = URL(fileURLWithPath: source).appendingPathComponent(".build/cathodelab-revision-built")
            if !isWorktree && FileManager.default.fileExists(atPath: builtMarker.path)
                && FileManager.default.isExecutableFile(atPath: binary)
            {
                say("\(label): reusing the release build in \(source)")
            } else {
                say("\(label): building in release mode in \(source) (once per commit; a few minutes)")
                let started = Date()
                _ = try Self.shell(["swift", "build", "-c", "release", "--product", "cathodelab"], in: source)
                if !isWorktree {
                    _ = FileManager.default.createFile(atPath: builtMarker.path, contents: Data(commit.utf8))
                }
                say(String(format: "\(label): built in %.0f s", Date().timeIntervalSince(started)))
            }
            let output = scratch.appendingPathComponent("output-\(k)-\(commit.prefix(12))")
            if FileManager.default.fileExists(atPath: output.path) && OutputFolder.isOwned(output) {
                try FileManager.default.removeItem(at: output)
            }
            let help = (try? Self.shell([binary, "report", "--help"], in: source)) ?? ""
            var arguments =
                [binary, "report"] + studies + ["--out", output.path, "--templates", source + "/templates"]
            if help.contains("--cache") {
                arguments += ["--cache", cache.path]
            } else {
                say(
                    "\(label): this revision predates shared caches (no report --cache): its runs are computed in its own cache"
                )
            }
            say("\(label): computing the reports (runs already in the shared cache are reused)")
            _ = try Self.shell(arguments, in: source, passStandardError: true)
            built.append(Built(name: rev, commit: commit, output: output, isWorktree: isWorktree))
        }
        return built
    }

    /// A worktree of `commit`, created once under `.build-revisions/tree-<commit>` and kept for later calls.
    func checkout(_ commit: String) throws -> String {
        let tree = scratch.appendingPathComponent("tree-\(commit.prefix(12))")
        if !FileManager.default.fileExists(atPath: tree.appendingPathComponent("Package.swift").path) {
            _ = try? Self.shell(["git", "worktree", "prune"], in: root)
            _ = try Self.shell(["git", "worktree", "add", "--detach", "--force", tree.path, commit], in: root)
        }
        return tree.path
    }

    /// The commits between the two revisions and the files they change (for WORKTREE: against the working tree).
    func causes(old: Built, new: Built) throws -> RevisionCauses {
        let oldCommit = old.commit.replacingOccurrences(of: "+worktree", with: "")
        let newCommit = new.commit.replacingOccurrences(of: "+worktree", with: "")
        let log = (try? Self.shell(["git", "log", "--format=%H%x09%s", "\(oldCommit)..\(newCommit)"], in: root)) ?? ""
        let commits = log.split(separator: "\n").compactMap { line -> RevisionCauses.Commit? in
            let parts = line.split(separator: "\t", maxSplits: 1)
            guard let hash = parts.first else { return nil }
            return RevisionCauses.Commit(hash: String(hash), subject: parts.count > 1 ? String(parts[1]) : "")
        }
        var diffArguments = ["git", "diff", "--name-only", oldCommit]
        if !new.isWorktree { diffArguments.append(newCommit) }
        var files = ((try? Self.shell(diffArguments, in: root)) ?? "").split(separator: "\n").map(String.init)
        if new.isWorktree {
            files += ((try? Self.shell(["git", "ls-files", "--others", "--exclude-standard"], in: root)) ?? "").split(
                separator: "\n"
            ).map(String.init)
        }
        return RevisionCauses(
            old: old.name, new: new.name, oldCommit: old.commit, newCommit: new.commit, commits: commits,
            files: Array(Set(files)).sorted())
    }

    /// Runs a command; its standard error goes to ours when `passStandardError` (progress), else into the error.
    static func shell(_ args: [String], in dir: String?, passStandardError: Bool = false) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = args
        if let dir { process.currentDirectoryURL = URL(fileURLWithPath: dir) }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = passStandardError ? FileHandle.standardError : error
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = passStandardError ? Data() : error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CLIError(
                "`\(args.joined(separator: " "))` failed (exit \(process.terminationStatus)): \(String(decoding: errorData, as: UTF8.self).suffix(2000))"
            )
        }
        return String(decoding: outputData, as: UTF8.self)
    }
}
