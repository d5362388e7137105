import Foundation

/// Cracks in a dense-cathode section, on its grid (issue 15, bulk fracture). A crack is a chain of cracked cells;
/// each of its two tips grows into the next cell along the (003) plane of the grain it is in — the direction of
/// the Li layers, e_f = (cos φ_g, sin φ_g), as LiCoO₂ cleaves along (003) (the paper's ref. 65) — by the fatigue law
/// with ΔK from the crack-opening stress of the cell ahead and the crack's half-length. The opening stress of a cell
/// is its normal stress across the (003) plane, σ_n = e_sᵀ σ e_s with e_s = (−sin φ_g, cos φ_g) (the caller computes
/// it from a stress field). A tip stops at a hole, the section's edge or another crack.
///
/// Growth between two structural events (a tip entering its next cell) is the ordinary differential equation
/// dp_t/dN = da/dN(ΔK_t(a)) for the progress p_t of each tip into its next cell, with the half-length
/// a = ½(n_cells ℓ + Σ_t p_t): `advance(cycles:…)` integrates it over a given number of cycles — one cycle per
/// explicit step (cycle by cycle), or by adaptive second-order steps stopping at the first event (a cycle jump:
/// while the stress field is unchanged, as between events, the jump is as accurate as its step control).
public struct CrackNetwork: Sendable, Equatable, Codable {
    public let nx: Int, ny: Int
    public let dx: Double, dy: Double
    public let periodic: Bool
    public private(set) var cracked: [Bool]
    public private(set) var cracks: [Crack] = []

    /// One crack: its cells (in the order they cracked) and its two tips.
    public struct Crack: Sendable, Equatable, Codable {
        public var cells: [Int]
        public var tips: [Tip]
        /// The crack's length through the cells [m] (each cell counts its step length).
        public var cellLength: Double
    }

    /// A tip: the last cracked cell at this end, the step (Δi, Δj) outwards, the progress into the next cell [m],
    /// and whether it has stopped.
    public struct Tip: Sendable, Equatable, Codable {
        public var cell: Int
        public var stepI: Int, stepJ: Int
        public var progress: Double
        public var arrested: Bool
    }

    public init(microstructure m: Microstructure) {
        nx = m.nx
        ny = m.ny
        dx = m.dx
        dy = m.dy
        periodic = m.periodic
        cracked = Array(repeating: false, count: m.nx * m.ny)
    }

    /// The grid step closest to ±e_f of a grain angle (one of the 8 neighbours), as (Δi along x, Δj along y).
    static func step(angle: Double) -> (Int, Int) {
        let (c, s) = (cos(angle), sin(angle))
        var best = (1, 0)
        var bestDot = -Double.infinity
        for (di, dj) in [(1, 0), (1, 1), (0, 1), (-1, 1)] {
            let length = (Double(di * di + dj * dj)).squareRoot()
            let dot = abs(Double(di) * c + Double(dj) * s) / length
            if dot > bestDot + 1e-12 {
                bestDot = dot
                best = (di, dj)
            }
        }
        return best
    }

    func stepLength(_ di: Int, _ dj: Int) -> Double {
        ((Double(di) * dx) * (Double(di) * dx) + (Double(dj) * dy) * (Double(dj) * dy)).squareRoot()
    }

    /// The cell one step from `cell`, or nil outside the section.
    func neighbour(_ cell: Int, _ di: Int, _ dj: Int) -> Int? {
        let i = cell / ny + di
        var j = cell % ny + dj
        guard i >= 0, i < nx else { return nil }
        if j < 0 || j >= ny {
            guard periodic else { return nil }
            j = (j + ny) % ny
        }
        return i * ny + j
    }

    /// Starts a crack in one cell along the (003) plane of its grain (angle φ_g).
    public mutating func nucleate(cell: Int, grainAngle: Double) {
        guard !cracked[cell] else { return }
        cracked[cell] = true
        let (di, dj) = Self.step(angle: grainAngle)
        cracks.append(
            Crack(
                cells: [cell],
                tips: [
                    Tip(cell: cell, stepI: di, stepJ: dj, progress: 0, arrested: false),
                    Tip(cell: cell, stepI: -di, stepJ: -dj, progress: 0, arrested: false),
                ], cellLength: stepLength(di, dj)))
    }

    /// Half-length a = ½(cell length + Σ progress) of crack c [m].
    public func halfLength(_ c: Int) -> Double {
        0.5 * (cracks[c].cellLength + cracks[c].tips.reduce(0) { $0 + $1.progress })
    }

    /// The growth rates of every tip [m per cycle] (0 for stopped tips; +∞ when unstable) for opening stresses per
    /// cell [Pa] and the hole mask; also marks tips whose next cell is a hole, the edge or cracked as stopped.
    mutating func rates(openingStress: [Double], hole: [Bool], law: FatigueCrackLaw) -> [[Double]] {
        var result: [[Double]] = []
        for c in cracks.indices {
            var row: [Double] = []
            let a = halfLength(c)
            for t in cracks[c].tips.indices {
                let tip = cracks[c].tips[t]
                guard !tip.arrested,
                    let next = neighbour(tip.cell, tip.stepI, tip.stepJ), !hole[next], !cracked[next]
                else {
                    cracks[c].tips[t].arrested = true
                    row.append(0)
                    continue
                }
                let k = law.stressIntensity(stressRange: openingStress[next], halfLength: a)
                row.append(law.growthPerCycle(stressIntensity: k))
            }
            result.append(row)
        }
        return result
    }

