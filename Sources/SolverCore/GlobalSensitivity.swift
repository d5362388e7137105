import Foundation

/// Variance-based global sensitivity (Sobol indices) by the Saltelli design, and Morris screening.
///
/// Saltelli design (A. Saltelli et al., *Comput. Phys. Commun.* 181, 259 (2010)): two independent N × k sample
/// matrices A and B in the unit cube and, for each input i, A_B^(i) = A with column i taken from B; N(k + 2) model
/// evaluations. Estimators (Saltelli 2010, Table 2): first-order V_i = (1/N) Σ f(B)_j (f(A_B^(i))_j − f(A)_j)
/// (Saltelli 2010, eq. (b)) with f(B) centred on the sample mean f₀ — the same expectation, since f(A_B^(i)) − f(A) has mean
/// zero, but a variance that no longer grows with f₀² (I. M. Sobol', *Math. Comput. Simul.* 55, 271 (2001), who
/// recommends estimating with f − f₀); total V_Ti = (1/2N) Σ (f(A)_j − f(A_B^(i))_j)² (Jansen 1999), both divided by the
/// variance of f over A and B together. Confidence intervals by the percentile bootstrap over the N rows (B. Efron,
/// R. Tibshirani, *An Introduction to the Bootstrap*, 1993), with a seeded generator so that the same seed gives the
/// same intervals. Inputs are uniform on [0, 1]; map them onto the parameter ranges before evaluating the model.
public enum SobolAnalysis {
    /// The points to evaluate, in order: the N rows of A, the N rows of B, then for i = 0…k−1 the N rows of A_B^(i).
    public static func design(samples n: Int, dimensions k: Int, seed: UInt64) -> [[Double]] {
        precondition(n >= 2 && k >= 1, "a Saltelli design needs N ≥ 2 samples and k ≥ 1 inputs")
        var generator = SeededUniform(seed: seed)
        let a = (0..<n).map { _ in (0..<k).map { _ in generator.next() } }
        let b = (0..<n).map { _ in (0..<k).map { _ in generator.next() } }
        var points = a + b
        for input in 0..<k {
            for row in 0..<n {
                var point = a[row]
                point[input] = b[row][input]
                points.append(point)
            }
        }
        return points
    }

    /// One index with its bootstrap interval.
    public struct Estimate: Sendable, Equatable, Codable {
        public var value: Double
        public var lower: Double
        public var upper: Double
    }

    public struct Indices: Sendable, Equatable, Codable {
        public var firstOrder: [Estimate]
        public var total: [Estimate]
        public var variance: Double
    }

    /// Indices from the outputs of `design` (same order), with `confidence` percentile intervals from `resamples`
    /// bootstrap resamples of the rows.
    public static func indices(
        outputs: [Double], samples n: Int, dimensions k: Int, confidence: Double = 0.95,
        resamples: Int = 500, seed: UInt64 = 1
    ) -> Indices {
        precondition(
            outputs.count == n * (k + 2),
            "Sobol outputs: expected N(k + 2) = \(n * (k + 2)) values, got \(outputs.count)")
        func point(_ rows: [Int]) -> (first: [Double], total: [Double], variance: Double) {
            var mean = 0.0
            for row in rows { mean += outputs[row] + outputs[n + row] }
            mean /= Double(2 * rows.count)
            var variance = 0.0
            for row in rows {
                variance +=
                    (outputs[row] - mean) * (outputs[row] - mean) + (outputs[n + row] - mean)
                    * (outputs[n + row] - mean)
            }
            variance /= Double(2 * rows.count - 1)
            var first = [Double](repeating: 0, count: k)
            var total = first
            for input in 0..<k {
                var sumFirst = 0.0
                var sumTotal = 0.0
                let offset = (2 + input) * n
                for row in rows {
                    let fa = outputs[row]
                    let fb = outputs[n + row]
                    let fab = outputs[offset + row]
                    sumFirst += (fb - mean) * (fab - fa)
                    sumTotal += (fa - fab) * (fa - fab)
                }
                first[input] = variance > 0 ? sumFirst / Double(rows.count) / variance : 0
                total[input] = variance > 0 ? 0.5 * sumTotal / Double(rows.count) / variance : 0
            }
            return (first, total, variance)
        }
        let all = Array(0..<n)
        let estimate = point(all)
        var generator = SeededUniform(seed: seed)
        var firstSamples = [[Double]](repeating: [], count: k)
        var totalSamples = firstSamples
        for _ in 0..<resamples {
            let rows = (0..<n).map { _ in min(n - 1, Int(generator.next() * Double(n))) }
            let replicate = point(rows)
            for input in 0..<k {
                firstSamples[input].append(replicate.first[input])
                totalSamples[input].append(replicate.total[input])
            }
        }
        func interval(_ values: [Double], _ centre: Double) -> Estimate {
            let sorted = values.sorted()
            guard !sorted.isEmpty else { return Estimate(value: centre, lower: centre, upper: centre) }
            let tail = (1 - confidence) / 2
            let low = sorted[min(sorted.count - 1, Int((tail * Double(sorted.count)).rounded(.down)))]
            let high = sorted[min(sorted.count - 1, Int(((1 - tail) * Double(sorted.count)).rounded(.down)))]
            return Estimate(value: centre, lower: low, upper: high)
        }
        return Indices(
            firstOrder: (0..<k).map { interval(firstSamples[$0], estimate.first[$0]) },
            total: (0..<k).map { interval(totalSamples[$0], estimate.total[$0]) }, variance: estimate.variance)
    }
}

