import Foundation

/// Bounded nonlinear least squares by the Levenberg–Marquardt method (K. Levenberg 1944; D. W. Marquardt,
/// *J. SIAM* 11, 431 (1963); damping update as in J. Nocedal and S. J. Wright, *Numerical Optimization*,
/// 2nd ed., §10.3).
///
/// Minimises ½‖r(p)‖² over p in the box [lower, upper]. Parameters flagged `logScale` are optimised as
/// log₁₀ p (conductivities and radii span decades). The Jacobian is by forward differences (step 1e-4 in
/// the optimisation variable), so r may be any black box — e.g. whole model runs. Stops when the relative
/// decrease of ‖r‖² falls below `tolerance`, the step is tiny, or after `maxIterations`.
public struct LevenbergMarquardt: Sendable {
    public struct Parameter: Sendable, Equatable {
        public let initial: Double
        public let lower: Double
        public let upper: Double
        public let logScale: Bool
        public init(initial: Double, lower: Double, upper: Double, logScale: Bool = false) {
            self.initial = initial; self.lower = lower; self.upper = upper; self.logScale = logScale
        }
    }

    public struct Result: Sendable {
        public let parameters: [Double]
        public let residuals: [Double]
        public let cost: Double
        public let iterations: Int
        public let evaluations: Int
    }

    public var maxIterations = 40
    public var tolerance = 1e-8
    public init() {}

    public func fit(_ parameters: [Parameter], residuals r: ([Double]) throws -> [Double]) throws -> Result {
        let n = parameters.count
        func toU(_ p: [Double]) -> [Double] { zip(p, parameters).map { $1.logScale ? log10($0) : $0 } }
        func toP(_ u: [Double]) -> [Double] {
            zip(u, parameters).map { v, s in
                let p = s.logScale ? pow(10, v) : v
                return min(max(p, s.lower), s.upper)
            }
        }
        var evaluations = 0
        func eval(_ u: [Double]) throws -> [Double] { evaluations += 1; return try r(toP(u)) }
        var u = toU(parameters.map { min(max($0.initial, $0.lower), $0.upper) })
        var res = try eval(u)
        var cost = 0.5 * res.reduce(0) { $0 + $1 * $1 }
        var lambda = 1e-2
        var iterations = 0
        for it in 0..<maxIterations {
            iterations = it + 1
            // Forward-difference Jacobian in the optimisation variables.
            var jac = [[Double]](repeating: [Double](repeating: 0, count: n), count: res.count)
            for k in 0..<n {
                var up = u
                let h = 1e-4 * max(1, abs(u[k]))
                up[k] += h
                let rk = try eval(up)
                for i in 0..<res.count { jac[i][k] = (rk[i] - res[i]) / h }
            }
            // Normal equations (JᵀJ + λ diag(JᵀJ)) δ = −Jᵀr.
            var jtj = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
            var jtr = [Double](repeating: 0, count: n)
            for i in 0..<res.count {
                for a in 0..<n {
                    jtr[a] += jac[i][a] * res[i]
                    for b in 0..<n { jtj[a][b] += jac[i][a] * jac[i][b] }
                }
            }
            var improved = false
            for _ in 0..<12 {
                var m = jtj
                for a in 0..<n { m[a][a] += lambda * max(jtj[a][a], 1e-12) }
                guard let delta = Self.solve(m, jtr.map { -$0 }) else { lambda *= 10; continue }
                var trial = zip(u, delta).map(+)
                trial = toU(toP(trial))  // project onto the box
                let rt = try eval(trial)
                let ct = 0.5 * rt.reduce(0) { $0 + $1 * $1 }
                if ct < cost {
                    let decrease = (cost - ct) / max(cost, 1e-300)
                    u = trial; res = rt; cost = ct
                    lambda = max(lambda / 3, 1e-9)
                    improved = true
                    if decrease < tolerance || delta.allSatisfy({ abs($0) < 1e-10 }) {
                        return Result(parameters: toP(u), residuals: res, cost: cost, iterations: iterations, evaluations: evaluations)
                    }
                    break
                }
                lambda *= 4
            }
            if !improved { break }
        }
        return Result(parameters: toP(u), residuals: res, cost: cost, iterations: iterations, evaluations: evaluations)
    }

    /// Dense Gaussian elimination with partial pivoting (n is the number of fitted parameters: tiny).
    public static func solve(_ a0: [[Double]], _ b0: [Double]) -> [Double]? {
        var a = a0, b = b0
        let n = b.count
        for col in 0..<n {
            guard let p = (col..<n).max(by: { abs(a[$0][col]) < abs(a[$1][col]) }), abs(a[p][col]) > 1e-300 else { return nil }
            a.swapAt(col, p); b.swapAt(col, p)
            for row in (col + 1)..<max(n, col + 1) where row < n {
                let f = a[row][col] / a[col][col]
                for k in col..<n { a[row][k] -= f * a[col][k] }
                b[row] -= f * b[col]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var s = b[row]
            for k in (row + 1)..<max(n, row + 1) where k < n { s -= a[row][k] * x[k] }
            x[row] = s / a[row][row]
        }
        return x
    }
}

/// Anderson acceleration (type II, "Anderson mixing") of a fixed-point iteration x = G(x) (Anderson 1965;
/// Walker and Ni, SIAM J. Numer. Anal. 49, 1715 (2011)). With residuals f_k = G(x_k) − x_k and the last
/// m differences ΔF, ΔG, the next iterate is x_{k+1} = G(x_k) − ΔG γ with γ = argmin ‖f_k − ΔF γ‖₂
/// (normal equations with a small Tikhonov shift). Returns nil until there is history (take a plain step).
public struct AndersonMixing: Sendable {
    public let depth: Int
    private var previousF: [Double]?, previousG: [Double]?
    private var deltaF: [[Double]] = [], deltaG: [[Double]] = []
    private let size: Int

    public init(size: Int, depth: Int) { self.size = size; self.depth = depth }

    public mutating func reset() { previousF = nil; previousG = nil; deltaF = []; deltaG = [] }

    public mutating func next(g: [Double], f: [Double]) -> [Double]? {
        defer { previousF = f; previousG = g }
        guard let pf = previousF, let pg = previousG else { return nil }
        deltaF.append((0..<size).map { f[$0] - pf[$0] })
        deltaG.append((0..<size).map { g[$0] - pg[$0] })
        if deltaF.count > depth { deltaF.removeFirst(); deltaG.removeFirst() }
        let m = deltaF.count
        var a = [[Double]](repeating: [Double](repeating: 0, count: m), count: m), b = [Double](repeating: 0, count: m)
        for i in 0..<m {
            for j in i..<m { let v = dot(deltaF[i], deltaF[j]); a[i][j] = v; a[j][i] = v }
            b[i] = dot(deltaF[i], f)
        }
        let trace = (0..<m).reduce(0) { $0 + a[$1][$1] }
        guard trace > 0 else { reset(); return nil }
        for i in 0..<m { a[i][i] += 1e-12 * trace }
        guard let gamma = LevenbergMarquardt.solve(a, b), gamma.allSatisfy({ $0.isFinite }) else { reset(); return nil }
        var x = g
        for (i, dg) in deltaG.enumerated() { let c = gamma[i]; for k in 0..<size { x[k] -= c * dg[k] } }
        return x
    }

    private func dot(_ u: [Double], _ v: [Double]) -> Double {
        var s = 0.0
        for k in 0..<size { s += u[k] * v[k] }
        return s
    }
}
