import Foundation
import Testing

@testable import SolverCore

/// The four-lane exponential against the C library's exp (glibc, correctly rounded in practice to < 1 ulp).
@Suite struct VectorExponentialTests {
    /// Error in units of the last place of the libm value.
    static func ulpError(_ x: Double) -> Double {
        let reference = Foundation.exp(x)
        let value = exponential(SIMD4(repeating: x))[0]
        return abs(value - reference) / reference.ulp
    }

    /// Within 2 ulp of libm over ±700 (400 001 points, including the half-way points of the reduction k ln 2 ± ln 2/2
    /// where |r| is largest), and on small arguments where the polynomial alone acts.
    @Test func withinTwoUlpOfLibm() {
        var worst = 0.0
        for step in -200_000...200_000 {
            worst = max(worst, Self.ulpError(Double(step) * 3.5e-3))
        }
        for k in -1000...1000 {
            let centre = Double(k) * M_LN2
            for offset in [-0.5 * M_LN2, -1e-9, 0, 1e-9, 0.5 * M_LN2] where abs(centre + offset) < 700 {
                worst = max(worst, Self.ulpError(centre + offset))
            }
        }
        for tiny in [1e-300, 1e-17, 1e-9, 1e-3, -1e-17, -1e-9, -1e-3] {
            worst = max(worst, Self.ulpError(tiny))
        }
        #expect(worst <= 2, "worst error \(worst) ulp")
    }

    /// Exact where exactness is expected, and the documented ends of the range.
    @Test func exactPointsAndRangeEnds() {
        let values = exponential(SIMD4(0, -800, 800, 709.78))
        #expect(values[0] == 1)
        #expect(values[1] == 0)
        #expect(values[2] == .infinity)
        #expect(values[3].isFinite && abs(values[3] / Foundation.exp(709.78) - 1) < 1e-15)
        let lanes = exponential(SIMD4(1, -1, 10, -10))
        for (lane, x) in [1.0, -1, 10, -10].enumerated() {
            #expect(abs(lanes[lane] - Foundation.exp(x)) <= 2 * Foundation.exp(x).ulp)
        }
        #expect(exponential(SIMD4(repeating: -706.9))[0] > 0)
    }
}

/// sinh and cosh from one exponential against the C library's: within 4 ulp of cosh everywhere and of sinh from
/// |x| = ½ (where e⁻ˣ cancels at most two bits of eˣ), exactly libm's sinh below ½, odd and even as they must be.
@Suite struct HyperbolicTests {
    @Test func agreesWithLibm() {
        var worstSine = 0.0
        var worstCosine = 0.0
        for step in -60_000...60_000 {
            let x = Double(step) * 1e-3
            let (sine, cosine) = hyperbolicSineCosine(x)
            worstCosine = max(worstCosine, abs(cosine - cosh(x)) / cosh(x).ulp)
            if abs(x) < 0.5 {
                #expect(sine == sinh(x))
            } else {
                worstSine = max(worstSine, abs(sine - sinh(x)) / abs(sinh(x)).ulp)
            }
            let mirrored = hyperbolicSineCosine(-x)
            #expect(abs(mirrored.sinh + sine) <= 4 * abs(sine).ulp && abs(mirrored.cosh - cosine) <= 4 * cosine.ulp)
        }
        #expect(worstSine <= 4, "sinh: \(worstSine) ulp")
        #expect(worstCosine <= 4, "cosh: \(worstCosine) ulp")
    }
}