/// Morris elementary-effects screening (M. D. Morris, *Technometrics* 33, 161 (1991); μ* of F. Campolongo,
/// J. Cariboni, A. Saltelli, *Environ. Model. Softw.* 22, 1509 (2007)): r one-at-a-time trajectories on a p-level grid
/// in the unit cube, step Δ = p/(2(p − 1)); per input the mean absolute elementary effect μ* (importance) and the
/// standard deviation σ (nonlinearity or interaction). r(k + 1) evaluations.
public enum MorrisScreening {
    /// The trajectories' points in order: trajectory t occupies rows t(k+1)…t(k+1)+k, each row changing one input
    /// (`changed[row]`, −1 for a trajectory's first point) by ±Δ from the previous row.
    public static func design(trajectories r: Int, dimensions k: Int, levels p: Int = 4, seed: UInt64) -> (
        points: [[Double]], changed: [Int]
    ) {
        precondition(
            r >= 1 && k >= 1 && p >= 2 && p % 2 == 0, "Morris design: r ≥ 1, k ≥ 1, an even number of levels p ≥ 2")
        var generator = SeededUniform(seed: seed)
        let delta = Double(p) / (2 * Double(p - 1))
        var points: [[Double]] = []
        var changed: [Int] = []
        for _ in 0..<r {
            // Start on the lower half of the grid so that +Δ stays inside; a random order and direction per input.
            var point = (0..<k).map { _ in Double(Int(generator.next() * Double(p / 2))) / Double(p - 1) }
            var order = Array(0..<k)
            for index in stride(from: k - 1, to: 0, by: -1) {
                order.swapAt(index, Int(generator.next() * Double(index + 1)) % (index + 1))
            }
            let down = (0..<k).map { _ in generator.next() < 0.5 }
            for input in 0..<k where down[input] { point[input] += delta }
            points.append(point)
            changed.append(-1)
            for input in order {
                point[input] += down[input] ? -delta : delta
                points.append(point)
                changed.append(input)
            }
        }
        return (points, changed)
    }

    public struct Effect: Sendable, Equatable, Codable {
        /// Mean absolute elementary effect μ*.
        public var meanAbsolute: Double
        /// Standard deviation σ of the elementary effects.
        public var standardDeviation: Double
    }

    /// μ* and σ per input from the outputs of `design` (same order).
    public static func effects(outputs: [Double], design: (points: [[Double]], changed: [Int]), dimensions k: Int)
        -> [Effect]
    {
        var effects = [[Double]](repeating: [], count: k)
        for row in 1..<design.points.count where design.changed[row] >= 0 {
            let input = design.changed[row]
            let step = design.points[row][input] - design.points[row - 1][input]
            effects[input].append((outputs[row] - outputs[row - 1]) / step)
        }
        return effects.map { values in
            let count = Double(max(values.count, 1))
            let mean = values.reduce(0, +) / count
            let meanAbsolute = values.reduce(0) { $0 + abs($1) } / count
            let variance = values.count > 1 ? values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (count - 1) : 0
            return Effect(meanAbsolute: meanAbsolute, standardDeviation: variance.squareRoot())
        }
    }
}

/// Uniform numbers in [0, 1) from SplitMix64 (G. L. Steele, D. Lea, C. H. Flood, *OOPSLA* 2014): deterministic per seed.
struct SeededUniform {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(UInt64(1) << 53)
    }
}
