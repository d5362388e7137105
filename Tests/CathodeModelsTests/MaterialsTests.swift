import Foundation
import Testing
@testable import CathodeModels
import Materials

/// Material laws pinned at published or derived points (physics.md §1.2, §2.3, §8.4).
@Suite struct MaterialsTests {
    /// Ramadass (2004) LCO OCP values tabulated in physics.md §2.3 (5 decimals).
    @Test(arguments: [
        (0.48, 4.29144), (0.50, 4.23496), (0.544, 4.15462), (0.60, 4.08137), (0.70, 3.98308), (0.80, 3.91352),
        (0.90, 3.85346), (0.95, 3.78816), (0.98, 3.62990), (0.99, 3.42943), (0.995, 3.16697), (0.999, 2.59935),
        (1.0, 2.29199),
    ])
    func ramadassOCP(_ c: (Double, Double)) {
        #expect(abs(OpenCircuitPotential.ramadass2004.voltage(c.0) - c.1) < 6e-6)
    }

    @Test func ocpSlopeMatchesFiniteDifference() {
        for t in [0.5, 0.7, 0.95, 0.99] {
            let h = 1e-6
            let fd =
                (OpenCircuitPotential.ramadass2004.voltage(t + h) - OpenCircuitPotential.ramadass2004.voltage(t - h))
                / (2 * h)
            #expect(abs(OpenCircuitPotential.ramadass2004.slope(t) - fd) < 1e-5 * max(1, abs(fd)))
        }
    }

    @Test func ocpExtrapolatesLinearlyBelowTheValidRange() {
        let u = OpenCircuitPotential.ramadass2004
        let edge = u.voltage(0.47)
        let slope = u.slope(0.47)
        #expect(abs(u.voltage(0.46) - (edge - 0.01 * slope)) < 1e-12)
        #expect(u.voltage(0.45) < 4.45)  // the raw fit would overshoot to 4.48 V
    }

    @Test func lcoDerivedConstants() {
        #expect(abs(LithiumCobaltOxide.density - 5053) < 1)
        #expect(abs(LithiumCobaltOxide.maxConcentration - 51_630) < 10)
        #expect(abs(LithiumCobaltOxide.theoreticalCapacityMilliampHoursPerGram - 273.85) < 0.01)
    }

    /// physics.md §1.3: 1.55 mAh cm⁻² → 1C = 15.5 A m⁻² for the paper's 23.1 µm, ε_p = 5.15 % cathode.
    @Test func paperHalfCellLoading() {
        let c = Dense1DParameterSet.paperHalfCell.cell
        #expect(abs(c.massLoading - 0.11071) < 2e-4)
        #expect(abs(c.oneCCurrentDensity - 15.5) < 0.03)
        #expect(abs(c.separatorResistance - 2.5e-3) < 1e-12)
    }

    /// Butler–Volmer inversion (physics.md §8.4): i/(2i₀) = 0.1, 1, 10 → η = −5.1300, −45.2895, −154.0642 mV.
    @Test(arguments: [(0.1, -5.1300), (1.0, -45.2895), (10.0, -154.0642)])
    func butlerVolmerInversion(_ c: (Double, Double)) {
        let f = PhysicalConstants.inverseThermalVoltage(298.15)
        let eta = ButlerVolmer.overpotential(current: 2 * c.0, exchangeCurrentDensity: 1, inverseThermalVoltage: f)
        #expect(abs(eta * 1000 - c.1) < 1e-3)
    }

    /// Asymmetric kinetics: the Newton-solved η reproduces the current it was solved for, and
    /// α_a = 0.5 through the Newton path equals the explicit asinh.
    @Test(arguments: [0.3, 0.5, 0.7])
    func butlerVolmerNewtonInversion(alphaA: Double) {
        let f = PhysicalConstants.inverseThermalVoltage(298.15)
        for i in [-30.0, -1, 0.01, 2, 50] {
            let eta = ButlerVolmer.overpotential(
                current: i, exchangeCurrentDensity: 0.7, inverseThermalVoltage: f, anodicTransferCoefficient: alphaA)
            let back = ButlerVolmer.current(
                overpotential: eta, exchangeCurrentDensity: 0.7, inverseThermalVoltage: f,
                anodicTransferCoefficient: alphaA)
            #expect(abs(back - i) < 1e-9 * max(1, abs(i)))
            #expect(eta.sign == (i > 0 ? .minus : .plus))
        }
        let explicit = ButlerVolmer.overpotential(current: 5, exchangeCurrentDensity: 1, inverseThermalVoltage: f)
        let newton = ButlerVolmer.asymmetricOverpotential(current: 5, i0: 1, f: f, alphaA: 0.5, guess: 0)
        #expect(abs(explicit - newton) < 1e-12)
    }

