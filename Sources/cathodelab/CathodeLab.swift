import ArgumentParser
import CairoBackend
import Foundation
import Plotting
import Studies

/// The `cathodelab` command line. Every error is turned into a message on stderr and a non-zero exit by
/// ArgumentParser's error handling (`ExitCode`, `ValidationError`), or by `CLIError` below.
@main
struct CathodeLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cathodelab",
        abstract: "Dense-cathode battery models, publication figures and reproducible study reports.",
        subcommands: [Report.self, Simulate.self, Params.self, Gallery.self]
    )
}

/// A failure the user can act on: printed as `error: <message>` with exit code 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

extension CathodeLab {
    /// Regenerates every report into the output folder (today: the figure gallery).
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Regenerate every report into the output folder (currently the figure gallery).")

        @Option(name: .long, help: "Output folder.")
        var out: String = "output"

        @Option(name: .long, help: "PNG resolution [dots per inch], 50–1200.")
        var dpi: Double = 300

        @Flag(name: .long, help: "Print nothing but errors.")
        var quiet = false

        func validate() throws {
            guard (50...1200).contains(dpi) else { throw ValidationError("--dpi \(dpi) is outside the allowed range 50–1200 dots per inch") }
        }

        func run() throws {
            try GalleryWriter.write(to: URL(fileURLWithPath: out).appendingPathComponent("gallery"), dpi: dpi, quiet: quiet)
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

/// Writes the gallery into a temporary sibling folder and moves it into place only when complete.
enum GalleryWriter {
    static func write(to folder: URL, dpi: Double, quiet: Bool) throws {
        let fm = FileManager.default
        let parent = folder.deletingLastPathComponent()
        try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        let staging = parent.appendingPathComponent(".\(folder.lastPathComponent).partial")
        try? fm.removeItem(at: staging)
        try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        let renderer = CairoRenderer(dpi: dpi)
        var index = "# Figure gallery\n\nOne example of every plot type of the CathodeLab figure engine, each as PDF, SVG and PNG (\(Int(dpi)) dpi).\n\n"
        for (name, figure) in Studies.Gallery.figures() {
            do {
                try renderer.write(figure, to: staging.appendingPathComponent(name))
            } catch {
                try? fm.removeItem(at: staging)
                throw CLIError("gallery figure '\(name)': \(error)")
            }
            index += "## \(name)\n\n![\(name)](\(name).png)\n\n[PDF](\(name).pdf) · [SVG](\(name).svg)\n\n"
            if !quiet { print("rendered \(folder.path)/\(name).{pdf,svg,png}") }
        }
        try Data(index.utf8).write(to: staging.appendingPathComponent("index.md"))
        if fm.fileExists(atPath: folder.path) { try fm.removeItem(at: folder) }
        try fm.moveItem(at: staging, to: folder)
    }
}
