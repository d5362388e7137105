import Foundation
import SolverCore
import Synchronization

/// A dense-cathode cross-section on a structured grid (shared/docs/physics.md §3.3): x through the
/// thickness (x = 0 current collector, x = L interface), y along the interface (0 … W).
///
/// Cells are indexed `k = i·ny + j` (i along x, j along y). Each solid cell belongs to a grain with an
/// orientation φ_g (radians, from +x to the in-plane Li-layer direction: 0 = the paper's oriented design,
/// (003) facets ⟂ current collector; π/2 = (003) ∥ current collector). Holes (pores, cracks) are cells
/// with `hole = true`: no Li, no flux. The interface x = L has one face per column j with a contact flag
/// (non-contact faces carry no current) and an area factor r_a,j ≥ 1 (roughness).
public struct Microstructure: Sendable, Codable, Equatable {
    public var nx: Int
    public var ny: Int
    /// Thickness L and width W [m].
    public var thickness: Double
    public var width: Double
    public var grain: [Int]
    /// Orientation of each grain [rad].
    public var grainAngles: [Double]
    public var hole: [Bool]
    public var contact: [Bool]
    public var areaFactor: [Double]
    /// Whether y = 0 and y = W are joined (periodic) or closed (no flux).
    public var periodic: Bool
    /// Cells filled by solid electrolyte in the valleys of an explicitly resolved rough interface (also marked
    /// `hole`, so no Li enters them by diffusion); their faces with solid cells are interface faces. nil = a flat
    /// interface at x = L (roughness, if any, as area factors).
    public var electrolyte: [Bool]? = nil
    /// Solid cells crossed by a crack along their grain's (003) plane (the cycling model's bulk fracture): they keep
    /// their Li and carry it along the plane, but nothing crosses the crack, so the diffusivity across the Li layers
    /// (D_s, through the (003) facets) is zero in them. nil = no cracks.
    public var cracked: [Bool]? = nil

    public var dx: Double { thickness / Double(nx) }
    public var dy: Double { width / Double(ny) }
    @inline(__always) public func index(_ i: Int, _ j: Int) -> Int { i * ny + j }

    /// A single oriented grain (angle φ_g) filling the section, full contact, flat interface.
    public static func uniform(
        nx: Int, ny: Int, thickness: Double, width: Double, angle: Double = 0, periodic: Bool = true
    ) -> Microstructure {
        Microstructure(
            nx: nx, ny: ny, thickness: thickness, width: width, grain: Array(repeating: 0, count: nx * ny),
            grainAngles: [angle],
            hole: Array(repeating: false, count: nx * ny), contact: Array(repeating: true, count: ny),
            areaFactor: Array(repeating: 1, count: ny), periodic: periodic)
    }

    /// The interface faces: flat — the x = L face of every top-row solid cell (area factor r_a,j); explicit
    /// roughness — additionally every face between a solid cell and an electrolyte cell (area factor 1, the
    /// geometry is resolved). A face's `column` is the column of the electrolyte side, whose contact flag applies.
    public func interfaceFaces() -> [InterfaceFace] {
        var faces: [InterfaceFace] = []
        let se = electrolyte
        for i in 0..<nx {
            for j in 0..<ny {
                let k = index(i, j)
                guard !hole[k] else { continue }
                if i == nx - 1 {
                    faces.append(
                        InterfaceFace(
                            cell: k, column: j, length: dy, normalToX: true, areaFactor: se == nil ? areaFactor[j] : 1))
                } else if let se, se[index(i + 1, j)] {
                    faces.append(
                        InterfaceFace(
                            cell: k, column: j, length: dy, normalToX: true, areaFactor: 1,
                            electrolyteCell: index(i + 1, j)))
                }
                guard let se else { continue }
                // An electrolyte cell below a solid one (a liquid-filled pore's upper wall; an explicit rough
                // interface has its solid electrolyte only above the solid, so this adds no face there).
                if i > 0, se[index(i - 1, j)] {
                    faces.append(
                        InterfaceFace(
                            cell: k, column: j, length: dy, normalToX: true, areaFactor: 1,
                            electrolyteCell: index(i - 1, j)))
                }
                for dj in [-1, 1] {
                    var jj = j + dj
                    if jj < 0 || jj >= ny {
                        guard periodic else { continue }
                        jj = (jj + ny) % ny
                    }
                    if se[index(i, jj)] {
                        faces.append(
                            InterfaceFace(
                                cell: k, column: jj, length: dx, normalToX: false, areaFactor: 1,
                                electrolyteCell: index(i, jj)))
                    }
                }
            }
        }
        return faces
    }

