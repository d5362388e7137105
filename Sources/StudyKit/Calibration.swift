import CathodeModels
import Foundation
import ResultStore

/// A calibration declared as data: free parameters with bounds and the literature range (and source) they come
/// from, and targets — published numbers with their uncertainty, the model runs that compute them, and whether
/// the fit may use them. Validation targets are declared before fitting and never enter the fit.
///
/// Contract (checked by `validate()`, all problems reported together): parameter names unique, bounds inside the
/// literature range, initial value inside the bounds (log-scale bounds positive), at least one fit target, at
/// least a third of all targets held out for validation, every registry name a parameter sets known to the
/// model it applies to, every target's runs valid.
public protocol Calibration: Sendable {
    /// Identifier, used for the cache and `cathodelab calibrate <id>`.
    var id: String { get }
    var title: String { get }
    /// The file that declares it (its text is part of the cache key, so any edit to the declaration refits).
    var sourceFile: String { get }
    var parameters: [CalibratedParameter] { get }
    var targets: [CalibrationTarget] { get }
    /// Multi-start settings: Latin-hypercube starts besides the declared initial point, and their seed.
    var starts: Int { get }
    var seed: UInt64 { get }
    var maxIterations: Int { get }
    /// A previous solution to start from as well (by parameter name; nil = none): the values compiled into the
    /// parameter sets. With it the fit never ends worse than what the studies already use, so a change of the
    /// model by round-off cannot send the multi-start search to a worse local minimum unnoticed.
    var warmStart: [String: Double]? { get }
}

/// A free parameter: where it applies, its box, its scale, and the literature range its bounds come from.
public struct CalibratedParameter: Sendable, Codable, Equatable {
    public enum Scale: String, Sendable, Codable { case linear, log }

    /// Short name used in tables and results (e.g. "i0").
    public let name: String
    /// The symbol in reports, with the markup of the plotting module (e.g. "i_{0,ref}").
    public let symbol: String
    public let unit: String
    public let lower: Double
    public let upper: Double
    public let initial: Double
    public let scale: Scale
    /// The range reported in the literature and the source of it (the bounds lie inside it).
    public let literatureLower: Double
    public let literatureUpper: Double
    public let source: String
    public let citationKeys: [String]
    /// Registry names this value sets, per model (one value may set several names, e.g. a threshold shared by
    /// two laws, or i₀ in every model).
    public let applies: [String: [String]]

    public init(
        _ name: String, symbol: String, unit: String, bounds: ClosedRange<Double>, initial: Double, scale: Scale,
        literature: ClosedRange<Double>, source: String, citations: [String] = [], applies: [ModelKind: [String]]
    ) {
        self.name = name
        self.symbol = symbol
        self.unit = unit
        lower = bounds.lowerBound
        upper = bounds.upperBound
        self.initial = initial
        self.scale = scale
        literatureLower = literature.lowerBound
        literatureUpper = literature.upperBound
        self.source = source
        citationKeys = citations
        self.applies = Dictionary(uniqueKeysWithValues: applies.map { ($0.key.rawValue, $0.value) })
    }

    /// The registry names set in runs of `model`.
    public func names(for model: ModelKind) -> [String] { applies[model.rawValue] ?? [] }
}

/// One model run a target needs: model, base set, settings and overrides (registry names, display units).
public struct TargetRun: Sendable, Codable, Equatable, Hashable {
    public let model: ModelKind
    public let base: String
    public let overrides: [String: Double]
    public let settings: [String: String]
    public init(_ model: ModelKind, base: String, _ overrides: [String: Double] = [:], settings: [String: String] = [:])
    {
        self.model = model
        self.base = base
        self.overrides = overrides
        self.settings = settings
    }
}

/// A published number and how the model computes it.
public struct CalibrationTarget: Sendable {
    public enum Role: String, Sendable, Codable { case fit, validation }

    /// How the computed value must relate to the published one: equal within the uncertainty, or — for a
    /// qualitative statement such as "near zero" or "peaks at 70 wt%" — at most / at least the stated bound.
    public enum Relation: String, Sendable, Codable {
        case equal, atMost, atLeast

        /// The residual in units of the uncertainty: the signed difference for `equal`; for a bound, zero while it
        /// holds and the excess beyond it otherwise (a one-sided, hinge residual).
        public func residual(computed: Double, published: Double, uncertainty: Double) -> Double {
            let r = (computed - published) / uncertainty
            switch self {
            case .equal: return r
            case .atMost: return max(r, 0)
            case .atLeast: return min(r, 0)
            }
        }

        /// "=", "≤" or "≥", for tables.
        public var symbol: String {
            switch self {
            case .equal: return "="
            case .atMost: return "≤"
            case .atLeast: return "≥"
            }
        }
    }

