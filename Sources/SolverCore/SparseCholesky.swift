import Foundation

/// The symbolic analysis of a sparse symmetric positive-definite matrix for `SparseCholesky`: a nested-dissection
/// ordering and the supernodes of its Cholesky factor. It depends only on the pattern, so one analysis serves every
/// matrix with that pattern (every step size of a time integration, every refactorisation).
///
/// **Ordering.** Nested dissection by coordinate bisection (George, SIAM J. Numer. Anal. 10, 345 (1973); for
/// meshes in general: George and Liu, *Computer Solution of Large Sparse Positive Definite Systems*, 1981, ch. 8):
/// the unknowns of a part are split at the median coordinate, in x or in y, whichever gives the smaller separator;
/// the unknowns on the upper side that touch the lower side form the separator, numbered after both halves, which are dissected in turn
/// until a part has at most `leafSize` unknowns. On an n_x × n_y grid the factor then holds O(n log n) entries and
/// costs O(n^{3/2}) operations, against n·min(n_x, n_y) and n·min(n_x, n_y)² for a banded (envelope) factor.
/// Unknowns listed in `last` are numbered after everything else, in the given order, as one supernode (a
/// constrained ordering, as CHOLMOD's CAMD offers): the block of A⁻¹ on them then comes from that supernode alone
/// (`SparseCholesky.solveTrailing`).
///
/// **Supernodes.** Each separator and each leaf is one supernode: a run of consecutive columns of L stored as one
/// dense column-major block over the supernode's rows (its own columns followed by the rows below it that the
/// elimination fills, in increasing order). The rows are the union of the columns' own neighbours after the supernode
/// and the children's rows after it (the multifrontal row structure, Liu, SIAM Review 34, 82 (1992), §4).
public struct SparseCholeskyStructure: Sendable {
    /// Number of unknowns.
    public let n: Int
    /// `order[k]` is the original index of the k-th pivot; `position` is its inverse.
    public let order: [Int]
    public let position: [Int]
    /// Number of unknowns numbered last on request (the last supernode when non-zero).
    public let trailingCount: Int
    /// Supernode t owns the pivots firstColumn[t] ..< firstColumn[t + 1].
    let firstColumn: [Int]
    /// Parent supernode (−1 for a root); children always precede their parent.
    let parent: [Int]
    /// Rows of supernode t: rowIndices[rowStart[t] ..< rowStart[t + 1]] (pivot numbers, increasing).
    let rowStart: [Int]
    let rowIndices: [Int]
    /// Offset of supernode t's dense block (rows × own columns, column-major) in the factor's values.
    let valueStart: [Int]
    /// The supernode owning each pivot.
    let supernodeOfColumn: [Int]
    /// Two independent subtrees for two-way parallel solves, when the factor is large enough to gain from them.
    let halves: SubtreeHalves?
    /// Rows of the tallest supernode: the length of the sweeps' work vector.
    let widestSupernode: Int

    /// Number of supernodes.
    public var supernodeCount: Int { parent.count }

    /// Where supernode t lives: its first pivot, its own columns, the offset of its rows in `rowIndices`, their
    /// number (own columns first), and the offset of its dense block (rows × own, column-major) in the values.
    @inline(__always)
    func bounds(of t: Int) -> (firstColumn: Int, own: Int, rowStart: Int, rows: Int, valueStart: Int) {
        (firstColumn[t], firstColumn[t + 1] - firstColumn[t], rowStart[t], rowStart[t + 1] - rowStart[t], valueStart[t])
    }

    /// Entries of L (lower triangle, including the explicit zeros of the dense blocks).
    public var factorEntries: Int {
        var total = 0
        for t in 0..<supernodeCount {
            let columns = firstColumn[t + 1] - firstColumn[t]
            let rows = rowStart[t + 1] - rowStart[t]
            total += rows * columns - columns * (columns - 1) / 2
        }
        return total
    }

    /// Multiply–adds of one numeric factorisation (Σ over columns of (rows below the pivot)² / 2, roughly).
    public var factorOperations: Double {
        var total = 0.0
        for t in 0..<supernodeCount {
            let rows = rowStart[t + 1] - rowStart[t]
            for j in 0..<(firstColumn[t + 1] - firstColumn[t]) {
                let below = Double(rows - j - 1)
                total += below * below / 2 + below
            }
        }
        return total
    }

    /// Analyses the pattern given by `adjacency` (the off-diagonal neighbours of each unknown; made symmetric here)
    /// with the coordinates `x`, `y` of every unknown (unknowns sharing a mesh node share its coordinates).
    /// `last` lists unknowns to number last, in that order; `leafSize` is the largest part left undissected.
    public init(adjacency: [[Int]], x: [Double], y: [Double], last: [Int] = [], leafSize: Int = 16) throws {
        let (start, list) = Self.compressedRows(adjacency)
        try self.init(neighbourStart: start, neighbours: list, x: x, y: y, last: last, leafSize: leafSize)
    }

    /// Adjacency lists as compressed rows (row starts, concatenated rows).
    static func compressedRows(_ adjacency: [[Int]]) -> (start: [Int], list: [Int]) {
        var start = [0]
        start.reserveCapacity(adjacency.count + 1)
        var list: [Int] = []
        for row in adjacency {
            list += row
            start.append(list.count)
        }
        return (start, list)
    }

    /// The analysis of a pattern, reused when this process has analysed the identical pattern before (the same
    /// rows, coordinates, `last` and `leafSize`; the four most recent patterns are kept): a study that builds
    /// several models on one mesh — the stress fields of every C-rate, the discharges of a sweep — analyses it
    /// once (a cached symbolic factorisation). The analysis is deterministic, so a reused one is the one that
    /// would have been computed. Thread-safe.
    public static func shared(
        neighbourStart: [Int], neighbours: [Int], x: [Double], y: [Double], last: [Int] = [], leafSize: Int = 16
    ) throws -> SparseCholeskyStructure {
        let key = PatternKey(
            neighbourStart: neighbourStart, neighbours: neighbours, x: x, y: y, last: last, leafSize: leafSize)
        if let known = StructureCache.shared.structure(for: key) { return known }
        let analysed = try SparseCholeskyStructure(
            neighbourStart: neighbourStart, neighbours: neighbours, x: x, y: y, last: last, leafSize: leafSize)
        StructureCache.shared.store(analysed, for: key)
        return analysed
    }

    /// `shared` for a pattern given as adjacency lists.
    public static func shared(
        adjacency: [[Int]], x: [Double], y: [Double], last: [Int] = [], leafSize: Int = 16
    ) throws -> SparseCholeskyStructure {
        let (start, list) = compressedRows(adjacency)
        return try shared(neighbourStart: start, neighbours: list, x: x, y: y, last: last, leafSize: leafSize)
    }

