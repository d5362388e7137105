import Foundation

/// sinh x and cosh x from one exponential: cosh x = (eˣ + e⁻ˣ)/2 always, sinh x = (eˣ − e⁻ˣ)/2 for |x| ≥ ½, where the
/// subtraction amplifies rounding by at most (1 + e⁻¹)/(1 − e⁻¹) ≈ 2.2 (about one bit, at |x| = ½), and the C
/// library's sinh below that, where the cancellation would cost more. One `exp` instead of the `expm1` and `exp` that separate sinh and cosh calls take — the
/// Butler–Volmer kinetics of a 2D discharge ask for both at every face and Newton iteration.
@inline(__always)
public func hyperbolicSineCosine(_ x: Double) -> (sinh: Double, cosh: Double) {
    let growth = exp(x)
    let decay = 1 / growth
    let cosine = 0.5 * (growth + decay)
    return (abs(x) < 0.5 ? sinh(x) : 0.5 * (growth - decay), cosine)
}
