import Foundation
import Materials
import SolverCore

/// Settings of a 2D run: the cell (materials, kinetics, separator, counter electrode, θ₀, cut-off; its
/// diffusivity is the fast in-plane D_f), the microstructure, the anisotropy and the protocol.
public struct Dense2DSetup: Sendable, Equatable, Codable {
    public var cell: Dense1DCell
    public var microstructure: Microstructure
    /// D_s/D_f: diffusivity across the Li layers (through the (003) facets) relative to along them.
    public var anisotropyRatio: Double
    public var cRate: Double
    /// Time steps per nominal duration 1/C-rate (BDF2 at constant step).
    public var stepsPerNominal: Int
    /// Times [s] at which θ maps are stored (the end state is always stored).
    public var snapshotTimes: [Double]
    /// A liquid electrolyte instead of the solid one (nil): it wets the whole top face and every pore open to it,
    /// and replaces the SE separator's resistance by the transport through a soaked porous separator.
    public var liquid: LiquidElectrolyteSettings? = nil
    public init(
        cell: Dense1DCell, microstructure: Microstructure, anisotropyRatio: Double = 3e-3, cRate: Double = 1,
        stepsPerNominal: Int = 100, snapshotTimes: [Double] = []
    ) {
        self.cell = cell
        self.microstructure = microstructure
        self.anisotropyRatio = anisotropyRatio
        self.cRate = cRate
        self.stepsPerNominal = stepsPerNominal
        self.snapshotTimes = snapshotTimes
    }
}

/// The outcome of a 2D run.
public struct Dense2DResult: Sendable, Codable, Equatable {
    public var time: [Double] = []
    public var voltage: [Double] = []
    public var voltageVsLi: [Double] = []
    public var capacityMilliampHoursPerGram: [Double] = []
    /// θ maps (row-major i·ny + j; holes NaN) at `snapshotTimes`; the last is the end of discharge.
    public var snapshotTimes: [Double] = []
    public var snapshots: [[Double]] = []
    /// Interface current density i_n·r_a per projected area [A m⁻²] along y at the end, and surface θ_s.
    public var interfaceCurrent: [Double] = []
    public var surfaceStoichiometry: [Double] = []
    public var nx = 0, ny = 0
    public var thickness = 0.0, width = 0.0
    public var initialStoichiometry = 0.0
    /// Liquid cells only: the salt concentration at the end [mol m⁻³] on the section's grid (NaN outside open
    /// pores) and in the separator (rows from x = L upwards, row-major), and the salt in the liquid per unit
    /// projected area at the start and the end [mol m⁻²] (conservation check).
    public var poreConcentration: [Double] = []
    public var separatorConcentration: [Double] = []
    public var separatorRows = 0
    public var initialSalt = 0.0, finalSalt = 0.0
    /// Smallest and largest θ seen during the run (positivity and maximum-principle check).
    public var minimumStoichiometry = 1.0
    public var maximumStoichiometry = 0.0
    public var initialLithium = 0.0, finalLithium = 0.0, chargePassed = 0.0
    public var steps = 0
    /// Why the discharge could not start (zero capacity, no curve), with the numbers; nil when it ran.
    public var startFailure: String?

    public var capacity: Double { capacityMilliampHoursPerGram.last ?? 0 }

    /// The capacity passed at `time` [s], linear between the recorded steps (exact at constant current), the
    /// last value after the end.
    public func capacity(atTime time: Double) -> Double {
        guard let after = self.time.firstIndex(where: { $0 >= time }) else { return capacity }
        guard after > 0 else { return capacityMilliampHoursPerGram.first ?? 0 }
        let (t0, t1) = (self.time[after - 1], self.time[after])
        let (q0, q1) = (capacityMilliampHoursPerGram[after - 1], capacityMilliampHoursPerGram[after])
        return t1 > t0 ? q0 + (q1 - q0) * (time - t0) / (t1 - t0) : q1
    }

    /// Utilisation vs depth, averaged along y over solid cells: (θ̄(x) − θ₀)/(1 − θ₀) at the end.
    public var utilisationVsDepth: [Double] {
        guard let last = snapshots.last else { return [] }
        return (0..<nx).map { i in
            let row = (0..<ny).map { last[i * ny + $0] }.filter { !$0.isNaN }
            return row.isEmpty
                ? .nan : (row.reduce(0, +) / Double(row.count) - initialStoichiometry) / (1 - initialStoichiometry)
        }
    }
    public var depth: [Double] { (0..<nx).map { (Double($0) + 0.5) / Double(nx) } }
}

/// Model B: 2D solid-state diffusion in a dense-cathode cross-section with anisotropic grains, holes,
/// contact loss and roughness, and Butler–Volmer kinetics with a current distribution solved for one
/// cell voltage shared by all contact faces (shared/docs/physics.md §3).
///
///     ∂θ/∂t = ∇·(D(x, y) ∇θ),  D = R(φ_g) diag(D_f, D_s) R(φ_g)ᵀ per grain,
///     no flux on x = 0, on holes and on non-contact faces; on contact face j (x = L):
///     D ∂θ/∂x = r_a,j i_n,j / (F c_max),  i_n,j = −2 i₀(θ_s,j) sinh(f (Δφ − U(θ_s,j))/2),
///     Σ_j r_a,j Δy i_n,j = I W  (one Δφ = φ_s − φ_e for all faces),   V_vs Li = Δφ − I R_SE − η_CE.
///
/// Scheme (why): the normal fluxes use the two-point flux approximation with harmonic-mean face
/// coefficients, which is monotone for grain-aligned tensors; the cross-diffusion D_xy ∂θ/∂y (x-faces) and
/// D_yx ∂θ/∂x (y-faces) use the slope-limited symmetric transverse gradient of Sharma and Hammett
/// (J. Comput. Phys. 227, 123 (2007)) with van Leer's smooth limiter, which keeps rotated tensors from producing
/// overshoots or negative θ, and every face flux is antisymmetric between its two cells, so the scheme is
/// conservative. The TPFA part and the central cross stencil are implicit in a banded LU (bandwidth
/// n_y + 1, cells ordered y-fastest) factorised once per step size; the limited-minus-central cross flux
/// is a deferred correction lagged in an Anderson-accelerated Picard loop (after 4 passes the limiter's ratios
/// are frozen, which makes the remaining iteration linear); the interface is solved exactly in each pass through a
/// capacitance matrix (the top-row response to unit sources at the contact faces). A liquid electrolyte
/// (`Dense2DSetup.liquid`, docs/liquid-electrolyte.md) adds its own capacitance matrices for φ_e and c_e.
/// Time: BDF2 at constant step, refined 8× once the cut-off is within three steps' voltage drop (or 5 mV);
/// the end of discharge is located by linear interpolation in the last (short) step.
public struct Dense2DModel: Sendable {
    public let setup: Dense2DSetup
    public init(_ setup: Dense2DSetup) { self.setup = setup }

    public func run() throws -> Dense2DResult {
        try setup.validate()
        var e = Dense2DEngine(setup: setup)
        try e.prepareLiquid()
        return try e.run()
    }
}

struct Dense2DEngine {
    /// cos φ and sin φ of a grain angle, exact (0, ±1) at multiples of 90°. A (003) ∥ CC grain (φ = π/2 in floating
    /// point) would otherwise get D_xy = (D_f − D_s)·cos φ·sin φ ≈ 6e-17 D_f: a cross term of round-off size that
    /// sends the whole run down the cross-term path (banded LU, limited fluxes, Picard passes) for nothing.
    static func cosineSine(_ angle: Double) -> (cosine: Double, sine: Double) {
        let quarterTurns = (angle / (Double.pi / 2)).rounded()
        guard abs(angle - quarterTurns * Double.pi / 2) <= 1e-12 else { return (cos(angle), sin(angle)) }
        switch Int(quarterTurns) & 3 {
        case 0: return (1, 0)
        case 1: return (0, 1)
        case 2: return (-1, 0)
        default: return (0, -1)
        }
    }

    /// The steps are refined once the voltage is closer to the cut-off than this many times the last step's drop …
    static let refinementLookahead = 3.0
    /// … or than this margin [V] (a flat voltage curve that steepens within one step).
    static let refinementFloor = 0.005
    let s: Dense2DSetup
    let m: Microstructure
    let nx: Int, ny: Int, n: Int
    let dx: Double, dy: Double
    let dxx: [Double], dyy: [Double], dxy: [Double]
    let current: Double  // I [A m⁻²] (projected)
    let massPerArea: Double  // kg m⁻² of solid
    let f: Double
    let cmax: Double
    var theta: [Double], thetaPrev: [Double]
    /// The electrode potential state: the uniform Δφ = φ_s − φ_e of a solid electrolyte, or φ_s against the
    /// counter electrode's surface in a liquid cell.
    var deltaPhi = 0.0
    /// A liquid cell's electrolyte: its mesh, settings, and concentration (two levels for BDF2) and potential.
    private(set) var liquid: LiquidMesh? = nil
    let liquidSettings: LiquidElectrolyteSettings
    var liquidC: [Double] = [], liquidCPrev: [Double] = [], liquidPhi: [Double] = []
    let hasCrossTerms: Bool
    /// Whether any cell has D_xy ≠ 0 (without one, no face has a cross flux and the face loop can be skipped).
    let anyCrossCoefficient: Bool
    /// The contacting interface faces (top faces of the last row, or every solid/SE face of an explicit rough
    /// interface), the distinct cells behind them, and each face's index into that list.
    let faces: [InterfaceFace]
    let faceCells: [Int]
    let faceCellIndex: [Int]
    /// The central cross stencil as (row, column, coefficient) entries, built once: the Picard passes apply it
    /// every time.
    private(set) var crossRows: [Int] = [], crossColumns: [Int] = [], crossCoefficients: [Double] = []

