import Foundation
import Materials
import SolverCore

/// Model D: pseudo-2D porous-electrode model of a composite solid-state cathode in a half-cell
/// (shared/docs/physics.md §5.2), galvanostatic discharge to a voltage cut-off.
///
/// Unknowns on x ∈ [0, L] (x = 0 current collector, x = L separator): SE potential φ_e(x), solid
/// potential φ_s(x), reaction current i_n(x) per contact area, and c(x, r, t) in spherical particles:
///
///     ∂c/∂t = (1/r²) ∂/∂r (D_p r² ∂c/∂r),   ∂c/∂r = 0 at r = 0,   D_p ∂c/∂r = f_cont i_n/F at r = R_p,
///     ∂i_e/∂x = −a i_n,  i_e = −σ_e,eff ∂φ_e/∂x,   ∂i_s/∂x = +a i_n,  i_s = −σ_s,eff ∂φ_s/∂x,
///     i_n = −2 i₀(θ_s) sinh(f η/2),  η = φ_s − φ_e − U(θ_s),  a = 3 φ_CAM f_cont / R_p,
///     i_e(0) = 0, i_e(L) = −I, i_s(0) = −I, i_s(L) = 0, φ_e(L) = 0;
///     V_vs Li = φ_s(0) − I R_SE − η_CE,  V_cell = V_vs Li − U_CE.
///
/// The contact fraction multiplies the particle flux because the reaction runs on the contacted part of
/// the surface but is spread over the whole sphere; without it Li inserted ≠ charge passed (physics.md §5.2).
///
/// Particle classes (`CompositeCell.contactClasses`): with a coordination number z the CAM of every depth is split
/// into classes k by their number of SE contacts, each with its share w_k, contact fraction f_k, its own particle
/// concentration c_k(x, r, t) and reaction current i_n,k at the shared φ_s and φ_e; the balances take
/// Σ_k a_k i_n,k with a_k = a w_k f_k / Σ w f. The CAM without contact (f = 0) keeps its Li. One class at f_cont is
/// the model above.
///
/// Discretisation: finite volumes in x (N_x cells) and in r (N_r equal-Δr shells, exact shell volumes),
/// variable-step BDF3 in time (`BDFCoefficients`; implicit Euler and BDF2 for the first two steps) with Milne error
/// control, as in Model A: the √t layer after the current is switched on is crossed in fewer steps than with BDF2
/// at the same tolerance. The cut-off is located by regula falsi on the length of the last step. Each step
/// eliminates the particles exactly: the
/// particle system is linear, so c = c_hist + N·c_unit and θ_s(x) = a(x) + β N(x) with one shared
/// response β; the class currents i_n,k, each coupled only to the local φ_s − φ_e, are eliminated per x cell in
/// every Newton iteration (exact block elimination), and the remaining 2N_x unknowns (φ_e, φ_s interleaved) are
/// solved with a banded (kl = ku = 2) LU factorisation, starting from their linear extrapolation over the last two
/// accepted steps.
/// The SE reference φ_e(L) = 0 replaces the last ionic balance, which the others imply. A network whose ohmic
/// drop at the applied current exceeds 10 V is reported as ionically blocked with zero capacity instead of being
/// integrated.
public struct CompositeModel: Sendable {
    public let setup: CompositeSetup
    public init(_ setup: CompositeSetup) { self.setup = setup }

    public func run() throws -> CompositeResult {
        try setup.validate()
        var engine = CompositeEngine(setup: setup)
        return try engine.run()
    }
}

struct CompositeEngine {
    let setup: CompositeSetup
    let cell: CompositeCell
    let nx: Int, nr: Int
    let dx: Double, dr: Double
    let current: Double
    let f: Double
    let sigmaE: Double, sigmaS: Double, area: Double
    /// The particle classes of every depth (`CompositeCell.contactClasses`, those with contact): contact fraction
    /// f_k, share of the CAM w_k and active area a_k = a w_k f_k / Σ w f (Σ a_k = a); `deadShare` is the CAM
    /// without contact, which keeps its initial Li.
    let classCount: Int
    let classContact: [Double], classWeight: [Double], classArea: [Double]
    let deadShare: Double
    let cmax: Double
    let shellVolume: [Double], faceArea: [Double]  // normalised by 4π/3: v_j = r³_{j+1} − r³_j, a_j = 3 r_j²
    let nominal: Double

