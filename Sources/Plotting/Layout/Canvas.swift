import Foundation

/// Horizontal and vertical anchoring of a text block at a point (before rotation).
enum HAlign { case left, centre, right }
enum VAlign { case top, centre, baseline, bottom }

/// What a drawn piece of a figure is, for the figure checker and for placing legends and labels.
public enum MarkRole: Sendable, Equatable {
    case tickLabel, axisLabel, title, panelLetter, colorBarText, legendText, legendBox
    /// A study's annotation (text placed at data coordinates).
    case annotation
    /// The label of reference line `id` and the line itself.
    case referenceLabel(Int)
    case referenceLine(Int)
    /// The label of contour line `id` and the line itself.
    case contourLabel(Int)
    case contourLine(Int)
    /// A value label above or below a bar, and one written inside its bar.
    case barLabel
    case insideBarLabel
    /// A plotted line or area boundary, a marker, a bar.
    case dataPath
    case marker
    case bar

    var isText: Bool {
        switch self {
        case .tickLabel, .axisLabel, .title, .panelLetter, .colorBarText, .legendText, .annotation, .referenceLabel,
            .contourLabel, .barLabel,
            .insideBarLabel:
            return true
        default:
            return false
        }
    }

    /// Data a label or a legend must not cover.
    var isData: Bool {
        switch self {
        case .dataPath, .marker, .bar, .referenceLine, .contourLine: return true
        default: return false
        }
    }
}

/// One drawn piece of a laid-out figure: its role, its panel, its bounding box (rotated text: the box of the rotated
/// text), its polyline (paths), and the rectangle it is clipped to (nil: drawn unclipped).
public struct LayoutMark: Sendable, Equatable {
    public var role: MarkRole
    public var panel: Int
    public var rect: Rect
    public var points: [Point]
    public var clip: Rect?
    /// The text of a text mark (empty otherwise), for messages.
    public var text: String
}

/// Collects primitives; knows how to place rich text and draw the basic shapes.
struct Canvas {
    var items: [Primitive] = []
    /// What was drawn, by role, for the checker (`FigureCheck`) and for placing legends and labels.
    var marks: [LayoutMark] = []
    /// The panel being drawn and the clip in force (set by the panel painter).
    var panel = 0
    var clip: Rect?
    let measurer: TextMeasurer
    let style: Style

    mutating func mark(_ role: MarkRole, rect: Rect, points: [Point] = [], text: String = "") {
        marks.append(LayoutMark(role: role, panel: panel, rect: rect, points: points, clip: clip, text: text))
    }

    mutating func mark(_ role: MarkRole, path points: [Point]) {
        guard let first = points.first else { return }
        var minX = first.x
        var maxX = first.x
        var minY = first.y
        var maxY = first.y
        for point in points {
            minX = min(minX, point.x)
            maxX = max(maxX, point.x)
            minY = min(minY, point.y)
            maxY = max(maxY, point.y)
        }
        mark(role, rect: Rect(x: minX, y: minY, width: maxX - minX, height: maxY - minY), points: points)
    }

    init(measurer: TextMeasurer, style: Style) {
        self.measurer = measurer
        self.style = style
    }

    func layout(_ t: RichText, size: Double, bold: Bool = false) -> RichTextLayout {
        RichTextLayout(t, size: size, bold: bold, measurer: measurer)
    }

    /// Places `text` so that its anchor sits at `p`; `angle` in radians, counter-clockwise on the page.
    /// Returns the (unrotated) bounding box for angle 0.
    @discardableResult
    mutating func text(
        _ t: RichText, at p: Point, size: Double, h: HAlign = .centre, v: VAlign = .centre,
        angle: Double = 0, color: Color = .black, bold: Bool = false, role: MarkRole = .annotation
    ) -> Rect {
        let l = layout(t, size: size, bold: bold)
        let u0: Double = h == .left ? 0 : (h == .centre ? l.width / 2 : l.width)
        let v0: Double
        switch v {
        case .top: v0 = -l.ascent
        case .centre: v0 = -(l.ascent - l.descent) / 2
        case .baseline: v0 = 0
        case .bottom: v0 = l.descent
        }
        let du = (cos(angle), -sin(angle))
        let dv = (sin(angle), cos(angle))
        let origin = Point(p.x - u0 * du.0 - v0 * dv.0, p.y - u0 * du.1 - v0 * dv.1)
        items.append(.text(TextItem(runs: l.runs, origin: origin, angle: angle, color: color, bold: bold)))
        // The page box of the rotated text: its four corners turned about the origin.
        let corners = [(0.0, -l.ascent), (l.width, -l.ascent), (l.width, l.descent), (0.0, l.descent)].map { u, v in
            Point(origin.x + u * du.0 + v * dv.0, origin.y + u * du.1 + v * dv.1)
        }
        let xs = corners.map(\.x)
        let ys = corners.map(\.y)
        // A turned text keeps its corners, so that collisions are tested against the text, not its box.
        let isSquare = abs(sin(2 * angle)) < 1e-9
        mark(
            role, rect: Rect(x: xs.min()!, y: ys.min()!, width: xs.max()! - xs.min()!, height: ys.max()! - ys.min()!),
            points: isSquare ? [] : corners, text: t.runs.map(\.text).joined())
        return Rect(x: origin.x, y: origin.y - l.ascent, width: l.width, height: l.height)
    }

