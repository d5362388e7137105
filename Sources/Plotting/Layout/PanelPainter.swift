import Foundation

/// Draws one panel into a canvas: the recipes that turn layers into primitives.
struct PanelPainter {
    var canvas: Canvas
    let panel: Panel
    let geo: PanelGeometry
    let x: ResolvedAxis
    let y: ResolvedAxis
    let y2: ResolvedAxis?
    let style: Style
    /// Palette index for series without an explicit colour.
    private var nextColor = 0
    /// Markers whose centre lies in the axes box, drawn after the clip is lifted so none is cut at the edge.
    private var pendingMarkers: [(marker: Marker, at: Point, color: Color, size: Double)] = []
    /// Reference-line labels, placed after every layer is drawn where they cover the least data.
    private var pendingReferenceLabels: [(label: RichText, line: ReferenceLine, id: Int)] = []
    /// Ids of contour and reference lines (pairing a label with its own line), contour ids by level.
    private var nextLineId = 0
    private var contourIds: [Double: Int] = [:]
    /// Value labels of grouped bars, placed when the chart's bars and targets are all drawn.
    private var pendingBarLabels: [(text: RichText, bar: Rect, edge: Double, above: Bool, insideColor: Color)] = []

    /// How this panel shows its colour bar: its own, none (a neighbour shows the shared one), or one reaching down to
    /// `colorBarBottom` (shared by the panels below it in its column).
    var showsColorBar = true
    var colorBarBottom: Double?
    /// The right edge the colour bar keeps its distance from (default: this panel's axes box).
    var colorBarAfter: Double?

    init(
        canvas: Canvas, panel: Panel, geo: PanelGeometry, x: ResolvedAxis, y: ResolvedAxis, y2: ResolvedAxis?,
        style: Style
    ) {
        self.canvas = canvas
        self.panel = panel
        self.geo = geo
        self.x = x
        self.y = y
        self.y2 = y2
        self.style = style
    }

    private var box: Rect { geo.axesBox }

    private mutating func autoColor(_ c: Color?) -> Color {
        if let c { return c }
        defer { nextColor += 1 }
        return style.palette[nextColor % style.palette.count]
    }

    private func yt(_ side: YAxisSide) -> AxisTransform { side == .right ? (geo.y2 ?? geo.y) : geo.y }
    private func map(_ xv: Double, _ yv: Double, _ side: YAxisSide = .left) -> Point {
        Point(geo.x.position(xv), yt(side).position(yv))
    }

    mutating func draw(letter: String?, outsideLegend: (Double, Double)?) {
        drawGridLines()
        canvas.items.append(.pushClip(box))
        canvas.clip = box
        var legend: [LegendEntry] = []
        // Labelled contours go after the other layers, so that their labels know every marker and line they must avoid
        // (markers are drawn last in any case).
        // Labels placed beside points go after those, seeing all of it.
        for layer in panel.layers where layer.drawingPass == 0 { drawLayer(layer, legend: &legend) }
        for layer in panel.layers where layer.drawingPass == 1 { drawLayer(layer, legend: &legend) }
        for layer in panel.layers where layer.drawingPass == 2 { drawLayer(layer, legend: &legend) }
        placeReferenceLabels()
        canvas.items.append(.popClip)
        canvas.clip = nil
        for pending in pendingMarkers where box.contains(pending.at) {
            canvas.marker(pending.marker, at: pending.at, color: pending.color, size: pending.size)
        }
        drawFrameAndTicks()
        drawLabels(letter: letter)
        if showsColorBar, let cb = panel.colorBar, let norm = panel.colorNorm() { drawColorBar(cb, norm: norm) }
        drawLegend(legend, outside: outsideLegend)
    }

    // MARK: - Layers

    private mutating func drawLayer(_ layer: Layer, legend: inout [LegendEntry]) {
        switch layer {
        case .line(let l):
            let color = autoColor(l.color)
            let w = l.width ?? style.lineWidth
            let pts = zip(l.x, l.y).map { map($0, $1, l.axis) }
            canvas.polyline(
                pts,
                stroke: StrokeStyle(
                    color: color, width: w, dash: l.dash.pattern(width: w), roundCaps: l.dash == .dotted))
            canvas.mark(.dataPath, path: pts)
            if let m = l.marker { for p in pts { pendingMarkers.append((m, p, color, m.size ?? style.markerSize)) } }
            if let label = l.label { legend.append(LegendEntry(label: label, kind: .line(color, w, l.dash, l.marker))) }
        case .scatter(let s):
            let color = autoColor(s.color)
            let size = s.marker.size ?? style.markerSize
            let errStroke = StrokeStyle(color: color, width: 0.7)
            for i in s.x.indices {
                if let e = s.yError?[i], e > 0 {
                    let a = map(s.x[i], s.y[i] - e, s.axis)
                    let b = map(s.x[i], s.y[i] + e, s.axis)
                    canvas.segment(a, b, errStroke)
                    canvas.segment(Point(a.x - size * 0.45, a.y), Point(a.x + size * 0.45, a.y), errStroke)
                    canvas.segment(Point(b.x - size * 0.45, b.y), Point(b.x + size * 0.45, b.y), errStroke)
                }
                if let e = s.xError?[i], e > 0 {
                    let a = map(s.x[i] - e, s.y[i], s.axis)
                    let b = map(s.x[i] + e, s.y[i], s.axis)
                    canvas.segment(a, b, errStroke)
                    canvas.segment(Point(a.x, a.y - size * 0.45), Point(a.x, a.y + size * 0.45), errStroke)
                    canvas.segment(Point(b.x, b.y - size * 0.45), Point(b.x, b.y + size * 0.45), errStroke)
                }
            }
            let pts = zip(s.x, s.y).map { map($0, $1, s.axis) }
            for p in pts { pendingMarkers.append((s.marker, p, color, size)) }
            if let label = s.label { legend.append(LegendEntry(label: label, kind: .marker(color, s.marker))) }
        case .area(let a):
            let color = autoColor(a.color)
            let upper = zip(a.x, a.upper).map { map($0, $1) }
            let lower = zip(a.x, a.lower).map { map($0, $1) }.reversed()
            canvas.polygon(upper + lower, fill: color.withAlpha(a.opacity))
            canvas.mark(.dataPath, path: upper)
            canvas.mark(.dataPath, path: Array(lower))
            if let label = a.label {
                legend.append(LegendEntry(label: label, kind: .patch(color.withAlpha(a.opacity))))
            }
        case .heatmap(let h):
            drawHeatmap(h)
        case .contours(let c):
            drawContours(c)
        case .filledContours(let f):
            drawFilledContours(f)
        case .bars(let b):
            drawBars(b, legend: &legend)
        case .reference(let r):
            drawReference(r)
        case .annotation(let a):
            drawAnnotation(a)
        }
    }

