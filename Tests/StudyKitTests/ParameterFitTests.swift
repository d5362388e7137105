import CathodeModels
import Foundation
import Testing
@testable import StudyKit

/// The generic fitting routine recovers a model parameter from quantities the model itself produced.
@Suite struct ParameterFitTests {
    @Test func recoversTheParticleRadiusFromSyntheticCapacities() throws {
        let base = BaseParameters(
            "composite", model: .composite, overrides: ["electrodeCells": 10, "particleShells": 8])
        let truth = 3.2
        let capacity: @Sendable (ModelOutput) -> Double = { $0.composite.capacity }
        let points: [[String: Double]] = [["camWeightPercent": 70, "cRate": 1], ["camWeightPercent": 70, "cRate": 2]]
        // Synthetic "published" values from the model at the true radius.
        let probe = ParameterFit(
            base: base, parameters: [],
            targets: points.map {
                .init("p", overrides: $0, published: 0, sigma: 1, source: "synthetic", extract: capacity)
            })
        let published = try probe.evaluate(["particleRadiusMicrometres": truth])
        let fit = ParameterFit(
            base: base, parameters: [.init("particleRadiusMicrometres", initial: 2, lower: 1, upper: 5)],
            targets: zip(points, published).map {
                .init("p", overrides: $0, published: $1, sigma: 1, source: "synthetic", extract: capacity)
            })
        let report = try fit.run()
        let fitted = report.fitted["particleRadiusMicrometres"] ?? .nan
        #expect(abs(fitted - truth) < 0.02, "fitted radius \(fitted)")
        #expect(report.rows.allSatisfy { abs($0.normalisedResidual) < 0.1 })
    }
}