    init(setup: Dense2DSetup) {
        s = setup
        // A liquid wets every face of the top and of the pores open to it: full contact, open pores as electrolyte.
        var section = setup.microstructure
        if setup.liquid != nil {
            section.contact = Array(repeating: true, count: section.ny)
            let open = LiquidMesh.openPores(section)
            section.electrolyte = open.contains(true) ? open : nil
        }
        m = section
        nx = m.nx
        ny = m.ny
        n = nx * ny
        dx = m.dx
        dy = m.dy
        let df = setup.cell.diffusivity.reference
        let ds = df * setup.anisotropyRatio
        var a = [Double](repeating: 0, count: nx * ny)
        var b = a
        var c = a
        let cracked = setup.microstructure.cracked
        for k in 0..<(nx * ny) {
            let (co, si) = Self.cosineSine(setup.microstructure.grainAngles[setup.microstructure.grain[k]])
            // A crack along the (003) plane blocks the across-layer direction of its cell.
            let across = cracked?[k] == true ? 0 : ds
            a[k] = df * co * co + across * si * si
            b[k] = df * si * si + across * co * co
            c[k] = (df - across) * si * co
        }
        dxx = a
        dyy = b
        dxy = c
        hasCrossTerms = c.contains { abs($0) > 1e-300 }
        anyCrossCoefficient = c.contains { $0 != 0 }
        let solid = Double(setup.microstructure.hole.filter { !$0 }.count) / Double(nx * ny)
        massPerArea = solid * setup.cell.activeDensity * setup.microstructure.thickness
        current = setup.cRate * setup.cell.ratedCapacityMilliampHoursPerGram * 3.6 * 1000 * massPerArea / 3600
        f = PhysicalConstants.inverseThermalVoltage(setup.cell.temperature)
        cmax = setup.cell.maxConcentration
        theta = setup.microstructure.hole.map { $0 ? Double.nan : setup.cell.initialStoichiometry }
        thetaPrev = theta
        faces = section.interfaceFaces().filter { section.contact[$0.column] }
        var cells: [Int] = []
        var index: [Int] = []
        var position: [Int: Int] = [:]
        for f in faces {
            if position[f.cell] == nil {
                position[f.cell] = cells.count
                cells.append(f.cell)
            }
            index.append(position[f.cell]!)
        }
        faceCells = cells
        faceCellIndex = index
        liquidSettings = setup.liquid ?? LiquidElectrolyteSettings()
        var rows: [Int] = []
        var cols: [Int] = []
        var coefficients: [Double] = []
        forEachCentralCross {
            rows.append($0)
            cols.append($1)
            coefficients.append($2)
        }
        crossRows = rows
        crossColumns = cols
        crossCoefficients = coefficients
    }

    /// Builds the liquid's mesh and its rest state (uniform c₀, φ_e = 0) for a liquid cell; nothing otherwise.
    mutating func prepareLiquid() throws {
        guard let settings = s.liquid else { return }
        guard !faces.isEmpty else {
            throw ModelInputError.invalidValue(
                parameter: "electrolyte",
                reason: "the liquid cell has no wetted face: no solid cell borders the top face or a pore open to it")
        }
        let mesh = try LiquidMesh(microstructure: m, faces: faces, settings: settings)
        liquid = mesh
        liquidC = Array(repeating: settings.initialConcentration, count: mesh.count)
        liquidCPrev = liquidC
        liquidPhi = Array(repeating: 0, count: mesh.count)
    }

    /// β of a face: θ_s − θ_cell = β i for a face current density i (true area), from the half-cell distance
    /// and the face-normal diffusivity of the cell.
    @inline(__always) func beta(_ face: InterfaceFace) -> Double {
        let half = face.normalToX ? 0.5 * dx : 0.5 * dy
        let d = face.normalToX ? dxx[face.cell] : dyy[face.cell]
        return face.areaFactor * half / (PhysicalConstants.faraday * cmax * max(d, 1e-300))
    }

    /// θ-source in a face's cell per unit face current density (over a step Δt): r_a ℓ Δt/(F c_max ΔxΔy) × ΔxΔy.
    @inline(__always) func sourcePerCurrent(_ face: InterfaceFace, dt: Double) -> Double {
        face.areaFactor * face.length * dt / (PhysicalConstants.faraday * cmax)
    }

    @inline(__always) func solid(_ k: Int) -> Bool { !m.hole[k] }

    /// y-neighbour of column j (periodic wrap or nil at a closed side).
    @inline(__always) func yNeighbour(_ j: Int, _ d: Int) -> Int? {
        let jj = j + d
        if jj >= 0 && jj < ny { return jj }
        return m.periodic ? (jj + ny) % ny : nil
    }

    /// Two-point transmissibilities (per unit depth): x-face between (i, j) and (i+1, j), y-face between (i, j) and (i, j+1).
    func tx(_ i: Int, _ j: Int) -> Double {
        let a = m.index(i, j)
        let b = m.index(i + 1, j)
        guard solid(a), solid(b), dxx[a] + dxx[b] > 0 else { return 0 }
        return 2 * dxx[a] * dxx[b] / (dxx[a] + dxx[b]) * dy / dx
    }
    func ty(_ i: Int, _ j: Int) -> Double {
        guard let jn = yNeighbour(j, 1), jn != j else { return 0 }
        let a = m.index(i, j)
        let b = m.index(i, jn)
        guard solid(a), solid(b), dyy[a] + dyy[b] > 0 else { return 0 }
        return 2 * dyy[a] * dyy[b] / (dyy[a] + dyy[b]) * dx / dy
    }

    /// The factorised step matrix M + Δt·A. Without cross terms it is symmetric positive definite (TPFA with
    /// symmetric transmissibilities, identity rows in holes) and is factorised by the supernodal sparse Cholesky
    /// on a nested-dissection ordering with the interface cells numbered last (`stepStructure`), so the interface
    /// response comes from the last supernode alone; with cross terms the central cross stencil makes it
    /// non-symmetric and the band LU with partial pivoting is used.
    func assemble(dt: Double, alpha0: Double, structure: SparseCholeskyStructure? = nil) throws -> DiffusionFactor {
        if !hasCrossTerms {
            var factor = SparseCholesky(structure: try structure ?? stepStructure())
            assembleTPFA(dt: dt, alpha0: alpha0) { row, col, value in if col <= row { factor.add(row, col, value) } }
            try factor.factorise()
            return .cholesky(factor)
        }
        var lu = BandedLU(n: n, kl: ny + 1, ku: ny + 1)
        assembleTPFA(dt: dt, alpha0: alpha0) { lu.add($0, $1, $2) }
        // Central (unlimited) cross-diffusion stencil, implicit where it fits the band; the difference to the
        // limited flux is the deferred correction lagged in the Picard loop.
        for e in crossRows.indices { lu.add(crossRows[e], crossColumns[e], dt * crossCoefficients[e]) }
        try lu.factorise()
        return .banded(lu)
    }

    /// The pattern of the symmetric step matrix (the two-point couplings of neighbouring solid cells, periodic
    /// wrap included) with cell-centre coordinates for the nested dissection and the interface cells last.
    func stepStructure() throws -> SparseCholeskyStructure {
        var adjacency = [[Int]](repeating: [], count: n)
        var x = [Double](repeating: 0, count: n)
        var y = [Double](repeating: 0, count: n)
        for i in 0..<nx {
            for j in 0..<ny {
                let k = m.index(i, j)
                x[k] = (Double(i) + 0.5) * dx
                y[k] = (Double(j) + 0.5) * dy
                guard solid(k) else { continue }
                if i + 1 < nx, solid(m.index(i + 1, j)) { adjacency[k].append(m.index(i + 1, j)) }
                if let jn = yNeighbour(j, 1), jn != j, solid(m.index(i, jn)) { adjacency[k].append(m.index(i, jn)) }
            }
        }
        return try SparseCholeskyStructure.shared(adjacency: adjacency, x: x, y: y, last: faceCells)
    }

