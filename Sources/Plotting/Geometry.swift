/// A point in figure space: points (1/72 inch), origin at the top-left corner, y growing downwards.
public struct Point: Equatable, Sendable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
}

/// An axis-aligned rectangle in figure space (points, y down).
public struct Rect: Equatable, Sendable {
    public var x: Double, y: Double, width: Double, height: Double
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
    public var minX: Double { x }
    public var maxX: Double { x + width }
    public var minY: Double { y }
    public var maxY: Double { y + height }

    /// True when the two rectangles overlap with positive area.
    public func intersects(_ other: Rect) -> Bool {
        minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
    }

    public func contains(_ p: Point) -> Bool {
        p.x >= minX && p.x <= maxX && p.y >= minY && p.y <= maxY
    }
}

/// A physical length. Stored in PostScript points (1 pt = 1/72 in = 0.3528 mm), the unit of PDF and SVG.
///
/// Journal column widths: `.singleColumn` = 8.5 cm, `.doubleColumn` = 17.8 cm (RSC, Elsevier and ACS
/// author guidelines all use widths within a millimetre of these).
public struct Length: Equatable, Sendable, Comparable {
    public var points: Double
    public init(points: Double) { self.points = points }
    public static func pt(_ v: Double) -> Length { Length(points: v) }
    public static func inches(_ v: Double) -> Length { Length(points: v * 72) }
    public static func cm(_ v: Double) -> Length { Length(points: v * 72 / 2.54) }
    public static func mm(_ v: Double) -> Length { Length(points: v * 72 / 25.4) }
    public var inches: Double { points / 72 }
    public var centimetres: Double { points * 2.54 / 72 }

    public static let singleColumn = Length.cm(8.5)
    public static let doubleColumn = Length.cm(17.8)

    public static func < (a: Length, b: Length) -> Bool { a.points < b.points }
}

/// An sRGB colour with straight (non-premultiplied) alpha, components in [0, 1].
public struct Color: Equatable, Hashable, Sendable {
    public var red: Double, green: Double, blue: Double, alpha: Double
    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }
    /// `Color(hex: 0x0072B2)`.
    public init(hex: UInt32, alpha: Double = 1) {
        self.init(
            red: Double((hex >> 16) & 0xFF) / 255, green: Double((hex >> 8) & 0xFF) / 255,
            blue: Double(hex & 0xFF) / 255, alpha: alpha)
    }
    public func withAlpha(_ a: Double) -> Color { Color(red: red, green: green, blue: blue, alpha: a) }

    public static let black = Color(hex: 0x000000)
    public static let white = Color(hex: 0xFFFFFF)
    /// The neutral grey used for masked cells (pores, cracks) in fields: distinct from every colour map.
    public static let maskGrey = Color(hex: 0xBDBDBD)
    public static let axisGrey = Color(hex: 0x333333)
    public static let gridGrey = Color(hex: 0xE3E3E3)

    /// Okabe–Ito palette (M. Okabe and K. Ito, "Color Universal Design", 2008): eight colours
    /// distinguishable under the common colour-vision deficiencies. The default series cycle.
    public static let okabeIto: [Color] = [
        Color(hex: 0x0072B2), Color(hex: 0xD55E00), Color(hex: 0x009E73), Color(hex: 0xCC79A7),
        Color(hex: 0xE69F00), Color(hex: 0x56B4E9), Color(hex: 0xF0E442), Color(hex: 0x000000),
    ]
    public static let blue = okabeIto[0]
    public static let vermillion = okabeIto[1]
    public static let green = okabeIto[2]
    public static let purple = okabeIto[3]
    public static let orange = okabeIto[4]
    public static let skyBlue = okabeIto[5]
}