    var c: [Double], cPrev: [Double], cPrev2: [Double]  // (nx × classes) × nr, one row per particle class per x cell
    /// φ_e and φ_s per x cell; i_n per particle class per x cell (index i·classes + k).
    var phiE: [Double], phiS: [Double], iN: [Double]
    /// φ_e, φ_s and i_n one accepted step earlier (empty before the second step): the Newton of a step starts
    /// from their linear extrapolation, which saves about one iteration per step.
    var previousPhiE: [Double] = [], previousPhiS: [Double] = [], previousIN: [Double] = []
    var t = 0.0, tPrev = 0.0, tPrev2 = 0.0, lastStep = 0.0, steps = 0
    var charge = 0.0, chargePrev = 0.0, chargePrev2 = 0.0
    /// The highest BDF order, and the slots of the history ring (the degree-k predictor needs k + 1 solutions).
    static let maximumOrder = 3
    static let historySlots = maximumOrder + 1
    var histT: [Double] = Array(repeating: 0, count: historySlots), histC: [[Double]], histCount = 0

    /// `classes` replaces the cell's `contactClasses` (to test the class bookkeeping with chosen classes).
    init(setup: CompositeSetup, classes chosen: [ContactClass]? = nil) {
        self.setup = setup
        cell = setup.cell
        nx = setup.numerics.electrodeCells
        nr = setup.numerics.particleShells
        dx = cell.thickness / Double(nx)
        dr = cell.particleRadius / Double(nr)
        current = setup.cRate * cell.oneCCurrentDensity
        f = PhysicalConstants.inverseThermalVoltage(cell.temperature)
        sigmaE = cell.effectiveIonicConductivity
        sigmaS = cell.effectiveElectronicConductivity
        area = cell.specificArea
        let classes = chosen ?? setup.cell.contactClasses
        let active = classes.filter { $0.contactFraction > 0 }
        let contactSum = active.reduce(0.0) { $0 + $1.weight * $1.contactFraction }
        classCount = max(active.count, 1)
        classContact = active.isEmpty ? [0] : active.map(\.contactFraction)
        classWeight = active.isEmpty ? [0] : active.map(\.weight)
        let totalArea = setup.cell.specificArea
        classArea = active.isEmpty ? [0] : active.map { totalArea * $0.weight * $0.contactFraction / contactSum }
        deadShare = ContactClass.uncontactedShare(of: classes)
        cmax = cell.maxConcentration
        shellVolume = (0..<nr).map { j in
            pow(Double(j + 1) * (setup.cell.particleRadius / Double(setup.numerics.particleShells)), 3)
                - pow(Double(j) * (setup.cell.particleRadius / Double(setup.numerics.particleShells)), 3)
        }
        faceArea = (0...nr).map { j in
            3 * pow(Double(j) * (setup.cell.particleRadius / Double(setup.numerics.particleShells)), 2)
        }
        nominal = 3600 / setup.cRate
        c = Array(repeating: cell.initialStoichiometry * cell.maxConcentration, count: nx * classCount * nr)
        cPrev = c
        cPrev2 = c
        phiE = Array(repeating: 0, count: nx)
        phiS = Array(repeating: cell.ocp.voltage(cell.initialStoichiometry), count: nx)
        iN = Array(repeating: current / (cell.specificArea * cell.thickness), count: nx * classCount)
        histC = Array(repeating: c, count: Self.historySlots)
    }

    // MARK: - Particles

