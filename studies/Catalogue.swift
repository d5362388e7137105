import ReportEngine
import StudyKit

/// Every study, in report order. Adding a study is one file in studies/, one template in templates/,
/// and one entry here.
public enum StudyCatalogue {
    public static let all: [any Study] = [
        Fig3cDischargeCurves(),
        Fig3dCapacityMap(),
        Fig3eConcentrationProfiles(),
        FigS4IdealCell(),
        Fig6bDiffusivityMap(),
        Fig1bStackEnergy(),
        Fig7CompositeCapacity(),
        Fig7EnergyDensity(),
        Fig7eConcentration(),
        Fig4ContactLoss(),
        FigS5Orientation(),
        Fig5dModelSystem(),
        Fig5efStressFields(),
        FigS10StressVsRate(),
        Fig5aCycling(),
        Fig3fImpedance(),
        Fig4Roughness(),
        Fig4gRegimeMap(),
        FigS11Liquid(),
        FigS12LiquidCycling(),
        PaperCalibrationReport(),
        SensitivityStudy(),
    ]

    /// Studies run only when named (`cathodelab report <id>`, `cathodelab slurm <id>`): sizes meant for a cluster.
    public static let onDemand: [any Study] = [
        SensitivityClusterStudy()
    ]

    /// Every study a command accepts by id: the default report's, then the on-demand ones.
    public static var known: [any Study] { all + onDemand }

    /// Figure numbers for every known study: chapter = its place in `known` (the report order), so "Fig. 2.1" is the
    /// first figure of the second study in the HTML reports and in the document alike.
    public static let figureIndex = FigureIndex(studies: known)
}

/// Every calibration (`cathodelab calibrate <id>`).
public enum CalibrationCatalogue {
    public static let all: [any Calibration] = [PaperCalibration()]
}
