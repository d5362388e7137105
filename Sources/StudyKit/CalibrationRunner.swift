import BuildInfo
import CathodeModels
import Foundation
import ResultStore
import SolverCore
import SourceDigest
import Synchronization

/// The outcome of a calibration: fitted values with standard errors, every target (fit and validation) with its
/// residual, the correlation matrix, the normalised sensitivities, and the multi-start history.
public struct CalibrationResult: Sendable, Codable, Equatable {
    public struct Parameter: Sendable, Codable, Equatable {
        public let name: String
        public let symbol: String
        public let unit: String
        public let value: Double
        /// One standard error from (JᵀJ)⁻¹ at the solution (residuals in units of their uncertainty); nil when the
        /// targets do not pin the parameter (JᵀJ singular).
        public let standardError: Double?
        public let lower: Double
        public let upper: Double
        public let literatureLower: Double
        public let literatureUpper: Double
        public let source: String
        /// True when the value ends within 1e-6 of the range of a bound (the fit wanted to go further).
        public let atBound: Bool
    }

    public struct Target: Sendable, Codable, Equatable {
        public let name: String
        public let figure: String
        public let role: CalibrationTarget.Role
        public let kind: Comparison.Kind
        public let published: Double
        public let unit: String
        public let uncertainty: Double
        public let relation: CalibrationTarget.Relation
        public let computed: Double
        /// The residual the fit sees, in units of the uncertainty (one-sided for a bound; `Relation.residual`).
        public var normalisedResidual: Double {
            relation.residual(computed: computed, published: published, uncertainty: uncertainty)
        }
        /// Whether a bound holds (always true for `equal`).
        public var holds: Bool { relation == .equal || normalisedResidual == 0 }
        /// (computed − published)/|published| (NaN for a published zero); zero for a bound that holds.
        public var relativeDifference: Double {
            if relation != .equal && holds { return 0 }
            return published == 0 ? .nan : (computed - published) / abs(published)
        }
    }

    public struct Start: Sendable, Codable, Equatable {
        public let initial: [Double]
        public let final: [Double]
        public let cost: Double
        public let iterations: Int
        public let stopReason: String
    }

    public let calibration: String
    public let physicsVersion: String
    public let key: String
    public let parameters: [Parameter]
    public let targets: [Target]
    /// Correlation of the fitted parameters (rows and columns in `parameters` order); NaN where singular.
    public let correlation: [[Double]]
    /// ∂ln y/∂ln p of every target (rows, `targets` order) to every parameter (columns) at the solution.
    public let sensitivity: [[Double]]
    public let starts: [Start]
    /// ½ Σ r² over the fit targets at the solution.
    public let cost: Double
    public let evaluations: Int
    public let stopReason: String

    public var values: [String: Double] { Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.value) }) }
}

/// Fits a `Calibration`: Levenberg–Marquardt on parameters scaled to [0, 1] (log₁₀ for log-scale ones), from the
/// declared initial point and a deterministic Latin-hypercube design of starts, the best start polished; only fit
/// targets enter the cost. Then every target — validation ones too — is evaluated at the solution, with the
/// Jacobian for standard errors, correlations and sensitivities. The result is cached under a key of the
/// calibration's declaration text, its data and the physics version; a cached rerun reads it back.
public struct CalibrationRunner: Sendable {
    public let calibration: any Calibration
    public let cache: ResultCache?
    public let jobs: Int
    public let progress: @Sendable (String) -> Void
    /// Outputs of recent runs by job key: a Jacobian column that perturbs one parameter reruns only the runs that
    /// parameter reaches (the models are deterministic, so a reused output is exact).
    let memo = OutputMemo(capacity: 1024)

    public init(
        _ calibration: any Calibration, cache: ResultCache?, jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.calibration = calibration
        self.cache = cache
        self.jobs = max(1, jobs)
        self.progress = progress
    }

