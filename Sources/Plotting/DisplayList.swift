/// The few drawing primitives a backend must implement. Coordinates are points, origin top-left, y down.
///
/// A figure is laid out once into a `DisplayList`; every backend draws the same list, which is what
/// makes the PDF, SVG and PNG of a figure agree.
public struct DisplayList: Sendable {
    public var width: Double
    public var height: Double
    public var items: [Primitive]
    public init(width: Double, height: Double, items: [Primitive] = []) {
        self.width = width
        self.height = height
        self.items = items
    }
}

public enum PathElement: Sendable, Equatable {
    case move(Point)
    case line(Point)
    case curve(Point, Point, Point)
    case close
}

public struct StrokeStyle: Sendable, Equatable {
    public var color: Color
    public var width: Double
    public var dash: [Double]
    public var roundCaps: Bool
    public init(color: Color, width: Double, dash: [Double] = [], roundCaps: Bool = false) {
        self.color = color
        self.width = width
        self.dash = dash
        self.roundCaps = roundCaps
    }
}

/// A piece of text in one font size and vertical offset, positioned relative to its `TextItem` origin.
public struct GlyphRun: Sendable, Equatable {
    public var text: String
    public var dx: Double
    public var dy: Double
    public var size: Double
    public init(text: String, dx: Double, dy: Double, size: Double) {
        self.text = text
        self.dx = dx
        self.dy = dy
        self.size = size
    }
}

/// Laid-out rich text: runs relative to `origin` (the baseline start), rotated by `angle` radians
/// (counter-clockwise on the page) about the origin.
public struct TextItem: Sendable, Equatable {
    public var runs: [GlyphRun]
    public var origin: Point
    public var angle: Double
    public var color: Color
    public var bold: Bool
    public init(runs: [GlyphRun], origin: Point, angle: Double, color: Color, bold: Bool) {
        self.runs = runs
        self.origin = origin
        self.angle = angle
        self.color = color
        self.bold = bold
    }
}

/// An RGBA image (8 bits per channel, straight alpha, row-major from the top) drawn into `destination`
/// with nearest-neighbour sampling (one heatmap cell per pixel).
public struct RasterImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var rgba: [UInt8]
    public init(width: Int, height: Int, rgba: [UInt8]) {
        self.width = width
        self.height = height
        self.rgba = rgba
    }
}

public enum Primitive: Sendable, Equatable {
    case path([PathElement], fill: Color?, stroke: StrokeStyle?)
    case text(TextItem)
    case image(RasterImage, destination: Rect)
    /// A linear gradient filling `rect`, from `colors.first` at the bottom to `colors.last` at the top
    /// (vertical) or left to right.
    case gradient(Rect, colors: [Color], vertical: Bool)
    case pushClip(Rect)
    case popClip
}

/// Text metrics from the backend's font machinery, in points.
public struct TextMetrics: Sendable, Equatable {
    public var width: Double
    public var ascent: Double
    public var descent: Double
    public init(width: Double, ascent: Double, descent: Double) {
        self.width = width
        self.ascent = ascent
        self.descent = descent
    }
}

/// What the layout needs from a backend: the advance width of a string in the figure's font.
public protocol TextMeasurer {
    func measure(_ text: String, size: Double, bold: Bool) -> TextMetrics
}

/// Lays out rich text: sub- and superscripts at 70 % size, shifted 0.2 em down and 0.38 em up.
public struct RichTextLayout: Sendable, Equatable {
    public var runs: [GlyphRun]
    public var width: Double
    /// Height above the baseline and depth below it.
    public var ascent: Double
    public var descent: Double
    public var height: Double { ascent + descent }

    public static let scriptScale = 0.7
    public static let subscriptShift = 0.2
    public static let superscriptShift = 0.38

    public init(_ text: RichText, size: Double, bold: Bool = false, measurer: TextMeasurer) {
        var runs: [GlyphRun] = []
        var x = 0.0
        var ascent = 0.0
        var descent = 0.0
        for run in text.runs {
            let (s, dy): (Double, Double)
            switch run.position {
            case .normal: (s, dy) = (size, 0)
            case .subscripted: (s, dy) = (size * Self.scriptScale, size * Self.subscriptShift)
            case .superscripted: (s, dy) = (size * Self.scriptScale, -size * Self.superscriptShift)
            }
            let m = measurer.measure(run.text, size: s, bold: bold)
            runs.append(GlyphRun(text: run.text, dx: x, dy: dy, size: s))
            x += m.width
            ascent = max(ascent, m.ascent - dy)
            descent = max(descent, m.descent + dy)
        }
        if text.runs.isEmpty {
            let m = measurer.measure("0", size: size, bold: bold)
            ascent = m.ascent
            descent = m.descent
        }
        self.runs = runs
        self.width = x
        self.ascent = ascent
        self.descent = descent
    }
}
