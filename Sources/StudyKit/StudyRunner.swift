import BuildInfo
import CairoBackend
import Foundation
import Materials
import Plotting
import ReportEngine
import ResultStore
import Synchronization

/// Settings of a report run.
public struct ReportOptions: Sendable {
    public var outputRoot: URL
    public var templates: TemplateSource
    public var jobs: Int
    public var force: Bool
    public var dpi: Double
    /// The code that produced the bundles: fixed at build time (BuildInfo), never read from disk at run time.
    public var codeVersion: BundleManifest.CodeVersion
    public init(outputRoot: URL, templates: TemplateSource = .embedded(BuildInfo.templates), jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
                force: Bool = false, dpi: Double = 300,
                codeVersion: BundleManifest.CodeVersion = .init(commit: BuildInfo.commit, dirty: BuildInfo.dirty)) {
        self.outputRoot = outputRoot
        self.templates = templates
        self.jobs = max(1, jobs)
        self.force = force
        self.dpi = dpi
        self.codeVersion = codeVersion
    }
    /// Where model runs are cached: `<outputRoot>/.cache` unless set (several output folders, e.g. the two sides of
    /// `diff --rev`, may share one cache: its keys hold the physics version, so sharing is safe).
    public var cacheDirectory: URL?
    /// false = assemble bundles from the cache only (`report --from-cache`): a study with a run missing fails.
    public var computeMissing = true
    public var cache: ResultCache { ResultCache(directory: cacheDirectory ?? outputRoot.appendingPathComponent(".cache")) }
}

/// The Swift file that declares a study, as compiled into the binary (BuildInfo.studySources): the file whose
/// text declares `id = "<study id>"`.
public enum StudyDeclarationSource {
    public static func find(_ id: String, in sources: [String: String] = BuildInfo.studySources) -> (file: String, text: String)? {
        let needle = "id = \"\(id)\""
        return sources.keys.sorted().lazy.compactMap { file in
            sources[file].flatMap { $0.contains(needle) ? (file, $0) : nil }
        }.first
    }
}

/// What happened to one study.
public struct StudyOutcome: Sendable {
    public let id: String
    public let error: String?
    public let seconds: Double
    public let computed: Int
    public let cached: Int
}

/// Turns study declarations into bundles: validates the declaration, resolves every sweep point into a
/// model run keyed by content hash, takes what the cache has, computes the rest in parallel, evaluates
/// figures/quantities/comparisons, fills the narrative template and writes the bundle atomically.
/// A failing study is reported and the others still run.
public struct StudyRunner: Sendable {
    public let options: ReportOptions
    public let progress: ProgressReporter
    public init(options: ReportOptions, progress: ProgressReporter) { self.options = options; self.progress = progress }

    public func run(_ studies: [any Study]) -> [StudyOutcome] {
        let prefetched = prefetch(studies)
        return studies.map { study in
            let t0 = Date()
            do {
                let (computed, cached) = try runOne(study, started: t0, prefetched: prefetched)
                let seconds = Date().timeIntervalSince(t0)
                progress.finished(study: study.id, seconds: seconds, path: options.outputRoot.appendingPathComponent(study.id).appendingPathComponent("report.md").path)
                return StudyOutcome(id: study.id, error: nil, seconds: seconds, computed: computed, cached: cached)
            } catch {
                progress.warn("study \(study.id) failed: \(error)")
                return StudyOutcome(id: study.id, error: "\(error)", seconds: Date().timeIntervalSince(t0), computed: 0, cached: 0)
            }
        }
    }

    /// (cached, total) runs of a study, for `cathodelab list`.
    public func cacheStatus(_ study: any Study) throws -> (cached: Int, total: Int) {
        let plan = try Plan(study, physicsVersion: PhysicsVersion.current, templates: options.templates)
        let keys = Set(plan.jobs.flatMap { $0 }.map(\.key))
        return (keys.filter { options.cache.contains($0) }.count, keys.count)
    }

    /// The state of a study's bundle under the output root, for `cathodelab list`.
    public enum BundleStatus: Equatable, Sendable {
        case missing
        /// Made by this binary's physics version.
        case current
        /// Made by another physics version (the numbers may differ from what this code computes).
        case stale(physicsVersion: String)
        case unreadable
    }

