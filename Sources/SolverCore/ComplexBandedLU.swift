import Foundation

/// LU factorisation with partial pivoting of a complex banded matrix (kl sub-, ku super-diagonals): the complex
/// counterpart of `BandedLU`, with LAPACK's `zgbtrf` band storage and its pivot measure |Re| + |Im| (Anderson et
/// al., *LAPACK Users' Guide*, 3rd ed., 1999). Real and imaginary parts live in two contiguous arrays, so the
/// inner update is two fused real loops with no complex temporaries. Used for jωM + A of the frequency-domain
/// solves, which share the sparsity of the time stepper's matrix M/Δt + A.
public struct ComplexBandedLU: Sendable {
    public let n: Int, kl: Int, ku: Int
    private let ldab: Int
    private var real: [Double]
    private var imaginary: [Double]
    private var pivots: [Int]
    public private(set) var isFactorised = false

    public init(n: Int, kl: Int, ku: Int) {
        self.n = n
        self.kl = kl
        self.ku = ku
        ldab = 2 * kl + ku + 1
        real = [Double](repeating: 0, count: ldab * n)
        imaginary = real
        pivots = [Int](repeating: 0, count: n)
    }

    /// Sets every entry to zero (to re-assemble at another frequency).
    public mutating func reset() {
        real.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        imaginary.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        isFactorised = false
    }

    /// Adds `value` to element (i, j); |i − j| must lie within the band.
    @inline(__always)
    public mutating func add(_ i: Int, _ j: Int, _ value: Complex) {
        precondition(
            i - j <= kl && j - i <= ku && i >= 0 && j >= 0 && i < n && j < n,
            "ComplexBandedLU.add(\(i), \(j)) is outside the band (kl \(kl), ku \(ku))")
        let index = (kl + ku + i - j) + j * ldab
        real[index] += value.real
        imaginary[index] += value.imaginary
    }

    /// Adds a real value to element (i, j).
    @inline(__always)
    public mutating func add(_ i: Int, _ j: Int, _ value: Double) {
        precondition(
            i - j <= kl && j - i <= ku && i >= 0 && j >= 0 && i < n && j < n,
            "ComplexBandedLU.add(\(i), \(j)) is outside the band (kl \(kl), ku \(ku))")
        real[(kl + ku + i - j) + j * ldab] += value
    }

    /// Factorises in place. Throws `SolverError.singularMatrix` if a pivot is exactly zero.
    public mutating func factorise() throws {
        let kv = kl + ku
        let ld = ldab
        let size = n
        let lower = kl
        var singular = -1
        real.withUnsafeMutableBufferPointer { re in
            imaginary.withUnsafeMutableBufferPointer { im in
                pivots.withUnsafeMutableBufferPointer { pivot in
                    for j in 0..<size {
                        let last = min(size - 1, j + lower)
                        var p = j
                        var best = abs(re[kv + j * ld]) + abs(im[kv + j * ld])
                        var i = j + 1
                        while i <= last {
                            let index = (kv + i - j) + j * ld
                            let measure = abs(re[index]) + abs(im[index])
                            if measure > best {
                                best = measure
                                p = i
                            }
                            i += 1
                        }
                        pivot[j] = p
                        if best == 0 {
                            singular = j
                            return
                        }
                        let columnEnd = min(size - 1, j + kv)
                        if p != j {
                            for c in j...columnEnd {
                                re.swapAt((kv + j - c) + c * ld, (kv + p - c) + c * ld)
                                im.swapAt((kv + j - c) + c * ld, (kv + p - c) + c * ld)
                            }
                        }
                        // Multipliers l_i = a_ij / a_jj (stored in place), then the rank-1 update column by column:
                        // for a fixed column c the rows j+1…last are contiguous in band storage, so the inner loop runs
                        // at unit stride.
                        let pr = re[kv + j * ld]
                        let pi = im[kv + j * ld]
                        let norm = pr * pr + pi * pi
                        let inverseReal = pr / norm
                        let inverseImaginary = -pi / norm
                        i = j + 1
                        while i <= last {
                            let li = (kv + i - j) + j * ld
                            let lr = re[li] * inverseReal - im[li] * inverseImaginary
                            let lim = re[li] * inverseImaginary + im[li] * inverseReal
                            re[li] = lr
                            im[li] = lim
                            i += 1
                        }
                        if last > j {
                            let multipliers = kv + 1 + j * ld  // index of l_{j+1}
                            var c = j + 1
                            while c <= columnEnd {
                                let source = (kv + j - c) + c * ld
                                let ur = re[source]
                                let ui = im[source]
                                if ur != 0 || ui != 0 {
                                    let target = (kv + j + 1 - c) + c * ld  // row j+1 of column c
                                    for offset in 0..<(last - j) {
                                        let lr = re[multipliers + offset]
                                        let lim = im[multipliers + offset]
                                        re[target + offset] -= lr * ur - lim * ui
                                        im[target + offset] -= lr * ui + lim * ur
                                    }
                                }
                                c += 1
                            }
                        }
                    }
                }
            }
        }
        if singular >= 0 { throw SolverError.singularMatrix(row: singular) }
        isFactorised = true
    }

