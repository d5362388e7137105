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
    public init(
        outputRoot: URL, templates: TemplateSource = .embedded(BuildInfo.templates),
        jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
        force: Bool = false, dpi: Double = 300,
        codeVersion: BundleManifest.CodeVersion = .init(commit: BuildInfo.commit, dirty: BuildInfo.dirty)
    ) {
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
    /// true = each report.html carries its stylesheet and figures (inline SVG) and a provenance footer, so it opens
    /// with no other file (`report --standalone`).
    public var standaloneHTML = false
    /// The numbers of every study's figures (chapter = the study's place in the catalogue), for numbered captions and
    /// `{{ref:…}}` cross-references; empty = the studies of the run, in the order given.
    public var figureIndex: FigureIndex?
    public var cache: ResultCache {
        ResultCache(directory: cacheDirectory ?? outputRoot.appendingPathComponent(".cache"))
    }
}

/// The Swift file that declares a study, as compiled into the binary (BuildInfo.studySources): the file whose
/// text declares `id = "<study id>"`.
public enum StudyDeclarationSource {
    public static func find(_ id: String, in sources: [String: String] = BuildInfo.studySources) -> (
        file: String, text: String
    )? {
        let needle = Array("id = \"\(id)\"".utf8)
        return sources.keys.sorted().lazy.compactMap { file in
            sources[file].flatMap { contains($0, needle) ? (file, $0) : nil }
        }.first
    }

    /// Byte search in UTF-8 (Foundation's `contains` goes through UTF-16 and is ~50× slower on long sources).
    static func contains(_ text: String, _ needle: [UInt8]) -> Bool {
        var text = text
        return text.withUTF8 { haystack in
            guard let first = needle.first, needle.count <= haystack.count else { return needle.isEmpty }
            var index = 0
            while index <= haystack.count - needle.count {
                if haystack[index] == first {
                    var match = true
                    for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
                        match = false
                        break
                    }
                    if match { return true }
                }
                index += 1
            }
            return false
        }
    }
}

/// What happened to one study.
public struct StudyOutcome: Sendable {
    public let id: String
    public let error: String?
    public let seconds: Double
    public let computed: Int
    public let cached: Int
    /// What the figure checker found in the study's figures ("figure <name>: <defect>"), also printed as warnings.
    public var figureDefects: [String] = []
}

/// Turns study declarations into bundles: validates the declaration, resolves every sweep point into a
/// model run keyed by content hash, takes what the cache has, computes the rest in parallel, evaluates
/// figures/quantities/comparisons, fills the narrative template and writes the bundle atomically.
/// A failing study is reported and the others still run.
public struct StudyRunner: Sendable {
    public let options: ReportOptions
    public let progress: ProgressReporter
    /// Outputs read while resolving staged plans, and the keys computed by this process (for `force`).
    let memo = RunMemo()
    public init(options: ReportOptions, progress: ProgressReporter) {
        self.options = options
        self.progress = progress
    }

    /// The cached output of a run, for resolving a staged plan: read once per process; with `force` only what this
    /// process computed counts.
    func cachedOutput(_ key: String) -> ModelOutput? {
        if let output = memo.output(key) { return output }
        guard !options.force || memo.isFresh(key) else { return nil }
        var warning: String?
        let output = options.cache.load(key, warning: &warning)
        if let warning { progress.warn(warning) }
        if let output { memo.remember(key, output) }
        return output
    }

    /// The study's plan with every stage that the cache already determines.
    func plan(_ study: any Study) throws -> Plan {
        try Plan(
            study, physicsVersion: PhysicsVersion.current, templates: options.templates, cachedOutput: cachedOutput)
    }

