import Foundation
import Materials

/// Everything that defines a dense-cathode half-cell for Model A (shared/docs/physics.md §2), in SI.
///
/// The cathode is a homogenised mixed conductor of thickness L and porosity ε_p on a current collector
/// at x = 0; Li enters at the cathode/separator interface x = L. The separator is a single-ion
/// conductor (an ohmic resistance) and the counter electrode is lumped (potential plus overpotential law).
public struct Dense1DCell: Sendable, Equatable, Codable {
    /// Cathode thickness L [m].
    public var thickness: Double
    /// Residual porosity ε_p of the dense cathode [–] (pores carry no Li and weigh nothing).
    public var porosity: Double
    /// Crystallographic density of the active material [kg m⁻³].
    public var activeDensity: Double
    /// Li concentration at θ = 1 [mol m⁻³].
    public var maxConcentration: Double
    /// Capacity that defines 1C [mAh g⁻¹]: 1C = this × active mass per hour.
    public var ratedCapacityMilliampHoursPerGram: Double
    /// Li chemical diffusivity law D(θ).
    public var diffusivity: DiffusivityLaw
    /// Open-circuit potential U(θ) vs Li/Li⁺.
    public var ocp: OpenCircuitPotential
    /// Exchange current density at θ_s = 0.5 per true interface area, i₀,ref [A m⁻²].
    public var exchangeCurrentDensity: Double
    /// Anodic transfer coefficient α_a [–] (α_c = 1 − α_a); 0.5 is the usual symmetric choice [E].
    public var anodicTransferCoefficient: Double = 0.5
    /// True-to-projected interface area ratio r_a [–] (1 = flat), used when `interfaceProfile` is nil.
    public var roughnessFactor: Double
    /// A measured interface roughness; when set, r_a is the mean arc-length ratio of its generated Gaussian
    /// profiles, exactly as Model B's interface faces get it (physics.md §3.4), so the 1D and 2D models agree on
    /// the area of one interface.
    public var interfaceProfile: InterfaceProfile? = nil
    /// Interfacial contact fraction f_c = A/A_t [–].
    public var contactFraction: Double
    /// Electronic conduction through the cathode; nil neglects the electronic drop.
    public var electronicConductivity: ElectronicConductivity?
    /// Separator layers from the cathode outwards.
    public var separator: [SeparatorLayer]
    public var counterElectrode: CounterElectrode
    /// Temperature [K].
    public var temperature: Double
    /// Uniform initial stoichiometry θ₀ [–].
    public var initialStoichiometry: Double
    /// Discharge cut-off [V vs Li/Li⁺].
    public var lowerCutoffVsLi: Double
    /// Charge cut-off [V vs Li/Li⁺].
    public var upperCutoffVsLi: Double

    /// The interface area ratio the kinetics see: from `interfaceProfile` when set, else `roughnessFactor`.
    public var interfaceAreaRatio: Double {
        guard let profile = interfaceProfile, profile.rms > 0 else { return roughnessFactor }
        return RoughProfile.meanAreaRatio(rms: profile.rms, correlation: profile.correlation)
    }

    /// Active mass per projected area m_A = (1 − ε_p)ρL [kg m⁻²].
    public var massLoading: Double { (1 - porosity) * activeDensity * thickness }
    /// Current density of 1C [A m⁻²] = rated capacity × m_A per hour.
    public var oneCCurrentDensity: Double { ratedCapacityMilliampHoursPerGram * 3.6 * 1000 * massLoading / 3600 }
    /// Separator area-specific resistance [Ω m²].
    public var separatorResistance: Double { separator.reduce(0) { $0 + $1.resistance } }
    /// Theoretical capacity of the stoichiometry range θ: 1 → 0 [mAh g⁻¹] = F/(3.6·M) with M = ρ/c_max.
    public var theoreticalCapacityMilliampHoursPerGram: Double {
        PhysicalConstants.faraday * maxConcentration / (3.6 * activeDensity * 1000)
    }
}

