import Foundation
import Testing
@testable import CathodeModels

/// Interface delamination (issue 15): a void under a uniform traction grows as the Paris law integrated by hand,
/// by cycle jumps and cycle by cycle; nothing grows below the threshold; strength opens faces only away from voids.
@Suite struct InterfaceDelaminationTests {
    /// K_c = 1 MPa m^½, C = 1e-7 m per cycle, m = 4, no threshold.
    let law = FatigueCrackLaw(toughness: 1e6, rateAtToughness: 1e-7, exponent: 4, thresholdRatio: 0)
    /// 40 faces of 0.5 µm; face 20 open (a void of half-length 0.25 µm).
    func interface() -> InterfaceDelamination {
        var m = Microstructure.uniform(nx: 4, ny: 40, thickness: 4e-6, width: 20e-6)
        m.contact[20] = false
        return InterfaceDelamination(microstructure: m)
    }

    /// Under a uniform normal traction σ = 150 MPa both edges advance together, so the half-length is a = Δy/2 + p
    /// and da/dN = C (σ√(πa)/K_c)^m: the edge faces open when a reaches 3Δy/2, after the closed-form number of cycles
    /// N(0.25 µm → 0.75 µm) ≈ 5.3e3. The adaptive jump lands on it within 0.1 %, one-cycle steps within 0.5 %.
    @Test func voidGrowsAsTheParisLawIntegratedByHand() {
        let stress = 150e6
        let normal = [Double](repeating: stress, count: 40)
        let shear = [Double](repeating: 0, count: 40)
        let exact = law.cycles(from: 0.25e-6, to: 0.75e-6, stressRange: stress)
        #expect(exact > 1e3 && exact < 1e5)
        for jump in [true, false] {
            var d = interface()
            let step = d.advance(cycles: 1e6, normal: normal, shear: shear, law: law, jump: jump)
            #expect(step.changed)
            #expect(abs(step.cycles - exact) / exact < (jump ? 1e-3 : 5e-3), "jump \(jump): \(step.cycles) vs \(exact)")
            #expect(!d.contact[19] && !d.contact[21] && d.contact[18] && d.contact[22])
            #expect(abs(d.contactFraction - 37.0 / 40) < 1e-12)
        }
    }

    /// ΔK below K_th (here 0.5 K_c at a traction of 200 MPa: ΔK = 0.18 MPa m^½) grows nothing in 10⁶ cycles; a pure
    /// shear traction counts less than the same normal one (mode-dependent toughness, ψ = 90°).
    @Test func noGrowthBelowThresholdAndShearCountsLess() {
        var law = law
        law.thresholdRatio = 0.5
        var d = interface()
        let step = d.advance(
            cycles: 1e6, normal: [Double](repeating: 200e6, count: 40), shear: [Double](repeating: 0, count: 40),
            law: law, jump: true)
        #expect(!step.changed)
        #expect(d.progress.allSatisfy { $0 == 0 })
        let open = interface()
        let byNormal = open.rates(
            normal: [Double](repeating: 600e6, count: 40), shear: [Double](repeating: 0, count: 40), law: self.law)
        let byShear = open.rates(
            normal: [Double](repeating: -600e6, count: 40), shear: [Double](repeating: 600e6, count: 40),
            law: self.law)
        #expect(byNormal[19] > 0 && byShear[19] > 0)
        let factor = (1 + pow(tan(0.7 * Double.pi / 2), 2)).squareRoot()
        #expect(abs(byShear[19] / byNormal[19] - pow(1 / factor, 4)) < 1e-12)
    }

    /// σ ≥ σ_a opens a bonded face away from the voids; at a void's edge the fracture criterion governs instead.
    @Test func strengthOpensFacesAwayFromVoidsOnly() {
        var d = interface()
        var normal = [Double](repeating: 0, count: 40)
        normal[5] = 200e6
        normal[21] = 200e6
        #expect(d.nucleate(normal: normal, strength: 130e6) == 1)
        #expect(!d.contact[5] && d.contact[21])
    }
}

