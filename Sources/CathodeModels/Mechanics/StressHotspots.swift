import Foundation

/// The microstructural feature next to a stress hotspot (physics.md §4.6), in order of precedence.
public enum HotspotFeature: String, Sendable, Codable, CaseIterable {
    case crackTip = "crack tip"
    case crackFlank = "crack flank"
    case poreEdge = "pore edge"
    case nonContactEdge = "non-contact edge"
    case grainBoundary = "grain boundary"
    case interface = "interface"
    case bulk = "bulk"
}

/// One tensile hotspot: a local maximum of σ_max = max(σ₁, σ_zz).
public struct StressHotspot: Sendable, Codable, Equatable {
    /// Position of the cell centre [m]: x through the thickness, y along the interface.
    public var x: Double, y: Double
    /// σ_max in the cell, and its mean over a disc of radius `discRadius` [Pa]. The cell value at a sharp
    /// crack tip or staircase corner grows under refinement (a singularity); compare the disc mean across meshes.
    public var peak: Double, discMean: Double
    public var theta: Double
    public var feature: HotspotFeature
}

/// A connected group of hole cells, classified as a crack (elongated, aspect ≥ 3) or a pore.
public struct HoleFeature: Sendable, Equatable {
    public var cells: [Int]
    public var isCrack: Bool
    /// The two ends of a crack along its major axis (x, y) [m]; empty for pores.
    public var tips: [(Double, Double)]
    public static func == (a: HoleFeature, b: HoleFeature) -> Bool { a.cells == b.cells && a.isCrack == b.isCrack }
}

/// Finds tensile hotspots and the features they sit at (physics.md §4.6).
public enum StressHotspots {
    /// Connected components (4-neighbour, periodic in y when the microstructure is) of the hole cells, with
    /// principal axes from the second moments of the cell centres; aspect = major/minor extent.
    public static func holeFeatures(_ m: Microstructure) -> [HoleFeature] {
        var label = [Int](repeating: -1, count: m.nx * m.ny)
        var features: [HoleFeature] = []
        for start in 0..<(m.nx * m.ny) where m.hole[start] && label[start] < 0 {
            var cells = [start]
            label[start] = features.count
            var head = 0
            while head < cells.count {
                let k = cells[head]
                head += 1
                let i = k / m.ny
                let j = k % m.ny
                for (di, dj) in [(-1, 0), (1, 0), (0, -1), (0, 1)] {
                    let ii = i + di
                    var jj = j + dj
                    guard ii >= 0, ii < m.nx else { continue }
                    if jj < 0 || jj >= m.ny {
                        guard m.periodic else { continue }
                        jj = (jj + m.ny) % m.ny
                    }
                    let q = m.index(ii, jj)
                    if m.hole[q] && label[q] < 0 {
                        label[q] = features.count
                        cells.append(q)
                    }
                }
            }
            // Unwrapped centres relative to the first cell (periodic y).
            let j0 = Double(cells[0] % m.ny)
            let pts = cells.map { k -> (Double, Double) in
                var dj = Double(k % m.ny) - j0
                if m.periodic {
                    if dj > Double(m.ny) / 2 {
                        dj -= Double(m.ny)
                    } else if dj < -Double(m.ny) / 2 {
                        dj += Double(m.ny)
                    }
                }
                return ((Double(k / m.ny) + 0.5) * m.dx, (j0 + dj + 0.5) * m.dy)
            }
            let n = Double(pts.count)
            let mx = pts.reduce(0) { $0 + $1.0 } / n
            let my = pts.reduce(0) { $0 + $1.1 } / n
            var sxx = 0.0
            var syy = 0.0
            var sxy = 0.0
            for p in pts {
                sxx += (p.0 - mx) * (p.0 - mx)
                syy += (p.1 - my) * (p.1 - my)
                sxy += (p.0 - mx) * (p.1 - my)
            }
            let angle = 0.5 * atan2(2 * sxy, sxx - syy)
            let (ux, uy) = (cos(angle), sin(angle))
            let along = pts.map { ($0.0 - mx) * ux + ($0.1 - my) * uy }
            let across = pts.map { -($0.0 - mx) * uy + ($0.1 - my) * ux }
            let cellSize = (m.dx * m.dy).squareRoot()
            let major = (along.max()! - along.min()!) + cellSize
            let minor = (across.max()! - across.min()!) + cellSize
            let isCrack = major >= 3 * minor
            var tips: [(Double, Double)] = []
            if isCrack {
                for end in [along.min()! - 0.5 * cellSize, along.max()! + 0.5 * cellSize] {
                    var y = my + end * uy
                    if m.periodic {
                        y = (y.truncatingRemainder(dividingBy: m.width) + m.width).truncatingRemainder(
                            dividingBy: m.width)
                    }
                    tips.append((mx + end * ux, y))
                }
            }
            features.append(HoleFeature(cells: cells, isCrack: isCrack, tips: tips))
        }
        return features
    }

