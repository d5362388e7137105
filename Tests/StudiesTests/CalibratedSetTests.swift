import CathodeModels
import Foundation
import Testing
@testable import Studies
import StudyKit

/// The calibrated parameter set the studies run from, against what it promises:
/// - the declaration `paper` keeps the calibration contract (bounds inside the cited literature ranges, at least a
///   third of the targets held out) and every stored fitted value lies inside its literature range;
/// - the Fig. 5 model system homogenises to the paper's D_eff = 4e-9 cm² s⁻¹ (Fig. 6b) at the calibrated D_s/D_f,
///   which also checks that the cell problem is linear in D_f (the factor is computed at 1e-13 and applied at ~7e-9);
/// - the 1D cell's interface area comes from the same profile generator as the 2D model's;
/// - the contact-loss study and the calibration report run Fig. 4(e) on the interface its targets were fitted on,
///   and the stored set reproduces Fig. 4(e)'s corners and Fig. 4(g)'s full-contact regimes;
/// - the stored dense cell's mean discharge voltage lies within 1 % of the paper's energy per capacity at 0.1, 0.5
///   and 1C.
@Suite struct CalibratedSetTests {
    @Test func theDeclarationKeepsTheContractAndTheStoredValuesTheirRanges() throws {
        let calibration = PaperCalibration()
        try calibration.validate()
        #expect(3 * calibration.validationTargets.count >= calibration.targets.count)
        for p in calibration.parameters {
            let stored = try #require(PaperCalibratedValues.values[p.name], "no stored value for \(p.name)")
            #expect(
                stored >= p.literatureLower && stored <= p.literatureUpper,
                "\(p.name) = \(stored) outside [\(p.literatureLower), \(p.literatureUpper)]")
        }
    }

    /// The Fig. 4(e) numbers the reports show are computed on the interface the calibration fitted them on: a flat
    /// report base under a rough calibration base once showed 37 mAh g⁻¹ for a target fitted to 60.
    @Test func theContactLossReportsRunTheCalibratedSectionsInterface() throws {
        let sections = PaperCalibration().targets.filter { $0.name.hasPrefix("section capacity") }
        #expect(sections.count == 4)
        for target in sections {
            let run = try #require(target.runs.first)
            for (name, value) in Fig4ContactLoss.base.overrides {
                #expect(run.overrides[name] == value, "\(target.name): \(name) = \(run.overrides[name] ?? .nan)")
            }
            #expect(run.overrides["roughnessRmsMicrometres"] == 0.84)
        }
        #expect(PaperCalibrationReport.sectionBase.overrides == Fig4ContactLoss.base.overrides)
        #expect(PaperCalibrationReport.sectionBase.set == Calibrated.dense)
    }

    /// The stored set, run as the studies run it, reproduces what the fit claims for Fig. 4: the four Fig. 4(e)
    /// corners on the cell's interface within 2 % of the paper's 115 / 60 / 87 / 19 mAh g⁻¹ (the fit met them within
    /// 0.7 %; 2 % leaves room for a refit, not for a different cell), and Fig. 4(g)'s full-contact regimes by the
    /// rule of physics.md §3.7: the flat interface below 0.9 of its fast-kinetics (i₀ × 10⁴) capacity, the 0.84 µm
    /// one above it.
    @Test func theStoredSetReproducesFigure4() throws {
        func capacity(_ numbers: [String: Double]) throws -> Double {
            try Dense2DModel(
                try Dense2DParameterRegistry.spec(base: Calibrated.dense, numbers: numbers).setup()
            ).run().capacity
        }
        for (rate, contact, published) in [(0.1, 1.0, 115.0), (1, 1, 60), (0.1, 0.6, 87), (1, 0.6, 19)] {
            let numbers = Fig4ContactLoss.base.overrides.merging(["cRate": rate, "contactFraction": contact]) { $1 }
            let computed = try capacity(numbers)
            #expect(abs(computed / published - 1) < 0.02, "\(rate)C, A/A_t = \(contact): \(computed)")
        }
        func kineticShare(roughness: Double) throws -> Double {
            let point: [String: Double] = ["cRate": 0.25, "ny": 40, "roughnessRmsMicrometres": roughness]
            let fast = point.merging(["exchangeCurrentDensityAPerM2": 1e4]) { $1 }
            return try capacity(point) / capacity(fast)
        }
        let flat = try kineticShare(roughness: 0)
        let rough = try kineticShare(roughness: 0.84)
        #expect(flat < 0.9 && rough > 0.9, "flat \(flat), 0.84 µm \(rough)")
    }

    /// The paper-calibration report says the calibrated dense cathode's mean discharge voltage vs Li/Li⁺ (∫V dQ/Q)
    /// lies close to the paper's E_g/Q at 0.1, 0.5 and 1C (447/119, 360/97, 315/86 Wh kg⁻¹ per mAh g⁻¹: 3.756, 3.711,
    /// 3.663 V). Held to 1 %, the uncertainty of the 0.5C ratio (97 is read off a plot, ±1 mAh g⁻¹); the 1C ratio
    /// differs from the nominal 3.757 V by more than that (it uses the experiment's 86, the paper printing no model
    /// capacity). The table's paper numbers are the ones Fig. 7's energy study compares against.
    @Test func theCalibratedCellsMeanVoltageFollowsThePapersEnergyPerCapacity() throws {
        for (rate, energy, _, capacity, _) in PaperCalibrationReport.energyPerCapacity {
            #expect(Fig7EnergyDensity.published.contains { $0.0 == rate && $0.4 == energy })
            let (setup, _) = try Dense1DParameterRegistry.setup(base: Calibrated.dense, numbers: ["cRate": rate])
            let voltage = try Dense1DModel(setup).run().meanVoltage(vsLithium: true)
            let paper = energy / capacity
            #expect(abs(voltage / paper - 1) < 0.01, "\(rate)C: model \(voltage) V, paper \(paper) V")
        }
        #expect(abs(PaperCalibrationReport.energyPerCapacity[2].1 / 3.757 / 86 - 1) > 0.02)
    }

    @Test func theModelSystemHomogenisesToThePapersDiffusivity() throws {
        let deff = try Fig5dModelSystem.homogenised.get()
        // The homogenisation iterates to 1e-10 relative (Homogenisation.swift); 1e-6 leaves room for the D_f scaling.
        #expect(abs(deff / 4e-9 - 1) < 1e-6, "D_eff = \(deff) cm² s⁻¹")
    }

    @Test func theExperimentalCellsInterfaceAreaIsTheProfileGenerators() throws {
        let cell = PaperCalibratedSets.paperCalibrated.cell
        let profile = try #require(cell.interfaceProfile)
        #expect(profile.rms == 0.84e-6)
        let expected = RoughProfile.meanAreaRatio(
            rms: 0.84e-6, correlation: PaperCalibratedValues.values["roughnessCorrelation"]! * 1e-6)
        #expect(cell.interfaceAreaRatio == expected)
        // The paper's "almost four times" (Fig. 4c) is a fit target at ±5 %.
        #expect(abs(expected / 4 - 1) < 0.15, "area ratio \(expected)")
    }
}
