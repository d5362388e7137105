import Foundation
import Materials

/// The damage laws of the cycling model (issue 15): bulk fracture of the LCO and delamination of the LCO/SE
/// interface, each a strength for nucleation and a Paris law for growth (`FatigueCrackLaw`).
///
/// Which parts are the paper's hypotheses: that stress hotspots at pores, crack tips and void edges (Fig. 5e, f)
/// crack the bulk and delaminate the interface, that cracks run along (003) and block Li across them, and that the
/// two compound into the fade of Fig. 5(a). The laws (Griffith strength, Paris growth, mixed-mode interface
/// intensity) are standard fracture mechanics; their LiCoO₂ and LCO/SE values are estimates inside cited ranges or
/// fitted (see `CyclingParameterRegistry.sources`).
public struct DegradationLaws: Sendable, Equatable, Codable {
    /// σ_f [Pa]: an uncracked cell whose crack-opening stress across its (003) plane reaches σ_f cracks.
    public var bulkStrength: Double
    public var bulk: FatigueCrackLaw
    /// σ_a [Pa]: a bonded interface face whose normal stress reaches σ_a opens.
    public var adhesionStrength: Double
    public var interface: FatigueCrackLaw

    public init(bulkStrength: Double, bulk: FatigueCrackLaw, adhesionStrength: Double, interface: FatigueCrackLaw) {
        self.bulkStrength = bulkStrength
        self.bulk = bulk
        self.adhesionStrength = adhesionStrength
        self.interface = interface
    }

    public func validate() throws {
        for (name, value) in [("bulkStrengthMPa", bulkStrength / 1e6), ("adhesionStrengthMPa", adhesionStrength / 1e6)]
        where !(value.isFinite && value > 0 && value <= 100_000) {
            throw ModelInputError.outOfRange(parameter: name, value: value, allowed: "(0, 100000]", unit: "MPa")
        }
        try bulk.validate(prefix: "bulk")
        try interface.validate(prefix: "interface")
    }
}

/// A cycling run described by numbers (sweepable, cacheable): the section and its mechanics, the damage laws and
/// the cycle-jumping control.
public struct CyclingSpec: Sendable, Equatable, Codable {
    public var section = ChemoMechanicalSpec()
    public var cycles = 75.0
    /// 1 = cycle jumping (damage extrapolated over several cycles between discharges), 0 = a discharge every cycle.
    public var cycleJumping = 1.0
    /// The longest jump [cycles].
    public var maximumJumpCycles = 10.0
    /// Structural events (interface faces opening; for the bulk, cells cracking by fatigue) allowed in one jump
    /// before the next discharge and stress solve: the error control of the jump.
    public var eventsPerJump = 2.0
    /// Fields are recorded at cycle 1 and every this many cycles (and at the last).
    public var recordIntervalCycles = 25.0
    /// Further cycles at which fields are recorded (each is solved, not jumped over).
    public var recordCycles: [Int] = []
    public var bulkStrengthMPa = CyclingDefaults.bulkStrengthMPa
    public var bulkToughnessMPaSqrtM = CyclingDefaults.bulkToughnessMPaSqrtM
    public var bulkParisRateMetresPerCycle = CyclingDefaults.bulkParisRate
    public var bulkParisExponent = CyclingDefaults.bulkParisExponent
    public var bulkThresholdRatio = CyclingDefaults.thresholdRatio
    public var adhesionStrengthMPa = CyclingDefaults.adhesionStrengthMPa
    public var interfaceToughnessMPaSqrtM = CyclingDefaults.interfaceToughnessMPaSqrtM
    public var interfaceParisRateMetresPerCycle = CyclingDefaults.interfaceParisRate
    public var interfaceParisExponent = CyclingDefaults.interfaceParisExponent
    public var interfaceThresholdRatio = CyclingDefaults.thresholdRatio

    public init() {
        section.diffusion.stepsPerNominal = 50
    }