    public func run(_ studies: [any Study]) -> [StudyOutcome] {
        // A study whose freeze key matches its bundle's is kept as it is (like Quarto's freeze): nothing is read,
        // computed or rendered for it.
        var frozen: [String: Int] = [:]
        for study in studies {
            if let runs = frozenRunCount(study) { frozen[study.id] = runs }
        }
        let toRun = studies.filter { frozen[$0.id] == nil }
        let calibrating = startCalibrations(toRun)
        // The bundles of studies whose runs are all known after the first pass are written on a thread of their own
        // while the later passes (a sensitivity study's Saltelli design) compute: writing is mostly single-threaded
        // rendering, which the pool's workers would otherwise wait for at the end.
        let written = Mutex<[String: StudyOutcome]>([:])
        let writing = DispatchGroup()
        let prefetched = prefetch(toRun) { computedSoFar, settled in
            writing.enter()
            let runner = self
            Thread {
                calibrating?.wait()
                for study in toRun where settled.contains(study.id) {
                    let outcome = runner.outcome(study, prefetched: computedSoFar)
                    written.withLock { $0[study.id] = outcome }
                }
                writing.leave()
            }.start()
        }
        calibrating?.wait()
        writing.wait()
        return studies.map { study in
            if let runs = frozen[study.id] {
                progress.note(
                    "\(study.id): unchanged (same physics, rendering code, declaration, template and runs): bundle kept"
                )
                return StudyOutcome(id: study.id, error: nil, seconds: 0, computed: 0, cached: runs)
            }
            if let outcome = written.withLock({ $0[study.id] }) { return outcome }
            return outcome(study, prefetched: prefetched)
        }
    }

    /// Writes one study's bundle (`runOne`) and reports how it went.
    func outcome(_ study: any Study, prefetched: Set<String>) -> StudyOutcome {
        let t0 = Date()
        do {
            let (computed, cached) = try runOne(study, started: t0, prefetched: prefetched)
            let seconds = Date().timeIntervalSince(t0)
            progress.finished(
                study: study.id, seconds: seconds,
                path: options.outputRoot.appendingPathComponent(study.id).appendingPathComponent("report.md").path)
            return StudyOutcome(
                id: study.id, error: nil, seconds: seconds, computed: computed, cached: cached,
                figureDefects: memo.figureDefects(study.id))
        } catch {
            progress.warn("study \(study.id) failed: \(error)")
            return StudyOutcome(
                id: study.id, error: "\(error)", seconds: Date().timeIntervalSince(t0), computed: 0, cached: 0)
        }
    }

    /// Everything that decides a study's bundle bytes, hashed: the code (release, physics and rendering versions, the
    /// Markdown library), the study's template and declaration, its run and calibration keys, and the output options.
    func freezeKey(_ study: any Study, plan: Plan) -> String {
        let declaration = StudyDeclarationSource.find(study.id).map { contentHash(Data($0.text.utf8)) } ?? "none"
        let calibrations = plan.calibrations.map { CalibrationRunner($0, cache: options.cache, jobs: 1) { _ in }.key }
        let parts =
            [
                "freeze-1", BuildInfo.version, PhysicsVersion.current, BuildInfo.renderingVersion, CommonMark.version,
                contentHash(Data(plan.template.text.utf8)), declaration, String(format: "dpi=%.6g", options.dpi),
                options.standaloneHTML ? "standalone" : "linked", options.figureIndex?.digest ?? "own figures",
            ]
            + calibrations + Array(Set(plan.jobs.flatMap { $0 }.map(\.key))).sorted()
        return contentHash(Data(parts.joined(separator: "|").utf8))
    }