    /// Cracks tip t of crack c into its next cell (the progress beyond one step carries over) and turns it to the
    /// (003) direction of the grain there.
    mutating func enterNextCell(_ c: Int, _ t: Int, grainAngleOf: (Int) -> Double) {
        let tip = cracks[c].tips[t]
        guard let next = neighbour(tip.cell, tip.stepI, tip.stepJ) else { return }
        let length = stepLength(tip.stepI, tip.stepJ)
        cracked[next] = true
        cracks[c].cells.append(next)
        cracks[c].cellLength += length
        var (di, dj) = Self.step(angle: grainAngleOf(next))
        // Keep going outwards: the new step must not point back along the old one.
        if di * tip.stepI + dj * tip.stepJ < 0 {
            di = -di
            dj = -dj
        }
        cracks[c].tips[t] = Tip(
            cell: next, stepI: di, stepJ: dj, progress: max(0, tip.progress - length), arrested: false)
    }

    /// Grows every crack for up to `cycles` cycles at fixed opening stresses. `jump` = false: explicit steps of one
    /// cycle, cells entered as their progress passes a step (cycle by cycle); `jump` = true: adaptive Heun steps with
    /// a relative error control of `tolerance` on the progress, stopping exactly at the first structural event.
    /// Unstable tips (ΔK ≥ K_c) run cell by cell at once until they stop or ΔK drops below K_c. Returns the cycles
    /// done and whether the structure changed (a cell cracked).
    public mutating func advance(
        cycles: Double, openingStress: [Double], hole: [Bool], grainAngleOf: (Int) -> Double, law: FatigueCrackLaw,
        jump: Bool, tolerance: Double = 1e-4
    ) -> (cycles: Double, changed: Bool) {
        var changed = false
        // Unstable growth first: it takes no cycles.
        var unstable = true
        while unstable {
            unstable = false
            let r = rates(openingStress: openingStress, hole: hole, law: law)
            for c in r.indices {
                for t in r[c].indices where r[c][t] == .infinity {
                    enterNextCell(c, t, grainAngleOf: grainAngleOf)
                    changed = true
                    unstable = true
                }
            }
        }
        if changed { return (0, true) }
        if !jump {
            var done = 0.0
            while done + 1 <= cycles + 1e-9 {
                let r = rates(openingStress: openingStress, hole: hole, law: law)
                for c in r.indices {
                    for t in r[c].indices { cracks[c].tips[t].progress += r[c][t] }
                }
                done += 1
                for c in cracks.indices {
                    for t in cracks[c].tips.indices
                    where cracks[c].tips[t].progress >= stepLength(cracks[c].tips[t].stepI, cracks[c].tips[t].stepJ) {
                        enterNextCell(c, t, grainAngleOf: grainAngleOf)
                        changed = true
                    }
                }
                if changed { break }
            }
            return (done, changed)
        }
        // Adaptive Heun (explicit trapezoid) with the Euler step as the error estimate, up to the first event.
        var done = 0.0
        var h = max(1, 0.01 * cycles)
        while done < cycles - 1e-9 {
            h = min(h, cycles - done)
            let start = cracks
            let r0 = rates(openingStress: openingStress, hole: hole, law: law)
            if r0.allSatisfy({ $0.allSatisfy { $0 == 0 } }) { return (cycles, changed) }
            // Limit the step so that no tip passes its next cell boundary by more than the remaining distance.
            var toEvent = Double.infinity
            for c in r0.indices {
                for t in r0[c].indices where r0[c][t] > 0 {
                    let tip = cracks[c].tips[t]
                    toEvent = min(toEvent, (stepLength(tip.stepI, tip.stepJ) - tip.progress) / r0[c][t])
                }
            }
            h = min(h, max(toEvent, 1e-9))
            for c in r0.indices { for t in r0[c].indices { cracks[c].tips[t].progress += h * r0[c][t] } }
            let r1 = rates(openingStress: openingStress, hole: hole, law: law)
            var error = 0.0
            for c in r0.indices {
                for t in r0[c].indices {
                    let heun = start[c].tips[t].progress + 0.5 * h * (r0[c][t] + r1[c][t])
                    error = max(error, abs(heun - cracks[c].tips[t].progress) / stepLength(1, 0))
                    cracks[c].tips[t].progress = heun
                }
            }
            if error > tolerance && h > 1 {
                cracks = start
                h *= max(0.2, 0.9 * (tolerance / error).squareRoot())
                continue
            }
            done += h
            for c in cracks.indices {
                for t in cracks[c].tips.indices {
                    let tip = cracks[c].tips[t]
                    if tip.progress >= stepLength(tip.stepI, tip.stepJ) * (1 - 1e-9) {
                        enterNextCell(c, t, grainAngleOf: grainAngleOf)
                        changed = true
                    }
                }
            }
            if changed { return (done, true) }
            h *= min(4, 0.9 * (tolerance / max(error, 1e-300)).squareRoot())
        }
        return (done, changed)
    }
}
