import Foundation

/// A layout defect found in a laid-out figure, with the panel it is in and what collides.
public struct FigureDefect: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case textOverlapsText = "text overlaps text"
        case textOverlapsData = "text overlaps data"
        case clipped = "clipped at the panel edge"
        case outsideFigure = "outside the figure"
        case emptyGridCells = "empty cells in the panel grid"
        case legendCoversData = "legend covers data"
    }

    public let kind: Kind
    /// Panel index (0 = (a)); nil for the figure as a whole.
    public let panel: Int?
    public let detail: String

    public var description: String {
        let place = panel.map { "panel (\(FigureLayout.letter($0)))" } ?? "figure"
        return "\(place): \(kind.rawValue): \(detail)"
    }
}

/// Checks a laid-out figure for what a journal would send back: text over text, a study's labels over lines or
/// markers, markers or labels cut at the panel edge or the figure's, a legend over data, a grid with a whole empty row
/// or column. Works on the layout's marks (`LayoutMark`), so it sees exactly what was drawn.
///
/// Tolerances: two boxes collide when they overlap by more than 0.6 pt both ways (glyph boxes include side bearings
/// and line gap); a label touches a line when more than 1 pt of the line runs through the label's box; a mark is
/// clipped when it crosses its clip rectangle by more than 0.75 pt.
public enum FigureCheck {
    public static let overlapTolerance = 0.6
    public static let lineTolerance = 1.0
    public static let clipTolerance = 0.75

    public static func defects(_ figure: LaidOutFigure) -> [FigureDefect] {
        var defects: [FigureDefect] = []
        let marks = figure.marks
        let texts = marks.filter { $0.role.isText }
        let bounds = Rect(x: 0, y: 0, width: figure.displayList.width, height: figure.displayList.height)

        // Text over text.
        for i in texts.indices {
            for j in texts.indices where j > i {
                let a = texts[i]
                let b = texts[j]
                guard collide(a, b.rect, b.points) else { continue }
                defects.append(
                    FigureDefect(kind: .textOverlapsText, panel: a.panel, detail: "\(describe(a)) and \(describe(b))"))
            }
        }
        // A study's labels over data of their panel.
        for text in texts where labelsMustAvoidData(text.role) {
            for data in marks
            where data.panel == text.panel && data.role.isData && !belongsTogether(text.role, data.role) {
                if covers(text, data) {
                    defects.append(
                        FigureDefect(
                            kind: .textOverlapsData, panel: text.panel,
                            detail: "\(describe(text)) over \(describe(data))"))
                    break
                }
            }
        }
        // The legend over data.
        for legend in marks where legend.role == .legendBox {
            for data in marks
            where data.panel == legend.panel && (data.role.isData || data.role == .annotation)
                && covers(legend.rect, data)
            {
                defects.append(
                    FigureDefect(
                        kind: .legendCoversData, panel: legend.panel, detail: "the legend over \(describe(data))"))
                break
            }
        }
        // Clipped at the panel edge, or outside the figure.
        for mark in marks where mark.role == .marker || mark.role.isText {
            if let clip = mark.clip, crosses(mark.rect, clip) {
                defects.append(FigureDefect(kind: .clipped, panel: mark.panel, detail: describe(mark)))
            } else if crosses(mark.rect, bounds) {
                defects.append(FigureDefect(kind: .outsideFigure, panel: mark.panel, detail: describe(mark)))
            }
        }
        // A whole empty row or column.
        let empty = figure.rows * figure.columns - figure.panels.count
        if empty > 0,
            empty >= figure.columns || (figure.rows > 1 && figure.panels.count <= (figure.rows - 1) * figure.columns)
        {
            defects.append(
                FigureDefect(
                    kind: .emptyGridCells, panel: nil,
                    detail: "\(figure.panels.count) panels in a \(figure.rows) × \(figure.columns) grid"))
        }
        return defects
    }

    /// Labels placed in the data area, which must not sit on lines or markers.
    static func labelsMustAvoidData(_ role: MarkRole) -> Bool {
        switch role {
        case .annotation, .referenceLabel, .contourLabel, .barLabel: return true
        default: return false
        }
    }

    /// A contour's label sits on its own (interrupted) line; a reference line's label beside its line.
    static func belongsTogether(_ text: MarkRole, _ data: MarkRole) -> Bool {
        switch (text, data) {
        case let (.contourLabel(a), .contourLine(b)): return a == b
        case let (.referenceLabel(a), .referenceLine(b)): return a == b
        default: return false
        }
    }

    /// How far two boxes overlap, the smaller of the two directions, less the tolerance (≤ 0: no collision).
    static func overlap(_ a: Rect, _ b: Rect) -> Double {
        let width = min(a.maxX, b.maxX) - max(a.minX, b.minX)
        let height = min(a.maxY, b.maxY) - max(a.minY, b.minY)
        return min(width, height) - overlapTolerance
    }

    /// Whether `mark` crosses the edge of `rect` by more than the clip tolerance while lying partly inside.
    static func crosses(_ inner: Rect, _ outer: Rect) -> Bool {
        let inside =
            inner.maxX > outer.minX && inner.minX < outer.maxX && inner.maxY > outer.minY && inner.minY < outer.maxY
        guard inside else { return false }
        return inner.minX < outer.minX - clipTolerance || inner.maxX > outer.maxX + clipTolerance
            || inner.minY < outer.minY - clipTolerance || inner.maxY > outer.maxY + clipTolerance
    }

