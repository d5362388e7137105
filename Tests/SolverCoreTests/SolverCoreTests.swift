import Foundation
import Synchronization
import Testing
@testable import SolverCore

/// The numerical core against exact results: direct solves reproduce a known solution, BDF2 is exact
/// for quadratics and second order, the root finder meets its tolerance, grids tile their length.
@Suite struct SolverCoreTests {
    @Test func gridsTileTheirLength() {
        let u = Grid1D.uniform(length: 2, cells: 8)
        #expect(u.faces.last == 2 && u.widths.allSatisfy { abs($0 - 0.25) < 1e-15 })
        let g = Grid1D.graded(length: 1, cells: 50, ratio: 0.95)
        #expect(abs(g.widths.reduce(0, +) - 1) < 1e-14)
        #expect(abs(g.widths[1] / g.widths[0] - 0.95) < 1e-12)
        #expect(abs(g.centreSpacing[3] - 0.5 * (g.widths[2] + g.widths[3])) < 1e-15)
    }

    /// A diagonally dominant tridiagonal system with the solution x_k = sin(k) is solved to round-off.
    @Test func thomasSolvesAKnownSystem() {
        let n = 50
        let x = (0..<n).map { sin(Double($0)) }
        let a = (0..<n).map { _ in -1.0 }
        let c = (0..<n).map { _ in -1.5 }
        let b = (0..<n).map { 3.0 + 0.01 * Double($0) }
        var rhs = (0..<n).map { k in b[k] * x[k] + (k > 0 ? a[k] * x[k - 1] : 0) + (k < n - 1 ? c[k] * x[k + 1] : 0) }
        var solver = TridiagonalSolver()
        solver.solve(lower: a, diagonal: b, upper: c, rhs: &rhs)
        for k in 0..<n { #expect(abs(rhs[k] - x[k]) < 1e-13) }
    }

    /// The two-ended elimination meets in the middle row: every size from 1 to 12 and a long odd and even system
    /// (the meeting row and the uneven halves are where an off-by-one would show), unsymmetric coefficients,
    /// solution x_k = cos(3k) to round-off; a reused solver grows its scratch.
    @Test func twistedEliminationSolvesEverySize() {
        var solver = TridiagonalSolver(capacity: 2)
        for n in Array(1...12) + [99, 100] {
            let x = (0..<n).map { cos(3 * Double($0)) }
            let a = (0..<n).map { -1.0 - 0.3 * sin(Double($0)) }
            let c = (0..<n).map { -0.7 - 0.2 * cos(Double($0)) }
            let b = (0..<n).map { 2.5 + 0.05 * Double($0 % 7) }
            var rhs = (0..<n).map { k in
                b[k] * x[k] + (k > 0 ? a[k] * x[k - 1] : 0) + (k < n - 1 ? c[k] * x[k + 1] : 0)
            }
            solver.solve(lower: a, diagonal: b, upper: c, rhs: &rhs)
            for k in 0..<n { #expect(abs(rhs[k] - x[k]) < 1e-13, "n = \(n), row \(k)") }
        }
    }

    /// A factorisation reused for several right-hand sides gives each one's solution to round-off, agrees with the
    /// one-shot solver, and solves in place through a pointer into a longer buffer (the composite's per-cell use).
    @Test func tridiagonalFactorisationServesManyRightHandSides() {
        for n in [1, 2, 3, 20, 21] {
            let a = (0..<n).map { -1.0 - 0.2 * sin(Double($0)) }
            let c = (0..<n).map { -0.8 - 0.1 * cos(Double($0)) }
            let b = (0..<n).map { 2.6 + 0.03 * Double($0) }
            let factorised = TridiagonalFactorisation(lower: a, diagonal: b, upper: c)
            var oneShot = TridiagonalSolver()
            var buffer = [Double](repeating: 0, count: 3 * n)
            for column in 0..<3 {
                let x = (0..<n).map { sin(Double(column + 1) * Double($0) + 0.3) }
                let rhs = (0..<n).map { k in
                    b[k] * x[k] + (k > 0 ? a[k] * x[k - 1] : 0) + (k < n - 1 ? c[k] * x[k + 1] : 0)
                }
                var solved = rhs
                factorised.solve(&solved)
                var reference = rhs
                oneShot.solve(lower: a, diagonal: b, upper: c, rhs: &reference)
                for k in 0..<n {
                    #expect(abs(solved[k] - x[k]) < 1e-13)
                    #expect(abs(solved[k] - reference[k]) < 1e-14)
                    buffer[column * n + k] = rhs[k]
                }
                buffer.withUnsafeMutableBufferPointer { factorised.solve($0.baseAddress! + column * n) }
                for k in 0..<n { #expect(buffer[column * n + k] == solved[k]) }
            }
        }
    }

    /// A banded system needing row interchanges (zero diagonal) is solved with partial pivoting.
    @Test func bandedLUWithPivoting() throws {
        let n = 30
        let kl = 2
        let ku = 1
        var lu = BandedLU(n: n, kl: kl, ku: ku)
        var dense = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n {
            for j in max(0, i - kl)...min(n - 1, i + ku) {
                let v = i == j ? (i % 3 == 0 ? 0 : 4) : cos(Double(i * 7 + j)) + 2
                lu.add(i, j, v)
                dense[i][j] = v
            }
        }
        let x = (0..<n).map { Double($0 % 5) - 1.5 }
        var b = (0..<n).map { i in (0..<n).reduce(0) { $0 + dense[i][$1] * x[$1] } }
        try lu.factorise()
        lu.solve(&b)
        for k in 0..<n { #expect(abs(b[k] - x[k]) < 1e-10) }
    }

    /// Without row interchanges (a diagonally dominant matrix) U keeps the upper bandwidth ku, so the factorisation
    /// and the back substitution skip the kl fill columns LAPACK's band storage reserves (dgbtf2's JU); with
    /// interchanges the fill is tracked and the solve is still exact.
    @Test func bandedLUTracksTheFillOfU() throws {
        let n = 40
        let kl = 3
        let ku = 2
        for needsPivoting in [false, true] {
            var lu = BandedLU(n: n, kl: kl, ku: ku)
            var dense = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
            for i in 0..<n {
                for j in max(0, i - kl)...min(n - 1, i + ku) {
                    let diagonal = needsPivoting && i % 4 == 1 ? 0.01 : 20.0
                    let v = i == j ? diagonal : sin(Double(3 * i + 5 * j)) + 1.5
                    lu.add(i, j, v)
                    dense[i][j] = v
                }
            }
            let x = (0..<n).map { cos(Double($0)) }
            var b = (0..<n).map { i in (0..<n).reduce(0) { $0 + dense[i][$1] * x[$1] } }
            try lu.factorise()
            if needsPivoting {
                #expect(lu.upperWidth > ku && lu.upperWidth <= kl + ku)
            } else {
                #expect(lu.upperWidth == ku)
            }
            lu.solve(&b)
            for k in 0..<n { #expect(abs(b[k] - x[k]) < 1e-11, "row \(k), pivoting \(needsPivoting)") }
        }
    }

    /// Dense LU with partial pivoting (a zero leading pivot forces an interchange); one factorisation serves
    /// several right-hand sides, as the chord Newton of the 2D interface uses it.
    @Test func denseLUSolvesWithOneFactorisation() throws {
        let n = 7
        var rows = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n {
            for j in 0..<n { rows[i][j] = i == j ? (i == 0 ? 0 : 5 + Double(i)) : cos(Double(2 * i + 3 * j)) }
        }
        let factor = try #require(DenseLU(rows: rows))
        for shift in [0.0, 1.0, -2.5] {
            let x = (0..<n).map { sin(Double($0) + shift) }
            var b = (0..<n).map { i in (0..<n).reduce(0) { $0 + rows[i][$1] * x[$1] } }
            factor.solve(&b)
            for k in 0..<n { #expect(abs(b[k] - x[k]) < 1e-12) }
        }
        #expect(DenseLU(rows: [[1, 2], [2, 4]]) == nil)
    }

    @Test func singularBandedMatrixIsReported() {
        var lu = BandedLU(n: 3, kl: 1, ku: 1)
        lu.add(0, 0, 1)
        #expect(throws: SolverError.self) { try lu.factorise() }
    }

    @Test func safeguardedRootFinder() throws {
        let r = try ScalarRoot.solve(lo: 0, hi: 2, xTolerance: 1e-14) { x in (x * x * x - 2, 3 * x * x) }
        #expect(abs(r - cbrt(2)) < 1e-12)
        // Without derivatives it bisects and still converges.
        let s = try ScalarRoot.solve(lo: -1, hi: 3, xTolerance: 1e-12) { x in (exp(x) - 2, .nan) }
        #expect(abs(s - log(2)) < 1e-11)
        #expect(throws: SolverError.self) { try ScalarRoot.solve(lo: 0, hi: 1, xTolerance: 1e-9) { x in (x + 1, 1) } }
    }

    /// BDF2 integrates y' = −λy with variable steps at second order (errors fall 4× per halving).
    @Test func bdf2IsSecondOrderWithVariableSteps() {
        func integrate(_ base: Int) -> Double {
            let lambda = 2.0
            var y = 1.0
            var yPrev = 1.0
            var t = 0.0
            var last = 0.0
            var k = 0
            while t < 1 - 1e-12 {
                // Alternate short and long steps (ratio 2) to exercise the variable-step coefficients.
                let h = min((k % 2 == 0 ? 2.0 : 1.0) / (1.5 * Double(base)), 1 - t)
                let c = k == 0 ? BDF2Coefficients.implicitEuler : BDF2Coefficients(stepRatio: h / last)
                // α₀ y + α₁ yₙ + α₂ yₙ₋₁ = −hλ y
                let yNew = -(c.alpha1 * y + c.alpha2 * yPrev) / (c.alpha0 + h * lambda)
                yPrev = y
                y = yNew
                t += h
                last = h
                k += 1
            }
            return abs(y - exp(-2.0))
        }
        let e = [40, 80, 160, 320].map(integrate)
        let orders = zip(e, e.dropFirst()).map { log2($0 / $1) }
        #expect(orders.last! > 1.8 && orders.last! < 2.2, "orders \(orders)")
        #expect(BDF2Coefficients(stepRatio: 1) == BDF2Coefficients(alpha0: 1.5, alpha1: -2, alpha2: 0.5))
    }

    @Test func stepControllerFactors() {
        let c = StepController()
        #expect(c.factor(error: 0) == 2)
        #expect(c.factor(error: 1e9) == 0.2)
        #expect(abs(c.factor(error: 1) - 0.9) < 1e-12)
    }
}

/// Levenberg–Marquardt recovers the parameters of noise-free data exactly, respects bounds, and works in log scale.
@Suite struct LevenbergMarquardtTests {
    @Test func recoversAnExponential() throws {
        let xs = (0..<20).map { Double($0) / 4 }
        let data = xs.map { 2.5 * exp(-0.7 * $0) }
        let r = try LevenbergMarquardt().fit([
            .init(initial: 1, lower: 0, upper: 10), .init(initial: 0.1, lower: 1e-3, upper: 10, logScale: true),
        ]) { p in
            zip(xs, data).map { p[0] * exp(-p[1] * $0) - $1 }
        }
        #expect(abs(r.parameters[0] - 2.5) < 1e-6 && abs(r.parameters[1] - 0.7) < 1e-6, "\(r.parameters)")
        #expect(r.cost < 1e-12)
    }

    /// The batched form takes a Jacobian's n shifted points in one call and follows exactly the iterates of the
    /// point-by-point form (same parameters, cost and evaluation count, bit for bit).
    @Test func batchedResidualsFollowTheSameIterates() throws {
        let xs = (0..<20).map { Double($0) / 4 }
        let data = xs.map { 2.5 * exp(-0.7 * $0) + 0.01 * sin(7 * $0) }
        let bounds: [LevenbergMarquardt.Parameter] = [
            .init(initial: 1, lower: 0, upper: 10), .init(initial: 0.1, lower: 1e-3, upper: 10, logScale: true),
            .init(initial: 0, lower: -1, upper: 1),
        ]
        func residuals(_ p: [Double]) -> [Double] { zip(xs, data).map { p[0] * exp(-p[1] * $0) + p[2] - $1 } }
        let single = try LevenbergMarquardt().fit(bounds) { residuals($0) }
        var batchSizes: [Int] = []
        let batched = try LevenbergMarquardt().fit(
            bounds,
            batchResiduals: { points in
                batchSizes.append(points.count)
                return points.map(residuals)
            })
        #expect(batched.parameters == single.parameters && batched.cost == single.cost)
        #expect(batched.evaluations == single.evaluations && batched.iterations == single.iterations)
        #expect(batchSizes.contains(3) && batchSizes.allSatisfy { $0 == 1 || $0 == 3 })
        #expect(batchSizes.reduce(0, +) == batched.evaluations)
    }

    /// Rosenbrock's function as residuals, r = (10(y − x²), 1 − x) (H. H. Rosenbrock, Comput. J. 3, 175 (1960)), from
    /// its classic start (−1.2, 1) in the box [−2, 2]²: a curved valley down to the minimum at (1, 1).
    static func rosenbrock(_ p: [Double]) -> [Double] { [10 * (p[1] - p[0] * p[0]), 1 - p[0]] }
    static let rosenbrockStart: [LevenbergMarquardt.Parameter] = [
        .init(initial: -1.2, lower: -2, upper: 2), .init(initial: 1, lower: -2, upper: 2),
    ]

    /// Rosenbrock's valley: the absolute
    /// tolerance stops the walk down the valley at the first accepted step that lowers ½‖r‖² by less than it, and
    /// not before; without it the fit walks on to the minimum at (1, 1).
    @Test func theAbsoluteToleranceStopsACreepDownAValley() throws {
        var solver = LevenbergMarquardt()
        solver.maxIterations = 200
        let full = try solver.fit(Self.rosenbrockStart) { Self.rosenbrock($0) }
        #expect(full.stopReason == .converged && full.cost < 1e-10)
        let costs = Mutex<[Double]>([0.5 * Self.rosenbrock([-1.2, 1]).reduce(0) { $0 + $1 * $1 }])
        solver.absoluteTolerance = 0.05
        solver.progress = { _, cost, _ in costs.withLock { $0.append(cost) } }
        let early = try solver.fit(Self.rosenbrockStart) { Self.rosenbrock($0) }
        let path = costs.withLock { $0 }
        let decreases = zip(path, path.dropFirst()).map { $0 - $1 }
        #expect(early.stopReason == .converged)
        #expect(early.iterations < full.iterations, "\(early.iterations) vs \(full.iterations)")
        #expect(decreases.last! < 0.05 && decreases.dropLast().allSatisfy { $0 >= 0.05 }, "\(decreases)")
        #expect(early.cost == path.last!)
    }

    /// Without the covariance a fit follows the same iterates to the same point and saves the n evaluations of the
    /// final Jacobian (what a multi-start's starts skip).
    @Test func aFitWithoutCovarianceSavesTheFinalJacobian() throws {
        var solver = LevenbergMarquardt()
        solver.maxIterations = 6
        let full = try solver.fit(Self.rosenbrockStart) { Self.rosenbrock($0) }
        solver.computesCovariance = false
        let bare = try solver.fit(Self.rosenbrockStart) { Self.rosenbrock($0) }
        #expect(bare.parameters == full.parameters && bare.cost == full.cost && bare.iterations == full.iterations)
        #expect(bare.evaluations == full.evaluations - 2)
        #expect(bare.covariance == nil && bare.jacobian.isEmpty && full.covariance != nil)
    }

    @Test func staysInsideTheBox() throws {
        let r = try LevenbergMarquardt().fit([.init(initial: 0.5, lower: 0, upper: 1)]) { p in [p[0] - 3] }
        #expect(r.parameters[0] <= 1 && abs(r.parameters[0] - 1) < 1e-9)
    }

    /// Envelope Cholesky on a 2D Laplacian-plus-shift (SPD) with RCM ordering reproduces a known solution,
    /// and RCM never widens the profile of a shuffled grid graph beyond the natural ordering's.
    @Test func skylineCholeskySolvesAKnownSystem() throws {
        let nx = 9
        let ny = 7
        let n = nx * ny
        var adjacency = [[Int]](repeating: [], count: n)
        for i in 0..<nx {
            for j in 0..<ny {
                let k = i * ny + j
                if i > 0 { adjacency[k].append(k - ny) }
                if i < nx - 1 { adjacency[k].append(k + ny) }
                if j > 0 { adjacency[k].append(k - 1) }
                if j < ny - 1 { adjacency[k].append(k + 1) }
            }
        }
        let order = SparseOrdering.reverseCuthillMcKee(adjacency: adjacency)
        #expect(Set(order) == Set(0..<n))
        #expect(
            SparseOrdering.profile(adjacency: adjacency, order: order)
                <= SparseOrdering.profile(adjacency: adjacency, order: Array(0..<n)))
        var position = [Int](repeating: 0, count: n)
        for (p, v) in order.enumerated() { position[v] = p }
        let first = (0..<n).map { p in adjacency[order[p]].map { position[$0] }.reduce(p) { min($0, $1) } }
        var a = SkylineCholesky(firstColumn: first)
        let x = (0..<n).map { cos(Double($0)) }
        var b = [Double](repeating: 0, count: n)
        for v in 0..<n {
            a.add(position[v], position[v], 4.1)
            b[position[v]] += 4.1 * x[v]
            for w in adjacency[v] where position[w] < position[v] { a.add(position[v], position[w], -1) }
            for w in adjacency[v] { b[position[v]] -= x[w] }
        }
        try a.factorise()
        a.solve(&b)
        for v in 0..<n { #expect(abs(b[position[v]] - x[v]) < 1e-12) }
        var singular = SkylineCholesky(firstColumn: [0, 0])
        singular.add(0, 0, 1)
        singular.add(1, 0, 1)
        singular.add(1, 1, 1)
        #expect(throws: SolverError.self) { try singular.factorise() }
    }

    /// Anderson mixing solves a linear fixed point x = Mx + c (spectral radius 0.95) in far fewer passes than
    /// the plain iteration (which needs about 540 passes for 1e-12).
    @Test func andersonAcceleratesAFixedPoint() {
        let n = 20
        let c = (0..<n).map { sin(Double($0)) }
        func g(_ x: [Double]) -> [Double] {
            var out = [Double](repeating: 0, count: n)
            for k in 0..<n {
                let neighbours: Double = 0.25 * x[(k + 1) % n] + 0.25 * x[(k + n - 1) % n]
                out[k] = 0.95 * (0.5 * x[k] + neighbours) + c[k]
            }
            return out
        }
        var x = [Double](repeating: 0, count: n)
        var mixing = AndersonMixing(size: n, depth: 5)
        var passes = 0
        while passes < 600 {
            passes += 1
            let gx = g(x)
            let f = (0..<n).map { gx[$0] - x[$0] }
            if f.map(abs).max()! < 1e-12 { break }
            x = mixing.next(g: gx, f: f) ?? gx
        }
        #expect(passes < 100, "Anderson needed \(passes) passes")
        let gx = g(x)
        #expect((0..<n).allSatisfy { abs(gx[$0] - x[$0]) < 1e-11 })
    }
}