    /// Accumulation and two-point fluxes: calls `add(row, column, value)` for every entry (both triangles).
    func assembleTPFA(dt: Double, alpha0: Double, _ add: (Int, Int, Double) -> Void) {
        let v = dx * dy
        for i in 0..<nx {
            for j in 0..<ny {
                let k = m.index(i, j)
                guard solid(k) else {
                    add(k, k, 1)
                    continue
                }
                add(k, k, alpha0 * v)
                if i + 1 < nx {
                    let t = dt * tx(i, j)
                    if t > 0 {
                        add(k, k, t)
                        add(k, m.index(i + 1, j), -t)
                    }
                }
                if i > 0 {
                    let t = dt * tx(i - 1, j)
                    if t > 0 {
                        add(k, k, t)
                        add(k, m.index(i - 1, j), -t)
                    }
                }
                if let jn = yNeighbour(j, 1), jn != j {
                    let t = dt * ty(i, j)
                    if t > 0 {
                        add(k, k, t)
                        add(k, m.index(i, jn), -t)
                    }
                }
                if let jp = yNeighbour(j, -1), jp != j {
                    let t = dt * ty(i, jp)
                    if t > 0 {
                        add(k, k, t)
                        add(k, m.index(i, jp), -t)
                    }
                }
            }
        }
    }

    /// The central cross-flux stencil: calls `body(row, column, a)` meaning "+a·θ_column on the left side of
    /// row's balance" for every entry among solid cells of the faces whose whole stencil lies within `bandLimit` of
    /// both cells (|row − column| ≤ ny + 1 by default: the band of the step matrix; the small-signal solver asks
    /// for every face and lags the entries outside the band).
    func forEachCentralCross(bandLimit: Int? = nil, _ body: (Int, Int, Double) -> Void) {
        let limit = bandLimit ?? ny + 1
        for i in 0..<nx {
            for j in 0..<ny {
                let k = m.index(i, j)
                guard solid(k) else { continue }
                if i + 1 < nx, solid(m.index(i + 1, j)), let jn = yNeighbour(j, 1), let jp = yNeighbour(j, -1), jn != j,
                    jp != j
                {
                    let k2 = m.index(i + 1, j)
                    let d = 0.5 * (dxy[k] + dxy[k2])
                    let cols = [
                        (m.index(i, jn), 1.0), (m.index(i, jp), -1.0), (m.index(i + 1, jn), 1.0),
                        (m.index(i + 1, jp), -1.0),
                    ]
                    if d != 0, cols.allSatisfy({ solid($0.0) && abs($0.0 - k) <= limit && abs($0.0 - k2) <= limit }) {
                        for (c, sgn) in cols {
                            body(k, c, -d * sgn / 4 * dy / dy)
                            body(k2, c, d * sgn / 4 * dy / dy)
                        }
                    }
                }
                if let jn = yNeighbour(j, 1), jn != j, solid(m.index(i, jn)), i > 0, i + 1 < nx {
                    let k2 = m.index(i, jn)
                    let d = 0.5 * (dxy[k] + dxy[k2])
                    let cols = [
                        (m.index(i + 1, j), 1.0), (m.index(i - 1, j), -1.0), (m.index(i + 1, jn), 1.0),
                        (m.index(i - 1, jn), -1.0),
                    ]
                    if d != 0, cols.allSatisfy({ solid($0.0) && abs($0.0 - k) <= limit && abs($0.0 - k2) <= limit }) {
                        for (c, sgn) in cols {
                            body(k, c, -d * sgn / 4 * dx / dx)
                            body(k2, c, d * sgn / 4 * dx / dx)
                        }
                    }
                }
            }
        }
    }

    /// Subtracts Δt × (the central cross-flux part the matrix holds) applied to `th` from the left side, i.e. adds it to `rhs`.
    func addCentralCross(_ th: [Double], dt: Double, into rhs: inout [Double]) {
        for e in crossRows.indices { rhs[crossRows[e]] += dt * crossCoefficients[e] * th[crossColumns[e]] }
    }

    /// Limited average of two slopes: van Leer's harmonic mean 2ab/(a + b), zero when they disagree in
    /// sign (B. van Leer, J. Comput. Phys. 14, 361 (1974)). It is a smooth limiter, which keeps the lagged
    /// correction iteration from cycling between branches the way the piecewise MC limiter can.
    @inline(__always) static func mc(_ a: Double, _ b: Double) -> Double {
        if a * b <= 0 { return 0 }
        return 2 * a * b / (a + b)
    }

    /// Calls `body(k, k2, d, slopes, isXFace)` for every face between two solid cells with a cross coefficient
    /// d = ½(D_xy,k + D_xy,k2) ≠ 0: x-faces (i+½, j) with the four one-sided transverse (y) slopes of the two cells,
    /// y-faces (i, j+½) with their four x slopes (zero into holes and walls).
    private func forEachCrossFace(
        _ th: [Double], _ body: (Int, Int, Double, (Double, Double, Double, Double), Bool) -> Void
    ) {
        func value(_ i: Int, _ j: Int?) -> Double? {
            guard let j, i >= 0, i < nx else { return nil }
            let k = m.index(i, j)
            return solid(k) ? th[k] : nil
        }
        // Transverse (y) slopes at cell (i, j): forward and backward differences (zero into holes/walls).
        func ySlopes(_ i: Int, _ j: Int) -> (Double, Double) {
            let c = th[m.index(i, j)]
            let up = value(i, yNeighbour(j, 1)).map { ($0 - c) / dy } ?? 0
            let down = value(i, yNeighbour(j, -1)).map { (c - $0) / dy } ?? 0
            return (up, down)
        }
        func xSlopes(_ i: Int, _ j: Int) -> (Double, Double) {
            let c = th[m.index(i, j)]
            let up = value(i + 1, j).map { ($0 - c) / dx } ?? 0
            let down = value(i - 1, j).map { (c - $0) / dx } ?? 0
            return (up, down)
        }
        for i in 0..<nx {
            for j in 0..<ny {
                let k = m.index(i, j)
                guard solid(k) else { continue }
                // x-face (i+½, j).
                if i + 1 < nx, solid(m.index(i + 1, j)) {
                    let k2 = m.index(i + 1, j)
                    let d = 0.5 * (dxy[k] + dxy[k2])
                    if d != 0 {
                        let (a, b) = ySlopes(i, j)
                        let (c, e) = ySlopes(i + 1, j)
                        body(k, k2, d, (a, b, c, e), true)
                    }
                }
                // y-face (i, j+½).
                if let jn = yNeighbour(j, 1), jn != j, solid(m.index(i, jn)) {
                    let k2 = m.index(i, jn)
                    let d = 0.5 * (dxy[k] + dxy[k2])
                    if d != 0 {
                        let (a, b) = xSlopes(i, j)
                        let (c, e) = xSlopes(i, jn)
                        body(k, k2, d, (a, b, c, e), false)
                    }
                }
            }
        }
    }

    /// Adds Δt × (cross-flux divergence) of the state `th` to `rhs`. The transverse slope of a face is the limited
    /// average of its four one-sided slopes; with `frozen` ratios it is ratio × their plain mean instead, which is
    /// linear in θ (see `limiterRatios`).
    func addCrossFluxes(
        _ th: [Double], dt: Double, into rhs: inout [Double], frozen: (x: [Double], y: [Double])? = nil
    ) {
        guard anyCrossCoefficient else { return }
        forEachCrossFace(th) { k, k2, d, slopes, isXFace in
            let (a, b, c, e) = slopes
            let g: Double
            if let frozen {
                g = (isXFace ? frozen.x[k] : frozen.y[k]) * 0.25 * (a + b + c + e)
            } else {
                g = Self.mc(Self.mc(a, b), Self.mc(c, e))
            }
            // Flux of θ from cell k2 into cell k is +d g (J_x,cross = −D_xy ∂yθ).
            let q = dt * d * g * (isXFace ? dy : dx)
            rhs[k] += q
            rhs[k2] -= q
        }
    }

    /// Per face, the limited transverse slope's ratio to the plain mean of its four one-sided slopes at `th` (x-faces
    /// indexed by their lower cell, y-faces by their left cell; 0 where the mean vanishes). Frozen at an iterate, they
    /// make the limited cross flux a linear function of θ: the lagged iteration of a step then converges like a
    /// linear fixed point, where the piecewise limiter can otherwise cycle (seen with rotated grains under a liquid).
    func limiterRatios(_ th: [Double]) -> (x: [Double], y: [Double]) {
        var x = [Double](repeating: 0, count: n)
        var y = [Double](repeating: 0, count: n)
        forEachCrossFace(th) { k, _, _, slopes, isXFace in
            let (a, b, c, e) = slopes
            let mean = 0.25 * (a + b + c + e)
            let ratio = mean == 0 ? 0 : Self.mc(Self.mc(a, b), Self.mc(c, e)) / mean
            if isXFace { x[k] = ratio } else { y[k] = ratio }
        }
        return (x, y)
    }

    // MARK: - Interface kinetics