    /// The number of runs of `study` when its bundle can be kept as it is: not forced, every stage of its plan known,
    /// the bundle written by CathodeLab with the same freeze key, and every file its manifest lists present. nil when
    /// it must be (re)built.
    func frozenRunCount(_ study: any Study) -> Int? {
        guard !options.force else { return nil }
        let folder = options.outputRoot.appendingPathComponent(study.id)
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent("manifest.json").path),
            let manifest = try? JSONDecoder().decode(BundleManifest.self, from: data), let stored = manifest.freezeKey,
            OutputFolder.isOwned(folder),
            let plan = try? plan(study), plan.pendingStages == 0, freezeKey(study, plan: plan) == stored
        else { return nil }
        let files = manifest.figures + manifest.data + ["report.md", "report.html"]
        guard files.allSatisfy({ FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) })
        else { return nil }
        return Set(plan.jobs.flatMap { $0 }.map(\.key)).count
    }

    /// (cached, total) runs of a study, for `cathodelab list`.
    public func cacheStatus(_ study: any Study) throws -> (cached: Int, total: Int) {
        let plan = try plan(study)
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
        return manifest.physicsVersion == PhysicsVersion.current
            ? .current : .stale(physicsVersion: manifest.physicsVersion)
    }

    /// Bundle folders of `studies` that exist but were not written by CathodeLab (they are never replaced).
    public func foreignBundleFolders(_ studies: [any Study]) -> [String] {
        studies.compactMap { study in
            let folder = options.outputRoot.appendingPathComponent(study.id)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) else { return nil }
            if isDirectory.boolValue,
                OutputFolder.isOwned(folder)
                    || (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.isEmpty == true
            {
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
        /// The study's sensitivity analyses; their sweeps are the last of `sweeps`, after the study's own.
        let sensitivities: [SensitivityPlan]
        /// How many of `sweeps` the study declared (the rest belong to sensitivity analyses, whose outputs are read
        /// one point at a time instead of held in memory).
        let declaredSweepCount: Int
        /// Sensitivity designs whose next stage waits for runs not yet in the cache (0 = every run is known).
        var pendingStages: Int { sensitivities.reduce(0) { $0 + $1.pending } }

        /// `cachedOutput` gives a run's output by cache key when it is in the cache (nil otherwise): a staged
        /// declaration (a sensitivity analysis with screening) needs its first stage's outputs to know the next.
        init(
            _ study: any Study, physicsVersion: String, templates: TemplateSource,
            cachedOutput: @escaping @Sendable (String) -> ModelOutput? = { _ in nil }
        ) throws {
            let elements = study.body
            var problems: [String] = []
            var bases: [BaseParameters] = []
            var sweeps: [Sweep] = []
            var figures: [FigureSpec] = []
            var quantities: [Quantities] = []
            var comparisons: [Comparisons] = []
            var tables: [DataTable] = []
            var textTables: [TextTableSpec] = []
            var tolerances = ToleranceTable()
            var calibrations: [any Calibration] = []
            var sensitivityElements: [Sensitivity] = []
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
                case .sensitivity(let element): sensitivityElements.append(element)
                }
            }
            problems += sensitivityElements.flatMap { $0.problems() }
            for dup in duplicates(sensitivityElements.map(\.name)) {
                problems.append("two sensitivity analyses are named '\(dup)'")
            }
            if study.id.isEmpty || study.id.contains("/") || study.id.hasPrefix(".") {
                problems.append("id '\(study.id)' must be a non-empty folder name")
            }
            if bases.count != 1 { problems.append("needs exactly one BaseParameters, found \(bases.count)") }
            for dup in duplicates(sweeps.map(\.name)) { problems.append("two sweeps are named '\(dup)'") }
            for dup in duplicates(figures.map(\.name)) { problems.append("two figures are named '\(dup)'") }
            for dup in duplicates(tables.map(\.name) + textTables.map(\.name)) {
                problems.append("two tables are named '\(dup)'")
            }
            for s in sweeps {
                if s.points.isEmpty { problems.append("sweep '\(s.name)' has no points") }
                for a in s.axes where a.values.isEmpty {
                    problems.append("sweep '\(s.name)' axis '\(a.parameter)' has no values")
                }
                let names = Set(s.axes.map(\.parameter) + s.cases.flatMap { $0.overrides.keys })
                for n in names.sorted()
                where (s.base ?? bases.first).map({ ModelJob.knows(parameter: n, model: $0.model) }) == false {
                    problems.append("sweep '\(s.name)' varies unknown parameter '\(n)'")
                }
            }
            let template = NarrativeTemplate.load(named: study.template, from: templates)
            if template == nil {
                problems.append("narrative template \(study.template).md is not among \(templates.description)")
            }
            if !problems.isEmpty { throw StudyError.invalidDeclaration(study: study.id, problems: problems) }
            let base = bases[0]
            self.base = base
            let sensitivities = try sensitivityElements.map { element in
                try SensitivityPlan(element) { sweep, point in
                    let b = sweep.base ?? base
                    return cachedOutput(
                        try ModelJob.make(
                            model: b.model, base: b, overrides: sweep.points[point].overrides,
                            physicsVersion: physicsVersion
                        ).key)
                }
            }
            self.sensitivities = sensitivities
            declaredSweepCount = sweeps.count
            sweeps += sensitivities.flatMap(\.sweeps)
            self.sweeps = sweeps
            // Resolving a point (building, validating and hashing its setup) is pure work: spread it over the cores.
            let points = sweeps.flatMap { sweep in sweep.points.map { (sweep.base ?? base, $0.overrides) } }
            let resolved = try ParallelWork.map(points.count, jobs: ProcessInfo.processInfo.activeProcessorCount) {
                index in
                try ModelJob.make(
                    model: points[index].0.model, base: points[index].0, overrides: points[index].1,
                    physicsVersion: physicsVersion)
            }
            var offset = 0
            self.jobs = sweeps.map { sweep in
                defer { offset += sweep.points.count }
                return Array(resolved[offset..<(offset + sweep.points.count)])
            }
            self.figures = figures
            self.quantities = quantities
            self.comparisons = comparisons
            self.tables = tables
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
    ///
    /// `beforeLaterPasses` is called once, after the first pass, when a later one follows, with the keys computed so
    /// far and the ids of the studies whose every run was known (no pending stage) in the first pass.
    func prefetch(
        _ studies: [any Study], beforeLaterPasses: ((_ computed: Set<String>, _ settled: Set<String>) -> Void)? = nil
    ) -> Set<String> {
        guard studies.count > 1, options.jobs > 1, options.computeMissing else { return [] }
        var computed = Set<String>()
        // A staged study (sensitivity screening, then the Saltelli design) reveals its next runs once the first are
        // cached: repeat while a pass computed something and a stage is still pending.
        for passIndex in 0..<4 {
            var unique: [String: ModelJob] = [:]
            var pending = 0
            var settled = Set<String>()
            for study in studies {
                guard let plan = try? plan(study) else { continue }
                pending += plan.pendingStages
                if plan.pendingStages == 0 { settled.insert(study.id) }
                for job in plan.jobs.flatMap({ $0 })
                where unique[job.key] == nil && !computed.contains(job.key)
                    && (options.force || !options.cache.contains(job.key))
                {
                    unique[job.key] = job
                }
            }
            let pass = prefetchPass(Array(unique.values), studies: studies.count)
            computed.formUnion(pass)
            if pass.isEmpty || pending == 0 { break }
            if passIndex == 0 { beforeLaterPasses?(computed, settled) }
        }
        return computed
    }

    /// Starts the calibrations the studies need and the cache lacks (or all of them with `force`) on a thread of their
    /// own, so that their fits run alongside the pooled runs of `prefetch`: a fit is a chain of Levenberg–Marquardt
    /// steps whose batches leave a core idle between them, and the pooled runs fill those gaps. The results are kept
    /// in the memo for `runOne`; a fit does not depend on the scheduling, so the bundles are the same bytes.
    /// Returns the group to wait on, or nil when nothing was started.
    func startCalibrations(_ studies: [any Study]) -> DispatchGroup? {
        guard studies.count > 1, options.jobs > 1, options.computeMissing else { return nil }
        var pending: [(study: String, calibration: any Calibration)] = []
        var seen = Set<String>()
        for study in studies {
            // The declared calibrations, read off the body (no need to resolve the whole plan for them).
            let calibrations = study.body.compactMap { element -> (any Calibration)? in
                if case .calibration(let c) = element { return c.calibration }
                return nil
            }
            for calibration in calibrations where !seen.contains(calibration.id) {
                seen.insert(calibration.id)
                let runner = CalibrationRunner(calibration, cache: options.cache, jobs: options.jobs) { _ in }
                if options.force || runner.cached() == nil { pending.append((study.id, calibration)) }
            }
        }
        guard !pending.isEmpty else { return nil }
        let done = DispatchGroup()
        done.enter()
        let (memo, progress, cache) = (self.memo, self.progress, options.cache)
        let (jobs, force) = (options.jobs, options.force)
        let work = pending
        let thread = Thread {
            for (study, calibration) in work {
                let runner = CalibrationRunner(calibration, cache: cache, jobs: jobs) {
                    progress.note("\(study): \($0)")
                }
                memo.rememberCalibration(calibration.id, Result { try runner.run(force: force) })
            }
            done.leave()
        }
        thread.start()
        return done
    }

    /// One pass of `prefetch`: computes `jobs` longest first and stores them; returns the keys stored.
    private func prefetchPass(_ unsorted: [ModelJob], studies: Int) -> Set<String> {
        guard !unsorted.isEmpty else { return [] }
        let rank: [ModelKind: Int] = [.cycling: 0, .impedance: 1, .stress: 2, .dense2d: 3, .composite: 4, .dense1d: 5]
        let jobs = unsorted.sorted { a, b in
            let ra = rank[a.model] ?? 4
            let rb = rank[b.model] ?? 4
            return ra != rb ? ra < rb : a.key < b.key
        }
        let started = Date()
        progress.note(
            "computing \(jobs.count) missing runs of \(studies) studies on \(min(options.jobs, jobs.count)) workers, longest first"
        )
        let done = Mutex(0)
        let cache = options.cache
        let progress = self.progress
        let stored =
            (try? ParallelWork.map(jobs.count, jobs: options.jobs) { index -> Bool in
                guard let output = try? jobs[index].run(),
                    (try? cache.store(output, key: jobs[index].key, model: jobs[index].model)) != nil
                else { return false }
                let count = done.withLock { value in
                    value += 1
                    return value
                }
                progress.advanced(study: "all studies", done: count, total: jobs.count, studyStart: started)
                return true
            }) ?? []
        let computed = Set(zip(jobs, stored).filter(\.1).map(\.0.key))
        memo.markFresh(computed)
        progress.note(String(format: "computed %d runs in %.1f s", computed.count, Date().timeIntervalSince(started)))
        return computed
    }

    func runOne(_ study: any Study, started: Date, prefetched: Set<String> = []) throws -> (computed: Int, cached: Int)
    {
        var plan = try plan(study)
        var outputs: [String: ModelOutput] = [:]
        var keys: [String] = []
        var computedCount = 0
        // One pass per stage: a staged declaration (sensitivity screening) knows its next runs once the first are in.
        while true {
            // Distinct runs of this study (a point shared by two sweeps runs once). The declared sweeps' outputs are held
            // for figures; a sensitivity analysis's runs are only checked here and read point by point when analysed.
            var unique: [String: ModelJob] = [:]
            for job in plan.jobs.flatMap({ $0 }) { unique[job.key] = job }
            keys = unique.keys.sorted()
            let held = Set(plan.jobs.prefix(plan.declaredSweepCount).flatMap { $0 }.map(\.key))
            let usable = { (k: String) in !self.options.force || prefetched.contains(k) || self.memo.isFresh(k) }
            // Reading and decoding cached runs in parallel (a report assembled from 10 000 cached runs is bound by it).
            let wanted = keys.filter { k in held.contains(k) && outputs[k] == nil && usable(k) }
            let cache = options.cache
            let runMemo = self.memo
            let progress = self.progress
            let loaded = try ParallelWork.map(wanted.count, jobs: options.jobs) { index -> ModelOutput? in
                if let o = runMemo.output(wanted[index]) { return o }
                var warning: String?
                let o = cache.load(wanted[index], warning: &warning)
                if let warning { progress.warn(warning) }
                return o
            }
            for (k, o) in zip(wanted, loaded) where o != nil { outputs[k] = o }
            let missing = keys.filter { k in
                held.contains(k) ? outputs[k] == nil : !(usable(k) && (runMemo.output(k) != nil || cache.contains(k)))
            }
            if !options.computeMissing && !missing.isEmpty {
                throw StudyError.runsNotCached(
                    missing.map { "\(study.id): \(unique[$0]!.model.rawValue) run \($0)" }, total: keys.count)
            }
            let computedAbove = keys.filter { prefetched.contains($0) }.count
            progress.began(
                study: study.id, total: keys.count, cached: keys.count - missing.count - computedAbove,
                computedAbove: computedAbove)
            let computed = try compute(missing.map { unique[$0]! }, study: study.id, started: started) {
                held.contains($0)
            }
            for (k, o) in computed { outputs[k] = o }
            memo.markFresh(Set(missing))
            computedCount = keys.filter { prefetched.contains($0) || memo.isFresh($0) }.count
            guard plan.pendingStages > 0 else { break }
            let next = try self.plan(study)
            if next.pendingStages >= plan.pendingStages {
                throw StudyError.missingResult(
                    "study '\(study.id)': a sensitivity screening's runs are not all available, so its Saltelli runs cannot be planned"
                )
            }
            plan = next
        }

        var calibrationResults: [String: CalibrationResult] = [:]
        for calibration in plan.calibrations {
            if let early = memo.calibration(calibration.id) {
                calibrationResults[calibration.id] = try early.get()
                continue
            }
            let progress = self.progress
            let runner = CalibrationRunner(calibration, cache: options.cache, jobs: options.jobs) {
                progress.note("\(study.id): \($0)")
            }
            if !options.computeMissing && runner.cached() == nil {
                throw StudyError.runsNotCached(["\(study.id): calibration '\(calibration.id)'"], total: keys.count + 1)
            }
            calibrationResults[calibration.id] = try runner.run(force: options.force)
        }
        let jobsBySweep = Dictionary(uniqueKeysWithValues: zip(plan.sweeps.map(\.name), plan.jobs))
        let held = outputs
        let sensitivities = try plan.sensitivities.map { sensitivity in
            try sensitivity.analyse(workers: options.jobs) { sweep, point in
                guard let job = jobsBySweep[sweep.name]?[point] else { return nil }
                return try self.streamedOutput(job, held: held)
            }
        }
        let results = StudyResults(
            sweeps: Dictionary(
                uniqueKeysWithValues: zip(plan.sweeps.prefix(plan.declaredSweepCount), plan.jobs).map { sweep, jobs in
                    (
                        sweep.name,
                        SweepResults(
                            sweep: sweep,
                            points: zip(sweep.points, jobs).map {
                                SweepPoint(label: $0.label, overrides: $0.overrides, output: outputs[$1.key]!)
                            })
                    )
                }), calibrations: calibrationResults,
            sensitivities: Dictionary(uniqueKeysWithValues: sensitivities.map { ($0.name, $0) }))
        try writeBundle(
            study, plan: plan, results: results, seconds: Date().timeIntervalSince(started), computed: computedCount,
            cached: keys.count - computedCount)
        return (computedCount, keys.count - computedCount)
    }

    /// A run's output for a sensitivity analysis: held, remembered, or read from the cache; an entry that cannot be
    /// trusted (it was there when checked) is recomputed and stored again, or is an error with `--from-cache`.
    func streamedOutput(_ job: ModelJob, held: [String: ModelOutput]) throws -> ModelOutput {
        if let o = held[job.key] ?? memo.output(job.key) { return o }
        var warning: String?
        if let o = options.cache.load(job.key, warning: &warning) { return o }
        if let warning { progress.warn(warning) }
        guard options.computeMissing else {
            throw StudyError.runsNotCached(["\(job.model.rawValue) run \(job.key)"], total: 1)
        }
        let output: ModelOutput
        do { output = try job.run() } catch { throw SimulationFailure(setup: job, underlying: error) }
        try options.cache.store(output, key: job.key, model: job.model)
        return output
    }

    /// Runs `jobs` on `options.jobs` workers; returns (key, output) pairs. A failing run's error is rethrown.
    /// Each output is stored in the cache as it finishes (an interrupted study keeps what it computed); the outputs
    /// whose key `keep` accepts are returned, the others only stored.
    func compute(_ jobs: [ModelJob], study: String, started: Date, keep: @Sendable (String) -> Bool) throws -> [(
        String, ModelOutput
    )] {
        guard !jobs.isEmpty else { return [] }
        let done = Mutex(0)
        let progress = self.progress
        let cache = options.cache
        let outputs = try ParallelWork.map(jobs.count, jobs: options.jobs) { index -> ModelOutput? in
            let output: ModelOutput
            do { output = try jobs[index].run() } catch {
                throw SimulationFailure(setup: jobs[index], underlying: error)
            }
            try cache.store(output, key: jobs[index].key, model: jobs[index].model)
            let count = done.withLock { value in
                value += 1
                return value
            }
            progress.advanced(study: study, done: count, total: jobs.count, studyStart: started)
            return keep(jobs[index].key) ? output : nil
        }
        return zip(jobs.map(\.key), outputs).compactMap { key, output in output.map { (key, $0) } }
    }

    struct SimulationFailure: Error, CustomStringConvertible {
        let setup: ModelJob
        let underlying: Error
        var description: String { "a \(setup.model.rawValue) run failed: \(underlying)" }
    }

    // MARK: - Bundle

    func writeBundle(_ study: any Study, plan: Plan, results: StudyResults, seconds: Double, computed: Int, cached: Int)
        throws
    {
        let figures = try plan.figures.map { ($0, try $0.build(results)) }
        // Each figure is laid out once: checked here, written from the same display list below.
        let laidOut = try figures.map { _, figure in
            try FigureLayout.layout(figure, measurer: CairoTextMeasurer.shared(family: figure.style.fontFamily))
        }
        for ((spec, _), layout) in zip(figures, laidOut) {
            for defect in FigureCheck.defects(layout) {
                progress.warn("study \(study.id), figure \(spec.name): \(defect)")
                memo.recordFigureDefect(study.id, "figure \(spec.name): \(defect)")
            }
        }
        let quantities = try plan.quantities.flatMap { try $0.build(results) }
        for dup in duplicates(quantities.map(\.name)) {
            throw StudyError.invalidDeclaration(study: study.id, problems: ["two quantities are named '\(dup)'"])
        }
        let comparisons = try plan.comparisons.flatMap { try $0.build(results) }
        let extraTables = try plan.tables.map { ($0.name, try $0.build(results)) }
        let textTables = try plan.textTables.map { (spec: $0, table: try $0.build(results)) }
        let figureIndex =
            options.figureIndex
            ?? FigureIndex([FigureIndex.Chapter(study: study.id, figures: plan.figures.map(\.name))])
        let entries = plan.figures.map {
            ReportComposer.FigureEntry(
                name: $0.name, caption: $0.caption, label: figureIndex.label(study: study.id, figure: $0.name))
        }
        let values = ReportComposer.templateValues(
            title: study.title, paperFigure: study.paperFigure, quantities: quantities, figures: entries,
            tables: textTables.map { (key: $0.spec.key, table: $0.table) })
        let narrative: String
        do { narrative = try plan.template.render(values, study: study.id, figures: figureIndex) } catch let e
            as NarrativeTemplate.RenderError
        {
            let template = "templates/\(study.template).md"
            switch e {
            case .missing(let names):
                throw StudyError.templateValues(study: study.id, template: template, missing: names)
            case .syntax(let reason):
                throw StudyError.templateSyntax(study: study.id, template: template, reason: reason)
            case .unknownReference(let unknown):
                throw StudyError.templateSyntax(study: study.id, template: template, reason: unknown.description)
            case .unbalancedMarkdown(let problems):
                throw StudyError.templateSyntax(
                    study: study.id, template: template,
                    reason: "after filling in the values, " + problems.joined(separator: "; "))
            }
        }
        let (parameters, citations) = try ModelJob.parameterRecords(model: plan.base.model, base: plan.base)
        let sweptNote = plan.sweeps.flatMap {
            $0.axes.map { "`\($0.parameter)` [\($0.unit)]" }
                + ($0.cases.isEmpty ? [] : ["the cases of sweep `\($0.name)`"])
        }
        let note =
            "Model `\(plan.base.model.rawValue)`, base set `\(plan.base.set)` with the study's overrides. "
            + (sweptNote.isEmpty
                ? ""
                : "Swept: \(Array(Set(sweptNote)).sorted().joined(separator: ", ")); every other value is as listed.")
        let references = ([References.naik2025] + citations).reduce(into: [Citation]()) {
            if !$0.contains($1) { $0.append($1) }
        }.map { "[\($0.key)] \($0.formatted)" }
        let declaration = StudyDeclarationSource.find(study.id)
        let markdown = ReportComposer.compose(
            title: study.title, paperFigure: study.paperFigure, narrative: narrative,
            templateUsed: plan.template.placeholders,
            figures: entries, comparisons: comparisons, quantities: quantities, parameters: parameters,
            parameterNote: note, references: references, declaration: declaration)
        let renderer = CairoRenderer(dpi: options.dpi)
        let folder = options.outputRoot.appendingPathComponent(study.id)
        try OutputFolder.replace(folder, kind: "bundle") { dir in
            let figDir = dir.appendingPathComponent("figures")
            let dataDir = dir.appendingPathComponent("data")
            try FileManager.default.createDirectory(at: figDir, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: dataDir, withIntermediateDirectories: true)
            var dataFiles: [String] = []
            for ((spec, figure), layout) in zip(figures, laidOut) {
                try renderer.write(
                    layout.displayList, fontFamily: figure.style.fontFamily,
                    to: figDir.appendingPathComponent(spec.name),
                    displayList: true)
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
            dataFiles += [
                "data/quantities.json", "data/comparisons.json", "data/parameters.json", "data/tolerances.json",
            ]
            try Data(markdown.utf8).write(to: dir.appendingPathComponent("report.md"))
            let html: String
            if options.standaloneHTML {
                var svgs: [String: String] = [:]
                for (spec, _) in figures {
                    svgs[spec.name] = try String(
                        contentsOf: figDir.appendingPathComponent("\(spec.name).svg"), encoding: .utf8)
                }
                let provenance = HTMLPage.Provenance(
                    tool: "cathodelab \(BuildInfo.version)", commit: options.codeVersion.commit,
                    dirty: options.codeVersion.dirty,
                    commitDate: BuildInfo.commitDate, physicsVersion: PhysicsVersion.current)
                html = HTMLPage.renderStandalone(
                    markdown: markdown, title: study.title, svgs: svgs, provenance: provenance)
            } else {
                html = HTMLPage.render(markdown: markdown, title: study.title)
            }
            try Data(html.utf8).write(to: dir.appendingPathComponent("report.html"))
            let manifest = BundleManifest(
                studyId: study.id, title: study.title, paperFigure: study.paperFigure, codeVersion: options.codeVersion,
                physicsVersion: PhysicsVersion.current,
                parameterHash: contentHash(
                    try StableJSON.encode(parameters)
                        + Data(plan.jobs.flatMap { $0 }.map(\.key).joined(separator: ",").utf8)),
                tools: [
                    "cathodelab": BuildInfo.version, "cairo": "libcairo2 (Debian)", "mustache": "swift-mustache 2.1.1",
                    "markdown": "cmark-gfm \(CommonMark.version) (Debian)",
                ].merging(options.standaloneHTML ? ["html": "standalone (inline SVG figures)"] : [:]) { a, _ in a },
                figures: figures.flatMap { f in
                    FigureFormat.allCases.map { "figures/\(f.0.name).\($0.rawValue)" } + [
                        "figures/\(f.0.name).\(DisplayListArchive.fileExtension)"
                    ]
                },
                data: dataFiles.sorted(),
                templateHash: contentHash(Data(plan.template.text.utf8)),
                declarationFile: declaration?.file,
                declarationHash: declaration.map { contentHash(Data($0.text.utf8)) },
                runKeys: Array(Set(plan.jobs.flatMap { $0 }.map(\.key))).sorted(),
                freezeKey: freezeKey(study, plan: plan))
            try StableJSON.encode(manifest).write(to: dir.appendingPathComponent("manifest.json"))
            let timings = [
                "wallSeconds": String(format: "%.3f", seconds), "runsComputed": "\(computed)",
                "runsFromCache": "\(cached)",
                "generatedAt": ISO8601DateFormatter().string(from: Date()),
            ]
            try StableJSON.encode(timings).write(to: dir.appendingPathComponent("timings.json"))
        }
    }
}

func duplicates(_ names: [String]) -> [String] {
    var seen = Set<String>()
    var dup: [String] = []
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
        case .cycling: return CyclingParameterRegistry.knows(parameter)
        }
    }
}