    /// The same from a pattern in compressed rows: the neighbours of unknown v are
    /// `neighbours[neighbourStart[v] ..< neighbourStart[v + 1]]` (any order, repeats allowed; made symmetric here).
    public init(
        neighbourStart: [Int], neighbours: [Int], x: [Double], y: [Double], last: [Int] = [], leafSize: Int = 16
    ) throws {
        let n = neighbourStart.count - 1
        guard n >= 0, neighbourStart[0] == 0, neighbourStart.last == neighbours.count,
            zip(neighbourStart, neighbourStart.dropFirst()).allSatisfy({ $0 <= $1 })
        else {
            throw SolverError.invalidArgument(
                "SparseCholeskyStructure: row starts must rise from 0 to the \(neighbours.count) neighbours")
        }
        guard x.count == n, y.count == n else {
            throw SolverError.invalidArgument(
                "SparseCholeskyStructure: \(n) unknowns but \(x.count) x- and \(y.count) y-coordinates")
        }
        guard leafSize >= 1 else {
            throw SolverError.invalidArgument("SparseCholeskyStructure: leafSize \(leafSize) < 1")
        }
        if let bad = neighbours.first(where: { !(0..<n).contains($0) }) {
            throw SolverError.invalidArgument("SparseCholeskyStructure: neighbour \(bad) is not one of \(n) unknowns")
        }
        // The symmetric pattern without the diagonal, in compressed rows, each row increasing.
        var degree = [Int](repeating: 0, count: n + 1)
        for v in 0..<n {
            for index in neighbourStart[v]..<neighbourStart[v + 1] where neighbours[index] != v {
                degree[v + 1] += 1
                degree[neighbours[index] + 1] += 1
            }
        }
        for v in 0..<n { degree[v + 1] += degree[v] }
        var fill = degree
        var both = [Int](repeating: 0, count: degree[n])
        for v in 0..<n {
            for index in neighbourStart[v]..<neighbourStart[v + 1] where neighbours[index] != v {
                let w = neighbours[index]
                both[fill[v]] = w
                fill[v] += 1
                both[fill[w]] = v
                fill[w] += 1
            }
        }
        let (symmetricStart, symmetricList) = Self.uniqueRows(start: degree, entries: both)
        var isLast = [Bool](repeating: false, count: n)
        for v in last {
            guard (0..<n).contains(v), !isLast[v] else {
                throw SolverError.invalidArgument(
                    "SparseCholeskyStructure: `last` lists \(v), which is out of range or repeated")
            }
            isLast[v] = true
        }
        self.n = n
        trailingCount = last.count

        // Nested dissection: supernodes are created children first, so creation order is a postorder and the
        // pivots are numbered in creation order.
        var dissector = NestedDissector(
            neighbourStart: symmetricStart, neighbours: symmetricList, x: x, y: y, leafSize: leafSize)
        var roots = dissector.dissect((0..<n).filter { !isLast[$0] })
        var columnsOf = dissector.columnsOf
        var childrenOf = dissector.childrenOf
        if !last.isEmpty {
            columnsOf.append(last)  // in the caller's order
            childrenOf.append(roots)
            roots = [columnsOf.count - 1]
        }
        let supernodes = columnsOf.count
        var parent = [Int](repeating: -1, count: supernodes)
        for (t, children) in childrenOf.enumerated() { for c in children { parent[c] = t } }
        var order: [Int] = []
        order.reserveCapacity(n)
        var firstColumn = [0]
        for columns in columnsOf {
            order += columns
            firstColumn.append(order.count)
        }
        var position = [Int](repeating: 0, count: n)
        for (k, v) in order.enumerated() { position[v] = k }
        var supernodeOfColumn = [Int](repeating: 0, count: n)
        for t in 0..<supernodes { for k in firstColumn[t]..<firstColumn[t + 1] { supernodeOfColumn[k] = t } }

        // Row structure, children first.
        var rowStart = [0]
        var rowIndices: [Int] = []
        var valueStart = [0]
        var mark = [Int](repeating: -1, count: n)
        for t in 0..<supernodes {
            let c0 = firstColumn[t]
            let c1 = firstColumn[t + 1]
            var below: [Int] = []
            for k in c0..<c1 {
                for w in symmetricList[symmetricStart[order[k]]..<symmetricStart[order[k] + 1]] {
                    let p = position[w]
                    if p >= c1 && mark[p] != t {
                        mark[p] = t
                        below.append(p)
                    }
                }
            }
            for c in childrenOf[t] {
                let childColumns = firstColumn[c + 1] - firstColumn[c]
                for index in (rowStart[c] + childColumns)..<rowStart[c + 1] {
                    let p = rowIndices[index]
                    if p >= c1 && mark[p] != t {
                        mark[p] = t
                        below.append(p)
                    }
                }
            }
            below.sort()
            rowIndices += Array(c0..<c1)
            rowIndices += below
            rowStart.append(rowIndices.count)
            valueStart.append(valueStart[t] + (c1 - c0) * (c1 - c0 + below.count))
        }
        self.order = order
        self.position = position
        self.firstColumn = firstColumn
        self.parent = parent
        self.rowStart = rowStart
        self.rowIndices = rowIndices
        self.valueStart = valueStart
        self.supernodeOfColumn = supernodeOfColumn
        let entries = (0..<supernodes).map { t in
            let columns = firstColumn[t + 1] - firstColumn[t]
            return (rowStart[t + 1] - rowStart[t]) * columns - columns * (columns - 1) / 2
        }
        widestSupernode = (0..<supernodes).reduce(0) { widest, t in max(widest, rowStart[t + 1] - rowStart[t]) }
        halves =
            entries.reduce(0, +) >= SubtreeHalves.minimumEntries
            ? SubtreeHalves(parent: parent, entries: entries, firstColumn: firstColumn) : nil
    }
}

/// A split of the supernodal elimination tree for two-way parallel triangular solves: below the chain of single-child
/// ancestors at the top of the tree (the first separators of the dissection, `top`), the subtrees fall into two
/// groups, `first` and `second`, contiguous in the (post)order and balanced by factor entries. Neither group holds an
/// ancestor of the other, so their columns of L touch only their own rows and the top's: the forward sweep runs the
/// two groups at once (each collecting its updates of the top rows apart, added after the join in a fixed order),
/// then the top; the backward sweep runs the top, then the two groups at once (J. W. H. Liu, "The role of
/// elimination trees in sparse factorization", SIAM J. Matrix Anal. Appl. 11, 134 (1990): independent subtrees).
struct SubtreeHalves: Sendable {
    /// Below this many entries in L a sweep takes well under 0.2 ms, and handing half to a second thread costs more
    /// than it saves.
    static let minimumEntries = 250_000
    let first: Range<Int>
    let second: Range<Int>
    /// Supernodes topSupernode ..< count, and their first pivot.
    let topSupernode: Int
    let topColumn: Int

