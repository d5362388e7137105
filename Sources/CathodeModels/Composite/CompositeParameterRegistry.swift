import Foundation
import Materials

/// The names a composite parameter file or the command line may use (display units in the names).
///
/// Non-numeric keys: `"base"`, `"ionicTransport"` (`percolation`, `bruggeman`, `archie`: numbers for the
/// other laws' exponents are then errors), `"contactModel"` (`electrolyteShare`, `constant`; setting
/// `contactFraction` selects `constant`), `"counterElectrode"` (`LiIn`, `LiMetal`), `"ocpTable"`.
public enum CompositeParameterRegistry {
    typealias Spec = ParameterSpec<CompositeSetup>

    public static let specs: [ParameterSpec<CompositeSetup>] = [
        spec("camWeightPercent", "wt%", "CAM mass fraction of the composite", { $0.cell.camWeightFraction * 100 }) {
            $0.cell.camWeightFraction = $1 / 100
        },
        spec("activeDensityKgPerM3", "kg m⁻³", "CAM (LiCoO₂) density", { $0.cell.activeDensity }) {
            $0.cell.activeDensity = $1
        },
        spec("inactiveDensityKgPerM3", "kg m⁻³", "lumped density of SE + carbon + binder", { $0.cell.inactiveDensity })
        { $0.cell.inactiveDensity = $1 },
        spec("porosity", "–", "composite porosity ε", { $0.cell.porosity }) { $0.cell.porosity = $1 },
        spec(
            "massLoadingMilligramsPerCm2", "mg cm⁻²", "CAM mass per area (fixed to the dense cathode's)",
            { $0.cell.massLoading * 100 }
        ) { $0.cell.massLoading = $1 / 100 },
        spec(
            "electrolyteShareOfInactive", "–", "volume share of the inactive phase that conducts ions",
            { $0.cell.electrolyteShareOfInactive }
        ) { $0.cell.electrolyteShareOfInactive = $1 },
        spec("particleRadiusMicrometres", "µm", "CAM particle radius R_p", { $0.cell.particleRadius * 1e6 }) {
            $0.cell.particleRadius = $1 * 1e-6
        },
        spec(
            "particleDiffusivityCm2PerS", "cm² s⁻¹", "Li diffusivity in the CAM particles",
            { $0.cell.particleDiffusivity * 1e4 }
        ) { $0.cell.particleDiffusivity = $1 * 1e-4 },
        spec("maxConcentrationMolPerM3", "mol m⁻³", "c_max of the CAM", { $0.cell.maxConcentration }) {
            $0.cell.maxConcentration = $1
        },
        spec("initialStoichiometry", "–", "uniform initial stoichiometry θ₀", { $0.cell.initialStoichiometry }) {
            $0.cell.initialStoichiometry = $1
        },
        spec(
            "exchangeCurrentDensityAPerM2", "A m⁻²", "i₀,ref at θ_s = 0.5 per contact area",
            { $0.cell.exchangeCurrentDensity }
        ) { $0.cell.exchangeCurrentDensity = $1 },
        spec(
            "contactFraction", "–", "constant CAM/SE contact fraction f_cont (selects contactModel = constant)",
            {
                if case .constant(let f) = $0.cell.contact { return f } else { return nil }
            }
        ) { $0.cell.contact = .constant($1) },
        spec(
            "coverageThreshold", "–",
            "SE fraction below which no CAM surface reaches the separator (contactModel = percolatingCoverage)",
            {
                if case let .percolatingCoverage(c, _) = $0.cell.contact { return c } else { return nil }
            }
        ) { s, v in
            guard case let .percolatingCoverage(_, b) = s.cell.contact else { throw contactLaw("coverageThreshold") }
            s.cell.contact = .percolatingCoverage(threshold: v, exponent: b)
        },
        spec(
            "coverageExponent", "–",
            "exponent β of the connected SE share (contactModel = percolatingCoverage; 0.41 in 3D)",
            {
                if case let .percolatingCoverage(_, b) = $0.cell.contact { return b } else { return nil }
            }
        ) { s, v in
            guard case let .percolatingCoverage(c, _) = s.cell.contact else { throw contactLaw("coverageExponent") }
            s.cell.contact = .percolatingCoverage(threshold: c, exponent: v)
        },
        spec(
            "contactCoordinationNumber", "–",
            "neighbours z of a CAM particle: SE contacts per particle ~ Binomial(z, f_cont), one particle class per contact count (0 = one class at f_cont; a non-integer z mixes ⌊z⌋ and ⌊z⌋ + 1)",
            { $0.cell.contactCoordination ?? 0 }
        ) { s, v in
            guard v.isFinite, v == 0 || (1...200).contains(v) else {
                throw ModelInputError.outOfRange(
                    parameter: "contactCoordinationNumber", value: v, allowed: "0 (one class) or [1, 200]", unit: "")
            }
            s.cell.contactCoordination = v == 0 ? nil : v
        },
        spec(
            "contactSpotRadiusMicrometres", "µm",
            "radius of the CAM/SE contact spots (0 = reaction over the whole particle surface)",
            { $0.cell.contactSpotRadius * 1e6 }
        ) {
            $0.cell.contactSpotRadius = $1 * 1e-6
        },
        spec("ionicConductivitySPerM", "S m⁻¹", "bulk SE conductivity σ₀", { $0.cell.ionicTransport.bulk }) { s, v in
            switch s.cell.ionicTransport {
            case let .bruggeman(_, b): s.cell.ionicTransport = .bruggeman(bulk: v, exponent: b)
            case let .percolation(_, c, t): s.cell.ionicTransport = .percolation(bulk: v, threshold: c, exponent: t)
            case let .archie(_, m): s.cell.ionicTransport = .archie(bulk: v, exponent: m)
            }
        },
        spec(
            "percolationThreshold", "–", "percolation threshold φ_c (ionicTransport = percolation)",
            {
                if case let .percolation(_, c, _) = $0.cell.ionicTransport { return c } else { return nil }
            }
        ) { s, v in
            guard case let .percolation(b, _, t) = s.cell.ionicTransport else {
                throw law("percolationThreshold", "percolation")
            }
            s.cell.ionicTransport = .percolation(bulk: b, threshold: v, exponent: t)
        },
        spec(
            "percolationExponent", "–", "conductivity exponent t (ionicTransport = percolation)",
            {
                if case let .percolation(_, _, t) = $0.cell.ionicTransport { return t } else { return nil }
            }
        ) { s, v in
            guard case let .percolation(b, c, _) = s.cell.ionicTransport else {
                throw law("percolationExponent", "percolation")
            }
            s.cell.ionicTransport = .percolation(bulk: b, threshold: c, exponent: v)
        },
        spec(
            "bruggemanExponent", "–", "Bruggeman exponent (ionicTransport = bruggeman)",
            {
                if case let .bruggeman(_, e) = $0.cell.ionicTransport { return e } else { return nil }
            }
        ) { s, v in
            guard case let .bruggeman(b, _) = s.cell.ionicTransport else { throw law("bruggemanExponent", "bruggeman") }
            s.cell.ionicTransport = .bruggeman(bulk: b, exponent: v)
        },
        spec(
            "archieExponent", "–", "Archie exponent m (ionicTransport = archie)",
            {
                if case let .archie(_, m) = $0.cell.ionicTransport { return m } else { return nil }
            }
        ) { s, v in
            guard case let .archie(b, _) = s.cell.ionicTransport else { throw law("archieExponent", "archie") }
            s.cell.ionicTransport = .archie(bulk: b, exponent: v)
        },
        spec(
            "electronicConductivitySPerM", "S m⁻¹", "bulk solid-phase conductivity (effective × φ_CAM^1.5)",
            { $0.cell.electronicConductivity }
        ) { $0.cell.electronicConductivity = $1 },
        spec(
            "separatorThicknessMicrometres", "µm", "total SE separator thickness",
            { $0.cell.separator.reduce(0) { $0 + $1.thickness } * 1e6 }
        ) { s, v in
            let total = s.cell.separator.reduce(0) { $0 + $1.thickness }
            s.cell.separator = s.cell.separator.map {
                SeparatorLayer(thickness: $0.thickness / total * v * 1e-6, conductivity: $0.conductivity)
            }
        },
        spec(
            "separatorConductivitySPerM", "S m⁻¹", "separator ionic conductivity",
            { $0.cell.separator.first?.conductivity }
        ) { s, v in
            s.cell.separator = s.cell.separator.map { SeparatorLayer(thickness: $0.thickness, conductivity: v) }
        },
        spec(
            "counterElectrodePotentialV", "V", "Li/In potential vs Li/Li⁺",
            { if case .lithiumIndium(let u, _) = $0.cell.counterElectrode { return u } else { return nil } }
        ) { s, v in
            guard case .lithiumIndium(_, let r) = s.cell.counterElectrode else {
                throw ModelInputError.invalidValue(
                    parameter: "counterElectrodePotentialV", reason: "applies only to counterElectrode = LiIn")
            }
            s.cell.counterElectrode = .lithiumIndium(potential: v, resistance: r)
        },
        spec(
            "counterElectrodeResistanceOhmCm2", "Ω cm²", "Li/In interfacial resistance",
            { if case .lithiumIndium(_, let r) = $0.cell.counterElectrode { return r * 1e4 } else { return nil } }
        ) { s, v in
            guard case .lithiumIndium(let u, _) = s.cell.counterElectrode else {
                throw ModelInputError.invalidValue(
                    parameter: "counterElectrodeResistanceOhmCm2", reason: "applies only to counterElectrode = LiIn")
            }
            s.cell.counterElectrode = .lithiumIndium(potential: u, resistance: v * 1e-4)
        },
        spec("temperatureK", "K", "temperature", { $0.cell.temperature }) { $0.cell.temperature = $1 },
        spec(
            "ratedCapacityMilliampHoursPerGram", "mAh g⁻¹", "capacity that defines 1C",
            { $0.cell.ratedCapacityMilliampHoursPerGram }
        ) { $0.cell.ratedCapacityMilliampHoursPerGram = $1 },
        spec("lowerCutoffVsLiV", "V", "discharge cut-off vs Li/Li⁺", { $0.cell.lowerCutoffVsLi }) {
            $0.cell.lowerCutoffVsLi = $1
        },
        spec(
            "thicknessMicrometres", "µm", "electrode thickness (overrides the value derived from the composition)",
            { $0.cell.thicknessOverride.map { $0 * 1e6 } }
        ) { $0.cell.thicknessOverride = $1 * 1e-6 },
        spec(
            "camVolumeFraction", "–", "CAM volume fraction φ_CAM (overrides the derived value)",
            { $0.cell.camVolumeFractionOverride }
        ) { $0.cell.camVolumeFractionOverride = $1 },
        spec(
            "electrolyteVolumeFraction", "–", "ion-conducting SE volume fraction φ_SE (overrides the derived value)",
            { $0.cell.electrolyteVolumeFractionOverride }
        ) { $0.cell.electrolyteVolumeFractionOverride = $1 },
        spec(
            "specificAreaPerM", "m⁻¹", "active CAM/SE area per electrode volume a (overrides 3 φ_CAM f_cont / R_p)",
            { $0.cell.specificAreaOverride }
        ) { $0.cell.specificAreaOverride = $1 },
        spec("cRate", "h⁻¹", "C-rate (1C = rated capacity × CAM mass per hour)", { $0.cRate }) { $0.cRate = $1 },
        spec("electrodeCells", "–", "finite-volume cells through the electrode", { Double($0.numerics.electrodeCells) })
        { s, v in
            s.numerics.electrodeCells = try wholeNumber("electrodeCells", v, 3...10_000)
        },
        spec("particleShells", "–", "shells in each particle", { Double($0.numerics.particleShells) }) { s, v in
            s.numerics.particleShells = try wholeNumber("particleShells", v, 3...10_000)
        },
        spec("absoluteTolerance", "–", "per-step error tolerance on θ, absolute", { $0.numerics.absoluteTolerance }) {
            $0.numerics.absoluteTolerance = $1
        },
        spec("relativeTolerance", "–", "per-step error tolerance on θ, relative", { $0.numerics.relativeTolerance }) {
            $0.numerics.relativeTolerance = $1
        },
        spec("maxStepFraction", "–", "largest step as a fraction of 1/C-rate", { $0.numerics.maxStepFraction }) {
            $0.numerics.maxStepFraction = $1
        },
    ]