    /// For the state `th`, the Δφ and the face current densities (true area) that carry the total current, and
    /// θ_s per face; nil when the contact faces cannot carry it (they are saturated): the end of discharge.
    func interfaceFluxes(_ th: [Double], guess: Double, exchange: Double? = nil) -> (
        deltaPhi: Double, currents: [Double], surface: [Double]
    )? {
        let cell = s.cell
        let i0ref = exchange ?? cell.exchangeCurrentDensity
        guard !faces.isEmpty else { return nil }
        // Per face: solve i = g(Δφ, θ_s(i)), θ_s = θ_cell + β i, and return (i, di/dΔφ, θ_s).
        func solveFace(_ a: Int, _ dphi: Double, _ start: Double) -> (Double, Double, Double) {
            let k = faces[a].cell
            let beta = beta(faces[a])
            var i = start
            var out = (0.0, 0.0, th[k])
            for _ in 0..<60 {
                var ts = th[k] + beta * i
                ts = min(max(ts, 1e-12), 1 - 1e-12)
                let root = (ts * (1 - ts)).squareRoot()
                let i0 = i0ref * root / 0.5
                let di0 = i0ref / 0.5 * (1 - 2 * ts) / (2 * max(root, 1e-300))
                let eta = dphi - cell.ocp.voltage(ts)
                let (sh, ch) = hyperbolicSineCosine(f * eta / 2)
                let g = -2 * i0 * sh
                let gEta = -i0 * f * ch
                let gTheta = -2 * di0 * sh - gEta * cell.ocp.slope(ts)
                let h = i - g
                let dh = 1 - gTheta * beta
                var step = h / dh
                if !step.isFinite { step = 0 }
                // Keep θ_s inside (0, 1).
                var next = i - step
                let tsNext = th[k] + beta * next
                if tsNext >= 1 { next = 0.5 * (i + (1 - 1e-12 - th[k]) / beta) }
                if tsNext <= 0 { next = 0.5 * (i + (1e-12 - th[k]) / beta) }
                let converged = abs(next - i) <= 1e-11 * max(abs(i), 1e-6)
                i = next
                out = (i, gEta / dh, th[k] + beta * i)
                if converged { break }
            }
            return out
        }
        let target = current * m.width
        var dphi = guess
        var currents = [Double](repeating: 0, count: faces.count)
        var surface = [Double](repeating: .nan, count: faces.count)
        var lo = -10.0
        var hi = 10.0  // bracket for Δφ [V]
        for _ in 0..<100 {
            var total = 0.0
            var dTotal = 0.0
            for a in faces.indices {
                // Warm start, except from a saturated face (θ_s ≈ 1), whose Newton would creep back from the clamp.
                let (i, di, ts) = solveFace(a, dphi, surface[a] < 1 - 1e-6 ? currents[a] : 0)
                currents[a] = i
                surface[a] = ts
                total += faces[a].areaFactor * faces[a].length * i
                dTotal += faces[a].areaFactor * faces[a].length * di
            }
            let r = total - target  // decreasing in Δφ
            if abs(r) <= 1e-10 * target { break }
            if r > 0 { lo = dphi } else { hi = dphi }
            // Newton on Δφ, at most 0.2 V per step: a first step from open circuit with slow kinetics (small
            // di/dΔφ) would otherwise jump volts deep and start the faces on their saturated branch.
            var next = dTotal < 0 ? dphi - max(-0.2, min(0.2, r / dTotal)) : .nan
            if !(next > lo && next < hi) || !next.isFinite { next = 0.5 * (lo + hi) }
            if hi - lo < 1e-13 { return nil }
            dphi = next
        }
        // Saturated interface: the current cannot be carried without θ_s → 1.
        if surface.contains(where: { $0 >= 1 - 1e-9 }) || !dphi.isFinite || dphi < -5 { return nil }
        return (dphi, currents, surface)
    }

    /// The cathode's potential vs Li/Li⁺: Δφ − I R_SE − η_CE with a solid separator; φ_s − η_CE in a liquid cell,
    /// whose separator loss is inside φ_s (the electrolyte potential is referred to the counter electrode's surface).
    func voltageVsLi(_ dphi: Double) -> Double {
        if liquid != nil {
            return dphi - s.cell.counterElectrode.overpotential(current: current, inverseThermalVoltage: f)
        }
        return dphi - current * s.cell.separatorResistance
            - s.cell.counterElectrode.overpotential(current: current, inverseThermalVoltage: f)
    }

    func lithium(_ th: [Double]) -> Double {
        var sum = 0.0
        for k in 0..<n where solid(k) { sum += th[k] }
        return sum * dx * dy * cmax / m.width  // mol per projected area
    }

    /// One step's result: θ, Δφ, and per contact face the current density (true area) and θ_s.
    struct StepOutcome {
        var theta: [Double]
        var dphi: Double
        var currents: [Double]
        var surface: [Double]
        var saturated: Bool
        /// A liquid cell's salt concentration and potential at the new time (empty otherwise).
        var liquidC: [Double] = []
        var liquidPhi: [Double] = []
    }

    /// A factorised step operator and its interface response: `response[u][v]` is θ in face cell u per unit
    /// source in face cell v (the "capacitance matrix"), and, per face cell v, the response column A⁻¹e_v: the
    /// full field of a pass is then θ_B + Σ_v s_v A⁻¹e_v without a second solve (`cellColumns` is empty without
    /// cross terms — one pass per step — or when n_cells·n would exceed 5·10⁷ numbers; then the pass solves again).
    struct StepOperator {
        let lu: DiffusionFactor
        let response: [[Double]]
        let cellColumns: [Double]
        /// The BDF2 coefficient of the new level the operator was built with (M α₀ + Δt A).
        let alpha0: Double
    }

    func makeOperator(dt: Double, alpha0: Double, structure: SparseCholeskyStructure? = nil) throws -> StepOperator {
        let lu = try assemble(dt: dt, alpha0: alpha0, structure: structure)
        let nu = faceCells.count
        var response: [[Double]] = Array(repeating: Array(repeating: 0, count: nu), count: nu)
        let band: BandedLU
        switch lu {
        case .cholesky(let factor):
            // The interface cells are the last supernode: (A⁻¹) on them is that block's inverse.
            var e = [Double](repeating: 0, count: nu)
            for v in 0..<nu {
                for u in 0..<nu { e[u] = 0 }
                e[v] = 1
                factor.solveTrailing(&e)
                for u in 0..<nu { response[u][v] = e[u] }
            }
            return StepOperator(lu: lu, response: response, cellColumns: [], alpha0: alpha0)
        case .banded(let factor):
            band = factor
        }
        var e = [Double](repeating: 0, count: n)
        let firstCell = faceCells.min() ?? 0
        // Columns pay n_cells full solves up front and save one solve per pass: worth it only when the cross
        // terms need several passes per step.
        let keepColumns = nu * n <= 50_000_000
        var columns = [Double](repeating: 0, count: keepColumns ? nu * n : 0)
        for (v, kv) in faceCells.enumerated() {
            for k in 0..<n { e[k] = 0 }
            e[kv] = 1
            if keepColumns {
                band.solveRange(&e, firstNonzero: kv, neededFrom: 0)
                for k in 0..<n { columns[v * n + k] = e[k] }
            } else {
                band.solveRange(&e, firstNonzero: kv, neededFrom: firstCell)  // only the face cells are needed
            }
            for (u, ku) in faceCells.enumerated() { response[u][v] = e[ku] }
        }
        return StepOperator(lu: lu, response: response, cellColumns: columns, alpha0: alpha0)
    }

    /// Kinetics of contact face a at given cell θ and Δφ: i_n (true area), di/dΔφ, di/dθ_cell and θ_s, with
    /// θ_s = θ_cell + β i, i.e. the root of h(i) = i − g(θ_cell + β i, Δφ), g the Butler–Volmer current.
    /// `exchange` is i₀ at θ_s = ½ (the cell's i₀,ref with a solid electrolyte; k c_e^½ c_max/2 in a liquid).
    /// Newton from the last current first; when it does not settle in 80 iterations (fast kinetics on a steep OCP
    /// with a large β make it overshoot back and forth), the root is bracketed instead: i₀ ∝ (θ_s(1 − θ_s))^½
    /// vanishes at θ_s = 0 and 1, so h < 0 at θ_s = 0 and h > 0 at θ_s = 1, and a safeguarded Newton
    /// (`ScalarRoot`) always finds it. Nil only when even that fails (not seen).
    func faceKinetics(_ a: Int, top: Double, dphi: Double, start: Double, exchange: Double? = nil) -> (
        i: Double, dPhi: Double, dTop: Double, surface: Double
    )? {
        let cell = s.cell
        let reference = exchange ?? cell.exchangeCurrentDensity
        let beta = beta(faces[a])
        // Value, ∂g/∂η and ∂g/∂θ_s of the Butler–Volmer current at surface stoichiometry ts.
        func butlerVolmer(_ surfaceValue: Double) -> (g: Double, gEta: Double, gTheta: Double) {
            let ts = min(max(surfaceValue, 1e-12), 1 - 1e-12)
            let root = (ts * (1 - ts)).squareRoot()
            let i0 = reference * root / 0.5
            let di0 = reference / 0.5 * (1 - 2 * ts) / (2 * max(root, 1e-300))
            let eta = dphi - cell.ocp.voltage(ts)
            let (sh, ch) = hyperbolicSineCosine(f * eta / 2)
            let gEta = -i0 * f * ch
            return (-2 * i0 * sh, gEta, -2 * di0 * sh - gEta * cell.ocp.slope(ts))
        }
        var i = start
        for _ in 0..<80 {
            let (g, gEta, gTheta) = butlerVolmer(top + beta * i)
            let dh = 1 - gTheta * beta
            var next = i - (i - g) / dh
            if !next.isFinite { break }
            let tsNext = top + beta * next
            if tsNext >= 1 { next = 0.5 * (i + (1 - 1e-12 - top) / beta) }
            if tsNext <= 0 { next = 0.5 * (i + (1e-12 - top) / beta) }
            let done = abs(next - i) <= 1e-11 * max(abs(i), 1e-6)
            i = next
            if done { return (i, gEta / dh, gTheta / dh, top + beta * i) }
        }
        let lower = (1e-12 - top) / beta
        let upper = (1 - 1e-12 - top) / beta
        guard lower < upper,
            let root = try? ScalarRoot.solve(
                lo: lower, hi: upper, xTolerance: 1e-14 * (upper - lower), maxIterations: 400,
                { current in
                    let (g, _, gTheta) = butlerVolmer(top + beta * current)
                    return (current - g, 1 - gTheta * beta)
                })
        else { return nil }
        let (_, gEta, gTheta) = butlerVolmer(top + beta * root)
        let dh = 1 - gTheta * beta
        return (root, gEta / dh, gTheta / dh, top + beta * root)
    }

