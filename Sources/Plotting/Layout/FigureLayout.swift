import Foundation

/// Where a panel ended up on the page, and its data → page transforms (useful for tests and overlays).
public struct PanelGeometry: Sendable {
    public var cell: Rect
    public var axesBox: Rect
    public var x: AxisTransform
    public var y: AxisTransform
    public var y2: AxisTransform?
}

/// A figure turned into primitives, with the geometry of each panel, the grid it was laid out on and what was
/// drawn where (`marks`, for `FigureCheck`).
public struct LaidOutFigure: Sendable {
    public var displayList: DisplayList
    public var panels: [PanelGeometry]
    public var rows: Int
    public var columns: Int
    public var marks: [LayoutMark]
    /// Per panel, the width its axes box left unused to keep an aspect ratio (points).
    var unusedWidth: [Double] = []

    public init(displayList: DisplayList, panels: [PanelGeometry], rows: Int, columns: Int, marks: [LayoutMark]) {
        self.displayList = displayList
        self.panels = panels
        self.rows = rows
        self.columns = columns
        self.marks = marks
    }
}

/// Turns a `Figure` into a `DisplayList`: resolves limits and ticks, measures every label, aligns the
/// axes boxes across the grid, then draws each panel (grid lines, layers clipped to the axes box,
/// frame and ticks, labels, panel letter, colour bar, legend).
public enum FigureLayout {
    /// Lays the figure out; a panel whose automatic legend finds no place inside its axes free of data gets its legend
    /// below the axes instead (laid out once more).
    public static func layout(_ declared: Figure, measurer: TextMeasurer) throws -> LaidOutFigure {
        var first = try layoutOnce(declared, measurer: measurer)
        if let widths = columnWidthsFittingMaps(first, figure: declared) {
            first = try layoutOnce(declared, measurer: measurer, columnWidths: widths)
        }
        let crowded = Set(FigureCheck.defects(first).filter { $0.kind == .legendCoversData }.compactMap(\.panel))
            .filter { declared.panels[$0].legend == .auto }
        guard !crowded.isEmpty else { return first }
        var moved = declared
        for index in crowded { moved.panels[index].legend = .below }
        var second = try layoutOnce(moved, measurer: measurer)
        if let widths = columnWidthsFittingMaps(second, figure: moved) {
            second = try layoutOnce(moved, measurer: measurer, columnWidths: widths)
        }
        return second
    }

    /// In a one-row figure, a map drawn at equal scale may be narrower than its cell: its column then shrinks to the map
    /// and the other columns share the width it leaves (no gap between panels). nil when no column has 5 pt to spare.
    static func columnWidthsFittingMaps(_ laidOut: LaidOutFigure, figure: Figure) -> [Double]? {
        guard laidOut.rows == 1, laidOut.columns > 1, laidOut.panels.count == laidOut.columns else { return nil }
        var widths = laidOut.panels.map(\.cell.width)
        var freed = 0.0
        var fixed = Set<Int>()
        for (index, panel) in figure.panels.enumerated() where (panel.aspectRatio ?? panel.spatialAspectRatio) != nil {
            let geometry = laidOut.panels[index]
            let natural = geometry.cell.width - laidOut.unusedWidth[index]
            if geometry.cell.width - natural > 5 {
                freed += geometry.cell.width - natural
                widths[index] = natural
                fixed.insert(index)
            }
        }
        // Only columns free of any aspect ratio can use more width.
        let others = widths.indices.filter {
            (figure.panels[$0].aspectRatio ?? figure.panels[$0].spatialAspectRatio) == nil
        }
        guard freed > 0, !others.isEmpty else { return nil }
        for index in others { widths[index] += freed / Double(others.count) }
        return widths
    }