    /// nil when the tree has no two subtrees each carrying a quarter of the entries, or when the numbering is not a
    /// postorder with contiguous subtrees (then the ranges would not be independent).
    init?(parent: [Int], entries: [Int], firstColumn: [Int]) {
        let count = parent.count
        var lowest = Array(0..<count)
        var size = [Int](repeating: 1, count: count)
        var weight = entries
        var children = [[Int]](repeating: [], count: count + 1)  // index `count`: a virtual root over the roots
        for t in 0..<count {
            let p = parent[t]
            guard p == -1 || p > t else { return nil }
            children[p == -1 ? count : p].append(t)
            if p >= 0 {
                lowest[p] = min(lowest[p], lowest[t])
                size[p] += size[t]
                weight[p] += weight[t]
            }
        }
        guard (0..<count).allSatisfy({ size[$0] == $0 - lowest[$0] + 1 }) else { return nil }
        var node = count
        while children[node].count == 1 { node = children[node][0] }
        let below = children[node]
        guard below.count >= 2 else { return nil }
        // Consecutive subtrees: each starts right after the previous one ends.
        guard lowest[below[0]] == 0, zip(below, below.dropFirst()).allSatisfy({ lowest[$1] == $0 + 1 }) else {
            return nil
        }
        let total = below.reduce(0) { $0 + weight[$1] }
        var bestCut = 1
        var bestImbalance = Int.max
        var running = 0
        for cut in 1..<below.count {
            running += weight[below[cut - 1]]
            let imbalance = abs(total - 2 * running)
            if imbalance < bestImbalance {
                bestImbalance = imbalance
                bestCut = cut
            }
        }
        let firstWeight = below[0..<bestCut].reduce(0) { $0 + weight[$1] }
        guard 4 * min(firstWeight, total - firstWeight) >= entries.reduce(0, +) else { return nil }
        first = 0..<(below[bestCut - 1] + 1)
        second = (below[bestCut - 1] + 1)..<(below.last! + 1)
        topSupernode = below.last! + 1
        topColumn = firstColumn[topSupernode]
    }
}

/// Nested dissection by coordinate bisection (see `SparseCholeskyStructure`): `dissect` creates the supernodes of
/// a part, children first, and returns the roots it created.
private struct NestedDissector {
    let neighbourStart: [Int]
    let neighbours: [Int]
    let x: [Double]
    let y: [Double]
    let leafSize: Int
    /// Columns (original indices, increasing) and children of each supernode created so far.
    var columnsOf: [[Int]] = []
    var childrenOf: [[Int]] = []
    /// stamp[v] == stampCounter marks the lower side of the bisection under way.
    private var stamp: [Int]
    private var stampCounter = 0

    init(neighbourStart: [Int], neighbours: [Int], x: [Double], y: [Double], leafSize: Int) {
        self.neighbourStart = neighbourStart
        self.neighbours = neighbours
        self.x = x
        self.y = y
        self.leafSize = leafSize
        stamp = [Int](repeating: -1, count: x.count)
    }

    mutating func makeSupernode(_ columns: [Int], children: [Int]) -> Int {
        columnsOf.append(columns.sorted())
        childrenOf.append(children)
        return columnsOf.count - 1
    }

    mutating func dissect(_ part: [Int]) -> [Int] {
        if part.count <= leafSize { return [makeSupernode(part, children: [])] }
        // Both directions are tried and the smaller separator kept (the longer physical extent is not always the
        // one with fewer unknowns across when the mesh spacing differs between directions).
        var best = bisect(part, alongX: true)
        if let other = bisect(part, alongX: false) {
            if let current = best {
                let key = { (b: Bisection) in (b.separator.count, abs(b.lower.count - b.rest.count)) }
                if key(other) < key(current) { best = other }
            } else {
                best = other
            }
        }
        guard let split = best else { return [makeSupernode(part, children: [])] }
        let roots = dissect(split.lower) + (split.rest.isEmpty ? [] : dissect(split.rest))
        return split.separator.isEmpty ? roots : [makeSupernode(split.separator, children: roots)]
    }

    struct Bisection {
        var lower: [Int] = []
        var rest: [Int] = []
        var separator: [Int] = []
    }

    /// Splits `part` at the median of one coordinate: the lower side, the upper side without the separator, and
    /// the separator (upper unknowns with a lower neighbour); nil when every unknown has the same coordinate.
    mutating func bisect(_ part: [Int], alongX: Bool) -> Bisection? {
        let coordinate = alongX ? x : y
        var values = part.map { coordinate[$0] }
        var smallest = Double.infinity
        var largest = -Double.infinity
        for value in values {
            smallest = min(smallest, value)
            largest = max(largest, value)
        }
        guard largest > smallest else { return nil }
        var cut = SparseCholeskyStructure.select(&values, rank: values.count / 2)
        if cut == smallest {
            cut = largest
            for value in values where value > smallest { cut = min(cut, value) }
        }
        stampCounter += 1
        let mark = stampCounter
        var result = Bisection()
        var upper: [Int] = []
        upper.reserveCapacity(part.count / 2 + 1)
        result.lower.reserveCapacity(part.count / 2 + 1)
        stamp.withUnsafeMutableBufferPointer { stamps in
            for v in part {
                if coordinate[v] < cut {
                    result.lower.append(v)
                    stamps[v] = mark
                } else {
                    upper.append(v)
                }
            }
            neighbours.withUnsafeBufferPointer { list in
                neighbourStart.withUnsafeBufferPointer { start in
                    for v in upper {
                        var touchesLower = false
                        for index in start[v]..<start[v + 1] where stamps[list[index]] == mark {
                            touchesLower = true
                            break
                        }
                        if touchesLower {
                            result.separator.append(v)
                        } else {
                            result.rest.append(v)
                        }
                    }
                }
            }
        }
        return result
    }
}

extension SparseCholeskyStructure {
    /// A pattern in compressed rows (row v is entries[start[v] ..< start[v + 1]]) with every row sorted and its
    /// repeats removed.
    public static func uniqueRows(start: [Int], entries: [Int]) -> (start: [Int], entries: [Int]) {
        var sorted = entries
        var uniqueStart = [0]
        uniqueStart.reserveCapacity(start.count)
        var unique: [Int] = []
        unique.reserveCapacity(entries.count)
        sorted.withUnsafeMutableBufferPointer { buffer in
            for v in 0..<(start.count - 1) {
                var row = UnsafeMutableBufferPointer(rebasing: buffer[start[v]..<start[v + 1]])
                row.sort()
                for (k, w) in row.enumerated() where k == 0 || w != row[k - 1] { unique.append(w) }
                uniqueStart.append(unique.count)
            }
        }
        return (uniqueStart, unique)
    }

    /// The value of the given rank (0-based) in `values`, which is reordered: Hoare's selection ("FIND",
    /// Comm. ACM 4, 321 (1961)) with a median-of-three pivot, expected O(n).
    static func select(_ values: inout [Double], rank: Int) -> Double {
        var lo = 0
        var hi = values.count - 1
        while lo < hi {
            let mid = (lo + hi) >> 1
            let pivot = max(min(values[lo], values[mid]), min(max(values[lo], values[mid]), values[hi]))
            var i = lo
            var j = hi
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if rank <= j {
                hi = j
            } else if rank >= i {
                lo = i
            } else {
                return values[rank]
            }
        }
        return values[rank]
    }
}

