/// Everything that can be wrong with a figure description. Thrown before anything is drawn, so a bad
/// figure never produces a blank or half-drawn file. `description` names the panel, the series and the
/// problem.
public enum PlotError: Error, Equatable, CustomStringConvertible {
    case emptySeries(panel: Int, series: String)
    case nonFinite(panel: Int, series: String, array: String, index: Int, value: Double)
    case sizeMismatch(panel: Int, series: String, what: String, expected: Int, got: Int)
    case nonPositiveOnLogAxis(panel: Int, series: String, axis: String, index: Int, value: Double)
    case unknownColorMap(name: String, known: [String])
    case invalidLevels(panel: Int, series: String, reason: String)
    case invalidAxis(panel: Int, axis: String, reason: String)
    case invalidFigure(reason: String)

    public var description: String {
        switch self {
        case let .emptySeries(p, s):
            return "panel \(p + 1), \(s): the series has no data points"
        case let .nonFinite(p, s, a, i, v):
            return
                "panel \(p + 1), \(s): \(a)[\(i)] = \(v) is not a finite number (NaN and infinity cannot be plotted; mask the cell or drop the point)"
        case let .sizeMismatch(p, s, w, e, g):
            return "panel \(p + 1), \(s): \(w) has \(g) entries, expected \(e)"
        case let .nonPositiveOnLogAxis(p, s, a, i, v):
            return
                "panel \(p + 1), \(s): value \(v) at index \(i) is not positive, but the \(a) axis is logarithmic (allowed: > 0)"
        case let .unknownColorMap(n, k):
            return "unknown colour map '\(n)' (known: \(k.joined(separator: ", ")), diverging)"
        case let .invalidLevels(p, s, r):
            return "panel \(p + 1), \(s): \(r)"
        case let .invalidAxis(p, a, r):
            return "panel \(p + 1), \(a) axis: \(r)"
        case let .invalidFigure(r):
            return "figure: \(r)"
        }
    }
}

extension Figure {
    /// Checks the whole description; throws the first problem found.
    public func validate() throws {
        guard rows >= 1, columns >= 1 else {
            throw PlotError.invalidFigure(reason: "grid is \(rows) × \(columns); rows and columns must be ≥ 1")
        }
        guard !panels.isEmpty else { throw PlotError.invalidFigure(reason: "no panels") }
        guard panels.count <= rows * columns else {
            throw PlotError.invalidFigure(reason: "\(panels.count) panels do not fit a \(rows) × \(columns) grid")
        }
        guard width.points > 20, height.points > 20, width.points.isFinite, height.points.isFinite else {
            throw PlotError.invalidFigure(
                reason: "size \(width.centimetres) × \(height.centimetres) cm is too small (allowed: > 0.7 cm each way)"
            )
        }
        for (p, panel) in panels.enumerated() { try panel.validate(index: p) }
    }
}

extension Panel {
    func validate(index p: Int) throws {
        for (name, axis) in [("x", x), ("y", y)] + (y2.map { [("right y", $0)] } ?? []) {
            if let l = axis.limits {
                guard l.lowerBound.isFinite, l.upperBound.isFinite, l.lowerBound < l.upperBound else {
                    throw PlotError.invalidAxis(
                        panel: p, axis: name, reason: "limits \(l) must be finite with lower < upper")
                }
                if axis.scale == .log10, l.lowerBound <= 0 {
                    throw PlotError.invalidAxis(
                        panel: p, axis: name, reason: "limits \(l) must be > 0 on a logarithmic axis")
                }
            }
        }
        for (name, axis) in [("x", x), ("y", y)] {
            if let labels = axis.tickLabels, labels.count != (axis.ticks?.count ?? -1) {
                throw PlotError.invalidAxis(
                    panel: p, axis: name, reason: "\(labels.count) tick labels for \(axis.ticks?.count ?? 0) ticks")
            }
        }
        if let cb = colorBar, let labels = cb.tickLabels, labels.count != (cb.ticks?.count ?? -1) {
            throw PlotError.invalidAxis(
                panel: p, axis: "colour bar", reason: "\(labels.count) tick labels for \(cb.ticks?.count ?? 0) ticks")
        }
        let hasBars = layers.contains {
            if case .bars = $0 { return true }
            return false
        }
        if hasBars, x.scale == .log10 {
            throw PlotError.invalidAxis(panel: p, axis: "x", reason: "bar charts need a linear categorical x axis")
        }
        for (k, layer) in layers.enumerated() { try validate(layer, number: k, panel: p) }
    }

    private func yScale(_ side: YAxisSide, panel p: Int, series: String) throws -> Scale {
        if side == .right {
            guard let y2 else {
                throw PlotError.invalidAxis(
                    panel: p, axis: "right y",
                    reason: "\(series) is plotted against the right y axis, but the panel has no y2 axis")
            }
            return y2.scale
        }
        return y.scale
    }

