import Foundation
import Testing
@testable import CathodeModels

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
