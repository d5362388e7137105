import CathodeModels
import Foundation
import SolverCore

/// An uncertain input of a sensitivity study: its range (a literature range, with its source), its scale, and the
/// registry names it sets in runs of each model (as a calibrated parameter does).
public struct UncertainParameter: Sendable, Codable, Equatable {
    public let name: String
    /// The symbol in figures and tables, with the plotting module's markup (e.g. "i_{0,ref}").
    public let symbol: String
    public let unit: String
    public let lower: Double
    public let upper: Double
    public let scale: CalibratedParameter.Scale
    /// The value held fixed when screening finds the input unimportant (the calibrated value).
    public let nominal: Double
    public let source: String
    public let applies: [String: [String]]

    public init(
        _ name: String, symbol: String, unit: String, range: ClosedRange<Double>, scale: CalibratedParameter.Scale,
        nominal: Double, source: String, applies: [String: [String]]
    ) {
        self.name = name
        self.symbol = symbol
        self.unit = unit
        lower = range.lowerBound
        upper = range.upperBound
        self.scale = scale
        self.nominal = nominal
        self.source = source
        self.applies = applies
    }

    /// A calibrated parameter over its whole literature range, with the calibrated value as nominal.
    public init(_ parameter: CalibratedParameter, nominal: Double) {
        self.init(
            parameter.name, symbol: parameter.symbol, unit: parameter.unit,
            range: parameter.literatureLower...parameter.literatureUpper, scale: parameter.scale, nominal: nominal,
            source: parameter.source, applies: parameter.applies)
    }

    /// The value at the unit-cube coordinate u ∈ [0, 1]: linear, or log-uniform for a log-scale input.
    public func value(atUnit u: Double) -> Double {
        switch scale {
        case .linear: return lower + (upper - lower) * u
        case .log: return lower * Foundation.pow(upper / lower, u)
        }
    }

    public func names(for model: ModelKind) -> [String] { applies[model.rawValue] ?? [] }
}

/// An output of a sensitivity study: the model runs that compute it (each run's overrides on an uncalibrated base,
/// the uncertain inputs added per sample) and how the number follows from their outputs.
public struct SensitivityOutput: Sendable {
    public let name: String
    public let symbol: String
    public let unit: String
    public let runs: [TargetRun]
    public let evaluate: @Sendable ([ModelOutput]) throws -> Double
    public init(
        _ name: String, symbol: String, unit: String, runs: [TargetRun],
        evaluate: @escaping @Sendable ([ModelOutput]) throws -> Double
    ) {
        self.name = name
        self.symbol = symbol
        self.unit = unit
        self.runs = runs
        self.evaluate = evaluate
    }
}

/// A global sensitivity analysis declared in a study body: variance-based (Sobol) first-order and total indices of
/// each output with respect to the uncertain inputs, by the Saltelli design with bootstrap intervals
/// (`SobolAnalysis`), optionally after a Morris screening (`MorrisScreening`) that fixes unimportant inputs at
/// their nominal values.
///
/// Contract:
/// - Outputs with the same runs share one design (their numbers come from the same model runs).
/// - An output depends on the inputs that set a name in a model of its runs; the others are not sampled for it.
/// - With screening, an input is kept when its μ* is at least `keepFraction` × the largest μ* of the design's
///   inputs for some output of the design (μ* normalised by the output's spread); the Saltelli design then runs over
///   the kept inputs only (N(k_kept + 2) points instead of N(k + 2)). The screening's runs must be in the cache
///   before the Saltelli runs are known: the study then has two stages (`report` runs both; a sharded run computes
///   what is known and a second array job the rest).
/// - Every point is an ordinary cached model run, so `report --shard` splits the work.
public struct Sensitivity: StudyComponent {
    /// Morris screening settings: trajectories r, grid levels p (even), and the keep rule.
    public struct Screening: Sendable, Equatable {
        public let trajectories: Int
        public let levels: Int
        public let keepFraction: Double
        public init(trajectories: Int, levels: Int = 4, keepFraction: Double = 0.05) {
            self.trajectories = trajectories
            self.levels = levels
            self.keepFraction = keepFraction
        }
    }

