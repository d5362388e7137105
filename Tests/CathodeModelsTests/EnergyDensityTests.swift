import Foundation
import Testing
@testable import CathodeModels
import Materials

/// Energy arithmetic against the paper's numbers (physics.md §6, §8.8).
@Suite struct EnergyDensityTests {
    /// 526 Wh kg⁻¹ and 2521 Wh L⁻¹ at 140 mAh g⁻¹ for the dense cathode (Naik et al. 2025, Fig. 7 caption).
    @Test func theoreticalDenseValues() {
        let rho = (1 - 0.0515) * LithiumCobaltOxide.density
        let t = ElectrodeEnergy.theoretical(camWeightFraction: 1, electrodeDensityKgPerM3: rho)
        #expect(abs(t.gravimetric - 526) < 0.5)
        #expect(abs(t.volumetric - 2521) < 1)
    }

    /// Published dense values: 447/2143 (0.1C), 315/1510 (1C) from Q = 447/3.757 and 315/3.757.
    @Test func publishedDensePairsShareOneDensity() {
        let rho = (1 - 0.0515) * LithiumCobaltOxide.density
        for (eg, ev) in [(447.0, 2143.0), (315, 1510)] {
            #expect(abs(ElectrodeEnergy.volumetric(gravimetric: eg, electrodeDensityKgPerM3: rho) - ev) < 2)
        }
    }

    /// Composite 90 wt% at 120.8 mAh g⁻¹: 408.5 Wh kg⁻¹ and ≈ 1679 Wh L⁻¹ (physics.md §8.8; paper 1678).
    @Test func composite90Percent() {
        var c = CompositeParameterSet.composite.cell
        c.camWeightFraction = 0.9
        let eg = ElectrodeEnergy.gravimetric(capacityMilliampHoursPerGram: 120.8, camWeightFraction: 0.9)
        #expect(abs(eg - 408.5) < 0.1)
        #expect(
            abs(ElectrodeEnergy.volumetric(gravimetric: eg, electrodeDensityKgPerM3: c.electrodeDensity) - 1679) < 1.5)
    }

    /// physics.md §6.2 fig1bDefault: layer masses and thicknesses, stack E_g/E_v to ±1.
    @Test func stackDesigns() {
        let d = StackDesign.fig1bDefault
        let expected: [(Double, Double)] = [(160, 339), (192, 400), (227, 532)]
        for (k, e) in expected.enumerated() {
            #expect(abs(d[k].gravimetric - e.0) < 1, "\(d[k].name) E_g \(d[k].gravimetric)")
            #expect(abs(d[k].volumetric - e.1) < 1, "\(d[k].name) E_v \(d[k].volumetric)")
        }
        #expect(
            abs(d[0].layers[0].massMilligramsPerCm2 - 5.73) < 0.01
                && abs(d[0].layers[0].thicknessMicrometres - 33.0) < 0.1)
        #expect(abs(d[0].layers[1].massMilligramsPerCm2 - 13.99) < 0.01)
        #expect(
            abs(d[0].layers[2].massMilligramsPerCm2 - 15.82) < 0.01
                && abs(d[0].layers[2].thicknessMicrometres - 59.2) < 0.1)
        #expect(abs(d[1].layers[0].thicknessMicrometres - 11.3) < 0.05)
        #expect(abs(d[2].layers[2].thicknessMicrometres - 23.1) < 0.05)
    }
}