    /// Solves the particle step for history `c`, `cPrev` with zero flux (per particle class per x cell) and for a
    /// unit surface flux; returns (history responses, unit response).
    func particleResponses(dt: Double, coefficients k: BDFCoefficients) -> (hist: [Double], unit: [Double]) {
        let d = cell.particleDiffusivity
        var lower = [Double](repeating: 0, count: nr)
        var diag = lower
        var upper = lower
        for j in 0..<nr {
            let inner = j > 0 ? dt * d * faceArea[j] / dr : 0
            let outer = j < nr - 1 ? dt * d * faceArea[j + 1] / dr : 0
            lower[j] = -inner
            upper[j] = -outer
            diag[j] = k.alpha0 * shellVolume[j] + inner + outer
        }
        // One matrix for every x cell: factorised once, then one division-free solve per cell.
        let particle = TridiagonalFactorisation(lower: lower, diagonal: diag, upper: upper)
        var unit = [Double](repeating: 0, count: nr)
        unit[nr - 1] = dt * faceArea[nr]
        particle.solve(&unit)
        var hist = [Double](repeating: 0, count: nx * classCount * nr)
        let shells = nr
        let rows = nx * classCount
        hist.withUnsafeMutableBufferPointer { history in
            let values = history.baseAddress!
            for i in 0..<rows {
                for j in 0..<shells {
                    let index = i * shells + j
                    values[index] =
                        -shellVolume[j] * (k.alpha1 * c[index] + k.alpha2 * cPrev[index] + k.alpha3 * cPrev2[index])
                }
                particle.solve(values + i * shells)
            }
        }
        return (hist, unit)
    }

    // MARK: - Potentials (Newton)

    struct StepSolution {
        var phiE: [Double]
        var phiS: [Double]
        var iN: [Double]
        var c: [Double]
    }