    public let name: String
    public let parameters: [UncertainParameter]
    public let outputs: [SensitivityOutput]
    /// N, the base sample size of the Saltelli design (N(k + 2) points per design).
    public let samples: Int
    public let screening: Screening?
    public let confidence: Double
    public let resamples: Int
    public let seed: UInt64

    public init(
        _ name: String, parameters: [UncertainParameter], outputs: [SensitivityOutput], samples: Int,
        screening: Screening? = nil,
        confidence: Double = 0.95, resamples: Int = 1000, seed: UInt64 = 20_261_130
    ) {
        self.name = name
        self.parameters = parameters
        self.outputs = outputs
        self.samples = samples
        self.screening = screening
        self.confidence = confidence
        self.resamples = resamples
        self.seed = seed
    }
    public var element: StudyElement { .sensitivity(self) }

    /// Declaration problems (empty when the element can run).
    func problems() -> [String] {
        var problems: [String] = []
        let names = parameters.map(\.name)
        for name in Set(names) where names.filter({ $0 == name }).count > 1 {
            problems.append("sensitivity '\(self.name)': two inputs are named '\(name)'")
        }
        let outputNames = outputs.map(\.name)
        for name in Set(outputNames) where outputNames.filter({ $0 == name }).count > 1 {
            problems.append("sensitivity '\(self.name)': two outputs are named '\(name)'")
        }
        if samples < 4 { problems.append("sensitivity '\(name)': sample size \(samples) is below 4") }
        if let screening,
            screening.trajectories < 2 || screening.levels < 2 || screening.levels % 2 != 0
                || !(0..<1).contains(screening.keepFraction)
        {
            problems.append(
                "sensitivity '\(name)': screening needs ≥ 2 trajectories, an even number of levels ≥ 2 and a keep fraction in [0, 1)"
            )
        }
        for p in parameters {
            if !(p.lower < p.upper) || (p.scale == .log && p.lower <= 0) {
                problems.append(
                    "sensitivity '\(name)': input '\(p.name)' has an invalid range [\(p.lower), \(p.upper)]")
            }
            if !(p.lower...p.upper).contains(p.nominal) {
                problems.append(
                    "sensitivity '\(name)': input '\(p.name)' nominal \(p.nominal) is outside [\(p.lower), \(p.upper)]")
            }
            for (model, registryNames) in p.applies {
                guard let kind = ModelKind(rawValue: model) else {
                    problems.append("sensitivity '\(name)': input '\(p.name)' applies to unknown model '\(model)'")
                    continue
                }
                for n in registryNames where !ModelJob.knows(parameter: n, model: kind) {
                    problems.append(
                        "sensitivity '\(name)': input '\(p.name)' sets '\(n)', which is not a \(model) parameter")
                }
            }
        }
        for o in outputs {
            if o.runs.isEmpty { problems.append("sensitivity '\(name)': output '\(o.name)' has no runs") }
            if inputs(of: o.runs).isEmpty {
                problems.append("sensitivity '\(name)': no input affects output '\(o.name)'")
            }
        }
        return problems
    }

    /// The inputs (indices into `parameters`) that set a name in a model of `runs`.
    func inputs(of runs: [TargetRun]) -> [Int] {
        let models = Set(runs.map(\.model))
        return parameters.indices.filter { index in models.contains { !parameters[index].names(for: $0).isEmpty } }
    }

    /// The designs: outputs grouped by their runs, in order of first appearance.
    var designs: [(runs: [TargetRun], outputs: [Int])] {
        var groups: [(runs: [TargetRun], outputs: [Int])] = []
        for (index, output) in outputs.enumerated() {
            if let g = groups.firstIndex(where: { $0.runs == output.runs }) {
                groups[g].outputs.append(index)
            } else {
                groups.append((output.runs, [index]))
            }
        }
        return groups
    }
}

