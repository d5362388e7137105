/// A figure: a grid of panels at a physical size. A plain value; render it with a backend
/// (e.g. `CairoBackend.CairoRenderer`) to PDF, SVG or PNG.
///
/// ```swift
/// let fig = Figure(width: .singleColumn, height: .cm(6)) {
///     Panel(x: Axis("Time [h]"), y: Axis("Voltage [V]")) {
///         Line(x: t, y: v, label: "1C")
///     }
/// }
/// ```
///
/// Layout contract: panels fill the grid row-major; axes boxes in one grid column share their left
/// edge and in one grid row share their bottom edge, so multi-panel figures align. With `sharedX`, all
/// panels of a column use the union of their x ranges and only the bottom row prints x tick labels and
/// the x label (likewise `sharedY` for rows and the left column). Panel letters (a), (b), … are drawn
/// when the figure has more than one panel and `panelLetters` is true.
public struct Figure: Sendable {
    public var width: Length
    public var height: Length
    public var rows: Int
    public var columns: Int
    public var panels: [Panel]
    public var panelLetters: Bool
    public var sharedX: Bool
    public var sharedY: Bool
    public var style: Style

    public init(
        width: Length = .singleColumn, height: Length? = nil, rows: Int = 1, columns: Int = 1,
        panelLetters: Bool = true, sharedX: Bool = false, sharedY: Bool = false,
        style: Style = .journal, panels: [Panel]
    ) {
        self.width = width
        self.height = height ?? Length(points: width.points * 0.75 * Double(rows) / Double(max(columns, 1)))
        self.rows = rows
        self.columns = columns
        self.panels = panels
        self.panelLetters = panelLetters
        self.sharedX = sharedX
        self.sharedY = sharedY
        self.style = style
    }

    /// The grid the layout uses: the declared one, unless a grid with no more rows and no more columns holds the panels
    /// with fewer empty cells — four panels declared as 2 × 3 are laid out 2 × 2, three as 1 × 3 — so that a grid sizes
    /// itself to its panels. Among equally full grids the one with more columns (closer to the declaration) wins. The
    /// layout keeps the declared width and each row's declared height (a figure with fewer rows is shorter).
    public var fittedGrid: (rows: Int, columns: Int) {
        let count = panels.count
        guard count > 0, rows * columns > count else { return (rows, columns) }
        var best = (rows: rows, columns: columns, empty: rows * columns - count)
        for candidateColumns in stride(from: columns, through: 1, by: -1) {
            let neededRows = (count + candidateColumns - 1) / candidateColumns
            guard neededRows <= rows else { break }
            let empty = neededRows * candidateColumns - count
            if empty < best.empty { best = (neededRows, candidateColumns, empty) }
        }
        return (best.rows, best.columns)
    }

    public init(
        width: Length = .singleColumn, height: Length? = nil, rows: Int = 1, columns: Int = 1,
        panelLetters: Bool = true, sharedX: Bool = false, sharedY: Bool = false,
        style: Style = .journal, @PanelBuilder _ panels: () -> [Panel]
    ) {
        self.init(
            width: width, height: height, rows: rows, columns: columns, panelLetters: panelLetters,
            sharedX: sharedX, sharedY: sharedY, style: style, panels: panels())
    }
}

/// One axis of a panel.
///
/// `limits == nil` chooses limits from the data: widened to the nearest nice ticks when `niceLimits`
/// is true (line and marker data), exactly the field's extent for heatmaps and contours, and
/// `[−0.5, n − 0.5]` for n bar categories. `ticks` overrides the automatic tick values.
public struct Axis: Sendable {
    public var label: RichText
    public var scale: Scale
    public var limits: ClosedRange<Double>?
    public var ticks: [Double]?
    /// Labels for explicit `ticks` (same count); nil prints the tick values.
    public var tickLabels: [RichText]?
    public var niceLimits: Bool
    public var gridLines: Bool
    public var reversed: Bool

    public init(
        _ label: RichText = "", scale: Scale = .linear, limits: ClosedRange<Double>? = nil,
        ticks: [Double]? = nil, tickLabels: [RichText]? = nil, niceLimits: Bool = true, gridLines: Bool = false,
        reversed: Bool = false
    ) {
        self.label = label
        self.scale = scale
        self.limits = limits
        self.ticks = ticks
        self.tickLabels = tickLabels
        self.niceLimits = niceLimits
        self.gridLines = gridLines
        self.reversed = reversed
    }
}

/// Where a legend goes. `auto` picks the corner or edge inside the axes that covers the fewest data
/// points; `outsideRight` and `below` put it outside the axes box.
public enum LegendPlacement: String, Sendable, Codable, CaseIterable {
    case auto, none, topLeft, topRight, bottomLeft, bottomRight, outsideRight, below
}

/// A colour bar beside a panel, for its first heatmap or filled-contour layer. `tickLabels`, when given,
/// name the `ticks` one for one (categorical fields: a regime map's "kinetic", "transport", …).
public struct ColorBar: Sendable {
    public var label: RichText
    public var ticks: [Double]?
    public var tickLabels: [RichText]?
    /// A categorical field's key: one named swatch per category instead of a continuous bar.
    public var isCategorical: Bool
    public init(_ label: RichText, ticks: [Double]? = nil, tickLabels: [RichText]? = nil) {
        self.label = label
        self.ticks = ticks
        self.tickLabels = tickLabels
        isCategorical = false
    }