    /// One implicit step. The interface is solved exactly in every pass (a chord Newton, `chordNewton`, on the
    /// contact-face top values and the potentials through the capacitance matrices; its factorised Jacobian
    /// `interfaceJacobian` is the caller's, kept from step to step), the limited-minus-central cross fluxes are
    /// lagged in a Picard loop.
    func advance(
        op: StepOperator, a1: Double, a2: Double, dt: Double, dphi dphi0: Double, currents currents0: [Double],
        surface: [Double], interfaceJacobian: inout DenseLU?
    ) throws -> StepOutcome {
        let v = dx * dy
        let nc = faces.count
        let nu = faceCells.count
        let sources = faces.map { sourcePerCurrent($0, dt: dt) }  // θ·ΔxΔy added to the face cell per unit i
        var iterate = theta
        var dphi = dphi0
        var currents = currents0
        var surf = surface
        var base = [Double](repeating: 0, count: n)
        var full = base
        var omega = 1.0
        var previousChange = Double.infinity
        var anderson = AndersonMixing(size: n, depth: 5)
        var residualNow = [Double](repeating: 0, count: n)
        // After `freezeAfter` passes without convergence the limiter's ratios are frozen at the iterate. Most steps
        // then converge in a few linear passes; freezing after 12 instead of 4 passes costs a third more passes and
        // moves the 1C capacity of the Fig. 5(c) model system by 1e-5 relative (87.1120 vs 87.1131 mAh g⁻¹ in the
        // liquid cell, 49.69825 vs 49.69832 in the solid one) — far below its grid error.
        var frozenLimiter: (x: [Double], y: [Double])? = nil
        let freezeAfter = 4
        // A liquid cell: its properties, diffusion potential, i₀ and top inflow at the extrapolated concentration
        // c* = 2cⁿ − cⁿ⁻¹ (cⁿ on the start step), which makes the liquid linear within the step: one factorisation
        // per step, and the cross-term passes iterate θ alone (linearly implicit BDF2; Akrivis and Crouzeix,
        // Math. Comp. 73, 613 (2004)). The floor ½cⁿ keeps c* positive near depletion.
        let liquidLagged: [Double] =
            a2 == 0 ? liquidC : zip(liquidC, liquidCPrev).map { now, before in max(2 * now - before, 0.5 * now) }
        let liquidStep = try liquid.map { mesh in
            try LiquidStep(
                mesh: mesh, settings: liquidSettings, temperature: s.cell.temperature, lagged: liquidLagged,
                current: liquidC, previous: liquidCPrev, topInflow: topInflow(liquidPhi, liquidLagged),
                alpha0: op.alpha0, a1: a1, a2: a2, dt: dt)
        }
        var liquidConcentration = liquidC
        var liquidPotential = liquidPhi
        var facePotential = liquid.map { mesh in mesh.faceCells.map { liquidPhi[$0] } } ?? []
        for picard in 0..<300 {
            for k in 0..<n {
                base[k] = solid(k) ? -v * (a1 * theta[k] + a2 * (thetaPrev[k].isNaN ? 0 : thetaPrev[k])) : 0
            }
            addCrossFluxes(iterate, dt: dt, into: &base, frozen: frozenLimiter)
            addCentralCross(iterate, dt: dt, into: &base)
            // θ_B = A⁻¹·base. For the Cholesky factor only its forward half is done now: θ_B on the interface cells
            // (the last supernode) needs just that block, and the interface sources are added to the forward
            // result before the one backward sweep below.
            var thetaB: [Double] = []
            var forwardBase: [Double] = []
            let faceBase: [Double]
            switch op.lu {
            case .cholesky(let factor):
                forwardBase = factor.forwardSolve(base)
                faceBase = factor.trailingBackSolve(forwardBase)
            case .banded(let band):
                thetaB = base
                band.solve(&thetaB)
                faceBase = faceCells.map { thetaB[$0] }
            }
            var top = faceCells.map { iterate[$0] }
            var converged = false
            var lastResidual = Double.infinity
            // A liquid cell: the interface Newton through the step's liquid (linear for the extrapolated c*), then
            // the liquid's fields for the converged face currents. A concentration at or below zero is the
            // liquid's limiting current (salt depletion), which ends the discharge like a saturated interface.
            if let mesh = liquid, let liquidStep {
                let solved = solveLiquidInterface(
                    op: op, step: liquidStep, mesh: mesh, concentration: liquidLagged, faceBase: faceBase,
                    sources: sources, top: &top, facePotential: &facePotential, potential: &dphi,
                    currents: &currents, surface: &surf, jacobianFactor: &interfaceJacobian)
                guard let solved else {
                    return StepOutcome(theta: iterate, dphi: dphi, currents: currents0, surface: surf, saturated: true)
                }
                converged = solved < 1e-12
                lastResidual = solved
                var sums = [Double](repeating: 0, count: mesh.faceCells.count)
                for a in 0..<nc {
                    sums[mesh.faceCellIndex[a]] += faces[a].areaFactor * faces[a].length * currents[a]
                }
                let fields = liquidStep.fields(faceSums: sums, mesh: mesh)
                if fields.concentration.contains(where: { !($0 > 0) }) {
                    return StepOutcome(theta: iterate, dphi: dphi, currents: currents0, surface: surf, saturated: true)
                }
                liquidConcentration = fields.concentration
                liquidPotential = fields.potential
            }
            // Newton on (θ of the face cells, Δφ): a chord iteration like the liquid's, whose factorised Jacobian
            // (`interfaceJacobian`) the caller keeps across passes and steps while it cuts the residual fourfold.
            if liquid == nil {
                let solved = solveSolidInterface(
                    op: op, faceBase: faceBase, sources: sources, top: &top, potential: &dphi, currents: &currents,
                    surface: &surf, jacobianFactor: &interfaceJacobian)
                guard let solved else {
                    return StepOutcome(theta: iterate, dphi: dphi, currents: currents0, surface: surf, saturated: true)
                }
                converged = solved < 1e-12
                lastResidual = solved
            }
            // Round-off can stall Newton just above 1e-12; anything below 1e-9 is converged for θ and I.
            if !converged && !(lastResidual < 1e-9) {
                return StepOutcome(theta: iterate, dphi: dphi, currents: currents0, surface: surf, saturated: true)
            }
            // Full field with the converged interface sources.
            if case .cholesky(let factor) = op.lu {
                var cellSource = [Double](repeating: 0, count: nu)
                for a in 0..<nc { cellSource[faceCellIndex[a]] += sources[a] * currents[a] }
                factor.addTrailingForward(cellSource, to: &forwardBase)
                full = factor.backwardSolve(forwardBase)
            } else if op.cellColumns.isEmpty {
                full = base
                for a in 0..<nc { full[faces[a].cell] += sources[a] * currents[a] }
                op.lu.solve(&full)
            } else {
                var cellSource = [Double](repeating: 0, count: nu)
                for a in 0..<nc { cellSource[faceCellIndex[a]] += sources[a] * currents[a] }
                full = thetaB
                op.cellColumns.withUnsafeBufferPointer { cols in
                    full.withUnsafeMutableBufferPointer { out in
                        for u in 0..<nu {
                            let w = cellSource[u]
                            let col = cols.baseAddress! + u * n
                            for k in 0..<n { out[k] += w * col[k] }
                        }
                    }
                }
            }
            // The limited cross fluxes make the step a fixed point θ = G(θ). Anderson acceleration (depth 5;
            // Walker and Ni, SIAM J. Numer. Anal. 49, 1715 (2011)) combines the last passes, which cuts the number
            // of passes several-fold for rotated grains; if the residual grows it falls back to an under-relaxed
            // plain update (the limiter can make that cycle for strongly rotated tensors) and restarts.
            // After 300 passes a remaining change below 1e-5 in θ (0.003 mAh g⁻¹) is accepted.
            var change = 0.0
            for k in 0..<n where solid(k) { change = max(change, abs(full[k] - iterate[k])) }
            // Each pass conserves Li exactly (flux form) and an Anderson combination has weights summing to 1, so
            // the tolerance only sets the accuracy of θ: 1e-9 is 3e-7 mAh g⁻¹.
            if !hasCrossTerms || (change < 1e-9 && picard > 0) {
                for k in 0..<n where solid(k) { iterate[k] = full[k] }
                break  // without cross terms the step is exact after one pass
            }
            if frozenLimiter == nil && picard + 1 >= freezeAfter {
                // Restart the mixing on the now linear fixed point from the latest field.
                for k in 0..<n where solid(k) { iterate[k] = full[k] }
                frozenLimiter = limiterRatios(iterate)
                anderson.reset()
                omega = 1
                previousChange = .infinity
                continue
            }
            for k in 0..<n { residualNow[k] = solid(k) ? full[k] - iterate[k] : 0 }
            if change > 2 * previousChange {
                anderson.reset()
                omega = max(0.5 * omega, 0.05)
            }
            if let next = anderson.next(g: full, f: residualNow) {
                for k in 0..<n where solid(k) { iterate[k] = next[k] }
            } else {
                for k in 0..<n where solid(k) { iterate[k] += omega * (full[k] - iterate[k]) }
            }
            previousChange = min(previousChange, change)
            if picard == 299 && change > 1e-5 {
                throw SolverError.noConvergence(
                    what: "2D Picard iteration (limited cross terms)", iterations: 300, residual: change)
            }
        }
        return StepOutcome(
            theta: iterate, dphi: dphi, currents: currents, surface: surf, saturated: false,
            liquidC: liquid == nil ? [] : liquidConcentration, liquidPhi: liquidPotential)
    }