/// The analysed result of a `Sensitivity` element, per output.
public struct SensitivityResult: Sendable, Codable, Equatable {
    /// An index with its bootstrap interval.
    public typealias Estimate = SobolAnalysis.Estimate
    /// Morris μ* and σ.
    public typealias Effect = MorrisScreening.Effect
    /// One input's numbers for one output.
    public struct InputIndices: Sendable, Codable, Equatable {
        public let name: String
        public let symbol: String
        /// Morris μ* and σ in the output's unit (per full range of the input), when screened.
        public let morris: MorrisScreening.Effect?
        /// false = fixed at its nominal value after screening (its indices are then taken as 0).
        public let sampled: Bool
        public let firstOrder: SobolAnalysis.Estimate?
        public let total: SobolAnalysis.Estimate?
    }

    public struct OutputIndices: Sendable, Codable, Equatable {
        public let name: String
        public let symbol: String
        public let unit: String
        /// The design (0, 1, …) it was computed in; outputs with the same runs share one.
        public let design: Int
        public let inputs: [InputIndices]
        public let mean: Double
        public let standardDeviation: Double
        /// The output at the nominal inputs (the calibrated values) is not a sample; the spread is over the ranges.
        public let minimum: Double
        public let maximum: Double
        /// Share of the 2N random samples (rows of A and B) where the output is positive: how often a claim of
        /// the form "X is larger than Y" holds over the input ranges.
        public let positiveShare: Double
        /// Model runs of the screening and of the Saltelli design of this output's group.
        public let screeningRuns: Int
        public let sobolRuns: Int
        /// The widest 95 % interval of a first-order index.
        public var widestFirstOrderInterval: Double {
            inputs.compactMap { $0.firstOrder.map { $0.upper - $0.lower } }.max() ?? 0
        }
    }

    public let name: String
    public let samples: Int
    public let confidence: Double
    public let outputs: [OutputIndices]

    public func output(_ name: String) throws -> OutputIndices {
        guard let o = outputs.first(where: { $0.name == name }) else {
            throw StudyError.missingResult("sensitivity '\(self.name)' has no output '\(name)'")
        }
        return o
    }
}

/// A `Sensitivity` resolved into sweeps: every design's screening runs, and its Saltelli runs once the screening's
/// outputs are known.
struct SensitivityPlan {
    struct Design {
        let runs: [TargetRun]
        let outputs: [Int]
        /// Inputs of the design (indices into the element's parameters).
        let inputs: [Int]
        let morris: (points: [[Double]], changed: [Int])?
        let morrisSweeps: [Sweep]
        /// Inputs kept by the screening (all inputs without screening); nil while the screening is not in the cache.
        let kept: [Int]?
        let sobolSweeps: [Sweep]
    }

    let element: Sensitivity
    let designs: [Design]
    /// Designs whose Saltelli runs are not known yet (their screening runs are missing from the cache).
    var pending: Int { designs.filter { $0.kept == nil }.count }
    var sweeps: [Sweep] { designs.flatMap { $0.morrisSweeps + $0.sobolSweeps } }

