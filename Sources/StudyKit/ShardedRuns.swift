import Foundation
import SourceDigest
import Synchronization

/// One unit of cached work of a report: a model run or a whole calibration (a fit is sequential, so it is never
/// split), named for messages.
struct CachedWork {
    enum Kind {
        case model(ModelJob)
        case calibration(CalibrationRunner)
    }
    let key: String
    let kind: Kind
    /// "study / sweep: model name=value, …" — what a user needs to find the run.
    let description: String
}

/// What one shard of a report did.
public struct ShardOutcome: Sendable, Equatable {
    public let index: Int
    public let count: Int
    /// Runs (and calibrations) of the report that fall into this shard.
    public let assigned: Int
    /// Of those, already in the cache (a rerun computes nothing again).
    public let alreadyCached: Int
    public let computed: Int
    /// Runs of the whole report (all shards).
    public let total: Int
}

extension StudyRunner {
    /// The shard (0…count−1) a cache key belongs to: FNV-1a of the key modulo `count`. Keys are content hashes, so the
    /// partition is deterministic across machines and processes, shards are disjoint and cover every key, and no
    /// coordination is needed.
    public static func shard(ofKey key: String, count: Int) -> Int {
        var hasher = FNV1a()
        hasher.combine(Array(key.utf8))
        return Int(hasher.value % UInt64(count))
    }

    /// Every distinct unit of cached work of `studies` (model runs by key, calibrations by key), in key order. A staged
    /// study (sensitivity screening) contributes the runs its cached stages determine.
    func cachedWork(_ studies: [any Study]) throws -> [CachedWork] {
        try stagedWork(studies).work
    }

    /// `cachedWork`, and the number of stages still waiting for runs not in the cache.
    func stagedWork(_ studies: [any Study]) throws -> (work: [CachedWork], pendingStages: Int) {
        var work: [String: CachedWork] = [:]
        var pending = 0
        for study in studies {
            let plan = try plan(study)
            pending += plan.pendingStages
            for (sweep, jobs) in zip(plan.sweeps, plan.jobs) {
                for (point, job) in zip(sweep.points, jobs) where work[job.key] == nil {
                    let values = point.overrides.keys.sorted().map { "\($0)=\(point.overrides[$0]!)" }.joined(
                        separator: ", ")
                    work[job.key] = CachedWork(
                        key: job.key, kind: .model(job),
                        description:
                            "\(study.id) / \(sweep.name): \(job.model.rawValue) \(values.isEmpty ? point.label : values)"
                    )
                }
            }
            for calibration in plan.calibrations {
                let runner = CalibrationRunner(calibration, cache: options.cache, jobs: options.jobs) { _ in }
                work[runner.key] = CachedWork(
                    key: runner.key, kind: .calibration(runner),
                    description: "\(study.id): calibration '\(calibration.id)'")
            }
        }
        return (work.keys.sorted().map { work[$0]! }, pending)
    }

    func isCached(_ work: CachedWork) -> Bool {
        switch work.kind {
        case .model: return options.cache.contains(work.key)
        case .calibration(let runner): return runner.cached() != nil
        }
    }

    /// The runs of `studies` that are not in the cache, described; empty when `report --from-cache` can assemble
    /// every bundle.
    public func missingRuns(_ studies: [any Study]) throws -> [String] {
        try cachedWork(studies).filter { !isCached($0) }.map(\.description).sorted()
    }

    /// The number of distinct runs (and calibrations) of `studies`.
    public func cachedWorkCount(_ studies: [any Study]) throws -> Int { try cachedWork(studies).count }