    /// The current entering the liquid through the counter electrode's surface per top cell [A m⁻¹]: its
    /// distribution from the previous step's potential field, κ g_top (0 − φ_e), scaled to carry exactly I·W
    /// (uniform at rest), so that the salt the top gains equals what the faces take whatever the pass.
    func topInflow(_ potential: [Double], _ concentration: [Double]) -> [Double] {
        guard let mesh = liquid else { return [] }
        let law = liquidSettings.electrolyte
        let shape = mesh.topCells.enumerated().map { t, k in
            max(
                0,
                -law.conductivity(concentration[k], temperature: s.cell.temperature) * mesh.topConductance[t]
                    * potential[k])
        }
        let total = shape.reduce(0, +)
        let target = current * m.width
        guard total > 0 && total.isFinite else {
            return Array(repeating: target / Double(mesh.topCells.count), count: mesh.topCells.count)
        }
        return shape.map { $0 * target / total }
    }

    /// The step length λ ≤ 1 of an interface Newton update δ whose first entries move the face cells' θ (`top`)
    /// and whose remaining entries move potentials: no θ leaves (0, 1) (it goes at most half way to a bound) and no
    /// potential moves by more than 0.1 V.
    static func dampedStepLength(top: [Double], delta: [Double]) -> Double {
        var lambda = 1.0
        for u in top.indices where delta[u] != 0 {
            let next = top[u] + delta[u]
            if next >= 1 { lambda = min(lambda, 0.5 * (1 - top[u]) / delta[u]) }
            if next <= 0 { lambda = min(lambda, -0.5 * top[u] / delta[u]) }
        }
        for q in top.count..<delta.count { lambda = min(lambda, 0.1 / max(abs(delta[q]), 1e-300)) }
        return lambda
    }

    /// The chord-Newton driver of the interface systems: `evaluate` fills the residual and returns its scaled
    /// largest entry (nil when a face saturates), `assemble` adds the Jacobian at the last evaluated point into a
    /// zeroed row-major buffer, `apply` takes the Newton update −J⁻¹r. The factorised Jacobian (`jacobianFactor`,
    /// kept by the caller across passes and steps) is reused while each iteration cuts the residual at least
    /// fourfold and rebuilt at the current point otherwise, so most iterations cost one back-substitution instead of
    /// a factorisation. Returns the last scaled residual (below 1e-12 when converged), nil when a face saturates.
    static func chordNewton(
        size: Int, jacobianFactor: inout DenseLU?, evaluate: (inout [Double]) -> Double?,
        assemble: (inout [Double]) -> Void, apply: ([Double]) -> Void
    ) -> Double? {
        var residual = [Double](repeating: 0, count: size)
        var jacobian = [Double](repeating: 0, count: size * size)
        var worst = Double.infinity
        var previousWorst = Double.infinity
        for _ in 0..<100 {
            guard let scaled = evaluate(&residual) else { return nil }
            worst = scaled
            if worst < 1e-12 { return worst }
            if jacobianFactor == nil || jacobianFactor?.size != size || worst > 0.25 * previousWorst {
                for q in jacobian.indices { jacobian[q] = 0 }
                assemble(&jacobian)
                jacobianFactor = DenseLU(rowMajor: jacobian, size: size)
            }
            guard let factor = jacobianFactor else { return worst }
            previousWorst = worst
            var delta = residual.map { -$0 }
            factor.solve(&delta)
            apply(delta)
        }
        return worst
    }

    /// The interface of a solid-electrolyte cell for one pass (`chordNewton`): θ of the face cells (through the
    /// capacitance matrix) and the one Δφ of all contact faces,
    ///     θ_u = θ_B,u + Σ_b R_u,b s_b i_b(θ_u(b), Δφ),   Σ_b r_a ℓ i_b = I W.
    func solveSolidInterface(
        op: StepOperator, faceBase: [Double], sources: [Double], top: inout [Double], potential: inout Double,
        currents: inout [Double], surface: inout [Double], jacobianFactor: inout DenseLU?
    ) -> Double? {
        let nc = faces.count
        let nu = faceCells.count
        let size = nu + 1
        let target = current * m.width
        var kinetics = [(i: Double, dPhi: Double, dTop: Double, surface: Double)](
            repeating: (0, 0, 0, 0), count: nc)
        return Self.chordNewton(
            size: size, jacobianFactor: &jacobianFactor,
            evaluate: { residual in
                for a in 0..<nc {
                    guard let r = faceKinetics(a, top: top[faceCellIndex[a]], dphi: potential, start: currents[a])
                    else { return nil }
                    kinetics[a] = r
                }
                for u in 0..<nu { residual[u] = top[u] - faceBase[u] }
                residual[nu] = -target
                for b in 0..<nc {
                    let v = faceCellIndex[b]
                    let i = kinetics[b].i
                    for u in 0..<nu { residual[u] -= op.response[u][v] * sources[b] * i }
                    residual[nu] += faces[b].areaFactor * faces[b].length * i
                }
                for a in 0..<nc {
                    currents[a] = kinetics[a].i
                    surface[a] = kinetics[a].surface
                }
                var worst = abs(residual[nu]) / target
                for u in 0..<nu { worst = max(worst, abs(residual[u])) }
                return worst
            },
            assemble: { jacobian in
                for u in 0..<nu { jacobian[u * size + u] = 1 }
                for b in 0..<nc {
                    let v = faceCellIndex[b]
                    let k = kinetics[b]
                    for u in 0..<nu {
                        let rv = op.response[u][v] * sources[b]
                        jacobian[u * size + v] -= rv * k.dTop
                        jacobian[u * size + nu] -= rv * k.dPhi
                    }
                    let w = faces[b].areaFactor * faces[b].length
                    jacobian[nu * size + v] += w * k.dTop
                    jacobian[nu * size + nu] += w * k.dPhi
                }
            },
            apply: { delta in
                let lambda = Self.dampedStepLength(top: top, delta: delta)
                for u in 0..<nu { top[u] += lambda * delta[u] }
                potential += lambda * delta[nu]
            })
    }