    private mutating func drawHeatmap(_ h: Heatmap) {
        let f = h.field
        let r = h.range.resolve(f.valueRange)
        let xe = f.xEdges(x.scale).map(geo.x.position)
        let ye = f.yEdges(y.scale).map(geo.y.position)
        func color(_ i: Int, _ j: Int) -> Color {
            if f.isMasked(i, j) { return .maskGrey }
            return h.colorMap.color(at: (f.value(i, j) - r.lo) / (r.hi - r.lo))
        }
        func uniform(_ e: [Double]) -> Bool {
            guard e.count > 2 else { return true }
            let d0 = e[1] - e[0]
            return e.indices.dropFirst().allSatisfy { abs((e[$0] - e[$0 - 1]) - d0) <= 1e-6 * abs(d0) }
        }
        if uniform(xe), uniform(ye) {
            // One pixel per cell, nearest-neighbour: compact and exact in every format.
            let nx = f.nx
            let ny = f.ny
            var rgba = [UInt8](repeating: 255, count: nx * ny * 4)
            let flipX = xe[nx] < xe[0]
            let flipY = ye[ny] < ye[0]  // page y grows downwards
            for j in 0..<ny {
                let row = flipY ? ny - 1 - j : j
                for i in 0..<nx {
                    let col = flipX ? nx - 1 - i : i
                    let c = color(i, j)
                    let k = 4 * (row * nx + col)
                    rgba[k] = UInt8((c.red * 255).rounded())
                    rgba[k + 1] = UInt8((c.green * 255).rounded())
                    rgba[k + 2] = UInt8((c.blue * 255).rounded())
                    rgba[k + 3] = 255
                }
            }
            let dest = Rect(
                x: min(xe[0], xe[nx]), y: min(ye[0], ye[ny]), width: abs(xe[nx] - xe[0]), height: abs(ye[ny] - ye[0]))
            canvas.items.append(.image(RasterImage(width: nx, height: ny, rgba: rgba), destination: dest))
        } else {
            // Vector cells, merging runs of equal colour along x; a hair of overlap hides seams.
            for j in 0..<f.ny {
                var i = 0
                while i < f.nx {
                    let c = color(i, j)
                    let key = quantize(c)
                    var i2 = i + 1
                    while i2 < f.nx, quantize(color(i2, j)) == key { i2 += 1 }
                    let x0 = min(xe[i], xe[i2])
                    let x1 = max(xe[i], xe[i2])
                    let y0 = min(ye[j], ye[j + 1])
                    let y1 = max(ye[j], ye[j + 1])
                    canvas.rect(Rect(x: x0, y: y0 - 0.15, width: x1 - x0 + 0.15, height: y1 - y0 + 0.15), fill: c)
                    i = i2
                }
            }
        }
    }

    private func quantize(_ c: Color) -> Int {
        (Int((c.red * 255).rounded()) << 16) | (Int((c.green * 255).rounded()) << 8) | Int((c.blue * 255).rounded())
    }