import CathodeModels

/// Per-process memory of a report run: outputs read while resolving staged plans (each read and decoded once), and
/// the keys this process computed (with `force`, only those count as cached).
final class RunMemo: Sendable {
    private let state = Mutex<(outputs: [String: ModelOutput], fresh: Set<String>)>(([:], []))
    private let defects = Mutex<[String: [String]]>([:])
    private let calibrations = Mutex<[String: Result<CalibrationResult, any Error>]>([:])

    /// A calibration fitted by this process ahead of its study (`StudyRunner.startCalibrations`), by id.
    func rememberCalibration(_ id: String, _ result: Result<CalibrationResult, any Error>) {
        calibrations.withLock { $0[id] = result }
    }
    func calibration(_ id: String) -> Result<CalibrationResult, any Error>? { calibrations.withLock { $0[id] } }

    func recordFigureDefect(_ study: String, _ message: String) {
        defects.withLock { $0[study, default: []].append(message) }
    }
    func figureDefects(_ study: String) -> [String] { defects.withLock { $0[study] ?? [] } }

    func output(_ key: String) -> ModelOutput? { state.withLock { $0.outputs[key] } }
    func remember(_ key: String, _ output: ModelOutput) { state.withLock { $0.outputs[key] = output } }
    func isFresh(_ key: String) -> Bool { state.withLock { $0.fresh.contains(key) } }
    func markFresh(_ keys: Set<String>) { state.withLock { $0.fresh.formUnion(keys) } }
}

extension FigureIndex {
    /// The index of `studies` in their order: each study's figures as its body declares them (no run needed).
    public init(studies: [any Study]) {
        self.init(
            studies.map { study in
                FigureIndex.Chapter(
                    study: study.id,
                    figures: study.body.compactMap { element in
                        if case .figure(let figure) = element { return figure.name }
                        return nil
                    })
            })
    }
}
