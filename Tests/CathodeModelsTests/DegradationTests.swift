import Foundation
import Testing
@testable import CathodeModels
import Materials

/// The fatigue laws of the cycling model (issue 15) against their hand-integrated forms.
@Suite struct DegradationTests {
    /// K_c = 1 MPa m^½, C = 1e-9 m per cycle, m = 10, K_th = 0.3 K_c.
    let law = FatigueCrackLaw(toughness: 1e6, rateAtToughness: 1e-9, exponent: 10, thresholdRatio: 0.3)

    /// Cycle by cycle (explicit, one cycle per step) a crack of half-length 0.5 µm under Δσ = 400 MPa grows as the
    /// closed-form integral of the Paris law says: the cycles to reach 1 µm agree within 0.5 %.
    @Test func parisGrowthMatchesTheClosedForm() {
        let stress = 400e6
        var a = 0.5e-6
        var cycles = 0
        while a < 1e-6 {
            a += law.growthPerCycle(stressIntensity: law.stressIntensity(stressRange: stress, halfLength: a))
            cycles += 1
        }
        let exact = law.cycles(from: 0.5e-6, to: 1e-6, stressRange: stress)
        #expect(exact > 1000)
        #expect(abs(Double(cycles) - exact) / exact < 5e-3, "\(cycles) cycles vs \(exact)")
    }

    /// Below the threshold nothing grows (no damage below threshold); at the toughness the growth is unstable.
    @Test func thresholdAndToughness() {
        let a = 0.25e-6
        let threshold = law.thresholdRatio * law.toughness / (law.geometryFactor * (Double.pi * a).squareRoot())
        #expect(
            law.growthPerCycle(stressIntensity: law.stressIntensity(stressRange: 0.99 * threshold, halfLength: a)) == 0)
        #expect(
            law.growthPerCycle(stressIntensity: law.stressIntensity(stressRange: 1.01 * threshold, halfLength: a)) > 0)
        #expect(law.cycles(from: a, to: 2 * a, stressRange: 0.99 * threshold) == .infinity)
        #expect(law.growthPerCycle(stressIntensity: law.toughness) == .infinity)
        #expect(law.growthPerCycle(stressIntensity: law.stressIntensity(stressRange: -1e9, halfLength: a)) == 0)
    }

    @Test func badLawValuesAreNamed() {
        var bad = law
        bad.toughness = -1
        do {
            try bad.validate(prefix: "lco")
            Issue.record("accepted a negative toughness")
        } catch { #expect("\(error)".contains("lcoToughnessMPaSqrtM")) }
    }
}

/// The crack network on a grid: a single pre-cracked cell under a uniform opening stress grows as the Paris law
/// integrated by hand, cycle by cycle and by cycle jumps alike, along the (003) plane of its grain.
@Suite struct CrackNetworkTests {
    /// m = 4, no threshold, C = 1e-7 m per cycle: at 300 MPa the crack grows from 1 to 21 cells of 0.05 µm in about
    /// 4800 cycles, so the whole-cycle events of the step-by-step integration shift it by < 0.1 %.
    let law = FatigueCrackLaw(toughness: 1e6, rateAtToughness: 1e-7, exponent: 4, thresholdRatio: 0)
    let section = Microstructure.uniform(nx: 120, ny: 3, thickness: 6e-6, width: 0.15e-6)

    func grow(jump: Bool, stress: Double, cells target: Int, angle: Double = 0) -> (cycles: Double, net: CrackNetwork) {
        var net = CrackNetwork(microstructure: section)
        net.nucleate(cell: section.index(60, 1), grainAngle: angle)
        let opening = [Double](repeating: stress, count: section.nx * section.ny)
        var total = 0.0
        var guardCount = 0
        while net.cracked.filter({ $0 }).count < target && guardCount < 10_000 {
            guardCount += 1
            let step = net.advance(
                cycles: 1e7, openingStress: opening, hole: section.hole, grainAngleOf: { _ in angle }, law: law,
                jump: jump)
            total += step.cycles
        }
        return (total, net)
    }