    /// Length of the resolved interface per unit width (the resolved active-area ratio; r_a-weighted when flat).
    public var resolvedAreaRatio: Double {
        interfaceFaces().filter { contact[$0.column] }.reduce(0) { $0 + $1.areaFactor * $1.length }
            / (width * contactFraction)
    }

    /// Contact fraction f_c = contact length / W.
    public var contactFraction: Double { Double(contact.filter { $0 }.count) / Double(ny) }

    /// Mean area factor over the contacting faces (the interface's active-area ratio).
    public var meanAreaFactor: Double {
        let c = contact.indices.filter { contact[$0] }
        return c.isEmpty ? 0 : c.reduce(0) { $0 + areaFactor[$1] } / Double(c.count)
    }

    public var solidFraction: Double { Double(hole.filter { !$0 }.count) / Double(nx * ny) }

    /// The cells reachable from `seeds` through cells where `passable` holds, by 4-neighbour steps (across
    /// y = 0, W when the section is periodic); the seeds count as reached.
    public func reachable(from seeds: [Int], through passable: (Int) -> Bool) -> [Bool] {
        var reached = [Bool](repeating: false, count: nx * ny)
        var stack = seeds
        for k in seeds { reached[k] = true }
        while let k = stack.popLast() {
            let i = k / ny
            let j = k % ny
            var neighbours: [Int] = []
            if i > 0 { neighbours.append(k - ny) }
            if i < nx - 1 { neighbours.append(k + ny) }
            if j > 0 { neighbours.append(k - 1) } else if periodic { neighbours.append(k + ny - 1) }
            if j < ny - 1 { neighbours.append(k + 1) } else if periodic { neighbours.append(k - ny + 1) }
            for q in neighbours where !reached[q] && passable(q) {
                reached[q] = true
                stack.append(q)
            }
        }
        return reached
    }

    // MARK: - Builders

    /// Regular contact pattern: one contact segment of length f_c·P per period P, centred in the period.
    public mutating func setRegularContact(fraction: Double, period: Double) {
        let perPeriod = max(1, Int((period / dy).rounded()))
        for j in 0..<ny {
            let p = Double(j % perPeriod) + 0.5
            let half = 0.5 * fraction * Double(perPeriod)
            contact[j] = abs(p - 0.5 * Double(perPeriod)) <= half + 1e-9
        }
        if fraction >= 1 { contact = Array(repeating: true, count: ny) }
    }

    /// Random non-contact zones with exponentially distributed lengths (mean `meanGap`) until the
    /// contact fraction is within one face of the target (deterministic for a seed).
    public mutating func setRandomContact(fraction: Double, meanGap: Double, seed: UInt64) {
        contact = Array(repeating: true, count: ny)
        var rng = SplitMix64(seed: seed)
        let target = Int(((1 - fraction) * Double(ny)).rounded())
        var removed = 0
        var guardCount = 0
        while removed < target && guardCount < 10_000 {
            guardCount += 1
            let length = max(1, Int((-meanGap * log(max(rng.nextUniform(), 1e-12)) / dy).rounded()))
            let start = Int(rng.nextUniform() * Double(ny))
            for k in 0..<length where removed < target {
                let j = (start + k) % ny
                if contact[j] {
                    contact[j] = false
                    removed += 1
                }
            }
        }
    }

    /// Voronoi grains from `count` seeds (stretched by `aspect` along x for columnar grains); a fraction
    /// `misoriented` of grains gets `misorientedAngle`, the rest φ ~ N(0, spread) (radians).
    public mutating func setVoronoiGrains(
        count: Int, seed: UInt64, misoriented: Double, misorientedAngle: Double = .pi / 2,
        spread: Double = 5 * .pi / 180, aspect: Double = 1
    ) {
        var rng = SplitMix64(seed: seed)
        let seeds = (0..<count).map { _ in (rng.nextUniform() * thickness, rng.nextUniform() * width) }
        grainAngles = (0..<count).map { _ in
            rng.nextUniform() < misoriented ? misorientedAngle : spread * rng.nextNormal()
        }
        for i in 0..<nx {
            for j in 0..<ny {
                let x = (Double(i) + 0.5) * dx
                let y = (Double(j) + 0.5) * dy
                var best = 0
                var bestD = Double.infinity
                for (g, s) in seeds.enumerated() {
                    var ddy = abs(y - s.1)
                    if periodic { ddy = min(ddy, width - ddy) }
                    let d = pow((x - s.0) / aspect, 2) + ddy * ddy
                    if d < bestD {
                        bestD = d
                        best = g
                    }
                }
                grain[index(i, j)] = best
            }
        }
    }

