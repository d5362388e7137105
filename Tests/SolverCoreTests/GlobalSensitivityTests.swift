import Foundation
import Testing
@testable import SolverCore

/// Sobol indices against the Ishigami function's analytic values (T. Ishigami, T. Homma, 1990; values as in
/// Saltelli et al., *Global Sensitivity Analysis: The Primer*, 2008), and Morris screening against a function whose
/// ranking is known.
@Suite struct GlobalSensitivityTests {
    /// f = sin x₁ + a sin² x₂ + b x₃⁴ sin x₁ on [−π, π]³, a = 7, b = 0.1.
    static func ishigami(_ u: [Double]) -> Double {
        let x = u.map { -Double.pi + 2 * Double.pi * $0 }
        return sin(x[0]) + 7 * pow(sin(x[1]), 2) + 0.1 * pow(x[2], 4) * sin(x[0])
    }

    /// Analytic first-order and total indices.
    static var analytic: (first: [Double], total: [Double]) {
        let a = 7.0
        let b = 0.1
        let pi4 = pow(Double.pi, 4)
        let pi8 = pow(Double.pi, 8)
        let v1 = 0.5 * pow(1 + b * pi4 / 5, 2)
        let v2 = a * a / 8
        let v13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50)
        let v = v1 + v2 + v13
        return ([v1 / v, v2 / v, 0], [(v1 + v13) / v, v2 / v, v13 / v])
    }

    @Test func sobolIndicesOfTheIshigamiFunction() {
        let n = 8192
        let k = 3
        let points = SobolAnalysis.design(samples: n, dimensions: k, seed: 42)
        #expect(points.count == n * (k + 2))
        let indices = SobolAnalysis.indices(
            outputs: points.map(Self.ishigami), samples: n, dimensions: k, confidence: 0.99, resamples: 200, seed: 7)
        let (first, total) = Self.analytic
        #expect(
            abs(first[0] - 0.3139) < 1e-3 && abs(first[1] - 0.4424) < 1e-3 && abs(total[2] - 0.2437) < 1e-3,
            "analytic values \(first) \(total)")
        for input in 0..<k {
            for (estimate, exact, kind) in [
                (indices.firstOrder[input], first[input], "S"), (indices.total[input], total[input], "S_T"),
            ] {
                #expect(
                    estimate.lower <= exact && exact <= estimate.upper,
                    "\(kind)\(input + 1): \(estimate) does not contain \(exact)")
                #expect(abs(estimate.value - exact) < 0.03, "\(kind)\(input + 1): \(estimate.value) vs \(exact)")
                #expect(
                    estimate.upper - estimate.lower < 0.1,
                    "\(kind)\(input + 1): interval \(estimate.lower)–\(estimate.upper) too wide for N = \(n)")
            }
        }
        // Same seeds, same numbers.
        let again = SobolAnalysis.indices(
            outputs: SobolAnalysis.design(samples: n, dimensions: k, seed: 42).map(Self.ishigami), samples: n,
            dimensions: k,
            confidence: 0.99, resamples: 200, seed: 7)
        #expect(again == indices)
    }

    /// Indices are a property of the variance decomposition, so adding a constant to the model must not change them;
    /// with the uncentred Saltelli first-order estimator a large mean inflates the estimate's scatter (Sobol' 2001).
    @Test func indicesDoNotDependOnTheOutputsMean() {
        let n = 256
        let k = 3
        let outputs = SobolAnalysis.design(samples: n, dimensions: k, seed: 5).map(Self.ishigami)
        let plain = SobolAnalysis.indices(outputs: outputs, samples: n, dimensions: k, resamples: 100, seed: 1)
        let shifted = SobolAnalysis.indices(
            outputs: outputs.map { $0 + 1000 }, samples: n, dimensions: k, resamples: 100, seed: 1)
        for input in 0..<k {
            #expect(abs(plain.firstOrder[input].value - shifted.firstOrder[input].value) < 1e-9)
            #expect(abs(plain.firstOrder[input].upper - shifted.firstOrder[input].upper) < 1e-9)
            #expect(abs(plain.total[input].value - shifted.total[input].value) < 1e-9)
        }
    }

    /// f = 10u₁ + 5u₂² + u₃ + 0·u₄: μ* ranks 1 > 2 > 3 > 4; the linear inputs have σ = 0, the quadratic one σ > 0.
    @Test func morrisRanksAKnownFunction() {
        let design = MorrisScreening.design(trajectories: 20, dimensions: 4, levels: 4, seed: 3)
        #expect(design.points.allSatisfy { $0.allSatisfy { (0...1).contains($0) } })
        let outputs = design.points.map { 10 * $0[0] + 5 * $0[1] * $0[1] + $0[2] }
        let effects = MorrisScreening.effects(outputs: outputs, design: design, dimensions: 4)
        let ranking = effects.indices.sorted { effects[$0].meanAbsolute > effects[$1].meanAbsolute }
        #expect(ranking == [0, 1, 2, 3], "μ* \(effects.map(\.meanAbsolute))")
        #expect(abs(effects[0].meanAbsolute - 10) < 1e-9 && effects[0].standardDeviation < 1e-9)
        #expect(abs(effects[2].meanAbsolute - 1) < 1e-9 && effects[3].meanAbsolute == 0)
        #expect(effects[1].standardDeviation > 0.1)
    }
}
