import Foundation

/// The calibration of the cycling model against the paper's Fig. 5(a) (issue 15): two damage parameters, the
/// interface Paris rate C_i and exponent m_i, fitted to the retention Q_N/Q_1 after 25 and 75 cycles; the retention
/// after 50 cycles is predicted, not fitted. Retention, not capacity: the model system's first 1C cycle (about
/// 50 mAh g⁻¹ with the jointly calibrated Model B) is not the cycled cell's 86 mAh g⁻¹, so only the fade is compared.
///
/// Method: for every m_i of a grid over 2–6 (Paris exponents of metals are 2–4, of bulk ceramics ≥ 10, Ritchie 1999;
/// none is measured for this interface; the grid stops at 6 for time: each point costs 8 runs of 75 cycles), C_i is
/// found by 8 bisections in log₁₀ C_i on [−8, −3] (0.02 decades) so that the retention after 75 cycles matches (it
/// falls as C_i grows); of the grid points the one with the smallest sum of squared retention errors at the two
/// fitted cycles is taken. `Fit.atBound` says when that is the grid's first or last point. The capacity of a cycling run moves in steps (faces open one
/// at a time), so a gradient method has nothing smooth to follow; the grid shows the whole trade-off instead.
public enum CyclingCalibration {
    /// The paper's Fig. 5(a): (cycle, capacity [mAh g⁻¹]) (physics.md §7, row 20).
    public static let published: [(cycle: Int, capacity: Double)] = [(1, 86), (25, 81), (50, 62), (75, 34)]
    public static let fittedCycles = [25, 75]
    public static let predictedCycle = 50
    public static let exponentGrid: [Double] = [2, 3, 4, 6]
    /// log₁₀ of the bracket of C_i [m per cycle].
    public static let rateBracket: ClosedRange<Double> = -8 ... -3
    public static let bisections = 8

    /// Published retention Q_N/Q_1 at a cycle.
    public static func publishedRetention(_ cycle: Int) -> Double {
        (published.first { $0.cycle == cycle }?.capacity ?? .nan) / published[0].capacity
    }

    /// One model evaluation of the fit.
    public struct Evaluation: Sendable, Codable, Equatable {
        public var exponent: Double
        public var rate: Double
        /// Retention after 25, 50 and 75 cycles.
        public var retention: [Double]
    }

    /// The fit: the chosen values, the model's retention with them, and the evaluation at every grid point.
    public struct Fit: Sendable, Codable, Equatable {
        public var rate: Double
        public var exponent: Double
        public var retention: [Double]
        public var grid: [Evaluation]
        public var evaluations: Int
        public var atBound: Bool
    }

    /// Retention after 25, 50 and 75 cycles of a cycling run.
    public static func retention(_ spec: CyclingSpec, rate: Double, exponent: Double) throws -> [Double] {
        var s = spec
        s.interfaceParisRateMetresPerCycle = rate
        s.interfaceParisExponent = exponent
        s.cycles = 75
        s.recordIntervalCycles = 25
        let r = try CyclingRunner.run(s).retention
        return [25, 50, 75].map { r[$0 - 1] }
    }

    /// The fit's cost: the squared retention error at the two fitted cycles (25 and 75) of a retention after 25, 50 and
    /// 75 cycles.
    public static func cost(_ retention: [Double]) -> Double {
        pow(retention[0] - publishedRetention(25), 2) + pow(retention[2] - publishedRetention(75), 2)
    }