/// Sparse Cholesky factorisation A = L Lᵀ (in the pivot order of a `SparseCholeskyStructure`) by the supernodal
/// multifrontal method (Duff and Reid, ACM TOMS 9, 302 (1983); Liu, SIAM Review 34, 82 (1992)).
///
/// Entries of A are added straight into the dense blocks of L (`add`), so no second copy of A is kept. `factorise`
/// visits the supernodes children first: a supernode's block receives its children's update matrices
/// (extend-add), is factorised in place (left-looking, dense), and leaves the update matrix
/// U = A₂₂ + ΣU_children − L₂₁L₂₁ᵀ of the rows below it for its parent. Every inner loop runs over a contiguous
/// column of a dense block. `solve` does one forward and one backward sweep over the blocks; for a factor of at least
/// `SubtreeHalves.minimumEntries` entries it sweeps the two independent halves of the elimination tree on two threads
/// (same result on every run; it differs from the one-thread sweeps only by rounding).
public struct SparseCholesky: Sendable {
    public let structure: SparseCholeskyStructure
    private var values: [Double]
    public private(set) var isFactorised = false

    /// An all-zero matrix with the pattern of `structure`.
    public init(structure: SparseCholeskyStructure) {
        self.structure = structure
        values = [Double](repeating: 0, count: structure.valueStart.last ?? 0)
    }

    public var n: Int { structure.n }

    /// Sets every entry back to zero (to assemble and factorise another matrix with the same pattern).
    public mutating func reset() {
        values.withUnsafeMutableBufferPointer { buffer in
            for k in buffer.indices { buffer[k] = 0 }
        }
        isFactorised = false
    }

    /// Adds `value` to A(i, j) and, by symmetry, A(j, i) (original indices). The entry must be in the pattern:
    /// i = j or j among i's neighbours.
    @inline(__always)
    public mutating func add(_ i: Int, _ j: Int, _ value: Double) {
        precondition(!isFactorised, "SparseCholesky.add after factorise(); reset() first")
        let p = structure.position[i]
        let q = structure.position[j]
        let (row, column) = p >= q ? (p, q) : (q, p)
        let t = structure.supernodeOfColumn[column]
        let c0 = structure.firstColumn[t]
        let r0 = structure.rowStart[t]
        let rows = structure.rowStart[t + 1] - r0
        // The rows are increasing: from the column's own diagonal position, a few steps of linear scan (the diagonal
        // and the near neighbours of an assembly stencil), then binary search.
        var lo = r0 + column - c0
        var hi = r0 + rows
        let scanEnd = min(lo + 4, hi)
        while lo < scanEnd && structure.rowIndices[lo] < row { lo += 1 }
        if lo == scanEnd {
            while lo < hi {
                let mid = (lo + hi) >> 1
                if structure.rowIndices[mid] < row { lo = mid + 1 } else { hi = mid }
            }
        }
        precondition(
            lo < r0 + rows && structure.rowIndices[lo] == row, "SparseCholesky.add(\(i), \(j)) is outside the pattern")
        values[structure.valueStart[t] + (column - c0) * rows + (lo - r0)] += value
    }

    /// Overwrites the matrix with its Cholesky factor. Throws `SolverError.singularMatrix(row:)` (original index)
    /// when a pivot is not positive: the matrix is not positive definite (e.g. an unconstrained rigid-body mode).
    public mutating func factorise() throws {
        precondition(!isFactorised, "already factorised")
        let structure = self.structure
        let supernodes = structure.supernodeCount
        var updates = [[Double]](repeating: [], count: supernodes)
        var children = [[Int]](repeating: [], count: supernodes)
        for t in 0..<supernodes where structure.parent[t] >= 0 { children[structure.parent[t]].append(t) }
        var local = [Int](repeating: 0, count: structure.n)
        try values.withUnsafeMutableBufferPointer { valueBuffer in
            let base = valueBuffer.baseAddress!
            for t in 0..<supernodes {
                let (c0, own, r0, rows, valueStart) = structure.bounds(of: t)
                let below = rows - own
                for k in 0..<rows { local[structure.rowIndices[r0 + k]] = k }
                let panel = base + valueStart
                var update = [Double](repeating: 0, count: below * below)
                try update.withUnsafeMutableBufferPointer { updateBuffer in
                    let updatePointer = updateBuffer.baseAddress
                    // Extend-add the children's update matrices.
                    for c in children[t] {
                        let childOwn = structure.firstColumn[c + 1] - structure.firstColumn[c]
                        let childRows = Array(
                            structure.rowIndices[(structure.rowStart[c] + childOwn)..<structure.rowStart[c + 1]])
                        let size = childRows.count
                        let target = childRows.map { local[$0] }
                        updates[c].withUnsafeBufferPointer { childUpdate in
                            for jj in 0..<size {
                                let column = target[jj]
                                let source = childUpdate.baseAddress! + jj * size
                                if column < own {
                                    let destination = panel + column * rows
                                    for ii in jj..<size { destination[target[ii]] += source[ii] }
                                } else {
                                    let destination = updatePointer! + (column - own) * below - own
                                    for ii in jj..<size { destination[target[ii]] += source[ii] }
                                }
                            }
                        }
                        updates[c] = []
                    }
                    // Dense left-looking Cholesky of the panel's own columns, four at a time: the block first takes
                    // the updates of every column to its left (register-blocked), then is factorised in itself.
                    var j0 = 0
                    while j0 < own {
                        let width = min(4, own - j0)
                        if width == 4 {
                            for c in 0..<4 {
                                Self.subtract(
                                    into: panel + (j0 + c) * rows + j0 + c, length: 4 - c, columns: panel + j0 + c,
                                    stride: rows, columnCount: j0)
                            }
                            Self.subtractFour(
                                into: panel + j0 * rows, destinationStride: rows, rows: (j0 + 4)..<rows, sources: panel,
                                sourceStride: rows, columnCount: j0, multiplierRow: j0)
                        } else {
                            for c in 0..<width {
                                Self.subtract(
                                    into: panel + (j0 + c) * rows + j0 + c, length: rows - j0 - c,
                                    columns: panel + j0 + c, stride: rows, columnCount: j0)
                            }
                        }
                        for c in 0..<width {
                            let j = j0 + c
                            let column = panel + j * rows + j
                            Self.subtract(
                                into: column, length: rows - j, columns: panel + j0 * rows + j, stride: rows,
                                columnCount: c)
                            let pivot = column[0]
                            guard pivot > 0, pivot.isFinite else {
                                throw SolverError.singularMatrix(row: structure.order[c0 + j])
                            }
                            let root = pivot.squareRoot()
                            column[0] = root
                            let inverse = 1 / root
                            for i in 1..<(rows - j) { column[i] *= inverse }
                        }
                        j0 += width
                    }
                    // U -= L₂₁ L₂₁ᵀ (lower triangle), four columns of U at a time.
                    guard below > 0 else { return }
                    let updateBlock = updatePointer!
                    let sources = panel + own
                    var jj = 0
                    while jj + 4 <= below {
                        for c in 0..<4 {
                            Self.subtract(
                                into: updateBlock + (jj + c) * below + jj + c, length: 4 - c, columns: sources + jj + c,
                                stride: rows, columnCount: own)
                        }
                        Self.subtractFour(
                            into: updateBlock + jj * below, destinationStride: below, rows: (jj + 4)..<below,
                            sources: sources,
                            sourceStride: rows, columnCount: own, multiplierRow: jj)
                        jj += 4
                    }
                    while jj < below {
                        Self.subtract(
                            into: updateBlock + jj * below + jj, length: below - jj, columns: sources + jj,
                            stride: rows,
                            columnCount: own)
                        jj += 1
                    }
                }
                updates[t] = update
            }
        }
        isFactorised = true
    }