    /// The parameters among `candidates` that the information matrix `jtj` determines: greedy pivoted Cholesky on
    /// its diagonal-scaled form, taking at each step the parameter with the largest remaining (Schur-complement)
    /// variance fraction and stopping when it falls below 1e-10 — the rest lie in the span of those taken.
    static func identifiable(_ jtj: [[Double]], among candidates: [Int]) -> [Int] {
        let usable = candidates.filter { jtj[$0][$0] > 0 && jtj[$0][$0].isFinite }
        let m = usable.count
        guard m > 0 else { return [] }
        let scale = usable.map { jtj[$0][$0].squareRoot() }
        var factor = [[Double]](repeating: [Double](repeating: 0, count: m), count: m)
        var remaining = [Double](repeating: 1, count: m)
        var chosen: [Int] = []
        for _ in 0..<m {
            guard let pivot = (0..<m).filter({ !chosen.contains($0) }).max(by: { remaining[$0] < remaining[$1] }),
                remaining[pivot] > 1e-10
            else { break }
            let k = chosen.count
            factor[pivot][k] = remaining[pivot].squareRoot()
            for i in 0..<m where !chosen.contains(i) && i != pivot {
                var value = jtj[usable[i]][usable[pivot]] / (scale[i] * scale[pivot])
                for l in 0..<k { value -= factor[i][l] * factor[pivot][l] }
                factor[i][k] = value / factor[pivot][k]
                remaining[i] -= factor[i][k] * factor[i][k]
            }
            chosen.append(pivot)
        }
        return chosen.map { usable[$0] }.sorted()
    }

    /// Version of what a cached result holds (raised when the statistics computed after the fit change).
    static let resultVersion = 2

    /// The cache key: the model-code version (the physics version without the stored calibrated values), the
    /// declaration file's text, the declared data and the warm-start values when there are any.
    public var key: String {
        var hasher = FNV1a()
        hasher.combine(
            Array("calibration|\(calibration.id)|\(BuildInfo.modelCodeVersion)|v\(Self.resultVersion)|".utf8))
        hasher.combine(
            Array((BuildInfo.studySources[calibration.sourceFile] ?? "no source \(calibration.sourceFile)").utf8))
        if let parameters = try? StableJSON.encode(calibration.parameters) { hasher.combine(parameters) }
        for target in calibration.targets {
            hasher.combine(
                Array(
                    "\(target.name)|\(target.published)|\(target.uncertainty)|\(target.role.rawValue)|\(target.relation.rawValue)"
                        .utf8))
            if let runs = try? StableJSON.encode(target.runs) { hasher.combine(runs) }
        }
        hasher.combine(
            Array(
                "\(calibration.starts)|\(calibration.seed)|\(calibration.maxIterations)|\(Self.costResolution)".utf8))
        // A warm start is read by the fit: its values are part of the key.
        if let warm = calibration.warmStart {
            for name in warm.keys.sorted() { hasher.combine(Array("warm|\(name)|\(warm[name]!)".utf8)) }
        }
        return hasher.hex
    }

    var cacheURL: URL? { cache?.directory.appendingPathComponent("calibration-\(key).json") }

    /// The cached result, if any and readable.
    public func cached() -> CalibrationResult? {
        guard let url = cacheURL, let data = FileManager.default.contents(atPath: url.path) else { return nil }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard let result = try? decoder.decode(CalibrationResult.self, from: data), result.key == key else {
            return nil
        }
        return result
    }

