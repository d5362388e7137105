import Foundation
import Materials

/// Effective ionic conductivity of the solid-electrolyte network, σ_e,eff(φ_SE) [S m⁻¹].
///
/// - `bruggeman`: σ₀ φ^b (D. A. G. Bruggeman, *Ann. Phys.* 1935; b = 1.5 in PyBaMM's parameter sets);
/// - `percolation`: σ₀ ((φ − φ_c)/(1 − φ_c))^t for φ > φ_c, else non-percolating (S. Kirkpatrick,
///   *Rev. Mod. Phys.* 45, 574 (1973); t ≈ 2 in 3D);
/// - `archie`: σ₀ φ^m (Archie's law; a large m stands for a tortuous network).
/// A non-percolating network is floored at 1e-12 S m⁻¹ (physics.md §5.3).
public enum IonicTransport: Sendable, Equatable, Codable {
    case bruggeman(bulk: Double, exponent: Double)
    case percolation(bulk: Double, threshold: Double, exponent: Double)
    case archie(bulk: Double, exponent: Double)

    public static let floor = 1e-12

    public func conductivity(seFraction phi: Double) -> Double {
        switch self {
        case let .bruggeman(s, b): return max(s * pow(max(phi, 0), b), Self.floor)
        case let .percolation(s, c, t): return phi > c ? max(s * pow((phi - c) / (1 - c), t), Self.floor) : Self.floor
        case let .archie(s, m): return max(s * pow(max(phi, 0), m), Self.floor)
        }
    }

    public var name: String {
        switch self {
        case .bruggeman: return "bruggeman"
        case .percolation: return "percolation"
        case .archie: return "archie"
        }
    }

    public var bulk: Double {
        switch self {
        case .bruggeman(let s, _), .percolation(let s, _, _), .archie(let s, _): return s
        }
    }
}

/// The fraction f_cont of a CAM particle's surface that touches solid electrolyte connected to the separator.
public enum ContactModel: Sendable, Equatable, Codable {
    /// f_cont = φ_SE/(φ_SE + φ_CAM): the share of SE among a particle's neighbours (physics.md §5.3) [E].
    case electrolyteShare
    case constant(Double)
    /// f_cont = φ_SE/(φ_SE + φ_CAM) · P(φ_SE), P = ((φ_SE − φ_c)/(1 − φ_c))^β for φ_SE > φ_c, else 0: only SE that
    /// belongs to the network spanning the electrode reaches the separator, and the fraction of SE in that
    /// network vanishes at the percolation threshold as (φ − φ_c)^β with β ≈ 0.41 in three dimensions
    /// (Stauffer and Aharony, *Introduction to Percolation Theory*, 2nd ed. 1994). Microstructure simulations
    /// of composite cathodes show the same loss of active CAM/SE interface as the SE fraction falls (Bielefeld,
    /// Weber, Janek, J. Phys. Chem. C 123, 1626 (2019); ACS Appl. Mater. Interfaces 12, 12821 (2020): the
    /// paper's refs. 18/19, "reduced CAM/SE active sites due to insufficient SE phase").
    case percolatingCoverage(threshold: Double, exponent: Double)

    public func fraction(se: Double, cam: Double) -> Double {
        switch self {
        case .electrolyteShare: return se + cam > 0 ? se / (se + cam) : 0
        case .constant(let f): return f
        case let .percolatingCoverage(threshold, exponent):
            guard se > threshold, se + cam > 0 else { return 0 }
            return se / (se + cam) * pow((se - threshold) / (1 - threshold), exponent)
        }
    }

    public var name: String {
        switch self {
        case .electrolyteShare: return "electrolyteShare"
        case .constant: return "constant"
        case .percolatingCoverage: return "percolatingCoverage"
        }
    }
}

/// A class of CAM particles with the same share of their surface in contact with the connected SE.
public struct ContactClass: Sendable, Equatable {
    /// Share of the CAM (by volume) in this class.
    public var weight: Double
    /// Contact fraction of the particles of this class.
    public var contactFraction: Double

    public init(weight: Double, contactFraction: Double) {
        self.weight = weight
        self.contactFraction = contactFraction
    }

    /// The summed weight of the classes without contact.
    public static func uncontactedShare(of classes: [ContactClass]) -> Double {
        classes.filter { $0.contactFraction <= 0 }.reduce(0.0) { $0 + $1.weight }
    }

