import CathodeModels
import Foundation
import ResultStore
import StudyKit

/// What every study that runs the calibrated parameter sets shares: the set names, the calibration, and how a
/// compared number relates to it (fitted, held-out validation, or prediction).
public enum Calibrated {
    /// Model A/B/C cell set and Model D set from the joint calibration 'paper'.
    public static let dense = PaperCalibratedSets.paperCalibrated.name
    public static let idealCell = PaperCalibratedSets.idealCellCalibrated.name
    public static let composite = PaperCalibratedSets.composite.name
    public static let calibration = PaperCalibration()

    /// The interface of the Fig. 4(e) base case: the experimental cell's 0.84 µm RMS (Fig. 4c), as for the dense 1D
    /// targets. One value for the calibration's section targets (PaperCalibration.section), fig4-contact-loss and
    /// the calibration report, so that what is fitted is what the reports show.
    public static let sectionInterface: [String: Double] = [
        "roughnessRmsMicrometres": PaperCalibratedSets.experimentalRoughnessRms * 1e6
    ]

    /// The role of the calibration target named `target`: fitted, validation, or a prediction when the number is
    /// not a target at all.
    public static func basis(_ target: String?) -> Comparison.Basis {
        guard let target, let t = calibration.targets.first(where: { $0.name == target }) else { return .prediction }
        return t.role == .fit ? .fitted : .validation
    }

    /// The basis of a number computed from several calibrated ones: fitted when every input is a fit target,
    /// validation when the rest are fitted and at least one is held out, otherwise a prediction.
    public static func combine(_ bases: [Comparison.Basis]) -> Comparison.Basis {
        if bases.contains(.prediction) { return .prediction }
        return bases.contains(.validation) ? .validation : .fitted
    }

    /// The calibration target name of the composite capacity at (wt%, C-rate), if that point is one.
    public static func compositeTarget(_ weightPercent: Double, _ cRate: Double) -> String? {
        let names: [String: String] = [
            "90|0.1": "composite 90 wt% capacity, 0.1C", "70|0.5": "composite 70 wt% capacity, 0.5C",
            "70|1": "composite 70 wt% capacity, 1C", "90|0.5": "composite 90 wt% capacity, 0.5C (\"near zero\")",
            "95|0.1": "composite 95 wt% capacity, 0.1C (\"sharp decline\")",
        ]
        return names["\(Int(weightPercent))|\(cRate == cRate.rounded() ? String(Int(cRate)) : String(cRate))"]
    }

    /// The calibration target name of the dense capacity at a C-rate, if that rate is one.
    public static func denseTarget(_ cRate: Double) -> String? {
        [0.1: "dense capacity, 0.1C", 0.5: "dense capacity, 0.5C", 1: "dense capacity, 1C"][cRate]
    }

    /// The calibrated discharge cut-off [V vs Li/Li⁺] and the same vs Li/In (0.62 V).
    public static var cutoffVsLi: Double { PaperCalibratedSets.value("cutoff") }
    public static var cutoffVsLiIn: Double { cutoffVsLi - 0.62 }

    /// Energy of a CAM-specific capacity with the paper's nominal voltage (physics.md §1.5): w·Q·3.757 V [Wh kg⁻¹].
    public static func gravimetric(_ capacity: Double, weightFraction: Double = 1) -> Double {
        ElectrodeEnergy.gravimetric(capacityMilliampHoursPerGram: capacity, camWeightFraction: weightFraction)
    }

    /// The dense cathode's electrode density [kg m⁻³] (the paper's 2521/526 g cm⁻³, physics.md §1.5).
    public static let denseElectrodeDensity = 4793.0
}
