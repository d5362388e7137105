import Foundation
import Testing
@testable import SolverCore

/// The supernodal sparse Cholesky against references: a manufactured solution x_k = sin(k) recovered to round-off
/// on grid operators with holes, two unknowns per node and disconnected parts; the same solution as the envelope
/// Cholesky (an independent factorisation); the trailing block of A⁻¹ equal to the full solve; a singular matrix
/// detected; the nested-dissection fill well below the banded envelope's, as theory predicts for grids.
@Suite struct SparseCholeskyTests {
    /// A symmetric matrix on a grid graph: the entries of `pairs` (i < j) and a diagonal that dominates by `shift`.
    struct TestMatrix {
        var n: Int
        var pairs: [(Int, Int, Double)]
        var diagonal: [Double]
        var x: [Double]
        var y: [Double]

        var adjacency: [[Int]] {
            var a = [[Int]](repeating: [], count: n)
            for (i, j, _) in pairs {
                a[i].append(j)
                a[j].append(i)
            }
            return a
        }

        func multiply(_ v: [Double]) -> [Double] {
            var out = (0..<n).map { diagonal[$0] * v[$0] }
            for (i, j, value) in pairs {
                out[i] += value * v[j]
                out[j] += value * v[i]
            }
            return out
        }

        func assemble(into factor: inout SparseCholesky) {
            for k in 0..<n { factor.add(k, k, diagonal[k]) }
            for (i, j, value) in pairs { factor.add(j, i, value) }
        }
    }

    /// An nx × ny nine-point grid with `dofs` unknowns per node (coupled to each other), pseudo-random couplings
    /// (a fixed linear congruential sequence), nodes in `holes` left out, diagonal = Σ|row| + shift.
    static func gridMatrix(nx: Int, ny: Int, dofs: Int, shift: Double, holes: Set<Int> = []) -> TestMatrix {
        var seed: UInt64 = 12345
        func random() -> Double {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(seed >> 11) / Double(1 << 53)
        }
        var index = [Int](repeating: -1, count: nx * ny)
        var count = 0
        var xs: [Double] = []
        var ys: [Double] = []
        for i in 0..<nx {
            for j in 0..<ny where !holes.contains(i * ny + j) {
                index[i * ny + j] = count
                count += dofs
                for _ in 0..<dofs {
                    xs.append(Double(i))
                    ys.append(Double(j) * 0.7)
                }
            }
        }
        var pairs: [(Int, Int, Double)] = []
        var rowSum = [Double](repeating: 0, count: count)
        func couple(_ a: Int, _ b: Int) {
            let value = -0.2 - random()
            pairs.append((a, b, value))
            rowSum[a] += abs(value)
            rowSum[b] += abs(value)
        }
        for i in 0..<nx {
            for j in 0..<ny where index[i * ny + j] >= 0 {
                let a = index[i * ny + j]
                for d1 in 0..<dofs { for d2 in (d1 + 1)..<max(dofs, d1 + 1) { couple(a + d1, a + d2) } }
                for (di, dj) in [(1, -1), (1, 0), (1, 1), (0, 1)] {
                    let ii = i + di
                    let jj = j + dj
                    guard ii < nx, jj >= 0, jj < ny, index[ii * ny + jj] >= 0 else { continue }
                    let b = index[ii * ny + jj]
                    for d1 in 0..<dofs { for d2 in 0..<dofs { couple(a + d1, b + d2) } }
                }
            }
        }
        return TestMatrix(n: count, pairs: pairs, diagonal: rowSum.map { $0 + shift }, x: xs, y: ys)
    }

    static func maximumError(_ matrix: TestMatrix, _ factor: SparseCholesky) -> Double {
        let exact = (0..<matrix.n).map { sin(Double($0)) }
        var solution = matrix.multiply(exact)
        factor.solve(&solution)
        return zip(solution, exact).map { abs($0 - $1) }.max() ?? 0
    }