    /// C(z, n) pⁿ (1 − p)^(z−n), from log-gamma so that large z does not overflow; exact 0/1 ends at p = 0 or 1.
    public static func binomialWeight(trials z: Int, successes n: Int, probability p: Double) -> Double {
        if p <= 0 { return n == 0 ? 1 : 0 }
        if p >= 1 { return n == z ? 1 : 0 }
        let logChoose = lgamma(Double(z + 1)) - lgamma(Double(n + 1)) - lgamma(Double(z - n + 1))
        return exp(logChoose + Double(n) * log(p) + Double(z - n) * log(1 - p))
    }
}

/// A composite cathode (CAM + solid electrolyte + carbon/binder) in a solid-state half-cell, Model D
/// (shared/docs/physics.md §5), in SI.
///
/// Composition → structure (the logic of the paper's Table S4): with mass fractions w (CAM) and 1 − w
/// (lumped inactive phase), densities ρ_CAM and ρ_inactive and porosity ε,
///
///     Σ = w/ρ_CAM + (1 − w)/ρ_inactive,   φ_CAM = (1 − ε)(w/ρ_CAM)/Σ,   φ_inactive = (1 − ε)((1 − w)/ρ_inactive)/Σ,
///     ρ_e = (1 − ε)/Σ,   L = m_A/(w ρ_e)   (CAM mass per area m_A fixed to the dense cathode's).
///
/// φ_SE = `electrolyteShareOfInactive` × φ_inactive conducts ions.
public struct CompositeCell: Sendable, Equatable, Codable {
    /// CAM mass fraction w, 0 < w ≤ 1.
    public var camWeightFraction: Double
    public var activeDensity: Double
    /// Lumped density of SE + carbon + binder [kg m⁻³]: 1900, inverted from the paper's Fig. 7 energies (physics.md §6.1).
    public var inactiveDensity: Double
    public var porosity: Double
    /// CAM mass per projected area [kg m⁻²] (the dense cathode's, 0.11071).
    public var massLoading: Double
    public var electrolyteShareOfInactive: Double
    public var particleRadius: Double
    /// Li diffusivity in the CAM particles [m² s⁻¹] (1e-15, i.e. 1e-11 cm² s⁻¹; Naik et al. 2025, ref. 54).
    public var particleDiffusivity: Double
    public var maxConcentration: Double
    public var ocp: OpenCircuitPotential
    public var initialStoichiometry: Double
    /// i₀,ref at θ_s = 0.5 per CAM/SE contact area [A m⁻²].
    public var exchangeCurrentDensity: Double
    public var contact: ContactModel
    /// Radius b of the CAM/SE contact spots [m]; 0 = the reaction spreads over the whole particle surface.
    /// With spots, the Li of a particle enters through them and the surface stoichiometry under a spot rises above
    /// the sphere-averaged one by the spreading term of a uniformly fed disc on a half-space (Carslaw and Jaeger,
    /// *Conduction of Heat in Solids*, 2nd ed. 1959, §8.2: mean temperature 8qb/(3πk) for flux density q over a
    /// disc of radius b): Δθ = 8 b i_n / (3π F D_p c_max), with i_n the current density per contact area. The
    /// fewer the contacts (low SE coverage), the larger i_n and the earlier a spot saturates [E].
    public var contactSpotRadius: Double = 0
    /// Neighbours z of a CAM particle in the packing, or nil for a single particle class at the mean contact
    /// fraction f_cont. With z, the particles at each depth fall into classes by their number n of contacts with
    /// the connected SE: each neighbour is such a contact with probability f_cont, so n ~ Binomial(z, f_cont), and
    /// a particle with n contacts has the contact fraction n/z — the mean stays f_cont, but the poorly contacted
    /// particles carry a larger current per contact and saturate first (`contactClasses`) [E]. A random dense packing
    /// has about 6 neighbours per particle (Bernal and Mason, Nature 188, 910 (1960)), a pressed powder 12–14
    /// (Fischmeister and Arzt, Powder Metall. 26, 82 (1983)).
    public var contactCoordination: Double? = nil
    public var ionicTransport: IonicTransport
    /// Bulk electronic conductivity of the solid phase [S m⁻¹]; effective = σ φ_CAM^1.5.
    public var electronicConductivity: Double
    public var separator: [SeparatorLayer]
    public var counterElectrode: CounterElectrode
    public var temperature: Double
    public var ratedCapacityMilliampHoursPerGram: Double
    public var lowerCutoffVsLi: Double
    /// Direct settings that replace the composition-derived structure (to run another code's exact inputs):
    /// thickness [m], CAM and SE volume fractions, and the active area per volume [m⁻¹]. nil derives them.
    public var thicknessOverride: Double? = nil
    public var camVolumeFractionOverride: Double? = nil
    public var electrolyteVolumeFractionOverride: Double? = nil
    public var specificAreaOverride: Double? = nil

