import Foundation

/// One tick mark on an axis.
public struct Tick: Equatable, Sendable {
    public var value: Double
    /// Empty for minor ticks.
    public var label: RichText
    public var isMajor: Bool
    public init(value: Double, label: RichText, isMajor: Bool = true) {
        self.value = value
        self.label = label
        self.isMajor = isMajor
    }
}

/// "Nice" tick placement and tick-label formatting.
///
/// Linear axes (after P. S. Heckbert, "Nice numbers for graph labels", *Graphics Gems*, 1990): the step
/// is `m · 10^k` with `m ∈ {1, 2, 2.5, 5}`, chosen so that the number of ticks inside the range is
/// closest to the target, never fewer than 3; ties prefer m = 1, then 2, 5 and last 2.5. Tick values are integer multiples of the step,
/// and labels print exactly as many decimals as the step needs, so `0.1 + 0.2` shows as `0.3`, never
/// `0.30000000000000004`. Values whose magnitude is ≥ 10⁵ or < 10⁻³ are written as `m×10^k`.
///
/// Log axes: a labelled major tick `10^k` at every decade (every 2nd or 3rd decade when there are many),
/// unlabelled minor ticks at 2…9 × 10^k. Ranges narrower than one decade fall back to 1–2–5 labels
/// in plain notation.
public enum TickGenerator {
    /// The nice step for a range and a target tick count.
    public static func niceStep(lo: Double, hi: Double, target: Int = 5) -> Double {
        let span = abs(hi - lo)
        guard span > 0, span.isFinite else { return 1 }
        let raw = span / Double(max(target, 1))
        let magnitude = pow(10, floor(log10(raw)))
        var best = magnitude
        var bestScore = Double.infinity
        // Preference among mantissas when counts tie: 1 > 2 > 5 > 2.5 (2.5 needs an extra decimal).
        for (m, penalty) in [(1.0, 0.0), (2.0, 0.1), (2.5, 1.5), (5.0, 0.15), (10.0, 0.0)] {
            let step = m * magnitude
            let count = Double(tickCount(lo: min(lo, hi), hi: max(lo, hi), step: step))
            let miss = count - Double(target)  // too few ticks read worse than too many
            let score = (miss < 0 ? -1.5 * miss : miss) + penalty + (count < 3 ? 10 : 0)
            if score < bestScore {
                bestScore = score
                best = step
            }
        }
        return best
    }

    static func tickCount(lo: Double, hi: Double, step: Double) -> Int {
        let eps = 1e-9
        return Int(floor(hi / step + eps) - ceil(lo / step - eps)) + 1
    }

    /// Expands `[lo, hi]` outwards to the nearest multiples of the nice step.
    public static func niceLimits(lo: Double, hi: Double, target: Int = 5) -> (lo: Double, hi: Double) {
        if lo == hi {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            return niceLimits(lo: lo - pad, hi: hi + pad, target: target)
        }
        let step = niceStep(lo: lo, hi: hi, target: target)
        let eps = 1e-9
        return (floor(lo / step + eps) * step, ceil(hi / step - eps) * step)
    }

    /// Major ticks of a linear axis inside `[lo, hi]`.
    public static func linearTicks(lo: Double, hi: Double, target: Int = 5) -> [Tick] {
        linearTicks(lo: lo, hi: hi, step: niceStep(lo: min(lo, hi), hi: max(lo, hi), target: target))
    }

    /// Major ticks at the multiples of `step` inside `[lo, hi]`.
    public static func linearTicks(lo: Double, hi: Double, step: Double) -> [Tick] {
        let a = min(lo, hi)
        let b = max(lo, hi)
        let eps = 1e-9
        let first = Int(ceil(a / step - eps))
        let last = Int(floor(b / step + eps))
        guard last >= first else { return [] }
        let scaleRef = max(abs(a), abs(b))
        return (first...last).map { k in
            let v = Double(k) * step
            return Tick(value: v, label: RichText(format(v, step: step, magnitude: scaleRef)))
        }
    }

    /// Minor ticks between the major ticks of a linear axis (step / 5, or / 4 for a 2-step).
    public static func linearMinorTicks(lo: Double, hi: Double, target: Int = 5) -> [Tick] {
        linearMinorTicks(lo: lo, hi: hi, step: niceStep(lo: min(lo, hi), hi: max(lo, hi), target: target))
    }

