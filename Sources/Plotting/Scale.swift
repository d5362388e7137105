import Foundation

/// How data values map onto an axis.
///
/// - `linear`: position ∝ v.
/// - `log10`: position ∝ log₁₀ v; only strictly positive values are allowed (non-positive data is a
///   `PlotError.nonPositiveOnLogAxis`, never silently dropped).
public enum Scale: String, Equatable, Hashable, Sendable, Codable {
    case linear
    case log10

    /// The transform into the axis' linear coordinate.
    @inline(__always)
    public func forward(_ v: Double) -> Double {
        switch self {
        case .linear: return v
        case .log10: return Foundation.log10(v)
        }
    }

    @inline(__always)
    public func inverse(_ u: Double) -> Double {
        switch self {
        case .linear: return u
        case .log10: return pow(10, u)
        }
    }
}

/// An affine map from data values on a `Scale` to figure points.
///
/// `position(v) = p0 + (forward(v) − forward(lo)) / (forward(hi) − forward(lo)) · (p1 − p0)`.
/// `p1 < p0` for vertical axes, because figure y grows downwards.
public struct AxisTransform: Equatable, Sendable {
    public let scale: Scale
    public let lo: Double, hi: Double
    public let p0: Double, p1: Double
    private let u0: Double, factor: Double

    public init(scale: Scale, lo: Double, hi: Double, p0: Double, p1: Double) {
        self.scale = scale
        self.lo = lo
        self.hi = hi
        self.p0 = p0
        self.p1 = p1
        u0 = scale.forward(lo)
        let du = scale.forward(hi) - u0
        factor = du == 0 ? 0 : (p1 - p0) / du
    }

    @inline(__always)
    public func position(_ v: Double) -> Double { p0 + (scale.forward(v) - u0) * factor }

    public func value(atPosition p: Double) -> Double {
        factor == 0 ? lo : scale.inverse(u0 + (p - p0) / factor)
    }

    public func contains(_ v: Double) -> Bool {
        let (a, b) = lo <= hi ? (lo, hi) : (hi, lo)
        let eps = 1e-9 * max(abs(a), abs(b), 1e-300)
        return v >= a - eps && v <= b + eps
    }
}
