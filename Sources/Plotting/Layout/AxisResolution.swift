import Foundation

/// An axis with its limits and ticks decided.
struct ResolvedAxis {
    var scale: Scale
    var lo: Double
    var hi: Double
    var ticks: [Tick]
    var label: RichText
    var showTickLabels: Bool
    var showLabel: Bool
    var gridLines: Bool
    var reversed: Bool
}

/// How a data range was produced, which decides how limits are rounded.
enum RangeKind { case curve, field, category, bars }

/// A data extent along one axis.
struct DataExtent {
    var lo: Double
    var hi: Double
    var kind: RangeKind

    mutating func merge(_ other: DataExtent) {
        lo = min(lo, other.lo)
        hi = max(hi, other.hi)
        if other.kind == .field || kind == .field {
            kind = .field
        } else if other.kind == .category || kind == .category {
            kind = .category
        } else if other.kind == .bars || kind == .bars {
            kind = .bars
        }
    }
}

enum AxisRole { case x, yLeft, yRight }

extension Panel {
    /// The union of every layer's extent along one axis, nil if no layer has data there.
    func dataExtent(_ role: AxisRole) -> DataExtent? {
        let scale: Scale = role == .x ? x.scale : (role == .yLeft ? y.scale : (y2?.scale ?? .linear))
        var result: DataExtent?
        func add(_ values: [Double], _ kind: RangeKind) {
            var lo = Double.infinity
            var hi = -Double.infinity
            for v in values where v.isFinite && (scale == .linear || v > 0) {
                lo = min(lo, v)
                hi = max(hi, v)
            }
            guard lo <= hi else { return }
            let e = DataExtent(lo: lo, hi: hi, kind: kind)
            if result == nil { result = e } else { result!.merge(e) }
        }
        func side(_ s: YAxisSide) -> Bool { role == .x || (role == .yLeft) == (s == .left) }
        for layer in layers {
            switch layer {
            case .line(let l):
                guard side(l.axis) else { continue }
                add(role == .x ? l.x : l.y, .curve)
            case .scatter(let s):
                guard side(s.axis) else { continue }
                if role == .x {
                    let e = s.xError ?? []
                    add(s.x.enumerated().flatMap { i, v in e.isEmpty ? [v] : [v - e[i], v + e[i]] }, .curve)
                } else {
                    let e = s.yError ?? []
                    add(s.y.enumerated().flatMap { i, v in e.isEmpty ? [v] : [v - e[i], v + e[i]] }, .curve)
                }
            case .area(let a):
                guard role != .yRight else { continue }
                add(role == .x ? a.x : a.lower + a.upper, .curve)
            case .heatmap(let h):
                guard role != .yRight else { continue }
                add(role == .x ? h.field.xEdges(x.scale) : h.field.yEdges(y.scale), .field)
            case .contours(let c):
                guard role != .yRight else { continue }
                add(role == .x ? [c.field.x.first!, c.field.x.last!] : [c.field.y.first!, c.field.y.last!], .field)
            case .filledContours(let c):
                guard role != .yRight else { continue }
                add(role == .x ? [c.field.x.first!, c.field.x.last!] : [c.field.y.first!, c.field.y.last!], .field)
            case .bars(let b):
                if role == .x {
                    add([-0.5, Double(b.categories.count) - 0.5], .category)
                } else {
                    let wanted: YAxisSide = role == .yLeft ? .left : .right
                    let ser = b.series.filter { $0.axis == wanted }
                    var values: [Double] = []
                    if b.mode == .stacked {
                        for c in b.categories.indices { values.append(ser.reduce(0) { $0 + $1.values[c] }) }
                    } else {
                        values = ser.flatMap(\.values) + ser.flatMap { ($0.lower ?? []) + ($0.upper ?? []) }
                    }
                    values += b.targets.filter { $0.axis == wanted }.flatMap(\.values)
                    if !values.isEmpty, scale == .linear { values.append(0) }
                    add(values, .bars)
                }
            case .reference(let r):
                if role == .x, r.orientation == .vertical { add([r.value], .curve) }
                if role != .x, r.orientation == .horizontal, side(r.axis) { add([r.value], .curve) }
            case .annotation(let a):
                guard role != .yRight else { continue }
                var v = [role == .x ? a.x : a.y]
                if let t = a.arrowTo { v.append(role == .x ? t.x : t.y) }
                add(v, .curve)
            }
        }
        return result
    }

