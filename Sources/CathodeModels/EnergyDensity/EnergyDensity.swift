import Foundation
import Materials

/// Electrode-level energy densities (shared/docs/physics.md §6.1; the definition that reproduces every
/// energy number of Naik et al. 2025, Fig. 7 and S13).
///
/// Counted mass: the cathode layer only — CAM + SE + carbon + binder (pores weigh nothing); no current
/// collector. Counted volume: the cathode layer including its pores; no current collector. With Q the
/// CAM-specific capacity [mAh g⁻¹], V̄ the mean voltage [V], w the CAM mass fraction and ρ_e the electrode
/// density [kg L⁻¹ = g cm⁻³]:
///
///     E_g [Wh kg⁻¹] = w · Q · V̄,     E_v [Wh L⁻¹] = E_g · ρ_e.
///
/// `paperNominal` uses V̄ = 3.757 V, the mean voltage implied by the paper's 526 Wh kg⁻¹ at 140 mAh g⁻¹;
/// `integrated` uses the simulated ∫V dQ / Q vs Li/Li⁺.
public enum ElectrodeEnergy {
    public static let paperNominalVoltage = 3.757

    public static func gravimetric(
        capacityMilliampHoursPerGram q: Double, camWeightFraction w: Double, meanVoltage v: Double = paperNominalVoltage
    ) -> Double {
        w * q * v
    }

    public static func volumetric(gravimetric eg: Double, electrodeDensityKgPerM3 rho: Double) -> Double {
        eg * rho / 1000
    }

    /// The theoretical values at the rated 140 mAh g⁻¹.
    public static func theoretical(camWeightFraction w: Double, electrodeDensityKgPerM3 rho: Double) -> (
        gravimetric: Double, volumetric: Double
    ) {
        let eg = gravimetric(
            capacityMilliampHoursPerGram: LithiumCobaltOxide.practicalCapacityMilliampHoursPerGram, camWeightFraction: w
        )
        return (eg, volumetric(gravimetric: eg, electrodeDensityKgPerM3: rho))
    }
}

/// Stack-level theoretical energy density of an anode | separator | cathode stack (current collectors
/// excluded), the basis of the paper's Fig. 1(b) (physics.md §6.2).
///
///     E_g = Q_A V̄ / (m_anode + m_separator + m_cathode),   E_v = Q_A V̄ / (t_anode + t_separator + t_cathode).
public struct StackDesign: Sendable, Equatable, Codable {
    public enum Anode: Sendable, Equatable, Codable {
        /// Graphite + SE composite: mass fraction, porosity, n/p ratio (372 mAh g⁻¹, 2.26 g cm⁻³, 0.10 V vs Li [E]).
        case graphiteComposite(graphiteWeightFraction: Double, porosity: Double, nOverP: Double)
        /// Li metal foil: n/p ratio (3860 mAh g⁻¹ [P], 0.534 g cm⁻³ [D]).
        case lithiumMetal(nOverP: Double)
    }
    public enum Cathode: Sendable, Equatable, Codable {
        case composite(camWeightFraction: Double, porosity: Double)
        case dense(porosity: Double)
    }

    public var name: String
    public var anode: Anode
    public var cathode: Cathode
    /// Areal capacity Q_A [mAh cm⁻²].
    public var arealCapacityMilliampHoursPerCm2: Double
    public var separatorThicknessMicrometres: Double
    /// Densities [g cm⁻³].
    public var electrolyteDensity = 1.865
    public var lcoDensity = LithiumCobaltOxide.density / 1000
    public var graphiteDensity = 2.26
    public var lithiumDensity = 0.534
    public var graphiteCapacity = 372.0
    public var lithiumCapacity = 3860.0
    public var lcoCapacity = LithiumCobaltOxide.practicalCapacityMilliampHoursPerGram
    public var cellVoltageWithLithium = ElectrodeEnergy.paperNominalVoltage
    public var graphitePotential = 0.10

    public struct Layer: Sendable, Equatable, Codable {
        public let name: String
        public let massMilligramsPerCm2: Double
        public let thicknessMicrometres: Double
    }

