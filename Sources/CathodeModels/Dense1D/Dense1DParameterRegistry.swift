import Foundation
import Materials

/// One settable number of a model run, named in display units (the name carries the unit where it is
/// not SI), with its conversion to the SI value the solver uses.
public struct ParameterSpec<Setup>: Sendable {
    public let name: String
    public let unit: String
    public let help: String
    public let get: @Sendable (Setup) -> Double?
    public let set: @Sendable (inout Setup, Double) throws -> Void
}

public typealias Dense1DParameterSpec = ParameterSpec<Dense1DSetup>

extension ParameterSpec {
    /// Sets every named number on `setup` in name order, rejecting non-finite values with the parameter's unit
    /// (the names must already be known to `lookup`).
    static func apply(_ numbers: [String: Double], to setup: inout Setup, lookup: (String) -> ParameterSpec<Setup>?) throws {
        for name in numbers.keys.sorted() {
            let value = numbers[name]!
            guard let spec = lookup(name) else { continue }
            guard value.isFinite else { throw ModelInputError.outOfRange(parameter: name, value: value, allowed: "finite numbers", unit: spec.unit) }
            try spec.set(&setup, value)
        }
    }
}

/// The names a parameter file or the command line may use, and how each maps onto a `Dense1DSetup`.
///
/// A parameter file is a JSON object: `"base"` names a parameter set (default `paperHalfCell`), every
/// other key is a parameter name below; numbers are in the units the names state. Non-numeric keys:
/// `"counterElectrode"` (`"LiIn"` or `"LiMetal"`), `"mode"` (`"discharge"`, `"charge"`),
/// `"diffusivityModel"` (`"constant"`, `"thermodynamicFactor"`), `"electronicConduction"` (true/false),
/// `"constantVoltageHold"` (true/false), `"ocp"` (`"ramadass2004"`), `"ocpTable"`
/// (`{"stoichiometry": [...], "voltage": [...]}`, V vs Li/Li⁺) and `"profileTimesSeconds"` (array).
/// An unknown key is an error that names it (with the closest known name).
public enum Dense1DParameterRegistry {
    public static let specs: [Dense1DParameterSpec] = [
        spec("thicknessMicrometres", "µm", "cathode thickness L", { $0.cell.thickness * 1e6 }) { $0.cell.thickness = $1 * 1e-6 },
        spec("porosity", "–", "residual porosity ε_p of the dense cathode", { $0.cell.porosity }) { $0.cell.porosity = $1 },
        spec("activeDensityKgPerM3", "kg m⁻³", "crystallographic density of LiCoO₂", { $0.cell.activeDensity }) { $0.cell.activeDensity = $1 },
        spec("maxConcentrationMolPerM3", "mol m⁻³", "Li concentration at θ = 1, c_max", { $0.cell.maxConcentration }) { $0.cell.maxConcentration = $1 },
        spec("ratedCapacityMilliampHoursPerGram", "mAh g⁻¹", "capacity that defines 1C", { $0.cell.ratedCapacityMilliampHoursPerGram }) { $0.cell.ratedCapacityMilliampHoursPerGram = $1 },
        spec("diffusivityCm2PerS", "cm² s⁻¹", "effective Li diffusivity D_eff (reference value for a θ-dependent law)", { $0.cell.diffusivity.reference * 1e4 }) { s, v in
            switch s.cell.diffusivity {
            case .constant: s.cell.diffusivity = .constant(v * 1e-4)
            case .thermodynamicFactor(_, let t): s.cell.diffusivity = .thermodynamicFactor(reference: v * 1e-4, referenceStoichiometry: t)
            }
        },
        spec("diffusivityReferenceStoichiometry", "–", "θ_ref of the thermodynamic-factor law (diffusivityModel = thermodynamicFactor)", {
            if case .thermodynamicFactor(_, let t) = $0.cell.diffusivity { return t } else { return nil }
        }) { s, v in
            guard case .thermodynamicFactor(let d, _) = s.cell.diffusivity else {
                throw ModelInputError.invalidValue(parameter: "diffusivityReferenceStoichiometry", reason: "applies only with diffusivityModel = thermodynamicFactor")
            }
            s.cell.diffusivity = .thermodynamicFactor(reference: d, referenceStoichiometry: v)
        },
        spec("exchangeCurrentDensityAPerM2", "A m⁻²", "exchange current density i₀,ref at θ_s = 0.5 (per true area)", { $0.cell.exchangeCurrentDensity }) { $0.cell.exchangeCurrentDensity = $1 },
        spec("anodicTransferCoefficient", "–", "anodic transfer coefficient α_a (α_c = 1 − α_a)", { $0.cell.anodicTransferCoefficient }) { $0.cell.anodicTransferCoefficient = $1 },
        spec("roughnessFactor", "–", "true-to-projected interface area ratio r_a", { $0.cell.roughnessFactor }) { $0.cell.roughnessFactor = $1 },
        spec("contactFraction", "–", "interfacial contact fraction f_c = A/A_t", { $0.cell.contactFraction }) { $0.cell.contactFraction = $1 },
        spec("electronicConductivityInsulatingSPerM", "S m⁻¹", "electronic conductivity at θ → 1", { $0.cell.electronicConductivity?.insulating }) { s, v in
            try requireElectronic(&s, "electronicConductivityInsulatingSPerM"); s.cell.electronicConductivity!.insulating = v
        },
        spec("electronicConductivityMetallicSPerM", "S m⁻¹", "electronic conductivity for θ ≲ 0.9", { $0.cell.electronicConductivity?.metallic }) { s, v in
            try requireElectronic(&s, "electronicConductivityMetallicSPerM"); s.cell.electronicConductivity!.metallic = v
        },
        spec("electronicTransitionStoichiometry", "–", "insulator–metal transition θ_t", { $0.cell.electronicConductivity?.transition }) { s, v in
            try requireElectronic(&s, "electronicTransitionStoichiometry"); s.cell.electronicConductivity!.transition = v
        },
        spec("electronicTransitionWidth", "–", "width w of the transition", { $0.cell.electronicConductivity?.width }) { s, v in
            try requireElectronic(&s, "electronicTransitionWidth"); s.cell.electronicConductivity!.width = v
        },
        spec("separatorThicknessMicrometres", "µm", "total SE separator thickness (layers scaled in proportion)", { $0.cell.separator.reduce(0) { $0 + $1.thickness } * 1e6 }) { s, v in
            let total = s.cell.separator.reduce(0) { $0 + $1.thickness }
            s.cell.separator = s.cell.separator.map { SeparatorLayer(thickness: total > 0 ? $0.thickness / total * v * 1e-6 : v * 1e-6 / Double(s.cell.separator.count), conductivity: $0.conductivity) }
        },
        spec("separatorConductivitySPerM", "S m⁻¹", "ionic conductivity of every separator layer", { $0.cell.separator.first?.conductivity }) { s, v in
            s.cell.separator = s.cell.separator.map { SeparatorLayer(thickness: $0.thickness, conductivity: v) }
        },
        spec("counterElectrodePotentialV", "V", "Li/In counter-electrode potential vs Li/Li⁺", {
            if case .lithiumIndium(let u, _) = $0.cell.counterElectrode { return u } else { return nil }
        }) { s, v in
            guard case .lithiumIndium(_, let r) = s.cell.counterElectrode else { throw ModelInputError.invalidValue(parameter: "counterElectrodePotentialV", reason: "applies only to counterElectrode = LiIn (Li metal is 0 V)") }
            s.cell.counterElectrode = .lithiumIndium(potential: v, resistance: r)
        },
        spec("counterElectrodeResistanceOhmCm2", "Ω cm²", "Li/In interfacial resistance R_CE", {
            if case .lithiumIndium(_, let r) = $0.cell.counterElectrode { return r * 1e4 } else { return nil }
        }) { s, v in
            guard case .lithiumIndium(let u, _) = s.cell.counterElectrode else { throw ModelInputError.invalidValue(parameter: "counterElectrodeResistanceOhmCm2", reason: "applies only to counterElectrode = LiIn") }
            s.cell.counterElectrode = .lithiumIndium(potential: u, resistance: v * 1e-4)
        },
        spec("counterElectrodeExchangeCurrentDensityAPerM2", "A m⁻²", "Li metal exchange current density i₀,Li", {
            if case .lithiumMetal(let i) = $0.cell.counterElectrode { return i } else { return nil }
        }) { s, v in
            guard case .lithiumMetal = s.cell.counterElectrode else { throw ModelInputError.invalidValue(parameter: "counterElectrodeExchangeCurrentDensityAPerM2", reason: "applies only to counterElectrode = LiMetal") }
            s.cell.counterElectrode = .lithiumMetal(exchangeCurrentDensity: v)
        },
        spec("temperatureK", "K", "temperature", { $0.cell.temperature }) { $0.cell.temperature = $1 },
        spec("initialStoichiometry", "–", "uniform initial stoichiometry θ₀", { $0.cell.initialStoichiometry }) { $0.cell.initialStoichiometry = $1 },
        spec("lowerCutoffVsLiV", "V", "discharge cut-off vs Li/Li⁺", { $0.cell.lowerCutoffVsLi }) { $0.cell.lowerCutoffVsLi = $1 },
        spec("upperCutoffVsLiV", "V", "charge cut-off vs Li/Li⁺", { $0.cell.upperCutoffVsLi }) { $0.cell.upperCutoffVsLi = $1 },
        spec("cRate", "h⁻¹", "C-rate (1C = rated capacity per hour)", { $0.protocolSettings.currentDensity == nil ? $0.protocolSettings.cRate : nil }) { s, v in
            s.protocolSettings.cRate = v; s.protocolSettings.currentDensity = nil
        },
        spec("currentDensityMilliampsPerCm2", "mA cm⁻²", "current density magnitude (overrides cRate)", { $0.protocolSettings.currentDensity.map { $0 / 10 } }) { $0.protocolSettings.currentDensity = $1 * 10 },
        spec("cvEndCRate", "h⁻¹", "constant-voltage hold ends when |I| falls below this C-rate", { $0.protocolSettings.constantVoltageHold?.endCRate }) { s, v in
            s.protocolSettings.constantVoltageHold = .init(endCRate: v)
        },
        spec("cells", "–", "finite-volume cells through the thickness", { Double($0.numerics.cells) }) { s, v in
            guard v == v.rounded(), v >= 5, v <= 100_000 else { throw ModelInputError.outOfRange(parameter: "cells", value: v, allowed: "whole numbers in [5, 100000]", unit: "") }
            s.numerics.cells = Int(v)
        },
        spec("gradingRatio", "–", "neighbour width ratio towards the interface (1 = uniform)", { $0.numerics.gradingRatio }) { $0.numerics.gradingRatio = $1 },
        spec("absoluteTolerance", "–", "per-step error tolerance on θ, absolute", { $0.numerics.absoluteTolerance }) { $0.numerics.absoluteTolerance = $1 },
        spec("relativeTolerance", "–", "per-step error tolerance on θ, relative", { $0.numerics.relativeTolerance }) { $0.numerics.relativeTolerance = $1 },
        spec("maxStepFraction", "–", "largest time step as a fraction of 1/C-rate", { $0.numerics.maxStepFraction }) { $0.numerics.maxStepFraction = $1 },
        spec("cutoffToleranceV", "V", "the last point lies within this above the cut-off", { $0.numerics.cutoffTolerance }) { $0.numerics.cutoffTolerance = $1 },
    ]

