import Foundation

/// Delamination of the cathode/SE interface, on the section's grid of interface faces (issue 15, interface
/// damage). The interface is the row of top faces j = 0…ny−1; a face is bonded (`contact[j]`) or open. A run of
/// open faces is an interface crack (a void) of half-length a = ½(n_open Δy + the debond progress of its edges); its
/// two edges grow into the neighbouring bonded faces by the fatigue law with the mixed-mode stress intensity
///
///     ΔK = Y √(⟨σ_n⟩² + τ²) √(π a)      (G = (K_I² + K_II²)/E*, Hutchinson and Suo, Adv. Appl. Mech. 29, 63 (1992)),
///
/// with σ_n (tension positive, compression closes the crack: ⟨·⟩ = max(·, 0)) and τ the nominal normal and shear
/// traction ahead of the edge: the mean σ_xx and the root-mean-square τ_xy of the cathode cells under the bonded faces
/// from the second to the (n + 1)-th ahead of it, n the void's face count up to `tractionWindowFaces` (the first face carries the edge's singular concentration,
/// which the √(πa) of the formula already represents; counting it again would make every edge critical on a fine
/// grid). A bonded face away from every void whose normal stress reaches the adhesion strength σ_a opens at once
/// (nucleation; at an edge the fracture criterion governs instead). A face between two voids grows at the larger of
/// its two rates; when its progress reaches Δy it opens and the voids merge.
///
/// Between structural events (a face opening) the growth is an ordinary differential equation in the cycle number,
/// integrated like `CrackNetwork.advance`: cycle by cycle, or by adaptive Heun steps to the first event (a jump).
public struct InterfaceDelamination: Sendable, Equatable, Codable {
    public let ny: Int
    public let dy: Double
    public let periodic: Bool
    /// Bonded faces (the microstructure's contact flags, updated as faces open).
    public private(set) var contact: [Bool]
    /// Debond progress into each bonded face from its open neighbour(s) [m].
    public private(set) var progress: [Double]
    /// Faces that can never bond or debond (a hole in the top row): excluded from growth.
    let inert: [Bool]
    /// λ of the mode-dependent interface toughness Γ(ψ) = Γ_I (1 + tan²((1 − λ)ψ)) [E: Hutchinson and Suo 1992 show
    /// λ = 0.1–0.3 for interfaces with a strong mode dependence; 0.3 taken].
    public static let modeMixityParameter = 0.3
    /// The nominal traction ahead of an edge is averaged over at most this many faces (the n of the type's
    /// documentation, capped): on the 0.5 µm faces of the model system 2 µm ahead, a distance over which the edge's
    /// concentration has decayed but the load of the neighbouring grains has not been averaged away.
    public static let tractionWindowFaces = 4

    public init(microstructure m: Microstructure) {
        ny = m.ny
        dy = m.dy
        periodic = m.periodic
        contact = m.contact
        progress = Array(repeating: 0, count: m.ny)
        inert = (0..<m.ny).map { m.hole[m.index(m.nx - 1, $0)] }
    }

    /// Bonded fraction of the solid top faces.
    public var contactFraction: Double {
        let solid = (0..<ny).filter { !inert[$0] }
        guard !solid.isEmpty else { return 0 }
        return Double(solid.filter { contact[$0] }.count) / Double(solid.count)
    }

    /// The face next to j on the side `step` (±1), or nil past a non-periodic edge.
    func neighbour(_ j: Int, _ step: Int) -> Int? {
        let k = j + step
        if k < 0 || k >= ny { return periodic ? (k + ny) % ny : nil }
        return k
    }

    /// Half-length [m] of the open run that face `edge` (open) belongs to, including the progress of the bonded faces
    /// at both of its ends.
    func halfLength(ofOpenRunAt edge: Int) -> Double {
        var count = 1
        var ends: [Int] = []
        for step in [-1, 1] {
            var j = edge
            while let k = neighbour(j, step), k != edge {
                if contact[k] || inert[k] {
                    ends.append(k)
                    break
                }
                j = k
                count += 1
                if count >= ny { break }
            }
        }
        let open = min(count, ny)
        let edges = Set(ends).reduce(0.0) { $0 + (contact[$1] ? progress[$1] : 0) }
        return 0.5 * (Double(open) * dy + edges)
    }