    mutating func polyline(_ pts: [Point], stroke: StrokeStyle, closed: Bool = false) {
        guard pts.count >= 2 else { return }
        var els: [PathElement] = [.move(pts[0])]
        for p in pts.dropFirst() { els.append(.line(p)) }
        if closed { els.append(.close) }
        items.append(.path(els, fill: nil, stroke: stroke))
    }

    mutating func polygon(_ pts: [Point], fill: Color?, stroke: StrokeStyle? = nil) {
        guard pts.count >= 3 else { return }
        var els: [PathElement] = [.move(pts[0])]
        for p in pts.dropFirst() { els.append(.line(p)) }
        els.append(.close)
        items.append(.path(els, fill: fill, stroke: stroke))
    }

    mutating func rect(_ r: Rect, fill: Color?, stroke: StrokeStyle? = nil) {
        polygon(
            [Point(r.minX, r.minY), Point(r.maxX, r.minY), Point(r.maxX, r.maxY), Point(r.minX, r.maxY)],
            fill: fill, stroke: stroke)
    }

    mutating func segment(_ a: Point, _ b: Point, _ s: StrokeStyle) { polyline([a, b], stroke: s) }

    /// A marker of width `size` centred at `p` (recorded as a data mark unless `data` is false, e.g. in a legend).
    mutating func marker(_ m: Marker, at p: Point, color: Color, size: Double, data: Bool = true) {
        let r = size / 2
        if data {
            // The shape's own extent (half-width, half-height), as drawn below.
            let (halfWidth, halfHeight): (Double, Double)
            switch m.shape {
            case .circle: (halfWidth, halfHeight) = (r, r)
            case .square: (halfWidth, halfHeight) = (r * 0.9, r * 0.9)
            case .triangle: (halfWidth, halfHeight) = (r * 1.0, r * 1.15)
            case .diamond: (halfWidth, halfHeight) = (r * 0.9, r * 1.2)
            }
            mark(
                .marker,
                rect: Rect(x: p.x - halfWidth, y: p.y - halfHeight, width: 2 * halfWidth, height: 2 * halfHeight))
        }
        let fill: Color = m.filled ? color : .white
        let stroke = StrokeStyle(
            color: m.filled ? Color(red: color.red * 0.6, green: color.green * 0.6, blue: color.blue * 0.6) : color,
            width: m.filled ? 0.4 : 0.8)
        switch m.shape {
        case .circle:
            let k = 0.5522847498 * r  // cubic Bézier circle constant 4(√2 − 1)/3
            items.append(
                .path(
                    [
                        .move(Point(p.x + r, p.y)),
                        .curve(Point(p.x + r, p.y + k), Point(p.x + k, p.y + r), Point(p.x, p.y + r)),
                        .curve(Point(p.x - k, p.y + r), Point(p.x - r, p.y + k), Point(p.x - r, p.y)),
                        .curve(Point(p.x - r, p.y - k), Point(p.x - k, p.y - r), Point(p.x, p.y - r)),
                        .curve(Point(p.x + k, p.y - r), Point(p.x + r, p.y - k), Point(p.x + r, p.y)),
                        .close,
                    ], fill: fill, stroke: stroke))
        case .square:
            let s = r * 0.9
            polygon(
                [Point(p.x - s, p.y - s), Point(p.x + s, p.y - s), Point(p.x + s, p.y + s), Point(p.x - s, p.y + s)],
                fill: fill, stroke: stroke)
        case .triangle:
            let s = r * 1.15
            polygon(
                [Point(p.x, p.y - s), Point(p.x + s * 0.866, p.y + s * 0.5), Point(p.x - s * 0.866, p.y + s * 0.5)],
                fill: fill, stroke: stroke)
        case .diamond:
            let s = r * 1.2
            polygon(
                [Point(p.x, p.y - s), Point(p.x + s * 0.75, p.y), Point(p.x, p.y + s), Point(p.x - s * 0.75, p.y)],
                fill: fill, stroke: stroke)
        }
    }

    /// An arrow from `a` to `b` with a filled head at `b`.
    mutating func arrow(from a: Point, to b: Point, color: Color, width: Double = 0.7) {
        let dx = b.x - a.x
        let dy = b.y - a.y
        let len = (dx * dx + dy * dy).squareRoot()
        guard len > 1 else { return }
        let ux = dx / len
        let uy = dy / len
        let head = min(5.0, len * 0.5)
        let half = head * 0.38
        let base = Point(b.x - ux * head, b.y - uy * head)
        segment(a, base, StrokeStyle(color: color, width: width))
        polygon(
            [b, Point(base.x - uy * half, base.y + ux * half), Point(base.x + uy * half, base.y - ux * half)],
            fill: color)
    }
}