    @Test func preCrackedCellGrowsAsTheHandIntegratedLaw() {
        let dx = section.dx
        // 21 cells cracked: half-length from ½Δx to 10.5Δx (the tips' progress restarts at each cell).
        let exact = law.cycles(from: 0.5 * dx, to: 10.5 * dx, stressRange: 300e6)
        let stepwise = grow(jump: false, stress: 300e6, cells: 21)
        let jumped = grow(jump: true, stress: 300e6, cells: 21)
        #expect(exact > 4000)
        #expect(abs(stepwise.cycles - exact) / exact < 0.005, "cycle by cycle \(stepwise.cycles) vs \(exact)")
        #expect(abs(jumped.cycles - exact) / exact < 1e-3, "jumps \(jumped.cycles) vs \(exact)")
        #expect(abs(jumped.cycles - stepwise.cycles) / stepwise.cycles < 0.01)
        // Along x (the Li layers of an oriented grain, ⟂ CC): the cracked cells form one column.
        #expect(stepwise.net.cracked.enumerated().filter(\.element).allSatisfy { $0.offset % 3 == 1 })
    }

    @Test func noGrowthBelowTheThreshold() {
        var law = self.law
        law.thresholdRatio = 0.5
        var net = CrackNetwork(microstructure: section)
        net.nucleate(cell: section.index(60, 1), grainAngle: 0)
        let a = 0.5 * section.dx
        let below = 0.99 * law.thresholdRatio * law.toughness / (Double.pi * a).squareRoot()
        let step = net.advance(
            cycles: 1e9, openingStress: Array(repeating: below, count: 360), hole: section.hole,
            grainAngleOf: { _ in 0 }, law: law, jump: true)
        #expect(!step.changed)
        #expect(net.cracked.filter { $0 }.count == 1)
        #expect(net.cracks[0].tips.allSatisfy { $0.progress == 0 })
    }

    @Test func misorientedGrainsCrackParallelToTheCollector() {
        let net = CrackNetwork(microstructure: .uniform(nx: 3, ny: 40, thickness: 0.15e-6, width: 2e-6))
        #expect(CrackNetwork.step(angle: .pi / 2) == (0, 1))
        #expect(CrackNetwork.step(angle: 0) == (1, 0))
        #expect(net.cracks.isEmpty)
    }
}

/// A crack blocks Model B's transport across its (003) plane and nothing else.
@Suite struct CrackedCellTransportTests {
    func cell() -> Dense1DCell {
        var c = Dense1DParameterSet.paperHalfCell.cell
        c.porosity = 0
        c.diffusivity = .constant(1.1e-13)
        return c
    }

    /// Oriented grain (layers along x), closed sides, contact only left of column 6: a crack through column 6
    /// (along x, the (003) plane of the grain) cuts the right part off: its cells keep θ₀ exactly, while without the
    /// crack Li reaches them across the layers. Li = charge/F either way.
    @Test func aCrackedColumnCutsOffTheRegionBehindIt() throws {
        var m = Microstructure.uniform(nx: 12, ny: 12, thickness: 23.1e-6, width: 10e-6, periodic: false)
        for j in 6..<12 { m.contact[j] = false }
        func run(_ section: Microstructure) throws -> Dense2DResult {
            try Dense2DModel(
                Dense2DSetup(
                    cell: cell(), microstructure: section, anisotropyRatio: 0.05, cRate: 0.5, stepsPerNominal: 60)
            ).run()
        }
        var cut = m
        cut.cracked = (0..<(12 * 12)).map { $0 % 12 == 6 }
        let open = try run(m)
        let blocked = try run(cut)
        let theta0 = open.initialStoichiometry
        let behind = (0..<12).flatMap { i in (7..<12).map { i * 12 + $0 } }
        #expect(behind.allSatisfy { abs(blocked.snapshots.last![$0] - theta0) < 1e-12 })
        #expect(behind.contains { open.snapshots.last![$0] > theta0 + 1e-3 })
        for r in [open, blocked] {
            let inserted = (r.finalLithium - r.initialLithium) * PhysicalConstants.faraday
            #expect(abs(inserted - r.chargePassed) / r.chargePassed < 1e-8)
        }
        var wrong = m
        wrong.cracked = [true]
        do {
            _ = try run(wrong)
            Issue.record("accepted a crack mask of the wrong size")
        } catch { #expect("\(error)".contains("microstructure.cracked")) }
    }
}