    public let name: String
    public let published: Double
    public let unit: String
    /// The figure or text it comes from, e.g. "Fig. 4(e)".
    public let figure: String
    public let kind: Comparison.Kind
    /// One standard uncertainty of the published value in its unit: ±0.5 % for a number printed in the text,
    /// ±3–5 % for one read off a plot, wider for a qualitative statement.
    public let uncertainty: Double
    public let role: Role
    public let relation: Relation
    public let runs: [TargetRun]
    /// The model's value from the outputs of `runs` (in order) and the calibrated values by parameter name.
    public let evaluate: @Sendable ([ModelOutput], [String: Double]) throws -> Double

    public init(
        _ name: String, published: Double, unit: String, figure: String, kind: Comparison.Kind = .published,
        uncertainty: Double, role: Role, relation: Relation = .equal, runs: [TargetRun],
        evaluate: @escaping @Sendable ([ModelOutput], [String: Double]) throws -> Double
    ) {
        self.name = name
        self.published = published
        self.unit = unit
        self.figure = figure
        self.kind = kind
        self.uncertainty = uncertainty
        self.role = role
        self.relation = relation
        self.runs = runs
        self.evaluate = evaluate
    }
}

/// Why a calibration declaration cannot run.
public struct CalibrationDeclarationError: Error, CustomStringConvertible {
    public let calibration: String
    public let problems: [String]
    public var description: String {
        "calibration '\(calibration)' is declared wrongly:\n  - " + problems.joined(separator: "\n  - ")
    }
}

extension Calibration {
    public var starts: Int { 6 }
    public var seed: UInt64 { 20_251_129 }
    public var maxIterations: Int { 25 }
    public var warmStart: [String: Double]? { nil }

    public var fitTargets: [CalibrationTarget] { targets.filter { $0.role == .fit } }
    public var validationTargets: [CalibrationTarget] { targets.filter { $0.role == .validation } }

    /// Checks the declaration (see the protocol's contract).
    public func validate() throws {
        var problems: [String] = []
        let names = parameters.map(\.name)
        for name in Set(names) where names.filter({ $0 == name }).count > 1 {
            problems.append("two parameters are named '\(name)'")
        }
        for p in parameters {
            if !(p.lower < p.upper) {
                problems.append("parameter '\(p.name)': bounds [\(p.lower), \(p.upper)] are empty")
            }
            if p.lower < p.literatureLower || p.upper > p.literatureUpper {
                problems.append(
                    "parameter '\(p.name)': bounds [\(p.lower), \(p.upper)] leave its literature range [\(p.literatureLower), \(p.literatureUpper)]"
                )
            }
            if !(p.lower...p.upper).contains(p.initial) {
                problems.append("parameter '\(p.name)': initial value \(p.initial) is outside its bounds")
            }
            if p.scale == .log && p.lower <= 0 {
                problems.append("parameter '\(p.name)': a log-scale parameter needs positive bounds")
            }
            if p.applies.isEmpty && !targets.contains(where: { $0.runs.isEmpty }) {
                problems.append("parameter '\(p.name)' applies to no model")
            }
            for (model, registryNames) in p.applies {
                guard let kind = ModelKind(rawValue: model) else {
                    problems.append("parameter '\(p.name)': unknown model '\(model)'")
                    continue
                }
                for n in registryNames where !ModelJob.knows(parameter: n, model: kind) {
                    problems.append("parameter '\(p.name)': '\(n)' is not a \(model) parameter")
                }
            }
        }
        let targetNames = targets.map(\.name)
        for name in Set(targetNames) where targetNames.filter({ $0 == name }).count > 1 {
            problems.append("two targets are named '\(name)'")
        }
        if fitTargets.isEmpty { problems.append("no fit targets") }
        if 3 * validationTargets.count < targets.count {
            problems.append(
                "only \(validationTargets.count) of \(targets.count) targets are held out for validation; at least a third must be"
            )
        }
        for t in targets where !(t.uncertainty > 0 && t.uncertainty.isFinite) {
            problems.append("target '\(t.name)': uncertainty must be positive")
        }
        for t in targets {
            for run in t.runs where PaperCalibratedSets.setNames.contains(run.base) {
                problems.append(
                    "target '\(t.name)': runs from the calibrated set '\(run.base)'; a calibration must run from uncalibrated bases"
                )
            }
        }
        if !problems.isEmpty { throw CalibrationDeclarationError(calibration: id, problems: problems) }
    }

    /// The model jobs of a set of runs for given parameter values (calibrated names applied per model).
    func jobs(_ runs: [TargetRun], values: [String: Double]) throws -> [ModelJob] {
        try runs.map { run in
            var overrides = run.overrides
            for p in parameters {
                guard let value = values[p.name] else { continue }
                for registryName in p.names(for: run.model) where overrides[registryName] == nil {
                    overrides[registryName] = value
                }
            }
            let base = BaseParameters(run.base, model: run.model, settings: run.settings.mapValues { .choice($0) })
            return try ModelJob.make(
                model: run.model, base: base, overrides: overrides, physicsVersion: PhysicsVersion.current)
        }
    }
}
