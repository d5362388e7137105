import CathodeModels
import Foundation
import Materials
import ResultStore
import Synchronization

/// The models a study can run.
public enum ModelKind: String, Sendable, Codable, CaseIterable {
    case dense1d
    case composite
    case dense2d
    /// Model B diffusion plus Model C stress fields at its snapshots (one-way coupled).
    case stress
    /// Small-signal impedance of Model B (and, with `rateTest`, the rate test with stress-driven delamination).
    case impedance
    /// Charge/discharge cycles of Model B with Model C stresses, bulk cracking and interface delamination.
    case cycling
}

/// A model's output, as cached.
public enum ModelOutput: Sendable, Codable, Equatable {
    case dense1d(Dense1DResult)
    case composite(CompositeResult)
    case dense2d(Dense2DResult)
    case stress(ChemoMechanicalResult)
    case impedance(ImpedanceRunResult)
    case cycling(CyclingResult)

    /// The Model A result (a programming error to ask a composite run for it).
    public var dense1d: Dense1DResult {
        guard case .dense1d(let r) = self else { preconditionFailure("not a dense1d result") }
        return r
    }
    public var composite: CompositeResult {
        guard case .composite(let r) = self else { preconditionFailure("not a composite result") }
        return r
    }
    public var dense2d: Dense2DResult {
        if case .stress(let r) = self { return r.diffusion }
        guard case .dense2d(let r) = self else { preconditionFailure("not a dense2d result") }
        return r
    }
    public var stress: ChemoMechanicalResult {
        guard case .stress(let r) = self else { preconditionFailure("not a stress result") }
        return r
    }
    public var impedance: ImpedanceRunResult {
        guard case .impedance(let r) = self else { preconditionFailure("not an impedance result") }
        return r
    }
    public var cycling: CyclingResult {
        guard case .cycling(let r) = self else { preconditionFailure("not a cycling result") }
        return r
    }
}

/// A resolved model input of either kind.
enum ModelSetup: Sendable {
    case dense1d(Dense1DSetup)
    case composite(CompositeSetup)
    case dense2d(Dense2DSpec)
    case stress(ChemoMechanicalSpec)
    case impedance(ImpedanceSpec)
    case cycling(CyclingSpec)
}

/// A fully resolved model input: the unit of caching and of parallel work.
struct ModelJob: Sendable {
    let model: ModelKind
    let setup: ModelSetup
    let key: String

    /// Jobs already resolved in this process, by their inputs: a report resolves each study's plan several times
    /// (cache check, shards, stages), and building and hashing a setup costs far more than this lookup.
    private static let resolved = Mutex<[String: ModelJob]>([:])

    /// Builds the setup from a base set plus overrides, validating every name and value (a 2D section's geometry —
    /// microstructure, memory — is checked when it runs: a cached run passed that check when it was computed, and
    /// building the microstructure of thousands of cached runs only to check them would dominate assembling a report).
    static func make(model: ModelKind, base: BaseParameters, overrides: [String: Double], physicsVersion: String) throws
        -> ModelJob
    {
        let numbers = base.overrides.merging(overrides) { _, new in new }
        let signature =
            "\(model.rawValue)|\(physicsVersion)|\(base.set)|"
            + numbers.keys.sorted().map { "\($0)=\(numbers[$0]!)" }.joined(separator: ",")
            + "|"
            + base.settings.keys.sorted().map { "\($0)=\(Self.signature(base.settings[$0]!))" }.joined(separator: ",")
        if let job = resolved.withLock({ $0[signature] }) { return job }
        let job = try resolve(model: model, base: base, numbers: numbers, physicsVersion: physicsVersion)
        resolved.withLock { $0[signature] = job }
        return job
    }

    /// Forgets the jobs resolved so far (benchmarks that time a fresh process's plan resolution).
    static func forgetResolved() { resolved.withLock { $0.removeAll() } }

    /// A setting's exact value as text, for the memo's signature (a table in full, not as its summary).
    private static func signature(_ setting: SettingValue) -> String {
        switch setting {
        case .choice(let name): return "c:" + name
        case .flag(let on): return on ? "f:1" : "f:0"
        case .list(let values): return "l:" + values.map { "\($0)" }.joined(separator: ";")
        case let .ocpTable(s, v):
            return "t:" + s.map { "\($0)" }.joined(separator: ";") + "/" + v.map { "\($0)" }.joined(separator: ";")
        }
    }

    private static func resolve(
        model: ModelKind, base: BaseParameters, numbers: [String: Double], physicsVersion: String
    ) throws -> ModelJob {
        let setup: ModelSetup
        let canonical: Data
        switch model {
        case .dense1d:
            let (s, _) = try Dense1DParameterRegistry.setup(base: base.set, numbers: numbers, settings: base.settings)
            setup = .dense1d(s)
            canonical = try BinaryCoding.encode(s)
        case .composite:
            let (s, _) = try CompositeParameterRegistry.setup(base: base.set, numbers: numbers, settings: base.settings)
            setup = .composite(s)
            canonical = try BinaryCoding.encode(s)
        case .dense2d:
            let s = try Dense2DParameterRegistry.spec(base: base.set, numbers: numbers)
            setup = .dense2d(s)
            canonical = try BinaryCoding.encode(s)
        case .stress:
            let s = try ChemoMechanicalParameterRegistry.spec(base: base.set, numbers: numbers)
            setup = .stress(s)
            canonical = try BinaryCoding.encode(s)
        case .impedance:
            let s = try ImpedanceParameterRegistry.spec(base: base.set, numbers: numbers)
            setup = .impedance(s)
            canonical = try BinaryCoding.encode(s)
        case .cycling:
            let s = try CyclingParameterRegistry.spec(base: base.set, numbers: numbers)
            setup = .cycling(s)
            canonical = try BinaryCoding.encode(s)
        }
        // The canonical form is the setup's BinaryCoding bytes: deterministic (fields in declaration order, doubles as
        // their bits), and ~10× faster to produce than sorted JSON for the thousands of runs of a sweep.
        let key = contentHash(Array("\(model.rawValue)|\(physicsVersion)|".utf8) + Array(canonical))
        return ModelJob(model: model, setup: setup, key: key)
    }

