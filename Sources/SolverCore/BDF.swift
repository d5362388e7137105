/// Coefficients of the variable-step backward differentiation formula of order k = 1, 2 or 3.
///
/// With the new time tₙ₊₁ and the accepted times tₙ, tₙ₋₁, tₙ₋₂ (Hairer and Wanner, *Solving ODEs II*, §III.5):
///
///     α₀ yₙ₊₁ + α₁ yₙ + … + α_k yₙ₊₁₋ₖ = Δt f(yₙ₊₁),   Δt = tₙ₊₁ − tₙ,
///     α_j = Δt ℓ_j′(tₙ₊₁),
///
/// ℓ_j the Lagrange basis polynomials on the k + 1 nodes tₙ₊₁ … tₙ₊₁₋ₖ: the formula differentiates the polynomial
/// through the new and the k last solutions exactly. k = 2 gives `BDF2Coefficients(stepRatio:)`, k = 1 implicit Euler.
/// The coefficients sum to zero (ℓ_j′ of a partition of unity), so a conservative spatial discretisation stays exactly
/// conservative in time. BDF3 is A(α)-stable with α = 86° (every diffusion eigenvalue is damped); with variable steps
/// it is zero-stable for step ratios up to about 1.2 in arbitrary sequences (Grigorieff, Numer. Math. 42, 359
/// (1983)) and in practice well beyond for occasional larger ratios: `StepController.maxFactor(forOrder:)` bounds
/// growth at order 3 to 1.5 per step.
public struct BDFCoefficients: Sendable, Equatable {
    /// The order k (1–3): the number of past solutions the formula uses.
    public let order: Int
    /// α₀ … α₃; the ones beyond `order` are zero.
    public let alpha0: Double, alpha1: Double, alpha2: Double, alpha3: Double

    /// Implicit Euler, (α₀, α₁) = (1, −1): for a step whose length does not enter the history (a start-up solve).
    public static let implicitEuler = BDFCoefficients(order: 1, next: 1, past: (0, -1, -2))

    /// The formula for the new time `next` on the past times `past` (newest first: tₙ, tₙ₋₁, tₙ₋₂; the first
    /// `order` are used).
    public init(order: Int, next: Double, past: (Double, Double, Double)) {
        precondition((1...3).contains(order), "BDF order \(order) is not 1, 2 or 3")
        self.order = order
        let nodes = SIMD4(next, past.0, past.1, past.2)
        let step = next - past.0
        guard step != 0 else {
            // A step of zero length leaves the solution where it is: α₀ yₙ₊₁ − yₙ = 0.
            (alpha0, alpha1, alpha2, alpha3) = (1, -1, 0, 0)
            return
        }
        // ℓ_0′(x₀) = Σ_{m≠0} 1/(x₀ − x_m);  ℓ_j′(x₀) = Π_{m≠0,j}(x₀ − x_m) / Π_{m≠j}(x_j − x_m).
        var alphas = SIMD4<Double>(repeating: 0)
        for m in 1...order { alphas[0] += step / (next - nodes[m]) }
        for j in 1...order {
            var numerator = step
            var denominator = 1.0
            for m in 0...order where m != j {
                if m != 0 { numerator *= next - nodes[m] }
                denominator *= nodes[j] - nodes[m]
            }
            alphas[j] = numerator / denominator
        }
        alpha0 = alphas[0]
        alpha1 = alphas[1]
        alpha2 = alphas[2]
        alpha3 = alphas[3]
    }

    /// Milne's factor for the local error of order k from the difference between the solution and the polynomial
    /// extrapolation of degree k through the last k + 1 solutions: with the constant-step error constants of
    /// BDF1–3 (1/2, 2/9, 3/22, in units of Δt^{k+1}y^{(k+1)}) and the extrapolation's Δt^{k+1}y^{(k+1)},
    /// LTE ≈ C/(1 + C)·(yₙ₊₁ − y_pred): 1/3, 2/11, 3/25.
    public static func milneFactor(order: Int) -> Double {
        switch order {
        case 1: return 1.0 / 3
        case 2: return 2.0 / 11
        default: return 3.0 / 25
        }
    }
}