    /// The non-numeric keys of a composite parameter file and what each takes.
    public static let settingKinds: [String: ParameterSchema.Kind] = [
        "base": .parameterSet(CompositeParameterSet.all.map(\.name)),
        "ionicTransport": .choice(["percolation", "bruggeman", "archie"]),
        "contactModel": .choice(["electrolyteShare", "constant", "percolatingCoverage"]),
        "counterElectrode": .choice(["LiIn", "LiMetal"]),
        "ocpTable": .ocpTable,
    ]

    /// Every key a composite (Model D) parameter file may hold.
    public static let schema = ParameterSchema(
        model: "composite",
        kinds: Dictionary(uniqueKeysWithValues: specs.map { ($0.name, ParameterSchema.Kind.number(unit: $0.unit)) })
            .merging(settingKinds) { a, _ in a })

    public static var allNames: [String] { schema.names }
    public static func spec(named name: String) -> ParameterSpec<CompositeSetup>? { specs.first { $0.name == name } }

    private static func spec(
        _ name: String, _ unit: String, _ help: String, _ get: @escaping @Sendable (CompositeSetup) -> Double?,
        _ set: @escaping @Sendable (inout CompositeSetup, Double) throws -> Void
    ) -> ParameterSpec<CompositeSetup> {
        ParameterSpec(name: name, unit: unit, help: help, get: get, set: set)
    }

