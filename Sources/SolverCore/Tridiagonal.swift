/// Solves a tridiagonal system by Gaussian elimination without pivoting, from both ends at once.
///
///     lower[k]·x[k−1] + diagonal[k]·x[k] + upper[k]·x[k+1] = rhs[k],  k = 0 … n−1
///
/// (`lower[0]` and `upper[n−1]` are ignored). Stable without pivoting when the matrix is diagonally
/// dominant, which every implicit diffusion step here is (an M-matrix). Cost O(n), no allocation: the
/// scratch buffer is owned by the solver and reused.
///
/// The elimination is the "twisted" (burn-at-both-ends) form of the Thomas algorithm (van der Vorst, Parallel
/// Comput. 5, 45 (1987); Meurant, SIAM J. Matrix Anal. Appl. 13, 707 (1992)): rows 0 … p−1 are eliminated
/// downwards and rows n−1 … p+1 upwards in one loop, the two recurrences meet at the middle row p, and the back
/// substitution runs outwards from p. The two halves are independent chains, so a superscalar core overlaps
/// them: the latency of the division chain, which bounds the one-ended algorithm, is halved. One reciprocal
/// per row replaces the two divisions of the textbook form.
public struct TridiagonalSolver: Sendable {
    private var scratch: [Double]

    public init(capacity: Int = 0) { scratch = [Double](repeating: 0, count: capacity) }

    /// Solves in place: on return `rhs` holds x. `diagonal` is not modified.
    public mutating func solve(lower: [Double], diagonal: [Double], upper: [Double], rhs: inout [Double]) {
        let n = diagonal.count
        guard n > 0 else { return }
        if scratch.count < n { scratch = [Double](repeating: 0, count: n) }
        scratch.withUnsafeMutableBufferPointer { factor in
            rhs.withUnsafeMutableBufferPointer { value in
                lower.withUnsafeBufferPointer { below in
                    diagonal.withUnsafeBufferPointer { centre in
                        upper.withUnsafeBufferPointer { above in
                            Self.twistedSolve(
                                n: n, below: below.baseAddress!, centre: centre.baseAddress!,
                                above: above.baseAddress!, factor: factor.baseAddress!, value: value.baseAddress!)
                        }
                    }
                }
            }
        }
    }