    /// `shared` serves an identical pattern the analysis it computed before (same ordering and supernodes as a fresh
    /// analysis, hence the same factor bits), and a changed pattern — other holes, other coordinates, other `last` —
    /// an analysis of its own that solves its own matrix.
    @Test func sharedAnalysisIsReusedOnlyForTheIdenticalPattern() throws {
        let matrix = Self.gridMatrix(nx: 13, ny: 9, dofs: 2, shift: 0.5)
        let fresh = try SparseCholeskyStructure(adjacency: matrix.adjacency, x: matrix.x, y: matrix.y)
        let first = try SparseCholeskyStructure.shared(adjacency: matrix.adjacency, x: matrix.x, y: matrix.y)
        let again = try SparseCholeskyStructure.shared(adjacency: matrix.adjacency, x: matrix.x, y: matrix.y)
        #expect(first.order == fresh.order && again.order == fresh.order)
        #expect(again.factorEntries == fresh.factorEntries && again.supernodeCount == fresh.supernodeCount)
        var fromFresh = SparseCholesky(structure: fresh)
        var fromShared = SparseCholesky(structure: again)
        matrix.assemble(into: &fromFresh)
        matrix.assemble(into: &fromShared)
        try fromFresh.factorise()
        try fromShared.factorise()
        var a = (0..<matrix.n).map { cos(Double($0)) }
        var b = a
        fromFresh.solve(&a)
        fromShared.solve(&b)
        #expect(a == b)

        let holed = Self.gridMatrix(nx: 13, ny: 9, dofs: 2, shift: 0.5, holes: [20, 21, 40])
        let other = try SparseCholeskyStructure.shared(adjacency: holed.adjacency, x: holed.x, y: holed.y)
        #expect(other.n == holed.n && other.n != fresh.n)
        var holedFactor = SparseCholesky(structure: other)
        holed.assemble(into: &holedFactor)
        try holedFactor.factorise()
        #expect(Self.maximumError(holed, holedFactor) < 1e-11)
        let shiftedY = matrix.y.map { $0 * 1.5 }
        let stretched = try SparseCholeskyStructure.shared(adjacency: matrix.adjacency, x: matrix.x, y: shiftedY)
        let stretchedFresh = try SparseCholeskyStructure(adjacency: matrix.adjacency, x: matrix.x, y: shiftedY)
        #expect(stretched.order == stretchedFresh.order)
        let withLast = try SparseCholeskyStructure.shared(
            adjacency: matrix.adjacency, x: matrix.x, y: matrix.y, last: [0, 1])
        #expect(withLast.trailingCount == 2 && fresh.trailingCount == 0)
    }

    @Test func recoversAManufacturedSolutionOnGridsWithHoles() throws {
        let holes: Set<Int> = [5 * 17 + 3, 5 * 17 + 4, 6 * 17 + 3, 20 * 17 + 16, 0]
        for dofs in [1, 2] {
            let matrix = Self.gridMatrix(nx: 31, ny: 17, dofs: dofs, shift: 0.05, holes: holes)
            let structure = try SparseCholeskyStructure(
                adjacency: matrix.adjacency, x: matrix.x, y: matrix.y, leafSize: 8)
            #expect(structure.supernodeCount > 10)
            var factor = SparseCholesky(structure: structure)
            matrix.assemble(into: &factor)
            try factor.factorise()
            // Condition number ≲ (max row sum)/shift ~ 10³: round-off of 1e-16 · 10³ with headroom.
            #expect(Self.maximumError(matrix, factor) < 1e-11)
        }
    }

