import Foundation

/// A continuous colour map t ∈ [0, 1] → sRGB.
///
/// - `viridis`, `magma`, `cividis`: the perceptually uniform sequential maps, looked up in their
///   published 256-entry tables (see `ColorMapTables+Data.swift` for sources) with linear interpolation
///   between entries: entry k sits at t = k/255, so `color(at: k/255)` returns the table value exactly.
/// - `coolWarm`: K. Moreland's diverging map ("Diverging Color Maps for Scientific Visualization",
///   *Advances in Visual Computing*, ISVC 2009, LNCS 5876, pp. 92–103), computed by his algorithm:
///   interpolation in the polar Msh form of CIELAB between blue (59, 76, 192) and red (180, 4, 38)
///   through a neutral white-grey midpoint at t = 0.5. Use it with a range symmetric about zero
///   (`ColorRange.symmetric`) so that zero is the neutral colour, as for stresses.
/// - `greys`: linear white → black, for masks and monochrome figures.
public enum ColorMap: String, CaseIterable, Equatable, Hashable, Sendable, Codable {
    case viridis, magma, cividis, coolWarm, greys

    /// Looks a map up by name (case-insensitive; `diverging` is an alias of `coolWarm`).
    public init(named name: String) throws {
        let key = name.lowercased()
        if key == "diverging" || key == "coolwarm" {
            self = .coolWarm
            return
        }
        guard let map = ColorMap.allCases.first(where: { $0.rawValue.lowercased() == key }) else {
            throw PlotError.unknownColorMap(name: name, known: ColorMap.allCases.map(\.rawValue))
        }
        self = map
    }

    /// True for maps meant to be centred on a reference value (zero).
    public var isDiverging: Bool { self == .coolWarm }

    /// The colour at `t`, clamped into [0, 1]. NaN maps to the masked grey.
    public func color(at t: Double) -> Color {
        guard !t.isNaN else { return .maskGrey }
        let u = min(max(t, 0), 1)
        switch self {
        case .greys: return Color(red: 1 - u, green: 1 - u, blue: 1 - u)
        default:
            let table = ColorMapTables.table(for: self)
            let n = table.count / 3
            let x = u * Double(n - 1)
            let i = min(Int(x), n - 2)
            let f = x - Double(i)
            func lerp(_ c: Int) -> Double { table[3 * i + c] * (1 - f) + table[3 * (i + 1) + c] * f }
            return Color(red: lerp(0), green: lerp(1), blue: lerp(2))
        }
    }
}

/// Decoded colour-map tables (flat RGB triples in [0, 1]).
enum ColorMapTables {
    static let decodedViridis = decode(viridis)
    static let decodedMagma = decode(magma)
    static let decodedCividis = decode(cividis)
    static let decodedCoolWarm = MorelandDivergingMap.table(entries: 257)

    static func table(for map: ColorMap) -> [Double] {
        switch map {
        case .viridis: return decodedViridis
        case .magma: return decodedMagma
        case .cividis: return decodedCividis
        case .coolWarm: return decodedCoolWarm
        case .greys: return [1, 1, 1, 0, 0, 0]
        }
    }

    static func decode(_ s: String) -> [Double] {
        s.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { Double($0)! / 1e6 }
    }
}

/// Moreland's diverging map, computed in the Msh colour space (see `ColorMap.coolWarm`).
enum MorelandDivergingMap {
    // D65 reference white for CIELAB.
    static let white = (x: 0.95047, y: 1.0, z: 1.08883)

    static func table(entries: Int) -> [Double] {
        let blue = msh(fromSRGB: (59 / 255, 76 / 255, 192 / 255))
        let red = msh(fromSRGB: (180 / 255, 4 / 255, 38 / 255))
        var out: [Double] = []
        out.reserveCapacity(3 * entries)
        for k in 0..<entries {
            let t = Double(k) / Double(entries - 1)
            let c = srgb(fromMsh: interpolate(blue, red, t))
            out += [c.0, c.1, c.2]
        }
        return out
    }

    typealias Msh = (m: Double, s: Double, h: Double)

    static func interpolate(_ a0: Msh, _ b0: Msh, _ t0: Double) -> Msh {
        var a = a0
        var b = b0
        var t = t0
        if a.s > 0.05, b.s > 0.05, abs(a.h - b.h) > Double.pi / 3 {
            let mid = max(a.m, b.m, 88)
            if t < 0.5 {
                b = (mid, 0, 0)
                t *= 2
            } else {
                a = (mid, 0, 0)
                t = 2 * t - 1
            }
        }
        if a.s < 0.05, b.s > 0.05 {
            a.h = adjustHue(b, unsaturatedM: a.m)
        } else if b.s < 0.05, a.s > 0.05 {
            b.h = adjustHue(a, unsaturatedM: b.m)
        }
        return ((1 - t) * a.m + t * b.m, (1 - t) * a.s + t * b.s, (1 - t) * a.h + t * b.h)
    }

    static func adjustHue(_ c: Msh, unsaturatedM: Double) -> Double {
        if c.m >= unsaturatedM { return c.h }
        let spin = c.s * (unsaturatedM * unsaturatedM - c.m * c.m).squareRoot() / (c.m * sin(c.s))
        return c.h > -Double.pi / 3 ? c.h + spin : c.h - spin
    }

    static func msh(fromSRGB c: (Double, Double, Double)) -> Msh {
        func lin(_ v: Double) -> Double { v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4) }
        let r = lin(c.0)
        let g = lin(c.1)
        let b = lin(c.2)
        let x = 0.4124 * r + 0.3576 * g + 0.1805 * b
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b
        let z = 0.0193 * r + 0.1192 * g + 0.9505 * b
        func f(_ t: Double) -> Double { t > 0.008856 ? cbrt(t) : 7.787 * t + 16.0 / 116 }
        let l = 116 * f(y / white.y) - 16
        let aa = 500 * (f(x / white.x) - f(y / white.y))
        let bb = 200 * (f(y / white.y) - f(z / white.z))
        let m = (l * l + aa * aa + bb * bb).squareRoot()
        return (m, m > 0 ? acos(l / m) : 0, atan2(bb, aa))
    }

    static func srgb(fromMsh c: Msh) -> (Double, Double, Double) {
        let l = c.m * cos(c.s)
        let aa = c.m * sin(c.s) * cos(c.h)
        let bb = c.m * sin(c.s) * sin(c.h)
        func finv(_ t: Double) -> Double { t > 0.206893 ? t * t * t : (t - 16.0 / 116) / 7.787 }
        let fy = (l + 16) / 116
        let x = white.x * finv(fy + aa / 500)
        let y = white.y * finv(fy)
        let z = white.z * finv(fy - bb / 200)
        let r = 3.2406 * x - 1.5372 * y - 0.4986 * z
        let g = -0.9689 * x + 1.8758 * y + 0.0415 * z
        let b = 0.0557 * x - 0.2040 * y + 1.0570 * z
        func gam(_ v: Double) -> Double {
            let u = v > 0.0031308 ? 1.055 * pow(v, 1 / 2.4) - 0.055 : 12.92 * v
            return min(max(u, 0), 1)
        }
        return (gam(r), gam(g), gam(b))
    }
}