    /// The key of a categorical field whose cells hold 0, 1, …, n − 1: a named swatch per category, in the colour the
    /// field's colour map gives that value.
    public init(_ label: RichText, categories: [RichText]) {
        self.init(label, ticks: categories.indices.map(Double.init), tickLabels: categories)
        isCategorical = true
    }
}

/// One panel: axes (a second y axis optional), layers drawn in order, a legend and a colour bar.
///
/// `aspectRatio`, when set, is the data-units ratio (y per x) that is kept square on paper: maps of a
/// cross-section use 1 so that a micrometre is the same length in x and y. Left nil, a map whose two axes carry the
/// same length unit ("x [µm]", "y [µm]") gets 1 all the same (equal aspect for spatial fields by default).
public struct Panel: Sendable {
    public var title: RichText?
    public var x: Axis
    public var y: Axis
    public var y2: Axis?
    public var layers: [Layer]
    public var legend: LegendPlacement
    public var colorBar: ColorBar?
    public var aspectRatio: Double?

    public init(
        title: RichText? = nil, x: Axis, y: Axis, y2: Axis? = nil, legend: LegendPlacement = .auto,
        colorBar: ColorBar? = nil, aspectRatio: Double? = nil, layers: [Layer]
    ) {
        self.title = title
        self.x = x
        self.y = y
        self.y2 = y2
        self.layers = layers
        self.legend = legend
        self.colorBar = colorBar
        self.aspectRatio = aspectRatio
    }

    public init(
        title: RichText? = nil, x: Axis, y: Axis, y2: Axis? = nil, legend: LegendPlacement = .auto,
        colorBar: ColorBar? = nil, aspectRatio: Double? = nil, @LayerBuilder _ layers: () -> [Layer]
    ) {
        self.init(
            title: title, x: x, y: y, y2: y2, legend: legend, colorBar: colorBar,
            aspectRatio: aspectRatio, layers: layers())
    }
}

/// Everything a panel can draw. Each case is a recipe the layout turns into primitives.
public enum Layer: Sendable {
    case line(Line)
    case scatter(Scatter)
    case area(Area)
    case heatmap(Heatmap)
    case contours(Contours)
    case filledContours(FilledContours)
    case bars(BarChart)
    case reference(ReferenceLine)
    case annotation(Annotation)
}

/// A value that can be placed in a panel's layer list.
public protocol LayerConvertible: Sendable {
    var layer: Layer { get }
}

extension Layer: LayerConvertible { public var layer: Layer { self } }

/// Result builder for a panel's layers (supports `if`, `if … else` and `for`).
@resultBuilder
public enum LayerBuilder {
    public static func buildExpression(_ e: any LayerConvertible) -> [Layer] { [e.layer] }
    public static func buildExpression(_ e: [any LayerConvertible]) -> [Layer] { e.map(\.layer) }
    public static func buildBlock(_ parts: [Layer]...) -> [Layer] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [Layer]?) -> [Layer] { part ?? [] }
    public static func buildEither(first: [Layer]) -> [Layer] { first }
    public static func buildEither(second: [Layer]) -> [Layer] { second }
    public static func buildArray(_ parts: [[Layer]]) -> [Layer] { parts.flatMap { $0 } }
}

/// Result builder for a figure's panels (supports `if`, `if … else` and `for`).
@resultBuilder
public enum PanelBuilder {
    public static func buildExpression(_ e: Panel) -> [Panel] { [e] }
    public static func buildExpression(_ e: [Panel]) -> [Panel] { e }
    public static func buildBlock(_ parts: [Panel]...) -> [Panel] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [Panel]?) -> [Panel] { part ?? [] }
    public static func buildEither(first: [Panel]) -> [Panel] { first }
    public static func buildEither(second: [Panel]) -> [Panel] { second }
    public static func buildArray(_ parts: [[Panel]]) -> [Panel] { parts.flatMap { $0 } }
}

/// The figure's typography and line weights. `journal` follows common author guidelines: text of
/// 7–9 pt in the final size, lines of 0.5–1.5 pt, one sans-serif family.
public struct Style: Sendable, Equatable {
    public var fontFamily: String
    public var tickLabelSize: Double
    public var axisLabelSize: Double
    public var titleSize: Double
    public var legendSize: Double
    public var panelLetterSize: Double
    public var annotationSize: Double
    public var lineWidth: Double
    public var axisLineWidth: Double
    public var tickLength: Double
    public var minorTickLength: Double
    public var markerSize: Double
    public var padding: Double
    public var palette: [Color]

    public static let journal = Style(
        fontFamily: "DejaVu Sans", tickLabelSize: 7, axisLabelSize: 8, titleSize: 8, legendSize: 7,
        panelLetterSize: 9, annotationSize: 7, lineWidth: 1.2, axisLineWidth: 0.6, tickLength: 3,
        minorTickLength: 1.7, markerSize: 4, padding: 4, palette: Color.okabeIto)
}