    /// Several right-hand sides in one pass give each the single solve's answer (to round-off: the sums run in
    /// another order).
    @Test func solvesManyRightHandSidesAtOnce() throws {
        let matrix = Self.gridMatrix(nx: 21, ny: 14, dofs: 2, shift: 0.2, holes: [30, 31, 50])
        var factor = SparseCholesky(
            structure: try SparseCholeskyStructure(adjacency: matrix.adjacency, x: matrix.x, y: matrix.y, leafSize: 9))
        matrix.assemble(into: &factor)
        try factor.factorise()
        var many = (0..<5).map { r in (0..<matrix.n).map { cos(Double(r + 1) * 0.13 * Double($0)) } }
        let singles = many.map { b -> [Double] in
            var x = b
            factor.solve(&x)
            return x
        }
        factor.solve(columns: &many)
        for r in 0..<5 {
            let scale = singles[r].map(abs).max()!
            #expect(zip(many[r], singles[r]).map { abs($0 - $1) }.max()! < 1e-12 * scale)
        }
    }

    /// A factor above `SubtreeHalves.minimumEntries` is solved on two threads, the two independent halves of the
    /// tree at once: the halves are disjoint, cover everything below the top chain, and carry a quarter of the entries
    /// each; the two-thread solve recovers a manufactured solution and agrees with the one-thread sweeps
    /// (`forwardSolve` then `backwardSolve`) to round-off (the top rows take the halves' updates in another order),
    /// and repeated solves are bit-identical (the partition does not depend on timing). A small factor has no halves.
    @Test func largeFactorsSolveTheirTwoHalvesAtOnce() throws {
        let matrix = Self.gridMatrix(nx: 90, ny: 60, dofs: 2, shift: 0.05, holes: [100, 101, 2000])
        let structure = try SparseCholeskyStructure(adjacency: matrix.adjacency, x: matrix.x, y: matrix.y)
        #expect(structure.factorEntries >= SubtreeHalves.minimumEntries)
        let halves = try #require(structure.halves)
        #expect(halves.first.lowerBound == 0 && halves.first.upperBound == halves.second.lowerBound)
        #expect(halves.second.upperBound == halves.topSupernode && halves.topSupernode < structure.supernodeCount)
        var factor = SparseCholesky(structure: structure)
        matrix.assemble(into: &factor)
        try factor.factorise()
        #expect(Self.maximumError(matrix, factor) < 1e-10)
        let b = (0..<matrix.n).map { cos(0.37 * Double($0)) }
        var twoThreads = b
        factor.solve(&twoThreads)
        let oneThread = factor.backwardSolve(factor.forwardSolve(b))
        let scale = oneThread.map(abs).max()!
        #expect(zip(twoThreads, oneThread).map { abs($0 - $1) }.max()! < 1e-12 * scale)
        for _ in 0..<3 {
            var again = b
            factor.solve(&again)
            #expect(again == twoThreads)
        }
        let small = Self.gridMatrix(nx: 13, ny: 9, dofs: 2, shift: 0.5)
        #expect(try SparseCholeskyStructure(adjacency: small.adjacency, x: small.x, y: small.y).halves == nil)
        // Two separate parts (a full column of nodes removed): the halves are the parts, with nothing on top.
        let split = Self.gridMatrix(nx: 91, ny: 60, dofs: 2, shift: 0.05, holes: Set((0..<60).map { 45 * 60 + $0 }))
        let splitStructure = try SparseCholeskyStructure(adjacency: split.adjacency, x: split.x, y: split.y)
        let parts = try #require(splitStructure.halves)
        #expect(parts.second.upperBound == parts.topSupernode && parts.topSupernode == splitStructure.supernodeCount)
        var splitFactor = SparseCholesky(structure: splitStructure)
        split.assemble(into: &splitFactor)
        try splitFactor.factorise()
        #expect(Self.maximumError(split, splitFactor) < 1e-10)
    }