    private static func contactLaw(_ name: String) -> ModelInputError {
        .invalidValue(parameter: name, reason: "applies only with contactModel = percolatingCoverage")
    }

    private static func law(_ name: String, _ law: String) -> ModelInputError {
        .invalidValue(parameter: name, reason: "applies only with ionicTransport = \(law)")
    }

    public static func setup(
        base: String = "composite", numbers: [String: Double], settings: [String: SettingValue] = [:]
    ) throws -> (CompositeSetup, CompositeParameterSet) {
        let set = try CompositeParameterSet.named(base)
        var setup = CompositeSetup(cell: set.cell)
        for key in numbers.keys.sorted() where spec(named: key) == nil { throw schema.unknown(key) }
        for key in settings.keys.sorted() where settingKinds[key] == nil || key == "base" { throw schema.unknown(key) }
        if let value = settings["ionicTransport"] {
            let b = setup.cell.ionicTransport.bulk
            switch try Dense1DParameterRegistry.choice(value, "ionicTransport") {
            case "percolation":
                if case .percolation = setup.cell.ionicTransport {
                } else {
                    setup.cell.ionicTransport = .percolation(bulk: b, threshold: 0.2, exponent: 2)
                }
            case "bruggeman":
                if case .bruggeman = setup.cell.ionicTransport {
                } else {
                    setup.cell.ionicTransport = .bruggeman(bulk: b, exponent: 1.5)
                }
            case "archie":
                if case .archie = setup.cell.ionicTransport {
                } else {
                    setup.cell.ionicTransport = .archie(bulk: b, exponent: 3.4)
                }
            default:
                throw ModelInputError.invalidValue(
                    parameter: "ionicTransport", reason: "'\(value.text)' is not one of percolation, bruggeman, archie")
            }
        }
        if let value = settings["contactModel"] {
            switch try Dense1DParameterRegistry.choice(value, "contactModel") {
            case "electrolyteshare": setup.cell.contact = .electrolyteShare
            case "constant": if case .constant = setup.cell.contact {} else { setup.cell.contact = .constant(1) }
            case "percolatingcoverage":
                if case .percolatingCoverage = setup.cell.contact {
                } else {
                    setup.cell.contact = .percolatingCoverage(threshold: 0.2, exponent: 0.41)
                }
            default:
                throw ModelInputError.invalidValue(
                    parameter: "contactModel",
                    reason: "'\(value.text)' is not one of electrolyteShare, constant, percolatingCoverage")
            }
        }
        if let value = settings["counterElectrode"] {
            switch try Dense1DParameterRegistry.choice(value, "counterElectrode") {
            case "liin":
                if case .lithiumMetal = setup.cell.counterElectrode {
                    setup.cell.counterElectrode = .lithiumIndium(potential: 0.62, resistance: 5e-4)
                }
            case "limetal": setup.cell.counterElectrode = .lithiumMetal(exchangeCurrentDensity: 10)
            default:
                throw ModelInputError.invalidValue(
                    parameter: "counterElectrode", reason: "'\(value.text)' is not one of LiIn, LiMetal")
            }
        }
        if let value = settings["ocpTable"] { setup.cell.ocp = try Dense1DParameterRegistry.ocpTable(value) }
        try ParameterSpec.apply(numbers, to: &setup, lookup: spec(named:))
        try setup.validate()
        return (setup, set)
    }

