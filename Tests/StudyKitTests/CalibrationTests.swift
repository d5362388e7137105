import CathodeModels
import Foundation
import ResultStore
import Synchronization
import Testing
@testable import StudyKit

/// The calibration machinery (StudyKit/Calibration*.swift) against references it must reproduce:
/// - synthetic recovery: targets made by a known function (and by the composite model itself) with known noise
///   are fitted back to the true parameters within the reported standard errors (3 SE: the 99.7 % band of the
///   linearised estimate);
/// - the linear-regression limit: for a model linear in its parameters the reported standard error equals the
///   textbook σ·√((XᵀX)⁻¹)ᵢᵢ;
/// - held-out validation targets never move the fit; a fit that wants to leave its box says so; a declaration
///   that breaks the contract is refused with every problem named; a cached rerun does not evaluate anything.
@Suite struct CalibrationTests {
    /// Deterministic noise: a fixed list of standard-normal draws (Box–Muller from SplitMix64, seed 7).
    static let noise: [Double] = {
        var state: UInt64 = 7
        func next() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return (Double(z >> 11) + 0.5) / Double(1 << 53)
        }
        return (0..<16).map { _ in (-2 * log(next())).squareRoot() * cos(2 * Double.pi * next()) }
    }()

    /// y(x) = a (1 − e^{−x/b}) sampled at 8 points with noise σ = 0.02; a = 2, b = 0.7 are the truth.
    struct Saturation: Calibration {
        let id = "test-saturation"
        let title = "synthetic saturation curve"
        let sourceFile = "Tests/StudyKitTests/CalibrationTests.swift"
        var validationValue = 0.0
        var counter: Counter? = nil
        var warm: [String: Double]? = nil
        var starts: Int { 2 }
        var maxIterations: Int { 40 }
        var warmStart: [String: Double]? { warm }
        static let xs = [0.1, 0.25, 0.5, 0.8, 1.2, 1.8, 2.5, 3.5]
        static let sigma = 0.02
        static func model(_ x: Double, _ values: [String: Double]) -> Double {
            values["a"]! * (1 - exp(-x / values["b"]!))
        }

        var parameters: [CalibratedParameter] {
            [
                CalibratedParameter(
                    "a", symbol: "a", unit: "–", bounds: 0.5...5, initial: 1, scale: .linear, literature: 0.5...5,
                    source: "test", applies: [:]),
                CalibratedParameter(
                    "b", symbol: "b", unit: "–", bounds: 0.1...3, initial: 1.5, scale: .log, literature: 0.1...3,
                    source: "test", applies: [:]),
            ]
        }
        var targets: [CalibrationTarget] {
            let truth = ["a": 2.0, "b": 0.7]
            let counter = self.counter
            var list = Self.xs.enumerated().map { k, x in
                CalibrationTarget(
                    "y(\(x))", published: Self.model(x, truth) + Self.sigma * CalibrationTests.noise[k], unit: "–",
                    figure: "synthetic",
                    uncertainty: Self.sigma, role: .fit, runs: []
                ) { _, values in
                    counter?.add()
                    return Self.model(x, values)
                }
            }
            // Held-out points; their published values are whatever the test sets.
            for x in [0.4, 1.0, 3.0, 5.0] {
                list.append(
                    CalibrationTarget(
                        "held-out y(\(x))", published: Self.model(x, truth) + validationValue, unit: "–",
                        figure: "synthetic",
                        uncertainty: Self.sigma, role: .validation, runs: []
                    ) { _, values in Self.model(x, values) })
            }
            return list
        }
    }

    final class Counter: Sendable {
        let count = Mutex(0)
        func add() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    @Test func recoversKnownParametersWithinTheirStandardErrors() throws {
        let result = try CalibrationRunner(Saturation(), cache: nil, jobs: 1).run()
        for (name, truth) in [("a", 2.0), ("b", 0.7)] {
            let p = try #require(result.parameters.first { $0.name == name })
            let se = try #require(p.standardError)
            #expect(se > 0 && se < 0.1 * truth, "\(name): SE \(se)")
            #expect(abs(p.value - truth) < 3 * se, "\(name) = \(p.value) ± \(se), truth \(truth)")
            #expect(!p.atBound)
        }
        // The validation targets sit on the true curve: their residuals are of the order of the fit's.
        for t in result.targets where t.role == .validation {
            #expect(abs(t.normalisedResidual) < 3, "\(t.name): \(t.normalisedResidual)")
        }
        #expect(abs(result.correlation[0][1]) < 1 && abs(result.correlation[0][0] - 1) < 1e-9)
    }

    /// For y = c₀ + c₁x the Jacobian is X, so SE(cᵢ) = σ·√((XᵀX)⁻¹)ᵢᵢ exactly (the cost is quadratic).
    struct Straight: Calibration {
        let id = "test-straight"
        let title = "straight line"
        let sourceFile = "Tests/StudyKitTests/CalibrationTests.swift"
        var starts: Int { 1 }
        static let xs = [0.0, 1, 2, 3, 4, 5]
        var parameters: [CalibratedParameter] {
            [
                CalibratedParameter(
                    "c0", symbol: "c₀", unit: "–", bounds: -10...10, initial: 0, scale: .linear, literature: -10...10,
                    source: "test", applies: [:]),
                CalibratedParameter(
                    "c1", symbol: "c₁", unit: "–", bounds: -10...10, initial: 0, scale: .linear, literature: -10...10,
                    source: "test", applies: [:]),
            ]
        }
        var targets: [CalibrationTarget] {
            var list = Self.xs.enumerated().map { k, x in
                CalibrationTarget(
                    "y(\(x))", published: 1 + 0.5 * x + 0.1 * CalibrationTests.noise[k], unit: "–", figure: "synthetic",
                    uncertainty: 0.1,
                    role: .fit, runs: []
                ) { _, v in v["c0"]! + v["c1"]! * x }
            }
            for x in [6.0, 7, 8] {
                list.append(
                    CalibrationTarget(
                        "held-out y(\(x))", published: 1 + 0.5 * x, unit: "–", figure: "synthetic", uncertainty: 0.1,
                        role: .validation, runs: []
                    ) { _, v in v["c0"]! + v["c1"]! * x })
            }
            return list
        }
    }

    @Test func standardErrorsOfALinearModelMatchTheRegressionFormula() throws {
        let result = try CalibrationRunner(Straight(), cache: nil, jobs: 1).run()
        let n = Double(Straight.xs.count)
        let sx = Straight.xs.reduce(0, +)
        let sxx = Straight.xs.reduce(0) { $0 + $1 * $1 }
        let det = n * sxx - sx * sx
        let expected = [0.1 * (sxx / det).squareRoot(), 0.1 * (n / det).squareRoot()]
        for (k, p) in result.parameters.enumerated() {
            let se = try #require(p.standardError)
            // The Jacobian is by finite differences on a quadratic cost: agreement to 1e-4 relative.
            #expect(abs(se / expected[k] - 1) < 1e-4, "\(p.name): SE \(se), regression \(expected[k])")
        }
        // Least squares: the fitted line is the ordinary regression line.
        let ys = Straight.xs.enumerated().map { 1 + 0.5 * $1 + 0.1 * CalibrationTests.noise[$0] }
        let sy = ys.reduce(0, +)
        let sxy = zip(Straight.xs, ys).reduce(0) { $0 + $1.0 * $1.1 }
        let slope = (n * sxy - sx * sy) / det
        let intercept = (sy - slope * sx) / n
        #expect(abs(result.values["c1"]! - slope) < 1e-6 && abs(result.values["c0"]! - intercept) < 1e-6)
        // ρ(c₀, c₁) = −Σx/√(n Σx²).
        #expect(abs(result.correlation[0][1] + sx / (n * sxx).squareRoot()) < 1e-4)
    }

    @Test func aPerturbedValidationTargetLeavesTheFitUnchanged() throws {
        let plain = try CalibrationRunner(Saturation(), cache: nil, jobs: 1).run()
        var perturbed = Saturation()
        perturbed.validationValue = 0.5  // 25σ off
        let moved = try CalibrationRunner(perturbed, cache: nil, jobs: 1).run()
        #expect(plain.values == moved.values)
        #expect(plain.cost == moved.cost)
        let heldOut = try #require(moved.targets.first { $0.role == .validation })
        #expect(
            abs(heldOut.normalisedResidual + 25) < 3,
            "the perturbed target shows up as a validation miss: \(heldOut.normalisedResidual)")
    }

    /// The target wants a = 10 but the literature range stops at 5.
    struct Unreachable: Calibration {
        let id = "test-bound"
        let title = "a target beyond the box"
        let sourceFile = "Tests/StudyKitTests/CalibrationTests.swift"
        var starts: Int { 1 }
        var parameters: [CalibratedParameter] {
            [
                CalibratedParameter(
                    "a", symbol: "a", unit: "–", bounds: 0.5...5, initial: 1, scale: .linear, literature: 0.5...5,
                    source: "test", applies: [:])
            ]
        }
        var targets: [CalibrationTarget] {
            [
                CalibrationTarget(
                    "y", published: 10, unit: "–", figure: "synthetic", uncertainty: 0.1, role: .fit, runs: []
                ) { _, v in v["a"]! },
                CalibrationTarget(
                    "held-out y", published: 10, unit: "–", figure: "synthetic", uncertainty: 0.1, role: .validation,
                    runs: []
                ) { _, v in v["a"]! },
            ]
        }
    }

    @Test func aFitThatEndsOnABoundSaysSo() throws {
        let result = try CalibrationRunner(Unreachable(), cache: nil, jobs: 1).run()
        let a = try #require(result.parameters.first)
        #expect(a.atBound)
        #expect(abs(a.value - 5) < 1e-9)
    }

    /// Two parameters the targets see only as their sum, a third pinned on its own: the pinned one gets a
    /// standard error (the regression value 0.1), the pair is not pinned; a parameter held by its bound is fixed.
    struct Degenerate: Calibration {
        let id = "test-degenerate"
        let title = "a sum and a lone parameter"
        let sourceFile = "Tests/StudyKitTests/CalibrationTests.swift"
        var parameters: [CalibratedParameter] {
            [
                CalibratedParameter(
                    "a", symbol: "a", unit: "–", bounds: 0...10, initial: 2, scale: .linear, literature: 0...10,
                    source: "test", applies: [:]),
                CalibratedParameter(
                    "b", symbol: "b", unit: "–", bounds: 0...10, initial: 3, scale: .linear, literature: 0...10,
                    source: "test", applies: [:]),
                CalibratedParameter(
                    "c", symbol: "c", unit: "–", bounds: 0...10, initial: 4, scale: .linear, literature: 0...10,
                    source: "test", applies: [:]),
            ]
        }
        var targets: [CalibrationTarget] {
            [
                CalibrationTarget(
                    "a + b", published: 6, unit: "–", figure: "synthetic", uncertainty: 0.1, role: .fit, runs: []
                ) { _, v in v["a"]! + v["b"]! },
                CalibrationTarget(
                    "c", published: 5, unit: "–", figure: "synthetic", uncertainty: 0.1, role: .fit, runs: []
                ) { _, v in v["c"]! },
                CalibrationTarget(
                    "held-out c", published: 5, unit: "–", figure: "synthetic", uncertainty: 0.1, role: .validation,
                    runs: []
                ) { _, v in v["c"]! },
            ]
        }
    }

    @Test func aRankDeficientFitStillGivesErrorsForWhatItPins() throws {
        let result = try CalibrationRunner(Degenerate(), cache: nil, jobs: 1).run()
        let byName = Dictionary(uniqueKeysWithValues: result.parameters.map { ($0.name, $0) })
        let c = try #require(byName["c"])
        #expect(abs(c.value - 5) < 1e-6)
        let error = try #require(c.standardError)
        #expect(abs(error - 0.1) < 1e-3, "σ_c = uncertainty/|∂y/∂c| = 0.1, got \(error)")
        // Exactly one of a, b is in the identifiable set: the other lies in its span.
        #expect([byName["a"]?.standardError, byName["b"]?.standardError].compactMap { $0 }.count == 1)
        // The selection itself, on a hand-made information matrix: columns 0 and 1 equal, 2 independent, 3 on a bound.
        let jtj: [[Double]] = [[4, 4, 0, 1], [4, 4, 0, 1], [0, 0, 9, 0], [1, 1, 0, 2]]
        #expect(CalibrationRunner.identifiable(jtj, among: [0, 1, 2]).count == 2)
        #expect(CalibrationRunner.identifiable(jtj, among: [0, 1, 2]).contains(2))
        #expect(CalibrationRunner.identifiable(jtj, among: [0, 2, 3]) == [0, 2, 3])
    }

    struct Broken: Calibration {
        let id = "test-broken"
        let title = "breaks the contract"
        let sourceFile = "Tests/StudyKitTests/CalibrationTests.swift"
        var parameters: [CalibratedParameter] {
            [
                CalibratedParameter(
                    "a", symbol: "a", unit: "–", bounds: 0.1...50, initial: 100, scale: .linear, literature: 1...10,
                    source: "test", applies: [:]),
                CalibratedParameter(
                    "r", symbol: "r", unit: "µm", bounds: 1...5, initial: 2, scale: .linear, literature: 1...5,
                    source: "test",
                    applies: [.composite: ["noSuchParameter"]]),
            ]
        }
        var targets: [CalibrationTarget] {
            (0..<4).map { k in
                CalibrationTarget(
                    "y\(k)", published: 1, unit: "–", figure: "synthetic", uncertainty: 0.1,
                    role: k == 0 ? .validation : .fit, runs: []
                ) { _, v in v["a"]! }
            }
                + [
                    CalibrationTarget(
                        "from a calibrated set", published: 1, unit: "–", figure: "synthetic", uncertainty: 0.1,
                        role: .fit,
                        runs: [TargetRun(.composite, base: "compositePaperCalibrated")]
                    ) { o, _ in o[0].composite.capacity }
                ]
        }
    }

    @Test func aBrokenDeclarationIsRefusedWithEveryProblem() throws {
        do {
            _ = try CalibrationRunner(Broken(), cache: nil, jobs: 1).run()
            Issue.record("a broken declaration ran")
        } catch let error as CalibrationDeclarationError {
            let text = error.description
            #expect(text.contains("leave its literature range"))
            #expect(text.contains("initial value 100"))
            #expect(text.contains("'noSuchParameter' is not a composite parameter"))
            #expect(text.contains("only 1 of 5 targets are held out"))
            #expect(text.contains("runs from the calibrated set 'compositePaperCalibrated'"))
        }
    }

    /// A warm start (the values a study compiled in) is one more start, after the declared one; the fit ends no
    /// worse than it; its values enter the cache key; one outside the bounds or missing a name is ignored.
    @Test func aWarmStartIsOneMoreStartAndPartOfTheKey() throws {
        var calibration = Saturation()
        let cold = try CalibrationRunner(calibration, cache: nil, jobs: 1).run()
        calibration.warm = ["a": 2.05, "b": 0.68]
        let runner = CalibrationRunner(calibration, cache: nil, jobs: 1)
        let warm = try runner.run()
        #expect(warm.starts.count == cold.starts.count + 1)
        let warmStart = warm.starts[1]
        #expect(abs(warmStart.initial[0] - (2.05 - 0.5) / 4.5) < 1e-12)  // a is linear on [0.5, 5]
        #expect(warm.cost <= warmStart.cost)
        #expect(runner.key != CalibrationRunner(Saturation(), cache: nil, jobs: 1).key)
        calibration.warm = ["a": 2.05, "b": 7]  // b outside [0.1, 3]
        #expect(try CalibrationRunner(calibration, cache: nil, jobs: 1).run().starts.count == cold.starts.count)
        calibration.warm = ["a": 2.05]
        #expect(try CalibrationRunner(calibration, cache: nil, jobs: 1).run().starts.count == cold.starts.count)
    }

    @Test func aCachedRerunEvaluatesNothing() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "calibration-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let counter = Counter()
        var calibration = Saturation()
        calibration.counter = counter
        let first = try CalibrationRunner(calibration, cache: ResultCache(directory: directory), jobs: 1).run()
        let evaluationsOfTheFit = counter.value
        #expect(evaluationsOfTheFit > 0)
        let second = try CalibrationRunner(calibration, cache: ResultCache(directory: directory), jobs: 1).run()
        #expect(second == first)
        #expect(counter.value == evaluationsOfTheFit)
    }

    /// The model path: the composite's particle radius (3.2 µm) recovered from capacities the model made at four
    /// rates, with 0.3 % noise, two more rates held out.
    struct CompositeRadius: Calibration {
        let id = "test-composite-radius"
        let title = "composite particle radius"
        let sourceFile = "Tests/StudyKitTests/CalibrationTests.swift"
        let published: [Double]
        var starts: Int { 1 }
        var maxIterations: Int { 12 }
        static let rates = [0.5, 1, 2, 3, 1.5, 4]
        static func run(_ rate: Double) -> TargetRun {
            TargetRun(
                .composite, base: "composite",
                ["camWeightPercent": 70, "cRate": rate, "electrodeCells": 10, "particleShells": 8])
        }
        var parameters: [CalibratedParameter] {
            [
                CalibratedParameter(
                    "radius", symbol: "R_p", unit: "µm", bounds: 1...5, initial: 2, scale: .linear, literature: 1...5,
                    source: "test",
                    applies: [.composite: ["particleRadiusMicrometres"]])
            ]
        }
        var targets: [CalibrationTarget] {
            Self.rates.enumerated().map { k, rate in
                CalibrationTarget(
                    "capacity at \(rate)C", published: published[k], unit: "mAh g⁻¹", figure: "synthetic",
                    uncertainty: 0.003 * published[k],
                    role: k >= 4 ? .validation : .fit, runs: [Self.run(rate)]
                ) { outputs, _ in outputs[0].composite.capacity }
            }
        }
    }

    @Test func recoversTheCompositeParticleRadiusFromItsOwnCapacities() throws {
        let truth = 3.2
        let clean = try CompositeRadius.rates.map { rate -> Double in
            let job = try ModelJob.make(
                model: .composite, base: BaseParameters("composite", model: .composite),
                overrides: [
                    "camWeightPercent": 70, "cRate": rate, "electrodeCells": 10, "particleShells": 8,
                    "particleRadiusMicrometres": truth,
                ],
                physicsVersion: PhysicsVersion.current)
            return try job.run().composite.capacity
        }
        let noisy = clean.enumerated().map { $1 * (1 + 0.003 * CalibrationTests.noise[$0]) }
        let result = try CalibrationRunner(CompositeRadius(published: noisy), cache: nil, jobs: 2).run()
        let radius = try #require(result.parameters.first)
        let se = try #require(radius.standardError)
        #expect(abs(radius.value - truth) < 3 * se, "R_p = \(radius.value) ± \(se) µm, truth \(truth)")
        #expect(se < 0.1, "SE \(se) µm")
    }
}