    public var laws: DegradationLaws {
        DegradationLaws(
            bulkStrength: bulkStrengthMPa * 1e6,
            bulk: FatigueCrackLaw(
                toughness: bulkToughnessMPaSqrtM * 1e6, rateAtToughness: bulkParisRateMetresPerCycle,
                exponent: bulkParisExponent, thresholdRatio: bulkThresholdRatio),
            adhesionStrength: adhesionStrengthMPa * 1e6,
            interface: FatigueCrackLaw(
                toughness: interfaceToughnessMPaSqrtM * 1e6, rateAtToughness: interfaceParisRateMetresPerCycle,
                exponent: interfaceParisExponent, thresholdRatio: interfaceThresholdRatio))
    }
}

/// Defaults of the damage laws, with their sources in `CyclingParameterRegistry.sources`.
public enum CyclingDefaults {
    public static let bulkToughnessMPaSqrtM = 0.5
    /// Griffith strength K_c/√(π a₀) of an intrinsic flaw a₀ = 50 nm at K_c = 0.5 MPa m^½.
    public static let bulkStrengthMPa = (0.5e6 / (Double.pi * 50e-9).squareRoot() / 1e6).rounded()
    public static let bulkParisRate = 1e-7
    public static let bulkParisExponent = 10.0
    public static let thresholdRatio = 0.3
    /// K_Ic/√(πa) with K_Ic = 0.23 MPa m^½ (McGrogan2017) and a = 1 µm: the upper end of the 41–130 MPa of a = 1–10 µm.
    public static let adhesionStrengthMPa = 130.0
    public static let interfaceToughnessMPaSqrtM = 0.5
    /// The interface Paris law fitted to Fig. 5(a) (`cathodelab calibrate cycling`).
    public static let interfaceParisRate = CyclingCalibratedValues.interfaceParisRateMetresPerCycle
    public static let interfaceParisExponent = CyclingCalibratedValues.interfaceParisExponent
}

/// One discharge of a cycling run (a cycle at which Model B and Model C were solved).
public struct CyclingSolve: Sendable, Codable, Equatable {
    public var cycle: Int
    public var capacity: Double
    public var contactFraction: Double
    /// Cracked fraction of the solid cells.
    public var crackedFraction: Double
    /// Cells cracked across the through-thickness direction (misoriented grains, cracks ∥ CC) per solid cell.
    public var blockingCrackedFraction: Double
}

/// Fields of a cycling run at one recorded cycle: the damage before that cycle's discharge and its end state.
public struct CyclingSnapshot: Sendable, Codable, Equatable {
    public var cycle: Int
    public var capacity: Double
    /// θ at the end of the discharge (holes NaN), row-major i·ny + j.
    public var theta: [Double]
    public var cracked: [Bool]
    public var contact: [Bool]
    /// Crack-opening stress across (003) at the end of the discharge [Pa] (holes 0).
    public var openingStress: [Double]
}

/// The output of a cycling run.
public struct CyclingResult: Sendable, Codable, Equatable {
    /// Capacity of every cycle 1…N [mAh g⁻¹]. Cycles inside a jump (`solvedCycle` false) take the capacity of the
    /// discharge before the jump up to its first structural event and of the discharge after it from then on (between
    /// events the structure, and so the discharge, does not change).
    public var capacity: [Double] = []
    public var solvedCycle: [Bool] = []
    public var solves: [CyclingSolve] = []
    public var snapshots: [CyclingSnapshot] = []
    public var nx = 0, ny = 0
    public var thickness = 0.0, width = 0.0
    public var hole: [Bool] = []
    /// Li-layer direction φ_g per cell [rad].
    public var cellAngle: [Double] = []
    public var liquid = false
    /// Discharges actually solved (a discharge whose inputs did not change is reused, `CyclingRunner`).
    public var dischargesComputed = 0
    /// Why the cycling stopped early (the interface fully delaminated, the discharge could not start), or nil.
    public var stoppedEarly: String?

    /// Q_N/Q_1.
    public var retention: [Double] {
        guard let first = capacity.first, first > 0 else { return capacity.map { _ in 0 } }
        return capacity.map { $0 / first }
    }
}

