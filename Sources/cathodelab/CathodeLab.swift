import ArgumentParser
import BuildInfo
import CairoBackend
import Foundation
import Plotting
import ReportEngine
import ResultStore
import Studies
import StudyKit

/// The `cathodelab` command line. Errors become one message on stderr and a documented exit code
/// (`EntryPoint`: 0 success, 1 failure or changes outside tolerance, 2 bad usage or input).
struct CathodeLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cathodelab",
        abstract: "Dense-cathode battery models, publication figures and reproducible study reports.",
        discussion:
            "Exit codes: 0 success; 1 a run or study failed, or a diff found changes outside tolerance; 2 bad usage or input.",
        version: BuildInfo.summary,
        subcommands: [
            Report.self, Document.self, List.self, Diff.self, Simulate.self, Calibrate.self, Fit.self, Params.self,
            Gallery.self, Slurm.self,
        ]
    )
}

/// `text` padded with spaces to `width` (never truncated).
func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}

/// Where templates come from: `--templates DIR` or the ones built into the binary.
func templateSource(_ folder: String?) throws -> TemplateSource {
    guard let folder else { return .embedded(BuildInfo.templates) }
    let source = TemplateSource.folder(OutputFolder.resolve(folder))
    do {
        try source.checkExists()
    } catch let error as TemplateFolderError {
        throw UsageError(error.description)
    }
    return source
}

extension CathodeLab {
    /// Regenerates every report into the output folder: each study's bundle, the gallery and an index.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Regenerate every study report (or the named ones), the figure gallery and the index.",
            discussion: """
                The output folder must be new, empty, or one CathodeLab wrote (it carries a .cathodelab marker); a second \
                report into the same folder waits for the first. Bundles are replaced without a gap: an interrupted run \
                leaves the previous bundle in place.
                """)

        @Argument(help: "Study ids to run (default: all). `cathodelab list` shows them.")
        var ids: [String] = []

        @Option(name: .long, help: "Output folder.")
        var out: String = "output"

        @Option(name: .long, help: "Folder of narrative templates (default: the templates built into cathodelab).")
        var templates: String?

        @Option(name: .long, help: "Parallel simulations (default: the number of cores), 1–256.")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Flag(name: .long, help: "Ignore cached results and recompute every run.")
        var force = false

        @Option(name: .long, help: "PNG resolution [dots per inch], 50–1200.")
        var dpi: Double = 300

        @Flag(name: .long, help: "Print nothing but errors.")
        var quiet = false

        @Option(
            name: .long,
            help:
                "Result cache folder shared between output folders (default: <out>/.cache); cache keys hold the physics version, so sharing is safe."
        )
        var cache: String?

        @Option(
            name: .long,
            help:
                "Compute only part I of N (0 ≤ I < N) of the missing model runs into the cache and write no bundle, e.g. --shard $SLURM_ARRAY_TASK_ID/N. Runs are split by cache key: shards never overlap and need no coordination."
        )
        var shard: String?

        @Flag(
            name: .customLong("from-cache"),
            help:
                "Assemble the bundles from the cache without computing; fails, naming every missing run, if any is absent (nothing is written then)."
        )
        var fromCache = false

        @Flag(
            name: .long,
            help:
                "Write each report.html standalone: stylesheet and figures (SVG) inline, a link back to the index, a footer with the code version, commit and its date; it opens with no other file (e.g. from a mail attachment)."
        )
        var standalone = false

        /// "I/N" → (I, N), with 0 ≤ I < N ≤ 100 000.
        static func parseShard(_ text: String) throws -> (index: Int, count: Int) {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
                throw ValidationError("--shard '\(text)' is not of the form I/N with whole numbers (e.g. --shard 0/4)")
            }
            guard (1...100_000).contains(count) else {
                throw ValidationError(
                    "--shard \(text): the number of shards N = \(count) is outside the allowed range 1–100000")
            }
            guard (0..<count).contains(index) else {
                throw ValidationError(
                    "--shard \(text): the shard index I = \(index) is outside the allowed range 0–\(count - 1) (shards are numbered from 0, as Slurm array task ids)"
                )
            }
            return (index, count)
        }

        func validate() throws {
            guard (50...1200).contains(dpi) else {
                throw ValidationError("--dpi \(dpi) is outside the allowed range 50–1200 dots per inch")
            }
            guard (1...256).contains(jobs) else {
                throw ValidationError("--jobs \(jobs) is outside the allowed range 1–256")
            }
            if let shard { _ = try Self.parseShard(shard) }
            if shard != nil && fromCache {
                throw ValidationError(
                    "--shard and --from-cache exclude each other: a shard computes runs, --from-cache computes none")
            }
            let known = StudyCatalogue.known.map(\.id)
            for id in ids where !known.contains(id) {
                throw ValidationError("unknown study '\(id)' (known: \(known.joined(separator: ", ")))")
            }
        }

        func run() throws {
            let source = try templateSource(templates)
            let root = try OutputFolder.checkTarget(out)
            let cacheFolder = try cache.map { try OutputFolder.checkTarget($0, option: "--cache") }
            let progress = ProgressReporter(quiet: quiet)
            if let changed = PhysicsVersion.sourcesChangedSinceBuild() { progress.warn(changed) }
            let selected = ids.isEmpty ? StudyCatalogue.all : StudyCatalogue.known.filter { ids.contains($0.id) }
            if let shard {
                try runShard(
                    try Self.parseShard(shard), studies: selected, root: root, cacheFolder: cacheFolder,
                    templates: source, progress: progress)
                return
            }
            if fromCache {
                // Every run must be there before anything is written.
                var check = ReportOptions(outputRoot: root, templates: source, jobs: jobs)
                check.cacheDirectory = cacheFolder
                let missing = try StudyRunner(options: check, progress: progress).missingRuns(selected)
                if !missing.isEmpty {
                    let total = try StudyRunner(options: check, progress: progress).cachedWorkCount(selected)
                    throw CLIError(StudyError.runsNotCached(missing, total: total).description)
                }
            }
            try OutputFolder.prepareRoot(root, kind: "report")
            let lock = try FolderLock(root) { progress.warn($0) }
            defer { withExtendedLifetime(lock) {} }
            var options = ReportOptions(outputRoot: root, templates: source, jobs: jobs, force: force, dpi: dpi)
            options.computeMissing = !fromCache
            options.standaloneHTML = standalone
            options.figureIndex = StudyCatalogue.figureIndex
            if let cacheFolder {
                try OutputFolder.prepareRoot(cacheFolder, kind: "cache")
                options.cacheDirectory = cacheFolder
            }
            try options.cache.checkUsable()
            let runner = StudyRunner(options: options, progress: progress)
            let foreign = runner.foreignBundleFolders(selected)
            guard foreign.isEmpty else {
                throw UsageError(
                    "refusing to replace folders CathodeLab did not write (no \(OutputMarker.fileName) marker): \(foreign.joined(separator: ", ")). Move them away or choose another --out"
                )
            }
            let outcomes = runner.run(selected)
            if ids.isEmpty {
                try GalleryWriter.write(to: root.appendingPathComponent("gallery"), dpi: dpi, quiet: true, force: force)
            }
            // The index lists every study whose bundle exists (or that just failed).
            let entries: [IndexPage.Entry] = StudyCatalogue.known.compactMap { study in
                let failure = outcomes.first { $0.id == study.id }?.error
                let exists = FileManager.default.fileExists(
                    atPath: root.appendingPathComponent(study.id).appendingPathComponent("report.md").path)
                guard exists || failure != nil else { return nil }
                let first = study.body.lazy.compactMap { element -> String? in
                    if case .figure(let figure) = element { return figure.name }
                    return nil
                }.first
                return IndexPage.Entry(
                    id: study.id, title: study.title, paperFigure: study.paperFigure, firstFigure: first, error: failure
                )
            }
            try IndexPage.write(
                entries, to: root, codeVersion: options.codeVersion,
                galleryLink: FileManager.default.fileExists(atPath: root.appendingPathComponent("gallery").path))
            let failures = outcomes.filter { $0.error != nil }
            if !failures.isEmpty {
                let list = failures.map { "\($0.id): \($0.error ?? "")" }.joined(separator: "\n  ")
                throw CLIError(
                    "\(failures.count) of \(outcomes.count) stud\(outcomes.count == 1 ? "y" : "ies") failed:\n  \(list)"
                )
            }
        }
    }

}

