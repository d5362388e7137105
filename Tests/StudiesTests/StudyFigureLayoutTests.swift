import Foundation
import StudyKit
import Testing

@testable import Studies

/// The figure checker on real study figures: studies cheap enough for the test suite (Model A runs and energy
/// arithmetic) are built into a temporary folder and none of their figures may show a layout defect. (`cathodelab
/// report` checks every study figure the same way and warns; `make report` shows none at present.)
@Suite struct StudyFigureLayoutTests {
    @Test func cheapStudyFiguresPassTheChecker() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "cathodelab-figure-check-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        var options = ReportOptions(outputRoot: root, jobs: 2, dpi: 50)
        options.figureIndex = StudyCatalogue.figureIndex
        let studies: [any Study] = [Fig3cDischargeCurves(), Fig3eConcentrationProfiles(), Fig1bStackEnergy()]
        let outcomes = StudyRunner(options: options, progress: ProgressReporter(mode: .quiet)).run(studies)
        for outcome in outcomes {
            #expect(outcome.error == nil, "\(outcome.id): \(outcome.error ?? "")")
            #expect(outcome.figureDefects.isEmpty, "\(outcome.id): \(outcome.figureDefects.joined(separator: "; "))")
        }
    }
}