    /// One implicit step of length dt: Newton on (φ_e, φ_s, i_n) with the particles eliminated, and the reaction
    /// currents of the particle classes eliminated per x cell (a Schur complement: each class's kinetics couples only
    /// to the local φ_s − φ_e), so the banded system holds φ_e and φ_s alone.
    func solveStep(dt: Double, coefficients k: BDFCoefficients) throws -> StepSolution {
        let (hist, unit) = particleResponses(dt: dt, coefficients: k)
        let beta = (unit[nr - 1] + dr / (2 * cell.particleDiffusivity)) / cmax  // dθ_s per unit molar flux
        let spot = cell.spotStoichiometryPerCurrent  // dθ under a contact spot per A m⁻²
        // dθ_s per unit contact current density of each class: the particle's flux f_k i_n/F and the spot rise.
        let rise = classContact.map { beta * $0 / PhysicalConstants.faraday + spot }
        let classes = classCount
        let rows = nx * classes
        let surfaceHist = (0..<rows).map { hist[$0 * nr + nr - 1] / cmax }
        var pe = phiE
        var ps = phiS
        var jn = iN
        if !previousPhiE.isEmpty && lastStep > 0 {
            // Predictor: the potentials and currents extrapolated linearly over the step (ratio capped at 2).
            let ratio = min(dt / lastStep, 2)
            for i in 0..<nx {
                pe[i] += ratio * (phiE[i] - previousPhiE[i])
                ps[i] += ratio * (phiS[i] - previousPhiS[i])
            }
            for row in 0..<rows { jn[row] += ratio * (iN[row] - previousIN[row]) }
        }
        let n = 2 * nx
        var lu = BandedLU(n: n, kl: 2, ku: 2)
        var residual = [Double](repeating: 0, count: n)
        // Per class and cell: r/D and (∂g/∂η)/D of the linearised kinetics D Δi_n − g_η (Δφ_s − Δφ_e) = r.
        var scaledResidual = [Double](repeating: 0, count: rows)
        var scaledSlope = [Double](repeating: 0, count: rows)
        let i0ref = cell.exchangeCurrentDensity
        var converged = false
        // Newton proper, the Jacobian refreshed on every iteration. A chord iteration (Jacobian kept while the
        // residual fell fourfold) was tried and dropped: it settled on states from which later steps of a
        // sensitivity-study run could not be solved, and a fallback to Newton did not recover them.
        for _ in 0..<40 {
            lu.reset()
            var norm = 0.0
            for i in 0..<nx {
                let e = 2 * i
                let s = e + 1
                // Kinetics of each class with the particle surface eliminated: θ_s = a + (β f_k/F + k_spot) i_n.
                var reaction = 0.0  // Σ a_k i_n,k
                var coupling = 0.0  // Σ a_k g_η,k / D_k
                var correction = 0.0  // Σ a_k r_k / D_k
                for kc in 0..<classes {
                    let row = i * classes + kc
                    var ts = surfaceHist[row] + rise[kc] * jn[row]
                    ts = min(max(ts, 1e-9), 1 - 1e-9)
                    let u = cell.ocp.voltage(ts)
                    let du = cell.ocp.slope(ts)
                    let root = (ts * (1 - ts)).squareRoot()
                    let i0 = i0ref * root / 0.5
                    let di0 = i0ref / 0.5 * (1 - 2 * ts) / (2 * max(root, 1e-12))
                    let eta = ps[i] - pe[i] - u
                    // sinh and cosh from one exponential (the residual is an absolute balance: the cancellation of
                    // e^x − e^−x at small x costs nothing there).
                    let growth = exp(f * eta / 2)
                    let decay = 1 / growth
                    let sh = 0.5 * (growth - decay)
                    let ch = 0.5 * (growth + decay)
                    let g = -2 * i0 * sh
                    let gEta = -i0 * f * ch
                    let gTheta = -2 * di0 * sh + gEta * (-du)
                    let kinetic = jn[row] - g
                    let diagonal = 1 - gTheta * rise[kc]
                    scaledResidual[row] = kinetic / diagonal
                    scaledSlope[row] = gEta / diagonal
                    reaction += classArea[kc] * jn[row]
                    coupling += classArea[kc] * gEta / diagonal
                    correction += classArea[kc] * kinetic / diagonal
                    norm = max(norm, abs(kinetic))
                }
                // Ionic balance (the last one replaced by the reference φ_e(L) = 0). With the class currents
                // eliminated, Δi_n,k = r_k/D_k + (g_η,k/D_k)(Δφ_s − Δφ_e) enters through `coupling` and `correction`.
                if i < nx - 1 {
                    let right = -sigmaE * (pe[i + 1] - pe[i]) / dx
                    let left = i > 0 ? -sigmaE * (pe[i] - pe[i - 1]) / dx : 0
                    let balance = right - left + dx * reaction
                    norm = max(norm, abs(balance))
                    residual[e] = balance - dx * correction
                    if i > 0 { lu.add(e, e - 2, -sigmaE / dx) }
                    lu.add(e, e, sigmaE / dx * (i > 0 ? 2 : 1) - dx * coupling)
                    lu.add(e, e + 2, -sigmaE / dx)
                    lu.add(e, s, dx * coupling)
                } else {
                    residual[e] = pe[i] + 0.5 * dx * current / sigmaE
                    norm = max(norm, abs(residual[e]))
                    lu.add(e, e, 1)
                }
                // Electronic balance.
                let rightS = i < nx - 1 ? -sigmaS * (ps[i + 1] - ps[i]) / dx : 0
                let leftS = i > 0 ? -sigmaS * (ps[i] - ps[i - 1]) / dx : -current
                let balanceS = rightS - leftS - dx * reaction
                norm = max(norm, abs(balanceS))
                residual[s] = balanceS + dx * correction
                let diagS = sigmaS / dx * ((i > 0 ? 1 : 0) + (i < nx - 1 ? 1 : 0))
                if i > 0 { lu.add(s, s - 2, -sigmaS / dx) }
                lu.add(s, s, diagS - dx * coupling)
                if i < nx - 1 { lu.add(s, s + 2, -sigmaS / dx) }
                lu.add(s, e, dx * coupling)
            }
            guard norm.isFinite else {
                throw SolverError.noConvergence(
                    what: "composite potentials (non-finite residual)", iterations: 0, residual: norm)
            }
            if norm < 1e-9 * max(current, 1e-3) {
                converged = true
                break
            }
            try lu.factorise()
            var delta = residual
            lu.solve(&delta)
            // Damped update: limit the potential change per iteration to 0.2 V.
            var scale = 1.0
            for i in 0..<nx { scale = min(scale, 0.2 / max(abs(delta[2 * i]), abs(delta[2 * i + 1]), 1e-300)) }
            var dPhi = 0.0
            var dJ = 0.0
            var jScale = 1e-300
            for i in 0..<nx {
                let deltaE = delta[2 * i]
                let deltaS = delta[2 * i + 1]
                pe[i] -= scale * deltaE
                ps[i] -= scale * deltaS
                dPhi = max(dPhi, abs(deltaE), abs(deltaS))
                for row in (i * classes)..<((i + 1) * classes) {
                    let deltaJ = scaledResidual[row] + scaledSlope[row] * (deltaS - deltaE)
                    jn[row] -= scale * deltaJ
                    dJ = max(dJ, abs(deltaJ))
                    jScale = max(jScale, abs(jn[row]))
                }
            }
            // Converged when a full Newton update is at round-off level: 1e-10 V and 1e-8 of the largest
            // reaction current (stiff kinetics put the residual's floor well above 1e-9 A m⁻²).
            if scale == 1, dPhi < 1e-10, dJ < 1e-8 * jScale {
                converged = true
                break
            }
        }
        guard converged else {
            throw SolverError.noConvergence(what: "composite potentials (Newton)", iterations: 40, residual: .nan)
        }
        var cNew = hist
        for row in 0..<rows {
            let flux = classContact[row % classes] / PhysicalConstants.faraday * jn[row]
            for j in 0..<nr { cNew[row * nr + j] += flux * unit[j] }
        }
        return StepSolution(phiE: pe, phiS: ps, iN: jn, c: cNew)
    }