    /// The kernel. Downward rows k < p end as x[k] + factor[k]·x[k+1] = value[k]; upward rows k > p as
    /// x[k] + factor[k]·x[k−1] = value[k]; row p is solved from both.
    @inline(__always)
    private static func twistedSolve(
        n: Int, below: UnsafePointer<Double>, centre: UnsafePointer<Double>, above: UnsafePointer<Double>,
        factor: UnsafeMutablePointer<Double>, value: UnsafeMutablePointer<Double>
    ) {
        let middle = n / 2
        // Downward: rows 0 … middle−1 (middle rows); upward: rows n−1 … middle+1 (n−1−middle rows: as many when n
        // is odd, one fewer when n is even).
        var downFactor = 0.0
        var downValue = 0.0
        var upFactor = 0.0
        var upValue = 0.0
        let upwardRows = n - 1 - middle
        var step = 0
        while step < middle {
            let down = step
            let downPivot = 1 / (centre[down] - below[down] * downFactor)
            downFactor = above[down] * downPivot
            downValue = (value[down] - below[down] * downValue) * downPivot
            factor[down] = downFactor
            value[down] = downValue
            if step < upwardRows {
                let up = n - 1 - step
                let upPivot = 1 / (centre[up] - above[up] * upFactor)
                upFactor = below[up] * upPivot
                upValue = (value[up] - above[up] * upValue) * upPivot
                factor[up] = upFactor
                value[up] = upValue
            }
            step &+= 1
        }
        // The meeting row: the couplings to x[middle−1] and x[middle+1] are replaced by the eliminated rows.
        var pivot = centre[middle]
        var meeting = value[middle]
        if middle > 0 {
            pivot -= below[middle] * downFactor
            meeting -= below[middle] * downValue
        }
        if middle < n - 1 {
            pivot -= above[middle] * upFactor
            meeting -= above[middle] * upValue
        }
        let solution = meeting / pivot
        value[middle] = solution
        // Back substitution outwards from the meeting row, both directions in one loop.
        var downSolution = solution
        var upSolution = solution
        step = 1
        let reach = max(middle, n - 1 - middle)
        while step <= reach {
            if step <= middle {
                let down = middle - step
                downSolution = value[down] - factor[down] * downSolution
                value[down] = downSolution
            }
            if step <= n - 1 - middle {
                let up = middle + step
                upSolution = value[up] - factor[up] * upSolution
                value[up] = upSolution
            }
            step &+= 1
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
    /// The widest reach of U above its diagonal after `factorise` (≤ kl + ku; ku without row interchanges).
    public private(set) var upperWidth = 0

    public init(n: Int, kl: Int, ku: Int) {
        self.n = n
        self.kl = kl
        self.ku = ku
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
        precondition(
            i - j <= kl && j - i <= ku && i >= 0 && j >= 0 && i < n && j < n,
            "BandedLU.add(\(i), \(j)) is outside the band (kl \(kl), ku \(ku))")
        ab[(kl + ku + i - j) + j * ldab] += value
    }

    public func element(_ i: Int, _ j: Int) -> Double {
        guard i - j <= kl, j - i <= ku else { return 0 }
        return ab[(kl + ku + i - j) + j * ldab]
    }

    /// Factorises in place. Throws `SolverError.singularMatrix` if a pivot is exactly zero.
    ///
    /// Like LAPACK's dgbtf2, the elimination of column j only updates the columns that can hold non-zeros: up to
    /// j + ku, extended only where a row interchange brings a longer row up (`fillEnd`). Without interchanges (a
    /// diagonally dominant step matrix) U keeps the bandwidth ku instead of kl + ku, which halves the work of the
    /// factorisation and shortens the back substitution (`upperWidth`).
    public mutating func factorise() throws {
        let kv = kl + ku
        let ld = ldab
        let n = self.n
        let kl = self.kl
        let ku = self.ku
        var singular = -1
        var widest = 0
        ab.withUnsafeMutableBufferPointer { a in
            pivots.withUnsafeMutableBufferPointer { piv in
                // Last column holding a non-zero of the rows eliminated so far (LAPACK's JU).
                var fillEnd = 0
                for j in 0..<n {
                    let last = min(n - 1, j + kl)
                    var p = j
                    var best = abs(a[kv + j * ld])
                    var i = j + 1
                    while i <= last {
                        let v = abs(a[(kv + i - j) + j * ld])
                        if v > best {
                            best = v
                            p = i
                        }
                        i += 1
                    }
                    piv[j] = p
                    if best == 0 {
                        singular = j
                        return
                    }
                    fillEnd = max(fillEnd, min(n - 1, p + ku))
                    let colEnd = fillEnd
                    widest = max(widest, colEnd - j)
                    if p != j {
                        for c in j...colEnd { a.swapAt((kv + j - c) + c * ld, (kv + p - c) + c * ld) }
                    }
                    let inv = 1 / a[kv + j * ld]
                    guard let band = a.baseAddress else { return }
                    // Row i of the band, columns j+1 … colEnd, lies at a stride of ld − 1 in the storage; the
                    // pointers walk it without per-element index arithmetic.
                    let stride = ld - 1
                    let updates = colEnd - j
                    let pivotRow = band + (kv - 1 + (j + 1) * ld)
                    i = j + 1
                    while i <= last {
                        let li = (kv + i - j) + j * ld
                        let l = a[li] * inv
                        a[li] = l
                        if l != 0 {
                            let row = pivotRow + (i - j)
                            for c in 0..<updates { row[c &* stride] -= l * pivotRow[c &* stride] }
                        }
                        i += 1
                    }
                }
            }
        }
        if singular >= 0 { throw SolverError.singularMatrix(row: singular) }
        upperWidth = widest
        isFactorised = true
    }

    /// Solves A x = b in place with the factorisation.
    public func solve(_ b: inout [Double]) {
        precondition(isFactorised, "BandedLU.solve before factorise")
        solveRange(&b, firstNonzero: 0, neededFrom: 0)
    }

    /// Solves A x = b when b is zero above row `firstNonzero` and only x[`neededFrom`…] is wanted: the
    /// forward sweep starts late and the back substitution stops early (exact when no row interchange
    /// reaches into the skipped rows, which is checked; otherwise the full solve runs).
    public func solveRange(_ b: inout [Double], firstNonzero: Int, neededFrom: Int) {
        precondition(isFactorised, "BandedLU.solve before factorise")
        let kv = kl + ku
        let ld = ldab
        let n = self.n
        let kl = self.kl
        let width = upperWidth
        var start = firstNonzero
        if start > 0 {
            // A pivot swap at column j < start moving a row ≥ start upwards would break the shortcut.
            for j in max(0, start - kl)..<start where pivots[j] != j {
                start = 0
                break
            }
        }
        ab.withUnsafeBufferPointer { a in
            pivots.withUnsafeBufferPointer { piv in
                b.withUnsafeMutableBufferPointer { x in
                    guard let band = a.baseAddress, let unknowns = x.baseAddress else { return }
                    // Both sweeps are axpy updates of contiguous runs (a column of L below the diagonal, of U above
                    // it): written over pointers so that they compile to vector loops without index checks.
                    for j in start..<n {
                        let p = piv[j]
                        if p != j { x.swapAt(p, j) }
                        let xj = unknowns[j]
                        if xj != 0 {
                            let count = min(n - 1, j + kl) - j
                            let column = band + (kv + 1 + j * ld)
                            let target = unknowns + (j + 1)
                            for k in 0..<count { target[k] -= column[k] * xj }
                        }
                    }
                    // U's column j holds rows j − upperWidth … j (the rest of the band stayed zero).
                    var j = n - 1
                    while j >= neededFrom {
                        unknowns[j] /= band[kv + j * ld]
                        let xj = unknowns[j]
                        let first = max(0, j - width)
                        let column = band + (kv + first - j + j * ld)
                        let target = unknowns + first
                        for k in 0..<(j - first) { target[k] -= column[k] * xj }
                        j -= 1
                    }
                }
            }
        }
    }
}

/// Errors of the numerical core.
public enum SolverError: Error, Equatable, CustomStringConvertible {
    case singularMatrix(row: Int)
    case noConvergence(what: String, iterations: Int, residual: Double)
    case stepTooSmall(time: Double, step: Double)
    case rootNotBracketed(lo: Double, hi: Double, fLo: Double, fHi: Double)
    /// An argument that cannot describe a problem (sizes that disagree, indices out of range).
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .singularMatrix(let r): return "singular matrix (zero pivot in row \(r))"
        case let .noConvergence(w, n, r): return "\(w) did not converge in \(n) iterations (residual \(r))"
        case let .stepTooSmall(t, h): return "time step fell to \(h) s at t = \(t) s"
        case let .rootNotBracketed(a, b, fa, fb): return "root not bracketed in [\(a), \(b)] (f = \(fa), \(fb))"
        case .invalidArgument(let what): return what
        }
    }
}