    /// Computes the `index`-th of `count` parts of the missing runs of `studies` into the cache and writes no bundle.
    /// Model runs go in parallel on `options.jobs` workers (longest kinds first); a calibration of the shard runs
    /// whole. Each entry is stored atomically as it finishes, so an interrupted shard leaves only complete entries.
    /// Throws after the shard's other runs are stored if any run failed.
    public func runShard(_ studies: [any Study], index: Int, count: Int) throws -> ShardOutcome {
        precondition(count >= 1 && index >= 0 && index < count, "shard \(index)/\(count)")
        var assigned = 0
        var alreadyCached = 0
        var computed = 0
        var total = 0
        var attempted = Set<String>()
        // A staged study reveals its next runs once the earlier ones are cached: after computing its part, a shard
        // looks again and goes on while it finds more of its own work (the other shards' runs of a stage may still be
        // missing; then a later array job, started after this one, computes the next stage).
        while true {
            let (all, pending) = try stagedWork(studies)
            let mine = all.filter { Self.shard(ofKey: $0.key, count: count) == index }
            let missing = mine.filter {
                !attempted.contains($0.key) && ((options.force && !memo.isFresh($0.key)) || !isCached($0))
            }
            if total == 0 {
                alreadyCached = mine.count - missing.count
            }
            assigned = mine.count
            total = all.count
            attempted.formUnion(missing.map(\.key))
            computed += try computeShardPart(
                missing, index: index, count: count, assigned: mine.count, total: all.count)
            if pending == 0 || missing.isEmpty { break }
        }
        return ShardOutcome(
            index: index, count: count, assigned: assigned, alreadyCached: alreadyCached, computed: computed,
            total: total)
    }

    /// Computes `missing` (model runs in parallel, longest kinds first; then calibrations whole); returns how many were
    /// computed. Throws after the others are stored if any failed.
    private func computeShardPart(_ missing: [CachedWork], index: Int, count: Int, assigned: Int, total: Int) throws
        -> Int
    {
        let rank: [ModelKind: Int] = [.cycling: 0, .impedance: 1, .stress: 2, .dense2d: 3, .composite: 4, .dense1d: 5]
        let jobs = missing.compactMap { work -> (CachedWork, ModelJob)? in
            if case .model(let job) = work.kind { return (work, job) }
            return nil
        }.sorted { a, b in
            let ra = rank[a.1.model] ?? 4
            let rb = rank[b.1.model] ?? 4
            return ra != rb ? ra < rb : a.0.key < b.0.key
        }
        let started = Date()
        progress.note(
            "shard \(index)/\(count): \(assigned) of \(total) runs, \(assigned - missing.count) already cached, computing \(missing.count)"
        )
        let done = Mutex(0)
        let cache = options.cache
        let progress = self.progress
        let memo = self.memo
        let failures = Mutex<[String]>([])
        _ = try ParallelWork.map(jobs.count, jobs: options.jobs) { position -> Bool in
            let (work, job) = jobs[position]
            do {
                try cache.store(try job.run(), key: job.key, model: job.model)
            } catch {
                failures.withLock { $0.append("\(work.description): \(error)") }
                return false
            }
            memo.markFresh([job.key])
            let finished = done.withLock { value in
                value += 1
                return value
            }
            progress.advanced(study: "shard \(index)/\(count)", done: finished, total: jobs.count, studyStart: started)
            return true
        }
        var computed = done.withLock { $0 }
        for work in missing {
            guard case .calibration(let runner) = work.kind else { continue }
            do {
                _ = try runner.run(force: options.force)
                computed += 1
            } catch {
                failures.withLock { $0.append("\(work.description): \(error)") }
            }
        }
        let failed = failures.withLock { $0 }
        if !failed.isEmpty {
            throw StudyError.runsFailed(failed.sorted())
        }
        return computed
    }

    /// Forgets the model runs this process resolved (their setups and keys), so that a benchmark can time plan
    /// resolution as a fresh process does it.
    public static func forgetResolvedJobs() { ModelJob.forgetResolved() }

    /// The largest number of stages of `studies` (2 for a sensitivity analysis with screening, else 1): how many
    /// dependent array jobs a cluster run needs before the bundles can be assembled.
    public static func stageCount(_ studies: [any Study]) -> Int {
        studies.map { study in
            study.body.contains { element in
                if case .sensitivity(let s) = element { return s.screening != nil }
                return false
            } ? 2 : 1
        }.max() ?? 1
    }
}