    public static func describe(_ setup: CompositeSetup) -> [(name: String, value: String, unit: String)] {
        var rows: [(String, String, String)] = specs.compactMap { s in
            s.get(setup).map { (s.name, Dense1DParameterRegistry.formatNumber($0), s.unit) }
        }
        rows.append(("ionicTransport", setup.cell.ionicTransport.name, ""))
        rows.append(("contactModel", setup.cell.contact.name, ""))
        rows.append(("counterElectrode", setup.cell.counterElectrode.name, ""))
        switch setup.cell.ocp {
        case .ramadass2004: rows.append(("ocp", "ramadass2004", "V vs Li/Li⁺"))
        case let .table(s, _): rows.append(("ocpTable", "\(s.count) points", "V vs Li/Li⁺"))
        }
        rows.append(
            ("derived: thicknessMicrometres", Dense1DParameterRegistry.formatNumber(setup.cell.thickness * 1e6), "µm"))
        rows.append(
            ("derived: camVolumeFraction", Dense1DParameterRegistry.formatNumber(setup.cell.camVolumeFraction), "–"))
        rows.append(
            (
                "derived: electrolyteVolumeFraction",
                Dense1DParameterRegistry.formatNumber(setup.cell.electrolyteVolumeFraction), "–"
            ))
        rows.append(
            (
                "derived: effectiveIonicConductivitySPerM",
                Dense1DParameterRegistry.formatNumber(setup.cell.effectiveIonicConductivity), "S m⁻¹"
            ))
        rows.append(
            (
                "derived: electrodeDensityKgPerM3", Dense1DParameterRegistry.formatNumber(setup.cell.electrodeDensity),
                "kg m⁻³"
            ))
        return rows.sorted { $0.0 < $1.0 }
    }
}