    private mutating func drawContours(_ c: Contours) {
        let stroke = StrokeStyle(color: c.color, width: c.width, dash: c.dash.pattern(width: c.width))
        for level in c.levels {
            let lines = ContourGeometry.lines(c.field, level: level)
            // Lines of one level share an id: a label naming the level may sit on any of them.
            let id = contourIds[level] ?? nextLineId
            if contourIds[level] == nil {
                contourIds[level] = id
                nextLineId += 1
            }
            let text = RichText(
                String(format: c.labelFormat, level).replacingOccurrences(of: "-", with: "\u{2212}") + c.labelSuffix)
            let tl = canvas.layout(text, size: style.tickLabelSize * 0.95)
            for line in lines {
                var pts = line.points.map { map($0.x, $0.y) }
                if line.isClosed, let first = pts.first { pts.append(first) }
                canvas.mark(.contourLine(id), path: pts)
                guard c.labelled else {
                    canvas.polyline(pts, stroke: stroke)
                    continue
                }
                // Cumulative arc length along the polyline on the page.
                var s = [0.0]
                for k in 1..<max(pts.count, 1) {
                    s.append(s[k - 1] + hypot(pts[k].x - pts[k - 1].x, pts[k].y - pts[k - 1].y))
                }
                let total = s.last ?? 0
                let gap = tl.width + 4
                guard total > gap * 2.2 else {
                    canvas.polyline(pts, stroke: stroke)
                    continue
                }
                func point(at d: Double) -> Point {
                    var k = 1
                    while k < s.count - 1 && s[k] < d { k += 1 }
                    let t = s[k] == s[k - 1] ? 0 : (d - s[k - 1]) / (s[k] - s[k - 1])
                    return Point(
                        pts[k - 1].x + t * (pts[k].x - pts[k - 1].x), pts[k - 1].y + t * (pts[k].y - pts[k - 1].y))
                }
                // The label goes where along the line it covers the least other data and text (the middle wins ties).
                let fractions: [Double] = [
                    0.5, 0.45, 0.55, 0.4, 0.6, 0.35, 0.65, 0.3, 0.7, 0.25, 0.75, 0.2, 0.8, 0.15, 0.85, 0.1, 0.9,
                ]
                let half = max(tl.width, tl.height) / 2
                var mid = total / 2
                var bestScore = Double.infinity
                for fraction in fractions {
                    let distance: Double = total * fraction
                    guard distance - gap / 2 > 0, distance + gap / 2 < total else { continue }
                    let centre = point(at: distance)
                    let labelBox = Rect(
                        x: centre.x - half, y: centre.y - tl.height / 2, width: 2 * half, height: tl.height)
                    let candidateScore = score(labelBox, excludingContour: id)
                    if candidateScore < bestScore {
                        bestScore = candidateScore
                        mid = distance
                    }
                }
                let a = mid - gap / 2
                let b = mid + gap / 2
                let pa = point(at: a)
                let pb = point(at: b)
                let before = zip(pts, s).filter { $0.1 < a }.map(\.0) + [pa]
                let after = [pb] + zip(pts, s).filter { $0.1 > b }.map(\.0)
                canvas.polyline(before, stroke: stroke)
                canvas.polyline(after, stroke: stroke)
                var angle = atan2(-(pb.y - pa.y), pb.x - pa.x)
                if angle > .pi / 2 { angle -= .pi } else if angle < -.pi / 2 { angle += .pi }
                let centre = point(at: mid)
                canvas.text(
                    text, at: centre, size: style.tickLabelSize * 0.95, h: .centre, v: .centre, angle: angle,
                    color: c.color, role: .contourLabel(id))
            }
        }
    }

    private mutating func drawFilledContours(_ f: FilledContours) {
        let r = f.range.resolve(f.field.valueRange)
        let n = f.levels.count - 1
        let colors = (0..<n).map { b in
            f.colorMap.color(at: ((f.levels[b] + f.levels[b + 1]) / 2 - r.lo) / (r.hi - r.lo))
        }
        if let m = f.field.mask, m.contains(true) {
            drawHeatmap(
                Heatmap(
                    Field2D(x: f.field.x, y: f.field.y, values: f.field.values.map { _ in 0 }, mask: m),
                    colorMap: .greys, range: .fixed(-1, 0)))
        }
        // One path per band: its pieces share edges and all wind the same way, so a nonzero fill of the
        // combined path has no anti-aliasing seams between them.
        var paths = [[PathElement]](repeating: [], count: n)
        for poly in ContourGeometry.bands(f.field, levels: f.levels) {
            let pts = poly.points.map { map($0.x, $0.y) }
            paths[poly.band].append(.move(pts[0]))
            for p in pts.dropFirst() { paths[poly.band].append(.line(p)) }
            paths[poly.band].append(.close)
        }
        for b in 0..<n where !paths[b].isEmpty { canvas.items.append(.path(paths[b], fill: colors[b], stroke: nil)) }
    }