/// An interface roughness given by its RMS height and lateral correlation length, both in metres.
public struct InterfaceProfile: Sendable, Equatable, Codable {
    /// RMS height h_rms [m].
    public var rms: Double
    /// Correlation length ℓ of the Gaussian spectrum [m].
    public var correlation: Double
    public init(rms: Double, correlation: Double) {
        self.rms = rms
        self.correlation = correlation
    }
    /// The default correlation length of Model B's generator (physics.md §3.4) [m].
    public static let defaultCorrelation = 0.252e-6
}

/// What is done to the cell.
public struct Dense1DProtocol: Sendable, Equatable, Codable {
    public enum Mode: String, Sendable, Codable, CaseIterable { case discharge, charge }

    /// Constant-voltage hold after the constant-current phase reaches its cut-off: the voltage is held
    /// at the cut-off until |I| falls below `endCRate` × 1C.
    public struct ConstantVoltageHold: Sendable, Equatable, Codable {
        public var endCRate: Double
        public init(endCRate: Double = 0.05) { self.endCRate = endCRate }
    }

    public var mode: Mode
    /// C-rate of the constant-current phase [1/h] (used when `currentDensity` is nil).
    public var cRate: Double
    /// Explicit current density magnitude [A m⁻²]; overrides `cRate`.
    public var currentDensity: Double?
    public var constantVoltageHold: ConstantVoltageHold?
    /// Times [s] at which concentration profiles are recorded (the end state is always recorded).
    public var profileTimes: [Double]

    public init(
        mode: Mode = .discharge, cRate: Double = 1, currentDensity: Double? = nil,
        constantVoltageHold: ConstantVoltageHold? = nil, profileTimes: [Double] = []
    ) {
        self.mode = mode
        self.cRate = cRate
        self.currentDensity = currentDensity
        self.constantVoltageHold = constantVoltageHold
        self.profileTimes = profileTimes
    }
}

/// Discretisation and error-control settings.
public struct Dense1DNumerics: Sendable, Equatable, Codable {
    /// Finite-volume cells through the thickness.
    public var cells: Int
    /// Neighbour width ratio towards the interface (1 = uniform, < 1 refines towards x = L).
    public var gradingRatio: Double
    /// Per-step error tolerance on θ (absolute and relative).
    public var absoluteTolerance: Double
    public var relativeTolerance: Double
    /// Largest step as a fraction of the nominal duration 1/C-rate.
    public var maxStepFraction: Double
    /// Cut-off location tolerance [V]: the final point lies within this above the cut-off.
    public var cutoffTolerance: Double
    /// A fixed step [s] instead of adaptive control (for convergence studies); nil = adaptive.
    public var fixedStep: Double?

    public init(
        cells: Int = 100, gradingRatio: Double = 1, absoluteTolerance: Double = 1e-6, relativeTolerance: Double = 1e-6,
        maxStepFraction: Double = 0.01, cutoffTolerance: Double = 1e-4, fixedStep: Double? = nil
    ) {
        self.cells = cells
        self.gradingRatio = gradingRatio
        self.absoluteTolerance = absoluteTolerance
        self.relativeTolerance = relativeTolerance
        self.maxStepFraction = maxStepFraction
        self.cutoffTolerance = cutoffTolerance
        self.fixedStep = fixedStep
    }
}

/// A cell, a protocol and numerics: one run of Model A.
public struct Dense1DSetup: Sendable, Equatable, Codable {
    public var cell: Dense1DCell
    public var protocolSettings: Dense1DProtocol
    public var numerics: Dense1DNumerics
    public init(
        cell: Dense1DCell, protocolSettings: Dense1DProtocol = Dense1DProtocol(),
        numerics: Dense1DNumerics = Dense1DNumerics()
    ) {
        self.cell = cell
        self.protocolSettings = protocolSettings
        self.numerics = numerics
    }
}

// MARK: - Named parameter sets

/// A named, cited parameter set: values plus the source of each.
public struct Dense1DParameterSet: Sendable {
    public let name: String
    public let summary: String
    public let cell: Dense1DCell
    /// Source per parameter name (names as in `Dense1DParameterRegistry`).
    public let sources: [String: ParameterSource]