/// A tridiagonal matrix factorised once by the two-ended elimination of `TridiagonalSolver`, for many right-hand
/// sides: each solve is then multiplications and additions only (the reciprocal pivots are stored), no division.
/// Same conditions (diagonal dominance, no pivoting) and elimination order as `TridiagonalSolver`; the two agree
/// to round-off.
public struct TridiagonalFactorisation: Sendable {
    public let count: Int
    private let below: [Double], above: [Double]
    /// Downward rows: the eliminated coupling to x[k+1]; upward rows: to x[k−1].
    private var factor: [Double]
    /// 1/pivot of every row (the meeting row's included).
    private var inversePivot: [Double]

    public init(lower: [Double], diagonal: [Double], upper: [Double]) {
        let n = diagonal.count
        precondition(lower.count >= n && upper.count >= n, "TridiagonalFactorisation: band arrays shorter than \(n)")
        count = n
        below = lower
        above = upper
        factor = [Double](repeating: 0, count: n)
        inversePivot = [Double](repeating: 0, count: n)
        guard n > 0 else { return }
        let middle = n / 2
        var downFactor = 0.0
        for down in 0..<middle {
            let pivot = 1 / (diagonal[down] - lower[down] * downFactor)
            downFactor = upper[down] * pivot
            factor[down] = downFactor
            inversePivot[down] = pivot
        }
        var upFactor = 0.0
        var up = n - 1
        while up > middle {
            let pivot = 1 / (diagonal[up] - upper[up] * upFactor)
            upFactor = lower[up] * pivot
            factor[up] = upFactor
            inversePivot[up] = pivot
            up -= 1
        }
        var meeting = diagonal[middle]
        if middle > 0 { meeting -= lower[middle] * downFactor }
        if middle < n - 1 { meeting -= upper[middle] * upFactor }
        inversePivot[middle] = 1 / meeting
    }

    /// Solves in place for the `count` values starting at `values`.
    public func solve(_ values: UnsafeMutablePointer<Double>) {
        let n = count
        guard n > 0 else { return }
        let middle = n / 2
        below.withUnsafeBufferPointer { lower in
            above.withUnsafeBufferPointer { upper in
                factor.withUnsafeBufferPointer { eliminated in
                    inversePivot.withUnsafeBufferPointer { pivot in
                        var downValue = 0.0
                        var upValue = 0.0
                        let upwardRows = n - 1 - middle
                        for step in 0..<middle {
                            downValue = (values[step] - lower[step] * downValue) * pivot[step]
                            values[step] = downValue
                            if step < upwardRows {
                                let up = n - 1 - step
                                upValue = (values[up] - upper[up] * upValue) * pivot[up]
                                values[up] = upValue
                            }
                        }
                        var meeting = values[middle]
                        if middle > 0 { meeting -= lower[middle] * downValue }
                        if middle < n - 1 { meeting -= upper[middle] * upValue }
                        let solution = meeting * pivot[middle]
                        values[middle] = solution
                        var downSolution = solution
                        var upSolution = solution
                        for step in 1...max(middle, upwardRows, 1) {
                            if step <= middle {
                                let down = middle - step
                                downSolution = values[down] - eliminated[down] * downSolution
                                values[down] = downSolution
                            }
                            if step <= upwardRows {
                                let up = middle + step
                                upSolution = values[up] - eliminated[up] * upSolution
                                values[up] = upSolution
                            }
                        }
                    }
                }
            }
        }
    }

    /// Solves in place: on return `rhs` holds x (`rhs.count` must be `count`).
    public func solve(_ rhs: inout [Double]) {
        precondition(rhs.count == count, "TridiagonalFactorisation.solve: \(rhs.count) values for \(count) rows")
        rhs.withUnsafeMutableBufferPointer { solve($0.baseAddress!) }
    }
}