    /// Solves A x = b in place; b is given as its real and imaginary parts.
    public func solve(real bReal: inout [Double], imaginary bImaginary: inout [Double]) {
        solveRange(real: &bReal, imaginary: &bImaginary, firstNonzero: 0, neededFrom: 0)
    }

    /// Solves A x = b when b is zero above row `firstNonzero` and only x[`neededFrom`…] is wanted (as
    /// `BandedLU.solveRange`): the forward sweep starts late and the back substitution stops early — exact unless a
    /// row interchange in the skipped columns reaches row `firstNonzero` or beyond, which is checked (then the full
    /// forward sweep runs). Entries above `neededFrom` are left undefined.
    public func solveRange(
        real bReal: inout [Double], imaginary bImaginary: inout [Double], firstNonzero: Int, neededFrom: Int
    ) {
        precondition(isFactorised, "ComplexBandedLU.solve before factorise")
        precondition(
            bReal.count == n && bImaginary.count == n, "ComplexBandedLU.solve: right-hand side of the wrong size")
        let kv = kl + ku
        let ld = ldab
        let size = n
        let lower = kl
        var start = max(0, min(firstNonzero, n - 1))
        if start > 0 {
            for j in max(0, start - kl)..<start where pivots[j] != j {
                start = 0
                break
            }
        }
        let stop = max(0, neededFrom)
        real.withUnsafeBufferPointer { re in
            imaginary.withUnsafeBufferPointer { im in
                pivots.withUnsafeBufferPointer { pivot in
                    bReal.withUnsafeMutableBufferPointer { xr in
                        bImaginary.withUnsafeMutableBufferPointer { xi in
                            for j in start..<size {
                                let p = pivot[j]
                                if p != j {
                                    xr.swapAt(p, j)
                                    xi.swapAt(p, j)
                                }
                                let vr = xr[j]
                                let vi = xi[j]
                                if vr != 0 || vi != 0 {
                                    let last = min(size - 1, j + lower)
                                    var i = j + 1
                                    while i <= last {
                                        let index = (kv + i - j) + j * ld
                                        xr[i] -= re[index] * vr - im[index] * vi
                                        xi[i] -= re[index] * vi + im[index] * vr
                                        i += 1
                                    }
                                }
                            }
                            var j = size - 1
                            while j >= stop {
                                let dr = re[kv + j * ld]
                                let di = im[kv + j * ld]
                                let norm = dr * dr + di * di
                                let vr = (xr[j] * dr + xi[j] * di) / norm
                                let vi = (xi[j] * dr - xr[j] * di) / norm
                                xr[j] = vr
                                xi[j] = vi
                                var i = max(0, j - kv)
                                while i < j {
                                    let index = (kv + i - j) + j * ld
                                    xr[i] -= re[index] * vr - im[index] * vi
                                    xi[i] -= re[index] * vi + im[index] * vr
                                    i += 1
                                }
                                j -= 1
                            }
                        }
                    }
                }
            }
        }
    }
}
