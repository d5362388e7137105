import CathodeModels
import Foundation
import ResultStore
import SolverCore

/// Fits any model parameters (by their registry names) to any published quantities by bounded
/// Levenberg–Marquardt least squares (SolverCore.LevenbergMarquardt).
///
/// Residual of target k: (model_k(p) − published_k)/σ_k, where model_k runs the base set with the
/// target's overrides (e.g. a composition and a C-rate) plus the fitted parameters, and extracts a number
/// from the output. σ_k expresses how firmly the paper states the value: a printed number gets a few
/// mAh g⁻¹, a qualitative statement ("near zero", "steep drop") a wide range.
public struct ParameterFit: Sendable {
    public struct Parameter: Sendable {
        public let name: String
        public let initial: Double, lower: Double, upper: Double
        public let logScale: Bool
        public init(_ name: String, initial: Double, lower: Double, upper: Double, logScale: Bool = false) {
            self.name = name
            self.initial = initial
            self.lower = lower
            self.upper = upper
            self.logScale = logScale
        }
    }

    public struct Target: Sendable {
        public let name: String
        public let overrides: [String: Double]
        public let published: Double
        public let sigma: Double
        public let source: String
        public let extract: @Sendable (ModelOutput) -> Double
        public init(
            _ name: String, overrides: [String: Double], published: Double, sigma: Double, source: String,
            extract: @escaping @Sendable (ModelOutput) -> Double
        ) {
            self.name = name
            self.overrides = overrides
            self.published = published
            self.sigma = sigma
            self.source = source
            self.extract = extract
        }
    }

    public struct Report: Sendable, Codable {
        public struct Row: Sendable, Codable {
            public let target: String
            public let published: Double
            public let sigma: Double
            public let computed: Double
            public let source: String
            public var normalisedResidual: Double { (computed - published) / sigma }
        }
        public let fitted: [String: Double]
        /// Standard errors from the Jacobian at the solution, (JᵀJ)⁻¹ with residuals in units of σ (absent where
        /// JᵀJ is singular: the targets do not pin the parameter).
        public let standardErrors: [String: Double]
        /// The fitted parameters that ended on a bound of their box.
        public let atBound: [String]
        public let rows: [Row]
        public let cost: Double
        public let iterations: Int
        public let evaluations: Int
        /// Why the fit stopped: converged, iteration limit, or no further improvement.
        public let stopReason: String
        public var converged: Bool { stopReason != LevenbergMarquardt.StopReason.iterationLimit.rawValue }
    }

    public let base: BaseParameters
    public let parameters: [Parameter]
    public let targets: [Target]
    public init(base: BaseParameters, parameters: [Parameter], targets: [Target]) {
        self.base = base
        self.parameters = parameters
        self.targets = targets
    }

    /// The target values for given parameter values (targets run in parallel).
    public func evaluate(_ values: [String: Double]) throws -> [Double] {
        let targets = self.targets
        let base = self.base
        return try ParallelWork.map(targets.count, jobs: targets.count) { k in
            let t = targets[k]
            let job = try ModelJob.make(
                model: base.model, base: base, overrides: t.overrides.merging(values) { _, new in new },
                physicsVersion: "fit")
            return t.extract(try job.run())
        }
    }

    /// Fits; `progress` is told (iteration, cost, parameters by name) after every iteration.
    public func run(maxIterations: Int = 30, progress: (@Sendable (Int, Double, [String: Double]) -> Void)? = nil)
        throws -> Report
    {
        var lm = LevenbergMarquardt()
        lm.maxIterations = maxIterations
        lm.tolerance = 1e-6
        let parameterNames = parameters.map(\.name)
        if let progress {
            lm.progress = { iteration, cost, values in
                progress(iteration, cost, Dictionary(uniqueKeysWithValues: zip(parameterNames, values)))
            }
        }
        let names = parameters.map(\.name)
        let result = try lm.fit(
            parameters.map { .init(initial: $0.initial, lower: $0.lower, upper: $0.upper, logScale: $0.logScale) }
        ) { p in
            let values = try evaluate(Dictionary(uniqueKeysWithValues: zip(names, p)))
            return zip(values, targets).map { ($0 - $1.published) / $1.sigma }
        }
        let fitted = Dictionary(uniqueKeysWithValues: zip(names, result.parameters))
        let computed = try evaluate(fitted)
        return Report(
            fitted: fitted,
            standardErrors: Dictionary(
                uniqueKeysWithValues: zip(names, result.standardErrors).filter { $0.1.isFinite }),
            atBound: zip(names, result.atBound).filter(\.1).map(\.0),
            rows: zip(targets, computed).map {
                Report.Row(target: $0.name, published: $0.published, sigma: $0.sigma, computed: $1, source: $0.source)
            },
            cost: result.cost, iterations: result.iterations, evaluations: result.evaluations,
            stopReason: result.stopReason.rawValue)
    }
}