    /// Whether a text or legend mark covers a data mark: for a path, more than `lineTolerance` of its (clipped) length
    /// runs through the box; for a marker or bar, they overlap (a turned text by its own outline).
    static func covers(_ cover: Rect, _ data: LayoutMark) -> Bool {
        overlapScore(cover, data) > 0
    }

    static func covers(_ cover: LayoutMark, _ data: LayoutMark) -> Bool {
        guard overlapScore(cover.rect, data) > 0 else { return false }
        if cover.points.count == 4, data.points.count < 2 { return collide(cover, data.rect, []) }
        return true
    }

    /// Whether mark `a` collides with a box (or, with four corners, a turned text): by their outlines (separating
    /// axes), overlapping by more than the tolerance.
    static func collide(_ a: LayoutMark, _ rect: Rect, _ outline: [Point]) -> Bool {
        guard overlap(a.rect, rect) > 0 else { return false }
        let first = a.points.count == 4 ? a.points : corners(of: a.rect)
        let second = outline.count == 4 ? outline : corners(of: rect)
        if a.points.count != 4 && outline.count != 4 { return true }
        for polygon in [first, second] {
            for k in 0..<4 {
                let edge = (polygon[(k + 1) % 4].x - polygon[k].x, polygon[(k + 1) % 4].y - polygon[k].y)
                let length = (edge.0 * edge.0 + edge.1 * edge.1).squareRoot()
                guard length > 0 else { continue }
                let axis = (-edge.1 / length, edge.0 / length)
                let p = first.map { $0.x * axis.0 + $0.y * axis.1 }
                let q = second.map { $0.x * axis.0 + $0.y * axis.1 }
                if min(p.max()!, q.max()!) - max(p.min()!, q.min()!) <= overlapTolerance { return false }
            }
        }
        return true
    }

    static func corners(of rect: Rect) -> [Point] {
        [
            Point(rect.minX, rect.minY), Point(rect.maxX, rect.minY), Point(rect.maxX, rect.maxY),
            Point(rect.minX, rect.maxY),
        ]
    }

    /// How much of `data` lies under `box`: the length of a path inside it (in points, beyond `lineTolerance`), or
    /// for a box-like mark its overlap depth (a marker under a legend counts like 4 pt of line).
    public static func overlapScore(_ box: Rect, _ data: LayoutMark) -> Double {
        var area = box
        if let clip = data.clip {
            let x0 = max(box.minX, clip.minX)
            let x1 = min(box.maxX, clip.maxX)
            let y0 = max(box.minY, clip.minY)
            let y1 = min(box.maxY, clip.maxY)
            guard x1 > x0, y1 > y0 else { return 0 }
            area = Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
        }
        guard data.rect.maxX >= area.minX, data.rect.minX <= area.maxX, data.rect.maxY >= area.minY,
            data.rect.minY <= area.maxY
        else { return 0 }
        if data.points.count >= 2 {
            var length = 0.0
            for k in 1..<data.points.count { length += lengthInside(data.points[k - 1], data.points[k], area) }
            return max(0, length - lineTolerance)
        }
        return overlap(area, data.rect) > 0 ? 4 : 0
    }

    /// Length of the segment a–b inside `rect` (Liang–Barsky clipping).
    static func lengthInside(_ a: Point, _ b: Point, _ rect: Rect) -> Double {
        let dx = b.x - a.x
        let dy = b.y - a.y
        var t0 = 0.0
        var t1 = 1.0
        for (p, q) in [(-dx, a.x - rect.minX), (dx, rect.maxX - a.x), (-dy, a.y - rect.minY), (dy, rect.maxY - a.y)] {
            if p == 0 {
                if q < 0 { return 0 }
            } else {
                let t = q / p
                if p < 0 { t0 = max(t0, t) } else { t1 = min(t1, t) }
                if t0 > t1 { return 0 }
            }
        }
        return (t1 - t0) * (dx * dx + dy * dy).squareRoot()
    }

    static func describe(_ mark: LayoutMark) -> String {
        if mark.role.isText, !mark.text.isEmpty { return "\(kindName(mark)) '\(mark.text)'" }
        return kindName(mark)
    }

    static func kindName(_ mark: LayoutMark) -> String {
        switch mark.role {
        case .tickLabel: return "a tick label"
        case .axisLabel: return "an axis label"
        case .title: return "the title"
        case .panelLetter: return "the panel letter"
        case .colorBarText: return "a colour-bar label"
        case .legendText: return "legend text"
        case .legendBox: return "the legend"
        case .annotation: return "an annotation"
        case .referenceLabel: return "a reference-line label"
        case .referenceLine: return "a reference line"
        case .contourLabel: return "a contour label"
        case .contourLine: return "a contour line"
        case .barLabel, .insideBarLabel: return "a bar label"
        case .dataPath: return "a line"
        case .marker: return String(format: "a marker at (%.0f, %.0f) pt", mark.rect.midX, mark.rect.midY)
        case .bar: return "a bar"
        }
    }
}
