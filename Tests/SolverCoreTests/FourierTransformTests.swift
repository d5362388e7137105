import Foundation
import Testing

@testable import SolverCore

/// The radix-2 inverse DFT against the O(n²) definition x_p = Σ_m c_m e^{+2πi m p/n}, a single mode, and
/// Parseval's identity Σ|x_p|² = n Σ|c_m|².
@Suite struct FourierTransformTests {
    static func pseudoRandom(_ count: Int, seed: UInt64) -> [Double] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53) - 0.5
        }
    }

    /// Every power of two up to 512 against the direct sum (angles reduced mod n, exact cos/sin): within
    /// 1e-13 of Σ|c| — the O(ε log n) error bound of the transform with exact twiddles, times a margin.
    @Test func matchesTheDirectSum() {
        for exponent in 0...9 {
            let count = 1 << exponent
            let re = Self.pseudoRandom(count, seed: UInt64(count))
            let im = Self.pseudoRandom(count, seed: UInt64(count) + 99)
            var fastRe = re
            var fastIm = im
            FourierTransform.inverse(real: &fastRe, imaginary: &fastIm)
            let scale = zip(re, im).reduce(0.0) { $0 + ($1.0 * $1.0 + $1.1 * $1.1).squareRoot() }
            var worst = 0.0
            for p in 0..<count {
                var sumRe = 0.0
                var sumIm = 0.0
                for m in 0..<count {
                    let angle = 2 * Double.pi * Double((m * p) % count) / Double(count)
                    sumRe += re[m] * cos(angle) - im[m] * sin(angle)
                    sumIm += re[m] * sin(angle) + im[m] * cos(angle)
                }
                worst = max(worst, abs(fastRe[p] - sumRe), abs(fastIm[p] - sumIm))
            }
            #expect(worst <= 1e-13 * scale, "n = \(count): worst difference \(worst)")
        }
    }

    /// One mode c_3 = 1 at n = 64 is e^{2πi·3p/64} to a few ulp (six butterfly stages, each one rounding of a
    /// product of unit-modulus numbers); Parseval on a random spectrum at n = 4096.
    @Test func singleModeAndParseval() {
        var re = [Double](repeating: 0, count: 64)
        var im = re
        re[3] = 1
        FourierTransform.inverse(real: &re, imaginary: &im)
        for p in 0..<64 {
            let angle = 2 * Double.pi * Double((3 * p) % 64) / 64
            #expect(abs(re[p] - cos(angle)) < 4e-15 && abs(im[p] - sin(angle)) < 4e-15, "p = \(p)")
        }
        let count = 4096
        var xr = Self.pseudoRandom(count, seed: 7)
        var xi = Self.pseudoRandom(count, seed: 8)
        let spectrum = zip(xr, xi).reduce(0.0) { $0 + $1.0 * $1.0 + $1.1 * $1.1 }
        FourierTransform.inverse(real: &xr, imaginary: &xi)
        let signal = zip(xr, xi).reduce(0.0) { $0 + $1.0 * $1.0 + $1.1 * $1.1 }
        #expect(abs(signal / (Double(count) * spectrum) - 1) < 1e-13)
    }

    @Test func acceptsOnlyPowersOfTwo() {
        #expect(FourierTransform.accepts(1) && FourierTransform.accepts(2048))
        #expect(!FourierTransform.accepts(0) && !FourierTransform.accepts(640) && !FourierTransform.accepts(-4))
    }
}