    private func check(_ values: [Double], _ name: String, series: String, panel p: Int, scale: Scale, axis: String)
        throws
    {
        for (i, v) in values.enumerated() {
            guard v.isFinite else {
                throw PlotError.nonFinite(panel: p, series: series, array: name, index: i, value: v)
            }
            if scale == .log10, v <= 0 {
                throw PlotError.nonPositiveOnLogAxis(panel: p, series: series, axis: axis, index: i, value: v)
            }
        }
    }

    private func validate(_ layer: Layer, number k: Int, panel p: Int) throws {
        switch layer {
        case .line(let l):
            let name = "line \(l.label.map { "'\($0)'" } ?? "#\(k + 1)")"
            guard !l.x.isEmpty else { throw PlotError.emptySeries(panel: p, series: name) }
            guard l.x.count == l.y.count else {
                throw PlotError.sizeMismatch(panel: p, series: name, what: "y", expected: l.x.count, got: l.y.count)
            }
            try check(l.x, "x", series: name, panel: p, scale: x.scale, axis: "x")
            try check(l.y, "y", series: name, panel: p, scale: try yScale(l.axis, panel: p, series: name), axis: "y")
        case .scatter(let s):
            let name = "scatter \(s.label.map { "'\($0)'" } ?? "#\(k + 1)")"
            guard !s.x.isEmpty else { throw PlotError.emptySeries(panel: p, series: name) }
            guard s.x.count == s.y.count else {
                throw PlotError.sizeMismatch(panel: p, series: name, what: "y", expected: s.x.count, got: s.y.count)
            }
            try check(s.x, "x", series: name, panel: p, scale: x.scale, axis: "x")
            let ys = try yScale(s.axis, panel: p, series: name)
            try check(s.y, "y", series: name, panel: p, scale: ys, axis: "y")
            for (errs, label, count) in [(s.yError, "yError", s.y.count), (s.xError, "xError", s.x.count)] {
                guard let errs else { continue }
                guard errs.count == count else {
                    throw PlotError.sizeMismatch(panel: p, series: name, what: label, expected: count, got: errs.count)
                }
                for (i, e) in errs.enumerated() where !(e.isFinite && e >= 0) {
                    throw PlotError.nonFinite(
                        panel: p, series: name, array: label + " (must be finite and ≥ 0)", index: i, value: e)
                }
            }
        case .area(let a):
            let name = "area \(a.label.map { "'\($0)'" } ?? "#\(k + 1)")"
            guard !a.x.isEmpty else { throw PlotError.emptySeries(panel: p, series: name) }
            guard a.lower.count == a.x.count else {
                throw PlotError.sizeMismatch(
                    panel: p, series: name, what: "lower", expected: a.x.count, got: a.lower.count)
            }
            guard a.upper.count == a.x.count else {
                throw PlotError.sizeMismatch(
                    panel: p, series: name, what: "upper", expected: a.x.count, got: a.upper.count)
            }
            try check(a.x, "x", series: name, panel: p, scale: x.scale, axis: "x")
            try check(a.lower, "lower", series: name, panel: p, scale: y.scale, axis: "y")
            try check(a.upper, "upper", series: name, panel: p, scale: y.scale, axis: "y")
        case .heatmap(let h):
            try validate(field: h.field, name: "heatmap #\(k + 1)", panel: p)
            if case .fixed(let a, let b) = h.range, !(a < b && a.isFinite && b.isFinite) {
                throw PlotError.invalidLevels(
                    panel: p, series: "heatmap #\(k + 1)",
                    reason: "colour range \(a)…\(b) must be finite with lower < upper")
            }
        case .contours(let c):
            try validate(field: c.field, name: "contours #\(k + 1)", panel: p)
            try validate(levels: c.levels, name: "contours #\(k + 1)", panel: p, minimum: 1)
        case .filledContours(let c):
            try validate(field: c.field, name: "filled contours #\(k + 1)", panel: p)
            try validate(levels: c.levels, name: "filled contours #\(k + 1)", panel: p, minimum: 2)
        case .bars(let b):
            guard !b.categories.isEmpty, !b.series.isEmpty else {
                throw PlotError.emptySeries(panel: p, series: "bar chart #\(k + 1)")
            }
            for s in b.series {
                let name = "bar series '\(s.label)'"
                guard s.values.count == b.categories.count else {
                    throw PlotError.sizeMismatch(
                        panel: p, series: name, what: "values", expected: b.categories.count, got: s.values.count)
                }
                try check(
                    s.values, "values", series: name, panel: p, scale: try yScale(s.axis, panel: p, series: name),
                    axis: "y")
                if b.mode == .stacked, s.values.contains(where: { $0 < 0 }) {
                    throw PlotError.invalidLevels(panel: p, series: name, reason: "stacked bars need values ≥ 0")
                }
                if s.lower != nil || s.upper != nil {
                    guard b.mode == .grouped, let lower = s.lower, let upper = s.upper else {
                        throw PlotError.invalidLevels(
                            panel: p, series: name, reason: "intervals need both lower and upper ends, on grouped bars")
                    }
                    for (what, ends) in [("lower", lower), ("upper", upper)] {
                        guard ends.count == b.categories.count else {
                            throw PlotError.sizeMismatch(
                                panel: p, series: name, what: "interval \(what) ends", expected: b.categories.count,
                                got: ends.count)
                        }
                        try check(
                            ends, "interval \(what) ends", series: name, panel: p,
                            scale: try yScale(s.axis, panel: p, series: name), axis: "y")
                    }
                    if zip(lower, upper).contains(where: { $0 > $1 }) {
                        throw PlotError.invalidLevels(
                            panel: p, series: name, reason: "an interval's lower end lies above its upper end")
                    }
                }
            }
            for t in b.targets {
                guard t.values.count == b.categories.count else {
                    throw PlotError.sizeMismatch(
                        panel: p, series: "target '\(t.label)'", what: "values", expected: b.categories.count,
                        got: t.values.count)
                }
                try check(
                    t.values, "values", series: "target '\(t.label)'", panel: p,
                    scale: try yScale(t.axis, panel: p, series: t.label), axis: "y")
            }
        case .reference(let r):
            let scale = r.orientation == .vertical ? x.scale : try yScale(r.axis, panel: p, series: "reference line")
            try check(
                [r.value], "value", series: "reference line #\(k + 1)", panel: p, scale: scale,
                axis: r.orientation == .vertical ? "x" : "y")
        case .annotation(let a):
            let name = "annotation '\(a.text.plainText)'"
            try check([a.x], "x", series: name, panel: p, scale: x.scale, axis: "x")
            try check([a.y], "y", series: name, panel: p, scale: y.scale, axis: "y")
            if let t = a.arrowTo {
                try check([t.x], "arrow x", series: name, panel: p, scale: x.scale, axis: "x")
                try check([t.y], "arrow y", series: name, panel: p, scale: y.scale, axis: "y")
            }
        }
    }

