import Foundation
import Materials

/// The outcome of a Model A run: the voltage curve at every accepted step, concentration profiles,
/// and the derived figures of merit.
///
/// Capacity Q [mAh g⁻¹] = ∫I dt / (3600 m_A); by conservation it equals
/// (theoretical capacity)·(θ̄_end − θ̄₀) to round-off. Energy (`integrated` convention) is
/// ∫V dQ by the trapezoidal rule over the stored points; the `paperNominal` energy is Q × 3.757 V
/// (physics.md §1.5, the mean voltage implied by the paper's 526 Wh kg⁻¹ at 140 mAh g⁻¹).
public struct Dense1DResult: Sendable, Codable, Equatable {
    /// Time [s].
    public var time: [Double] = []
    /// Current density [A m⁻²] (> 0 discharge).
    public var current: [Double] = []
    /// Cell voltage vs the counter electrode [V] and cathode potential vs Li/Li⁺ [V].
    public var voltage: [Double] = []
    public var voltageVsLi: [Double] = []
    /// Charge passed [C m⁻²] and capacity [mAh g⁻¹ of active material], [mAh cm⁻²].
    public var chargePassed: [Double] = []
    public var capacityMilliampHoursPerGram: [Double] = []
    public var capacityMilliampHoursPerCm2: [Double] = []
    /// Surface and mean stoichiometry θ_s, θ̄.
    public var surfaceStoichiometry: [Double] = []
    public var meanStoichiometry: [Double] = []
    /// Voltage losses [V], each ≥ 0 in discharge: V_vs Li = U(θ̄) − Σ losses.
    public var concentrationLoss: [Double] = []
    public var kineticLoss: [Double] = []
    public var separatorLoss: [Double] = []
    public var electronicLoss: [Double] = []
    public var counterElectrodeLoss: [Double] = []
    /// U(θ̄) [V vs Li/Li⁺].
    public var meanOpenCircuitPotential: [Double] = []

    /// Normalised depth x/L of the cell centres and the profiles θ(x/L) at `profileTimes` [s].
    public var depth: [Double] = []
    public var profileTimes: [Double] = []
    public var profiles: [[Double]] = []

    public var termination: TerminationReason = .timeLimit
    /// Why the run could not start (termination `.cannotStart`), with the numbers; nil otherwise.
    public var startFailure: String?
    /// Mass loading [kg m⁻²] and theoretical capacity [mAh g⁻¹] used for the conversions.
    public var massLoading: Double = 0
    public var theoreticalCapacity: Double = 0
    public var initialMeanStoichiometry: Double = 0
    public var counterElectrodePotential: Double = 0
    public var steps: Int = 0

    /// Delivered capacity [mAh g⁻¹].
    public var capacity: Double { capacityMilliampHoursPerGram.last ?? 0 }
    public var arealCapacity: Double { capacityMilliampHoursPerCm2.last ?? 0 }
    /// Utilisation of the stoichiometry window below 1: (θ̄_end − θ₀)/(1 − θ₀).
    public var utilisation: Double {
        ((meanStoichiometry.last ?? 0) - initialMeanStoichiometry) / (1 - initialMeanStoichiometry)
    }

    /// Energy per active mass [Wh kg⁻¹ = mWh g⁻¹] from ∫V dQ; vs the counter electrode or vs Li/Li⁺.
    public func energy(vsLithium: Bool) -> Double {
        let v = vsLithium ? voltageVsLi : voltage
        var e = 0.0
        for k in 1..<max(time.count, 1) {
            e += 0.5 * (v[k] + v[k - 1]) * (capacityMilliampHoursPerGram[k] - capacityMilliampHoursPerGram[k - 1])
        }
        return e
    }
    /// Mean discharge voltage [V] = energy / capacity.
    public func meanVoltage(vsLithium: Bool) -> Double { capacity > 0 ? energy(vsLithium: vsLithium) / capacity : .nan }

    /// The paper's nominal voltage convention [V] (526 Wh kg⁻¹ / 140 mAh g⁻¹, physics.md §1.5).
    public static let paperNominalVoltage = 3.757
    /// Energy per active mass with the paper's nominal voltage [Wh kg⁻¹].
    public var paperNominalEnergy: Double { capacity * Self.paperNominalVoltage }
}

/// Collects output points during a run.
struct Dense1DRecorder {
    var result = Dense1DResult()
    let thetaWindowCapacity: Double
    var lastProfileTime = -Double.infinity

    init(engine e: Dense1DEngine) {
        result.massLoading = e.cell.massLoading
        result.theoreticalCapacity = e.cell.theoreticalCapacityMilliampHoursPerGram
        result.initialMeanStoichiometry = e.cell.initialStoichiometry
        result.counterElectrodePotential = e.cell.counterElectrode.potential
        result.depth = e.grid.centres.map { $0 / e.grid.length }
        thetaWindowCapacity = e.cell.theoreticalCapacityMilliampHoursPerGram
    }

    /// Appends the engine's present state; `known` are its voltages when the caller already has them (the
    /// accepted candidate was just evaluated at this current), which saves evaluating them again.
    mutating func record(_ e: Dense1DEngine, current: Double, known: Dense1DEngine.Voltages? = nil) {
        let v = known ?? e.voltages(e.theta, current: current)
        result.time.append(e.t)
        result.current.append(current)
        result.voltage.append(v.cell)
        result.voltageVsLi.append(v.vsLi)
        result.chargePassed.append(e.charge)
        result.capacityMilliampHoursPerGram.append(e.charge / (3600 * result.massLoading))
        // 1 mAh cm⁻² = 3.6 C per 1e-4 m² = 36 000 C m⁻² (physics.md §0, §2.10).
        result.capacityMilliampHoursPerCm2.append(e.charge / 36_000)
        result.surfaceStoichiometry.append(v.surface)
        result.meanStoichiometry.append(v.mean)
        result.concentrationLoss.append(v.concentration)
        result.kineticLoss.append(v.kinetic)
        result.separatorLoss.append(v.separator)
        result.electronicLoss.append(v.electronic)
        result.counterElectrodeLoss.append(v.counter)
        result.meanOpenCircuitPotential.append(e.cell.ocp.voltage(v.mean))
    }

    mutating func recordProfileIfDue(_ e: Dense1DEngine, force: Bool) {
        guard force, e.t > lastProfileTime else { return }
        lastProfileTime = e.t
        result.profileTimes.append(e.t)
        result.profiles.append(e.theta)
    }

    func finish(_ e: Dense1DEngine, reason: TerminationReason) -> Dense1DResult {
        var r = result
        r.termination = reason
        r.steps = e.stepsTaken
        return r
    }
}
