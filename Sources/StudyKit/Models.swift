import CathodeModels
import Foundation
import Materials
import ResultStore

/// The models a study can run.
public enum ModelKind: String, Sendable, Codable, CaseIterable {
    case dense1d
    case composite
    case dense2d
    /// Model B diffusion plus Model C stress fields at its snapshots (one-way coupled).
    case stress
    /// Small-signal impedance of Model B (and, with `rateTest`, the rate test with stress-driven delamination).
    case impedance
}

/// A model's output, as cached.
public enum ModelOutput: Sendable, Codable, Equatable {
    case dense1d(Dense1DResult)
    case composite(CompositeResult)
    case dense2d(Dense2DResult)
    case stress(ChemoMechanicalResult)
    case impedance(ImpedanceRunResult)

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
}

/// A resolved model input of either kind.
enum ModelSetup: Sendable {
    case dense1d(Dense1DSetup)
    case composite(CompositeSetup)
    case dense2d(Dense2DSpec)
    case stress(ChemoMechanicalSpec)
    case impedance(ImpedanceSpec)
}

/// A fully resolved model input: the unit of caching and of parallel work.
struct ModelJob: Sendable {
    let model: ModelKind
    let setup: ModelSetup
    let key: String

    /// Builds the setup from a base set plus overrides, validating every name and value.
    static func make(model: ModelKind, base: BaseParameters, overrides: [String: Double], physicsVersion: String) throws -> ModelJob {
        let numbers = base.overrides.merging(overrides) { _, new in new }
        let setup: ModelSetup, canonical: Data
        switch model {
        case .dense1d:
            let (s, _) = try Dense1DParameterRegistry.setup(base: base.set, numbers: numbers, settings: base.settings)
            setup = .dense1d(s); canonical = try StableJSON.encode(s)
        case .composite:
            let (s, _) = try CompositeParameterRegistry.setup(base: base.set, numbers: numbers, settings: base.settings)
            setup = .composite(s); canonical = try StableJSON.encode(s)
        case .dense2d:
            let s = try Dense2DParameterRegistry.spec(base: base.set, numbers: numbers)
            try s.setup().validate()
            setup = .dense2d(s); canonical = try StableJSON.encode(s)
        case .stress:
            let s = try ChemoMechanicalParameterRegistry.spec(base: base.set, numbers: numbers)
            try s.diffusion.setup().validate()
            setup = .stress(s); canonical = try StableJSON.encode(s)
        case .impedance:
            let s = try ImpedanceParameterRegistry.spec(base: base.set, numbers: numbers)
            try s.section.diffusion.setup().validate()
            setup = .impedance(s); canonical = try StableJSON.encode(s)
        }
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
        }
    }

    /// The parameter table of this run (names, values with units, sources from the base set).
    static func parameterRecords(model: ModelKind, base: BaseParameters) throws -> ([ParameterRecord], [Citation]) {
        switch model {
        case .dense1d:
            let (setup, set) = try Dense1DParameterRegistry.setup(base: base.set, numbers: base.overrides, settings: base.settings)
            let rows = Dense1DParameterRegistry.describe(setup).map { row -> ParameterRecord in
                let overridden = base.overrides[row.name] != nil
                let src = overridden ? "study override" : (set.sources[row.name].map { "[\($0.provenance.rawValue)] \($0.citationKey)" } ?? "solver default")
                return ParameterRecord(name: row.name, value: row.value, unit: row.unit, source: src)
            }
            var citations = set.citations
            if case .ramadass2004 = setup.cell.ocp, let t = References.citation("Torchio2016"), !citations.contains(t) { citations.append(t) }
            return (rows, citations.sorted())
        case .composite:
            let (setup, set) = try CompositeParameterRegistry.setup(base: base.set, numbers: base.overrides, settings: base.settings)
            let rows = CompositeParameterRegistry.describe(setup).map { row -> ParameterRecord in
                let src = base.overrides[row.name] != nil ? "study override" : (row.name.hasPrefix("derived:") ? "derived from the composition (§5.1)" : (set.sources[row.name].map { "[\($0.provenance.rawValue)] \($0.citationKey)" } ?? "solver default"))
                return ParameterRecord(name: row.name, value: row.value, unit: row.unit, source: src)
            }
            return (rows, set.citations)
        case .dense2d, .stress, .impedance:
            let set = try Dense1DParameterSet.named(base.set)
            let described = switch model {
            case .dense2d: Dense2DParameterRegistry.describe(try Dense2DParameterRegistry.spec(base: base.set, numbers: base.overrides))
            case .stress: ChemoMechanicalParameterRegistry.describe(try ChemoMechanicalParameterRegistry.spec(base: base.set, numbers: base.overrides))
            default: ImpedanceParameterRegistry.describe(try ImpedanceParameterRegistry.spec(base: base.set, numbers: base.overrides))
            }
            let rows = described.map { row -> ParameterRecord in
                let src = base.overrides[row.name] != nil ? "study override"
                    : (set.sources[row.name].map { "[\($0.provenance.rawValue)] \($0.citationKey)" }
                       ?? (set.name.hasSuffix("Calibrated") ? PaperCalibratedSets.sectionSources[row.name] : nil)
                       ?? ChemoMechanicalParameterRegistry.sources[row.name] ?? ImpedanceParameterRegistry.sources[row.name] ?? "model default (physics.md §3.7)")
                return ParameterRecord(name: row.name, value: row.value, unit: row.unit, source: src)
            }
            let extra = (model == .stress ? ["Ai2020", "Kim2004", "Basch2014"] : model == .impedance ? ["Ai2020", "Kim2004", "Basch2014", "Irvine1990", "McGrogan2017", "Boukamp1995", "Barsoukov2005", "Nishio2022"] : [])
                .compactMap(References.citation)
            return (rows, (set.citations + extra).sorted())
        }
    }
}