    /// The interface of a liquid cell for one pass (`chordNewton`): θ of the face cells (through the solid's
    /// capacitance matrix), φ_e of the face liquid cells (through the liquid's, G_φ) and φ_s, with
    ///     θ_u = θ_B,u + Σ_b R_u,b s_b i_b,   φ_l = φ_B,l − Σ_b G_φ,l,b r_a ℓ i_b,   Σ_b r_a ℓ i_b = I W,
    /// and i_b the Butler–Volmer current of face b at Δφ_b = φ_s − φ_l(b), i₀ from the lagged c_e of its liquid cell.
    func solveLiquidInterface(
        op: StepOperator, step: LiquidStep, mesh: LiquidMesh, concentration: [Double], faceBase: [Double],
        sources: [Double], top: inout [Double], facePotential: inout [Double], potential: inout Double,
        currents: inout [Double], surface: inout [Double], jacobianFactor: inout DenseLU?
    ) -> Double? {
        let nc = faces.count
        let nu = faceCells.count
        let nl = mesh.faceCells.count
        let size = nu + nl + 1
        let rate = liquidSettings.rateConstant * s.cell.maxConcentration * 0.5
        let exchange = (0..<nc).map { rate * concentration[mesh.faceLiquid[$0]].squareRoot() }
        let weight = faces.map { $0.areaFactor * $0.length }
        let baseLiquid = mesh.faceCells.map { step.potentialBase[$0] }
        let target = current * m.width
        var kinetics = [(i: Double, dPhi: Double, dTop: Double, surface: Double)](
            repeating: (0, 0, 0, 0), count: nc)
        return Self.chordNewton(
            size: size, jacobianFactor: &jacobianFactor,
            evaluate: { residual in
                for a in 0..<nc {
                    let l = mesh.faceCellIndex[a]
                    guard
                        let r = faceKinetics(
                            a, top: top[faceCellIndex[a]], dphi: potential - facePotential[l], start: currents[a],
                            exchange: exchange[a])
                    else { return nil }
                    kinetics[a] = r
                }
                for u in 0..<nu { residual[u] = top[u] - faceBase[u] }
                for l in 0..<nl { residual[nu + l] = facePotential[l] - baseLiquid[l] }
                residual[size - 1] = -target
                for b in 0..<nc {
                    let v = faceCellIndex[b]
                    let lb = mesh.faceCellIndex[b]
                    let i = kinetics[b].i
                    for u in 0..<nu { residual[u] -= op.response[u][v] * sources[b] * i }
                    for l in 0..<nl { residual[nu + l] += step.potentialResponse[l * nl + lb] * weight[b] * i }
                    residual[size - 1] += weight[b] * i
                }
                for a in 0..<nc {
                    currents[a] = kinetics[a].i
                    surface[a] = kinetics[a].surface
                }
                var worst = abs(residual[size - 1]) / target
                for q in 0..<(size - 1) { worst = max(worst, abs(residual[q])) }
                return worst
            },
            assemble: { jacobian in
                for u in 0..<nu { jacobian[u * size + u] = 1 }
                for l in 0..<nl { jacobian[(nu + l) * size + nu + l] = 1 }
                for b in 0..<nc {
                    let v = faceCellIndex[b]
                    let lb = mesh.faceCellIndex[b]
                    let k = kinetics[b]
                    for u in 0..<nu {
                        let rv = op.response[u][v] * sources[b]
                        let row = u * size
                        jacobian[row + v] -= rv * k.dTop
                        jacobian[row + nu + lb] += rv * k.dPhi
                        jacobian[row + size - 1] -= rv * k.dPhi
                    }
                    for l in 0..<nl {
                        let g = step.potentialResponse[l * nl + lb] * weight[b]
                        let row = (nu + l) * size
                        jacobian[row + v] += g * k.dTop
                        jacobian[row + nu + lb] -= g * k.dPhi
                        jacobian[row + size - 1] += g * k.dPhi
                    }
                    let row = (size - 1) * size
                    jacobian[row + v] += weight[b] * k.dTop
                    jacobian[row + nu + lb] -= weight[b] * k.dPhi
                    jacobian[row + size - 1] += weight[b] * k.dPhi
                }
            },
            apply: { delta in
                let lambda = Self.dampedStepLength(top: top, delta: delta)
                for u in 0..<nu { top[u] += lambda * delta[u] }
                for l in 0..<nl { facePotential[l] += lambda * delta[nu + l] }
                potential += lambda * delta[size - 1]
            })
    }

    // MARK: - Driver

    mutating func run() throws -> Dense2DResult {
        var r = Dense2DResult()
        r.nx = nx
        r.ny = ny
        r.thickness = m.thickness
        r.width = m.width
        r.initialStoichiometry = s.cell.initialStoichiometry
        r.initialLithium = lithium(theta)
        let nominal = 3600 / s.cRate
        let dt = nominal / Double(s.stepsPerNominal)
        let limit = s.cell.lowerCutoffVsLi
        let ocv = s.cell.ocp.voltage(s.cell.initialStoichiometry)
        // A liquid cell starts at rest (uniform c₀, i₀ = k c₀^½ c_max/2 on every wetted face); its φ_s is Δφ less
        // the ohmic drop of the soaked separator, I L_sep/(ε^b κ(c₀)), which the first step then resolves in 2D.
        var liquidStartDrop = 0.0
        var startExchange: Double? = nil
        if let mesh = liquid {
            let settings = liquidSettings
            let c0 = settings.initialConcentration
            startExchange = settings.exchangeCurrentDensityAtStart(maxConcentration: s.cell.maxConcentration)
            let kappa =
                settings.electrolyte.conductivity(c0, temperature: s.cell.temperature)
                * pow(settings.separatorPorosity, settings.bruggemanExponent)
            liquidStartDrop = current * settings.separatorThickness / kappa
            r.separatorRows = settings.separatorRows
            r.initialSalt = mesh.salt(liquidC) / m.width
        }
        let start = interfaceFluxes(theta, guess: ocv, exchange: startExchange).map {
            (deltaPhi: $0.deltaPhi - liquidStartDrop, currents: $0.currents, surface: $0.surface)
        }
        if start == nil || voltageVsLi(start!.deltaPhi) <= limit {
            // A result with no curve and zero capacity: a sweep records the point, the command line reports it.
            let situation =
                start.map {
                    String(
                        format:
                            "the cathode potential would be %.3f V vs Li/Li⁺ at t = 0, at or below the %.3f V cut-off",
                        voltageVsLi($0.deltaPhi), limit)
                }
                ?? "the contacting faces cannot take up this current at any potential (their surface stoichiometry saturates at once)"
            r.startFailure = String(
                format:
                    "the discharge cannot start: at %.4g A m⁻² (%.3g C) %@ (open-circuit %.4f V at θ₀ = %.4f; contact fraction %.2f, separator drop %.3f V). Lower cRate, or raise contactFraction or exchangeCurrentDensityAPerM2, or lower lowerCutoffVsLiV",
                current, s.cRate, situation, ocv, s.cell.initialStoichiometry, m.contactFraction,
                current * s.cell.separatorResistance)
            r.snapshotTimes = [0]
            r.snapshots = [theta]
            r.interfaceCurrent = [Double](repeating: 0, count: ny)
            r.surfaceStoichiometry = [Double](repeating: .nan, count: ny)
            r.finalLithium = r.initialLithium
            return r
        }
        deltaPhi = start!.deltaPhi
        var t = 0.0
        var charge = 0.0
        func record(_ v: Double) {
            r.time.append(t)
            r.voltageVsLi.append(v)
            r.voltage.append(v - s.cell.counterElectrode.potential)
            r.capacityMilliampHoursPerGram.append(charge / (3600 * massPerArea))
        }
        record(voltageVsLi(deltaPhi))
        var snapshots = s.snapshotTimes.sorted()
        var lastSurface = start!.surface
        var lastCurrents = start!.currents
        var steps = 0
        // Coarse steps until the cut-off is a few steps away, then steps 8× shorter (one more factorisation).
        var h = dt
        // One factorised BDF2 operator (α₀ = 3/2) serves the start too: with history θ₋₁ = θ₀ the BDF2 step
        // is an implicit-Euler step of length τ = h/(3/2) (3/2·(θ₁ − θ₀) = h·(…)), so the first step covers τ
        // and passes the charge I·τ. The next BDF2 step then takes the linear history θ(t₁ − h) =
        // θ₁ − (h/τ)(θ₁ − θ₀), for which the BDF2 balance telescopes to the exact charge again. This saves the
        // separate implicit-Euler factorisation (a third of the run on a 200 × 100 grid). On refinement the
        // history is interpolated linearly in the last coarse step in the same way.
        let startRatio = 1.5
        // One analysis of the step matrix's pattern serves both factorisations.
        let structure = hasCrossTerms ? nil : try stepStructure()
        var op = try makeOperator(dt: h, alpha0: 1.5, structure: structure)
        // The interface Newton's factorised Jacobian, kept from pass to pass and step to step (a chord iteration
        // rebuilds it when it stops cutting the residual fourfold) and dropped with the step operator.
        var interfaceJacobian: DenseLU? = nil
        var firstStep = true
        var fine = false
        stepping: while t < 3 * nominal {
            let step = try advance(
                op: op, a1: firstStep ? -startRatio : -2, a2: firstStep ? 0 : 0.5, dt: h,
                dphi: deltaPhi, currents: lastCurrents, surface: lastSurface, interfaceJacobian: &interfaceJacobian)
            let span = firstStep ? h / startRatio : h  // time covered by this step
            let vNew = step.saturated ? -Double.infinity : voltageVsLi(step.dphi)
            let vOld = r.voltageVsLi.last!
            // Refine once the cut-off is within reach: below it, or closer than the last step's drop taken
            // `refinementLookahead` more times (a slow drift at high overpotential stays coarse until its
            // last steps; a coarse step that jumps past the cut-off is discarded and redone fine).
            let drop = vOld.isFinite && vNew.isFinite ? max(0, vOld - vNew) : 0
            if !fine && vNew < limit + max(Self.refinementFloor, Self.refinementLookahead * drop) {
                fine = true
                h = dt / 8
                for k in 0..<n where solid(k) { thetaPrev[k] = theta[k] - (theta[k] - thetaPrev[k]) / 8 }
                for k in liquidC.indices { liquidCPrev[k] = liquidC[k] - (liquidC[k] - liquidCPrev[k]) / 8 }
                op = try makeOperator(dt: h, alpha0: 1.5, structure: structure)
                interfaceJacobian = nil
                continue
            }
            if vNew <= limit {
                // Interpolate the end of discharge linearly in voltage within this (short) step.
                let w = vOld.isFinite && vOld > limit && vNew.isFinite ? (vOld - limit) / (vOld - vNew) : 0
                t += w * span
                charge += current * w * span
                for k in 0..<n where solid(k) { theta[k] += w * (step.theta[k] - theta[k]) }
                if !step.liquidC.isEmpty {
                    for k in liquidC.indices { liquidC[k] += w * (step.liquidC[k] - liquidC[k]) }
                }
                record(limit)
                break stepping
            }
            // Snapshots inside this step: θ interpolated linearly to the requested time (second order, as the
            // scheme), so a map's time does not depend on where the steps happen to fall.
            while let next = snapshots.first, next <= t + span + 1e-9 * nominal {
                snapshots.removeFirst()
                let w = min(1, max(0, (next - t) / span))
                var map = theta
                for k in 0..<n where solid(k) { map[k] += w * (step.theta[k] - theta[k]) }
                r.snapshotTimes.append(t + w * span)
                r.snapshots.append(map)
            }
            if firstStep {
                for k in 0..<n where solid(k) { thetaPrev[k] = step.theta[k] - startRatio * (step.theta[k] - theta[k]) }
                for k in liquidC.indices {
                    liquidCPrev[k] = step.liquidC[k] - startRatio * (step.liquidC[k] - liquidC[k])
                }
            } else {
                thetaPrev = theta
                liquidCPrev = liquidC
            }
            theta = step.theta
            if !step.liquidC.isEmpty {
                liquidC = step.liquidC
                liquidPhi = step.liquidPhi
            }
            deltaPhi = step.dphi
            lastCurrents = step.currents
            lastSurface = step.surface
            t += span
            charge += current * span
            steps += 1
            firstStep = false
            record(vNew)
            for k in 0..<n where solid(k) {
                r.minimumStoichiometry = min(r.minimumStoichiometry, theta[k])
                r.maximumStoichiometry = max(r.maximumStoichiometry, theta[k])
            }
        }
        r.snapshotTimes.append(t)
        r.snapshots.append(theta)
        // Per column j: the current per projected width (Σ over the column's faces of r_a ℓ i / Δy) and θ_s of
        // its first face (NaN where nothing reacts).
        r.interfaceCurrent = [Double](repeating: 0, count: ny)
        r.surfaceStoichiometry = [Double](repeating: .nan, count: ny)
        for (a, face) in faces.enumerated() {
            r.interfaceCurrent[face.column] += face.areaFactor * face.length * lastCurrents[a] / dy
            if r.surfaceStoichiometry[face.column].isNaN { r.surfaceStoichiometry[face.column] = lastSurface[a] }
        }
        r.finalLithium = lithium(theta)
        if let mesh = liquid {
            r.finalSalt = mesh.salt(liquidC) / m.width
            r.poreConcentration = mesh.liquidOfSectionCell.map { $0 >= 0 ? liquidC[$0] : .nan }
            r.separatorConcentration = Array(liquidC[mesh.separatorStart...])
        }
        r.chargePassed = charge
        r.steps = steps
        return r
    }
}