    /// The mode-I-equivalent nominal traction ahead of an edge, √(⟨σ̄_n⟩² + τ̄²)/√(1 + tan²((1 − λ)ψ)) with the phase
    /// angle ψ = atan(|τ̄|/⟨σ̄_n⟩): the interface toughness grows with the shear share, Γ(ψ) = Γ_I (1 + tan²((1 − λ)ψ))
    /// (Hutchinson and Suo 1992), so comparing this traction's intensity with K_Ic of the interface is their
    /// criterion. Face j is bonded next to an open run, `step` points away from the run; the means are over the bonded
    /// faces 2…(n + 1) ahead (n the run's face count, at most `tractionWindowFaces`), or face j alone when none of
    /// those is bonded.
    func nominalTraction(at j: Int, step: Int, runFaces: Int, normal: [Double], shear: [Double]) -> Double {
        var (sumNormal, sumShear, count) = (0.0, 0.0, 0)
        var face = j
        for _ in 1...min(max(1, runFaces), Self.tractionWindowFaces) {
            guard let next = neighbour(face, step), contact[next], !inert[next] else { break }
            face = next
            sumNormal += normal[face]
            sumShear += shear[face] * shear[face]
            count += 1
        }
        let (n, t) =
            count > 0
            ? (sumNormal / Double(count), (sumShear / Double(count)).squareRoot()) : (normal[j], abs(shear[j]))
        let opening = max(n, 0)
        let phase = atan2(abs(t), opening)
        let mixity = tan((1 - Self.modeMixityParameter) * phase)
        return (opening * opening + t * t).squareRoot() / (1 + mixity * mixity).squareRoot()
    }

    /// The growth rate of every bonded face next to a void [m per cycle] (0 elsewhere; +∞ when unstable).
    func rates(normal: [Double], shear: [Double], law: FatigueCrackLaw) -> [Double] {
        var rate = [Double](repeating: 0, count: ny)
        for j in 0..<ny where contact[j] && !inert[j] {
            for step in [-1, 1] {
                guard let open = neighbour(j, step), !contact[open], !inert[open] else { continue }
                let a = halfLength(ofOpenRunAt: open)
                let runFaces = max(1, Int((2 * a / dy).rounded(.down)))
                let traction = nominalTraction(
                    at: j, step: -step, runFaces: runFaces, normal: normal, shear: shear)
                let k = law.stressIntensity(stressRange: traction, halfLength: a)
                rate[j] = max(rate[j], law.growthPerCycle(stressIntensity: k))
            }
        }
        return rate
    }

    /// Whether face j is next to an open face.
    func atEdge(_ j: Int) -> Bool {
        [-1, 1].contains { step in neighbour(j, step).map { !contact[$0] && !inert[$0] } ?? false }
    }

    /// Opens every bonded face away from the voids whose normal stress reaches σ_a; returns how many opened.
    public mutating func nucleate(normal: [Double], strength: Double) -> Int {
        let candidates = (0..<ny).filter { contact[$0] && !inert[$0] && !atEdge($0) && normal[$0] >= strength }
        var opened = 0
        for j in candidates {
            contact[j] = false
            progress[j] = 0
            opened += 1
        }
        return opened
    }

    /// Grows the voids for up to `cycles` cycles at fixed face stresses [Pa] (see `CrackNetwork.advance` for the
    /// two integrators). Returns the cycles done and whether a face opened.
    public mutating func advance(
        cycles: Double, normal: [Double], shear: [Double], law: FatigueCrackLaw, jump: Bool, tolerance: Double = 1e-4
    ) -> (cycles: Double, changed: Bool) {
        // Unstable growth takes no cycles.
        var changed = false
        while true {
            let r = rates(normal: normal, shear: shear, law: law)
            let unstable = (0..<ny).filter { r[$0] == .infinity }
            guard !unstable.isEmpty else { break }
            for j in unstable {
                contact[j] = false
                progress[j] = 0
            }
            changed = true
        }
        if changed { return (0, true) }
        if !jump {
            var done = 0.0
            while done + 1 <= cycles + 1e-9 {
                let r = rates(normal: normal, shear: shear, law: law)
                if r.allSatisfy({ $0 == 0 }) { return (cycles, false) }
                for j in 0..<ny { progress[j] += r[j] }
                done += 1
                for j in 0..<ny where contact[j] && progress[j] >= dy {
                    contact[j] = false
                    progress[j] = 0
                    changed = true
                }
                if changed { break }
            }
            return (done, changed)
        }
        var done = 0.0
        var h = max(1, 0.01 * cycles)
        while done < cycles - 1e-9 {
            h = min(h, cycles - done)
            let start = progress
            let r0 = rates(normal: normal, shear: shear, law: law)
            if r0.allSatisfy({ $0 == 0 }) { return (cycles, changed) }
            var toEvent = Double.infinity
            for j in 0..<ny where r0[j] > 0 { toEvent = min(toEvent, (dy - progress[j]) / r0[j]) }
            h = min(h, max(toEvent, 1e-9))
            for j in 0..<ny { progress[j] += h * r0[j] }
            let r1 = rates(normal: normal, shear: shear, law: law)
            var error = 0.0
            for j in 0..<ny {
                let heun = start[j] + 0.5 * h * (r0[j] + r1[j])
                error = max(error, abs(heun - progress[j]) / dy)
                progress[j] = heun
            }
            if error > tolerance && h > 1 {
                progress = start
                h *= max(0.2, 0.9 * (tolerance / error).squareRoot())
                continue
            }
            done += h
            for j in 0..<ny where contact[j] && progress[j] >= dy * (1 - 1e-9) {
                contact[j] = false
                progress[j] = 0
                changed = true
            }
            if changed { return (done, true) }
            h *= min(4, 0.9 * (tolerance / max(error, 1e-300)).squareRoot())
        }
        return (done, changed)
    }
}
