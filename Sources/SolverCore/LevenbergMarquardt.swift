import Foundation

/// Bounded nonlinear least squares by the Levenberg–Marquardt method (K. Levenberg 1944; D. W. Marquardt,
/// *J. SIAM* 11, 431 (1963); damping update as in J. Nocedal and S. J. Wright, *Numerical Optimization*,
/// 2nd ed., §10.3).
///
/// Minimises ½‖r(p)‖² over p in the box [lower, upper]. Parameters flagged `logScale` are optimised as
/// log₁₀ p (conductivities and radii span decades). The Jacobian is by forward differences (step 1e-4 in
/// the optimisation variable), so r may be any black box — e.g. whole model runs. Stops when the relative
/// decrease of ‖r‖² falls below `tolerance` (or its absolute decrease below `absoluteTolerance`), the step is tiny,
/// or after `maxIterations`.
public struct LevenbergMarquardt: Sendable {
    public struct Parameter: Sendable, Equatable {
        public let initial: Double
        public let lower: Double
        public let upper: Double
        public let logScale: Bool
        public init(initial: Double, lower: Double, upper: Double, logScale: Bool = false) {
            self.initial = initial
            self.lower = lower
            self.upper = upper
            self.logScale = logScale
        }
    }

    /// Why the iteration stopped.
    public enum StopReason: String, Sendable, Codable {
        /// The relative decrease of ‖r‖² fell below `tolerance`, or the step became negligible.
        case converged
        /// `maxIterations` was reached first: the result is not a converged minimum.
        case iterationLimit = "iteration limit"
        /// No damped step decreased ‖r‖² (a minimum within the finite-difference resolution, or a flat cost).
        case noImprovement = "no further improvement"
    }

    public struct Result: Sendable {
        public let parameters: [Double]
        public let residuals: [Double]
        public let cost: Double
        public let iterations: Int
        public let evaluations: Int
        public let stopReason: StopReason
        /// ∂r/∂u at the solution, u the optimisation variables (log₁₀ p where `logScale`): rows per residual
        /// (empty without `computesCovariance`).
        public let jacobian: [[Double]]
        /// Covariance of p from (JᵀJ)⁻¹ (residuals already divided by their σ, so no rescaling), by the chain
        /// rule ∂p/∂u = p ln 10 for log-scale parameters; nil when JᵀJ is singular or not computed.
        public let covariance: [[Double]]?
        /// Whether each parameter ends on (within 1e-9 relative of) its lower or upper bound.
        public let atBound: [Bool]

        /// Standard errors √diag(covariance) in the parameters' own units (NaN when singular).
        public var standardErrors: [Double] {
            guard let c = covariance else { return parameters.map { _ in .nan } }
            return (0..<parameters.count).map { c[$0][$0] >= 0 ? sqrt(c[$0][$0]) : .nan }
        }

        /// Correlation matrix of the fitted parameters (NaN when singular).
        public var correlation: [[Double]] {
            let n = parameters.count
            guard let c = covariance else { return Array(repeating: Array(repeating: .nan, count: n), count: n) }
            return (0..<n).map { a in (0..<n).map { b in c[a][b] / sqrt(max(c[a][a] * c[b][b], 1e-300)) } }
        }
    }

    public var maxIterations = 40
    public var tolerance = 1e-8
    /// Also stops when an accepted step lowers the cost ½‖r‖² by less than this absolute amount (0: off). With
    /// residuals in units of their uncertainty, a decrease of ½χ² far below ½ (one standard deviation's worth) moves
    /// the parameters along a direction the data do not fix: creeping down such a valley costs iterations and
    /// changes nothing the fit can vouch for.
    public var absoluteTolerance = 0.0
    /// Forward-difference step in the optimisation variable, relative to max(1, |u|). Black-box residuals with
    /// solver noise (adaptive time steps) need a step well above that noise.
    public var finiteDifferenceStep = 1e-4
    /// Called after every iteration with (iteration, cost ½‖r‖², parameters).
    public var progress: (@Sendable (Int, Double, [Double]) -> Void)?
    /// Whether the result carries the Jacobian and covariance at the solution: n more residual evaluations, which a
    /// caller that only compares costs (the starts of a multi-start) can skip.
    public var computesCovariance = true
    public init() {}