    // MARK: - Observables

    /// θ where the reaction runs, per particle class per x cell: the particle surface (extrapolated half a shell
    /// with the flux) plus the rise under a contact spot.
    func surfaceStoichiometry(_ s: StepSolution) -> [Double] {
        let spot = cell.spotStoichiometryPerCurrent
        return (0..<(nx * classCount)).map { row in
            let flux = classContact[row % classCount] * s.iN[row] / PhysicalConstants.faraday
            return (s.c[row * nr + nr - 1] + flux * dr / (2 * cell.particleDiffusivity)) / cmax + spot * s.iN[row]
        }
    }

    /// The reacting surface's θ per x cell, averaged over the particle classes in contact by their CAM share.
    func surfaceProfile(_ s: StepSolution) -> [Double] {
        let perClass = surfaceStoichiometry(s)
        let activeShare = classWeight.reduce(0, +)
        return (0..<nx).map { i in
            guard activeShare > 0 else { return cell.initialStoichiometry }
            var total = 0.0
            for kc in 0..<classCount { total += classWeight[kc] * perClass[i * classCount + kc] }
            return total / activeShare
        }
    }

    /// θ(x, r) averaged over all the CAM of each x cell (the classes by their share, the particles without contact
    /// at θ₀), as concentrations, nx × nr.
    func classAveragedParticles(_ cs: [Double]) -> [Double] {
        let share = classWeight.reduce(0, +) + deadShare
        let dead = deadShare * cell.initialStoichiometry * cmax
        var averaged = [Double](repeating: 0, count: nx * nr)
        for i in 0..<nx {
            for j in 0..<nr {
                var total = dead
                for kc in 0..<classCount { total += classWeight[kc] * cs[(i * classCount + kc) * nr + j] }
                averaged[i * nr + j] = share > 0 ? total / share : cell.initialStoichiometry * cmax
            }
        }
        return averaged
    }

    func meanStoichiometry(_ cs: [Double]) -> [Double] {
        let vTotal = pow(cell.particleRadius, 3)
        let averaged = classAveragedParticles(cs)
        return (0..<nx).map { i in
            (0..<nr).reduce(0.0) { $0 + shellVolume[$1] * averaged[i * nr + $1] } / (vTotal * cmax)
        }
    }