    var inverseSpecificVolume: Double { camWeightFraction / activeDensity + (1 - camWeightFraction) / inactiveDensity }
    /// Volume fraction of CAM.
    public var camVolumeFraction: Double {
        camVolumeFractionOverride ?? (1 - porosity) * (camWeightFraction / activeDensity) / inverseSpecificVolume
    }
    /// Volume fraction of the lumped inactive phase.
    public var inactiveVolumeFraction: Double {
        (1 - porosity) * ((1 - camWeightFraction) / inactiveDensity) / inverseSpecificVolume
    }
    /// Volume fraction of ion-conducting SE.
    public var electrolyteVolumeFraction: Double {
        electrolyteVolumeFractionOverride ?? inactiveVolumeFraction * electrolyteShareOfInactive
    }
    /// Electrode density ρ_e [kg m⁻³] (pores weigh nothing).
    public var electrodeDensity: Double { (1 - porosity) / inverseSpecificVolume }
    /// Thickness L = m_A/(w ρ_e) [m].
    public var thickness: Double { thicknessOverride ?? massLoading / (camWeightFraction * electrodeDensity) }
    public var contactFraction: Double { contact.fraction(se: electrolyteVolumeFraction, cam: camVolumeFraction) }
    /// The particle classes of one depth: weight (share of the CAM) and contact fraction. Without
    /// `contactCoordination` one class holds every particle at f_cont. With an integer z the classes are
    /// n = 0 … z of Binomial(z, f_cont), w_n = C(z, n) f^n (1 − f)^(z−n), contact fraction n/z (n = 0: no SE
    /// contact, the particle takes no part). A non-integer z = ⌊z⌋ + t mixes the packings of ⌊z⌋ and ⌊z⌋ + 1
    /// neighbours with weights 1 − t and t, so that the classes change continuously with z (the mean contact
    /// fraction stays f_cont). Classes below 1e-12 of the CAM are left out.
    public var contactClasses: [ContactClass] {
        let mean = contactFraction
        guard let z = contactCoordination, z >= 1 else { return [ContactClass(weight: 1, contactFraction: mean)] }
        let probability = min(max(mean, 0), 1)
        let lower = Int(z.rounded(.down))
        let upperShare = z - Double(lower)
        var isolated = 0.0
        var classes: [ContactClass] = []
        for (neighbours, share) in [(lower, 1 - upperShare), (lower + 1, upperShare)] where share > 0 {
            for n in 0...neighbours {
                let weight =
                    share * ContactClass.binomialWeight(trials: neighbours, successes: n, probability: probability)
                if n == 0 {
                    isolated += weight
                } else if weight >= 1e-12 {
                    classes.append(ContactClass(weight: weight, contactFraction: Double(n) / Double(neighbours)))
                }
            }
        }
        return (isolated >= 1e-12 ? [ContactClass(weight: isolated, contactFraction: 0)] : []) + classes
    }
    /// The share of the CAM with no contact to the connected SE (the n = 0 class; 0 with one class).
    public var uncontactedShare: Double { ContactClass.uncontactedShare(of: contactClasses) }
    /// dθ under a contact spot per unit contact current density, 8b/(3π F D_p c_max) [m² A⁻¹] (0 without spots).
    public var spotStoichiometryPerCurrent: Double {
        8 * contactSpotRadius / (3 * Double.pi * PhysicalConstants.faraday * particleDiffusivity * maxConcentration)
    }
    /// Active (CAM/SE contact) area per electrode volume a = 3 φ_CAM f_cont / R_p [m⁻¹].
    public var specificArea: Double { specificAreaOverride ?? 3 * camVolumeFraction * contactFraction / particleRadius }
    public var effectiveIonicConductivity: Double { ionicTransport.conductivity(seFraction: electrolyteVolumeFraction) }
    public var effectiveElectronicConductivity: Double { electronicConductivity * pow(camVolumeFraction, 1.5) }
    public var oneCCurrentDensity: Double { ratedCapacityMilliampHoursPerGram * 3.6 * 1000 * massLoading / 3600 }
    public var separatorResistance: Double { separator.reduce(0) { $0 + $1.resistance } }
    public var theoreticalCapacityMilliampHoursPerGram: Double {
        PhysicalConstants.faraday * maxConcentration / (3.6 * activeDensity * 1000)
    }
}