    static func layoutOnce(_ declared: Figure, measurer: TextMeasurer, columnWidths: [Double]? = nil) throws
        -> LaidOutFigure
    {
        try declared.validate()
        var figure = declared
        (figure.rows, figure.columns) = declared.fittedGrid
        figure.height = Length(points: declared.height.points * Double(figure.rows) / Double(max(declared.rows, 1)))
        let st = figure.style
        let W = figure.width.points
        let H = figure.height.points
        let cellH = H / Double(figure.rows)
        let widths = columnWidths ?? Array(repeating: W / Double(figure.columns), count: figure.columns)
        let columnX = widths.indices.map { widths[..<$0].reduce(0, +) }
        let cellW = widths.min() ?? W
        let targetX = max(3, min(7, Int(cellW / 48)))
        let targetY = max(3, min(7, Int(cellH / 36)))

        // Shared extents.
        func position(_ k: Int) -> (row: Int, col: Int) { (k / figure.columns, k % figure.columns) }
        var colX: [Int: DataExtent] = [:]
        var rowY: [Int: DataExtent] = [:]
        for (k, p) in figure.panels.enumerated() {
            let (r, c) = position(k)
            if figure.sharedX, let e = p.dataExtent(.x) { if colX[c] == nil { colX[c] = e } else { colX[c]!.merge(e) } }
            if figure.sharedY, let e = p.dataExtent(.yLeft) {
                if rowY[r] == nil { rowY[r] = e } else { rowY[r]!.merge(e) }
            }
        }
        let lastRowOfColumn: (Int) -> Int = { c in
            (0..<figure.rows).last { r in r * figure.columns + c < figure.panels.count } ?? 0
        }

        var canvas = Canvas(measurer: measurer, style: st)
        canvas.rect(Rect(x: 0, y: 0, width: W, height: H), fill: .white)

        let sharing = colorBarSharing(figure)

        // Resolve axes and measure margins.
        struct Plan {
            var x: ResolvedAxis
            var y: ResolvedAxis
            var y2: ResolvedAxis?
            var left, right, top, bottom: Double
            var legendSize: (Double, Double)?
        }
        var plans: [Plan] = []
        let tickH = canvas.layout("0", size: st.tickLabelSize)
        let labelH = canvas.layout("Xy", size: st.axisLabelSize).height
        for (k, p) in figure.panels.enumerated() {
            let (r, c) = position(k)
            let showXTicks = !figure.sharedX || r == lastRowOfColumn(c)
            let showYTicks = !figure.sharedY || c == 0
            let xa = AxisResolver.resolve(
                p.x, extent: figure.sharedX ? colX[c] : p.dataExtent(.x), target: targetX,
                categories: p.hasBars ? p.barCategories : nil,
                showTickLabels: showXTicks, showLabel: showXTicks)
            let ya = AxisResolver.resolve(
                p.y, extent: figure.sharedY ? rowY[r] : p.dataExtent(.yLeft), target: targetY,
                categories: nil, showTickLabels: showYTicks, showLabel: showYTicks)
            let y2a = p.y2.map {
                AxisResolver.resolve(
                    $0, extent: p.dataExtent(.yRight), target: targetY, categories: nil, showTickLabels: true,
                    showLabel: true)
            }
            let gap = st.padding * 0.75
            func maxTickWidth(_ a: ResolvedAxis) -> Double {
                a.ticks.filter(\.isMajor).map { canvas.layout($0.label, size: st.tickLabelSize).width }.max() ?? 0
            }
            var left = st.padding + (ya.showTickLabels ? maxTickWidth(ya) + gap : 0) + (ya.showLabel ? labelH + gap : 0)
            var bottom = st.padding + (xa.showTickLabels ? tickH.height + gap : 0) + (xa.showLabel ? labelH + gap : 0)
            let hasLetter = figure.panelLetters && figure.panels.count > 1
            let letterH = canvas.layout("(a)", size: st.panelLetterSize, bold: true).height
            var top = st.padding + max(tickH.height / 2, 0)
            if p.title != nil { top = max(top, st.padding + canvas.layout(p.title!, size: st.titleSize).height + gap) }
            // The panel letter sits above the top y tick label, never beside it.
            if hasLetter {
                top = max(top, st.padding + letterH + gap * 0.5 + (ya.showTickLabels ? tickH.height / 2 : 0))
            }
            let lastTick =
                xa.ticks.last(where: \.isMajor).map { canvas.layout($0.label, size: st.tickLabelSize).width / 2 } ?? 0
            var right = st.padding + (xa.showTickLabels ? lastTick : 0)
            if let y2a { right = st.padding + maxTickWidth(y2a) + gap + (y2a.showLabel ? labelH + gap : 0) }
            if let cb = p.colorBar, !sharing.hidden.contains(k) || sharing.keepsSpace.contains(k) {
                let norm = p.colorNorm()
                let ticks = colorBarTicks(cb, lo: norm?.lo ?? 0, hi: norm?.hi ?? 1)
                let tw = ticks.map { canvas.layout($0.label, size: st.tickLabelSize).width }.max() ?? 0
                right += 7 + 2 * gap + tw + (cb.label.isEmpty ? 0 : labelH + gap)
            }
            if hasLetter, ya.showLabel == false, ya.showTickLabels == false { left = max(left, st.padding) }
            var legendSize: (Double, Double)?
            let entries = legendEntries(p)
            if !entries.isEmpty, p.legend == .outsideRight || p.legend == .below {
                let l = LegendLayout(
                    entries, canvas: canvas, maxWidth: p.legend == .below ? cellW - 2 * st.padding : nil)
                legendSize = (l.width, l.height)
                if p.legend == .outsideRight { right += l.width + gap } else { bottom += l.height + gap }
            }
            plans.append(
                Plan(x: xa, y: ya, y2: y2a, left: left, right: right, top: top, bottom: bottom, legendSize: legendSize))
        }

        // Align margins across the grid.
        var colLeft = [Double](repeating: 0, count: figure.columns)
        var colRight = colLeft
        var rowTop = [Double](repeating: 0, count: figure.rows)
        var rowBottom = rowTop
        for (k, plan) in plans.enumerated() {
            let (r, c) = position(k)
            colLeft[c] = max(colLeft[c], plan.left)
            colRight[c] = max(colRight[c], plan.right)
            rowTop[r] = max(rowTop[r], plan.top)
            rowBottom[r] = max(rowBottom[r], plan.bottom)
        }

        var geometries: [PanelGeometry] = []
        var unusedWidth: [Double] = []
        var painters: [PanelPainter] = []
        var cells: [Rect] = []
        var boxes: [Rect] = []
        var fullWidths: [Double] = []
        // The fixed aspect of each panel with linear axes (nil: free): maps of space (aspect 1) and fields drawn at
        // a declared aspect.
        var mapAspect: [Double?] = []
        for (k, p) in figure.panels.enumerated() {
            let (r, c) = position(k)
            let plan = plans[k]
            let cell = Rect(x: columnX[c], y: Double(r) * cellH, width: widths[c], height: cellH)
            var box = Rect(
                x: cell.x + colLeft[c], y: cell.y + rowTop[r],
                width: max(widths[c] - colLeft[c] - colRight[c], 10), height: max(cellH - rowTop[r] - rowBottom[r], 10))
            fullWidths.append(box.width)
            let aspect = p.aspectRatio ?? p.spatialAspectRatio
            // Only maps (panels that draw a field) share a scale with their row; an equal-scale plot of curves
            // (a Nyquist plot) keeps its own range, or a smaller spectrum beside a larger one would be drawn tiny.
            let drawsField = p.layers.contains {
                switch $0 {
                case .heatmap, .contours, .filledContours: return true
                default: return false
                }
            }
            mapAspect.append(drawsField && plan.x.scale == .linear && plan.y.scale == .linear ? aspect : nil)
            if let aspect {
                let dx = plan.x.scale.forward(plan.x.hi) - plan.x.scale.forward(plan.x.lo)
                let dy = plan.y.scale.forward(plan.y.hi) - plan.y.scale.forward(plan.y.lo)
                let wanted = aspect * dy / dx  // height / width on paper
                if box.height > box.width * wanted {
                    box.height = box.width * wanted  // keep the top edge: title and letter stay close
                } else {
                    let w = box.height / wanted
                    box.width = w
                }
            }
            cells.append(cell)
            boxes.append(box)
        }
        // Maps (fields) in one row drawn at the same aspect (maps of space: 1) share one scale (points per unit length,
        // the smallest among them), so the same length looks the same in each; a map narrower than its cell is centred
        // in it.
        for row in 0..<figure.rows {
            let inRow = figure.panels.indices.filter { position($0).row == row }
            for aspect in Set(inRow.compactMap { mapAspect[$0] }) {
                let maps = inRow.filter { mapAspect[$0] == aspect }
                let scales = maps.map { boxes[$0].width / max(plans[$0].x.hi - plans[$0].x.lo, 1e-300) }
                guard let smallest = scales.min() else { continue }
                for (index, k) in maps.enumerated() where scales[index] > smallest * (1 + 1e-9) {
                    let factor = smallest / scales[index]
                    boxes[k].width *= factor
                    boxes[k].height *= factor
                }
            }
        }
        for k in figure.panels.indices {
            let column = position(k).col
            let available = fullWidths[k]
            if boxes[k].width < available - 0.5 {
                boxes[k].x = cells[k].x + colLeft[column] + (available - boxes[k].width) / 2
            }
        }
        for (k, p) in figure.panels.enumerated() {
            let plan = plans[k]
            let box = boxes[k]
            let xt = AxisTransform(
                scale: plan.x.scale, lo: plan.x.lo, hi: plan.x.hi,
                p0: plan.x.reversed ? box.maxX : box.minX, p1: plan.x.reversed ? box.minX : box.maxX)
            let yt = AxisTransform(
                scale: plan.y.scale, lo: plan.y.lo, hi: plan.y.hi,
                p0: plan.y.reversed ? box.minY : box.maxY, p1: plan.y.reversed ? box.maxY : box.minY)
            let y2t = plan.y2.map { AxisTransform(scale: $0.scale, lo: $0.lo, hi: $0.hi, p0: box.maxY, p1: box.minY) }
            let geo = PanelGeometry(cell: cells[k], axesBox: box, x: xt, y: yt, y2: y2t)
            geometries.append(geo)
            unusedWidth.append(fullWidths[k] - box.width)
            painters.append(
                PanelPainter(canvas: canvas, panel: p, geo: geo, x: plan.x, y: plan.y, y2: plan.y2, style: st))
        }
        // Paint once every panel's place is known (a column's shared colour bar reaches down to its last panel).
        for k in figure.panels.indices {
            canvas.panel = k
            var painter = painters[k]
            painter.canvas = canvas
            painter.showsColorBar = !sharing.hidden.contains(k)
            if let last = sharing.spans[k] {
                painter.colorBarBottom = geometries[last].axesBox.maxY
                // Beside the widest box of the run, so it crosses none of them.
                painter.colorBarAfter = stride(from: k, through: last, by: figure.columns).map {
                    geometries[$0].axesBox.maxX
                }.max()
            }
            painter.draw(
                letter: figure.panelLetters && figure.panels.count > 1 ? "(\(letter(k)))" : nil,
                outsideLegend: plans[k].legendSize)
            canvas = painter.canvas
        }
        var laidOut = LaidOutFigure(
            displayList: DisplayList(width: W, height: H, items: canvas.items), panels: geometries, rows: figure.rows,
            columns: figure.columns, marks: canvas.marks)
        laidOut.unusedWidth = unusedWidth
        return laidOut
    }

