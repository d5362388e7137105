/// Envelope ("skyline") Cholesky factorisation A = L Lᵀ of a sparse symmetric positive-definite matrix
/// (George and Liu, *Computer Solution of Large Sparse Positive Definite Systems*, 1981, ch. 4).
///
/// Row i of the lower triangle is stored densely from its first non-zero column f_i to the diagonal; fill-in
/// of the Cholesky factor stays inside this envelope, so factorising costs Σ_i (i − f_i)²/2 multiply–adds and a
/// solve 2 Σ_i (i − f_i). Each entry of L is a dot product of two contiguous row segments (the bordering
/// method), which keeps the inner loop on unit-stride memory. Order the unknowns first (e.g. with
/// `SparseOrdering.reverseCuthillMcKee`) to keep the envelope narrow.
///
/// Used by the finite-element elasticity model: the stiffness matrix is factorised once per mesh and every
/// load (every time of a discharge) costs only a forward and a backward substitution.
public struct SkylineCholesky: Sendable {
    public let n: Int
    /// First column of row i inside the envelope.
    public let firstColumn: [Int]
    /// Offset of row i's first stored entry in `values`; row i holds columns firstColumn[i]…i.
    private let rowStart: [Int]
    private var values: [Double]
    public private(set) var isFactorised = false

    /// An all-zero matrix with the given envelope (`firstColumn[i] ≤ i`).
    public init(firstColumn: [Int]) {
        n = firstColumn.count
        self.firstColumn = firstColumn
        var start = [Int](repeating: 0, count: n + 1)
        for i in 0..<n {
            precondition(
                firstColumn[i] >= 0 && firstColumn[i] <= i, "envelope of row \(i) starts at column \(firstColumn[i])")
            start[i + 1] = start[i] + (i - firstColumn[i] + 1)
        }
        rowStart = start
        values = [Double](repeating: 0, count: start[n])
    }

    /// Number of stored entries (the profile plus the diagonal).
    public var storedEntries: Int { values.count }

    /// Adds `value` to A(i, j) (and, by symmetry, A(j, i)); the entry must lie inside the envelope.
    @inline(__always)
    public mutating func add(_ i: Int, _ j: Int, _ value: Double) {
        let (r, c) = i >= j ? (i, j) : (j, i)
        precondition(c >= firstColumn[r], "SkylineCholesky.add(\(i), \(j)) is outside the envelope")
        values[rowStart[r] + c - firstColumn[r]] += value
    }

    public func element(_ i: Int, _ j: Int) -> Double {
        let (r, c) = i >= j ? (i, j) : (j, i)
        return c >= firstColumn[r] ? values[rowStart[r] + c - firstColumn[r]] : 0
    }

    /// Overwrites the matrix with its Cholesky factor L. Throws `SolverError.singularMatrix(row:)` when a pivot
    /// is not positive (the matrix is not positive definite, e.g. an unconstrained rigid-body mode).
    public mutating func factorise() throws {
        precondition(!isFactorised, "already factorised")
        let n = self.n
        try firstColumn.withUnsafeBufferPointer { first in
            try rowStart.withUnsafeBufferPointer { start in
                try values.withUnsafeMutableBufferPointer { v in
                    let base = v.baseAddress!
                    for i in 0..<n {
                        let fi = first[i]
                        let si = start[i]
                        let rowI = base + si - fi  // rowI[c] = L(i, c) for c ≥ fi
                        var j = fi
                        while j < i {
                            let fj = first[j]
                            let rowJ = base + start[j] - fj
                            let k0 = max(fi, fj)
                            let s = rowI[j] - Self.dot(rowI + k0, rowJ + k0, j - k0)
                            rowI[j] = s / rowJ[j]
                            j += 1
                        }
                        let d = rowI[i] - Self.dot(rowI + fi, rowI + fi, i - fi)
                        guard d > 0, d.isFinite else { throw SolverError.singularMatrix(row: i) }
                        rowI[i] = d.squareRoot()
                    }
                }
            }
        }
        isFactorised = true
    }

    /// Solves A x = b in place (after `factorise()`).
    public func solve(_ b: inout [Double]) { solveRange(&b, firstNonzero: 0, neededFrom: 0) }