    public var layers: [Layer] {
        let qa = arealCapacityMilliampHoursPerCm2
        let anodeLayer: Layer
        switch anode {
        case let .graphiteComposite(w, eps, np):
            let m = np * qa / (graphiteCapacity * w)  // g cm⁻²
            let t = m * (w / graphiteDensity + (1 - w) / electrolyteDensity) / (1 - eps)  // cm
            anodeLayer = Layer(
                name: "graphite composite anode", massMilligramsPerCm2: m * 1000, thicknessMicrometres: t * 1e4)
        case let .lithiumMetal(np):
            let m = np * qa / lithiumCapacity
            anodeLayer = Layer(
                name: "Li metal anode", massMilligramsPerCm2: m * 1000, thicknessMicrometres: m / lithiumDensity * 1e4)
        }
        let sep = separatorThicknessMicrometres
        let separatorLayer = Layer(
            name: "SE separator", massMilligramsPerCm2: electrolyteDensity * sep * 1e-4 * 1000,
            thicknessMicrometres: sep)
        let cathodeLayer: Layer
        switch cathode {
        case let .composite(w, eps):
            let m = qa / (lcoCapacity * w)
            let rho = (1 - eps) / (w / lcoDensity + (1 - w) / electrolyteDensity)
            cathodeLayer = Layer(
                name: "composite LCO cathode", massMilligramsPerCm2: m * 1000, thicknessMicrometres: m / rho * 1e4)
        case let .dense(eps):
            let m = qa / lcoCapacity
            cathodeLayer = Layer(
                name: "dense LCO cathode", massMilligramsPerCm2: m * 1000,
                thicknessMicrometres: m / ((1 - eps) * lcoDensity) * 1e4)
        }
        return [anodeLayer, separatorLayer, cathodeLayer]
    }

    public var voltage: Double {
        if case .graphiteComposite = anode { return cellVoltageWithLithium - graphitePotential }
        return cellVoltageWithLithium
    }

    /// [Wh kg⁻¹]
    public var gravimetric: Double {
        arealCapacityMilliampHoursPerCm2 * voltage / layers.reduce(0) { $0 + $1.massMilligramsPerCm2 } * 1000
    }
    /// [Wh L⁻¹]
    public var volumetric: Double {
        arealCapacityMilliampHoursPerCm2 * voltage / (layers.reduce(0) { $0 + $1.thicknessMicrometres } * 1e-4)
    }

    /// The three designs of the paper's Fig. 1(a) for a separator thickness [µm] and a composite-cathode porosity,
    /// the other inputs as in `fig1bDefault` (the two values the paper's ESI S1.1 would fix; physics.md §6.2).
    public static func fig1b(separatorMicrometres: Double, compositePorosity: Double) -> [StackDesign] {
        fig1bDefault.map { design in
            var d = design
            d.separatorThicknessMicrometres = separatorMicrometres
            if case let .composite(w, _) = d.cathode {
                d.cathode = .composite(camWeightFraction: w, porosity: compositePorosity)
            }
            // One cold-pressing porosity for both composite electrodes [E]: the graphite | SE anode is pressed like the
            // LCO | SE cathode, so it gets the same ε.
            if case let .graphiteComposite(w, _, nOverP) = d.anode {
                d.anode = .graphiteComposite(graphiteWeightFraction: w, porosity: compositePorosity, nOverP: nOverP)
            }
            return d
        }
    }

    /// The three designs of the paper's Fig. 1(a) with the `fig1bDefault` assumption set of physics.md §6.2
    /// [C: chosen so the four published increments are matched within about 2 points].
    public static let fig1bDefault: [StackDesign] = [
        StackDesign(
            name: "graphite | composite LCO",
            anode: .graphiteComposite(graphiteWeightFraction: 0.8, porosity: 0.2, nOverP: 1.1),
            cathode: .composite(camWeightFraction: 0.7, porosity: 0.2), arealCapacityMilliampHoursPerCm2: 1.55,
            separatorThicknessMicrometres: 75),
        StackDesign(
            name: "Li metal | composite LCO", anode: .lithiumMetal(nOverP: 1.5),
            cathode: .composite(camWeightFraction: 0.7, porosity: 0.2), arealCapacityMilliampHoursPerCm2: 1.55,
            separatorThicknessMicrometres: 75),
        StackDesign(
            name: "Li metal | dense LCO", anode: .lithiumMetal(nOverP: 1.5),
            cathode: .dense(porosity: 0.0515), arealCapacityMilliampHoursPerCm2: 1.55, separatorThicknessMicrometres: 75
        ),
    ]
}