    var hasBars: Bool {
        layers.contains {
            if case .bars = $0 { return true }
            return false
        }
    }

    var barCategories: [String]? {
        for l in layers { if case .bars(let b) = l { return b.categories } }
        return nil
    }
}

enum AxisResolver {
    /// Decides limits and ticks for one axis.
    ///
    /// `extent` is the (possibly shared) data extent, `target` the wished number of major ticks.
    static func resolve(
        _ axis: Axis, extent: DataExtent?, target: Int, categories: [String]?,
        showTickLabels: Bool, showLabel: Bool
    ) -> ResolvedAxis {
        var lo: Double
        var hi: Double
        var step: Double?  // when limits were rounded to a nice step, ticks reuse it
        let kind = extent?.kind ?? .curve
        if let l = axis.limits {
            lo = l.lowerBound
            hi = l.upperBound
        } else if let e = extent {
            lo = e.lo
            hi = e.hi
            switch (axis.scale, kind) {
            case (_, .field), (_, .category):
                break
            case (.log10, _):
                if lo == hi {
                    lo /= 2
                    hi *= 2
                }
                let a = floor(log10(lo) + 1e-9)
                let b = ceil(log10(hi) - 1e-9)
                if axis.niceLimits, b - a >= 1 {
                    lo = pow(10, a)
                    hi = pow(10, b)
                }
            case (.linear, .bars):
                hi += 0.12 * (hi - lo)  // head-room for value labels
                let n = TickGenerator.niceLimits(lo: lo, hi: hi, target: target)
                step = TickGenerator.niceStep(lo: lo, hi: hi, target: target)
                lo = n.lo
                hi = n.hi
            case (.linear, .curve):
                if axis.niceLimits {
                    let n = TickGenerator.niceLimits(lo: lo, hi: hi, target: target)
                    if lo != hi { step = TickGenerator.niceStep(lo: lo, hi: hi, target: target) }
                    lo = n.lo
                    hi = n.hi
                } else if lo == hi {
                    lo -= 0.5
                    hi += 0.5
                }
            default: break
            }
        } else {
            lo = axis.scale == .log10 ? 1 : 0
            hi = axis.scale == .log10 ? 10 : 1
        }
        if lo == hi {
            lo -= 0.5
            hi += 0.5
        }

        var ticks: [Tick]
        if let cats = categories, axis.ticks == nil {
            ticks = cats.enumerated().map { Tick(value: Double($0.offset), label: RichText($0.element)) }
        } else if let explicit = axis.ticks, let names = axis.tickLabels, names.count == explicit.count {
            ticks = zip(explicit, names).map { Tick(value: $0, label: $1) }
        } else if let explicit = axis.ticks {
            let sorted = explicit.sorted()
            let step = zip(sorted, sorted.dropFirst()).map { $1 - $0 }.min() ?? max(abs(lo), abs(hi), 1)
            let magnitude = max(abs(lo), abs(hi))
            ticks = explicit.map { v in
                let label =
                    axis.scale == .log10
                    ? (abs(log10(v) - log10(v).rounded()) < 1e-9
                        ? TickGenerator.decadeLabel(Int(log10(v).rounded()))
                        : TickGenerator.format(v, step: pow(10, floor(log10(v))), magnitude: v))
                    : TickGenerator.format(v, step: step, magnitude: magnitude)
                return Tick(value: v, label: RichText(label))
            }
        } else if axis.scale == .log10 {
            ticks = TickGenerator.logTicks(lo: lo, hi: hi)
        } else {
            let s = step ?? TickGenerator.niceStep(lo: lo, hi: hi, target: target)
            ticks =
                TickGenerator.linearTicks(lo: lo, hi: hi, step: s)
                + TickGenerator.linearMinorTicks(lo: lo, hi: hi, step: s)
        }
        let eps = 1e-9 * max(abs(hi - lo), 1e-300)
        ticks = ticks.filter {
            axis.scale == .log10
                ? ($0.value >= lo * (1 - 1e-9) && $0.value <= hi * (1 + 1e-9))
                : ($0.value >= lo - eps && $0.value <= hi + eps)
        }
        return ResolvedAxis(
            scale: axis.scale, lo: lo, hi: hi, ticks: ticks, label: axis.label,
            showTickLabels: showTickLabels, showLabel: showLabel && !axis.label.isEmpty,
            gridLines: axis.gridLines, reversed: axis.reversed)
    }
}