    private mutating func drawBars(_ b: BarChart, legend: inout [LegendEntry]) {
        let colors = b.series.map { autoColor($0.color) }
        let m = Double(b.series.count)
        let labelSize = style.tickLabelSize * 0.9
        func fmt(_ v: Double) -> RichText? {
            b.valueFormat.map { RichText(String(format: $0, v).replacingOccurrences(of: "-", with: "\u{2212}")) }
        }
        for (c, _) in b.categories.enumerated() {
            let cx = Double(c)
            var stackTop: [YAxisSide: Double] = [.left: 0, .right: 0]
            for (s, ser) in b.series.enumerated() {
                let t = yt(ser.axis)
                let v = ser.values[c]
                let (x0, x1): (Double, Double)
                let base: Double
                if b.mode == .grouped {
                    let bw = b.groupWidth / m
                    x0 = cx - b.groupWidth / 2 + Double(s) * bw
                    x1 = x0 + bw
                    base = t.scale == .log10 ? t.lo : 0
                } else {
                    x0 = cx - b.groupWidth / 2
                    x1 = cx + b.groupWidth / 2
                    base = stackTop[ser.axis]!
                }
                let top = b.mode == .stacked ? base + v : v
                if b.mode == .stacked { stackTop[ser.axis] = top }
                let px0 = geo.x.position(x0)
                let px1 = geo.x.position(x1)
                let py0 = t.position(base)
                let py1 = t.position(top)
                let rect = Rect(
                    x: min(px0, px1) + 0.4, y: min(py0, py1), width: abs(px1 - px0) - 0.8, height: abs(py1 - py0))
                canvas.rect(
                    rect, fill: colors[s],
                    stroke: StrokeStyle(
                        color: Color(
                            red: colors[s].red * 0.55, green: colors[s].green * 0.55, blue: colors[s].blue * 0.55),
                        width: 0.4))
                canvas.mark(.bar, rect: rect)
                // The interval whisker: a vertical line with caps a third of the bar wide.
                var whiskerEnd: Double?
                if b.mode == .grouped, let lower = ser.lower?[c], let upper = ser.upper?[c] {
                    let pl = t.position(lower)
                    let pu = t.position(upper)
                    let cap = max(rect.width / 6, 0.8)
                    let ink = StrokeStyle(color: Color(hex: 0x222222), width: 0.6)
                    canvas.segment(Point(rect.midX, pl), Point(rect.midX, pu), ink)
                    canvas.segment(Point(rect.midX - cap, pl), Point(rect.midX + cap, pl), ink)
                    canvas.segment(Point(rect.midX - cap, pu), Point(rect.midX + cap, pu), ink)
                    whiskerEnd = v >= 0 ? min(pu, pl) : max(pu, pl)
                }
                if let text = fmt(v) {
                    if b.mode == .grouped {
                        let edge =
                            v >= 0 ? min(rect.minY, whiskerEnd ?? rect.minY) : max(rect.maxY, whiskerEnd ?? rect.maxY)
                        let lum = 0.299 * colors[s].red + 0.587 * colors[s].green + 0.114 * colors[s].blue
                        pendingBarLabels.append((text, rect, edge, v >= 0, lum < 0.5 ? .white : .black))
                    } else if rect.height > labelSize * 1.3 {
                        let lum = 0.299 * colors[s].red + 0.587 * colors[s].green + 0.114 * colors[s].blue
                        canvas.text(
                            text, at: Point(rect.midX, rect.midY), size: labelSize, h: .centre, v: .centre,
                            color: lum < 0.5 ? .white : .black,
                            role: .insideBarLabel)
                    }
                }
            }
            if b.mode == .stacked, let text = b.valueFormat.map({ String(format: $0, stackTop[.left]!) }) {
                let p = Point(geo.x.position(cx), geo.y.position(stackTop[.left]!) - 1.5)
                canvas.text(
                    RichText(text), at: p, size: labelSize, h: .centre, v: .bottom, bold: true, role: .barLabel)
            }
            for target in b.targets {
                let t = yt(target.axis)
                let py = t.position(target.values[c])
                let xa = geo.x.position(cx - b.groupWidth / 2 - 0.04)
                let xb = geo.x.position(cx + b.groupWidth / 2 + 0.04)
                canvas.segment(
                    Point(xa, py), Point(xb, py),
                    StrokeStyle(color: Color(hex: 0x222222), width: 1.4, dash: Dash.dashed.pattern(width: 0.9)))
                canvas.mark(.dataPath, path: [Point(xa, py), Point(xb, py)])
            }
        }
        placeBarLabels(size: labelSize)
        for (s, ser) in b.series.enumerated() {
            let suffix = panel.y2 != nil ? (ser.axis == .right ? " (right axis)" : " (left axis)") : ""
            legend.append(LegendEntry(label: ser.label + suffix, kind: .patch(colors[s])))
        }
        for t in b.targets {
            legend.append(LegendEntry(label: t.label, kind: .line(Color(hex: 0x222222), 1.4, .dashed, nil)))
        }
    }

    private mutating func drawReference(_ r: ReferenceLine) {
        let stroke = StrokeStyle(color: r.color, width: r.width, dash: r.dash.pattern(width: r.width))
        let id = nextLineId
        nextLineId += 1
        if r.orientation == .horizontal {
            let py = yt(r.axis).position(r.value)
            canvas.segment(Point(box.minX, py), Point(box.maxX, py), stroke)
            canvas.mark(.referenceLine(id), path: [Point(box.minX, py), Point(box.maxX, py)])
        } else {
            let px = geo.x.position(r.value)
            canvas.segment(Point(px, box.minY), Point(px, box.maxY), stroke)
            canvas.mark(.referenceLine(id), path: [Point(px, box.minY), Point(px, box.maxY)])
        }
        if let label = r.label { pendingReferenceLabels.append((label, r, id)) }
    }

    /// Places the value labels of grouped bars once every bar and target is drawn: beyond the bar's end, turned a
    /// quarter when wider than the bar; inside the bar's end (in a contrasting colour) when the place beyond would
    /// cover data or text and the bar is long enough.
    private mutating func placeBarLabels(size: Double) {
        for pending in pendingBarLabels {
            let layout = canvas.layout(pending.text, size: size)
            let turned = layout.width > pending.bar.width * 1.02
            let along = turned ? layout.width : layout.height
            let across = turned ? layout.height : layout.width
            let outside =
                pending.above
                ? Rect(x: pending.bar.midX - across / 2, y: pending.edge - 1.5 - along, width: across, height: along)
                : Rect(x: pending.bar.midX - across / 2, y: pending.edge + 1.5, width: across, height: along)
            let fitsInside = pending.bar.height > along + 3 && pending.bar.width >= across
            let useInside = fitsInside && score(outside) > 0
            let anchor: Point
            if useInside {
                anchor = Point(
                    pending.bar.midX,
                    pending.above ? pending.bar.minY + 1.5 + along / 2 : pending.bar.maxY - 1.5 - along / 2)
            } else {
                anchor = Point(
                    pending.bar.midX, pending.above ? pending.edge - 1.5 - along / 2 : pending.edge + 1.5 + along / 2)
            }
            canvas.text(
                pending.text, at: anchor, size: size, h: .centre, v: .centre, angle: turned ? .pi / 2 : 0,
                color: useInside ? pending.insideColor : .black, role: useInside ? .insideBarLabel : .barLabel)
        }
        pendingBarLabels = []
    }