    /// The citations this set uses, sorted by key.
    public var citations: [Citation] {
        Set(sources.values.compactMap { References.citation($0.citationKey) }).sorted()
    }
}

extension Dense1DParameterSet {
    /// θ₀ for the paper's practical window: 1 − 125/273.85 = 0.5435 (physics.md §2.9, calibrated so that
    /// 0.1C gives the paper's 119 mAh g⁻¹).
    public static let paperCalibratedInitialStoichiometry = 0.5435
    /// θ₀ of the 140 mAh g⁻¹ window: 1 − 140/273.85 = 0.4888.
    public static let theoreticalInitialStoichiometry = 0.4888

    /// The paper's experimental half-cell: dense oriented LCO, 1.55 mAh cm⁻² (23.1 µm at ε_p = 5.15 %),
    /// 250 µm bilayer SE separator, Li/In counter electrode (Naik et al. 2025, Section 2, Fig. 3).
    public static let paperHalfCell: Dense1DParameterSet = {
        let cell = Dense1DCell(
            thickness: 23.10e-6, porosity: 0.0515, activeDensity: LithiumCobaltOxide.density,
            maxConcentration: LithiumCobaltOxide.maxConcentration,
            ratedCapacityMilliampHoursPerGram: LithiumCobaltOxide.practicalCapacityMilliampHoursPerGram,
            diffusivity: .constant(1.5e-13), ocp: .ramadass2004, exchangeCurrentDensity: 1.0,
            roughnessFactor: 1, contactFraction: 1, electronicConductivity: ElectronicConductivity(),
            separator: [
                SeparatorLayer(thickness: 125e-6, conductivity: 0.1),
                SeparatorLayer(thickness: 125e-6, conductivity: 0.1),
            ],
            counterElectrode: .lithiumIndium(potential: 0.62, resistance: 5e-4),
            temperature: PhysicalConstants.roomTemperature, initialStoichiometry: paperCalibratedInitialStoichiometry,
            lowerCutoffVsLi: 3.0, upperCutoffVsLi: 4.2)
        let p = "Naik2025"
        let s = "CathodeLabPhysics"
        return Dense1DParameterSet(
            name: "paperHalfCell",
            summary:
                "The paper's experimental half-cell: dense LCO 1.55 mAh cm⁻², 250 µm bilayer SE, Li/In (Naik et al. 2025, Fig. 3).",
            cell: cell,
            sources: [
                "thicknessMicrometres": ParameterSource(
                    .derived, s, "1.55 mAh cm⁻² at 140 mAh g⁻¹ and 4.793 g cm⁻³ (physics.md §1.3)"),
                "porosity": ParameterSource(
                    .derived, s, "1 − 4.793/5.053 from the paper's 2521 Wh L⁻¹ / 526 Wh kg⁻¹ (physics.md §1.5)"),
                "activeDensityKgPerM3": ParameterSource(.derived, "CRC89", "Z·M/(N_A·V_cell), R-3m lattice"),
                "maxConcentrationMolPerM3": ParameterSource(.derived, "CRC89", "ρ/M"),
                "ratedCapacityMilliampHoursPerGram": ParameterSource(.published, p, "140 mAh g⁻¹, Fig. 7 caption"),
                "diffusivityCm2PerS": ParameterSource(.published, p, "D_eff = 1.5e-9 cm² s⁻¹ fitted to Fig. 3(c)"),
                "ocp": ParameterSource(
                    .verified, "Ramadass2004", "rational fit, unstretched, as in LIONSIMBA (Torchio 2016)"),
                "exchangeCurrentDensityAPerM2": ParameterSource(
                    .estimate, s, "1 A m⁻²; no interface value could be checked (physics.md §2.4)"),
                "anodicTransferCoefficient": ParameterSource(.estimate, "Bard2001", "symmetric α_a = α_c = 0.5"),
                "roughnessFactor": ParameterSource(.derived, s, "flat interface"),
                "contactFraction": ParameterSource(.derived, s, "full contact"),
                "electronicConduction": ParameterSource(
                    .verified, "Menetrier1999", "LCO turns metallic below θ ≈ 0.94"),
                "electronicConductivityInsulatingSPerM": ParameterSource(
                    .published, p, "lower bound > 1e-4 S cm⁻¹ for single crystals, used as σ_ins"),
                "electronicConductivityMetallicSPerM": ParameterSource(
                    .estimate, s, "10 S m⁻¹; only 'metallic' is verified"),
                "electronicTransitionStoichiometry": ParameterSource(
                    .verified, "Menetrier1999", "insulator–metal transition at θ ≈ 0.94"),
                "electronicTransitionWidth": ParameterSource(.estimate, s, "0.01"),
                "counterElectrode": ParameterSource(.published, p, "Li/In counter electrode, Fig. 3 and S2"),
                "separatorThicknessMicrometres": ParameterSource(.published, p, "250 µm bilayer, Fig. 3"),
                "separatorConductivitySPerM": ParameterSource(.estimate, "Li3InCl6-2024", "1 mS cm⁻¹ for both layers"),
                "counterElectrodePotentialV": ParameterSource(
                    .verified, "Santhosha2019", "In/InLi at 0.62 V vs Li/Li⁺"),
                "counterElectrodeResistanceOhmCm2": ParameterSource(.estimate, s, "5 Ω cm²"),
                "temperatureK": ParameterSource(.published, p, "room temperature, Fig. 5a"),
                "initialStoichiometry": ParameterSource(
                    .calibrated, s, "0.5435: 125 mAh g⁻¹ window reproduces 119 mAh g⁻¹ at 0.1C (physics.md §2.9)"),
                "lowerCutoffVsLiV": ParameterSource(.estimate, s, "3.0 V vs Li/Li⁺ (2.38 V vs Li/In)"),
                "upperCutoffVsLiV": ParameterSource(.estimate, s, "4.2 V vs Li/Li⁺"),
            ])
    }()