/// Cycles a dense-cathode section with damage (issue 15): each solved cycle is a Model B discharge at the C-rate
/// from the charged state θ₀ (a CC-CV charge is assumed to restore θ₀ everywhere [E]) with the current cracks and
/// contact, then Model C's stress at the end of discharge (stress-free at θ₀, so the stress at the end of discharge is
/// the cycle's stress range). The damage of that cycle follows: strength nucleation (bulk cells, interface faces),
/// then fatigue growth of the bulk cracks (`CrackNetwork`) and of the interface voids (`InterfaceDelamination`) under
/// that stress range. With cycle jumping the growth continues at the same stresses for up to `maximumJumpCycles`
/// cycles or until `eventsPerJump` structural events, whichever comes first, before the next discharge.
///
/// Coupling: a cracked cell blocks Li across its (003) plane (`Microstructure.cracked`, D_s → 0 there); an open face
/// stops the reaction there and, in the bonded SE layer of Model C, leaves a traction-free gap. The stress intensity
/// of a bulk crack is the LEFM estimate from the stress of the uncracked section (cracks are not removed from Model
/// C's mesh). In a liquid cell (`liquidElectrolyte` = 1) the liquid wets the cracks and the whole top: cracks do not
/// block (wetted cracks are taken as neutral, the area they add is not modelled) and the interface cannot
/// delaminate; its Model C interface is free.
public enum CyclingRunner {
    /// Bulk cells allowed to crack by fatigue in one jump, as a fraction of the solid cells.
    static let bulkEventFraction = 0.01
    /// The most cycles a run without cycle jumping may ask for (each one a discharge and a stress solve).
    public static let cycleBudgetWithoutJumping = 200

    /// What a discharge depends on besides the fixed set-up.
    struct DischargeInputs: Equatable {
        var contact: [Bool]
        var cracked: [Bool]?
    }

