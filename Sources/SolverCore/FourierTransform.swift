import Foundation

/// The discrete Fourier transform of a power-of-two length by the iterative radix-2 Cooley–Tukey algorithm
/// (J. W. Cooley and J. W. Tukey, *Math. Comp.* 19, 297 (1965); the in-place, bit-reversed form of W. H. Press
/// et al., *Numerical Recipes*, 3rd ed., §12.2):
///
///     x_p = Σ_{m=0}^{n−1} c_m e^{+2πi m p / n},   p = 0 … n − 1   (`inverse`, unnormalised).
///
/// O(n log n) where the direct sum is O(n²). The twiddle factors e^{iπ j/h} are taken from exact `cos`/`sin`
/// per butterfly span, not from a recurrence, so the rounding error stays O(ε log n).
public enum FourierTransform {
    /// Whether `count` is a length the transform accepts (a power of two, at least 1).
    public static func accepts(_ count: Int) -> Bool { count > 0 && count & (count - 1) == 0 }

    /// Overwrites (`real`, `imaginary`) = c with x = Σ_m c_m e^{+2πi m p/n}. Both arrays have the same
    /// power-of-two length.
    public static func inverse(real: inout [Double], imaginary: inout [Double]) {
        let count = real.count
        precondition(imaginary.count == count && accepts(count), "a power-of-two length, equal for both parts")
        guard count > 1 else { return }
        real.withUnsafeMutableBufferPointer { re in
            imaginary.withUnsafeMutableBufferPointer { im in
                reverseBitOrder(re, im)
                butterflies(re, im)
            }
        }
    }

    /// Permutes both parts into bit-reversed index order.
    private static func reverseBitOrder(
        _ re: UnsafeMutableBufferPointer<Double>, _ im: UnsafeMutableBufferPointer<Double>
    ) {
        let count = re.count
        var reversed = 0
        for index in 0..<count {
            if index < reversed {
                re.swapAt(index, reversed)
                im.swapAt(index, reversed)
            }
            // Increment `reversed` as a bit-reversed counter.
            var bit = count >> 1
            while reversed & bit != 0 {
                reversed ^= bit
                bit >>= 1
            }
            reversed |= bit
        }
    }

    /// The log₂ n butterfly stages: spans of 2h combine two transforms of length h with the factors e^{iπ j/h}.
    private static func butterflies(_ re: UnsafeMutableBufferPointer<Double>, _ im: UnsafeMutableBufferPointer<Double>)
    {
        let count = re.count
        var twiddleRe = [Double](repeating: 0, count: count / 2)
        var twiddleIm = [Double](repeating: 0, count: count / 2)
        var half = 1
        while half < count {
            for j in 0..<half {
                let angle = Double.pi * Double(j) / Double(half)
                twiddleRe[j] = cos(angle)
                twiddleIm[j] = sin(angle)
            }
            var start = 0
            while start < count {
                for j in 0..<half {
                    let top = start + j
                    let bottom = top + half
                    let productRe = twiddleRe[j] * re[bottom] - twiddleIm[j] * im[bottom]
                    let productIm = twiddleRe[j] * im[bottom] + twiddleIm[j] * re[bottom]
                    re[bottom] = re[top] - productRe
                    im[bottom] = im[top] - productIm
                    re[top] += productRe
                    im[top] += productIm
                }
                start += 2 * half
            }
            half *= 2
        }
    }
}
