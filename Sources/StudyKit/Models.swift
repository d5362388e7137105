import CathodeModels
import Foundation
import Materials
import ResultStore

/// The models a study can run.
public enum ModelKind: String, Sendable, Codable, CaseIterable {
    case dense1d
}

/// A model's output, as cached.
public enum ModelOutput: Sendable, Codable, Equatable {
    case dense1d(Dense1DResult)

    public var dense1d: Dense1DResult {
        switch self { case .dense1d(let r): return r }
    }
}

/// A fully resolved model input: the unit of caching and of parallel work.
struct ModelJob: Sendable {
    let model: ModelKind
    let setup: Dense1DSetup
    let key: String

    /// Builds the setup from a base set plus overrides, validating every name and value.
    static func make(model: ModelKind, base: BaseParameters, overrides: [String: Double], physicsVersion: String) throws -> ModelJob {
        switch model {
        case .dense1d:
            let numbers = base.overrides.merging(overrides) { _, new in new }
            let (setup, _) = try Dense1DParameterRegistry.setup(base: base.set, numbers: numbers, text: base.text)
            let canonical = try StableJSON.encode(setup)
            let key = contentHash(Array("\(model.rawValue)|\(physicsVersion)|".utf8) + Array(canonical))
            return ModelJob(model: model, setup: setup, key: key)
        }
    }

    func run() throws -> ModelOutput {
        switch model {
        case .dense1d: return .dense1d(try Dense1DModel(setup).run())
        }
    }

    /// The parameter table of this run (names, values with units, sources from the base set).
    static func parameterRecords(model: ModelKind, base: BaseParameters) throws -> ([ParameterRecord], [Citation]) {
        switch model {
        case .dense1d:
            let (setup, set) = try Dense1DParameterRegistry.setup(base: base.set, numbers: base.overrides, text: base.text)
            let rows = Dense1DParameterRegistry.describe(setup).map { row -> ParameterRecord in
                let overridden = base.overrides[row.name] != nil
                let src = overridden ? "study override" : (set.sources[row.name].map { "[\($0.provenance.rawValue)] \($0.citationKey)" } ?? "solver default")
                return ParameterRecord(name: row.name, value: row.value, unit: row.unit, source: src)
            }
            var citations = set.citations
            if case .ramadass2004 = setup.cell.ocp, let t = References.citation("Torchio2016"), !citations.contains(t) { citations.append(t) }
            return (rows, citations.sorted())
        }
    }
}