extension CathodeLab.Report {
    /// `--shard I/N`: computes that part of the missing runs into the cache; no bundle, no index, no lock on the report
    /// folder (many shards may share it and the cache; cache entries are written atomically under unique names).
    func runShard(
        _ shard: (index: Int, count: Int), studies: [any Study], root: URL, cacheFolder: URL?,
        templates: TemplateSource, progress: ProgressReporter
    ) throws {
        var options = ReportOptions(outputRoot: root, templates: templates, jobs: jobs, force: force, dpi: dpi)
        if let cacheFolder {
            try OutputFolder.prepareRoot(cacheFolder, kind: "cache")
            options.cacheDirectory = cacheFolder
        } else {
            try OutputFolder.prepareRoot(root, kind: "report")
        }
        try options.cache.checkUsable()
        let started = Date()
        let outcome = try StudyRunner(options: options, progress: progress).runShard(
            studies, index: shard.index, count: shard.count)
        print(
            String(
                format: "shard %d/%d: %d of %d runs assigned, %d already cached, %d computed in %.1f s into %@",
                outcome.index, outcome.count, outcome.assigned,
                outcome.total, outcome.alreadyCached, outcome.computed, Date().timeIntervalSince(started),
                options.cache.directory.path))
    }
}

extension CathodeLab {
    /// Lists the studies, whether their bundles are current and whether their runs are cached.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the studies: id, paper figure, bundle and cache state, title.",
            discussion: """
                A bundle is "current" when this binary's physics version made it and "stale" when another did (its numbers \
                may differ from what this code computes). The cache column counts the study's model runs already cached.
                """)

        @Option(name: .long, help: "Output folder whose bundles and cache are inspected.")
        var out: String = "output"

        @Option(name: .long, help: "Folder of narrative templates (default: the templates built into cathodelab).")
        var templates: String?

        func run() throws {
            let options = ReportOptions(outputRoot: OutputFolder.resolve(out), templates: try templateSource(templates))
            let runner = StudyRunner(options: options, progress: ProgressReporter(quiet: true))
            print(
                "cathodelab \(BuildInfo.version), physics \(PhysicsVersion.current); bundles and cache in \(options.outputRoot.path)"
            )
            if let changed = PhysicsVersion.sourcesChangedSinceBuild() { print("note: \(changed)") }
            var invalid: [String] = []
            for study in StudyCatalogue.known {
                let bundle: String
                switch runner.bundleStatus(study) {
                case .missing: bundle = "no bundle"
                case .current: bundle = "current"
                case .stale(let version): bundle = "stale (physics \(version))"
                case .unreadable: bundle = "unreadable manifest"
                }
                let cache: String
                do {
                    if StudyCatalogue.onDemand.contains(where: { $0.id == study.id }) {
                        // A cluster-size study has millions of runs: resolving them only to count would take minutes.
                        cache = "on demand (by name)"
                    } else {
                        let (cached, total) = try runner.cacheStatus(study)
                        cache = "\(cached)/\(total) runs cached"
                    }
                } catch {
                    cache = "invalid declaration"
                    invalid.append("\(study.id): \(error)")
                }
                print(
                    [pad(study.id, 30), pad(study.paperFigure, 22), pad(bundle, 28), pad(cache, 20), study.title]
                        .joined(separator: " "))
            }
            if !invalid.isEmpty {
                throw CLIError(
                    "\(invalid.count) stud\(invalid.count == 1 ? "y is" : "ies are") declared wrongly:\n  "
                        + invalid.joined(separator: "\n  "))
            }
        }
    }

    /// Renders the figure gallery: one example of every plot type, in PDF, SVG and PNG.
    struct Gallery: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render the figure gallery (every plot type) to PDF, SVG and PNG.")

        @Option(name: .long, help: "Output folder for the gallery.")
        var out: String = "output/gallery"

        @Option(name: .long, help: "PNG resolution [dots per inch], 50–1200.")
        var dpi: Double = 300

        @Flag(name: .long, help: "Print nothing but errors.")
        var quiet = false

        @Option(
            name: .long,
            help:
                "Result cache folder shared between output folders (default: <out>/.cache); cache keys hold the physics version, so sharing is safe."
        )
        var cache: String?

        func validate() throws {
            guard (50...1200).contains(dpi) else {
                throw ValidationError("--dpi \(dpi) is outside the allowed range 50–1200 dots per inch")
            }
        }

        func run() throws {
            try GalleryWriter.write(to: try OutputFolder.checkTarget(out), dpi: dpi, quiet: quiet)
        }
    }
}