    /// `lookup` gives the cached output of a sweep's point (by index; nil when it is not in the cache).
    init(_ element: Sensitivity, lookup: @Sendable (Sweep, Int) throws -> ModelOutput?) throws {
        self.element = element
        var designs: [Design] = []
        for (designIndex, group) in element.designs.enumerated() {
            let inputs = element.inputs(of: group.runs)
            let seed = Self.seed(element, design: designIndex)
            var morris: (points: [[Double]], changed: [Int])?
            var morrisSweeps: [Sweep] = []
            var kept: [Int]? = inputs
            if let screening = element.screening {
                let design = MorrisScreening.design(
                    trajectories: screening.trajectories, dimensions: inputs.count, levels: screening.levels, seed: seed
                )
                morris = design
                morrisSweeps = Self.sweeps(
                    element, design: designIndex, stage: "screening", runs: group.runs, inputs: inputs,
                    points: design.points)
                if let values = try Self.evaluate(
                    element, group: group, sweeps: morrisSweeps, lookup: lookup, requireAll: false)
                {
                    kept = Self.keep(element, screening: screening, inputs: inputs, design: design, values: values)
                } else {
                    kept = nil
                }
            }
            var sobolSweeps: [Sweep] = []
            if let kept {
                let design = SobolAnalysis.design(samples: element.samples, dimensions: kept.count, seed: seed &+ 1)
                sobolSweeps = Self.sweeps(
                    element, design: designIndex, stage: "sobol", runs: group.runs, inputs: kept, points: design,
                    fixed: inputs.filter { !kept.contains($0) })
            }
            designs.append(
                Design(
                    runs: group.runs, outputs: group.outputs, inputs: inputs, morris: morris,
                    morrisSweeps: morrisSweeps, kept: kept,
                    sobolSweeps: sobolSweeps))
        }
        self.designs = designs
    }

    /// The seed of design `design`: the element's seed spread by a golden-ratio step, so designs draw independent samples.
    static func seed(_ element: Sensitivity, design: Int) -> UInt64 { element.seed &+ UInt64(design) &* 0x9E37_79B9 }

    /// One sweep per run of the design: case j sets the inputs of point j (unit cube → range) on the run's
    /// overrides; `fixed` inputs get their nominal value.
    static func sweeps(
        _ element: Sensitivity, design: Int, stage: String, runs: [TargetRun], inputs: [Int], points: [[Double]],
        fixed: [Int] = []
    ) -> [Sweep] {
        runs.enumerated().map { runIndex, run in
            let cases = points.enumerated().map { pointIndex, unit -> SweepCase in
                var overrides = run.overrides
                for (column, input) in inputs.enumerated() {
                    let parameter = element.parameters[input]
                    for name in parameter.names(for: run.model) where run.overrides[name] == nil {
                        overrides[name] = parameter.value(atUnit: unit[column])
                    }
                }
                for input in fixed {
                    let parameter = element.parameters[input]
                    for name in parameter.names(for: run.model) where run.overrides[name] == nil {
                        overrides[name] = parameter.nominal
                    }
                }
                return SweepCase("\(stage) \(pointIndex)", overrides)
            }
            let base = BaseParameters(run.base, model: run.model, settings: run.settings.mapValues { .choice($0) })
            return Sweep("\(element.name).design\(design).\(stage).run\(runIndex)", cases: cases, base: base)
        }
    }

    /// The outputs of a design's group at every point: values[output in group][point]; nil when a run is not in the
    /// cache and `requireAll` is false (a missing run is an error otherwise).
    static func evaluate(
        _ element: Sensitivity, group: (runs: [TargetRun], outputs: [Int]), sweeps: [Sweep],
        lookup: @Sendable (Sweep, Int) throws -> ModelOutput?, requireAll: Bool = true, workers: Int = 1
    ) throws -> [[Double]]? {
        let count = sweeps.first?.points.count ?? 0
        // One point at a time per worker: its runs are read, evaluated and dropped, so memory does not grow with N.
        let perPoint = try ParallelWork.map(count, jobs: workers) { point -> [Double]? in
            var runOutputs: [ModelOutput] = []
            for sweep in sweeps {
                guard let o = try lookup(sweep, point) else {
                    if !requireAll { return nil }
                    throw StudyError.missingResult(
                        "sensitivity '\(element.name)': run \(sweep.name) point \(point) is missing")
                }
                runOutputs.append(o)
            }
            return try group.outputs.map { output in
                let value = try element.outputs[output].evaluate(runOutputs)
                guard value.isFinite else {
                    throw StudyError.missingResult(
                        "sensitivity '\(element.name)': output '\(element.outputs[output].name)' is \(value) at \(sweeps[0].points[point].overrides)"
                    )
                }
                return value
            }
        }
        var values = [[Double]](repeating: [Double](repeating: 0, count: count), count: group.outputs.count)
        for (point, row) in perPoint.enumerated() {
            guard let row else { return nil }
            for slot in row.indices { values[slot][point] = row[slot] }
        }
        return values
    }

