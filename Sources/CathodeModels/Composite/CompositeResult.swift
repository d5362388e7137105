import Foundation
import Materials

/// The outcome of a Model D discharge: the voltage curve and the end-of-discharge state through the
/// electrode depth and the particle radius.
public struct CompositeResult: Sendable, Codable, Equatable {
    public enum Termination: String, Sendable, Codable {
        case voltageCutoff = "voltage cut-off"
        case ionicallyBlocked = "ionically blocked (SE network does not carry the current)"
        case timeLimit = "time limit (3 × nominal duration)"
    }

    public var time: [Double] = []
    public var voltage: [Double] = []
    public var voltageVsLi: [Double] = []
    public var capacityMilliampHoursPerGram: [Double] = []
    /// Normalised depth x/L of the cell centres.
    public var depth: [Double] = []
    /// End of discharge: SE potential [V], particle-surface and particle-mean stoichiometry per depth.
    public var electrolytePotential: [Double] = []
    public var surfaceStoichiometry: [Double] = []
    public var meanStoichiometry: [Double] = []
    /// End of discharge: θ(x, r), row-major per depth cell, and the normalised shell centres r/R_p.
    public var particleStoichiometry: [Double] = []
    public var radius: [Double] = []
    public var termination: Termination = .timeLimit
    /// Why the discharge could not start (zero capacity), with the numbers; nil when it ran.
    public var startFailure: String?
    public var steps = 0
    /// Li in the particles at start and end [mol m⁻²] (conservation check) and the charge passed [C m⁻²].
    public var initialLithium = 0.0
    public var finalLithium = 0.0
    public var chargePassed = 0.0
    // Structure used.
    public var thickness = 0.0
    public var camVolumeFraction = 0.0
    public var electrolyteVolumeFraction = 0.0
    public var electrodeDensity = 0.0
    public var camWeightFraction = 0.0
    var massLoading = 0.0
    var maxConcentration = 0.0

    init(cell: CompositeCell, electrodeCells nx: Int, particleShells nr: Int) {
        depth = (0..<nx).map { (Double($0) + 0.5) / Double(nx) }
        radius = (0..<nr).map { (Double($0) + 0.5) / Double(nr) }
        thickness = cell.thickness
        camVolumeFraction = cell.camVolumeFraction
        electrolyteVolumeFraction = cell.electrolyteVolumeFraction
        electrodeDensity = cell.electrodeDensity
        camWeightFraction = cell.camWeightFraction
        massLoading = cell.massLoading
        maxConcentration = cell.maxConcentration
    }

    mutating func record(t: Double, vsLi: Double, charge: Double, counterPotential: Double) {
        time.append(t)
        voltageVsLi.append(vsLi)
        voltage.append(vsLi - counterPotential)
        capacityMilliampHoursPerGram.append(charge / (3600 * massLoading))
        chargePassed = charge
    }

    mutating func finish(
        phiE: [Double], surface: [Double], mean: [Double], particles: [Double], lithium: Double, steps: Int
    ) {
        electrolytePotential = phiE
        surfaceStoichiometry = surface
        meanStoichiometry = mean
        particleStoichiometry = particles.map { $0 / maxConcentration }
        finalLithium = lithium
        self.steps = steps
    }

    /// Delivered CAM-specific capacity [mAh g⁻¹].
    public var capacity: Double { capacityMilliampHoursPerGram.last ?? 0 }
    /// Mean discharge voltage vs Li/Li⁺ [V] from ∫V dQ (trapezoidal); NaN without capacity.
    public var meanVoltageVsLi: Double {
        guard capacity > 0 else { return .nan }
        var e = 0.0
        for k in 1..<time.count {
            e +=
                0.5 * (voltageVsLi[k] + voltageVsLi[k - 1])
                * (capacityMilliampHoursPerGram[k] - capacityMilliampHoursPerGram[k - 1])
        }
        return e / capacity
    }
}