    func voltageVsLi(_ s: StepSolution) -> Double {
        let ps0 = s.phiS[0] - 0.5 * dx * current / sigmaS
        return ps0 - current * cell.separatorResistance
            - cell.counterElectrode.overpotential(current: current, inverseThermalVoltage: f)
    }

    /// Li in the particles per projected area [mol m⁻²]: the classes in contact by their share, and the CAM
    /// without contact at its initial stoichiometry.
    func lithium(_ cs: [Double]) -> Double {
        let perVolume = cell.camVolumeFraction / pow(cell.particleRadius, 3)
        var total = 0.0
        for row in 0..<(nx * classCount) {
            var particle = 0.0
            for j in 0..<nr { particle += shellVolume[j] * cs[row * nr + j] }
            total += classWeight[row % classCount] * particle
        }
        let dead = deadShare * cell.camVolumeFraction * cell.initialStoichiometry * cmax * cell.thickness
        return total * perVolume * dx + dead
    }

    /// The order of the next step: one more than the steps taken, up to `maximumOrder`.
    var order: Int { min(steps + 1, Self.maximumOrder) }

    func coefficients(_ dt: Double) -> BDFCoefficients {
        BDFCoefficients(order: order, next: t + dt, past: (t, tPrev, tPrev2))
    }

    mutating func accept(_ s: StepSolution, dt: Double) {
        let k = coefficients(dt)
        let newCharge = (dt * current - k.alpha1 * charge - k.alpha2 * chargePrev - k.alpha3 * chargePrev2) / k.alpha0
        chargePrev2 = chargePrev
        chargePrev = charge
        charge = newCharge
        swap(&cPrev2, &cPrev)
        swap(&cPrev, &c)
        c = s.c
        previousPhiE = phiE
        previousPhiS = phiS
        previousIN = iN
        phiE = s.phiE
        phiS = s.phiS
        iN = s.iN
        tPrev2 = tPrev
        tPrev = t
        t += dt
        lastStep = dt
        steps += 1
        let slot = histCount % Self.historySlots
        histT[slot] = t
        histC[slot] = c
        histCount += 1
    }

    /// Scaled error estimate of a proposed step (≤ 1 accepts): Milne's device for the step's order k with the
    /// polynomial extrapolation of degree k through the last k + 1 accepted solutions (lower degree and the whole
    /// difference, factor 1/2, on the first steps: an over-estimate).
    func errorEstimate(_ candidate: [Double], at tNew: Double) -> Double {
        guard histCount >= 2 else { return 0 }
        let degree = min(histCount - 1, order)
        let tol = setup.numerics
        // The predictor is the Lagrange polynomial through the stored levels: its weights depend only on the times.
        var weights = SIMD4<Double>(repeating: 0)
        var slots = SIMD4<Int>(repeating: 0)
        for j in 0...degree { slots[j] = (histCount - 1 - j) % Self.historySlots }
        for j in 0...degree {
            var weight = 1.0
            for m in 0...degree where m != j {
                weight *= (tNew - histT[slots[m]]) / (histT[slots[j]] - histT[slots[m]])
            }
            weights[j] = weight
        }
        let factor = degree == order ? BDFCoefficients.milneFactor(order: order) : 0.5
        // Unused levels repeat the newest one with weight zero, so one loop serves every degree.
        var levels = SIMD4<Int>(repeating: slots[0])
        for j in 0...degree { levels[j] = slots[j] }
        let inverseMax = 1 / cmax
        var err = 0.0
        candidate.withUnsafeBufferPointer { values in
            histC[levels[0]].withUnsafeBufferPointer { newest in
                histC[levels[1]].withUnsafeBufferPointer { second in
                    histC[levels[2]].withUnsafeBufferPointer { third in
                        histC[levels[3]].withUnsafeBufferPointer { fourth in
                            for k in 0..<values.count {
                                let predicted =
                                    weights[0] * newest[k] + weights[1] * second[k] + weights[2] * third[k]
                                    + weights[3] * fourth[k]
                                let y = values[k] * inverseMax
                                let scale = tol.absoluteTolerance + tol.relativeTolerance * abs(y)
                                err = max(err, abs(y - predicted * inverseMax) / scale)
                            }
                        }
                    }
                }
            }
        }
        return factor * err
    }