public struct CompositeNumerics: Sendable, Equatable, Codable {
    public var electrodeCells: Int
    public var particleShells: Int
    public var absoluteTolerance: Double
    public var relativeTolerance: Double
    public var maxStepFraction: Double
    public var cutoffTolerance: Double
    public init(
        electrodeCells: Int = 30, particleShells: Int = 20, absoluteTolerance: Double = 1e-5,
        relativeTolerance: Double = 1e-5,
        maxStepFraction: Double = 0.02, cutoffTolerance: Double = 1e-4
    ) {
        self.electrodeCells = electrodeCells
        self.particleShells = particleShells
        self.absoluteTolerance = absoluteTolerance
        self.relativeTolerance = relativeTolerance
        self.maxStepFraction = maxStepFraction
        self.cutoffTolerance = cutoffTolerance
    }
}

public struct CompositeSetup: Sendable, Equatable, Codable {
    public var cell: CompositeCell
    public var cRate: Double
    public var numerics: CompositeNumerics
    public init(cell: CompositeCell, cRate: Double = 1, numerics: CompositeNumerics = CompositeNumerics()) {
        self.cell = cell
        self.cRate = cRate
        self.numerics = numerics
    }
}

/// Named, cited composite parameter sets.
public struct CompositeParameterSet: Sendable {
    public let name: String
    public let summary: String
    public let cell: CompositeCell
    public let sources: [String: ParameterSource]
    public var citations: [Citation] { Set(sources.values.compactMap { References.citation($0.citationKey) }).sorted() }

    /// Model D defaults of physics.md §5.3 with the percolation law (φ_c = 0.2, t = 2, σ₀ = 0.1 S m⁻¹),
    /// the separator and Li/In counter electrode of the paper's half-cell, and the dense cathode's CAM loading.
    public static let composite: CompositeParameterSet = {
        let dense = Dense1DParameterSet.paperHalfCell.cell
        let cell = CompositeCell(
            camWeightFraction: 0.7, activeDensity: LithiumCobaltOxide.density, inactiveDensity: 1900, porosity: 0.0515,
            massLoading: dense.massLoading, electrolyteShareOfInactive: 1, particleRadius: 2.5e-6,
            particleDiffusivity: 1e-15,
            maxConcentration: LithiumCobaltOxide.maxConcentration, ocp: .ramadass2004,
            initialStoichiometry: Dense1DParameterSet.paperCalibratedInitialStoichiometry, exchangeCurrentDensity: 1.0,
            contact: .electrolyteShare, ionicTransport: .percolation(bulk: 0.1, threshold: 0.2, exponent: 2),
            electronicConductivity: 10, separator: dense.separator, counterElectrode: dense.counterElectrode,
            temperature: PhysicalConstants.roomTemperature, ratedCapacityMilliampHoursPerGram: 140, lowerCutoffVsLi: 3.0
        )
        let s = "CathodeLabPhysics"
        let p = "Naik2025"
        return CompositeParameterSet(
            name: "composite",
            summary:
                "Composite LCO/Li6PS5Cl cathode with the dense cathode's CAM loading, percolation transport (physics.md §5).",
            cell: cell,
            sources: [
                "camWeightPercent": ParameterSource(.published, p, "swept 50–95 wt%, Fig. 7"),
                "inactiveDensityKgPerM3": ParameterSource(
                    .derived, s, "1.90 g cm⁻³ inverted from the paper's Fig. 7 energies (§6.1)"),
                "porosity": ParameterSource(.derived, s, "same residual porosity as the dense cathode (§5.1)"),
                "massLoadingMilligramsPerCm2": ParameterSource(
                    .published, p, "CAM amount held equal to the dense cathode, Fig. 7"),
                "particleRadiusMicrometres": ParameterSource(
                    .calibrated, s, "2.5 µm gives ≈ 115 mAh g⁻¹ at 0.5C (§5.3)"),
                "particleDiffusivityCm2PerS": ParameterSource(.published, p, "≈ 1e-11 cm² s⁻¹, ref. 54"),
                "exchangeCurrentDensityAPerM2": ParameterSource(.estimate, s, "1 A m⁻² as for the dense interface"),
                "ionicConductivitySPerM": ParameterSource(.estimate, s, "bulk Li6PS5Cl ≈ 1 mS cm⁻¹"),
                "percolationThreshold": ParameterSource(
                    .estimate, s, "0.20 (continuum percolation ≈ 0.16, Scher and Zallen 1970)"),
                "percolationExponent": ParameterSource(.estimate, s, "t ≈ 2 in 3D (Kirkpatrick 1973)"),
                "electronicConductivitySPerM": ParameterSource(.verified, s, "10 S m⁻¹ as PyBaMM's LCO sets"),
                "initialStoichiometry": ParameterSource(.calibrated, s, "0.5435 as the dense cathode"),
                "ocp": ParameterSource(.verified, "Ramadass2004", "as the dense cathode"),
                "separatorThicknessMicrometres": ParameterSource(.published, p, "250 µm bilayer"),
                "counterElectrodePotentialV": ParameterSource(.verified, "Santhosha2019", "Li/In 0.62 V"),
                "contactCoordinationNumber": ParameterSource(
                    .estimate, "BernalMason1960",
                    "0: every particle at the mean contact fraction; a packing has z ≈ 6 neighbours at random close packing (Bernal and Mason 1960) to 12–14 pressed dense (Fischmeister and Arzt 1983)"
                ),
            ])
    }()

