import Foundation

/// Coefficients and error control of the variable-step, second-order backward differentiation formula.
///
/// With ω = Δtₙ/Δtₙ₋₁ the BDF2 step for y' = f(y) reads (Hairer and Wanner, *Solving ODEs II*, §III.5):
///
///     α₀ yₙ₊₁ + α₁ yₙ + α₂ yₙ₋₁ = Δtₙ f(yₙ₊₁),
///     α₀ = (1 + 2ω)/(1 + ω),  α₁ = −(1 + ω),  α₂ = ω²/(1 + ω).
///
/// The first step (no yₙ₋₁) is implicit Euler: α = (1, −1, 0). The coefficients sum to zero, so a
/// conservative spatial discretisation stays exactly conservative in time.
///
/// Error estimate: the local truncation error of BDF2 is −(2/9)Δt³y''' at constant step; the quadratic
/// extrapolation through the last three solutions has error Δt³y''' to leading order, so
/// `LTE ≈ (2/9)/(1 + 2/9) · (yₙ₊₁ − y_pred) = (2/11)(yₙ₊₁ − y_pred)` (Milne's device). With only two
/// past points (step 2) the linear extrapolation is used, which over-estimates the error — safe.
public struct BDF2Coefficients: Sendable, Equatable {
    public let alpha0: Double, alpha1: Double, alpha2: Double

    public static let implicitEuler = BDF2Coefficients(alpha0: 1, alpha1: -1, alpha2: 0)

    public init(alpha0: Double, alpha1: Double, alpha2: Double) {
        self.alpha0 = alpha0
        self.alpha1 = alpha1
        self.alpha2 = alpha2
    }

    /// BDF2 for the step ratio ω = Δtₙ/Δtₙ₋₁.
    public init(stepRatio w: Double) {
        alpha0 = (1 + 2 * w) / (1 + w)
        alpha1 = -(1 + w)
        alpha2 = w * w / (1 + w)
    }
}

/// Step-size control for an error-per-step estimate of order p + 1 (p = 2 for BDF2).
///
/// Accept when `err ≤ 1` (err is the estimate divided by the tolerance); the next step is
/// `Δt · clamp(safety · err^(−1/(p+1)), minFactor, maxFactor)` (Hairer, Nørsett and Wanner,
/// *Solving ODEs I*, §II.4).
public struct StepController: Sendable {
    public var safety = 0.9
    public var minFactor = 0.2
    public var maxFactor = 2.0
    public var order = 2
    public init() {}

    /// The largest growth per step for a BDF order: `maxFactor` up to order 2 (BDF2 is zero-stable for ratios
    /// below 1 + √2), at most 1.5 from order 3 on (see `BDFCoefficients`).
    public static func maxFactor(forOrder order: Int, default value: Double) -> Double {
        order >= 3 ? min(value, 1.5) : value
    }

    public func factor(error err: Double) -> Double {
        guard err > 0, err.isFinite else { return err == 0 ? maxFactor : minFactor }
        return min(maxFactor, max(minFactor, safety * pow(err, -1.0 / Double(order + 1))))
    }
}