    // MARK: - Driver

    mutating func run() throws -> CompositeResult {
        var result = CompositeResult(cell: cell, electrodeCells: nx, particleShells: nr)
        result.initialLithium = lithium(c)
        let ohmic = current * cell.thickness / sigmaE
        if area <= 0 || ohmic > 10 {
            result.termination = .ionicallyBlocked
            result.startFailure = String(
                format:
                    "the discharge cannot start: the SE network (φ_SE = %.3f, effective conductivity %.3g S m⁻¹ over %.1f µm) would drop %.3g V at %.4g A m⁻² (%.3g C)%@. Lower camWeightPercent or cRate, or raise ionicConductivitySPerM",
                cell.electrolyteVolumeFraction, sigmaE, cell.thickness * 1e6, ohmic, current, setup.cRate,
                area <= 0 ? " and the CAM has no contact area" : "")
            result.record(
                t: 0, vsLi: cell.lowerCutoffVsLi, charge: 0, counterPotential: cell.counterElectrode.potential)
            result.finish(
                phiE: phiE, surface: Array(repeating: cell.initialStoichiometry, count: nx), mean: meanStoichiometry(c),
                particles: classAveragedParticles(c), lithium: lithium(c), steps: 0)
            return result
        }
        let limit = cell.lowerCutoffVsLi
        let maxStep = setup.numerics.maxStepFraction * nominal
        var dt = 1e-4 * nominal
        var controller = StepController()
        // The state at t = 0⁺ (current switched on): potentials at the initial concentrations.
        var initial: StepSolution
        do {
            initial = try solveStep(dt: 1e-9 * nominal, coefficients: .implicitEuler)
        } catch {
            result.termination = .voltageCutoff
            result.startFailure = String(
                format:
                    "the discharge cannot start: at %.4g A m⁻² (%.3g C) the electrode potentials have no solution at t = 0 (%@): the interface (i₀ = %.3g A m⁻², area %.3g m⁻¹) and the SE network (%.3g S m⁻¹) cannot carry the current. Lower cRate",
                current, setup.cRate, "\(error)", cell.exchangeCurrentDensity, area, sigmaE)
            result.finish(
                phiE: phiE, surface: Array(repeating: cell.initialStoichiometry, count: nx), mean: meanStoichiometry(c),
                particles: classAveragedParticles(c), lithium: lithium(c), steps: 0)
            return result
        }
        initial.c = c
        phiE = initial.phiE
        phiS = initial.phiS
        iN = initial.iN
        result.record(t: 0, vsLi: voltageVsLi(initial), charge: 0, counterPotential: cell.counterElectrode.potential)
        guard voltageVsLi(initial) > limit else {
            result.termination = .voltageCutoff
            result.startFailure = String(
                format:
                    "the discharge cannot start: at %.4g A m⁻² (%.3g C) the cathode potential would be %.3f V vs Li/Li⁺ at t = 0, at or below the %.3f V cut-off (open-circuit %.4f V at θ₀ = %.4f). Lower cRate or lowerCutoffVsLiV",
                current, setup.cRate, voltageVsLi(initial), limit, cell.ocp.voltage(cell.initialStoichiometry),
                cell.initialStoichiometry)
            result.finish(
                phiE: phiE, surface: surfaceProfile(initial), mean: meanStoichiometry(c),
                particles: classAveragedParticles(c),
                lithium: lithium(c), steps: 0)
            return result
        }
        histT[0] = 0
        histC[0] = c
        histCount = 1
        var reason = CompositeResult.Termination.timeLimit
        var attempts = 0
        while t < 3 * nominal {
            attempts += 1
            if attempts > 2_000_000 {
                throw ModelRunError.stepBudget(
                    model: "composite", steps: attempts - 1,
                    advice: "raise absoluteTolerance, relativeTolerance or maxStepFraction")
            }
            let h = min(dt, maxStep)
            let k = coefficients(h)
            // Near the end of discharge (some particle surface on the OCP cliff) a failed Newton solve
            // means the step went past the cut-off; elsewhere it means the step was too long.
            let onCliff = surfaceStoichiometry(StepSolution(phiE: phiE, phiS: phiS, iN: iN, c: c)).contains {
                $0 > 0.98
            }
            var candidate: StepSolution?
            do { candidate = try solveStep(dt: h, coefficients: k) } catch {
                if !onCliff {
                    dt = h * 0.25
                    if dt < 1e-10 * nominal { throw error }
                    continue
                }
            }
            if let cand = candidate {
                controller.order = k.order
                controller.maxFactor = StepController.maxFactor(forOrder: k.order, default: 2)
                let err = errorEstimate(cand.c, at: t + h)
                if err > 1 {
                    dt = h * controller.factor(error: err)
                    continue
                }
                dt = h * controller.factor(error: err)
            }
            let v = candidate.map(voltageVsLi) ?? -.infinity
            let surf = candidate.map(surfaceStoichiometry) ?? [1]
            if let cand = candidate, v > limit, !surf.contains(where: { $0 >= 0.99999 }) {
                accept(cand, dt: h)
                result.record(t: t, vsLi: v, charge: charge, counterPotential: cell.counterElectrode.potential)
                continue
            }
            do {
                // Re-solve the last step shorter until the voltage lies within tolerance above the cut-off: regula
                // falsi on V(δ) − V_cut between the accepted state (δ = 0) and the failed step, Illinois-damped (the
                // kept end's value halved when the same end moves twice), bisection while the far end has no finite
                // voltage (failed solve or saturated surface) and every third iteration.
                var lo = 0.0
                var hi = h
                var marginLo = voltageVsLi(StepSolution(phiE: phiE, phiS: phiS, iN: iN, c: c)) - limit
                var marginHi: Double? = candidate.map { voltageVsLi($0) - limit }.flatMap { $0.isFinite ? $0 : nil }
                if surf.contains(where: { $0 >= 0.99999 }) { marginHi = nil }
                var best: (StepSolution, Double)?
                var lastMoved = 0
                for iteration in 0..<60 {
                    var delta = 0.5 * (lo + hi)
                    if let far = marginHi, marginLo > 0, iteration % 3 != 2 {
                        let secant = lo + (hi - lo) * marginLo / (marginLo - far)
                        if secant > lo, secant < hi { delta = secant }
                    }
                    guard let trial = try? solveStep(dt: delta, coefficients: coefficients(delta)) else {
                        hi = delta
                        marginHi = nil
                        continue
                    }
                    let vt = voltageVsLi(trial)
                    if vt > limit, !surfaceStoichiometry(trial).contains(where: { $0 >= 0.99999 }) {
                        lo = delta
                        marginLo = vt - limit
                        best = (trial, delta)
                        if lastMoved == -1, let far = marginHi { marginHi = 0.5 * far }
                        lastMoved = -1
                        if vt - limit < setup.numerics.cutoffTolerance { break }
                    } else {
                        hi = delta
                        let saturated = surfaceStoichiometry(trial).contains(where: { $0 >= 0.99999 })
                        marginHi = vt.isFinite && !saturated ? vt - limit : nil
                        if lastMoved == 1 { marginLo *= 0.5 }
                        lastMoved = 1
                    }
                    if hi - lo < 1e-12 * nominal { break }
                }
                if let (s, d) = best {
                    accept(s, dt: d)
                    result.record(
                        t: t, vsLi: voltageVsLi(s), charge: charge, counterPotential: cell.counterElectrode.potential)
                }
                reason = .voltageCutoff
                break
            }
        }
        result.termination = reason
        let final = StepSolution(phiE: phiE, phiS: phiS, iN: iN, c: c)
        result.finish(
            phiE: phiE, surface: surfaceProfile(final), mean: meanStoichiometry(c),
            particles: classAveragedParticles(c),
            lithium: lithium(c), steps: steps)
        return result
    }
}