    public func run(force: Bool = false) throws -> CalibrationResult {
        try calibration.validate()
        if !force, let result = cached() { return result }
        let result = try fit()
        if let url = cacheURL {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(
                positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            try encoder.encode(result).write(to: url, options: .atomic)
        }
        return result
    }

    // MARK: - Scaling

    /// Parameter values from scaled coordinates s ∈ [0, 1].
    func values(_ s: [Double]) -> [String: Double] {
        var out: [String: Double] = [:]
        for (p, x) in zip(calibration.parameters, s) {
            let clamped = min(max(x, 0), 1)
            let value: Double
            switch p.scale {
            case .linear: value = p.lower + clamped * (p.upper - p.lower)
            case .log: value = Foundation.pow(10, log10(p.lower) + clamped * (log10(p.upper) - log10(p.lower)))
            }
            // Rounding in the log/exp round trip can land an ulp outside the box; the models check their ranges exactly.
            out[p.name] = min(max(value, p.lower), p.upper)
        }
        return out
    }

    func scaled(_ p: CalibratedParameter, _ value: Double) -> Double {
        switch p.scale {
        case .linear: return (value - p.lower) / (p.upper - p.lower)
        case .log: return (log10(value) - log10(p.lower)) / (log10(p.upper) - log10(p.lower))
        }
    }

    /// dp/ds of each parameter at value p.
    func derivative(_ p: CalibratedParameter, at value: Double) -> Double {
        switch p.scale {
        case .linear: return p.upper - p.lower
        case .log: return value * log(10) * (log10(p.upper) - log10(p.lower))
        }
    }

    // MARK: - Evaluation

    /// The model value of every target in `targets` for the given parameter values (runs shared between
    /// targets are computed once, all in parallel).
    func evaluate(_ targets: [CalibrationTarget], values: [String: Double]) throws -> [Double] {
        try evaluate(targets, points: [values])[0]
    }

    /// The model value of every target at each of several parameter points (a Jacobian's shifted points): the
    /// runs of all points not already remembered go into one pool, so both cores stay busy even when a column
    /// perturbs a parameter that only a few runs see.
    func evaluate(_ targets: [CalibrationTarget], points: [[String: Double]]) throws -> [[Double]] {
        var unique: [String: ModelJob] = [:]
        var keysPerPoint: [[[String]]] = []
        for values in points {
            var keysPerTarget: [[String]] = []
            for target in targets {
                let jobs = try calibration.jobs(target.runs, values: values)
                for job in jobs { unique[job.key] = job }
                keysPerTarget.append(jobs.map(\.key))
            }
            keysPerPoint.append(keysPerTarget)
        }
        var byKey: [String: ModelOutput] = [:]
        for key in unique.keys { if let known = memo[key] { byKey[key] = known } }
        let keys = unique.keys.filter { byKey[$0] == nil }.sorted()
        let work = keys.map { unique[$0]! }
        let outputs = try ParallelWork.map(work.count, jobs: jobs) { k in try work[k].run() }
        for (key, output) in zip(keys, outputs) {
            byKey[key] = output
            memo[key] = output
        }
        return try zip(points, keysPerPoint).map { values, keysPerTarget in
            try zip(targets, keysPerTarget).map { target, keys in try target.evaluate(keys.map { byKey[$0]! }, values) }
        }
    }

    func residuals(_ targets: [CalibrationTarget], _ model: [Double]) -> [Double] {
        zip(targets, model).map {
            $0.relation.residual(computed: $1, published: $0.published, uncertainty: $0.uncertainty)
        }
    }

    // MARK: - Fit

    /// The smallest decrease of the cost ½χ² (residuals in units of their uncertainty) that keeps a Levenberg–Marquardt
    /// run going: 0.005, a change of χ² by 0.01, a hundredth of what one standard deviation of one target is worth.
    /// Below it the fit creeps along a valley the targets do not fix (its width is in the standard errors), spending
    /// iterations that change nothing it can vouch for.
    static let costResolution = 5e-3

    func fit() throws -> CalibrationResult {
        let parameters = calibration.parameters
        let fitTargets = calibration.fitTargets
        let n = parameters.count
        let start = Date()
        let initial = parameters.map { scaled($0, $0.initial) }
        let design = LatinHypercube.design(count: max(calibration.starts, 1), dimensions: n, seed: calibration.seed)
        // The warm start (the compiled values), when it names every parameter inside its bounds.
        let warm = calibration.warmStart.flatMap { values -> [Double]? in
            let point = parameters.compactMap { p in
                values[p.name].flatMap { (p.lower...p.upper).contains($0) ? $0 : nil }
            }
            return point.count == n ? zip(parameters, point).map { scaled($0, $1) } : nil
        }
        let points = [initial] + (warm.map { [$0] } ?? []) + (calibration.starts > 0 ? design : [])
        var starts: [CalibrationResult.Start] = []
        var evaluations = 0
        func lm(from s0: [Double], iterations: Int, label: String, isStart: Bool) throws -> LevenbergMarquardt.Result {
            var solver = LevenbergMarquardt()
            solver.maxIterations = iterations
            // Of a start only the cost and end point are used: its covariance would cost n more evaluations.
            solver.computesCovariance = !isStart
            solver.tolerance = 1e-4
            solver.absoluteTolerance = Self.costResolution
            solver.finiteDifferenceStep = 1e-2
            let progress = self.progress
            solver.progress = { iteration, cost, _ in
                progress(
                    String(
                        format: "%@: iteration %d, cost %.4g (%.0f s)", label, iteration, cost,
                        Date().timeIntervalSince(start)))
            }
            let result = try solver.fit(
                s0.map { .init(initial: $0, lower: 0, upper: 1) },
                batchResiduals: { points in
                    try self.evaluate(fitTargets, points: points.map(self.values)).map {
                        self.residuals(fitTargets, $0)
                    }
                })
            evaluations += result.evaluations
            return result
        }
        var best: LevenbergMarquardt.Result?
        for (k, point) in points.enumerated() {
            let label =
                k == 0
                ? "start 1 (declared initial values)"
                : k == 1 && warm != nil
                    ? "start 2 of \(points.count) (values compiled into the parameter sets)"
                    : "start \(k + 1) of \(points.count) (Latin hypercube)"
            do {
                let result = try lm(
                    from: point, iterations: max(calibration.maxIterations / 3, 4), label: label, isStart: true)
                starts.append(
                    .init(
                        initial: point, final: result.parameters, cost: result.cost, iterations: result.iterations,
                        stopReason: result.stopReason.rawValue))
                if best == nil || result.cost < best!.cost { best = result }
            } catch {
                progress("\(label): skipped, a model run failed (\(error))")
                starts.append(
                    .init(initial: point, final: point, cost: .infinity, iterations: 0, stopReason: "failed: \(error)"))
            }
        }
        guard let bestStart = best else {
            throw CLIFacingError("every start of calibration '\(calibration.id)' failed; see the messages above")
        }
        let polished = try lm(
            from: bestStart.parameters, iterations: calibration.maxIterations, label: "polishing the best start",
            isStart: false)
        let final = polished.cost <= bestStart.cost ? polished : bestStart
        let s = final.parameters
        let fitted = values(s)

        // Every target at the solution, and its Jacobian in s for sensitivities.
        let allTargets = calibration.targets
        let model = try evaluate(allTargets, values: fitted)
        var jacobian = [[Double]](repeating: [Double](repeating: 0, count: n), count: allTargets.count)
        let steps = (0..<n).map { j in s[j] + 1e-2 <= 1 ? 1e-2 : -1e-2 }
        let shiftedPoints = (0..<n).map { j in
            var shifted = s
            shifted[j] += steps[j]
            return values(shifted)
        }
        let moved = try evaluate(allTargets, points: shiftedPoints)
        for j in 0..<n {
            for k in allTargets.indices { jacobian[k][j] = (moved[j][k] - model[k]) / steps[j] }
        }
        evaluations += n + 1
        // Covariance from the fit targets only: (JᵀJ)⁻¹ in s, residuals scaled by their uncertainty.
        var jtj = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for (k, target) in allTargets.enumerated() where target.role == .fit {
            // A bound that holds is flat around the solution: it adds no information.
            if target.relation != .equal
                && target.relation.residual(
                    computed: model[k], published: target.published, uncertainty: target.uncertainty) == 0
            {
                continue
            }
            let row = jacobian[k].map { $0 / target.uncertainty }
            for a in 0..<n { for b in 0..<n { jtj[a][b] += row[a] * row[b] } }
        }
        // A parameter held by its bound is fixed there, not estimated; of the others, the covariance covers the
        // largest set the fit targets determine (rank-revealing pivoted Cholesky of JᵀJ): a parameter outside it
        // moves only in combination with others and is reported as not pinned.
        let interior = (0..<n).filter { s[$0] > 1e-6 && s[$0] < 1 - 1e-6 }
        let pinned = Self.identifiable(jtj, among: interior)
        let dpds = (0..<n).map { derivative(parameters[$0], at: fitted[parameters[$0].name]!) }
        var correlation = [[Double]](repeating: [Double](repeating: .nan, count: n), count: n)
        var errors = [Double?](repeating: nil, count: n)
        if let inverse = LevenbergMarquardt.inverse(pinned.map { a in pinned.map { b in jtj[a][b] } }) {
            for (i, a) in pinned.enumerated() {
                errors[a] = inverse[i][i] >= 0 ? inverse[i][i].squareRoot() * abs(dpds[a]) : nil
                for (j, b) in pinned.enumerated() {
                    correlation[a][b] = inverse[i][j] / max((inverse[i][i] * inverse[j][j]).squareRoot(), 1e-300)
                }
            }
        }
        let sensitivity = allTargets.indices.map { k in
            (0..<n).map { j -> Double in
                let y = model[k]
                guard abs(y) > 1e-12 else { return .nan }
                return jacobian[k][j] / dpds[j] * fitted[parameters[j].name]! / y
            }
        }
        let parameterResults = parameters.enumerated().map { j, p in
            CalibrationResult.Parameter(
                name: p.name, symbol: p.symbol, unit: p.unit, value: fitted[p.name]!, standardError: errors[j],
                lower: p.lower, upper: p.upper,
                literatureLower: p.literatureLower, literatureUpper: p.literatureUpper, source: p.source,
                atBound: s[j] <= 1e-6 || s[j] >= 1 - 1e-6)
        }
        let targetResults = zip(allTargets, model).map { t, y in
            CalibrationResult.Target(
                name: t.name, figure: t.figure, role: t.role, kind: t.kind, published: t.published, unit: t.unit,
                uncertainty: t.uncertainty, relation: t.relation, computed: y)
        }
        progress(
            String(
                format: "calibration %@ finished in %.0f s: cost %.4g after %d evaluations", calibration.id,
                Date().timeIntervalSince(start), final.cost, evaluations))
        return CalibrationResult(
            calibration: calibration.id, physicsVersion: PhysicsVersion.current, key: key, parameters: parameterResults,
            targets: targetResults, correlation: correlation, sensitivity: sensitivity, starts: starts,
            cost: final.cost,
            evaluations: evaluations, stopReason: final.stopReason.rawValue)
    }
}

/// A failure a user can act on, from library code (the command line prints its description).
public struct CLIFacingError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A bounded in-memory store of model outputs by job key (emptied when full: a fit only ever needs the runs of the
/// current point and its Jacobian columns).
final class OutputMemo: Sendable {
    private let outputs = Mutex<[String: ModelOutput]>([:])
    let capacity: Int
    init(capacity: Int) { self.capacity = capacity }

    subscript(key: String) -> ModelOutput? {
        get { outputs.withLock { $0[key] } }
        set {
            outputs.withLock { store in
                if store.count >= capacity { store.removeAll(keepingCapacity: true) }
                store[key] = newValue
            }
        }
    }
}