    public func bundleStatus(_ study: any Study) -> BundleStatus {
        let url = options.outputRoot.appendingPathComponent(study.id).appendingPathComponent("manifest.json")
        guard let data = FileManager.default.contents(atPath: url.path) else { return .missing }
        guard let manifest = try? JSONDecoder().decode(BundleManifest.self, from: data) else { return .unreadable }
        return manifest.physicsVersion == PhysicsVersion.current ? .current : .stale(physicsVersion: manifest.physicsVersion)
    }

    /// Bundle folders of `studies` that exist but were not written by CathodeLab (they are never replaced).
    public func foreignBundleFolders(_ studies: [any Study]) -> [String] {
        studies.compactMap { study in
            let folder = options.outputRoot.appendingPathComponent(study.id)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) else { return nil }
            if isDirectory.boolValue, OutputFolder.isOwned(folder) || (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.isEmpty == true {
                return nil
            }
            return folder.path
        }
    }

    // MARK: - Plan

    /// A validated declaration with every model run resolved.
    struct Plan {
        let base: BaseParameters
        let sweeps: [Sweep]
        let jobs: [[ModelJob]]
        let figures: [FigureSpec]
        let quantities: [Quantities]
        let comparisons: [Comparisons]
        let tables: [DataTable]
        let textTables: [TextTableSpec]
        let tolerances: ToleranceTable
        let template: NarrativeTemplate
        let calibrations: [any Calibration]

        init(_ study: any Study, physicsVersion: String, templates: TemplateSource) throws {
            let elements = study.body
            var problems: [String] = []
            var bases: [BaseParameters] = [], sweeps: [Sweep] = [], figures: [FigureSpec] = []
            var quantities: [Quantities] = [], comparisons: [Comparisons] = [], tables: [DataTable] = []
            var textTables: [TextTableSpec] = []
            var tolerances = ToleranceTable()
            var calibrations: [any Calibration] = []
            for e in elements {
                switch e {
                case .base(let b): bases.append(b)
                case .sweep(let s): sweeps.append(s)
                case .figure(let f): figures.append(f)
                case .quantities(let q): quantities.append(q)
                case .comparisons(let c): comparisons.append(c)
                case .table(let t): tables.append(t)
                case .textTable(let t): textTables.append(t)
                case .tolerances(let t): tolerances.entries.merge(t.table.entries) { _, new in new }
                case .calibration(let c): calibrations.append(c.calibration)
                }
            }
            if study.id.isEmpty || study.id.contains("/") || study.id.hasPrefix(".") { problems.append("id '\(study.id)' must be a non-empty folder name") }
            if bases.count != 1 { problems.append("needs exactly one BaseParameters, found \(bases.count)") }
            for dup in duplicates(sweeps.map(\.name)) { problems.append("two sweeps are named '\(dup)'") }
            for dup in duplicates(figures.map(\.name)) { problems.append("two figures are named '\(dup)'") }
            for dup in duplicates(tables.map(\.name) + textTables.map(\.name)) { problems.append("two tables are named '\(dup)'") }
            for s in sweeps {
                if s.points.isEmpty { problems.append("sweep '\(s.name)' has no points") }
                for a in s.axes where a.values.isEmpty { problems.append("sweep '\(s.name)' axis '\(a.parameter)' has no values") }
                let names = Set(s.axes.map(\.parameter) + s.cases.flatMap { $0.overrides.keys })
                for n in names.sorted() where (s.base ?? bases.first).map({ ModelJob.knows(parameter: n, model: $0.model) }) == false {
                    problems.append("sweep '\(s.name)' varies unknown parameter '\(n)'")
                }
            }
            let template = NarrativeTemplate.load(named: study.template, from: templates)
            if template == nil { problems.append("narrative template \(study.template).md is not among \(templates.description)") }
            if !problems.isEmpty { throw StudyError.invalidDeclaration(study: study.id, problems: problems) }
            let base = bases[0]
            self.base = base
            self.sweeps = sweeps
            self.jobs = try sweeps.map { s in
                let b = s.base ?? base
                return try s.points.map { try ModelJob.make(model: b.model, base: b, overrides: $0.overrides, physicsVersion: physicsVersion) }
            }
            self.figures = figures; self.quantities = quantities; self.comparisons = comparisons; self.tables = tables
            self.textTables = textTables
            self.tolerances = tolerances
            self.template = template!
            self.calibrations = calibrations
        }
    }

