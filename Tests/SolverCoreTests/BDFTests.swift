import Foundation
import Testing

@testable import SolverCore

/// The variable-step BDF coefficients against their defining property and the textbook constant-step formulas.
@Suite struct BDFTests {
    /// Constant steps give the textbook formulas (Hairer & Wanner II, Table III.1.1): BDF1 (1, −1), BDF2 (3/2, −2, 1/2),
    /// BDF3 (11/6, −3, 3/2, −1/3); BDF2 equals `BDF2Coefficients(stepRatio: 1)`.
    @Test func constantStepsGiveTheTextbookFormulas() {
        let h = 0.25
        let euler = BDFCoefficients(order: 1, next: 1, past: (1 - h, 1 - 2 * h, 1 - 3 * h))
        #expect(abs(euler.alpha0 - 1) < 1e-14 && abs(euler.alpha1 + 1) < 1e-14 && euler.alpha2 == 0)
        let two = BDFCoefficients(order: 2, next: 1, past: (1 - h, 1 - 2 * h, 1 - 3 * h))
        let reference = BDF2Coefficients(stepRatio: 1)
        #expect(abs(two.alpha0 - reference.alpha0) < 1e-14 && abs(two.alpha1 - reference.alpha1) < 1e-14)
        #expect(abs(two.alpha2 - reference.alpha2) < 1e-14 && two.alpha3 == 0)
        let three = BDFCoefficients(order: 3, next: 1, past: (1 - h, 1 - 2 * h, 1 - 3 * h))
        for (value, exact) in [
            (three.alpha0, 11.0 / 6), (three.alpha1, -3), (three.alpha2, 1.5), (three.alpha3, -1.0 / 3),
        ] {
            #expect(abs(value - exact) < 1e-13)
        }
    }

    /// A step of zero length is the identity y_{n+1} = y_n at every order (no division by the zero step).
    @Test func aZeroStepLeavesTheSolutionWhereItIs() {
        for order in 1...3 {
            let c = BDFCoefficients(order: order, next: 2, past: (2, 1.5, 1))
            #expect(c.alpha0 == 1 && c.alpha1 == -1 && c.alpha2 == 0 && c.alpha3 == 0)
        }
    }

    /// On uneven steps the order-k formula differentiates every polynomial of degree ≤ k exactly at the new time,
    /// Σ α_j p(t_j) = Δt p′(tₙ₊₁), and fails for degree k + 1; the coefficients sum to zero (conservation).
    @Test func unevenStepsDifferentiatePolynomialsExactly() {
        let next = 2.0
        let past = (1.7, 1.1, 0.95)
        let times = [next, past.0, past.1, past.2]
        for order in 1...3 {
            let c = BDFCoefficients(order: order, next: next, past: past)
            let alphas = [c.alpha0, c.alpha1, c.alpha2, c.alpha3]
            #expect(abs(alphas.reduce(0, +)) < 1e-13)
            for degree in 0...(order + 1) {
                let value = zip(alphas, times).map { $0 * pow($1, Double(degree)) }.reduce(0, +)
                let derivative = (next - past.0) * Double(degree) * pow(next, Double(max(degree - 1, 0)))
                if degree <= order {
                    #expect(abs(value - derivative) < 1e-12, "order \(order), degree \(degree)")
                } else {
                    #expect(abs(value - derivative) > 1e-4, "order \(order), degree \(degree)")
                }
            }
        }
    }

    /// y′ = −y from exact starting values with constant steps: the global error at t = 2 falls by 2^k when the step
    /// halves (observed order k ± 0.15 for k = 1, 2, 3).
    @Test func convergenceOrderOnALinearProblem() {
        func error(order: Int, steps: Int) -> Double {
            let h = 2.0 / Double(steps)
            var values = (0...order - 1).map { Foundation.exp(-Double($0) * h) }  // y₀ … y_{k−1} exact
            var time = Double(order - 1) * h
            while values.count <= steps {
                let c = BDFCoefficients(order: order, next: time + h, past: (time, time - h, time - 2 * h))
                let alphas = [c.alpha1, c.alpha2, c.alpha3]
                var history = 0.0
                for j in 0..<order { history += alphas[j] * values[values.count - 1 - j] }
                values.append(-history / (c.alpha0 + h))  // α₀y + Σα_j y_j = −h y
                time += h
            }
            return abs(values[steps] - Foundation.exp(-2))
        }
        for order in 1...3 {
            let observed = log2(error(order: order, steps: 80) / error(order: order, steps: 160))
            #expect(abs(observed - Double(order)) < 0.15, "order \(order): observed \(observed)")
        }
    }
}