    /// Minor ticks between the multiples of `step` (a fifth of it, or a quarter for a 2-step).
    public static func linearMinorTicks(lo: Double, hi: Double, step: Double) -> [Tick] {
        let a = min(lo, hi)
        let b = max(lo, hi)
        let mantissa = step / pow(10, floor(log10(step)))
        let sub = abs(mantissa - 2) < 1e-9 ? step / 4 : step / 5
        let eps = 1e-9
        let first = Int(ceil(a / sub - eps))
        let last = Int(floor(b / sub + eps))
        guard last >= first, last - first < 2000 else { return [] }
        return (first...last).compactMap { k in
            let v = Double(k) * sub
            let onMajor = abs(v / step - (v / step).rounded()) < 1e-6
            return onMajor ? nil : Tick(value: v, label: RichText(""), isMajor: false)
        }
    }

    /// Ticks of a log₁₀ axis inside `[lo, hi]` (both > 0). Majors are labelled, minors are not.
    public static func logTicks(lo: Double, hi: Double) -> [Tick] {
        let a = min(lo, hi)
        let b = max(lo, hi)
        guard a > 0 else { return [] }
        let eps = 1e-9
        let kLo = Int(ceil(log10(a) - eps))
        let kHi = Int(floor(log10(b) + eps))
        var ticks: [Tick] = []
        if kHi - kLo < 1 {
            // Less than two decades labelled: label 1, 2, 5 × 10^k in plain notation.
            let d0 = Int(floor(log10(a) + eps))
            let d1 = Int(ceil(log10(b) - eps))
            for k in d0...max(d0, d1) {
                for m in 1...9 {
                    let v = Double(m) * pow(10, Double(k))
                    guard v >= a * (1 - eps), v <= b * (1 + eps) else { continue }
                    let labelled = m == 1 || m == 2 || m == 5
                    ticks.append(
                        Tick(
                            value: v,
                            label: labelled
                                ? RichText(format(v, step: pow(10, Double(k)), magnitude: v)) : RichText(""),
                            isMajor: labelled))
                }
            }
            return ticks
        }
        let every = kHi - kLo > 12 ? 3 : (kHi - kLo > 7 ? 2 : 1)
        for k in (kLo - 1)...(kHi) {
            let decade = pow(10, Double(k))
            if k >= kLo, (k - kLo) % every == 0 {
                ticks.append(Tick(value: decade, label: RichText(decadeLabel(k))))
            } else if k >= kLo {
                ticks.append(Tick(value: decade, label: RichText(""), isMajor: false))
            }
            if every == 1 {
                for m in 2...9 {
                    let v = Double(m) * decade
                    if v >= a * (1 - eps), v <= b * (1 + eps) {
                        ticks.append(Tick(value: v, label: RichText(""), isMajor: false))
                    }
                }
            }
        }
        return ticks.sorted { $0.value < $1.value }
    }

    /// `10^{k}` markup, with `1` and `10` written plainly.
    public static func decadeLabel(_ k: Int) -> String {
        switch k {
        case 0: return "1"
        case 1: return "10"
        default: return "10^{\(k)}"
        }
    }

    /// Formats `v` with the decimals implied by `step` (markup, minus as U+2212).
    ///
    /// `magnitude` decides the notation: scientific (`m×10^{k}`) when ≥ 10⁵ or < 10⁻³.
    public static func format(_ v: Double, step: Double, magnitude: Double) -> String {
        let v = abs(v) < step * 1e-9 ? 0 : v  // no "−0.0"
        if magnitude >= 1e5 || magnitude < 1e-3 {
            if v == 0 { return "0" }
            let k = Int(floor(log10(abs(v)) + 1e-9))
            let mantissa = v / pow(10, Double(k))
            let decimals = max(0, decimalsFor(step / pow(10, Double(k))))
            var m = String(format: "%.\(min(decimals, 6))f", mantissa)
            if m.contains(".") {
                while m.hasSuffix("0") { m.removeLast() }
                if m.hasSuffix(".") { m.removeLast() }
            }
            m = m.replacingOccurrences(of: "-", with: "\u{2212}")
            return m == "1" ? "10^{\(k)}" : "\(m)×10^{\(k)}"
        }
        let decimals = decimalsFor(step)
        let s = String(format: "%.\(decimals)f", v)
        return s.replacingOccurrences(of: "-", with: "\u{2212}")
    }

    /// Decimals needed to print multiples of `step` exactly: 0.25 → 2, 0.5 → 1, 2.5 → 1, 20 → 0.
    static func decimalsFor(_ step: Double) -> Int {
        guard step > 0, step.isFinite else { return 0 }
        for d in 0...12 {
            let scaled = step * pow(10, Double(d))
            if abs(scaled - scaled.rounded()) < 1e-6 * max(1, scaled) { return d }
        }
        return 12
    }
}
