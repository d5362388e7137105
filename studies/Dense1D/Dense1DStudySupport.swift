import Foundation

/// Labels shared by the Model A studies.
func rateLabel(_ r: Double) -> String { r == r.rounded() ? "\(Int(r))C" : "\(r)C" }
func slug(_ r: Double) -> String { rateLabel(r).replacingOccurrences(of: ".", with: "p") }

/// `m×10^{e}` markup for a diffusivity, m to three significant digits (a fitted 1.82274e-9 reads 1.82×10⁻⁹).
func sci(_ v: Double) -> String {
    let e = Int(floor(log10(v)))
    let m = v / pow(10, Double(e))
    return abs(m - 1) < 1e-9 ? "10^{\(e)}" : String(format: "%.3g", m) + "×10^{\(e)}"
}

/// Linear interpolation of the level crossing along a column: the y where f(y) = level.
func crossing(_ ys: [Double], _ fs: [Double], level: Double) -> Double? {
    for k in 1..<ys.count where (fs[k - 1] - level) * (fs[k] - level) <= 0 && fs[k - 1] != fs[k] {
        return ys[k - 1] + (level - fs[k - 1]) / (fs[k] - fs[k - 1]) * (ys[k] - ys[k - 1])
    }
    return nil
}