    /// destination[i] −= Σ_k columns[k·stride] · columns[k·stride + i] for i < length, k < columnCount: the
    /// update of a column segment by the columns to its left, whose first entries are the multipliers.
    @inline(__always)
    private static func subtract(
        into destination: UnsafeMutablePointer<Double>, length: Int, columns: UnsafeMutablePointer<Double>, stride: Int,
        columnCount: Int
    ) {
        var k = 0
        while k + 4 <= columnCount {
            let s0 = columns + k * stride
            let s1 = s0 + stride
            let s2 = s1 + stride
            let s3 = s2 + stride
            let a0 = s0[0]
            let a1 = s1[0]
            let a2 = s2[0]
            let a3 = s3[0]
            for i in 0..<length { destination[i] -= (a0 * s0[i] + a1 * s1[i]) + (a2 * s2[i] + a3 * s3[i]) }
            k += 4
        }
        while k < columnCount {
            let s0 = columns + k * stride
            let a0 = s0[0]
            for i in 0..<length { destination[i] -= a0 * s0[i] }
            k += 1
        }
    }

    /// The same update for four consecutive destination columns at once (column c at destination + c·stride, rows
    /// `rows`), whose multipliers sit in row `multiplierRow + c` of the sources: each loaded source entry serves four
    /// columns, which halves the memory traffic per operation against one column at a time.
    @inline(__always)
    private static func subtractFour(
        into destination: UnsafeMutablePointer<Double>, destinationStride: Int, rows: Range<Int>,
        sources: UnsafeMutablePointer<Double>, sourceStride: Int, columnCount: Int, multiplierRow: Int
    ) {
        guard !rows.isEmpty else { return }
        let d0 = destination
        let d1 = d0 + destinationStride
        let d2 = d1 + destinationStride
        let d3 = d2 + destinationStride
        var k = 0
        while k + 2 <= columnCount {
            let s0 = sources + k * sourceStride
            let s1 = s0 + sourceStride
            let m = multiplierRow
            let a00 = SIMD2(repeating: s0[m])
            let a01 = SIMD2(repeating: s1[m])
            let a10 = SIMD2(repeating: s0[m + 1])
            let a11 = SIMD2(repeating: s1[m + 1])
            let a20 = SIMD2(repeating: s0[m + 2])
            let a21 = SIMD2(repeating: s1[m + 2])
            let a30 = SIMD2(repeating: s0[m + 3])
            let a31 = SIMD2(repeating: s1[m + 3])
            var i = rows.lowerBound
            while i + 2 <= rows.upperBound {
                let x0 = load(s0 + i)
                let x1 = load(s1 + i)
                store(load(d0 + i) - (a00 * x0 + a01 * x1), d0 + i)
                store(load(d1 + i) - (a10 * x0 + a11 * x1), d1 + i)
                store(load(d2 + i) - (a20 * x0 + a21 * x1), d2 + i)
                store(load(d3 + i) - (a30 * x0 + a31 * x1), d3 + i)
                i += 2
            }
            if i < rows.upperBound {
                let x0 = s0[i]
                let x1 = s1[i]
                d0[i] -= s0[m] * x0 + s1[m] * x1
                d1[i] -= s0[m + 1] * x0 + s1[m + 1] * x1
                d2[i] -= s0[m + 2] * x0 + s1[m + 2] * x1
                d3[i] -= s0[m + 3] * x0 + s1[m + 3] * x1
            }
            k += 2
        }
        if k < columnCount {
            let s0 = sources + k * sourceStride
            let m = multiplierRow
            for i in rows {
                let x0 = s0[i]
                d0[i] -= s0[m] * x0
                d1[i] -= s0[m + 1] * x0
                d2[i] -= s0[m + 2] * x0
                d3[i] -= s0[m + 3] * x0
            }
        }
    }