    /// Inputs whose μ*, relative to the largest μ* of the design for the same output, reaches the keep fraction for
    /// at least one output (in declaration order). An output that does not vary keeps nothing on its own.
    static func keep(
        _ element: Sensitivity, screening: Sensitivity.Screening, inputs: [Int],
        design: (points: [[Double]], changed: [Int]), values: [[Double]]
    ) -> [Int] {
        var keep = Set<Int>()
        for outputValues in values {
            let effects = MorrisScreening.effects(outputs: outputValues, design: design, dimensions: inputs.count)
            let largest = effects.map(\.meanAbsolute).max() ?? 0
            guard largest > 0 else { continue }
            for (column, effect) in effects.enumerated() where effect.meanAbsolute >= screening.keepFraction * largest {
                keep.insert(column)
            }
        }
        if keep.isEmpty { keep = Set(inputs.indices) }
        return inputs.indices.filter { keep.contains($0) }.map { inputs[$0] }
    }

    /// The indices of every output, from the outputs of the plan's sweeps.
    func analyse(workers: Int, lookup: @Sendable (Sweep, Int) throws -> ModelOutput?) throws -> SensitivityResult {
        var results = [SensitivityResult.OutputIndices?](repeating: nil, count: element.outputs.count)
        for (designIndex, design) in designs.enumerated() {
            guard let kept = design.kept else {
                throw StudyError.missingResult(
                    "sensitivity '\(element.name)': the screening of design \(designIndex) is not complete")
            }
            let group = (runs: design.runs, outputs: design.outputs)
            let morrisValues =
                design.morris == nil
                ? nil
                : try Self.evaluate(
                    element, group: group, sweeps: design.morrisSweeps, lookup: lookup, workers: workers)!
            let sobolValues = try Self.evaluate(
                element, group: group, sweeps: design.sobolSweeps, lookup: lookup, workers: workers)!
            let seed = Self.seed(element, design: designIndex)
            for (slot, outputIndex) in design.outputs.enumerated() {
                let output = element.outputs[outputIndex]
                let values = sobolValues[slot]
                let indices = SobolAnalysis.indices(
                    outputs: values, samples: element.samples, dimensions: kept.count, confidence: element.confidence,
                    resamples: element.resamples, seed: seed &+ 2 &+ UInt64(slot))
                let effects = design.morris.map {
                    MorrisScreening.effects(outputs: morrisValues![slot], design: $0, dimensions: design.inputs.count)
                }
                let rows = design.inputs.enumerated().map { column, input -> SensitivityResult.InputIndices in
                    let parameter = element.parameters[input]
                    let position = kept.firstIndex(of: input)
                    return SensitivityResult.InputIndices(
                        name: parameter.name, symbol: parameter.symbol, morris: effects?[column],
                        sampled: position != nil,
                        firstOrder: position.map { indices.firstOrder[$0] }, total: position.map { indices.total[$0] })
                }
                let base = Array(values.prefix(2 * element.samples))
                let mean = base.reduce(0, +) / Double(base.count)
                let deviation = (base.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(base.count - 1, 1)))
                    .squareRoot()
                results[outputIndex] = SensitivityResult.OutputIndices(
                    name: output.name, symbol: output.symbol, unit: output.unit, design: designIndex, inputs: rows,
                    mean: mean, standardDeviation: deviation,
                    minimum: values.min() ?? 0, maximum: values.max() ?? 0,
                    positiveShare: Double(base.filter { $0 > 0 }.count) / Double(base.count),
                    screeningRuns: design.morrisSweeps.reduce(0) { $0 + $1.points.count },
                    sobolRuns: design.sobolSweeps.reduce(0) { $0 + $1.points.count })
            }
        }
        return SensitivityResult(
            name: element.name, samples: element.samples, confidence: element.confidence, outputs: results.map { $0! })
    }
}