    /// Places each reference line's label beside its line where it covers the least data and text: above the line (left
    /// of a vertical one) at its far end, its near end or the middle, then below (right of) it, the first candidate
    /// winning ties.
    private mutating func placeReferenceLabels() {
        let size = style.annotationSize
        for pending in pendingReferenceLabels {
            let layout = canvas.layout(pending.label, size: size)
            let r = pending.line
            var candidates: [(at: Point, h: HAlign, v: VAlign, angle: Double)] = []
            if r.orientation == .horizontal {
                let py = yt(r.axis).position(r.value)
                let ends: [(Double, HAlign)] = [(box.maxX - 3, .right), (box.minX + 3, .left), (box.midX, .centre)]
                for (x, h) in ends { candidates.append((Point(x, py - 1.5), h, .bottom, 0)) }
                for (x, h) in ends { candidates.append((Point(x, py + 1.5), h, .top, 0)) }
            } else {
                let px = geo.x.position(r.value)
                let ends: [(Double, HAlign)] = [(box.minY + 3, .right), (box.maxY - 3, .left), (box.midY, .centre)]
                for (y, h) in ends { candidates.append((Point(px - 1.5, y), h, .bottom, .pi / 2)) }
                for (y, h) in ends { candidates.append((Point(px + 1.5, y), h, .top, .pi / 2)) }
            }
            func labelBox(for candidate: (at: Point, h: HAlign, v: VAlign, angle: Double)) -> Rect {
                let along = candidate.h == .left ? 0 : (candidate.h == .centre ? layout.width / 2 : layout.width)
                let across0 = candidate.v == .bottom ? -layout.height : 0
                if candidate.angle == 0 {
                    return Rect(
                        x: candidate.at.x - along, y: candidate.at.y + across0, width: layout.width,
                        height: layout.height)
                }
                // Rotated a quarter turn counter-clockwise: text runs upwards, its "up" points left.
                return Rect(
                    x: candidate.at.x + across0, y: candidate.at.y - layout.width + along, width: layout.height,
                    height: layout.width)
            }
            let best = candidates.min {
                score(labelBox(for: $0), excluding: pending.id) < score(labelBox(for: $1), excluding: pending.id)
            }!
            canvas.text(
                pending.label, at: best.at, size: size, h: best.h, v: best.v, angle: best.angle, color: r.color,
                role: .referenceLabel(pending.id))
        }
    }

    /// How much data and text of this panel a box would cover (`FigureCheck.overlapScore`; text counts heavily, a box
    /// leaving the axes too).
    private func score(_ rect: Rect, excluding line: Int? = nil, excludingContour contour: Int? = nil) -> Double {
        var total = 0.0
        for mark in canvas.marks where mark.panel == canvas.panel {
            if case .referenceLine(let id) = mark.role, id == line { continue }
            if case .contourLine(let id) = mark.role, id == contour { continue }
            if mark.role.isData {
                total += FigureCheck.overlapScore(rect, mark)
            } else if mark.role.isText, FigureCheck.overlap(rect, mark.rect) > 0 {
                total += 100
            }
        }
        for pending in pendingMarkers {
            let half = pending.size * 0.6
            if FigureCheck.overlap(
                rect, Rect(x: pending.at.x - half, y: pending.at.y - half, width: 2 * half, height: 2 * half)) > 0
            {
                total += 6
            }
        }
        // Leaving the axes, or touching their frame, is worse than any overlap.
        if rect.minX < box.minX + 1 || rect.maxX > box.maxX - 1 || rect.minY < box.minY + 1 || rect.maxY > box.maxY - 1
        {
            total += 1000
        }
        return total
    }

    private mutating func drawAnnotation(_ a: Annotation) {
        let size = a.fontSize ?? style.annotationSize
        var p = map(a.x, a.y)
        if a.besidePoint {
            // Eight directions around the point, at a distance that clears a marker and the label's half extent (then
            // twice as far), the first of the least covering winning.
            let layout = canvas.layout(a.text, size: size)
            let clearance = style.markerSize * 0.6 + 1.2
            let offsets: [(Double, Double)] = [(1, -1), (1, 1), (-1, -1), (-1, 1), (1, 0), (-1, 0), (0, -1), (0, 1)]
            // A second ring, farther out, for crowded points.
            var candidates: [Point] = []
            for ring in [1.0, 2.4, 3.8] {
                for (ux, uy) in offsets {
                    let dx: Double = ux * (clearance * ring + layout.width / 2)
                    let dy: Double = uy * (clearance * ring + layout.height / 2)
                    candidates.append(Point(p.x + dx, p.y + dy))
                }
            }
            func labelBox(_ centre: Point) -> Rect {
                Rect(
                    x: centre.x - layout.width / 2, y: centre.y - layout.height / 2, width: layout.width,
                    height: layout.height)
            }
            p = candidates.min { score(labelBox($0)) < score(labelBox($1)) }!
        }
        let r = canvas.text(a.text, at: p, size: size, h: .centre, v: .centre, color: a.color)
        if let t = a.arrowTo {
            let q = map(t.x, t.y)
            // Start where the segment from the text centre to the target leaves the padded text box.
            let pad = 1.5
            let dx = q.x - p.x
            let dy = q.y - p.y
            let sx = dx == 0 ? Double.infinity : (r.width / 2 + pad) / abs(dx)
            let sy = dy == 0 ? Double.infinity : (r.height / 2 + pad) / abs(dy)
            let s = min(sx, sy, 1)
            canvas.arrow(from: Point(p.x + s * dx, p.y + s * dy), to: q, color: a.color)
        }
    }

    // MARK: - Axes decorations