    /// An ideal solid-state cell: the same cathode, a 30 µm separator and a Li metal counter electrode
    /// (Naik et al. 2025, Section 2, Fig. S4; separator and Li kinetics are estimates, physics.md §1.4).
    public static let idealCell: Dense1DParameterSet = {
        var cell = paperHalfCell.cell
        cell.separator = [SeparatorLayer(thickness: 30e-6, conductivity: 0.1)]
        cell.counterElectrode = .lithiumMetal(exchangeCurrentDensity: 10)
        var sources = paperHalfCell.sources
        sources["separatorThicknessMicrometres"] = ParameterSource(
            .estimate, "CathodeLabPhysics", "30 µm (typical target 20–50 µm)")
        sources["counterElectrode"] = ParameterSource(
            .published, "Naik2025", "Li metal anode of the ideal cell, Fig. S4")
        sources["counterElectrodePotentialV"] = ParameterSource(
            .derived, "CathodeLabPhysics", "Li metal, 0 V by definition")
        sources["counterElectrodeExchangeCurrentDensityAPerM2"] = ParameterSource(
            .estimate, "CathodeLabPhysics", "i₀,Li = 10 A m⁻² (1 mA cm⁻²)")
        sources.removeValue(forKey: "counterElectrodeResistanceOhmCm2")
        return Dense1DParameterSet(
            name: "idealCell",
            summary: "Ideal solid-state cell: the same dense cathode, 30 µm SE, Li metal (Naik et al. 2025, Fig. S4).",
            cell: cell, sources: sources)
    }()

    public static let all: [Dense1DParameterSet] = [
        paperHalfCell, idealCell, PaperCalibratedSets.paperCalibrated, PaperCalibratedSets.idealCellCalibrated,
    ]

    public static func named(_ name: String) throws -> Dense1DParameterSet {
        guard let s = all.first(where: { $0.name.lowercased() == name.lowercased() }) else {
            throw ModelInputError.unknownParameterSet(name: name, known: all.map(\.name))
        }
        return s
    }
}