    // MARK: - One study

    /// Computes the missing runs of all `studies` in one pool before any bundle is written, longest first
    /// (stress, then 2D, composite, 1D; LPT order), storing each in the cache as it finishes. Running one study
    /// at a time left a core idle whenever a study had fewer long runs than workers (a single stress field,
    /// four 2D discharges) while the next study waited. A run that fails here is left for its study's own pass,
    /// which reports it. Returns the keys computed.
    func prefetch(_ studies: [any Study]) -> Set<String> {
        guard studies.count > 1, options.jobs > 1, options.computeMissing else { return [] }
        var unique: [String: ModelJob] = [:]
        for study in studies {
            guard let plan = try? Plan(study, physicsVersion: PhysicsVersion.current, templates: options.templates) else { continue }
            for job in plan.jobs.flatMap({ $0 }) where unique[job.key] == nil && (options.force || !options.cache.contains(job.key)) {
                unique[job.key] = job
            }
        }
        guard !unique.isEmpty else { return [] }
        let rank: [ModelKind: Int] = [.impedance: 0, .stress: 1, .dense2d: 2, .composite: 3, .dense1d: 4]
        let jobs = unique.values.sorted { a, b in
            let ra = rank[a.model] ?? 4, rb = rank[b.model] ?? 4
            return ra != rb ? ra < rb : a.key < b.key
        }
        let started = Date()
        progress.note("computing \(jobs.count) missing runs of \(studies.count) studies on \(min(options.jobs, jobs.count)) workers, longest first")
        let done = Mutex(0)
        let cache = options.cache, progress = self.progress
        let stored = (try? ParallelWork.map(jobs.count, jobs: options.jobs) { index -> Bool in
            guard let output = try? jobs[index].run(), (try? cache.store(output, key: jobs[index].key, model: jobs[index].model)) != nil else { return false }
            let count = done.withLock { value in
                value += 1
                return value
            }
            progress.advanced(study: "all studies", done: count, total: jobs.count, studyStart: started)
            return true
        }) ?? []
        let computed = Set(zip(jobs, stored).filter(\.1).map(\.0.key))
        progress.note(String(format: "computed %d runs in %.1f s", computed.count, Date().timeIntervalSince(started)))
        return computed
    }

    func runOne(_ study: any Study, started: Date, prefetched: Set<String> = []) throws -> (computed: Int, cached: Int) {
        let plan = try Plan(study, physicsVersion: PhysicsVersion.current, templates: options.templates)
        // Distinct runs of this study (a point shared by two sweeps runs once).
        var unique: [String: ModelJob] = [:]
        for job in plan.jobs.flatMap({ $0 }) { unique[job.key] = job }
        let keys = unique.keys.sorted()
        var outputs: [String: ModelOutput] = [:]
        for k in keys where !options.force || prefetched.contains(k) {
            var warning: String?
            if let o = options.cache.load(k, warning: &warning) { outputs[k] = o }
            if let warning { progress.warn(warning) }
        }
        let missing = keys.filter { outputs[$0] == nil }
        if !options.computeMissing && !missing.isEmpty {
            throw StudyError.runsNotCached(missing.map { "\(study.id): \(unique[$0]!.model.rawValue) run \($0)" }, total: keys.count)
        }
        let computedAbove = keys.filter { prefetched.contains($0) }.count
        progress.began(study: study.id, total: keys.count, cached: keys.count - missing.count - computedAbove, computedAbove: computedAbove)
        let computed = try compute(missing.map { unique[$0]! }, study: study.id, started: started)
        for (k, o) in computed {
            outputs[k] = o
            try options.cache.store(o, key: k, model: unique[k]!.model)
        }

        var calibrationResults: [String: CalibrationResult] = [:]
        for calibration in plan.calibrations {
            let progress = self.progress
            let runner = CalibrationRunner(calibration, cache: options.cache, jobs: options.jobs) { progress.note("\(study.id): \($0)") }
            if !options.computeMissing && runner.cached() == nil {
                throw StudyError.runsNotCached(["\(study.id): calibration '\(calibration.id)'"], total: keys.count + 1)
            }
            calibrationResults[calibration.id] = try runner.run(force: options.force)
        }
        let results = StudyResults(sweeps: Dictionary(uniqueKeysWithValues: zip(plan.sweeps, plan.jobs).map { sweep, jobs in
            (sweep.name, SweepResults(sweep: sweep, points: zip(sweep.points, jobs).map { SweepPoint(label: $0.label, overrides: $0.overrides, output: outputs[$1.key]!) }))
        }), calibrations: calibrationResults)
        let computedCount = missing.count + computedAbove
        try writeBundle(study, plan: plan, results: results, seconds: Date().timeIntervalSince(started), computed: computedCount, cached: keys.count - computedCount)
        return (computedCount, keys.count - computedCount)
    }