    /// An elliptical hole (pore, or a crack when thin) centred at (x, y) with semi-axes (a, b) [m], rotated by `angle`.
    public mutating func addHole(
        x cx: Double, y cy: Double, semiAxisX a: Double, semiAxisY b: Double, angle: Double = 0
    ) {
        for i in 0..<nx {
            for j in 0..<ny {
                let x = (Double(i) + 0.5) * dx - cx
                var y = (Double(j) + 0.5) * dy - cy
                if periodic { if y > width / 2 { y -= width } else if y < -width / 2 { y += width } }
                let u = x * cos(angle) + y * sin(angle)
                let v = -x * sin(angle) + y * cos(angle)
                // A crack thinner than a cell still removes the row (or column) of cells it crosses.
                let inside: Bool
                if a < 0.51 * dx {
                    inside = abs(u) <= 0.51 * dx && abs(v) <= max(b, 0.51 * dy)
                } else if b < 0.51 * dy {
                    inside = abs(v) <= 0.51 * dy && abs(u) <= a
                } else {
                    inside = (u * u) / (a * a) + (v * v) / (b * b) <= 1
                }
                if inside { hole[index(i, j)] = true }
            }
        }
    }

    /// Area factors from a rough profile of RMS `rms` and Gaussian correlation length `correlation` [m]
    /// (physics.md §3.4, representation (a)): r_a,j is the profile's arc length over face j divided by Δy.
    /// Returns the mean area ratio of the generated profile.
    @discardableResult
    public mutating func setRoughness(rms: Double, correlation: Double, seed: UInt64, resolutionPerFace: Int = 16)
        -> Double
    {
        guard rms > 0 else {
            areaFactor = Array(repeating: 1, count: ny)
            return 1
        }
        let profile = RoughProfile.generate(
            points: ny * resolutionPerFace, length: width, rms: rms, correlation: correlation, seed: seed)
        let h = width / Double(profile.count)
        for j in 0..<ny {
            var arc = 0.0
            for k in 0..<resolutionPerFace {
                let a = j * resolutionPerFace + k
                let b = (a + 1) % profile.count
                arc += (h * h + pow(profile[b] - profile[a], 2)).squareRoot()
            }
            areaFactor[j] = arc / dy
        }
        return areaFactor.reduce(0, +) / Double(ny)
    }
}

extension Microstructure {
    /// An explicitly resolved rough interface (physics.md §3.4, representation (b)): column j is solid up to
    /// x = `meanThickness` + h_j and solid electrolyte above (cells marked `electrolyte` and `hole`), for a
    /// zero-mean profile h (one value per column, e.g. from `RoughProfile.generate`). The section must be at
    /// least `meanThickness` + max h thick; the solid then has the same mean thickness (and mass) as a flat
    /// cathode of `meanThickness`. Reacting faces follow the staircase (area factors reset to 1). Returns the
    /// resolved area ratio (face length per unit width).
    @discardableResult
    public mutating func setExplicitRoughness(profile h: [Double], meanThickness: Double) throws -> Double {
        guard h.count == ny else {
            throw ModelInputError.invalidValue(
                parameter: "roughProfile", reason: "needs one height per column (\(ny), got \(h.count))")
        }
        guard let peak = h.max(), let valley = h.min(), meanThickness + peak <= thickness + 1e-12,
            meanThickness + valley > dx
        else {
            throw ModelInputError.outOfRange(
                parameter: "roughnessRmsMicrometres",
                value: ((h.map { $0 * $0 }.reduce(0, +)) / Double(max(h.count, 1))).squareRoot() * 1e6,
                allowed: "profiles that fit the section (peak below x = L) and leave solid above the current collector",
                unit: "µm")
        }
        var se = [Bool](repeating: false, count: nx * ny)
        for j in 0..<ny {
            let top = meanThickness + h[j]
            for i in 0..<nx where (Double(i) + 0.5) * dx > top {
                se[index(i, j)] = true
                hole[index(i, j)] = true
            }
        }
        electrolyte = se
        areaFactor = Array(repeating: 1, count: ny)
        return resolvedAreaRatio
    }
}

/// One reacting interface face of a cross-section: the solid cell behind it, its length [m] and orientation.
public struct InterfaceFace: Sendable, Equatable {
    public var cell: Int
    public var column: Int
    public var length: Double
    /// true: a face normal to x (flux through it uses D_xx); false: normal to y (D_yy).
    public var normalToX: Bool
    public var areaFactor: Double
    /// The electrolyte cell on the other side (an index of the section's grid), or −1 for a face on x = L, whose
    /// other side is the separator.
    public var electrolyteCell: Int = -1
}

