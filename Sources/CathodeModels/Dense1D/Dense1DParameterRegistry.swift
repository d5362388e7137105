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
    static func apply(_ numbers: [String: Double], to setup: inout Setup, lookup: (String) -> ParameterSpec<Setup>?)
        throws
    {
        for name in numbers.keys.sorted() {
            let value = numbers[name]!
            guard let spec = lookup(name) else { continue }
            guard value.isFinite else {
                throw ModelInputError.outOfRange(
                    parameter: name, value: value, allowed: "finite numbers", unit: spec.unit)
            }
            try spec.set(&setup, value)
        }
    }

    /// For a registry layered on another (stress on 2D, impedance on stress): sets the numbers `lookup` knows on
    /// `setup` in name order, rejecting non-finite values with the parameter's unit, and returns the ones `inner`
    /// knows for the inner registry; any other name is `schema`'s unknown-name error.
    static func applyLayered(
        _ numbers: [String: Double], to setup: inout Setup, lookup: (String) -> ParameterSpec<Setup>?,
        inner: (String) -> Bool, schema: ParameterSchema
    ) throws -> [String: Double] {
        var rest: [String: Double] = [:]
        for name in numbers.keys.sorted() {
            let value = numbers[name]!
            if let spec = lookup(name) {
                guard value.isFinite else {
                    throw ModelInputError.outOfRange(
                        parameter: name, value: value, allowed: "finite numbers", unit: spec.unit)
                }
                try spec.set(&setup, value)
            } else if inner(name) {
                rest[name] = value
            } else {
                throw schema.unknown(name)
            }
        }
        return rest
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
        spec("thicknessMicrometres", "µm", "cathode thickness L", { $0.cell.thickness * 1e6 }) {
            $0.cell.thickness = $1 * 1e-6
        },
        spec("porosity", "–", "residual porosity ε_p of the dense cathode", { $0.cell.porosity }) {
            $0.cell.porosity = $1
        },
        spec("activeDensityKgPerM3", "kg m⁻³", "crystallographic density of LiCoO₂", { $0.cell.activeDensity }) {
            $0.cell.activeDensity = $1
        },
        spec("maxConcentrationMolPerM3", "mol m⁻³", "Li concentration at θ = 1, c_max", { $0.cell.maxConcentration }) {
            $0.cell.maxConcentration = $1
        },
        spec(
            "ratedCapacityMilliampHoursPerGram", "mAh g⁻¹", "capacity that defines 1C",
            { $0.cell.ratedCapacityMilliampHoursPerGram }
        ) { $0.cell.ratedCapacityMilliampHoursPerGram = $1 },
        spec(
            "diffusivityCm2PerS", "cm² s⁻¹",
            "effective Li diffusivity D_eff (for a θ-dependent law its reference value: measuredPITT at U ≥ 4.2 V)",
            { $0.cell.diffusivity.reference * 1e4 }
        ) { s, v in
            s.cell.diffusivity = s.cell.diffusivity.withReference(v * 1e-4)
        },
        spec(
            "diffusivityReferenceStoichiometry", "–",
            "θ_ref of the thermodynamic-factor law (diffusivityModel = thermodynamicFactor)",
            {
                if case .thermodynamicFactor(_, let t) = $0.cell.diffusivity { return t } else { return nil }
            }
        ) { s, v in
            guard case .thermodynamicFactor(let d, _) = s.cell.diffusivity else {
                throw ModelInputError.invalidValue(
                    parameter: "diffusivityReferenceStoichiometry",
                    reason: "applies only with diffusivityModel = thermodynamicFactor")
            }
            s.cell.diffusivity = .thermodynamicFactor(reference: d, referenceStoichiometry: v)
        },
        spec(
            "exchangeCurrentDensityAPerM2", "A m⁻²", "exchange current density i₀,ref at θ_s = 0.5 (per true area)",
            { $0.cell.exchangeCurrentDensity }
        ) { $0.cell.exchangeCurrentDensity = $1 },
        spec(
            "anodicTransferCoefficient", "–", "anodic transfer coefficient α_a (α_c = 1 − α_a)",
            { $0.cell.anodicTransferCoefficient }
        ) { $0.cell.anodicTransferCoefficient = $1 },
        spec(
            "roughnessFactor", "–",
            "true-to-projected interface area ratio r_a (when no roughnessRmsMicrometres is given)",
            { $0.cell.roughnessFactor }
        ) { $0.cell.roughnessFactor = $1 },
        spec(
            "roughnessRmsMicrometres", "µm",
            "RMS roughness of the interface; > 0 sets r_a from generated profiles as in the 2D model",
            { ($0.cell.interfaceProfile?.rms ?? 0) * 1e6 }
        ) { s, v in
            s.cell.interfaceProfile = InterfaceProfile(
                rms: v * 1e-6, correlation: s.cell.interfaceProfile?.correlation ?? InterfaceProfile.defaultCorrelation)
        },
        spec(
            "roughnessCorrelationMicrometres", "µm", "correlation length ℓ of the interface roughness",
            { ($0.cell.interfaceProfile?.correlation ?? InterfaceProfile.defaultCorrelation) * 1e6 }
        ) { s, v in
            s.cell.interfaceProfile = InterfaceProfile(rms: s.cell.interfaceProfile?.rms ?? 0, correlation: v * 1e-6)
        },
        spec("contactFraction", "–", "interfacial contact fraction f_c = A/A_t", { $0.cell.contactFraction }) {
            $0.cell.contactFraction = $1
        },
        spec(
            "electronicConductivityInsulatingSPerM", "S m⁻¹", "electronic conductivity at θ → 1",
            { $0.cell.electronicConductivity?.insulating }
        ) { s, v in
            try requireElectronic(&s, "electronicConductivityInsulatingSPerM")
            s.cell.electronicConductivity!.insulating = v
        },
        spec(
            "electronicConductivityMetallicSPerM", "S m⁻¹", "electronic conductivity for θ ≲ 0.9",
            { $0.cell.electronicConductivity?.metallic }
        ) { s, v in
            try requireElectronic(&s, "electronicConductivityMetallicSPerM")
            s.cell.electronicConductivity!.metallic = v
        },
        spec(
            "electronicTransitionStoichiometry", "–", "insulator–metal transition θ_t",
            { $0.cell.electronicConductivity?.transition }
        ) { s, v in
            try requireElectronic(&s, "electronicTransitionStoichiometry")
            s.cell.electronicConductivity!.transition = v
        },
        spec("electronicTransitionWidth", "–", "width w of the transition", { $0.cell.electronicConductivity?.width }) {
            s, v in
            try requireElectronic(&s, "electronicTransitionWidth")
            s.cell.electronicConductivity!.width = v
        },
        spec(
            "separatorThicknessMicrometres", "µm", "total SE separator thickness (layers scaled in proportion)",
            { $0.cell.separator.reduce(0) { $0 + $1.thickness } * 1e6 }
        ) { s, v in
            let total = s.cell.separator.reduce(0) { $0 + $1.thickness }
            s.cell.separator = s.cell.separator.map {
                SeparatorLayer(
                    thickness: total > 0 ? $0.thickness / total * v * 1e-6 : v * 1e-6 / Double(s.cell.separator.count),
                    conductivity: $0.conductivity)
            }
        },
        spec(
            "separatorConductivitySPerM", "S m⁻¹", "ionic conductivity of every separator layer",
            { $0.cell.separator.first?.conductivity }
        ) { s, v in
            s.cell.separator = s.cell.separator.map { SeparatorLayer(thickness: $0.thickness, conductivity: v) }
        },
        spec(
            "counterElectrodePotentialV", "V", "Li/In counter-electrode potential vs Li/Li⁺",
            {
                if case .lithiumIndium(let u, _) = $0.cell.counterElectrode { return u } else { return nil }
            }
        ) { s, v in
            guard case .lithiumIndium(_, let r) = s.cell.counterElectrode else {
                throw ModelInputError.invalidValue(
                    parameter: "counterElectrodePotentialV",
                    reason: "applies only to counterElectrode = LiIn (Li metal is 0 V)")
            }
            s.cell.counterElectrode = .lithiumIndium(potential: v, resistance: r)
        },
        spec(
            "counterElectrodeResistanceOhmCm2", "Ω cm²", "Li/In interfacial resistance R_CE",
            {
                if case .lithiumIndium(_, let r) = $0.cell.counterElectrode { return r * 1e4 } else { return nil }
            }
        ) { s, v in
            guard case .lithiumIndium(let u, _) = s.cell.counterElectrode else {
                throw ModelInputError.invalidValue(
                    parameter: "counterElectrodeResistanceOhmCm2", reason: "applies only to counterElectrode = LiIn")
            }
            s.cell.counterElectrode = .lithiumIndium(potential: u, resistance: v * 1e-4)
        },
        spec(
            "counterElectrodeExchangeCurrentDensityAPerM2", "A m⁻²", "Li metal exchange current density i₀,Li",
            {
                if case .lithiumMetal(let i) = $0.cell.counterElectrode { return i } else { return nil }
            }
        ) { s, v in
            guard case .lithiumMetal = s.cell.counterElectrode else {
                throw ModelInputError.invalidValue(
                    parameter: "counterElectrodeExchangeCurrentDensityAPerM2",
                    reason: "applies only to counterElectrode = LiMetal")
            }
            s.cell.counterElectrode = .lithiumMetal(exchangeCurrentDensity: v)
        },
        spec("temperatureK", "K", "temperature", { $0.cell.temperature }) { $0.cell.temperature = $1 },
        spec("initialStoichiometry", "–", "uniform initial stoichiometry θ₀", { $0.cell.initialStoichiometry }) {
            $0.cell.initialStoichiometry = $1
        },
        spec("lowerCutoffVsLiV", "V", "discharge cut-off vs Li/Li⁺", { $0.cell.lowerCutoffVsLi }) {
            $0.cell.lowerCutoffVsLi = $1
        },
        spec("upperCutoffVsLiV", "V", "charge cut-off vs Li/Li⁺", { $0.cell.upperCutoffVsLi }) {
            $0.cell.upperCutoffVsLi = $1
        },
        spec(
            "cRate", "h⁻¹", "C-rate (1C = rated capacity per hour)",
            { $0.protocolSettings.currentDensity == nil ? $0.protocolSettings.cRate : nil }
        ) { s, v in
            s.protocolSettings.cRate = v
            s.protocolSettings.currentDensity = nil
        },
        spec(
            "currentDensityMilliampsPerCm2", "mA cm⁻²", "current density magnitude (overrides cRate)",
            { $0.protocolSettings.currentDensity.map { $0 / 10 } }
        ) { $0.protocolSettings.currentDensity = $1 * 10 },
        spec(
            "cvEndCRate", "h⁻¹", "constant-voltage hold ends when |I| falls below this C-rate",
            { $0.protocolSettings.constantVoltageHold?.endCRate }
        ) { s, v in
            s.protocolSettings.constantVoltageHold = .init(endCRate: v)
        },
        spec("cells", "–", "finite-volume cells through the thickness", { Double($0.numerics.cells) }) { s, v in
            s.numerics.cells = try wholeNumber("cells", v, 5...100_000)
        },
        spec(
            "gradingRatio", "–", "neighbour width ratio towards the interface (1 = uniform)",
            { $0.numerics.gradingRatio }
        ) { $0.numerics.gradingRatio = $1 },
        spec("absoluteTolerance", "–", "per-step error tolerance on θ, absolute", { $0.numerics.absoluteTolerance }) {
            $0.numerics.absoluteTolerance = $1
        },
        spec("relativeTolerance", "–", "per-step error tolerance on θ, relative", { $0.numerics.relativeTolerance }) {
            $0.numerics.relativeTolerance = $1
        },
        spec("maxStepFraction", "–", "largest time step as a fraction of 1/C-rate", { $0.numerics.maxStepFraction }) {
            $0.numerics.maxStepFraction = $1
        },
        spec(
            "cutoffToleranceV", "V", "the last point lies within this above the cut-off",
            { $0.numerics.cutoffTolerance }
        ) { $0.numerics.cutoffTolerance = $1 },
    ]

    /// The non-numeric keys of a parameter file and what each takes.
    public static let settingKinds: [String: ParameterSchema.Kind] = [
        "base": .parameterSet(Dense1DParameterSet.all.map(\.name)),
        "counterElectrode": .choice(["LiIn", "LiMetal"]),
        "mode": .choice(["discharge", "charge"]),
        "diffusivityModel": .choice(DiffusivityLaw.modelNames),
        "electronicConduction": .flag,
        "constantVoltageHold": .flag,
        "ocp": .choice(["ramadass2004"]),
        "ocpTable": .ocpTable,
        "profileTimesSeconds": .list(unit: "s"),
    ]

    /// Every key a Model A parameter file may hold.
    public static let schema = ParameterSchema(
        model: "dense1d",
        kinds: Dictionary(uniqueKeysWithValues: specs.map { ($0.name, ParameterSchema.Kind.number(unit: $0.unit)) })
            .merging(settingKinds) { a, _ in a })

    public static var allNames: [String] { schema.names }

    public static func spec(named name: String) -> Dense1DParameterSpec? { specs.first { $0.name == name } }

    private static func spec(
        _ name: String, _ unit: String, _ help: String, _ get: @escaping @Sendable (Dense1DSetup) -> Double?,
        _ set: @escaping @Sendable (inout Dense1DSetup, Double) throws -> Void
    ) -> Dense1DParameterSpec {
        Dense1DParameterSpec(name: name, unit: unit, help: help, get: get, set: set)
    }

    private static func requireElectronic(_ s: inout Dense1DSetup, _ name: String) throws {
        if s.cell.electronicConductivity == nil { s.cell.electronicConductivity = ElectronicConductivity() }
    }

    /// The setup for a base set plus overrides (`numbers` in display units, `settings` the non-numeric keys).
    public static func setup(
        base: String = "paperHalfCell", numbers: [String: Double], settings: [String: SettingValue] = [:]
    ) throws -> (Dense1DSetup, Dense1DParameterSet) {
        let set = try Dense1DParameterSet.named(base)
        var setup = Dense1DSetup(cell: set.cell)
        for key in numbers.keys.sorted() where spec(named: key) == nil {
            throw schema.unknown(key)
        }
        for key in settings.keys.sorted() where settingKinds[key] == nil || key == "base" {
            throw schema.unknown(key)
        }
        // Structural choices first, then numbers (which may refer to them).
        if let value = settings["counterElectrode"] {
            switch try choice(value, "counterElectrode") {
            case "liin":
                if case .lithiumMetal = setup.cell.counterElectrode {
                    setup.cell.counterElectrode = .lithiumIndium(potential: 0.62, resistance: 5e-4)
                }
            case "limetal":
                if case .lithiumIndium = setup.cell.counterElectrode {
                    setup.cell.counterElectrode = .lithiumMetal(exchangeCurrentDensity: 10)
                }
            default:
                throw ModelInputError.invalidValue(
                    parameter: "counterElectrode", reason: "'\(value.text)' is not one of LiIn, LiMetal")
            }
        }
        if let value = settings["mode"] {
            guard let mode = Dense1DProtocol.Mode(rawValue: try choice(value, "mode")) else {
                throw ModelInputError.invalidValue(
                    parameter: "mode", reason: "'\(value.text)' is not one of discharge, charge")
            }
            setup.protocolSettings.mode = mode
        }
        if let value = settings["diffusivityModel"] {
            let name = try choice(value, "diffusivityModel")
            guard let law = DiffusivityLaw.named(name, reference: setup.cell.diffusivity.reference) else {
                throw ModelInputError.invalidValue(
                    parameter: "diffusivityModel",
                    reason: "'\(value.text)' is not one of \(DiffusivityLaw.modelNames.joined(separator: ", "))")
            }
            setup.cell.diffusivity = law
        }
        if let value = settings["electronicConduction"] {
            guard case .flag(let on) = value else {
                throw ModelInputError.invalidValue(parameter: "electronicConduction", reason: "must be true or false")
            }
            setup.cell.electronicConductivity =
                on ? (setup.cell.electronicConductivity ?? ElectronicConductivity()) : nil
        }
        if let value = settings["constantVoltageHold"] {
            guard case .flag(let on) = value else {
                throw ModelInputError.invalidValue(parameter: "constantVoltageHold", reason: "must be true or false")
            }
            setup.protocolSettings.constantVoltageHold =
                on ? (setup.protocolSettings.constantVoltageHold ?? .init()) : nil
        }
        if let value = settings["ocp"] {
            guard try choice(value, "ocp") == "ramadass2004" else {
                throw ModelInputError.invalidValue(
                    parameter: "ocp",
                    reason: "'\(value.text)' is not a known law (ramadass2004); give a table as ocpTable")
            }
            setup.cell.ocp = .ramadass2004
        }
        if let value = settings["ocpTable"] { setup.cell.ocp = try ocpTable(value) }
        if let value = settings["profileTimesSeconds"] {
            guard case .list(let times) = value else {
                throw ModelInputError.invalidValue(
                    parameter: "profileTimesSeconds", reason: "expected a list of numbers [s]")
            }
            setup.protocolSettings.profileTimes = times
        }
        try ParameterSpec.apply(numbers, to: &setup, lookup: spec(named:))
        try setup.validate()
        return (setup, set)
    }

    /// The lower-cased name of a choice setting.
    static func choice(_ value: SettingValue, _ name: String) throws -> String {
        guard case .choice(let text) = value else {
            throw ModelInputError.invalidValue(parameter: name, reason: "expected a name, got \(value.text)")
        }
        return text.lowercased()
    }

    /// A tabulated OCP from an `ocpTable` setting (shared by every model; point checks happen in `validate()`).
    static func ocpTable(_ value: SettingValue) throws -> OpenCircuitPotential {
        guard case let .ocpTable(s, v) = value else {
            throw ModelInputError.invalidValue(
                parameter: "ocpTable", reason: "expected {\"stoichiometry\": [numbers], \"voltage\": [numbers]}")
        }
        return .table(stoichiometry: s, voltage: v)
    }

    /// Every parameter actually used: (name, value, unit), sorted by name; non-numeric choices as text.
    public static func describe(_ setup: Dense1DSetup) -> [(name: String, value: String, unit: String)] {
        var rows: [(String, String, String)] = specs.compactMap { s in
            s.get(setup).map { (s.name, formatNumber($0), s.unit) }
        }
        rows.append(("counterElectrode", setup.cell.counterElectrode.name, ""))
        rows.append(("mode", setup.protocolSettings.mode.rawValue, ""))
        rows.append(("diffusivityModel", setup.cell.diffusivity.modelName, ""))
        rows.append(("electronicConduction", setup.cell.electronicConductivity == nil ? "false" : "true", ""))
        rows.append(("constantVoltageHold", setup.protocolSettings.constantVoltageHold == nil ? "false" : "true", ""))
        switch setup.cell.ocp {
        case .ramadass2004: rows.append(("ocp", "ramadass2004", "V vs Li/Li⁺"))
        case let .table(s, v):
            rows.append(
                (
                    "ocpTable",
                    "\(s.count) points, θ \(formatNumber(s.first!))…\(formatNumber(s.last!)), U \(formatNumber(v.first!))…\(formatNumber(v.last!))",
                    "V vs Li/Li⁺"
                ))
        }
        if !setup.protocolSettings.profileTimes.isEmpty {
            rows.append(
                (
                    "profileTimesSeconds",
                    setup.protocolSettings.profileTimes.map(formatNumber).joined(separator: ", "), "s"
                ))
        }
        return rows.sorted { $0.0 < $1.0 }
    }

    /// Fixed, shortest-round-trip number formatting (same bytes on every run).
    public static func formatNumber(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(format: "%.10g", v)
    }
}