    @Test func agreesWithTheEnvelopeCholesky() throws {
        let matrix = Self.gridMatrix(nx: 24, ny: 13, dofs: 2, shift: 0.3)
        var envelopeFirst = Array(0..<matrix.n)
        for (i, j, _) in matrix.pairs { envelopeFirst[max(i, j)] = min(envelopeFirst[max(i, j)], min(i, j)) }
        var envelope = SkylineCholesky(firstColumn: envelopeFirst)
        for k in 0..<matrix.n { envelope.add(k, k, matrix.diagonal[k]) }
        for (i, j, value) in matrix.pairs { envelope.add(i, j, value) }
        try envelope.factorise()
        var factor = SparseCholesky(
            structure: try SparseCholeskyStructure(adjacency: matrix.adjacency, x: matrix.x, y: matrix.y, leafSize: 6))
        matrix.assemble(into: &factor)
        try factor.factorise()
        var b = (0..<matrix.n).map { cos(0.3 * Double($0)) }
        var c = b
        envelope.solve(&b)
        factor.solve(&c)
        let scale = b.map(abs).max()!
        #expect(zip(b, c).map { abs($0 - $1) }.max()! < 1e-12 * scale)
    }

    @Test func trailingBlockEqualsTheFullSolve() throws {
        let matrix = Self.gridMatrix(nx: 20, ny: 12, dofs: 1, shift: 0.1)
        // The last grid row, listed in reverse: any order the caller gives is kept.
        let last = (0..<12).map { 19 * 12 + 11 - $0 }
        let structure = try SparseCholeskyStructure(
            adjacency: matrix.adjacency, x: matrix.x, y: matrix.y, last: last, leafSize: 10)
        #expect(structure.trailingCount == 12)
        #expect(Array(structure.order.suffix(12)) == last)
        var factor = SparseCholesky(structure: structure)
        matrix.assemble(into: &factor)
        try factor.factorise()
        #expect(Self.maximumError(matrix, factor) < 1e-11)
        for (v, unknown) in last.enumerated() {
            var full = [Double](repeating: 0, count: matrix.n)
            full[unknown] = 1
            factor.solve(&full)
            var trailing = [Double](repeating: 0, count: 12)
            trailing[v] = 1
            factor.solveTrailing(&trailing)
            for (u, other) in last.enumerated() { #expect(abs(trailing[u] - full[other]) < 1e-13) }
        }
        // A split solve: forward half of b, x on the trailing block from it, trailing sources added, backward half
        // — equal to one solve of b + s.
        let b = (0..<matrix.n).map { sin(0.7 * Double($0)) }
        let sources = (0..<12).map { 0.1 * Double($0) - 0.4 }
        var forward = factor.forwardSolve(b)
        var direct = b
        factor.solve(&direct)
        let trailingPart = factor.trailingBackSolve(forward)
        for (u, unknown) in last.enumerated() { #expect(abs(trailingPart[u] - direct[unknown]) < 1e-13) }
        factor.addTrailingForward(sources, to: &forward)
        let split = factor.backwardSolve(forward)
        var combined = b
        for (u, unknown) in last.enumerated() { combined[unknown] += sources[u] }
        factor.solve(&combined)
        #expect(zip(split, combined).map { abs($0 - $1) }.max()! < 1e-13)
    }

    /// Without unknowns numbered last the trailing block is empty: its solves return nothing and change nothing.
    @Test func anEmptyTrailingBlockIsHarmless() throws {
        let matrix = Self.gridMatrix(nx: 6, ny: 5, dofs: 1, shift: 0.3)
        var factor = SparseCholesky(
            structure: try SparseCholeskyStructure(adjacency: matrix.adjacency, x: matrix.x, y: matrix.y))
        matrix.assemble(into: &factor)
        try factor.factorise()
        var none: [Double] = []
        factor.solveTrailing(&none)
        #expect(none.isEmpty)
        var forward = factor.forwardSolve((0..<matrix.n).map { Double($0) })
        let before = forward
        #expect(factor.trailingBackSolve(forward).isEmpty)
        factor.addTrailingForward([], to: &forward)
        #expect(forward == before)
    }

    @Test func refactorisesAfterReset() throws {
        let matrix = Self.gridMatrix(nx: 15, ny: 9, dofs: 1, shift: 0.2)
        var factor = SparseCholesky(
            structure: try SparseCholeskyStructure(adjacency: matrix.adjacency, x: matrix.x, y: matrix.y))
        matrix.assemble(into: &factor)
        try factor.factorise()
        var stiffer = matrix
        stiffer.diagonal = matrix.diagonal.map { $0 + 2 }
        factor.reset()
        stiffer.assemble(into: &factor)
        try factor.factorise()
        #expect(Self.maximumError(stiffer, factor) < 1e-12)
    }

    @Test func disconnectedPartsAndCoincidentPoints() throws {
        // Two separate grids at the same coordinates, and a cluster of unknowns all at one point.
        let a = Self.gridMatrix(nx: 10, ny: 6, dofs: 1, shift: 0.5)
        var matrix = a
        matrix.n = 2 * a.n + 70
        matrix.pairs += a.pairs.map { ($0.0 + a.n, $0.1 + a.n, $0.2) }
        matrix.diagonal += a.diagonal + [Double](repeating: 3, count: 70)
        matrix.x += a.x + [Double](repeating: 1, count: 70)
        matrix.y += a.y + [Double](repeating: 1, count: 70)
        for k in 0..<69 { matrix.pairs.append((2 * a.n + k, 2 * a.n + k + 1, -1)) }
        var factor = SparseCholesky(
            structure: try SparseCholeskyStructure(adjacency: matrix.adjacency, x: matrix.x, y: matrix.y, leafSize: 4))
        matrix.assemble(into: &factor)
        try factor.factorise()
        #expect(Self.maximumError(matrix, factor) < 1e-12)
    }

    @Test func singularMatrixIsReported() throws {
        // A graph Laplacian (no shift) has the constant vector in its null space.
        let matrix = Self.gridMatrix(nx: 8, ny: 8, dofs: 1, shift: 0)
        var factor = SparseCholesky(
            structure: try SparseCholeskyStructure(adjacency: matrix.adjacency, x: matrix.x, y: matrix.y))
        matrix.assemble(into: &factor)
        #expect(throws: SolverError.self) { try factor.factorise() }
        #expect(throws: SolverError.self) {
            try SparseCholeskyStructure(adjacency: [[1], [0]], x: [0], y: [0, 0])
        }
    }

    /// George's nested dissection on a k × k nine-point grid stores ≈ (31/4) k² log₂k entries and costs
    /// ≈ (829/84) k³ operations (George and Liu 1981, §8.1), a band 2k³ and k⁴ — ×4 and ×8 for two unknowns per node.
    /// At k = 100 that is 2.1 M against 4.0 M entries and 79 M against 408 M operations: the dissection must stay
    /// under 45 % of the envelope's entries and 25 % of its operations (measured: 31 % and 17 %).
    @Test func nestedDissectionBeatsTheBandOnAGrid() throws {
        let matrix = Self.gridMatrix(nx: 100, ny: 100, dofs: 2, shift: 1)
        let structure = try SparseCholeskyStructure(adjacency: matrix.adjacency, x: matrix.x, y: matrix.y)
        let band = 2 * 101  // unknowns between a node and its farthest earlier neighbour (node-major, 9 points)
        let envelopeEntries = Double(matrix.n) * Double(band)
        let envelopeOperations = Double(matrix.n) * Double(band * band) / 2
        #expect(Double(structure.factorEntries) < 0.45 * envelopeEntries)
        #expect(structure.factorOperations < 0.25 * envelopeOperations)
    }

    /// Hoare's selection returns the value a full sort puts at the rank, with and without repeated values.
    @Test func selectionAgreesWithSorting() {
        var seed: UInt64 = 7
        for count in [1, 2, 3, 10, 101, 1000] {
            for distinct in [2, 1000] {
                var values = (0..<count).map { _ -> Double in
                    seed = seed &* 6_364_136_223_846_793_005 &+ 1
                    return Double((seed >> 33) % UInt64(distinct))
                }
                let sorted = values.sorted()
                for rank in Set([0, count / 2, count - 1]) {
                    var copy = values
                    #expect(SparseCholeskyStructure.select(&copy, rank: rank) == sorted[rank])
                }
                values.removeAll()
            }
        }
    }
}
