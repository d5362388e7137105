/// Line dash patterns, in multiples of the line width.
public enum Dash: String, Sendable, Codable, CaseIterable {
    case solid, dashed, dotted, dashDot

    /// On/off lengths in points for a line of width `w`.
    public func pattern(width w: Double) -> [Double] {
        let u = max(w, 0.5)
        switch self {
        case .solid: return []
        case .dashed: return [3.7 * u, 1.6 * u]
        case .dotted: return [1.0 * u, 1.65 * u]
        case .dashDot: return [3.2 * u, 1.3 * u, 1.0 * u, 1.3 * u]
        }
    }
}

public enum MarkerShape: String, Sendable, Codable, CaseIterable { case circle, square, triangle, diamond }

/// A marker drawn at each data point. `size` is the marker's width in points.
public struct Marker: Sendable, Equatable {
    public var shape: MarkerShape
    public var size: Double?
    public var filled: Bool
    public init(_ shape: MarkerShape, size: Double? = nil, filled: Bool = true) {
        self.shape = shape
        self.size = size
        self.filled = filled
    }
}

/// Which y axis a series is plotted against.
public enum YAxisSide: String, Sendable, Codable { case left, right }

/// A polyline through (x[i], y[i]), optionally with markers. `nil` colour takes the next palette colour.
public struct Line: LayerConvertible {
    public var x: [Double], y: [Double]
    public var label: String?
    public var color: Color?
    public var width: Double?
    public var dash: Dash
    public var marker: Marker?
    public var axis: YAxisSide
    public init(
        x: [Double], y: [Double], label: String? = nil, color: Color? = nil, width: Double? = nil,
        dash: Dash = .solid, marker: Marker? = nil, axis: YAxisSide = .left
    ) {
        self.x = x
        self.y = y
        self.label = label
        self.color = color
        self.width = width
        self.dash = dash
        self.marker = marker
        self.axis = axis
    }
    public var layer: Layer { .line(self) }
}

/// Markers at (x[i], y[i]) with optional symmetric error bars (`yError[i]`, `xError[i]` ≥ 0).
public struct Scatter: LayerConvertible {
    public var x: [Double], y: [Double]
    public var yError: [Double]?
    public var xError: [Double]?
    public var label: String?
    public var color: Color?
    public var marker: Marker
    public var axis: YAxisSide
    public init(
        x: [Double], y: [Double], yError: [Double]? = nil, xError: [Double]? = nil, label: String? = nil,
        color: Color? = nil, marker: Marker = Marker(.circle), axis: YAxisSide = .left
    ) {
        self.x = x
        self.y = y
        self.yError = yError
        self.xError = xError
        self.label = label
        self.color = color
        self.marker = marker
        self.axis = axis
    }
    public var layer: Layer { .scatter(self) }
}

/// The region between `lower` and `upper` over `x`, filled (a band, or the area under a curve).
public struct Area: LayerConvertible {
    public var x: [Double], lower: [Double], upper: [Double]
    public var label: String?
    public var color: Color?
    public var opacity: Double
    public init(
        x: [Double], lower: [Double], upper: [Double], label: String? = nil, color: Color? = nil,
        opacity: Double = 0.25
    ) {
        self.x = x
        self.lower = lower
        self.upper = upper
        self.label = label
        self.color = color
        self.opacity = opacity
    }
    public var layer: Layer { .area(self) }
}

/// A horizontal (`y = value`) or vertical (`x = value`) line across the axes, with an optional inline label.
public struct ReferenceLine: LayerConvertible {
    public enum Orientation: Sendable { case horizontal, vertical }
    public var orientation: Orientation
    public var value: Double
    public var label: RichText?
    public var color: Color
    public var dash: Dash
    public var width: Double
    public var axis: YAxisSide
    public init(
        _ orientation: Orientation, at value: Double, label: RichText? = nil, color: Color = .axisGrey,
        dash: Dash = .dashed, width: Double = 0.8, axis: YAxisSide = .left
    ) {
        self.orientation = orientation
        self.value = value
        self.label = label
        self.color = color
        self.dash = dash
        self.width = width
        self.axis = axis
    }
    public static func horizontal(_ y: Double, label: RichText? = nil) -> ReferenceLine {
        .init(.horizontal, at: y, label: label)
    }
    public static func vertical(_ x: Double, label: RichText? = nil) -> ReferenceLine {
        .init(.vertical, at: x, label: label)
    }
    public var layer: Layer { .reference(self) }
}