    /// The `count` largest local maxima of σ_max > 0 (cells at least as large as their solid 8-neighbours),
    /// at least `separation` apart, largest first; each with its disc mean and nearest feature within two cells.
    public static func find(
        _ field: StressField, microstructure m: Microstructure, count: Int = 10,
        separation: Double = 1e-6, discRadius: Double = 0.25e-6
    ) -> [StressHotspot] {
        let smax = field.maximumPrincipal
        let features = holeFeatures(m)
        var crackOf = [Int](repeating: -1, count: m.nx * m.ny)
        for (f, feature) in features.enumerated() { for k in feature.cells { crackOf[k] = feature.isCrack ? f : -2 } }
        func centre(_ k: Int) -> (Double, Double) { ((Double(k / m.ny) + 0.5) * m.dx, (Double(k % m.ny) + 0.5) * m.dy) }
        func distance(_ a: (Double, Double), _ b: (Double, Double)) -> Double {
            var dy = abs(a.1 - b.1)
            if m.periodic { dy = min(dy, m.width - dy) }
            return ((a.0 - b.0) * (a.0 - b.0) + dy * dy).squareRoot()
        }
        func neighbours(_ k: Int, radius r: Int) -> [Int] {
            let i = k / m.ny
            let j = k % m.ny
            var out: [Int] = []
            for di in -r...r {
                for dj in -r...r where di != 0 || dj != 0 {
                    let ii = i + di
                    var jj = j + dj
                    guard ii >= 0, ii < m.nx else { continue }
                    if jj < 0 || jj >= m.ny {
                        guard m.periodic else { continue }
                        jj = (jj + m.ny) % m.ny
                    }
                    out.append(m.index(ii, jj))
                }
            }
            return out
        }
        var candidates: [Int] = []
        for k in 0..<(m.nx * m.ny) where !m.hole[k] && smax[k] > 0 {
            if neighbours(k, radius: 1).allSatisfy({ m.hole[$0] || smax[$0] <= smax[k] }) { candidates.append(k) }
        }
        candidates.sort { (smax[$0], -$0) > (smax[$1], -$1) }
        var chosen: [Int] = []
        for k in candidates where chosen.count < count {
            if chosen.allSatisfy({ distance(centre($0), centre(k)) >= separation }) { chosen.append(k) }
        }
        let reach = 2 * max(m.dx, m.dy)
        // y positions where the interface contact status changes (the edges of non-contact zones).
        let contactChanges = (0..<m.ny).compactMap { j -> Double? in
            let next = j + 1 < m.ny ? j + 1 : (m.periodic ? 0 : -1)
            return next >= 0 && m.contact[j] != m.contact[next] ? Double(j + 1) * m.dy : nil
        }
        let discCells = Int((discRadius / min(m.dx, m.dy)).rounded(.up))
        return chosen.map { k in
            let c = centre(k)
            var sum = smax[k]
            var n = 1.0
            for q in neighbours(k, radius: discCells) where !m.hole[q] && distance(centre(q), c) <= discRadius {
                sum += smax[q]
                n += 1
            }
            let near = neighbours(k, radius: 2)
            let i = k / m.ny
            let feature: HotspotFeature
            if features.contains(where: { $0.isCrack && $0.tips.contains { distance($0, c) <= reach } }) {
                feature = .crackTip
            } else if near.contains(where: { crackOf[$0] >= 0 }) {
                feature = .crackFlank
            } else if near.contains(where: { crackOf[$0] == -2 }) {
                feature = .poreEdge
            } else if c.0 >= m.thickness - reach,
                contactChanges.contains(where: { distance((m.thickness, $0), (m.thickness, c.1)) <= reach })
            {
                feature = .nonContactEdge
            } else if near.contains(where: { !m.hole[$0] && m.grain[$0] != m.grain[k] }) {
                feature = .grainBoundary
            } else if i >= m.nx - 2 {
                feature = .interface
            } else {
                feature = .bulk
            }
            return StressHotspot(
                x: c.0, y: c.1, peak: smax[k], discMean: sum / n, theta: field.theta[k], feature: feature)
        }
    }
}