    /// The composite set calibrated to the paper's composite results with Archie's law, fitted on
    /// 2026-11-24 by `cathodelab fit composite-archie` (Levenberg–Marquardt over σ₀, m and R_p; nine targets of
    /// physics.md §7 rows 24–30 and 39 as declared in studies/Composite/CompositeCalibration.swift; cost 5.37,
    /// 25 iterations). Residuals: 120.8 → 119.4 (90 wt%, 0.1C), 117.5 → 117.3 (70 wt%, 0.5C), 90.1 → 90.1
    /// (70 wt%, 1C); the qualitative targets within 1.2σ except "near zero at 90 wt%, 0.5C" (28 mAh g⁻¹, 2.8σ).
    /// The percolation law fitted to the same targets reaches cost 18.8 (it cannot make 80 wt% collapse at 0.5C
    /// while keeping 70 wt%), so Archie's law is the calibrated default. `composite-calibration` re-checks it.
    public static let compositeCalibrated: CompositeParameterSet = {
        var cell = composite.cell
        cell.ionicTransport = .archie(bulk: 0.003975913779093016, exponent: 2.841962942593669)
        cell.particleRadius = 1.9888135936117526e-6
        var sources = composite.sources
        let note =
            "fitted by cathodelab fit composite-archie on 2026-11-24 (cost 5.37) to the paper's composite results"
        sources["ionicConductivitySPerM"] = ParameterSource(.calibrated, "Naik2025", note)
        sources["archieExponent"] = ParameterSource(.calibrated, "Naik2025", note)
        sources["particleRadiusMicrometres"] = ParameterSource(.calibrated, "Naik2025", note)
        sources.removeValue(forKey: "percolationThreshold")
        sources.removeValue(forKey: "percolationExponent")
        return CompositeParameterSet(
            name: "compositeCalibrated",
            summary: "Composite cathode with Archie transport calibrated to the paper's Fig. 7/S13 composite results.",
            cell: cell, sources: sources)
    }()

    public static let all: [CompositeParameterSet] = [composite, compositeCalibrated, PaperCalibratedSets.composite]

    public static func named(_ name: String) throws -> CompositeParameterSet {
        guard let s = all.first(where: { $0.name.lowercased() == name.lowercased() }) else {
            throw ModelInputError.unknownParameterSet(name: name, known: all.map(\.name))
        }
        return s
    }
}