    /// Solves A x = b when b is zero before `firstNonzero` (the forward sweep starts there) and only
    /// x[neededFrom...] is wanted (the backward sweep stops there; earlier entries are left unspecified).
    public func solveRange(_ b: inout [Double], firstNonzero: Int, neededFrom: Int) {
        precondition(isFactorised && b.count == n, "solve needs a factorised matrix and \(n) right-hand-side entries")
        let n = self.n
        firstColumn.withUnsafeBufferPointer { first in
            rowStart.withUnsafeBufferPointer { start in
                values.withUnsafeBufferPointer { v in
                    b.withUnsafeMutableBufferPointer { x in
                        let base = v.baseAddress!
                        let xb = x.baseAddress!
                        // L y = b (row-oriented: dot products)
                        for i in max(0, firstNonzero)..<n {
                            let fi = max(first[i], firstNonzero)
                            let row = base + start[i] - first[i]
                            xb[i] = (xb[i] - Self.dot(row + fi, xb + fi, i - fi)) / row[i]
                        }
                        // Lᵀ x = y (column-oriented: row i of L is column i of Lᵀ)
                        var i = n - 1
                        while i >= neededFrom {
                            let fi = first[i]
                            let row = base + start[i] - fi
                            let xi = xb[i] / row[i]
                            xb[i] = xi
                            var k = fi
                            while k < i {
                                xb[k] -= row[k] * xi
                                k += 1
                            }
                            i -= 1
                        }
                    }
                }
            }
        }
    }

    /// Dot product with four independent accumulators (the compiler may not reassociate floating-point sums).
    @inline(__always)
    private static func dot(_ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>, _ count: Int)
        -> Double
    {
        var s0 = 0.0
        var s1 = 0.0
        var s2 = 0.0
        var s3 = 0.0
        var k = 0
        while k + 4 <= count {
            s0 += a[k] * b[k]
            s1 += a[k + 1] * b[k + 1]
            s2 += a[k + 2] * b[k + 2]
            s3 += a[k + 3] * b[k + 3]
            k += 4
        }
        while k < count {
            s0 += a[k] * b[k]
            k += 1
        }
        return (s0 + s1) + (s2 + s3)
    }

    @inline(__always)
    private static func dot(_ a: UnsafePointer<Double>, _ b: UnsafeMutablePointer<Double>, _ count: Int) -> Double {
        dot(UnsafeMutablePointer(mutating: a), b, count)
    }
}

/// Fill-reducing orderings of sparse symmetric matrices given as adjacency lists.
public enum SparseOrdering {
    /// Reverse Cuthill–McKee ordering (Cuthill and McKee 1969; reversal: George 1971), started from a
    /// pseudo-peripheral vertex found by repeated breadth-first search (George and Liu 1979). Returns the
    /// permutation `order` with `order[newIndex] = oldIndex`. Disconnected components are ordered one after another.
    public static func reverseCuthillMcKee(adjacency: [[Int]]) -> [Int] {
        let n = adjacency.count
        var visited = [Bool](repeating: false, count: n)
        var order: [Int] = []
        order.reserveCapacity(n)
        let degree = adjacency.map(\.count)
        for seed in 0..<n where !visited[seed] {
            let start = pseudoPeripheral(from: seed, adjacency: adjacency)
            var queue = [start]
            visited[start] = true
            var head = 0
            while head < queue.count {
                let v = queue[head]
                head += 1
                let next = adjacency[v].filter { !visited[$0] }.sorted { (degree[$0], $0) < (degree[$1], $1) }
                for w in next {
                    visited[w] = true
                    queue.append(w)
                }
            }
            order += queue
        }
        return order.reversed()
    }

    /// Sum over rows of (row − first column in the row's envelope) for a symmetric pattern under `order`.
    public static func profile(adjacency: [[Int]], order: [Int]) -> Int {
        var position = [Int](repeating: 0, count: order.count)
        for (k, v) in order.enumerated() { position[v] = k }
        var total = 0
        for v in 0..<adjacency.count {
            let p = position[v]
            total += p - adjacency[v].reduce(p) { min($0, position[$1]) }
        }
        return total
    }

    private static func pseudoPeripheral(from seed: Int, adjacency: [[Int]]) -> Int {
        var v = seed
        var (levels, last) = levelStructure(from: v, adjacency: adjacency)
        for _ in 0..<8 {
            let candidate = last.min { (adjacency[$0].count, $0) < (adjacency[$1].count, $1) }!
            let (l2, last2) = levelStructure(from: candidate, adjacency: adjacency)
            if l2 <= levels { break }
            v = candidate
            levels = l2
            last = last2
        }
        return v
    }

    /// Depth of the BFS level structure rooted at `root`, and its last level.
    private static func levelStructure(from root: Int, adjacency: [[Int]]) -> (Int, [Int]) {
        var depth = [Int](repeating: -1, count: adjacency.count)
        depth[root] = 0
        var frontier = [root]
        var depthCount = 0
        while true {
            var next: [Int] = []
            for v in frontier {
                for w in adjacency[v] where depth[w] < 0 {
                    depth[w] = depthCount + 1
                    next.append(w)
                }
            }
            if next.isEmpty { return (depthCount, frontier) }
            frontier = next
            depthCount += 1
        }
    }
}