    @Test func electronicConductivityCrossesTheTransition() {
        let s = ElectronicConductivity()
        #expect(abs(s.value(0.5) - 10) < 1e-6)
        // At θ = 1 the logistic has reached 1/(1 + e⁻⁶) of the way to σ_ins.
        let expected = pow(10.0, 1.0 + (-2.0 - 1.0) / (1.0 + Foundation.exp(-6.0)))
        #expect(abs(s.value(1.0) - expected) / expected < 1e-12)
        #expect(abs(s.value(1.0) - 1e-2) / 1e-2 < 0.02)
        #expect(abs(log10(s.value(0.94)) - 0.5 * (log10(10) + log10(1e-2))) < 1e-12)
    }

    /// ∫dx/σ evaluates its two exponentials four cells at a time; per cell (lengths 1 to 17, so every padding of
    /// the last group of four, after none to four whole groups) and summed it must match the plain formula Σ w/σ(θ) with libm's exp (θ from 0 to 1 in
    /// steps of 1e-4, for the default law, a narrow and a wide transition, and σ_metallic = 1 S m⁻¹). Bound: two
    /// exponentials within 2 ulp each, the inner one's error amplified by |ln σ_ins − ln σ_met|/4 ≤ 2: 4e-15.
    @Test func resistivityIntegralMatchesThePlainFormula() {
        let laws = [
            ElectronicConductivity(), ElectronicConductivity(width: 0.002), ElectronicConductivity(width: 0.05),
            ElectronicConductivity(metallic: 1),
        ]
        let thetas = (0...10_000).map { Double($0) * 1e-4 }
        let widths = thetas.map { 1e-8 * (1 + 0.5 * sin(37 * $0)) }
        for law in laws {
            let lm = log(law.metallic)
            let dl = log(law.insulating) - lm
            var plain = 0.0
            for k in thetas.indices {
                plain +=
                    widths[k]
                    * Foundation.exp(-(lm + dl / (1 + Foundation.exp(-(thetas[k] - law.transition) / law.width))))
            }
            var worst = 0.0
            for k in thetas.indices {
                let length = 1 + k % 17
                let cells = (0..<length).map { thetas[(k + $0) % thetas.count] }
                let cellWidths = (0..<length).map { widths[(k + $0) % thetas.count] }
                var reference = 0.0
                for (theta, width) in zip(cells, cellWidths) {
                    reference +=
                        width * Foundation.exp(-(lm + dl / (1 + Foundation.exp(-(theta - law.transition) / law.width))))
                }
                let computed = law.resistivityIntegral(theta: cells, widths: cellWidths)
                worst = max(worst, abs(computed - reference) / reference)
            }
            #expect(worst <= 4e-15, "worst relative difference \(worst)")
            #expect(abs(law.resistivityIntegral(theta: thetas, widths: widths) - plain) <= 1e-12 * plain)
        }
    }

    /// The lattice-strain law (physics.md §4.2): β_c = 2(14.45 − 14.05)/14.05, the full-discharge strains of §8.6,
    /// a table of the linear law reproduces it to first order, and bad tables are rejected.
    @Test func latticeStrainLaw() throws {
        let law = LatticeStrainLaw.kim2004Linear
        let (ea, ec) = law.strain(1, reference: 0.5435)
        #expect(abs(ec + 0.025993) < 1e-6 && abs(ea - 0.001826) < 1e-6)
        let thetas = [0.5, 0.75, 1.0]
        let a = thetas.map { 2.8156 * (1 - 0.004 * (1 - $0)) }
        let c = thetas.map { 14.0542 * (1 + 0.0569395 * (1 - $0)) }
        let table = LatticeStrainLaw.table(stoichiometry: thetas, a: a, c: c)
        try table.validate()
        let (ta, tc) = table.strain(0.9, reference: 0.6)
        let (la, lc) = law.strain(0.9, reference: 0.6)
        #expect(abs(ta - la) < 2e-4 && abs(tc - lc) < 2e-3 && tc < 0 && ta > 0)
        #expect(throws: MaterialLawError.self) {
            try LatticeStrainLaw.table(stoichiometry: [0.5, 0.4], a: [1, 1], c: [1, 1]).validate()
        }
        #expect(throws: MaterialLawError.self) {
            try LatticeStrainLaw.table(stoichiometry: [0.5, 0.9], a: [1, -1], c: [1, 1]).validate()
        }
    }
}
