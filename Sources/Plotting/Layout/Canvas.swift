import Foundation

/// Horizontal and vertical anchoring of a text block at a point (before rotation).
enum HAlign { case left, centre, right }
enum VAlign { case top, centre, baseline, bottom }

/// Collects primitives; knows how to place rich text and draw the basic shapes.
struct Canvas {
    var items: [Primitive] = []
    let measurer: TextMeasurer
    let style: Style

    init(measurer: TextMeasurer, style: Style) { self.measurer = measurer; self.style = style }

    func layout(_ t: RichText, size: Double, bold: Bool = false) -> RichTextLayout {
        RichTextLayout(t, size: size, bold: bold, measurer: measurer)
    }

    /// Places `text` so that its anchor sits at `p`; `angle` in radians, counter-clockwise on the page.
    /// Returns the (unrotated) bounding box for angle 0.
    @discardableResult
    mutating func text(_ t: RichText, at p: Point, size: Double, h: HAlign = .centre, v: VAlign = .centre,
                       angle: Double = 0, color: Color = .black, bold: Bool = false) -> Rect {
        let l = layout(t, size: size, bold: bold)
        let u0: Double = h == .left ? 0 : (h == .centre ? l.width / 2 : l.width)
        let v0: Double
        switch v {
        case .top: v0 = -l.ascent
        case .centre: v0 = -(l.ascent - l.descent) / 2
        case .baseline: v0 = 0
        case .bottom: v0 = l.descent
        }
        let du = (cos(angle), -sin(angle)), dv = (sin(angle), cos(angle))
        let origin = Point(p.x - u0 * du.0 - v0 * dv.0, p.y - u0 * du.1 - v0 * dv.1)
        items.append(.text(TextItem(runs: l.runs, origin: origin, angle: angle, color: color, bold: bold)))
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
        polygon([Point(r.minX, r.minY), Point(r.maxX, r.minY), Point(r.maxX, r.maxY), Point(r.minX, r.maxY)],
                fill: fill, stroke: stroke)
    }

    mutating func segment(_ a: Point, _ b: Point, _ s: StrokeStyle) { polyline([a, b], stroke: s) }

    /// A marker of width `size` centred at `p`.
    mutating func marker(_ m: Marker, at p: Point, color: Color, size: Double) {
        let r = size / 2
        let fill: Color = m.filled ? color : .white
        let stroke = StrokeStyle(color: m.filled ? Color(red: color.red * 0.6, green: color.green * 0.6, blue: color.blue * 0.6) : color,
                                 width: m.filled ? 0.4 : 0.8)
        switch m.shape {
        case .circle:
            let k = 0.5522847498 * r  // cubic Bézier circle constant 4(√2 − 1)/3
            items.append(.path([
                .move(Point(p.x + r, p.y)),
                .curve(Point(p.x + r, p.y + k), Point(p.x + k, p.y + r), Point(p.x, p.y + r)),
                .curve(Point(p.x - k, p.y + r), Point(p.x - r, p.y + k), Point(p.x - r, p.y)),
                .curve(Point(p.x - r, p.y - k), Point(p.x - k, p.y - r), Point(p.x, p.y - r)),
                .curve(Point(p.x + k, p.y - r), Point(p.x + r, p.y - k), Point(p.x + r, p.y)),
                .close,
            ], fill: fill, stroke: stroke))
        case .square:
            let s = r * 0.9
            polygon([Point(p.x - s, p.y - s), Point(p.x + s, p.y - s), Point(p.x + s, p.y + s), Point(p.x - s, p.y + s)], fill: fill, stroke: stroke)
        case .triangle:
            let s = r * 1.15
            polygon([Point(p.x, p.y - s), Point(p.x + s * 0.866, p.y + s * 0.5), Point(p.x - s * 0.866, p.y + s * 0.5)], fill: fill, stroke: stroke)
        case .diamond:
            let s = r * 1.2
            polygon([Point(p.x, p.y - s), Point(p.x + s * 0.75, p.y), Point(p.x, p.y + s), Point(p.x - s * 0.75, p.y)], fill: fill, stroke: stroke)
        }
    }

    /// An arrow from `a` to `b` with a filled head at `b`.
    mutating func arrow(from a: Point, to b: Point, color: Color, width: Double = 0.7) {
        let dx = b.x - a.x, dy = b.y - a.y
        let len = (dx * dx + dy * dy).squareRoot()
        guard len > 1 else { return }
        let ux = dx / len, uy = dy / len
        let head = min(5.0, len * 0.5), half = head * 0.38
        let base = Point(b.x - ux * head, b.y - uy * head)
        segment(a, base, StrokeStyle(color: color, width: width))
        polygon([b, Point(base.x - uy * half, base.y + ux * half), Point(base.x + uy * half, base.y - ux * half)], fill: color)
    }
}