    private mutating func drawGridLines() {
        let stroke = StrokeStyle(color: .gridGrey, width: 0.45)
        if x.gridLines {
            for t in x.ticks where t.isMajor {
                let px = geo.x.position(t.value)
                canvas.segment(Point(px, box.minY), Point(px, box.maxY), stroke)
            }
        }
        if y.gridLines {
            for t in y.ticks where t.isMajor {
                let py = geo.y.position(t.value)
                canvas.segment(Point(box.minX, py), Point(box.maxX, py), stroke)
            }
        }
    }

    private mutating func drawFrameAndTicks() {
        let axisStroke = StrokeStyle(color: .axisGrey, width: style.axisLineWidth)
        canvas.rect(box, fill: nil, stroke: axisStroke)
        let tickStroke = StrokeStyle(color: .axisGrey, width: style.axisLineWidth * 0.9)
        let gap = style.padding * 0.6
        let isCategorical = panel.hasBars
        for t in x.ticks {
            let px = geo.x.position(t.value)
            let len = t.isMajor ? style.tickLength : style.minorTickLength
            if !isCategorical {
                canvas.segment(Point(px, box.maxY), Point(px, box.maxY - len), tickStroke)
                canvas.segment(Point(px, box.minY), Point(px, box.minY + len), tickStroke)
            } else {
                canvas.segment(Point(px, box.maxY), Point(px, box.maxY + len * 0.8), tickStroke)
            }
            if t.isMajor, x.showTickLabels {
                canvas.text(
                    t.label, at: Point(px, box.maxY + gap + (isCategorical ? len * 0.8 : 0)), size: style.tickLabelSize,
                    h: .centre, v: .top, color: .axisGrey,
                    role: .tickLabel)
            }
        }
        // A y tick label that would collide with an x tick label at a corner of the frame is left out (the axis keeps
        // its other labels).
        let xTickLabels = canvas.marks.filter { $0.role == .tickLabel && $0.panel == canvas.panel }.map(\.rect)
        func collidesWithXTickLabel(_ label: RichText, anchor: Point, h: HAlign) -> Bool {
            let l = canvas.layout(label, size: style.tickLabelSize)
            let left = h == .right ? anchor.x - l.width : anchor.x
            let rect = Rect(x: left, y: anchor.y - l.height / 2, width: l.width, height: l.height)
            return xTickLabels.contains { FigureCheck.overlap(rect, $0) > 0 }
        }
        for t in y.ticks {
            let py = geo.y.position(t.value)
            let len = t.isMajor ? style.tickLength : style.minorTickLength
            canvas.segment(Point(box.minX, py), Point(box.minX + len, py), tickStroke)
            if y2 == nil { canvas.segment(Point(box.maxX, py), Point(box.maxX - len, py), tickStroke) }
            if t.isMajor, y.showTickLabels,
                !collidesWithXTickLabel(t.label, anchor: Point(box.minX - gap, py), h: .right)
            {
                canvas.text(
                    t.label, at: Point(box.minX - gap, py), size: style.tickLabelSize, h: .right, v: .centre,
                    color: .axisGrey, role: .tickLabel)
            }
        }
        if let y2, let t2 = geo.y2 {
            for t in y2.ticks {
                let py = t2.position(t.value)
                let len = t.isMajor ? style.tickLength : style.minorTickLength
                canvas.segment(Point(box.maxX, py), Point(box.maxX - len, py), tickStroke)
                if t.isMajor, !collidesWithXTickLabel(t.label, anchor: Point(box.maxX + gap, py), h: .left) {
                    canvas.text(
                        t.label, at: Point(box.maxX + gap, py), size: style.tickLabelSize, h: .left, v: .centre,
                        color: .axisGrey, role: .tickLabel)
                }
            }
        }
    }

    private mutating func drawLabels(letter: String?) {
        let gap = style.padding * 0.75
        let tickH = canvas.layout("0", size: style.tickLabelSize).height
        if x.showLabel {
            let yPos =
                box.maxY + (x.showTickLabels ? gap * 0.8 + tickH + gap : gap)
                + (panel.hasBars ? style.tickLength * 0.8 : 0)
            canvas.text(
                x.label, at: Point(box.midX, yPos), size: style.axisLabelSize, h: .centre, v: .top, role: .axisLabel)
        }
        if y.showLabel {
            let w =
                y.showTickLabels
                ? (y.ticks.filter(\.isMajor).map { canvas.layout($0.label, size: style.tickLabelSize).width }.max() ?? 0)
                    + gap : 0
            canvas.text(
                y.label, at: Point(box.minX - gap * 0.8 - w, box.midY), size: style.axisLabelSize, h: .centre,
                v: .bottom, angle: .pi / 2, role: .axisLabel)
        }
        if let y2, y2.showLabel {
            let w =
                (y2.ticks.filter(\.isMajor).map { canvas.layout($0.label, size: style.tickLabelSize).width }.max() ?? 0)
                + gap
            canvas.text(
                y2.label, at: Point(box.maxX + gap * 0.8 + w, box.midY), size: style.axisLabelSize, h: .centre,
                v: .bottom, angle: -.pi / 2, role: .axisLabel)
        }
        var letterRight = geo.cell.minX
        if let letter {
            let r = canvas.text(
                RichText(letter), at: Point(geo.cell.minX + style.padding, geo.cell.minY + style.padding),
                size: style.panelLetterSize, h: .left, v: .top, bold: true, role: .panelLetter)
            // A title keeps about an em of space from the letter.
            letterRight = r.maxX + style.padding * 3
        }
        if let title = panel.title {
            // Centred over the axes, but never over the panel letter nor past the cell's right edge.
            let w = canvas.layout(title, size: style.titleSize).width
            var centre = box.midX
            centre = min(centre, geo.cell.maxX - style.padding - w / 2)
            centre = max(centre, letterRight + w / 2)
            canvas.text(
                title, at: Point(centre, box.minY - gap), size: style.titleSize, h: .centre, v: .bottom, role: .title)
        }
    }

