/// Contour extraction on a rectilinear grid of nodes (a `Field2D`'s cell centres).
///
/// Lines: marching squares (W. E. Lorensen and H. E. Cline's cube idea in 2D) with linear interpolation
/// of the crossing on each grid edge; the two saddle cases are resolved by the mean of the four corners.
/// Squares touching a masked node are skipped, so contours stop at holes. Segments are joined into
/// polylines through shared edge crossings, so a closed curve comes back as one closed polyline.
///
/// Filled bands: every square is split into two triangles, on which the field is linear; each triangle is
/// clipped against `lo ≤ v ≤ hi` (Sutherland–Hodgman in value space), which is exact for the linear
/// interpolant. Squares that lie wholly in one band are returned as one quadrilateral. Values below the
/// first or above the last level fall into the first or last band.
public enum ContourGeometry {
    /// A polyline in data coordinates.
    public struct Polyline: Sendable, Equatable {
        public var points: [Point]
        public var isClosed: Bool
    }

    /// A filled polygon in data coordinates belonging to band `band` (between levels[band] and levels[band+1]).
    public struct BandPolygon: Sendable, Equatable {
        public var band: Int
        public var points: [Point]
    }

    /// Contour lines of `field` at `level`.
    public static func lines(_ field: Field2D, level: Double) -> [Polyline] {
        let nx = field.nx
        let ny = field.ny
        guard nx >= 2, ny >= 2 else { return [] }
        // Crossing points indexed by edge id: horizontal edge (i,j)–(i+1,j) → 2(j·nx+i); vertical (i,j)–(i,j+1) → 2(j·nx+i)+1.
        let edgeCount = 2 * nx * ny
        var crossing = [Point](repeating: Point(.nan, .nan), count: edgeCount)
        var segments: [(Int, Int)] = []
        let values = field.values
        let mask = field.mask
        let xs = field.x
        let ys = field.y
        @inline(__always) func masked(_ k: Int) -> Bool { mask?[k] ?? false }
        @inline(__always) func cross(_ id: Int) {
            guard crossing[id].x.isNaN else { return }
            let k = id / 2
            let i = k % nx
            let j = k / nx
            let k2 = id % 2 == 0 ? k + 1 : k + nx
            let (i2, j2) = id % 2 == 0 ? (i + 1, j) : (i, j + 1)
            let va = values[k]
            let vb = values[k2]
            let t = va == vb ? 0.5 : (level - va) / (vb - va)
            crossing[id] = Point(xs[i] + t * (xs[i2] - xs[i]), ys[j] + t * (ys[j2] - ys[j]))
        }
        for j in 0..<(ny - 1) {
            for i in 0..<(nx - 1) {
                let k0 = j * nx + i
                let k1 = k0 + 1
                let k3 = k0 + nx
                let k2 = k3 + 1
                if mask != nil, masked(k0) || masked(k1) || masked(k2) || masked(k3) { continue }
                let v0 = values[k0]
                let v1 = values[k1]
                let v2 = values[k2]
                let v3 = values[k3]
                var index = 0
                if v0 >= level { index |= 1 }
                if v1 >= level { index |= 2 }
                if v2 >= level { index |= 4 }
                if v3 >= level { index |= 8 }
                if index == 0 || index == 15 { continue }
                let bottom = 2 * k0
                let top = 2 * k3
                let left = 2 * k0 + 1
                let right = 2 * k1 + 1
                let centreAbove = (v0 + v1 + v2 + v3) / 4 >= level
                func add(_ a: Int, _ b: Int) {
                    cross(a)
                    cross(b)
                    segments.append((a, b))
                }
                switch index {
                case 1, 14: add(left, bottom)
                case 2, 13: add(bottom, right)
                case 3, 12: add(left, right)
                case 4, 11: add(right, top)
                case 6, 9: add(bottom, top)
                case 7, 8: add(left, top)
                case 5:
                    if centreAbove {
                        add(bottom, right)
                        add(top, left)
                    } else {
                        add(left, bottom)
                        add(right, top)
                    }
                case 10:
                    if centreAbove {
                        add(left, bottom)
                        add(right, top)
                    } else {
                        add(bottom, right)
                        add(top, left)
                    }
                default: break
                }
            }
        }
        return join(segments, crossing, edgeCount: edgeCount)
    }