    func run() throws -> ModelOutput {
        switch setup {
        case .dense1d(let s): return .dense1d(try Dense1DModel(s).run())
        case .composite(let s): return .composite(try CompositeModel(s).run())
        case .dense2d(let s): return .dense2d(try Dense2DModel(try s.setup()).run())
        case .stress(let s): return .stress(try ChemoMechanicalRunner.run(s))
        case .impedance(let s): return .impedance(try ImpedanceRunner.run(s))
        case .cycling(let s): return .cycling(try CyclingRunner.run(s))
        }
    }

    /// The parameter table of this run (names, values with units, sources from the base set).
    static func parameterRecords(model: ModelKind, base: BaseParameters) throws -> ([ParameterRecord], [Citation]) {
        switch model {
        case .dense1d:
            let (setup, set) = try Dense1DParameterRegistry.setup(
                base: base.set, numbers: base.overrides, settings: base.settings)
            let rows = Dense1DParameterRegistry.describe(setup).map { row -> ParameterRecord in
                let overridden = base.overrides[row.name] != nil
                let src =
                    overridden
                    ? "study override"
                    : (set.sources[row.name].map { "[\($0.provenance.rawValue)] \($0.citationKey)" } ?? "solver default")
                return ParameterRecord(name: row.name, value: row.value, unit: row.unit, source: src)
            }
            var citations = set.citations
            if case .ramadass2004 = setup.cell.ocp, let t = References.citation("Torchio2016"), !citations.contains(t) {
                citations.append(t)
            }
            return (rows, citations.sorted())
        case .composite:
            let (setup, set) = try CompositeParameterRegistry.setup(
                base: base.set, numbers: base.overrides, settings: base.settings)
            let rows = CompositeParameterRegistry.describe(setup).map { row -> ParameterRecord in
                let src =
                    base.overrides[row.name] != nil
                    ? "study override"
                    : (row.name.hasPrefix("derived:")
                        ? "derived from the composition (§5.1)"
                        : (set.sources[row.name].map { "[\($0.provenance.rawValue)] \($0.citationKey)" }
                            ?? "solver default"))
                return ParameterRecord(name: row.name, value: row.value, unit: row.unit, source: src)
            }
            return (rows, set.citations)
        case .dense2d, .stress, .impedance, .cycling:
            let set = try Dense1DParameterSet.named(base.set)
            let described =
                switch model {
                case .dense2d:
                    Dense2DParameterRegistry.describe(
                        try Dense2DParameterRegistry.spec(base: base.set, numbers: base.overrides))
                case .stress:
                    ChemoMechanicalParameterRegistry.describe(
                        try ChemoMechanicalParameterRegistry.spec(base: base.set, numbers: base.overrides))
                case .cycling:
                    CyclingParameterRegistry.describe(
                        try CyclingParameterRegistry.spec(base: base.set, numbers: base.overrides))
                default:
                    ImpedanceParameterRegistry.describe(
                        try ImpedanceParameterRegistry.spec(base: base.set, numbers: base.overrides))
                }
            let rows = described.map { row -> ParameterRecord in
                let src =
                    base.overrides[row.name] != nil
                    ? "study override"
                    : (set.sources[row.name].map { "[\($0.provenance.rawValue)] \($0.citationKey)" }
                        ?? (set.name.hasSuffix("Calibrated") ? PaperCalibratedSets.sectionSources[row.name] : nil)
                            ?? ChemoMechanicalParameterRegistry.sources[row.name] ?? ImpedanceParameterRegistry.sources[
                                row.name] ?? CyclingParameterRegistry.sources[row.name]
                            ?? "model default (physics.md §3.7)")
                return ParameterRecord(name: row.name, value: row.value, unit: row.unit, source: src)
            }
            let extra =
                (model == .stress
                ? ["Ai2020", "Kim2004", "Basch2014"]
                : model == .cycling
                    ? [
                        "Ai2020", "Kim2004", "Basch2014", "Paris1963", "Ritchie1999", "HutchinsonSuo1992", "Mughal2017",
                        "McGrogan2017", "Ai2022Fatigue",
                    ]
                    : model == .impedance
                        ? [
                            "Ai2020", "Kim2004", "Basch2014", "Irvine1990", "McGrogan2017", "Boukamp1995",
                            "Barsoukov2005",
                            "Nishio2022",
                        ] : [])
                .compactMap(References.citation)
            return (rows, (set.citations + extra).sorted())
        }
    }
}