    private mutating func drawColorBar(_ cb: ColorBar, norm: (map: ColorMap, lo: Double, hi: Double, levels: [Double]?))
    {
        let gap = style.padding * 0.75
        var x0 = (colorBarAfter ?? box.maxX) + gap * 2
        if let y2 {
            x0 +=
                (y2.ticks.filter(\.isMajor).map { canvas.layout($0.label, size: style.tickLabelSize).width }.max() ?? 0)
                + gap * 2 + canvas.layout("Xy", size: style.axisLabelSize).height
        }
        let top = box.minY
        let bottom = colorBarBottom ?? box.maxY
        let bar = Rect(x: x0, y: top, width: 7, height: bottom - top)
        if cb.isCategorical, let values = cb.ticks, let names = cb.tickLabels {
            drawCategoricalKey(cb, values: values, names: names, norm: norm, at: bar)
            return
        }
        let t = AxisTransform(scale: .linear, lo: norm.lo, hi: norm.hi, p0: bar.maxY, p1: bar.minY)
        if let levels = norm.levels {
            for b in 0..<(levels.count - 1) {
                let c = norm.map.color(at: ((levels[b] + levels[b + 1]) / 2 - norm.lo) / (norm.hi - norm.lo))
                let ya = t.position(max(levels[b], norm.lo))
                let yb = t.position(min(levels[b + 1], norm.hi))
                canvas.rect(Rect(x: bar.minX, y: min(ya, yb), width: bar.width, height: abs(yb - ya)), fill: c)
            }
        } else {
            let stops = (0...128).map { norm.map.color(at: Double($0) / 128) }
            canvas.items.append(.gradient(bar, colors: stops, vertical: true))
        }
        canvas.rect(bar, fill: nil, stroke: StrokeStyle(color: .axisGrey, width: style.axisLineWidth))
        let ticks = FigureLayout.colorBarTicks(cb, lo: norm.lo, hi: norm.hi)
        var widest = 0.0
        for tick in ticks
        where tick.value >= min(norm.lo, norm.hi) - 1e-12 && tick.value <= max(norm.lo, norm.hi) + 1e-12 {
            let py = t.position(tick.value)
            canvas.segment(
                Point(bar.maxX, py), Point(bar.maxX + 2, py),
                StrokeStyle(color: .axisGrey, width: style.axisLineWidth * 0.9))
            let r = canvas.text(
                tick.label, at: Point(bar.maxX + 2 + gap * 0.6, py), size: style.tickLabelSize, h: .left, v: .centre,
                color: .axisGrey, role: .colorBarText)
            widest = max(widest, r.width)
        }
        if !cb.label.isEmpty {
            canvas.text(
                cb.label, at: Point(bar.maxX + 2 + gap * 1.2 + widest, bar.midY), size: style.axisLabelSize, h: .centre,
                v: .bottom, angle: -.pi / 2, role: .colorBarText)
        }
    }

    /// A categorical key: one swatch per category (top: the last), its name beside it, the key's title turned beside.
    private mutating func drawCategoricalKey(
        _ cb: ColorBar, values: [Double], names: [RichText],
        norm: (map: ColorMap, lo: Double, hi: Double, levels: [Double]?), at bar: Rect
    ) {
        let gap = style.padding * 0.75
        let step = min(bar.height / Double(max(values.count, 1)), 16)
        let swatch = min(step * 0.7, 9)
        var widest = 0.0
        for (index, value) in values.enumerated().reversed() {
            let row = Double(values.count - 1 - index)
            let centreY = bar.minY + step * (row + 0.5)
            let color = norm.map.color(at: (value - norm.lo) / (norm.hi - norm.lo))
            canvas.rect(
                Rect(x: bar.minX, y: centreY - swatch / 2, width: 7, height: swatch), fill: color,
                stroke: StrokeStyle(color: .axisGrey, width: style.axisLineWidth * 0.8))
            let rect = canvas.text(
                names[index], at: Point(bar.maxX + gap * 0.6, centreY), size: style.tickLabelSize, h: .left, v: .centre,
                color: .axisGrey, role: .colorBarText)
            widest = max(widest, rect.width)
        }
        if !cb.label.isEmpty {
            canvas.text(
                cb.label, at: Point(bar.maxX + gap * 1.2 + widest, bar.midY), size: style.axisLabelSize, h: .centre,
                v: .bottom,
                angle: -.pi / 2, role: .colorBarText)
        }
    }

    // MARK: - Legend