    public static let textKeys = ["base", "counterElectrode", "mode", "diffusivityModel", "electronicConduction", "constantVoltageHold", "ocp", "ocpTable", "profileTimesSeconds"]

    public static var allNames: [String] { specs.map(\.name) + textKeys }

    public static func spec(named name: String) -> Dense1DParameterSpec? { specs.first { $0.name == name } }

    private static func spec(_ name: String, _ unit: String, _ help: String, _ get: @escaping @Sendable (Dense1DSetup) -> Double?,
                             _ set: @escaping @Sendable (inout Dense1DSetup, Double) throws -> Void) -> Dense1DParameterSpec {
        Dense1DParameterSpec(name: name, unit: unit, help: help, get: get, set: set)
    }

    private static func requireElectronic(_ s: inout Dense1DSetup, _ name: String) throws {
        if s.cell.electronicConductivity == nil { s.cell.electronicConductivity = ElectronicConductivity() }
    }

    /// The setup for a base set plus overrides (`values` numbers in display units, `text` the non-numeric keys).
    public static func setup(base: String = "paperHalfCell", numbers: [String: Double], text: [String: Any] = [:]) throws -> (Dense1DSetup, Dense1DParameterSet) {
        let set = try Dense1DParameterSet.named(base)
        var setup = Dense1DSetup(cell: set.cell)
        for key in (Array(numbers.keys) + Array(text.keys)) where spec(named: key) == nil && !textKeys.contains(key) {
            throw ModelInputError.unknownParameter(name: key, suggestion: closestName(to: key, among: allNames))
        }
        // Structural choices first, then numbers (which may refer to them).
        if let ce = text["counterElectrode"] {
            switch (ce as? String)?.lowercased() {
            case "liin", "li-in", "lithiumindium": if case .lithiumMetal = setup.cell.counterElectrode { setup.cell.counterElectrode = .lithiumIndium(potential: 0.62, resistance: 5e-4) }
            case "limetal", "li", "lithiummetal": if case .lithiumIndium = setup.cell.counterElectrode { setup.cell.counterElectrode = .lithiumMetal(exchangeCurrentDensity: 10) }
            default: throw ModelInputError.invalidValue(parameter: "counterElectrode", reason: "'\(ce)' is not one of LiIn, LiMetal")
            }
        }
        if let m = text["mode"] {
            guard let s = m as? String, let mode = Dense1DProtocol.Mode(rawValue: s.lowercased()) else {
                throw ModelInputError.invalidValue(parameter: "mode", reason: "'\(m)' is not one of discharge, charge")
            }
            setup.protocolSettings.mode = mode
        }
        if let d = text["diffusivityModel"] {
            switch (d as? String)?.lowercased() {
            case "constant": setup.cell.diffusivity = .constant(setup.cell.diffusivity.reference)
            case "thermodynamicfactor": setup.cell.diffusivity = .thermodynamicFactor(reference: setup.cell.diffusivity.reference, referenceStoichiometry: 0.5)
            default: throw ModelInputError.invalidValue(parameter: "diffusivityModel", reason: "'\(d)' is not one of constant, thermodynamicFactor")
            }
        }
        if let e = text["electronicConduction"] {
            guard let on = jsonBool(e) else { throw ModelInputError.invalidValue(parameter: "electronicConduction", reason: "must be true or false") }
            setup.cell.electronicConductivity = on ? (setup.cell.electronicConductivity ?? ElectronicConductivity()) : nil
        }
        if let cv = text["constantVoltageHold"] {
            guard let on = jsonBool(cv) else { throw ModelInputError.invalidValue(parameter: "constantVoltageHold", reason: "must be true or false") }
            setup.protocolSettings.constantVoltageHold = on ? (setup.protocolSettings.constantVoltageHold ?? .init()) : nil
        }
        if let o = text["ocp"] {
            guard (o as? String)?.lowercased() == "ramadass2004" else { throw ModelInputError.invalidValue(parameter: "ocp", reason: "'\(o)' is not a known law (ramadass2004); give a table as ocpTable") }
            setup.cell.ocp = .ramadass2004
        }
        if let t = text["ocpTable"] { setup.cell.ocp = try ocpTable(t) }
        if let p = text["profileTimesSeconds"] {
            guard let times = numbersArray(p) else { throw ModelInputError.invalidValue(parameter: "profileTimesSeconds", reason: "expected an array of numbers [s]") }
            setup.protocolSettings.profileTimes = times
        }
        try ParameterSpec.apply(numbers, to: &setup, lookup: spec(named:))
        try setup.validate()
        return (setup, set)
    }