    public static func run(
        _ spec: CyclingSpec, microstructure given: Microstructure? = nil, progress: ((String) -> Void)? = nil
    ) throws -> CyclingResult {
        var setup = try spec.section.diffusion.setup()
        if let given { setup.microstructure = given }
        setup.snapshotTimes = []
        try setup.validate()
        let laws = spec.laws
        try laws.validate()
        if let bad = spec.recordCycles.first(where: { !(1...Int(spec.cycles)).contains($0) }) {
            throw ModelInputError.outOfRange(
                parameter: "recordCycle", value: Double(bad), allowed: "1–\(Int(spec.cycles)) (the cycles run)",
                unit: "")
        }
        if spec.cycleJumping < 0.5 && spec.cycles > Double(cycleBudgetWithoutJumping) {
            throw ModelInputError.outOfRange(
                parameter: "cycles", value: spec.cycles,
                allowed:
                    "1–\(cycleBudgetWithoutJumping) without cycle jumping (each cycle is a discharge and a stress solve; set cycleJumping=1 for longer runs)",
                unit: "")
        }
        let liquid = setup.liquid != nil
        var mechanics = try spec.section.mechanics(width: setup.microstructure.width)
        if liquid { mechanics.interface = .free }
        let cycles = Int(spec.cycles)
        let jumping = spec.cycleJumping > 0.5
        let maximumJump = max(1, Int(spec.maximumJumpCycles))
        let interval = max(1, Int(spec.recordIntervalCycles))

        var m = setup.microstructure
        m.cracked = Array(repeating: false, count: m.nx * m.ny)
        var network = CrackNetwork(microstructure: m)
        var delamination = InterfaceDelamination(microstructure: m)
        let cellAngle = (0..<(m.nx * m.ny)).map { m.grainAngles[m.grain[$0]] }
        let solidCells = m.hole.filter { !$0 }.count
        let bulkBudget = max(4, Int(bulkEventFraction * Double(solidCells)))
        let interfaceBudget = max(1, Int(spec.eventsPerJump))

        var result = CyclingResult()
        result.nx = m.nx
        result.ny = m.ny
        result.thickness = m.thickness
        result.width = m.width
        result.hole = m.hole
        result.cellAngle = cellAngle
        result.liquid = liquid
        var capacityAt: [Int: Double] = [:]
        var stressModel: ChemoMechanicalModel? = nil
        var lastDischarge: (inputs: DischargeInputs, result: Dense2DResult)? = nil
        /// For a jump starting at cycle N: the last cycle whose discharge still sees N's structure.
        var unchangedUntil: [Int: Int] = [:]
        var modelContact: [Bool] = []

        var cycle = 1
        while cycle <= cycles {
            // Discharge with the damage so far.
            var discharge = setup
            discharge.microstructure.contact = delamination.contact
            discharge.microstructure.cracked = liquid ? nil : network.cracked
            guard liquid || delamination.contact.contains(true) else {
                result.stoppedEarly = "the interface delaminated completely before cycle \(cycle)"
                capacityAt[cycle] = 0
                break
            }
            // The same inputs give the same discharge (always so in a liquid cell, where cracks and contact do not
            // enter it): reuse the last one instead of solving it again.
            let inputs = DischargeInputs(
                contact: discharge.microstructure.contact, cracked: discharge.microstructure.cracked)
            let diffusion: Dense2DResult
            if let last = lastDischarge, last.inputs == inputs {
                diffusion = last.result
            } else {
                diffusion = try Dense2DModel(discharge).run()
                lastDischarge = (inputs, diffusion)
                result.dischargesComputed += 1
            }
            if let failure = diffusion.startFailure {
                result.stoppedEarly = "cycle \(cycle): the discharge could not start (\(failure))"
                capacityAt[cycle] = 0
                break
            }
            capacityAt[cycle] = diffusion.capacity
            let blocking = (0..<network.cracked.count).filter {
                network.cracked[$0] && abs(cos(cellAngle[$0])) < abs(sin(cellAngle[$0]))
            }.count
            result.solves.append(
                CyclingSolve(
                    cycle: cycle, capacity: diffusion.capacity, contactFraction: delamination.contactFraction,
                    crackedFraction: Double(network.cracked.filter { $0 }.count) / Double(solidCells),
                    blockingCrackedFraction: Double(blocking) / Double(solidCells)))
            progress?(
                String(
                    format: "cycle %d: %.2f mAh/g, contact %.3f, cracked %.3f", cycle, diffusion.capacity,
                    delamination.contactFraction, result.solves.last!.crackedFraction))

            // The cycle's stress range: Model C at the end of discharge, stress-free at θ₀.
            if stressModel == nil || modelContact != delamination.contact {
                var mesh = m
                mesh.contact = liquid ? m.contact.map { _ in true } : delamination.contact
                stressModel = try ChemoMechanicalModel(microstructure: mesh, mechanics: mechanics)
                modelContact = delamination.contact
            }
            let theta = diffusion.snapshots.last ?? []
            let reference = mechanics.referenceStoichiometry ?? diffusion.initialStoichiometry
            let field = stressModel!.stress(theta: theta, reference: reference)
            let opening = (0..<(m.nx * m.ny)).map { k -> Double in
                if m.hole[k] { return 0 }
                let (sx, sy) = (-sin(cellAngle[k]), cos(cellAngle[k]))
                return field.sxx[k] * sx * sx + 2 * field.sxy[k] * sx * sy + field.syy[k] * sy * sy
            }
            let top = (0..<m.ny).map { m.index(m.nx - 1, $0) }
            let normal = top.map { m.hole[$0] ? 0 : field.sxx[$0] }
            let shear = top.map { m.hole[$0] ? 0 : field.sxy[$0] }

            if cycle == 1 || cycle % interval == 0 || cycle == cycles || spec.recordCycles.contains(cycle) {
                result.snapshots.append(
                    CyclingSnapshot(
                        cycle: cycle, capacity: diffusion.capacity, theta: theta, cracked: network.cracked,
                        contact: delamination.contact, openingStress: opening))
            }
            if cycle == cycles { break }

            // Damage of this cycle: nucleation at strength, then fatigue growth over the jump.
            var nucleated = 0
            for k in 0..<(m.nx * m.ny) where !m.hole[k] && !network.cracked[k] && opening[k] >= laws.bulkStrength {
                network.nucleate(cell: k, grainAngle: cellAngle[k])
                nucleated += 1
            }
            if !liquid { nucleated += delamination.nucleate(normal: normal, strength: laws.adhesionStrength) }
            let nextRecord = min(
                cycles, (cycle / interval + 1) * interval, spec.recordCycles.filter { $0 > cycle }.min() ?? cycles)
            // No jump right after a nucleation: the structure has just changed, so the next cycle's stress is new.
            let longest = jumping && nucleated == 0 ? min(maximumJump, nextRecord - cycle) : 1
            let grainAngle: (Int) -> Double = { cellAngle[$0] }
            // The damage grows cycle by cycle (the Paris law is a per-cycle map: a_{N+1} = a_N + da/dN(a_N)), also
            // inside a jump, where only the discharge and the stress are not solved again: that is cheap, and it
            // keeps a jump on the cycle-by-cycle result between structural events.
            func grow(
                _ n: inout CrackNetwork, _ d: inout InterfaceDelamination, cycles budget: Double,
                limit: (bulk: Int, interface: Int)?, firstEvent: inout Double?
            ) -> Double {
                func noteEvent(_ at: Double) { firstEvent = min(firstEvent ?? at, at) }
                // Interface first (its events are the costly ones), then the bulk up to the cycles the interface did.
                var doneInterface = 0.0
                var interfaceEvents = 0
                let bonded = d.contact.filter { $0 }.count
                if !liquid {
                    while doneInterface < budget - 1e-9 {
                        let step = d.advance(
                            cycles: budget - doneInterface, normal: normal, shear: shear, law: laws.interface,
                            jump: false)
                        doneInterface += step.cycles
                        if step.changed { noteEvent(doneInterface) }
                        interfaceEvents = bonded - d.contact.filter { $0 }.count
                        if let limit, interfaceEvents >= limit.interface { break }
                        if !step.changed && step.cycles == 0 { break }
                    }
                } else {
                    doneInterface = budget
                }
                let bulkBudget = min(budget, doneInterface)
                var doneBulk = 0.0
                var bulkEvents = 0
                let cracked = n.cracked.filter { $0 }.count
                while doneBulk < bulkBudget - 1e-9 {
                    let step = n.advance(
                        cycles: bulkBudget - doneBulk, openingStress: opening, hole: m.hole, grainAngleOf: grainAngle,
                        law: laws.bulk, jump: false)
                    doneBulk += step.cycles
                    if step.changed { noteEvent(doneBulk) }
                    bulkEvents = n.cracked.filter { $0 }.count - cracked
                    if let limit, bulkEvents >= limit.bulk { break }
                    if !step.changed && step.cycles == 0 { break }
                }
                return min(doneInterface, doneBulk)
            }
            var jump = 1
            if longest > 1 {
                // Trial: how far the damage can go before the event budget is spent.
                var trialNetwork = network
                var trialDelamination = delamination
                var ignored: Double? = nil
                let reach = grow(
                    &trialNetwork, &trialDelamination, cycles: Double(longest),
                    limit: (bulkBudget, interfaceBudget), firstEvent: &ignored)
                jump = max(1, min(longest, Int(reach.rounded(.down))))
            }
            var firstEvent: Double? = nil
            _ = grow(&network, &delamination, cycles: Double(jump), limit: nil, firstEvent: &firstEvent)
            // The cycles inside the jump see the old structure until the first event (the discharge of cycle
            // N + k sees the damage grown in the k cycles after N's).
            if jump > 1 { unchangedUntil[cycle] = cycle + Int((firstEvent ?? Double(jump)).rounded(.up)) - 1 }
            cycle += jump
        }

        // Capacity per cycle: solved cycles exact; inside a jump the structure, and so the discharge, is that of the
        // jump's start until its first event and that of the next discharge after it.
        let solved = capacityAt.keys.sorted()
        let last = result.stoppedEarly == nil ? cycles : (solved.last ?? 1)
        for n in 1...max(1, last) {
            if let q = capacityAt[n] {
                result.capacity.append(q)
                result.solvedCycle.append(true)
            } else {
                let before = solved.last { $0 < n } ?? n
                let after = solved.first { $0 > n } ?? before
                let unchanged = unchangedUntil[before] ?? after
                result.capacity.append(capacityAt[n <= unchanged ? before : after] ?? 0)
                result.solvedCycle.append(false)
            }
        }
        if result.stoppedEarly != nil, result.capacity.count < cycles {
            // No capacity after the interface is gone or the discharge cannot start.
            for _ in result.capacity.count..<cycles {
                result.capacity.append(0)
                result.solvedCycle.append(true)
            }
        }
        return result
    }
}