    @inline(__always)
    private static func load(_ pointer: UnsafeMutablePointer<Double>) -> SIMD2<Double> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD2<Double>.self)
    }

    @inline(__always)
    private static func store(_ value: SIMD2<Double>, _ pointer: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD2<Double>.self)
    }

    /// Solves A x = b in place (original indices; after `factorise()`).
    public func solve(_ b: inout [Double]) {
        guard let halves = structure.halves else {
            let y = forwardSolve(b)
            b = backwardSolve(y)
            return
        }
        precondition(isFactorised && b.count == n, "solve needs a factorised matrix and \(n) right-hand-side entries")
        // A large factor: the two independent halves of the tree on two threads (`SubtreeHalves`). The partition is
        // fixed and the top rows take the halves' updates in a fixed order, so the result does not depend on timing.
        let structure = self.structure
        var x = [Double](repeating: 0, count: n)
        for k in 0..<n { x[k] = b[structure.order[k]] }
        let topCount = n - halves.topColumn
        // (At least one entry: a pattern of separate parts has no top, and an empty buffer may have no address.)
        var updates = [Double](repeating: 0, count: max(2 * topCount, 1))
        let widest = structure.widestSupernode
        var work = [Double](repeating: 0, count: 2 * widest)
        let top = halves.topSupernode..<structure.supernodeCount
        values.withUnsafeBufferPointer { valueBuffer in
            structure.rowIndices.withUnsafeBufferPointer { rowBuffer in
                x.withUnsafeMutableBufferPointer { xBuffer in
                    work.withUnsafeMutableBufferPointer { workBuffer in
                        updates.withUnsafeMutableBufferPointer { updateBuffer in
                            let shared = SweepPointers(
                                values: valueBuffer.baseAddress!, rowIndices: rowBuffer.baseAddress!,
                                x: xBuffer.baseAddress!, work: workBuffer.baseAddress!,
                                updates: updateBuffer.baseAddress!)
                            DispatchQueue.concurrentPerform(iterations: 2) { half in
                                Self.forwardSweep(
                                    structure: structure, values: shared.values, rowIndices: shared.rowIndices,
                                    x: shared.x, work: shared.work + half * widest,
                                    supernodes: half == 0 ? halves.first : halves.second, topColumn: halves.topColumn,
                                    topUpdates: shared.updates + half * topCount)
                            }
                            for k in 0..<topCount { shared.x[halves.topColumn + k] -= shared.updates[k] }
                            for k in 0..<topCount { shared.x[halves.topColumn + k] -= shared.updates[topCount + k] }
                            Self.forwardSweep(
                                structure: structure, values: shared.values, rowIndices: shared.rowIndices,
                                x: shared.x, work: shared.work, supernodes: top)
                            Self.backwardSweep(
                                structure: structure, values: shared.values, rowIndices: shared.rowIndices,
                                x: shared.x, work: shared.work, supernodes: top)
                            DispatchQueue.concurrentPerform(iterations: 2) { half in
                                Self.backwardSweep(
                                    structure: structure, values: shared.values, rowIndices: shared.rowIndices,
                                    x: shared.x, work: shared.work + half * widest,
                                    supernodes: half == 0 ? halves.first : halves.second)
                            }
                        }
                    }
                }
            }
        }
        for k in 0..<n { b[structure.order[k]] = x[k] }
    }

    /// The buffers of a two-way sweep, handed to both threads (each writes only its own rows and work space).
    private struct SweepPointers: @unchecked Sendable {
        let values: UnsafePointer<Double>
        let rowIndices: UnsafePointer<Int>
        let x: UnsafeMutablePointer<Double>
        let work: UnsafeMutablePointer<Double>
        let updates: UnsafeMutablePointer<Double>
    }

    /// Solves A xᵣ = bᵣ for several right-hand sides at once (original indices, in place). The factor is read once
    /// for all of them: when the sweeps are limited by memory traffic (a factor of tens of megabytes) each
    /// further right-hand side costs only its arithmetic.
    public func solve(columns: inout [[Double]]) {
        let count = columns.count
        guard count > 1 else {
            if count == 1 { solve(&columns[0]) }
            return
        }
        precondition(
            isFactorised && columns.allSatisfy { $0.count == n }, "solve needs \(n) entries in every right-hand side")
        let structure = self.structure
        // Pivot-order rows, the right-hand sides of a row side by side.
        var x = [Double](repeating: 0, count: n * count)
        for r in 0..<count {
            for k in 0..<n { x[k * count + r] = columns[r][structure.order[k]] }
        }
        let widest = structure.widestSupernode
        var work = [Double](repeating: 0, count: widest * count)
        var sums = [Double](repeating: 0, count: count)
        values.withUnsafeBufferPointer { valueBuffer in
            structure.rowIndices.withUnsafeBufferPointer { rowBuffer in
                x.withUnsafeMutableBufferPointer { xBuffer in
                    work.withUnsafeMutableBufferPointer { workBuffer in
                        sums.withUnsafeMutableBufferPointer { sumBuffer in
                            Self.sweepMany(
                                structure: structure, values: valueBuffer.baseAddress!,
                                rowIndices: rowBuffer.baseAddress!, x: xBuffer.baseAddress!,
                                work: workBuffer.baseAddress!, sums: sumBuffer.baseAddress!, count: count)
                        }
                    }
                }
            }
        }
        for r in 0..<count {
            for k in 0..<n { columns[r][structure.order[k]] = x[k * count + r] }
        }
    }

    /// Forward and backward sweeps for `count` right-hand sides stored row by row (x[p·count + r]). Every row
    /// operation acts on the `count` contiguous values of a row, two at a time (`RowKernel`).
    private static func sweepMany(
        structure: SparseCholeskyStructure, values: UnsafePointer<Double>, rowIndices: UnsafePointer<Int>,
        x: UnsafeMutablePointer<Double>, work: UnsafeMutablePointer<Double>, sums: UnsafeMutablePointer<Double>,
        count: Int
    ) {
        let kernel = RowKernel(count: count)
        let supernodes = structure.supernodeCount
        for t in 0..<supernodes {
            let (c0, own, r0, rows, valueStart) = structure.bounds(of: t)
            let below = rows - own
            let panel = values + valueStart
            kernel.clear(work, rows: below)
            for j in 0..<own {
                let column = panel + j * rows
                let xj = x + (c0 + j) * count
                kernel.scale(xj, by: 1 / column[j])
                for i in (j + 1)..<own { kernel.subtract(column[i], times: xj, from: x + (c0 + i) * count) }
                for i in 0..<below { kernel.add(column[own + i], times: xj, to: work + i * count) }
            }
            let rowIndex = rowIndices + r0 + own
            for i in 0..<below { kernel.subtract(1, times: work + i * count, from: x + rowIndex[i] * count) }
        }
        var t = supernodes - 1
        while t >= 0 {
            let (c0, own, r0, rows, valueStart) = structure.bounds(of: t)
            let below = rows - own
            let panel = values + valueStart
            let rowIndex = rowIndices + r0 + own
            for i in 0..<below { kernel.copy(x + rowIndex[i] * count, to: work + i * count) }
            var j = own - 1
            while j >= 0 {
                let column = panel + j * rows
                kernel.clear(sums, rows: 1)
                for i in 0..<below { kernel.add(column[own + i], times: work + i * count, to: sums) }
                for i in (j + 1)..<own { kernel.add(column[i], times: x + (c0 + i) * count, to: sums) }
                let xj = x + (c0 + j) * count
                kernel.subtract(1, times: sums, from: xj)
                kernel.scale(xj, by: 1 / column[j])
                j -= 1
            }
            t -= 1
        }
    }

    /// Operations on one row of `count` right-hand-side values, two per vector operation.
    struct RowKernel {
        let count: Int
        let pairs: Int

        init(count: Int) {
            self.count = count
            pairs = count / 2
        }

        @inline(__always) func clear(_ target: UnsafeMutablePointer<Double>, rows: Int) {
            for k in 0..<(rows * count) { target[k] = 0 }
        }

        @inline(__always) func copy(_ source: UnsafeMutablePointer<Double>, to target: UnsafeMutablePointer<Double>) {
            for k in 0..<count { target[k] = source[k] }
        }

        @inline(__always) func scale(_ target: UnsafeMutablePointer<Double>, by factor: Double) {
            for k in 0..<count { target[k] *= factor }
        }

        /// target += factor · source
        @inline(__always)
        func add(_ factor: Double, times source: UnsafeMutablePointer<Double>, to target: UnsafeMutablePointer<Double>)
        {
            let splat = SIMD2(repeating: factor)
            for pair in 0..<pairs {
                let offset = 2 * pair
                let sum = SparseCholesky.load(target + offset) + splat * SparseCholesky.load(source + offset)
                SparseCholesky.store(sum, target + offset)
            }
            if count % 2 == 1 { target[count - 1] += factor * source[count - 1] }
        }

        /// target −= factor · source
        @inline(__always)
        func subtract(
            _ factor: Double, times source: UnsafeMutablePointer<Double>, from target: UnsafeMutablePointer<Double>
        ) {
            add(-factor, times: source, to: target)
        }
    }

    /// The forward half of a solve: y = L⁻¹ P b, in pivot order. With `backwardSolve` it splits a solve so that
    /// a right-hand side known only on the trailing unknowns can be added in between (`addTrailingForward`).
    public func forwardSolve(_ b: [Double]) -> [Double] {
        precondition(isFactorised && b.count == n, "solve needs a factorised matrix and \(n) right-hand-side entries")
        let structure = self.structure
        var y = [Double](repeating: 0, count: n)
        for k in 0..<n { y[k] = b[structure.order[k]] }
        withKernelPointers(&y) { values, rowIndices, y, work in
            Self.forwardSweep(structure: structure, values: values, rowIndices: rowIndices, x: y, work: work)
        }
        return y
    }

    /// The backward half of a solve: x = Pᵀ L⁻ᵀ y for y in pivot order; x in original indices.
    public func backwardSolve(_ y: [Double]) -> [Double] {
        precondition(isFactorised && y.count == n, "solve needs a factorised matrix and \(n) right-hand-side entries")
        let structure = self.structure
        var x = y
        withKernelPointers(&x) { values, rowIndices, x, work in
            Self.backwardSweep(structure: structure, values: values, rowIndices: rowIndices, x: x, work: work)
        }
        var b = [Double](repeating: 0, count: n)
        for k in 0..<n { b[structure.order[k]] = x[k] }
        return b
    }

    /// x on the trailing unknowns (in the order of `last`) from a forward result y: (L_TTᵀ)⁻¹ y_T, since the
    /// trailing rows of Lᵀ touch only trailing columns. A backward solve restricted to the last supernode.
    public func trailingBackSolve(_ y: [Double]) -> [Double] {
        let m = structure.trailingCount
        precondition(isFactorised && y.count == n, "trailingBackSolve needs a forward result of \(n) entries")
        var x = Array(y[(n - m)...])
        trailingSweeps(&x, forward: false, backward: true)
        return x
    }

    /// y_T += L_TT⁻¹ s for s on the trailing unknowns (in the order of `last`): the forward result of a
    /// right-hand side that is zero elsewhere, added without touching the other supernodes.
    public func addTrailingForward(_ s: [Double], to y: inout [Double]) {
        let m = structure.trailingCount
        precondition(isFactorised && s.count == m && y.count == n, "addTrailingForward needs \(m) entries")
        var z = s
        trailingSweeps(&z, forward: true, backward: false)
        for k in 0..<m { y[n - m + k] += z[k] }
    }

    private func withKernelPointers(
        _ x: inout [Double],
        _ body: (UnsafePointer<Double>, UnsafePointer<Int>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>)
            -> Void
    ) {
        let widest = structure.widestSupernode
        var work = [Double](repeating: 0, count: widest)
        values.withUnsafeBufferPointer { valueBuffer in
            structure.rowIndices.withUnsafeBufferPointer { rowBuffer in
                x.withUnsafeMutableBufferPointer { xBuffer in
                    work.withUnsafeMutableBufferPointer { workBuffer in
                        body(
                            valueBuffer.baseAddress!, rowBuffer.baseAddress!, xBuffer.baseAddress!,
                            workBuffer.baseAddress!)
                    }
                }
            }
        }
    }

    /// L y = b in pivot order, in place. Per supernode the rows below its own columns are one dense block:
    /// w = L₂₁ x_S is formed column by column in a contiguous work vector and scattered once.
    ///
    /// `supernodes` limits the sweep to a range (one of `SubtreeHalves`); with `topUpdates`, the updates of pivots
    /// from `topColumn` on are summed there instead of subtracted from x (the other half writes those rows too).
    private static func forwardSweep(
        structure: SparseCholeskyStructure, values: UnsafePointer<Double>, rowIndices: UnsafePointer<Int>,
        x: UnsafeMutablePointer<Double>, work: UnsafeMutablePointer<Double>, supernodes: Range<Int>? = nil,
        topColumn: Int = 0, topUpdates: UnsafeMutablePointer<Double>? = nil
    ) {
        for t in supernodes ?? 0..<structure.supernodeCount {
            let (c0, own, r0, rows, valueStart) = structure.bounds(of: t)
            let below = rows - own
            let panel = values + valueStart
            let xs = x + c0
            // The supernode's own triangle, column by column.
            for j in 0..<own {
                let column = panel + j * rows
                // × the reciprocal, not ÷: the reciprocal does not wait for xs[j], so the division leaves the
                // dependency chain of the triangle (its latency was half of a small factor's sweep).
                let xj = xs[j] * (1 / column[j])
                xs[j] = xj
                for i in (j + 1)..<own { xs[i] -= column[i] * xj }
            }
            guard below > 0 else { continue }
            // w = L₂₁ x_S, four columns per pass over w.
            for i in 0..<below { work[i] = 0 }
            var j = 0
            while j + 4 <= own {
                let column = panel + j * rows + own
                multiplyAdd(
                    into: work, columns: (column, column + rows, column + 2 * rows, column + 3 * rows),
                    scales: SIMD4(xs[j], xs[j + 1], xs[j + 2], xs[j + 3]), count: below)
                j += 4
            }
            while j < own {
                let column = panel + j * rows + own
                let xj = xs[j]
                for i in 0..<below { work[i] += column[i] * xj }
                j += 1
            }
            let rowIndex = rowIndices + r0 + own
            if let topUpdates {
                for i in 0..<below {
                    let row = rowIndex[i]
                    if row >= topColumn {
                        topUpdates[row - topColumn] += work[i]
                    } else {
                        x[row] -= work[i]
                    }
                }
            } else {
                for i in 0..<below { x[rowIndex[i]] -= work[i] }
            }
        }
    }

    /// w += Σ_c scales[c]·columns[c] over `count` rows (two rows per vector operation).
    @inline(__always)
    private static func multiplyAdd(
        into work: UnsafeMutablePointer<Double>,
        columns: (UnsafePointer<Double>, UnsafePointer<Double>, UnsafePointer<Double>, UnsafePointer<Double>),
        scales: SIMD4<Double>, count: Int
    ) {
        let s0 = SIMD2(repeating: scales[0])
        let s1 = SIMD2(repeating: scales[1])
        let s2 = SIMD2(repeating: scales[2])
        let s3 = SIMD2(repeating: scales[3])
        var i = 0
        while i + 2 <= count {
            var w = UnsafeRawPointer(work + i).loadUnaligned(as: SIMD2<Double>.self)
            w += UnsafeRawPointer(columns.0 + i).loadUnaligned(as: SIMD2<Double>.self) * s0
            w += UnsafeRawPointer(columns.1 + i).loadUnaligned(as: SIMD2<Double>.self) * s1
            w += UnsafeRawPointer(columns.2 + i).loadUnaligned(as: SIMD2<Double>.self) * s2
            w += UnsafeRawPointer(columns.3 + i).loadUnaligned(as: SIMD2<Double>.self) * s3
            UnsafeMutableRawPointer(work + i).storeBytes(of: w, as: SIMD2<Double>.self)
            i += 2
        }
        if i < count {
            work[i] +=
                columns.0[i] * scales[0] + columns.1[i] * scales[1] + columns.2[i] * scales[2]
                + columns.3[i] * scales[3]
        }
    }

    /// Lᵀ x = y in pivot order, in place, supernodes in reverse: x of the rows below a supernode is gathered once
    /// and each of its columns takes one contiguous dot product.
    private static func backwardSweep(
        structure: SparseCholeskyStructure, values: UnsafePointer<Double>, rowIndices: UnsafePointer<Int>,
        x: UnsafeMutablePointer<Double>, work: UnsafeMutablePointer<Double>, supernodes: Range<Int>? = nil
    ) {
        let range = supernodes ?? 0..<structure.supernodeCount
        var t = range.upperBound - 1
        while t >= range.lowerBound {
            let (c0, own, r0, rows, valueStart) = structure.bounds(of: t)
            let below = rows - own
            let panel = values + valueStart
            let xs = x + c0
            let rowIndex = rowIndices + r0 + own
            for i in 0..<below { work[i] = x[rowIndex[i]] }
            // The rows below are final: subtract L₂₁ᵀ w from the supernode's own entries first, four columns per
            // pass over w, then solve the own triangle.
            if below > 0 {
                var j = 0
                while j + 4 <= own {
                    let column = panel + j * rows + own
                    let sums = dots(
                        columns: (column, column + rows, column + 2 * rows, column + 3 * rows), with: work,
                        count: below)
                    xs[j] -= sums[0]
                    xs[j + 1] -= sums[1]
                    xs[j + 2] -= sums[2]
                    xs[j + 3] -= sums[3]
                    j += 4
                }
                while j < own {
                    xs[j] -= dot(panel + j * rows + own, work, below)
                    j += 1
                }
            }
            var j = own - 1
            while j >= 0 {
                let column = panel + j * rows
                var sum = 0.0
                // Oldest unknowns first, the one just solved (j + 1) last: the sum of the others does not wait for it.
                var i = own - 1
                while i > j {
                    sum += column[i] * xs[i]
                    i -= 1
                }
                xs[j] = (xs[j] - sum) * (1 / column[j])
                j -= 1
            }
            t -= 1
        }
    }

    /// The four dot products columns[c]·w over `count` rows, w read once.
    @inline(__always)
    private static func dots(
        columns: (UnsafePointer<Double>, UnsafePointer<Double>, UnsafePointer<Double>, UnsafePointer<Double>),
        with work: UnsafeMutablePointer<Double>, count: Int
    ) -> SIMD4<Double> {
        var a0 = SIMD2<Double>()
        var a1 = SIMD2<Double>()
        var a2 = SIMD2<Double>()
        var a3 = SIMD2<Double>()
        var i = 0
        while i + 2 <= count {
            let w = UnsafeRawPointer(work + i).loadUnaligned(as: SIMD2<Double>.self)
            a0 += UnsafeRawPointer(columns.0 + i).loadUnaligned(as: SIMD2<Double>.self) * w
            a1 += UnsafeRawPointer(columns.1 + i).loadUnaligned(as: SIMD2<Double>.self) * w
            a2 += UnsafeRawPointer(columns.2 + i).loadUnaligned(as: SIMD2<Double>.self) * w
            a3 += UnsafeRawPointer(columns.3 + i).loadUnaligned(as: SIMD2<Double>.self) * w
            i += 2
        }
        var result = SIMD4(a0.sum(), a1.sum(), a2.sum(), a3.sum())
        if i < count {
            result += SIMD4(columns.0[i], columns.1[i], columns.2[i], columns.3[i]) * work[i]
        }
        return result
    }

    /// Dot product with four independent accumulators (the compiler may not reassociate floating-point sums).
    @inline(__always)
    private static func dot(_ a: UnsafePointer<Double>, _ b: UnsafeMutablePointer<Double>, _ count: Int) -> Double {
        var s0 = SIMD2<Double>()
        var s1 = SIMD2<Double>()
        var k = 0
        while k + 4 <= count {
            s0 +=
                UnsafeRawPointer(a + k).loadUnaligned(as: SIMD2<Double>.self)
                * UnsafeRawPointer(b + k).loadUnaligned(as: SIMD2<Double>.self)
            s1 +=
                UnsafeRawPointer(a + k + 2).loadUnaligned(as: SIMD2<Double>.self)
                * UnsafeRawPointer(b + k + 2).loadUnaligned(as: SIMD2<Double>.self)
            k += 4
        }
        var sum = (s0 + s1).sum()
        while k < count {
            sum += a[k] * b[k]
            k += 1
        }
        return sum
    }

    /// Solves A x = b for a right-hand side that is zero outside the `last` unknowns of the structure and returns
    /// x on them only: both are given in the order of `last`. Only the last supernode is touched (A⁻¹ restricted
    /// to the trailing block is (L_TT L_TTᵀ)⁻¹), so this costs m² for m trailing unknowns, whatever n is.
    public func solveTrailing(_ b: inout [Double]) {
        let m = structure.trailingCount
        precondition(isFactorised && b.count == m, "solveTrailing needs \(m) trailing right-hand-side entries")
        trailingSweeps(&b, forward: true, backward: true)
    }

    /// Forward and/or backward substitution with the last supernode's dense triangle L_TT (it has no rows below).
    private func trailingSweeps(_ b: inout [Double], forward: Bool, backward: Bool) {
        let m = structure.trailingCount
        guard m > 0 else { return }  // nothing numbered last: the trailing block is empty
        let t = structure.supernodeCount - 1
        values.withUnsafeBufferPointer { valueBuffer in
            let panel = valueBuffer.baseAddress! + structure.valueStart[t]
            if forward {
                for j in 0..<m {
                    let column = panel + j * m
                    let xj = b[j] * (1 / column[j])
                    b[j] = xj
                    for i in (j + 1)..<m { b[i] -= column[i] * xj }
                }
            }
            if backward {
                var j = m - 1
                while j >= 0 {
                    let column = panel + j * m
                    var sum = 0.0
                    for i in (j + 1)..<m { sum += column[i] * b[i] }
                    b[j] = (b[j] - sum) * (1 / column[j])
                    j -= 1
                }
            }
        }
    }
}

/// Everything a `SparseCholeskyStructure` is computed from.
struct PatternKey: Equatable, Sendable {
    let neighbourStart: [Int]
    let neighbours: [Int]
    let x: [Double]
    let y: [Double]
    let last: [Int]
    let leafSize: Int
}

/// The process-wide store behind `SparseCholeskyStructure.shared`: the most recent analyses, newest last.
final class StructureCache: @unchecked Sendable {
    static let shared = StructureCache()
    static let capacity = 4
    private let lock = NSLock()
    private var entries: [(key: PatternKey, structure: SparseCholeskyStructure)] = []

    func structure(for key: PatternKey) -> SparseCholeskyStructure? {
        lock.lock()
        defer { lock.unlock() }
        guard let index = entries.firstIndex(where: { $0.key == key }) else { return nil }
        let entry = entries.remove(at: index)
        entries.append(entry)
        return entry.structure
    }

    func store(_ structure: SparseCholeskyStructure, for key: PatternKey) {
        lock.lock()
        defer { lock.unlock() }
        entries.removeAll { $0.key == key }
        entries.append((key, structure))
        if entries.count > Self.capacity { entries.removeFirst(entries.count - Self.capacity) }
    }
}