/// The cycling driver on a small oriented section (10 × 16 cells, 8 µm wide, one 2 µm void): cycle jumping against
/// a discharge every cycle, the liquid cell, and the input checks.
@Suite struct CyclingRunnerTests {
    /// Every cell cracks in the first cycle (the elastic stresses exceed σ_f) and the void's edges grow fast enough to
    /// lose most of the interface within 50 cycles: a fade in four steps (53 → 4 mAh g⁻¹ at 0.5C). On a flat
    /// interface: on the calibrated set's rough one every face has its own area factor, and there the jumped run
    /// opened a face a cycle apart from the cycle-by-cycle run (10 % of the first capacity at cycle 50) — the step
    /// docs/cycling.md describes, not the extrapolation error this test bounds.
    static func spec(cycles: Int = 50, jumping: Bool = true) throws -> CyclingSpec {
        try CyclingParameterRegistry.spec(
            base: PaperCalibratedSets.paperCalibrated.name,
            numbers: [
                "nx": 10, "ny": 16, "widthMicrometres": 8, "contactFraction": 0.75, "contactPeriodMicrometres": 8,
                "roughnessRmsMicrometres": 0, "cRate": 0.5,
                "interfaceThresholdRatio": 0, "interfaceToughnessMPaSqrtM": 0.2,
                "interfaceParisRateMetresPerCycle": 2e-4, "interfaceParisExponent": 4, "cycles": Double(cycles),
                "cycleJumping": jumping ? 1 : 0,
                "recordIntervalCycles": 25,
            ])
    }

    /// Over 50 cycles the jumped run agrees with the cycle-by-cycle run within 1 % of the first-cycle capacity, both in
    /// the charge delivered over all 50 cycles and in the last cycle's capacity, with less than half the discharges;
    /// a requested record cycle (37) is solved, not jumped over.
    @Test func cycleJumpingAgreesWithCycleByCycle() throws {
        let everyCycle = try CyclingRunner.run(try Self.spec(jumping: false))
        var jumpedSpec = try Self.spec(jumping: true)
        jumpedSpec.recordCycles = [37]
        let jumped = try CyclingRunner.run(jumpedSpec)
        #expect(everyCycle.capacity.count == 50 && jumped.capacity.count == 50)
        #expect(everyCycle.solves.count == 50)
        #expect(jumped.solves.count < 25, "\(jumped.solves.count) discharges")
        let first = everyCycle.capacity[0]
        #expect(everyCycle.capacity.last! < 0.5 * first, "the test needs a fade: \(everyCycle.capacity)")
        let total = everyCycle.capacity.reduce(0, +)
        let totalJumped = jumped.capacity.reduce(0, +)
        #expect(abs(total - totalJumped) / (50 * first) < 0.01, "\(total) vs \(totalJumped)")
        #expect(abs(everyCycle.capacity.last! - jumped.capacity.last!) / first < 0.01)
        #expect(jumped.snapshots.map(\.cycle) == [1, 25, 37, 50])
        #expect(jumped.solvedCycle[36])
    }

    /// A liquid cell wets the cracks and the top: the section cracks, but the interface stays whole, nothing blocks
    /// Li, and the discharge (whose inputs never change) is solved once and reused.
    @Test func liquidCellCracksButDoesNotFade() throws {
        var spec = try Self.spec(cycles: 10)
        spec.section.diffusion.liquidElectrolyte = 1
        spec.section.interfaceCondition = 0
        let run = try CyclingRunner.run(spec)
        #expect(run.liquid)
        #expect(run.dischargesComputed == 1)
        #expect(run.solves.allSatisfy { $0.contactFraction == 0.75 })
        #expect(run.solves.last!.crackedFraction > 0.5)
        #expect(Set(run.capacity).count == 1)
    }

    @Test func badInputIsNamed() throws {
        for (name, value, expected) in [
            ("bulkStrengthMPa", -5.0, "bulkStrengthMPa"), ("adhesionStrengthMPa", 0, "adhesionStrengthMPa"),
            ("interfaceParisExponent", 0.5, "interfaceParisExponent"), ("cycles", 0, "cycles"),
        ] {
            do {
                _ = try CyclingParameterRegistry.spec(
                    base: PaperCalibratedSets.paperCalibrated.name, numbers: [name: value])
                Issue.record("accepted \(name) = \(value)")
            } catch { #expect("\(error)".contains(expected), "\(error)") }
        }
        do {
            _ = try CyclingRunner.run(try Self.spec(cycles: 500, jumping: false))
            Issue.record("accepted 500 cycles without jumping")
        } catch { #expect("\(error)".contains("without cycle jumping"), "\(error)") }
    }
}