    /// Joins segments that share an edge crossing into polylines (deterministic order). Every edge
    /// crossing belongs to at most two segments, so adjacency is two slots per edge.
    static func join(_ segments: [(Int, Int)], _ crossing: [Point], edgeCount: Int) -> [Polyline] {
        var slotA = [Int32](repeating: -1, count: edgeCount)
        var slotB = slotA
        for (k, s) in segments.enumerated() {
            for e in [s.0, s.1] { if slotA[e] < 0 { slotA[e] = Int32(k) } else { slotB[e] = Int32(k) } }
        }
        var used = [Bool](repeating: false, count: segments.count)
        func degree(_ e: Int) -> Int { (slotA[e] >= 0 ? 1 : 0) + (slotB[e] >= 0 ? 1 : 0) }
        func next(from edge: Int) -> (segment: Int, other: Int)? {
            for k in [Int(slotA[edge]), Int(slotB[edge])] where k >= 0 && !used[k] {
                let s = segments[k]
                return (k, s.0 == edge ? s.1 : s.0)
            }
            return nil
        }
        var result: [Polyline] = []
        func walk(from start: Int) {
            used[start] = true
            var (head, tail) = segments[start]
            if degree(tail) == 1 { swap(&head, &tail) }
            var chain = [head, tail]
            var current = tail
            while let (k, other) = next(from: current) {
                used[k] = true
                chain.append(other)
                current = other
            }
            current = chain[0]
            var prefix: [Int] = []
            while let (k, other) = next(from: current) {
                used[k] = true
                prefix.append(other)
                current = other
            }
            if !prefix.isEmpty { chain = prefix.reversed() + chain }
            let closed = chain.count > 2 && chain.first == chain.last
            if closed { chain.removeLast() }
            result.append(Polyline(points: chain.map { crossing[$0] }, isClosed: closed))
        }
        // Open chains first (they start at boundary or mask ends), then the closed loops.
        for (k, s) in segments.enumerated() where !used[k] && (degree(s.0) == 1 || degree(s.1) == 1) { walk(from: k) }
        for k in segments.indices where !used[k] { walk(from: k) }
        return result
    }

    /// Filled-contour polygons for the bands between consecutive `levels`.
    public static func bands(_ field: Field2D, levels: [Double]) -> [BandPolygon] {
        let nx = field.nx
        let ny = field.ny
        guard nx >= 2, ny >= 2, levels.count >= 2 else { return [] }
        let nBands = levels.count - 1
        func band(of v: Double) -> Int {
            var b = 0
            while b < nBands - 1 && v >= levels[b + 1] { b += 1 }
            return b
        }
        var out: [BandPolygon] = []
        for j in 0..<(ny - 1) {
            for i in 0..<(nx - 1) {
                let corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)]
                if corners.contains(where: { field.isMasked($0.0, $0.1) }) { continue }
                let vals = corners.map { field.value($0.0, $0.1) }
                let pts = corners.map { Point(field.x[$0.0], field.y[$0.1]) }
                let bandsHere = Set(vals.map(band(of:)))
                if bandsHere.count == 1 {
                    out.append(BandPolygon(band: bandsHere.first!, points: pts))
                    continue
                }
                for tri in [[0, 1, 2], [0, 2, 3]] {
                    let poly = tri.map { (pts[$0], vals[$0]) }
                    let bs = tri.map { band(of: vals[$0]) }
                    for b in bs.min()!...bs.max()! {
                        let lo = b == 0 ? -Double.infinity : levels[b]
                        let hi = b == nBands - 1 ? Double.infinity : levels[b + 1]
                        let clipped = clip(clip(poly, keepAbove: lo), keepBelow: hi)
                        if clipped.count >= 3 { out.append(BandPolygon(band: b, points: clipped.map(\.0))) }
                    }
                }
            }
        }
        return out
    }

    typealias ValuedPoint = (Point, Double)

    static func clip(_ poly: [ValuedPoint], keepAbove lo: Double) -> [ValuedPoint] {
        guard lo > -Double.infinity else { return poly }
        return clip(poly) {
            $0 >= lo
        } level: { _ in
            lo
        }
    }

    static func clip(_ poly: [ValuedPoint], keepBelow hi: Double) -> [ValuedPoint] {
        guard hi < Double.infinity else { return poly }
        return clip(poly) {
            $0 <= hi
        } level: { _ in
            hi
        }
    }

    private static func clip(_ poly: [ValuedPoint], inside: (Double) -> Bool, level: (Double) -> Double)
        -> [ValuedPoint]
    {
        var out: [ValuedPoint] = []
        for k in poly.indices {
            let a = poly[k]
            let b = poly[(k + 1) % poly.count]
            let ia = inside(a.1)
            let ib = inside(b.1)
            if ia { out.append(a) }
            if ia != ib {
                let l = level(a.1)
                let t = (l - a.1) / (b.1 - a.1)
                out.append((Point(a.0.x + t * (b.0.x - a.0.x), a.0.y + t * (b.0.y - a.0.y)), l))
            }
        }
        return out
    }
}