    public func fit(_ parameters: [Parameter], residuals r: ([Double]) throws -> [Double]) throws -> Result {
        try fit(parameters, batchResiduals: { points in try points.map(r) })
    }

    /// The same fit with residuals evaluated for several parameter vectors at once (the n shifted points of a
    /// forward-difference Jacobian come in one call), so an expensive black box can spread them over cores.
    /// `batchResiduals` returns one residual vector per point, in order; the iterates are those of `fit(_:residuals:)`.
    public func fit(_ parameters: [Parameter], batchResiduals: ([[Double]]) throws -> [[Double]]) throws -> Result {
        func r(_ point: [Double]) throws -> [Double] { try batchResiduals([point])[0] }
        let n = parameters.count
        func toU(_ p: [Double]) -> [Double] { zip(p, parameters).map { $1.logScale ? log10($0) : $0 } }
        func toP(_ u: [Double]) -> [Double] {
            zip(u, parameters).map { v, s in
                let p = s.logScale ? pow(10, v) : v
                return min(max(p, s.lower), s.upper)
            }
        }
        var evaluations = 0
        func eval(_ u: [Double]) throws -> [Double] {
            evaluations += 1
            return try r(toP(u))
        }
        /// Forward-difference Jacobian in u (stepping inwards at an upper bound); the n shifted points are
        /// evaluated in one batch.
        func jacobian(at u: [Double], residuals res: [Double]) throws -> [[Double]] {
            var jac = [[Double]](repeating: [Double](repeating: 0, count: n), count: res.count)
            var steps = [Double](repeating: 0, count: n)
            var shifted: [[Double]] = []
            for k in 0..<n {
                var up = u
                var h = finiteDifferenceStep * max(1, abs(u[k]))
                let upper = parameters[k].logScale ? log10(parameters[k].upper) : parameters[k].upper
                if u[k] + h > upper { h = -h }
                up[k] += h
                steps[k] = h
                shifted.append(toP(up))
            }
            evaluations += n
            let columns = try batchResiduals(shifted)
            for k in 0..<n {
                for i in 0..<res.count { jac[i][k] = (columns[k][i] - res[i]) / steps[k] }
            }
            return jac
        }
        var u = toU(parameters.map { min(max($0.initial, $0.lower), $0.upper) })
        var res = try eval(u)
        var cost = 0.5 * res.reduce(0) { $0 + $1 * $1 }
        var lambda = 1e-2
        var iterations = 0
        var reason = StopReason.iterationLimit
        iterationLoop: for it in 0..<maxIterations {
            iterations = it + 1
            let jac = try jacobian(at: u, residuals: res)
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
                guard let delta = Self.solve(m, jtr.map { -$0 }) else {
                    lambda *= 10
                    continue
                }
                var trial = zip(u, delta).map(+)
                trial = toU(toP(trial))  // project onto the box
                let rt = try eval(trial)
                let ct = 0.5 * rt.reduce(0) { $0 + $1 * $1 }
                if ct < cost {
                    let decrease = (cost - ct) / max(cost, 1e-300)
                    let absoluteDecrease = cost - ct
                    u = trial
                    res = rt
                    cost = ct
                    lambda = max(lambda / 3, 1e-9)
                    improved = true
                    progress?(iterations, cost, toP(u))
                    if decrease < tolerance || absoluteDecrease < absoluteTolerance
                        || delta.allSatisfy({ abs($0) < 1e-10 })
                    {
                        reason = .converged
                        break iterationLoop
                    }
                    break
                }
                lambda *= 4
            }
            if !improved {
                reason = .noImprovement
                progress?(iterations, cost, toP(u))
                break
            }
        }
        let p = toP(u)
        let atBound = (0..<n).map { k in
            let s = parameters[k]
            return abs(p[k] - s.lower) <= 1e-9 * max(abs(s.lower), 1e-300)
                || abs(p[k] - s.upper) <= 1e-9 * max(abs(s.upper), 1e-300)
        }
        guard computesCovariance else {
            return Result(
                parameters: p, residuals: res, cost: cost, iterations: iterations, evaluations: evaluations,
                stopReason: reason, jacobian: [], covariance: nil, atBound: atBound)
        }
        let jac = try jacobian(at: u, residuals: res)
        var jtj = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for row in jac { for a in 0..<n { for b in 0..<n { jtj[a][b] += row[a] * row[b] } } }
        var covariance: [[Double]]?
        if let inverse = Self.inverse(jtj) {
            let scale = (0..<n).map { parameters[$0].logScale ? p[$0] * log(10) : 1 }
            covariance = (0..<n).map { a in (0..<n).map { b in inverse[a][b] * scale[a] * scale[b] } }
        }
        return Result(
            parameters: p, residuals: res, cost: cost, iterations: iterations, evaluations: evaluations,
            stopReason: reason,
            jacobian: jac, covariance: covariance, atBound: atBound)
    }

    /// The inverse of a small symmetric positive (semi)definite matrix, or nil when it is singular to
    /// round-off (condition estimated from the pivots).
    public static func inverse(_ a: [[Double]]) -> [[Double]]? {
        let n = a.count
        var columns: [[Double]] = []
        for k in 0..<n {
            var e = [Double](repeating: 0, count: n)
            e[k] = 1
            guard let x = solve(a, e), x.allSatisfy({ $0.isFinite }) else { return nil }
            columns.append(x)
        }
        let largest = (0..<n).map { a[$0][$0] }.max() ?? 0
        guard largest > 0, (0..<n).allSatisfy({ columns[$0][$0] * largest < 1e14 }) else { return nil }
        return (0..<n).map { row in (0..<n).map { columns[$0][row] } }
    }

    /// Dense Gaussian elimination with partial pivoting (`DenseLU`); nil when a pivot vanishes.
    public static func solve(_ a0: [[Double]], _ b0: [Double]) -> [Double]? {
        let n = b0.count
        guard n > 0 else { return [] }
        precondition(a0.count == n, "solve needs a square matrix of \(n) rows")
        guard let factor = DenseLU(rows: a0) else { return nil }
        var x = b0
        factor.solve(&x)
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

    public init(size: Int, depth: Int) {
        self.size = size
        self.depth = depth
    }

    public mutating func reset() {
        previousF = nil
        previousG = nil
        deltaF = []
        deltaG = []
    }

    public mutating func next(g: [Double], f: [Double]) -> [Double]? {
        defer {
            previousF = f
            previousG = g
        }
        guard let pf = previousF, let pg = previousG else { return nil }
        deltaF.append((0..<size).map { f[$0] - pf[$0] })
        deltaG.append((0..<size).map { g[$0] - pg[$0] })
        if deltaF.count > depth {
            deltaF.removeFirst()
            deltaG.removeFirst()
        }
        let m = deltaF.count
        var a = [[Double]](repeating: [Double](repeating: 0, count: m), count: m)
        var b = [Double](repeating: 0, count: m)
        for i in 0..<m {
            for j in i..<m {
                let v = dot(deltaF[i], deltaF[j])
                a[i][j] = v
                a[j][i] = v
            }
            b[i] = dot(deltaF[i], f)
        }
        let trace = (0..<m).reduce(0) { $0 + a[$1][$1] }
        guard trace > 0 else {
            reset()
            return nil
        }
        for i in 0..<m { a[i][i] += 1e-12 * trace }
        guard let gamma = LevenbergMarquardt.solve(a, b), gamma.allSatisfy({ $0.isFinite }) else {
            reset()
            return nil
        }
        var x = g
        for (i, dg) in deltaG.enumerated() {
            let c = gamma[i]
            for k in 0..<size { x[k] -= c * dg[k] }
        }
        return x
    }

    private func dot(_ u: [Double], _ v: [Double]) -> Double {
        var s = 0.0
        for k in 0..<size { s += u[k] * v[k] }
        return s
    }
}