    /// Convenience: the display list only.
    public static func displayList(_ figure: Figure, measurer: TextMeasurer) throws -> DisplayList {
        try layout(figure, measurer: measurer).displayList
    }

    /// Panels that share one colour bar: the same colour map, range and bar title. Down a column, the top panel's bar
    /// spans the run (`spans`: first → last panel) and the others show none but keep the column's space; when every
    /// column is one such run of the same scale, only the last column's bar is drawn, spanning the whole grid; along a
    /// row, only the rightmost shows it and the others give its space to their axes.
    static func colorBarSharing(_ figure: Figure) -> (hidden: Set<Int>, keepsSpace: Set<Int>, spans: [Int: Int]) {
        func key(_ k: Int) -> String? {
            let panel = figure.panels[k]
            guard let bar = panel.colorBar, let norm = panel.colorNorm() else { return nil }
            return
                "\(norm.map.rawValue)|\(norm.lo)|\(norm.hi)|\(norm.levels ?? [])|\(bar.label.source)|\(bar.isCategorical)"
        }
        var hidden = Set<Int>()
        var keepsSpace = Set<Int>()
        var spans: [Int: Int] = [:]
        let count = figure.panels.count
        if figure.rows > 1 {
            for column in 0..<figure.columns {
                var row = 0
                while row < figure.rows {
                    let first = row * figure.columns + column
                    guard first < count, let shared = key(first) else {
                        row += 1
                        continue
                    }
                    var last = first
                    while last + figure.columns < count, key(last + figure.columns) == shared { last += figure.columns }
                    if last != first {
                        spans[first] = last
                        for k in stride(from: first + figure.columns, through: last, by: figure.columns) {
                            hidden.insert(k)
                            keepsSpace.insert(k)
                        }
                    }
                    row = last / figure.columns + 1
                }
            }
            // Every column one full-height run of the same scale: one colour bar for the whole grid, beside the last
            // column (the other columns give up the bar and its space).
            let fullRuns = (0..<figure.columns).allSatisfy { column in
                spans[column].map { $0 / figure.columns == figure.rows - 1 } ?? false
            }
            let oneScale = key(0).map { shared in (1..<figure.columns).allSatisfy { key($0) == shared } } ?? false
            if figure.columns > 1, fullRuns, oneScale {
                for column in 0..<(figure.columns - 1) {
                    spans[column] = nil
                    for k in stride(from: column, to: count, by: figure.columns) {
                        hidden.insert(k)
                        keepsSpace.remove(k)
                    }
                }
            }
        }
        for row in 0..<figure.rows {
            var column = 0
            while column < figure.columns {
                let first = row * figure.columns + column
                guard first < count, spans[first] == nil, !hidden.contains(first), let shared = key(first) else {
                    column += 1
                    continue
                }
                var last = first
                while last + 1 < count, (last + 1) % figure.columns != 0, spans[last + 1] == nil,
                    !hidden.contains(last + 1), key(last + 1) == shared
                {
                    last += 1
                }
                for k in first..<last { hidden.insert(k) }
                column = last % figure.columns + 1
            }
        }
        return (hidden, keepsSpace, spans)
    }