    /// Runs the fit on `spec` (its interface rate and exponent are replaced), the grid points `jobs` at a time.
    public static func fit(_ spec: CyclingSpec, jobs: Int = 2, progress: (@Sendable (String) -> Void)? = nil) throws
        -> Fit
    {
        let target = publishedRetention(75)
        let grid = exponentGrid
        let results = LockedResults<Result<(Evaluation, Int), Error>>(count: grid.count)
        let queue = DispatchQueue(label: "cycling-calibration", attributes: .concurrent)
        let group = DispatchGroup()
        let slots = DispatchSemaphore(value: max(1, jobs))
        for (index, exponent) in grid.enumerated() {
            slots.wait()
            group.enter()
            queue.async {
                defer {
                    slots.signal()
                    group.leave()
                }
                do {
                    var (low, high) = (rateBracket.lowerBound, rateBracket.upperBound)
                    var best: Evaluation? = nil
                    var count = 0
                    for _ in 0..<bisections {
                        let mid = 0.5 * (low + high)
                        let r = try retention(spec, rate: pow(10, mid), exponent: exponent)
                        count += 1
                        progress?(
                            String(
                                format: "  m_i = %.1f, C_i = %.3g: retention %.3f / %.3f / %.3f", exponent,
                                pow(10, mid),
                                r[0], r[1], r[2]))
                        let evaluation = Evaluation(exponent: exponent, rate: pow(10, mid), retention: r)
                        if best == nil || abs(r[2] - target) < abs(best!.retention[2] - target) { best = evaluation }
                        if r[2] > target { low = mid } else { high = mid }
                    }
                    progress?(
                        String(
                            format: "m_i = %.1f: C_i = %.3g m/cycle, retention %.3f / %.3f / %.3f", exponent,
                            best!.rate, best!.retention[0], best!.retention[1], best!.retention[2]))
                    results.store(index, .success((best!, count)))
                } catch {
                    results.store(index, .failure(error))
                }
            }
        }
        group.wait()
        var evaluations: [Evaluation] = []
        var total = 0
        for outcome in results.values {
            let (evaluation, count) = try outcome!.get()
            evaluations.append(evaluation)
            total += count
        }
        let chosen = evaluations.indices.min { cost(evaluations[$0].retention) < cost(evaluations[$1].retention) }!
        return Fit(
            rate: evaluations[chosen].rate, exponent: evaluations[chosen].exponent,
            retention: evaluations[chosen].retention, grid: evaluations, evaluations: total,
            atBound: chosen == 0 || chosen == grid.count - 1)
    }

    /// The generated Swift source of the fitted values (written by `cathodelab calibrate cycling --write-swift`).
    public static func swiftSource(_ fit: Fit) -> String {
        let rows = fit.grid.map {
            "// m_i = \($0.exponent): C_i = \($0.rate), retention after 25/50/75 cycles = \($0.retention.map { String(format: "%.4f", $0) }.joined(separator: " / "))"
        }
        return """
            // Generated by `cathodelab calibrate cycling --write-swift`. Do not edit; rerun the command to update.
            // The cycling calibration (CyclingCalibration): C_i and m_i fitted to the retention of Fig. 5(a) after 25 and
            // 75 cycles; \(fit.evaluations) model evaluations. The grid of the fit:
            \(rows.joined(separator: "\n"))

            /// Fitted interface fatigue law of the cycling model (labels [C]).
            public enum CyclingCalibratedValues {
                public static let interfaceParisRateMetresPerCycle = \(fit.rate)
                public static let interfaceParisExponent = \(fit.exponent)
                /// The model's retention after 25, 50 and 75 cycles with these values (50: the prediction).
                public static let retention: [Double] = [\(fit.retention.map { "\($0)" }.joined(separator: ", "))]
                /// Whether the exponent ended on its range's bound.
                public static let atBound = \(fit.atBound)
                /// Every point of the fit's grid: m_i, the C_i [m per cycle] that matches the 75-cycle retention at it,
                /// and its retention after 25, 50 and 75 cycles.
                public static let grid: [(exponent: Double, rate: Double, retention: [Double])] = [
            \(fit.grid.map { "        (\($0.exponent), \($0.rate), [\($0.retention.map { "\($0)" }.joined(separator: ", "))])," }.joined(separator: "\n"))
                ]
            }

            """
    }
}

/// Results of parallel work, one slot per task.
final class LockedResults<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Value?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func store(_ index: Int, _ value: Value) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }
    var values: [Value?] {
        lock.lock()
        defer { lock.unlock() }
        return slots
    }
}