/// Text placed at a data point, optionally with an arrow from the text to `arrowTo` (data coordinates).
public struct Annotation: LayerConvertible {
    public var text: RichText
    public var x: Double, y: Double
    public var arrowTo: (x: Double, y: Double)?
    public var color: Color
    public var fontSize: Double?
    /// true: a label for the point (x, y), placed beside it where it covers the least data and text (centred on
    /// one of eight directions around the point, inside the axes); false: centred on (x, y).
    public var besidePoint: Bool
    public init(
        _ text: RichText, x: Double, y: Double, arrowTo: (x: Double, y: Double)? = nil,
        color: Color = .black, fontSize: Double? = nil
    ) {
        self.text = text
        self.x = x
        self.y = y
        self.arrowTo = arrowTo
        self.color = color
        self.fontSize = fontSize
        self.besidePoint = false
    }

    /// A label for the data point (x, y), placed automatically beside it (see `besidePoint`).
    public init(_ text: RichText, labelling x: Double, _ y: Double, color: Color = .black, fontSize: Double? = nil) {
        self.init(text, x: x, y: y, color: color, fontSize: fontSize)
        besidePoint = true
    }
    public var layer: Layer { .annotation(self) }
}

/// A scalar field on a rectilinear grid of cells (spacing may be non-uniform).
///
/// `values[j * nx + i]` belongs to the cell with centre (x[i], y[j]); cell edges are the midpoints
/// between centres, extended by half a cell at both ends (or given explicitly). `mask[k] == true`
/// marks a cell as absent (a pore or crack): it is drawn in the neutral mask grey and contours avoid it.
/// Unmasked values must be finite.
public struct Field2D: Sendable {
    public var x: [Double]
    public var y: [Double]
    public var values: [Double]
    public var mask: [Bool]?
    /// Explicit cell edges (nx + 1 and ny + 1 values); nil derives them from the centres.
    public var explicitXEdges: [Double]?
    public var explicitYEdges: [Double]?

    public init(
        x: [Double], y: [Double], values: [Double], mask: [Bool]? = nil,
        xEdges: [Double]? = nil, yEdges: [Double]? = nil
    ) {
        self.x = x
        self.y = y
        self.values = values
        self.mask = mask
        self.explicitXEdges = xEdges
        self.explicitYEdges = yEdges
    }

    /// Samples `f(x, y)` at the given cell centres; `f` returning nil masks the cell.
    public init(x: [Double], y: [Double], _ f: (Double, Double) -> Double?) {
        var values = [Double](repeating: 0, count: x.count * y.count)
        var mask = [Bool](repeating: false, count: x.count * y.count)
        var anyMasked = false
        for j in y.indices {
            for i in x.indices {
                if let v = f(x[i], y[j]) {
                    values[j * x.count + i] = v
                } else {
                    mask[j * x.count + i] = true
                    anyMasked = true
                    values[j * x.count + i] = .nan
                }
            }
        }
        self.init(x: x, y: y, values: values, mask: anyMasked ? mask : nil)
    }

    public var nx: Int { x.count }
    public var ny: Int { y.count }

    @inline(__always) public func isMasked(_ i: Int, _ j: Int) -> Bool { mask?[j * nx + i] ?? false }
    @inline(__always) public func value(_ i: Int, _ j: Int) -> Double { values[j * nx + i] }

    /// Finite, unmasked value range; nil when every cell is masked.
    public var valueRange: (lo: Double, hi: Double)? {
        var lo = Double.infinity
        var hi = -Double.infinity
        for k in values.indices where !(mask?[k] ?? false) {
            lo = min(lo, values[k])
            hi = max(hi, values[k])
        }
        return lo <= hi ? (lo, hi) : nil
    }

    /// Cell edges along x: explicit, or midpoints between centres in the axis' scale (geometric means on
    /// a log axis), extended by half a cell at both ends.
    public func xEdges(_ scale: Scale = .linear) -> [Double] { explicitXEdges ?? Field2D.edges(fromCentres: x, scale) }
    public func yEdges(_ scale: Scale = .linear) -> [Double] { explicitYEdges ?? Field2D.edges(fromCentres: y, scale) }

    static func edges(fromCentres c0: [Double], _ scale: Scale) -> [Double] {
        let c = c0.map(scale.forward)
        guard c.count > 1 else {
            return c.isEmpty ? [] : (scale == .log10 ? [c0[0] / 1.5, c0[0] * 1.5] : [c0[0] - 0.5, c0[0] + 0.5])
        }
        var e = [Double](repeating: 0, count: c.count + 1)
        for k in 1..<c.count { e[k] = 0.5 * (c[k - 1] + c[k]) }
        e[0] = c[0] - (e[1] - c[0])
        e[c.count] = c[c.count - 1] + (c[c.count - 1] - e[c.count - 1])
        return e.map(scale.inverse)
    }
}

/// The value range a colour map spans.
///
/// - `auto`: the field's finite, unmasked min…max;
/// - `symmetric`: −m…m with m = max |value| (zero sits at the map's centre, as a diverging map needs);
/// - `fixed(lo, hi)`: given limits; values outside are clamped to the end colours.
public enum ColorRange: Sendable, Equatable {
    case auto
    case symmetric
    case fixed(Double, Double)