    /// Runs `jobs` on `options.jobs` workers; returns (key, output) pairs. A failing run's error is rethrown.
    func compute(_ jobs: [ModelJob], study: String, started: Date) throws -> [(String, ModelOutput)] {
        guard !jobs.isEmpty else { return [] }
        let done = Mutex(0)
        let progress = self.progress
        let outputs = try ParallelWork.map(jobs.count, jobs: options.jobs) { index -> ModelOutput in
            let output: ModelOutput
            do { output = try jobs[index].run() } catch { throw SimulationFailure(setup: jobs[index], underlying: error) }
            let count = done.withLock { value in
                value += 1
                return value
            }
            progress.advanced(study: study, done: count, total: jobs.count, studyStart: started)
            return output
        }
        return Array(zip(jobs.map(\.key), outputs))
    }

    struct SimulationFailure: Error, CustomStringConvertible {
        let setup: ModelJob
        let underlying: Error
        var description: String { "a \(setup.model.rawValue) run failed: \(underlying)" }
    }

    // MARK: - Bundle

    func writeBundle(_ study: any Study, plan: Plan, results: StudyResults, seconds: Double, computed: Int, cached: Int) throws {
        let figures = try plan.figures.map { ($0, try $0.build(results)) }
        let quantities = try plan.quantities.flatMap { try $0.build(results) }
        for dup in duplicates(quantities.map(\.name)) { throw StudyError.invalidDeclaration(study: study.id, problems: ["two quantities are named '\(dup)'"]) }
        let comparisons = try plan.comparisons.flatMap { try $0.build(results) }
        let extraTables = try plan.tables.map { ($0.name, try $0.build(results)) }
        let textTables = try plan.textTables.map { (spec: $0, table: try $0.build(results)) }
        let entries = plan.figures.map { ReportComposer.FigureEntry(name: $0.name, caption: $0.caption) }
        let values = ReportComposer.templateValues(title: study.title, paperFigure: study.paperFigure, quantities: quantities, figures: entries,
                                                   tables: textTables.map { (key: $0.spec.key, table: $0.table) })
        let narrative: String
        do { narrative = try plan.template.render(values) } catch let e as NarrativeTemplate.RenderError {
            switch e {
            case .missing(let names): throw StudyError.templateValues(study: study.id, template: "templates/\(study.template).md", missing: names)
            case .syntax(let reason): throw StudyError.templateSyntax(study: study.id, template: "templates/\(study.template).md", reason: reason)
            }
        }
        let (parameters, citations) = try ModelJob.parameterRecords(model: plan.base.model, base: plan.base)
        let sweptNote = plan.sweeps.flatMap { $0.axes.map { "`\($0.parameter)` [\($0.unit)]" } + ($0.cases.isEmpty ? [] : ["the cases of sweep `\($0.name)`"]) }
        let note = "Model `\(plan.base.model.rawValue)`, base set `\(plan.base.set)` with the study's overrides. " +
            (sweptNote.isEmpty ? "" : "Swept: \(Array(Set(sweptNote)).sorted().joined(separator: ", ")); every other value is as listed.")
        let references = ([References.naik2025] + citations).reduce(into: [Citation]()) { if !$0.contains($1) { $0.append($1) } }.map { "[\($0.key)] \($0.formatted)" }
        let markdown = ReportComposer.compose(title: study.title, paperFigure: study.paperFigure, narrative: narrative, templateUsed: plan.template.placeholders,
                                              figures: entries, comparisons: comparisons, quantities: quantities, parameters: parameters,
                                              parameterNote: note, references: references)
        let renderer = CairoRenderer(dpi: options.dpi)
        let declaration = StudyDeclarationSource.find(study.id)
        let folder = options.outputRoot.appendingPathComponent(study.id)
        try OutputFolder.replace(folder, kind: "bundle") { dir in
            let figDir = dir.appendingPathComponent("figures"), dataDir = dir.appendingPathComponent("data")
            try FileManager.default.createDirectory(at: figDir, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: dataDir, withIntermediateDirectories: true)
            var dataFiles: [String] = []
            for (spec, figure) in figures {
                try renderer.write(figure, to: figDir.appendingPathComponent(spec.name))
                for (name, table) in FigureData.tables(figure, name: spec.name) {
                    try Data(table.text.utf8).write(to: dataDir.appendingPathComponent("\(name).csv"))
                    dataFiles.append("data/\(name).csv")
                }
            }
            for (name, table) in extraTables {
                try Data(table.text.utf8).write(to: dataDir.appendingPathComponent("\(name).csv"))
                dataFiles.append("data/\(name).csv")
            }
            for (spec, table) in textTables {
                try Data(table.csv.utf8).write(to: dataDir.appendingPathComponent("\(spec.name).csv"))
                dataFiles.append("data/\(spec.name).csv")
            }
            try StableJSON.encode(quantities).write(to: dataDir.appendingPathComponent("quantities.json"))
            try StableJSON.encode(comparisons).write(to: dataDir.appendingPathComponent("comparisons.json"))
            try StableJSON.encode(parameters).write(to: dataDir.appendingPathComponent("parameters.json"))
            try StableJSON.encode(plan.tolerances).write(to: dataDir.appendingPathComponent("tolerances.json"))
            dataFiles += ["data/quantities.json", "data/comparisons.json", "data/parameters.json", "data/tolerances.json"]
            try Data(markdown.utf8).write(to: dir.appendingPathComponent("report.md"))
            try Data(HTMLPage.render(markdown: markdown, title: study.title).utf8).write(to: dir.appendingPathComponent("report.html"))
            let manifest = BundleManifest(
                studyId: study.id, title: study.title, paperFigure: study.paperFigure, codeVersion: options.codeVersion,
                physicsVersion: PhysicsVersion.current,
                parameterHash: contentHash(try StableJSON.encode(parameters) + Data(plan.jobs.flatMap { $0 }.map(\.key).joined(separator: ",").utf8)),
                tools: ["cathodelab": BuildInfo.version, "cairo": "libcairo2 (Debian)", "mustache": "swift-mustache 2.1.1", "markdown": "Ink 0.6.0"],
                figures: figures.flatMap { f in FigureFormat.allCases.map { "figures/\(f.0.name).\($0.rawValue)" } },
                data: dataFiles.sorted(),
                templateHash: contentHash(Data(plan.template.text.utf8)),
                declarationFile: declaration?.file, declarationHash: declaration.map { contentHash(Data($0.text.utf8)) },
                runKeys: Array(Set(plan.jobs.flatMap { $0 }.map(\.key))).sorted())
            try StableJSON.encode(manifest).write(to: dir.appendingPathComponent("manifest.json"))
            let timings = ["wallSeconds": String(format: "%.3f", seconds), "runsComputed": "\(computed)", "runsFromCache": "\(cached)",
                           "generatedAt": ISO8601DateFormatter().string(from: Date())]
            try StableJSON.encode(timings).write(to: dir.appendingPathComponent("timings.json"))
        }
    }
}

func duplicates(_ names: [String]) -> [String] {
    var seen = Set<String>(), dup: [String] = []
    for n in names { if !seen.insert(n).inserted, !dup.contains(n) { dup.append(n) } }
    return dup
}

extension ModelJob {
    static func knows(parameter: String, model: ModelKind) -> Bool {
        switch model {
        case .dense1d: return Dense1DParameterRegistry.spec(named: parameter) != nil
        case .composite: return CompositeParameterRegistry.spec(named: parameter) != nil
        case .dense2d: return Dense2DParameterRegistry.knows(parameter)
        case .stress: return ChemoMechanicalParameterRegistry.knows(parameter)
        case .impedance: return ImpedanceParameterRegistry.knows(parameter)
        }
    }
}

import CathodeModels