    private func validate(levels: [Double], name: String, panel p: Int, minimum: Int) throws {
        guard levels.count >= minimum else {
            throw PlotError.invalidLevels(
                panel: p, series: name, reason: "needs at least \(minimum) level(s), got \(levels.count)")
        }
        for (i, v) in levels.enumerated() where !v.isFinite {
            throw PlotError.nonFinite(panel: p, series: name, array: "levels", index: i, value: v)
        }
        for i in levels.indices.dropFirst() where levels[i] <= levels[i - 1] {
            throw PlotError.invalidLevels(
                panel: p, series: name,
                reason: "levels must increase strictly (levels[\(i)] = \(levels[i]) ≤ \(levels[i - 1]))")
        }
    }

    private func validate(field f: Field2D, name: String, panel p: Int) throws {
        guard f.nx >= 1, f.ny >= 1 else { throw PlotError.emptySeries(panel: p, series: name) }
        guard f.values.count == f.nx * f.ny else {
            throw PlotError.sizeMismatch(
                panel: p, series: name, what: "values", expected: f.nx * f.ny, got: f.values.count)
        }
        if let m = f.mask, m.count != f.values.count {
            throw PlotError.sizeMismatch(panel: p, series: name, what: "mask", expected: f.values.count, got: m.count)
        }
        let xEdges = f.xEdges(x.scale)
        let yEdges = f.yEdges(y.scale)
        guard xEdges.count == f.nx + 1 else {
            throw PlotError.sizeMismatch(panel: p, series: name, what: "x edges", expected: f.nx + 1, got: xEdges.count)
        }
        guard yEdges.count == f.ny + 1 else {
            throw PlotError.sizeMismatch(panel: p, series: name, what: "y edges", expected: f.ny + 1, got: yEdges.count)
        }
        try check(f.x, "x", series: name, panel: p, scale: x.scale, axis: "x")
        try check(f.y, "y", series: name, panel: p, scale: y.scale, axis: "y")
        try check(xEdges, "x edges", series: name, panel: p, scale: x.scale, axis: "x")
        try check(yEdges, "y edges", series: name, panel: p, scale: y.scale, axis: "y")
        for (label, e) in [("x edges", xEdges), ("y edges", yEdges)] {
            for i in e.indices.dropFirst() where e[i] <= e[i - 1] {
                throw PlotError.invalidLevels(
                    panel: p, series: name, reason: "\(label) must increase strictly (index \(i))")
            }
        }
        for k in f.values.indices where !(f.mask?[k] ?? false) && !f.values[k].isFinite {
            throw PlotError.nonFinite(
                panel: p, series: name, array: "values (cell i=\(k % f.nx), j=\(k / f.nx))", index: k,
                value: f.values[k])
        }
    }
}