    static func letter(_ k: Int) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        return k < letters.count ? String(letters[k]) : "\(k + 1)"
    }

    static func colorBarTicks(_ cb: ColorBar, lo: Double, hi: Double) -> [Tick] {
        if let t = cb.ticks, let names = cb.tickLabels, names.count == t.count {
            return zip(t, names).map { Tick(value: $0, label: $1) }
        }
        if let t = cb.ticks {
            let step = zip(t, t.dropFirst()).map { abs($1 - $0) }.min() ?? 1
            return t.map {
                Tick(value: $0, label: RichText(TickGenerator.format($0, step: step, magnitude: max(abs(lo), abs(hi)))))
            }
        }
        return TickGenerator.linearTicks(lo: lo, hi: hi, target: 5)
    }
}

extension Panel {
    /// 1 (1 µm = 1 µm on paper) for a map of space: a heatmap or filled contours whose two axes carry the same length
    /// unit in their labels ("x [µm]", "y [µm]"); nil otherwise.
    var spatialAspectRatio: Double? {
        let isMap = layers.contains { layer in
            switch layer {
            case .heatmap, .filledContours: return true
            default: return false
            }
        }
        guard isMap, x.scale == .linear, y.scale == .linear, let unit = Self.unit(of: x.label.source),
            unit == Self.unit(of: y.label.source),
            ["nm", "µm", "mm", "cm", "m"].contains(unit)
        else { return nil }
        return 1
    }

    /// The unit in the last square brackets of an axis label.
    static func unit(of label: String) -> String? {
        guard let open = label.lastIndex(of: "["), let close = label.lastIndex(of: "]"), open < close else {
            return nil
        }
        return String(label[label.index(after: open)..<close]).trimmingCharacters(in: .whitespaces)
    }

    /// The colour normalisation of the first colour-mapped layer: map, limits, and band levels if filled contours.
    func colorNorm() -> (map: ColorMap, lo: Double, hi: Double, levels: [Double]?)? {
        for l in layers {
            switch l {
            case .heatmap(let h):
                let r = h.range.resolve(h.field.valueRange)
                return (h.colorMap, r.lo, r.hi, nil)
            case .filledContours(let f):
                let r = f.range.resolve(f.field.valueRange)
                return (f.colorMap, r.lo, r.hi, f.levels)
            default: continue
            }
        }
        return nil
    }
}
