import ArgumentParser
import CairoBackend
import Foundation
import Plotting
import ReportEngine
import ResultStore
import Studies
import StudyKit

/// The `cathodelab` command line. Every error is turned into a message on stderr and a non-zero exit by
/// ArgumentParser's error handling (`ExitCode`, `ValidationError`), or by `CLIError` below.
@main
struct CathodeLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cathodelab",
        abstract: "Dense-cathode battery models, publication figures and reproducible study reports.",
        subcommands: [Report.self, List.self, Diff.self, Simulate.self, Fit.self, Params.self, Gallery.self]
    )
}

/// A failure the user can act on: printed as `error: <message>` with exit code 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

extension CathodeLab {
    /// Regenerates every report into the output folder: each study's bundle, the gallery and an index.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Regenerate every study report (or the named ones), the figure gallery and the index.")

        @Argument(help: "Study ids to run (default: all). `cathodelab list` shows them.")
        var ids: [String] = []

        @Option(name: .long, help: "Output folder.")
        var out: String = "output"

        @Option(name: .long, help: "Folder of the narrative templates.")
        var templates: String = "templates"

        @Option(name: .long, help: "Parallel simulations (default: the number of cores).")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Flag(name: .long, help: "Ignore cached results and recompute every run.")
        var force = false

        @Option(name: .long, help: "PNG resolution [dots per inch], 50–1200.")
        var dpi: Double = 300

        @Flag(name: .long, help: "Print nothing but errors.")
        var quiet = false

        func validate() throws {
            guard (50...1200).contains(dpi) else { throw ValidationError("--dpi \(dpi) is outside the allowed range 50–1200 dots per inch") }
            guard (1...256).contains(jobs) else { throw ValidationError("--jobs \(jobs) is outside the allowed range 1–256") }
            let known = StudyCatalogue.all.map(\.id)
            for id in ids where !known.contains(id) { throw ValidationError("unknown study '\(id)' (known: \(known.joined(separator: ", ")))") }
        }

        func run() throws {
            let root = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            let options = ReportOptions(outputRoot: root, templates: URL(fileURLWithPath: templates), jobs: jobs, force: force, dpi: dpi,
                                        codeVersion: CodeVersionProbe.current())
            let runner = StudyRunner(options: options, progress: ProgressReporter(quiet: quiet))
            let selected = ids.isEmpty ? StudyCatalogue.all : StudyCatalogue.all.filter { ids.contains($0.id) }
            let outcomes = runner.run(selected)
            if ids.isEmpty { try GalleryWriter.write(to: root.appendingPathComponent("gallery"), dpi: dpi, quiet: true) }
            // The index lists every study whose bundle exists (or that just failed).
            let entries: [IndexPage.Entry] = StudyCatalogue.all.compactMap { s in
                let failure = outcomes.first { $0.id == s.id }?.error
                let exists = FileManager.default.fileExists(atPath: root.appendingPathComponent(s.id).appendingPathComponent("report.md").path)
                guard exists || failure != nil else { return nil }
                let first = s.body.lazy.compactMap { e -> String? in if case .figure(let f) = e { return f.name }; return nil }.first
                return IndexPage.Entry(id: s.id, title: s.title, paperFigure: s.paperFigure, firstFigure: first, error: failure)
            }
            try IndexPage.write(entries, to: root, codeVersion: options.codeVersion,
                                galleryLink: FileManager.default.fileExists(atPath: root.appendingPathComponent("gallery").path))
            let failures = outcomes.filter { $0.error != nil }
            if !failures.isEmpty {
                throw CLIError("\(failures.count) of \(outcomes.count) stud\(outcomes.count == 1 ? "y" : "ies") failed:\n  " + failures.map { "\($0.id): \($0.error!)" }.joined(separator: "\n  "))
            }
        }
    }

    /// Lists the studies and whether their cached results are current.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the studies: id, paper figure, title, and whether the cached results are current.")

        @Option(name: .long, help: "Output folder whose cache is inspected.")
        var out: String = "output"

        @Option(name: .long, help: "Folder of the narrative templates.")
        var templates: String = "templates"

        func run() throws {
            let runner = StudyRunner(options: ReportOptions(outputRoot: URL(fileURLWithPath: out), templates: URL(fileURLWithPath: templates)),
                                     progress: ProgressReporter(quiet: true))
            for s in StudyCatalogue.all {
                let status: String
                do {
                    let (cached, total) = try runner.cacheStatus(s)
                    status = cached == total ? "current (\(total) runs cached)" : "stale: \(total - cached) of \(total) runs to compute"
                } catch { status = "invalid: \(error)" }
                print("\(s.id.padding(toLength: 30, withPad: " ", startingAt: 0)) \(s.paperFigure.padding(toLength: 11, withPad: " ", startingAt: 0)) \(status.padding(toLength: 36, withPad: " ", startingAt: 0)) \(s.title)")
            }
        }
    }

    /// Renders the figure gallery: one example of every plot type, in PDF, SVG and PNG.
    struct Gallery: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Render the figure gallery (every plot type) to PDF, SVG and PNG.")

        @Option(name: .long, help: "Output folder for the gallery.")
        var out: String = "output/gallery"

        @Option(name: .long, help: "PNG resolution [dots per inch], 50–1200.")
        var dpi: Double = 300

        @Flag(name: .long, help: "Print nothing but errors.")
        var quiet = false

        func validate() throws {
            guard (50...1200).contains(dpi) else { throw ValidationError("--dpi \(dpi) is outside the allowed range 50–1200 dots per inch") }
        }

        func run() throws {
            try GalleryWriter.write(to: URL(fileURLWithPath: out), dpi: dpi, quiet: quiet)
        }
    }
}

/// Writes the gallery atomically (a temporary sibling folder moved into place only when complete).
enum GalleryWriter {
    static func write(to folder: URL, dpi: Double, quiet: Bool) throws {
        let renderer = CairoRenderer(dpi: dpi)
        try AtomicFolder.write(to: folder) { staging in
            var index = "# Figure gallery\n\nOne example of every plot type of the CathodeLab figure engine, each as PDF, SVG and PNG (\(Int(dpi)) dpi).\n\n"
            for (name, figure) in Studies.Gallery.figures() {
                do { try renderer.write(figure, to: staging.appendingPathComponent(name)) } catch {
                    throw CLIError("gallery figure '\(name)': \(error)")
                }
                index += "## \(name)\n\n![\(name)](\(name).png)\n\n[PDF](\(name).pdf) · [SVG](\(name).svg)\n\n"
                if !quiet { print("rendered \(folder.path)/\(name).{pdf,svg,png}") }
            }
            try Data(index.utf8).write(to: staging.appendingPathComponent("index.md"))
        }
    }
}

/// The git commit of the working tree and whether it has uncommitted changes (tracked files only).
enum CodeVersionProbe {
    static func current() -> BundleManifest.CodeVersion {
        func git(_ args: [String]) -> String? {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["git"] + args
            let pipe = Pipe()
            p.standardOutput = pipe
            p.standardError = FileHandle.nullDevice
            do { try p.run() } catch { return nil }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return p.terminationStatus == 0 ? String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : nil
        }
        let commit = git(["rev-parse", "HEAD"]) ?? "unknown"
        let status = git(["status", "--porcelain", "--untracked-files=no"]) ?? ""
        return BundleManifest.CodeVersion(commit: commit, dirty: !status.isEmpty)
    }
}