    private mutating func drawLegend(_ entries: [LegendEntry], outside: (Double, Double)?) {
        guard !entries.isEmpty, panel.legend != .none else { return }
        let layout = LegendLayout(
            entries, canvas: canvas, maxWidth: panel.legend == .below ? geo.cell.width - 2 * style.padding : nil)
        let size = (layout.width, layout.height)
        let inset = 3.0
        var origin: Point
        switch panel.legend {
        case .outsideRight:
            origin = Point(geo.cell.maxX - size.0 - style.padding, box.minY)
        case .below:
            origin = Point(box.midX - size.0 / 2, geo.cell.maxY - size.1 - style.padding)
        case .topLeft: origin = Point(box.minX + inset, box.minY + inset)
        case .topRight: origin = Point(box.maxX - inset - size.0, box.minY + inset)
        case .bottomLeft: origin = Point(box.minX + inset, box.maxY - inset - size.1)
        case .bottomRight: origin = Point(box.maxX - inset - size.0, box.maxY - inset - size.1)
        case .auto, .none:
            let candidates = [
                Point(box.maxX - inset - size.0, box.minY + inset), Point(box.minX + inset, box.minY + inset),
                Point(box.maxX - inset - size.0, box.maxY - inset - size.1),
                Point(box.minX + inset, box.maxY - inset - size.1),
                Point(box.maxX - inset - size.0, box.midY - size.1 / 2), Point(box.midX - size.0 / 2, box.minY + inset),
                Point(box.midX - size.0 / 2, box.maxY - inset - size.1), Point(box.minX + inset, box.midY - size.1 / 2),
            ]
            // The position covering the least data and text (matplotlib's loc="best"), the first winning ties.
            var best = candidates[0]
            var bestScore = Double.infinity
            for c in candidates {
                let r = Rect(x: c.x - 2, y: c.y - 2, width: size.0 + 4, height: size.1 + 4)
                let score = score(r)
                if score < bestScore {
                    bestScore = score
                    best = c
                }
            }
            origin = best
        }
        let frame = Rect(x: origin.x, y: origin.y, width: size.0, height: size.1)
        canvas.rect(
            frame, fill: Color.white.withAlpha(0.88), stroke: StrokeStyle(color: Color(hex: 0xB0B0B0), width: 0.4))
        canvas.mark(.legendBox, rect: frame)
        let rowH = style.legendSize * 1.35
        let sample = LegendLayout.sample
        for (k, e) in entries.enumerated() {
            let cy = origin.y + LegendLayout.pad + rowH * (Double(layout.slots[k].row) + 0.5)
            let sx = origin.x + layout.slots[k].x
            switch e.kind {
            case let .line(color, width, dash, marker):
                canvas.segment(
                    Point(sx, cy), Point(sx + sample, cy),
                    StrokeStyle(
                        color: color, width: width, dash: dash.pattern(width: width), roundCaps: dash == .dotted))
                if let marker {
                    canvas.marker(
                        marker, at: Point(sx + sample / 2, cy), color: color, size: marker.size ?? style.markerSize,
                        data: false)
                }
            case let .marker(color, marker):
                canvas.marker(
                    marker, at: Point(sx + sample / 2, cy), color: color, size: marker.size ?? style.markerSize,
                    data: false)
            case let .patch(color):
                canvas.rect(Rect(x: sx + 2, y: cy - rowH * 0.32, width: sample - 4, height: rowH * 0.64), fill: color)
            }
            canvas.text(
                RichText(e.label), at: Point(sx + sample + LegendLayout.textGap, cy), size: style.legendSize, h: .left,
                v: .centre, role: .legendText)
        }
    }
}

struct LegendEntry {
    enum Kind { case line(Color, Double, Dash, Marker?), marker(Color, Marker), patch(Color) }
    var label: String
    var kind: Kind
}

/// Legend entries in layer order, mirroring what `PanelPainter` records (used to reserve space outside).
func legendEntries(_ p: Panel) -> [LegendEntry] {
    var out: [LegendEntry] = []
    for l in p.layers {
        switch l {
        case .line(let s):
            if let label = s.label { out.append(LegendEntry(label: label, kind: .line(.black, 1, s.dash, s.marker))) }
        case .scatter(let s):
            if let label = s.label { out.append(LegendEntry(label: label, kind: .marker(.black, s.marker))) }
        case .area(let a): if let label = a.label { out.append(LegendEntry(label: label, kind: .patch(.black))) }
        case .bars(let b):
            let suffix = p.y2 != nil ? " (right axis)" : ""
            for s in b.series { out.append(LegendEntry(label: s.label + suffix, kind: .patch(.black))) }
            for t in b.targets { out.append(LegendEntry(label: t.label, kind: .patch(.black))) }
        default: break
        }
    }
    return out
}

/// Positions of legend entries: one column, or rows that wrap at `maxWidth` (for a legend below the axes).
struct LegendLayout {
    var width: Double
    var height: Double
    /// Sample-start x offset and row index of each entry.
    var slots: [(x: Double, row: Int)]
    static let pad = 3.0, sample = 16.0, textGap = 4.0, columnGap = 10.0

    init(_ entries: [LegendEntry], canvas: Canvas, maxWidth: Double? = nil) {
        let size = canvas.style.legendSize
        let rowH = size * 1.35
        let widths = entries.map { Self.sample + Self.textGap + canvas.layout(RichText($0.label), size: size).width }
        var slots: [(Double, Int)] = []
        if let maxWidth {
            var x = Self.pad
            var row = 0
            var widest = 0.0
            for w in widths {
                if x > Self.pad, x + w + Self.pad > maxWidth {
                    row += 1
                    x = Self.pad
                }
                slots.append((x, row))
                x += w + Self.columnGap
                widest = max(widest, x - Self.columnGap + Self.pad)
            }
            width = widest
            height = 2 * Self.pad + rowH * Double(row + 1)
        } else {
            slots = widths.indices.map { (Self.pad, $0) }
            width = 2 * Self.pad + (widths.max() ?? 0)
            height = 2 * Self.pad + rowH * Double(entries.count)
        }
        self.slots = slots
    }
}

extension Rect {
    var midX: Double { x + width / 2 }
    var midY: Double { y + height / 2 }
}

extension Layer {
    /// When a layer is drawn: 0 with the data, 1 contour lines (their labels avoid the data), 2 labels placed beside
    /// points (they avoid data and contour labels).
    var drawingPass: Int {
        switch self {
        case .contours: return 1
        case .annotation(let annotation): return annotation.besidePoint ? 2 : 0
        default: return 0
        }
    }
}