extension Dense2DSetup {
    /// Bytes a run on an nx × ny grid needs: the banded LU of the step matrix (2k_l + k_u + 1 = 3n_y + 4 rows of n),
    /// the stored interface-response columns (one per interface cell, ≤ n_y), and about 30 work arrays of n.
    public static func memoryEstimate(nx: Int, ny: Int) -> Double {
        let n = Double(nx) * Double(ny)
        return 8 * (n * (3 * Double(ny) + 4) + Double(ny) * n + Double(ny) * Double(ny) + 30 * n)
    }

    public func validate() throws {
        func check(_ name: String, _ v: Double, _ range: ClosedRange<Double>, _ unit: String, open: Bool = false) throws
        {
            let ok = v.isFinite && (open ? v > range.lowerBound : v >= range.lowerBound) && v <= range.upperBound
            if !ok {
                throw ModelInputError.outOfRange(
                    parameter: name, value: v, allowed: "\(open ? "(" : "[")\(range.lowerBound), \(range.upperBound)]",
                    unit: unit)
            }
        }
        try Dense1DSetup(cell: cell, protocolSettings: Dense1DProtocol(cRate: cRate)).validate()
        let m = microstructure
        try check("nx", Double(m.nx), 2...5000, "")
        try check("ny", Double(m.ny), 1...5000, "")
        try check("thicknessMicrometres", m.thickness * 1e6, 0...10_000, "µm", open: true)
        try check("widthMicrometres", m.width * 1e6, 0...100_000, "µm", open: true)
        try check("anisotropyRatio", anisotropyRatio, 0...1, "")
        try check("stepsPerNominal", Double(stepsPerNominal), 10...1_000_000, "")
        guard m.grain.count == m.nx * m.ny, m.hole.count == m.nx * m.ny, m.contact.count == m.ny,
            m.areaFactor.count == m.ny,
            m.grain.allSatisfy({ $0 >= 0 && $0 < m.grainAngles.count })
        else {
            throw ModelInputError.invalidValue(
                parameter: "microstructure",
                reason: "array sizes do not match the \(m.nx) × \(m.ny) grid, or a grain id has no angle")
        }
        for (g, angle) in m.grainAngles.enumerated() where !angle.isFinite {
            throw ModelInputError.outOfRange(
                parameter: "grainAngles[\(g)]", value: angle, allowed: "finite angles", unit: "rad")
        }
        try MemoryBudget.check(
            Self.memoryEstimate(nx: m.nx, ny: m.ny), for: "the \(m.nx) × \(m.ny) 2D grid", settings: "nx or ny")
        let fc = m.contactFraction
        try check("contactFraction", fc, 0...1, "", open: true)
        for (j, r) in m.areaFactor.enumerated() where !(r >= 1 && r.isFinite) {
            throw ModelInputError.outOfRange(parameter: "areaFactor[\(j)]", value: r, allowed: "[1, ∞)", unit: "")
        }
        if let cracked = m.cracked, cracked.count != m.nx * m.ny || zip(cracked, m.hole).contains(where: { $0 && $1 }) {
            throw ModelInputError.invalidValue(
                parameter: "microstructure.cracked",
                reason: "the crack mask must have one entry per cell and mark only solid cells")
        }
        if let se = m.electrolyte, se.count != m.nx * m.ny || zip(se, m.hole).contains(where: { $0 && !$1 }) {
            throw ModelInputError.invalidValue(
                parameter: "microstructure",
                reason: "the electrolyte mask must have one entry per cell and mark only hole cells")
        }
        let contactCells = m.interfaceFaces().filter { m.contact[$0.column] }.map(\.cell)
        guard !contactCells.isEmpty else {
            throw ModelInputError.invalidValue(
                parameter: "microstructure",
                reason: "no contact face touches solid cathode: the interface carries no current")
        }
        // Every solid cell must connect to a contacting face through solid cells (flood fill).
        let reached = m.reachable(from: Array(Set(contactCells)).sorted()) { !m.hole[$0] }
        let cut = (0..<(m.nx * m.ny)).filter { !m.hole[$0] && !reached[$0] }.count
        if cut > 0 {
            throw ModelInputError.invalidValue(
                parameter: "microstructure",
                reason:
                    "holes disconnect \(cut) solid cells (\(String(format: "%.1f", 100 * Double(cut) / Double(m.nx * m.ny))) % of the section) from the interface"
            )
        }
    }
}

/// The factorised step matrix of the 2D engine: sparse Cholesky when symmetric, pivoted band LU otherwise.
enum DiffusionFactor {
    case cholesky(SparseCholesky)
    case banded(BandedLU)

    func solve(_ b: inout [Double]) {
        switch self {
        case .cholesky(let c): c.solve(&b)
        case .banded(let lu): lu.solve(&b)
        }
    }
}

extension Dense2DEngine {
    /// The bare diffusion operator of a discharge, for verification against analytic modes (physics.md §8.5):
    /// `steps` BDF2 steps of length `dt` with closed boundaries and no interface current, from the two-level
    /// history θ(−dt) = `previous`, θ(0) = `current`. Cross terms use the same limited Picard passes as a
    /// discharge (converged to 1e-13).
    func diffuseClosed(previous: [Double], current: [Double], dt: Double, steps: Int) throws -> [Double] {
        let lu = try assemble(dt: dt, alpha0: 1.5)
        let v = dx * dy
        var older = previous
        var now = current
        for _ in 0..<steps {
            var iterate = now
            for _ in 0..<300 {
                var next = (0..<n).map { solid($0) ? v * (2 * now[$0] - 0.5 * older[$0]) : 0 }
                addCrossFluxes(iterate, dt: dt, into: &next)
                addCentralCross(iterate, dt: dt, into: &next)
                lu.solve(&next)
                var change = 0.0
                for k in 0..<n where solid(k) { change = max(change, abs(next[k] - iterate[k])) }
                iterate = next
                if !hasCrossTerms || change < 1e-13 { break }
            }
            older = now
            now = iterate
        }
        return now
    }
}
