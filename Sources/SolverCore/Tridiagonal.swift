/// Solves a tridiagonal system by the Thomas algorithm (Gaussian elimination without pivoting).
///
///     lower[k]·x[k−1] + diagonal[k]·x[k] + upper[k]·x[k+1] = rhs[k],  k = 0 … n−1
///
/// (`lower[0]` and `upper[n−1]` are ignored). Stable without pivoting when the matrix is diagonally
/// dominant, which every implicit diffusion step here is (an M-matrix). Cost O(n), no allocation: the
/// scratch buffer is owned by the solver and reused.
public struct TridiagonalSolver: Sendable {
    private var scratch: [Double]

    public init(capacity: Int = 0) { scratch = [Double](repeating: 0, count: capacity) }

    /// Solves in place: on return `rhs` holds x. `diagonal` is not modified.
    public mutating func solve(lower: [Double], diagonal: [Double], upper: [Double], rhs: inout [Double]) {
        let n = diagonal.count
        if scratch.count < n { scratch = [Double](repeating: 0, count: n) }
        scratch.withUnsafeMutableBufferPointer { c in
            rhs.withUnsafeMutableBufferPointer { d in
                lower.withUnsafeBufferPointer { a in
                    diagonal.withUnsafeBufferPointer { b in
                        upper.withUnsafeBufferPointer { u in
                            var beta = b[0]
                            d[0] /= beta
                            var k = 1
                            while k < n {
                                c[k] = u[k &- 1] / beta
                                beta = b[k] - a[k] * c[k]
                                d[k] = (d[k] - a[k] * d[k &- 1]) / beta
                                k &+= 1
                            }
                            k = n &- 2
                            while k >= 0 {
                                d[k] -= c[k &+ 1] * d[k &+ 1]
                                k &-= 1
                            }
                        }
                    }
                }
            }
        }
    }
}

/// LU factorisation with partial pivoting of a banded matrix (kl sub-, ku super-diagonals), the
/// storage scheme of LAPACK's `dgbtrf` (Anderson et al., *LAPACK Users' Guide*, 3rd ed., 1999): row
/// interchanges widen the upper band to kl + ku. Factorise once, then solve for many right-hand sides.
public struct BandedLU: Sendable {
    public let n: Int, kl: Int, ku: Int
    /// Band storage: element (i, j) at `ab[(kl + ku + i − j) + j·ldab]`, ldab = 2kl + ku + 1.
    private var ab: [Double]
    private var pivots: [Int]
    private let ldab: Int
    public private(set) var isFactorised = false

    public init(n: Int, kl: Int, ku: Int) {
        self.n = n; self.kl = kl; self.ku = ku
        ldab = 2 * kl + ku + 1
        ab = [Double](repeating: 0, count: ldab * n)
        pivots = [Int](repeating: 0, count: n)
    }

    /// Sets every entry to zero (to re-assemble).
    public mutating func reset() {
        for k in ab.indices { ab[k] = 0 }
        isFactorised = false
    }

    /// Adds `value` to element (i, j); |i − j| must lie within the band.
    @inline(__always)
    public mutating func add(_ i: Int, _ j: Int, _ value: Double) {
        precondition(i - j <= kl && j - i <= ku && i >= 0 && j >= 0 && i < n && j < n, "BandedLU.add(\(i), \(j)) is outside the band (kl \(kl), ku \(ku))")
        ab[(kl + ku + i - j) + j * ldab] += value
    }

    public func element(_ i: Int, _ j: Int) -> Double {
        guard i - j <= kl, j - i <= ku else { return 0 }
        return ab[(kl + ku + i - j) + j * ldab]
    }

    /// Factorises in place. Throws `SolverError.singularMatrix` if a pivot is exactly zero.
    public mutating func factorise() throws {
        let kv = kl + ku
        for j in 0..<n {
            // Find the pivot in column j among rows j … min(n−1, j+kl).
            let last = min(n - 1, j + kl)
            var p = j
            var best = abs(ab[kv + j * ldab])
            if j < last {
                for i in (j + 1)...last {
                    let v = abs(ab[(kv + i - j) + j * ldab])
                    if v > best { best = v; p = i }
                }
            }
            pivots[j] = p
            guard best > 0 else { throw SolverError.singularMatrix(row: j) }
            let colEnd = min(n - 1, j + kv)
            if p != j {
                for c in j...colEnd {
                    let a = (kv + j - c) + c * ldab, b = (kv + p - c) + c * ldab
                    ab.swapAt(a, b)
                }
            }
            let pivot = ab[kv + j * ldab]
            if j < last {
                for i in (j + 1)...last {
                    let l = ab[(kv + i - j) + j * ldab] / pivot
                    ab[(kv + i - j) + j * ldab] = l
                    if l != 0, j < colEnd {
                        for c in (j + 1)...colEnd { ab[(kv + i - c) + c * ldab] -= l * ab[(kv + j - c) + c * ldab] }
                    }
                }
            }
        }
        isFactorised = true
    }

    /// Solves A x = b in place with the factorisation.
    public func solve(_ b: inout [Double]) {
        precondition(isFactorised, "BandedLU.solve before factorise")
        let kv = kl + ku
        for j in 0..<n {
            let p = pivots[j]
            if p != j { b.swapAt(p, j) }
            let last = min(n - 1, j + kl)
            if j < last { for i in (j + 1)...last { b[i] -= ab[(kv + i - j) + j * ldab] * b[j] } }
        }
        for j in stride(from: n - 1, through: 0, by: -1) {
            b[j] /= ab[kv + j * ldab]
            let first = max(0, j - kv)
            if first < j { for i in first..<j { b[i] -= ab[(kv + i - j) + j * ldab] * b[j] } }
        }
    }
}

/// Errors of the numerical core.
public enum SolverError: Error, Equatable, CustomStringConvertible {
    case singularMatrix(row: Int)
    case noConvergence(what: String, iterations: Int, residual: Double)
    case stepTooSmall(time: Double, step: Double)
    case rootNotBracketed(lo: Double, hi: Double, fLo: Double, fHi: Double)

    public var description: String {
        switch self {
        case .singularMatrix(let r): return "singular matrix (zero pivot in row \(r))"
        case let .noConvergence(w, n, r): return "\(w) did not converge in \(n) iterations (residual \(r))"
        case let .stepTooSmall(t, h): return "time step fell to \(h) s at t = \(t) s"
        case let .rootNotBracketed(a, b, fa, fb): return "root not bracketed in [\(a), \(b)] (f = \(fa), \(fb))"
        }
    }
}