    func resolve(_ range: (lo: Double, hi: Double)?) -> (lo: Double, hi: Double) {
        switch self {
        case .fixed(let a, let b): return (a, b)
        case .auto:
            guard let r = range else { return (0, 1) }
            return r.lo == r.hi ? (r.lo - 0.5, r.hi + 0.5) : r
        case .symmetric:
            guard let r = range else { return (-1, 1) }
            let m = max(abs(r.lo), abs(r.hi))
            return m == 0 ? (-1, 1) : (-m, m)
        }
    }
}

/// A colour-coded field (one rectangle per cell).
public struct Heatmap: LayerConvertible {
    public var field: Field2D
    public var colorMap: ColorMap
    public var range: ColorRange
    public init(_ field: Field2D, colorMap: ColorMap = .viridis, range: ColorRange? = nil) {
        self.field = field
        self.colorMap = colorMap
        self.range = range ?? (colorMap.isDiverging ? .symmetric : .auto)
    }
    public var layer: Layer { .heatmap(self) }
}

/// Contour lines of a field at given levels (marching squares on cell centres, linear interpolation),
/// with optional inline labels printed with `labelFormat` (a `%` format such as `"%.0f"`) and `labelSuffix`.
public struct Contours: LayerConvertible {
    public var field: Field2D
    public var levels: [Double]
    public var color: Color
    public var width: Double
    public var dash: Dash
    public var labelled: Bool
    public var labelFormat: String
    public var labelSuffix: String
    public init(
        _ field: Field2D, levels: [Double], color: Color = .black, width: Double = 0.8, dash: Dash = .solid,
        labelled: Bool = true, labelFormat: String = "%g", labelSuffix: String = ""
    ) {
        self.field = field
        self.levels = levels
        self.color = color
        self.width = width
        self.dash = dash
        self.labelled = labelled
        self.labelFormat = labelFormat
        self.labelSuffix = labelSuffix
    }
    public var layer: Layer { .contours(self) }
}

/// Filled contours: each band between consecutive levels filled with the colour of its mid value.
public struct FilledContours: LayerConvertible {
    public var field: Field2D
    public var levels: [Double]
    public var colorMap: ColorMap
    public var range: ColorRange
    public init(_ field: Field2D, levels: [Double], colorMap: ColorMap = .viridis, range: ColorRange? = nil) {
        self.field = field
        self.levels = levels
        self.colorMap = colorMap
        self.range = range ?? (colorMap.isDiverging ? .symmetric : .fixed(levels.first ?? 0, levels.last ?? 1))
    }
    public var layer: Layer { .filledContours(self) }
}

/// One bar series: a value per category, against the left or right y axis, with an optional interval per bar
/// (e.g. a confidence interval) drawn as a whisker from `lower[i]` to `upper[i]` (grouped bars only; lower ≤ upper).
public struct BarSeries: Sendable {
    public var label: String
    public var values: [Double]
    public var color: Color?
    public var axis: YAxisSide
    public var lower: [Double]?
    public var upper: [Double]?
    public init(
        _ label: String, values: [Double], color: Color? = nil, axis: YAxisSide = .left, lower: [Double]? = nil,
        upper: [Double]? = nil
    ) {
        self.label = label
        self.values = values
        self.color = color
        self.axis = axis
        self.lower = lower
        self.upper = upper
    }
}

/// A target marker per category (e.g. a theoretical maximum): a short bold bar across the group.
public struct BarTarget: Sendable {
    public var label: String
    public var values: [Double]
    public var axis: YAxisSide
    public init(_ label: String, values: [Double], axis: YAxisSide = .left) {
        self.label = label
        self.values = values
        self.axis = axis
    }
}

/// Grouped or stacked bars over categorical x positions 0 … n−1.
///
/// `valueFormat` (a `%` format) prints each bar's value above it (stacked: each segment's value inside it
/// and the total above). Series on the right axis need the panel's `y2`.
public struct BarChart: LayerConvertible {
    public enum Mode: String, Sendable, Codable { case grouped, stacked }
    public var categories: [String]
    public var series: [BarSeries]
    public var mode: Mode
    public var valueFormat: String?
    public var targets: [BarTarget]
    public var groupWidth: Double
    public init(
        categories: [String], series: [BarSeries], mode: Mode = .grouped, valueFormat: String? = "%.0f",
        targets: [BarTarget] = [], groupWidth: Double = 0.8
    ) {
        self.categories = categories
        self.series = series
        self.mode = mode
        self.valueFormat = valueFormat
        self.targets = targets
        self.groupWidth = groupWidth
    }
    public var layer: Layer { .bars(self) }
}
