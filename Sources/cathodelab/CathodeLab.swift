import ArgumentParser
import CairoBackend
import Foundation
import Plotting
import ResultStore
import Studies

/// The `cathodelab` command line. Every error is turned into a message on stderr and a non-zero exit by
/// ArgumentParser's error handling (`ExitCode`, `ValidationError`), or by `CLIError` below.
@main
struct CathodeLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cathodelab",
        abstract: "Dense-cathode battery models, publication figures and reproducible study reports.",
        subcommands: [Report.self, List.self, Simulate.self, Params.self, Gallery.self]
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
        static let configuration = CommandConfiguration(abstract: "Regenerate every study report (and the figure gallery) into the output folder.")

        @Argument(help: "Study ids to run (default: all). `cathodelab list` shows them.")
        var ids: [String] = []

        @Option(name: .long, help: "Output folder.")
        var out: String = "output"

        @Option(name: .long, help: "PNG resolution [dots per inch], 50–1200.")
        var dpi: Double = 300

        @Flag(name: .long, help: "Print nothing but errors.")
        var quiet = false

        func validate() throws {
            guard (50...1200).contains(dpi) else { throw ValidationError("--dpi \(dpi) is outside the allowed range 50–1200 dots per inch") }
            let known = StudyCatalogue.all.map(\.id)
            for id in ids where !known.contains(id) { throw ValidationError("unknown study '\(id)' (known: \(known.joined(separator: ", ")))") }
        }

        func run() throws {
            let root = URL(fileURLWithPath: out)
            let renderer = CairoRenderer(dpi: dpi)
            let version = ReportWriter.codeVersion()
            let selected = ids.isEmpty ? StudyCatalogue.all : StudyCatalogue.all.filter { ids.contains($0.id) }
            var failures: [String] = []
            for study in selected {
                let t0 = Date()
                do {
                    let output = try study.run()
                    let seconds = Date().timeIntervalSince(t0)
                    try ReportWriter.write(study, output: output, to: root.appendingPathComponent(study.id), renderer: renderer, version: version, seconds: seconds)
                    if !quiet { print(String(format: "%@  %.1f s  → %@/%@/report.md", study.id, seconds, out, study.id)) }
                } catch {
                    failures.append("\(study.id): \(error)")
                    FileHandle.standardError.write(Data("error: study \(study.id) failed: \(error)\n".utf8))
                }
            }
            if ids.isEmpty { try GalleryWriter.write(to: root.appendingPathComponent("gallery"), dpi: dpi, quiet: quiet) }
            var index = "# CathodeLab reports\n\nStudies regenerating Naik et al., EES Batteries 1, 1184 (2025). Code version \(version.commit)\(version.dirty ? " (with uncommitted changes)" : "").\n\n| study | paper figure | report |\n|---|---|---|\n"
            for s in StudyCatalogue.all where FileManager.default.fileExists(atPath: root.appendingPathComponent(s.id).path) {
                index += "| \(s.title) | \(s.paperFigure) | [\(s.id)](\(s.id)/report.md) |\n"
            }
            index += "\n[Figure gallery](gallery/index.md): one example of every plot type.\n"
            try Data(index.utf8).write(to: root.appendingPathComponent("index.md"))
            if !failures.isEmpty { throw CLIError("\(failures.count) stud\(failures.count == 1 ? "y" : "ies") failed:\n  " + failures.joined(separator: "\n  ")) }
        }
    }

    /// Lists the studies.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the studies (id, paper figure, title).")
        func run() {
            for s in StudyCatalogue.all { print("\(s.id.padding(toLength: 32, withPad: " ", startingAt: 0)) \(s.paperFigure.padding(toLength: 12, withPad: " ", startingAt: 0)) \(s.title)") }
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