    /// The raw contents of a JSON parameter file: base set name, numeric and non-numeric keys.
    public struct FileContents {
        public var base: String
        public var numbers: [String: Double]
        public var text: [String: Any]
    }

    /// Reads a JSON parameter file (see the type's documentation), checking every key's name and type.
    public static func read(jsonFile path: String) throws -> FileContents {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelInputError.malformedFile(path: path, reason: "file not found or unreadable")
        }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw ModelInputError.malformedFile(path: path, reason: "not valid JSON (\(error.localizedDescription))")
        }
        guard let dict = object as? [String: Any] else { throw ModelInputError.malformedFile(path: path, reason: "the top level must be a JSON object") }
        var contents = FileContents(base: "paperHalfCell", numbers: [:], text: [:])
        for key in dict.keys.sorted() {
            let value = dict[key]!
            if key == "base" {
                guard let b = value as? String else { throw ModelInputError.invalidValue(parameter: "base", reason: "must name a parameter set") }
                contents.base = b
            } else if textKeys.contains(key) {
                contents.text[key] = value
            } else if let n = jsonNumber(value) {
                guard spec(named: key) != nil else { throw ModelInputError.unknownParameter(name: key, suggestion: closestName(to: key, among: allNames)) }
                contents.numbers[key] = n
            } else if let s = spec(named: key) {
                throw ModelInputError.invalidValue(parameter: key, reason: "expected a number in \(s.unit), got \(value)")
            } else {
                throw ModelInputError.unknownParameter(name: key, suggestion: closestName(to: key, among: allNames))
            }
        }
        return contents
    }

    /// A JSON parameter file as (base, numbers, other keys), checking names against `allowed` (any model).
    public static func readJSONObject(path: String, allowed: [String]) throws -> (base: String?, numbers: [String: Double], text: [String: Any]) {
        guard let data = FileManager.default.contents(atPath: path) else { throw ModelInputError.malformedFile(path: path, reason: "file not found or unreadable") }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch { throw ModelInputError.malformedFile(path: path, reason: "not valid JSON (\(error.localizedDescription))") }
        guard let dict = object as? [String: Any] else { throw ModelInputError.malformedFile(path: path, reason: "the top level must be a JSON object") }
        var base: String?, numbers: [String: Double] = [:], text: [String: Any] = [:]
        for key in dict.keys.sorted() {
            let value = dict[key]!
            guard allowed.contains(key) else { throw ModelInputError.unknownParameter(name: key, suggestion: closestName(to: key, among: allowed)) }
            if key == "base" { base = value as? String }
            else if let n = jsonNumber(value) { numbers[key] = n }
            else { text[key] = value }
        }
        return (base, numbers, text)
    }

    /// A file's setup with command-line overrides on top (overrides win).
    public static func setup(jsonFile path: String, base: String? = nil, numbers: [String: Double] = [:], text: [String: Any] = [:]) throws -> (Dense1DSetup, Dense1DParameterSet) {
        let file = try read(jsonFile: path)
        return try setup(base: base ?? file.base, numbers: file.numbers.merging(numbers) { _, new in new },
                         text: file.text.merging(text) { _, new in new })
    }

    /// The JSON value of an `ocpTable` key, `{"stoichiometry": [numbers], "voltage": [numbers]}`, as a
    /// tabulated OCP (shared by every model's parameter file; point checks happen in `validate()`).
    static func ocpTable(_ any: Any) throws -> OpenCircuitPotential {
        guard let obj = any as? [String: Any], let s = numbersArray(obj["stoichiometry"]), let v = numbersArray(obj["voltage"]) else {
            throw ModelInputError.invalidValue(parameter: "ocpTable", reason: "expected {\"stoichiometry\": [numbers], \"voltage\": [numbers]}")
        }
        return .table(stoichiometry: s, voltage: v)
    }

    static func numbersArray(_ any: Any?) -> [Double]? {
        guard let arr = any as? [Any] else { return nil }
        var out: [Double] = []
        for a in arr {
            guard let n = jsonNumber(a) else { return nil }
            out.append(n)
        }
        return out
    }

    /// A JSON number (not a boolean: Foundation hands both over as NSNumber; booleans have type "c").
    static func jsonNumber(_ any: Any) -> Double? {
        guard let n = any as? NSNumber, String(cString: n.objCType) != "c" else { return nil }
        return n.doubleValue
    }

    static func jsonBool(_ any: Any) -> Bool? {
        guard let n = any as? NSNumber, String(cString: n.objCType) == "c" else { return any as? Bool }
        return n.boolValue
    }

    /// Every parameter actually used: (name, value, unit), sorted by name; non-numeric choices as text.
    public static func describe(_ setup: Dense1DSetup) -> [(name: String, value: String, unit: String)] {
        var rows: [(String, String, String)] = specs.compactMap { s in s.get(setup).map { (s.name, formatNumber($0), s.unit) } }
        rows.append(("counterElectrode", setup.cell.counterElectrode.name, ""))
        rows.append(("mode", setup.protocolSettings.mode.rawValue, ""))
        switch setup.cell.diffusivity {
        case .constant: rows.append(("diffusivityModel", "constant", ""))
        case .thermodynamicFactor: rows.append(("diffusivityModel", "thermodynamicFactor", ""))
        }
        rows.append(("electronicConduction", setup.cell.electronicConductivity == nil ? "false" : "true", ""))
        rows.append(("constantVoltageHold", setup.protocolSettings.constantVoltageHold == nil ? "false" : "true", ""))
        switch setup.cell.ocp {
        case .ramadass2004: rows.append(("ocp", "ramadass2004", "V vs Li/Li⁺"))
        case let .table(s, v): rows.append(("ocpTable", "\(s.count) points, θ \(formatNumber(s.first!))…\(formatNumber(s.last!)), U \(formatNumber(v.first!))…\(formatNumber(v.last!))", "V vs Li/Li⁺"))
        }
        if !setup.protocolSettings.profileTimes.isEmpty {
            rows.append(("profileTimesSeconds", setup.protocolSettings.profileTimes.map(formatNumber).joined(separator: ", "), "s"))
        }
        return rows.sorted { $0.0 < $1.0 }
    }

    /// Fixed, shortest-round-trip number formatting (same bytes on every run).
    public static func formatNumber(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(format: "%.10g", v)
    }
}