/// Writes the gallery as one folder replaced without a gap (see `OutputFolder.replace`).
enum GalleryWriter {
    /// The gallery depends on the rendering code and the resolution only: `freeze.txt` holds both, and a gallery that
    /// CathodeLab wrote with the same key is kept as it is (`force` rewrites it).
    static func write(to folder: URL, dpi: Double, quiet: Bool, force: Bool = false) throws {
        let key = "rendering \(BuildInfo.renderingVersion), dpi \(dpi), cathodelab \(BuildInfo.version)\n"
        let stamp = folder.appendingPathComponent("freeze.txt")
        if !force, OutputFolder.isOwned(folder), (try? String(contentsOf: stamp, encoding: .utf8)) == key,
            FileManager.default.fileExists(atPath: folder.appendingPathComponent("index.md").path)
        {
            return
        }
        let renderer = CairoRenderer(dpi: dpi)
        try OutputFolder.replace(folder, kind: "gallery") { staging in
            try Data(key.utf8).write(to: staging.appendingPathComponent("freeze.txt"))
            var index =
                "# Figure gallery\n\nOne example of every plot type of the CathodeLab figure engine, each as PDF, SVG and PNG (\(Int(dpi)) dpi).\n\n"
            for (name, figure) in Studies.Gallery.figures() {
                do {
                    try renderer.write(figure, to: staging.appendingPathComponent(name))
                } catch {
                    throw CLIError("gallery figure '\(name)': \(error)")
                }
                index += "## \(name)\n\n![\(name)](\(name).png)\n\n[PDF](\(name).pdf) · [SVG](\(name).svg)\n\n"
                if !quiet { print("rendered \(folder.path)/\(name).{pdf,svg,png}") }
            }
            try Data(index.utf8).write(to: staging.appendingPathComponent("index.md"))
        }
    }
}
