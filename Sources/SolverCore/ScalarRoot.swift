/// Safeguarded scalar root finding: Newton steps kept inside a shrinking bracket, bisection when a
/// Newton step would leave it or converge too slowly (the "rtsafe" strategy of Press et al.,
/// *Numerical Recipes*, 3rd ed., §9.4). Converges whenever f is continuous and changes sign on [lo, hi].
public enum ScalarRoot {
    /// Finds x in [lo, hi] with |f(x)| ≤ fTolerance or a bracket narrower than xTolerance.
    /// `f` returns the value and the derivative (the derivative may be approximate).
    public static func solve(
        lo: Double, hi: Double, xTolerance: Double, fTolerance: Double = 0,
        maxIterations: Int = 100, _ f: (Double) -> (value: Double, derivative: Double)
    ) throws -> Double {
        var a = lo
        var b = hi
        var fa = f(a).value
        var fb = f(b).value
        if fa == 0 { return a }
        if fb == 0 { return b }
        guard fa.sign != fb.sign else { throw SolverError.rootNotBracketed(lo: lo, hi: hi, fLo: fa, fHi: fb) }
        var x = 0.5 * (a + b)
        var previousWidth = abs(b - a)
        for _ in 0..<maxIterations {
            let (fx, dfx) = f(x)
            if abs(fx) <= fTolerance { return x }
            if fx.sign == fa.sign {
                a = x
                fa = fx
            } else {
                b = x
                fb = fx
            }
            let width = abs(b - a)
            if width <= xTolerance { return 0.5 * (a + b) }
            var next = dfx != 0 && dfx.isFinite ? x - fx / dfx : .nan
            let inside = next.isFinite && next > min(a, b) && next < max(a, b)
            if !inside || width > 0.5 * previousWidth { next = 0.5 * (a + b) }
            previousWidth = width
            x = next
        }
        throw SolverError.noConvergence(what: "scalar root", iterations: maxIterations, residual: abs(f(x).value))
    }
}