/// Gaussian random rough profiles (physics.md §3.4): Hermitian random spectrum shaped by
/// S(k) ∝ exp(−k²ℓ²/4), inverse discrete Fourier transform, zero mean, rescaled to the exact RMS.
public enum RoughProfile {
    /// The mean true-to-projected length ratio of generated profiles with RMS `rms` and correlation length
    /// `correlation` [m]: 16 seeds of 2048 points over 20 µm (Δy = 0.01 µm resolves ℓ ≥ 0.1 µm), the arc
    /// length of each periodic profile divided by its width (physics.md §3.4, the 1D-profile column).
    public static func meanAreaRatio(rms: Double, correlation: Double, seeds: Int = 16) -> Double {
        let key = "\(rms)|\(correlation)|\(seeds)"
        if let known = areaRatios.withLock({ $0[key] }) { return known }
        let width = 20e-6
        let points = 2048
        let step = width / Double(points)
        var total = 0.0
        for seed in 0..<seeds {
            let h = generate(
                points: points, length: width, rms: rms, correlation: correlation, seed: UInt64(1000 + seed))
            var arc = 0.0
            for k in 0..<points { arc += (step * step + pow(h[(k + 1) % points] - h[k], 2)).squareRoot() }
            total += arc / width
        }
        let ratio = total / Double(seeds)
        areaRatios.withLock { $0[key] = ratio }
        return ratio
    }

    /// Area ratios already computed in this process (a calibration asks for the same ℓ many times).
    private static let areaRatios = Mutex<[String: Double]>([:])

    public static func generate(points n: Int, length: Double, rms: Double, correlation: Double, seed: UInt64)
        -> [Double]
    {
        var rng = SplitMix64(seed: seed)
        var h = [Double](repeating: 0, count: n)
        let modes = n / 2
        var amps: [(Double, Double, Double)] = []
        for m in 1...max(modes, 1) {
            let k = 2 * Double.pi * Double(m) / length
            let s = exp(-k * k * correlation * correlation / 8)  // √S(k)
            amps.append((k, s * rng.nextNormal(), s * rng.nextNormal()))
        }
        if FourierTransform.accepts(n) && n > 1 {
            // h_p = Σ_m a_m cos(2π m p/n) + b_m sin(2π m p/n) = Re Σ_m (a_m − i b_m) e^{+2πi m p/n}: one inverse FFT,
            // O(n log n) (the calibration asks for thousands of profiles while it varies ℓ).
            var real = [Double](repeating: 0, count: n)
            var imaginary = [Double](repeating: 0, count: n)
            for (m, mode) in amps.enumerated() where m + 1 < n {
                real[m + 1] = mode.1
                imaginary[m + 1] = -mode.2
            }
            FourierTransform.inverse(real: &real, imaginary: &imaginary)
            h = real
        } else {
            sumModes(amps, into: &h, length: length)
        }
        let mean = h.reduce(0, +) / Double(n)
        let centred = h.map { $0 - mean }
        let current = (centred.reduce(0) { $0 + $1 * $1 } / Double(n)).squareRoot()
        return current > 0 ? centred.map { $0 * rms / current } : centred
    }

    /// The direct sum of the modes (k, a, b) at n = `h.count` points, for lengths the FFT does not take.
    static func sumModes(_ amps: [(Double, Double, Double)], into h: inout [Double], length: Double) {
        let n = h.count
        // Modes whose spectral weight is below 1e-18 of the largest add less than a rounding error to h; the rest
        // are summed with the angle-addition recurrence (cos, sin of k·y advanced by k·Δy), re-anchored with exact
        // trigonometry every 64 points so the recurrence's rounding cannot accumulate (< 1e-14 relative).
        let largest = amps.reduce(0.0) { max($0, abs($1.1), abs($1.2)) }
        let step = length / Double(n)
        for (k, a, b) in amps where max(abs(a), abs(b)) >= 1e-18 * largest {
            let cosStep = cos(k * step)
            let sinStep = sin(k * step)
            var c = 1.0
            var sn = 0.0
            for p in 0..<n {
                if p % 64 == 0 {
                    let y = length * Double(p) / Double(n)
                    c = cos(k * y)
                    sn = sin(k * y)
                }
                h[p] += a * c + b * sn
                let next = c * cosStep - sn * sinStep
                sn = sn * cosStep + c * sinStep
                c = next
            }
        }
    }

    /// The mean area ratio of a 1D profile: (1/W) Σ √(Δy² + Δh²).
    public static func areaRatio(_ h: [Double], length: Double) -> Double {
        let dy = length / Double(h.count)
        var s = 0.0
        for p in 0..<h.count { s += (dy * dy + pow(h[(p + 1) % h.count] - h[p], 2)).squareRoot() }
        return s / length
    }
}

/// A small deterministic generator (SplitMix64, G. Steele et al., OOPSLA 2014) so microstructures are
/// reproducible byte for byte from a seed.
public struct SplitMix64: Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    public mutating func nextUniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    /// Standard normal (Box–Muller).
    public mutating func nextNormal() -> Double {
        let u1 = max(nextUniform(), 1e-300)
        let u2 = nextUniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}
