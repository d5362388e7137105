import Foundation
import Materials
import SolverCore

/// The liquid electrolyte of a dense cathode in a liquid cell (the paper's Figs. S11, S12): a binary salt solution
/// that fills every pore, crack and void connected to the cathode's top face, wets the whole top face (no contact
/// loss) and soaks a porous separator between the cathode and a Li counter electrode.
public struct LiquidElectrolyteSettings: Sendable, Equatable, Codable {
    public var electrolyte = BinaryElectrolyte.valoenReimers2005
    /// Initial (and rest) salt concentration c₀ [mol m⁻³]: 1 M, the usual LiPF₆ concentration [E].
    public var initialConcentration = 1000.0
    /// Separator thickness L_sep [m] and porosity ε_sep: a 25 µm polyolefin separator of 39 % porosity, the
    /// values of the Celgard 2325 data sheet [E: typical coin-cell separator; the paper does not name it].
    public var separatorThickness = 25e-6
    public var separatorPorosity = 0.39
    /// Bruggeman exponent b of the separator: effective property = ε^b × bulk property (Doyle et al. 1993 use 1.5) [E].
    public var bruggemanExponent = 1.5
    /// Finite-volume rows through the separator (it has the section's columns).
    public var separatorRows = 8
    /// Rate constant k of the LCO/liquid reaction, i₀ = k c_e^½ c_s^½ (c_max − c_s)^½ = k c_e^½ c_max (θ(1 − θ))^½
    /// [A m⁻² (m³ mol⁻¹)^{3/2}]: 2.252e-6, Ramadass et al. 2004 as in PyBaMM's
    /// `lico2_electrolyte_exchange_current_density_Ramadass2004` (i₀ ≈ 1.8 A m⁻² at 1 M, θ = 0.5, c_max = 51 555) [V].
    public var rateConstant = 2.252e-6

    public init() {}

    /// The LCO/liquid exchange current density at the initial salt concentration and θ = ½ [A m⁻²]:
    /// k c_max (½ · ½)^½ c₀^½ (the discharge's starting estimate; the model evaluates it per face as it goes).
    public func exchangeCurrentDensityAtStart(maxConcentration: Double) -> Double {
        rateConstant * maxConcentration * 0.5 * initialConcentration.squareRoot()
    }

    /// Checks every setting against its allowed range (name, value, range, unit).
    public func validate() throws {
        func check(_ name: String, _ value: Double, _ range: ClosedRange<Double>, _ allowed: String, _ unit: String)
            throws
        {
            guard value.isFinite, range.contains(value) else {
                throw ModelInputError.outOfRange(parameter: name, value: value, allowed: allowed, unit: unit)
            }
        }
        try check("electrolyteConcentrationMolPerM3", initialConcentration, 10...4000, "[10, 4000]", "mol m⁻³")
        try check(
            "separatorThicknessMicrometres", separatorThickness * 1e6, 1...1000, "[1, 1000]", "µm")
        try check("separatorPorosity", separatorPorosity, 0.05...1, "[0.05, 1]", "–")
        try check("bruggemanExponent", bruggemanExponent, 1...3, "[1, 3]", "–")
        try check("separatorRows", Double(separatorRows), 2...200, "[2, 200] (whole number)", "–")
        try check("liquidRateConstant", rateConstant, 1e-12...1e-2, "[1e-12, 1e-2]", "A m⁻² (m³ mol⁻¹)^1.5")
    }
}

/// The finite-volume mesh of the liquid: the liquid cells of the section (pores open to the top face) and the
/// separator's rows above x = L, with the two-point links between them. A link's `conductance` is the geometric
/// factor face length / Σ(half distance / ε^b) of its two cells, so that a flux is property × conductance ×
/// difference; the top row links to the counter electrode (x = L + L_sep) over half a row.
struct LiquidMesh {
    let count: Int
    /// ε × cell area (per unit depth) [m²].
    let storage: [Double]
    let x: [Double], y: [Double]
    let linkFirst: [Int], linkSecond: [Int], linkConductance: [Double]
    /// Cells of the separator's top row and their conductance to the counter electrode's surface.
    let topCells: [Int], topConductance: [Double]
    /// The liquid cell on the other side of each reacting face of the solid, the distinct ones (numbered last in
    /// `structure`) and each face's index into them.
    let faceLiquid: [Int], faceCells: [Int], faceCellIndex: [Int]
    /// Section cell → liquid cell (−1 when solid or a closed pore); separator cell (row r, column j) is
    /// `separatorStart + r·ny + j`.
    let liquidOfSectionCell: [Int]
    let separatorStart: Int
    let structure: SparseCholeskyStructure

    /// The pores connected to the top face (4-neighbours through holes, periodic in y when the section is): the
    /// cells a liquid fills.
    static func openPores(_ m: Microstructure) -> [Bool] {
        let top = (0..<m.ny).map { m.index(m.nx - 1, $0) }.filter { m.hole[$0] }
        return m.reachable(from: top) { m.hole[$0] }
    }

    init(microstructure m: Microstructure, faces: [InterfaceFace], settings: LiquidElectrolyteSettings) throws {
        let nx = m.nx
        let ny = m.ny
        let dx = m.dx
        let dy = m.dy
        let rows = settings.separatorRows
        let dxs = settings.separatorThickness / Double(rows)
        let separatorFactor = pow(settings.separatorPorosity, settings.bruggemanExponent)
        let pores = m.electrolyte ?? [Bool](repeating: false, count: nx * ny)
        var liquidOf = [Int](repeating: -1, count: nx * ny)
        var storage: [Double] = []
        var xs: [Double] = []
        var ys: [Double] = []
        for k in 0..<(nx * ny) where pores[k] {
            liquidOf[k] = storage.count
            storage.append(dx * dy)
            xs.append((Double(k / ny) + 0.5) * dx)
            ys.append((Double(k % ny) + 0.5) * dy)
        }
        let separatorStart = storage.count
        for r in 0..<rows {
            for j in 0..<ny {
                storage.append(settings.separatorPorosity * dxs * dy)
                xs.append(m.thickness + (Double(r) + 0.5) * dxs)
                ys.append((Double(j) + 0.5) * dy)
            }
        }
        let count = storage.count
        var first: [Int] = []
        var second: [Int] = []
        var conductance: [Double] = []
        func link(_ a: Int, _ b: Int, _ value: Double) {
            first.append(a)
            second.append(b)
            conductance.append(value)
        }
        // Periodic: the wrap face too (with 2 columns the two cells share two faces, as in the solid's operator).
        let periodicPairs = m.periodic && ny >= 2
        for i in 0..<nx {
            for j in 0..<ny {
                let a = liquidOf[m.index(i, j)]
                guard a >= 0 else { continue }
                if i + 1 < nx, liquidOf[m.index(i + 1, j)] >= 0 { link(a, liquidOf[m.index(i + 1, j)], dy / dx) }
                if j + 1 < ny || periodicPairs {
                    let b = liquidOf[m.index(i, (j + 1) % ny)]
                    if b >= 0 && b != a { link(a, b, dx / dy) }
                }
                if i == nx - 1 { link(a, separatorStart + j, dy / (0.5 * dx + 0.5 * dxs / separatorFactor)) }
            }
        }
        for r in 0..<rows {
            for j in 0..<ny {
                let a = separatorStart + r * ny + j
                if r + 1 < rows { link(a, a + ny, separatorFactor * dy / dxs) }
                if j + 1 < ny || periodicPairs {
                    link(a, separatorStart + r * ny + (j + 1) % ny, separatorFactor * dxs / dy)
                }
            }
        }
        var faceLiquid: [Int] = []
        for face in faces {
            let liquid = face.electrolyteCell < 0 ? separatorStart + face.column : liquidOf[face.electrolyteCell]
            guard liquid >= 0 else {
                throw ModelInputError.inconsistent(
                    reason:
                        "a reacting face of cell \(face.cell) borders no liquid cell (internal error in the liquid mesh)"
                )
            }
            faceLiquid.append(liquid)
        }
        var cells: [Int] = []
        var index: [Int] = []
        var position: [Int: Int] = [:]
        for liquid in faceLiquid {
            if position[liquid] == nil {
                position[liquid] = cells.count
                cells.append(liquid)
            }
            index.append(position[liquid]!)
        }
        var adjacency = [[Int]](repeating: [], count: count)
        for e in first.indices { adjacency[first[e]].append(second[e]) }
        self.count = count
        self.storage = storage
        x = xs
        y = ys
        linkFirst = first
        linkSecond = second
        linkConductance = conductance
        topCells = (0..<ny).map { separatorStart + (rows - 1) * ny + $0 }
        topConductance = Array(repeating: separatorFactor * dy / (0.5 * dxs), count: ny)
        self.faceLiquid = faceLiquid
        faceCells = cells
        faceCellIndex = index
        liquidOfSectionCell = liquidOf
        self.separatorStart = separatorStart
        structure = try SparseCholeskyStructure.shared(adjacency: adjacency, x: xs, y: ys, last: cells)
    }

    /// Salt in the liquid per unit depth [mol m⁻¹]: Σ ε A c.
    func salt(_ concentration: [Double]) -> Double {
        var sum = 0.0
        for k in 0..<count { sum += storage[k] * concentration[k] }
        return sum
    }
}

/// One implicit step of the liquid for frozen properties: the concentration and potential fields that are affine
/// in the face currents, c = c_B − G_c s_c and φ_e = φ_B − G_φ s_φ, with the trailing blocks G of the inverses on
/// the face cells (the "capacitance matrices" of the liquid).
///
///     (α₀ εA + Δt Σ D g) c = −εA (a₁ cⁿ + a₂ cⁿ⁻¹) + Δt (1 − t₊⁰)/F (top inflow − Σ_faces r_a ℓ i),
///     Σ κ g (φ_k − φ_l) + κ g_top φ_k = Σ κ_D g (ln c_k − ln c_l) − Σ_faces r_a ℓ i,
///
/// with the coefficients κ, κ_D and D at the arithmetic mean of the two cells' lagged concentrations; the
/// counter electrode's surface is the potential reference (φ_e = 0 there), so the potential matrix is definite.
struct LiquidStep {
    var concentrationFactor: SparseCholesky
    var potentialFactor: SparseCholesky
    /// c_B and φ_B on the whole mesh, the face-cell blocks G_c and G_φ (row-major, faceCells²).
    var concentrationBase: [Double]
    var potentialBase: [Double]
    var concentrationResponse: [Double]
    var potentialResponse: [Double]
    /// Δt (1 − t₊⁰)/F: concentration source per unit face current × face weight.
    let sinkFactor: Double

    init(
        mesh: LiquidMesh, settings: LiquidElectrolyteSettings, temperature: Double, lagged: [Double],
        current: [Double], previous: [Double], topInflow: [Double], alpha0: Double, a1: Double, a2: Double, dt: Double
    ) throws {
        let law = settings.electrolyte
        let faraday = PhysicalConstants.faraday
        sinkFactor = dt * (1 - law.transferenceNumber) / faraday
        var cFactor = SparseCholesky(structure: mesh.structure)
        var pFactor = SparseCholesky(structure: mesh.structure)
        var cRight = [Double](repeating: 0, count: mesh.count)
        var pRight = [Double](repeating: 0, count: mesh.count)
        for k in 0..<mesh.count {
            cFactor.add(k, k, alpha0 * mesh.storage[k])
            cRight[k] = -mesh.storage[k] * (a1 * current[k] + a2 * previous[k])
        }
        for e in mesh.linkFirst.indices {
            let a = mesh.linkFirst[e]
            let b = mesh.linkSecond[e]
            let face = 0.5 * (lagged[a] + lagged[b])
            let g = mesh.linkConductance[e]
            let diffusion = dt * law.diffusivity(face, temperature: temperature) * g
            cFactor.add(a, a, diffusion)
            cFactor.add(b, b, diffusion)
            cFactor.add(a, b, -diffusion)
            let kappa = law.conductivity(face, temperature: temperature) * g
            pFactor.add(a, a, kappa)
            pFactor.add(b, b, kappa)
            pFactor.add(a, b, -kappa)
            let diffusional =
                law.diffusionalConductivity(face, temperature: temperature) * g * (log(lagged[a]) - log(lagged[b]))
            pRight[a] += diffusional
            pRight[b] -= diffusional
        }
        for (t, k) in mesh.topCells.enumerated() {
            pFactor.add(k, k, law.conductivity(lagged[k], temperature: temperature) * mesh.topConductance[t])
            cRight[k] += sinkFactor * topInflow[t]
        }
        try cFactor.factorise()
        try pFactor.factorise()
        concentrationFactor = cFactor
        potentialFactor = pFactor
        cFactor.solve(&cRight)
        pFactor.solve(&pRight)
        concentrationBase = cRight
        potentialBase = pRight
        let m = mesh.faceCells.count
        var cResponse = [Double](repeating: 0, count: m * m)
        var pResponse = cResponse
        var unit = [Double](repeating: 0, count: m)
        for v in 0..<m {
            for u in 0..<m { unit[u] = 0 }
            unit[v] = 1
            cFactor.solveTrailing(&unit)
            for u in 0..<m { cResponse[u * m + v] = unit[u] }
            for u in 0..<m { unit[u] = 0 }
            unit[v] = 1
            pFactor.solveTrailing(&unit)
            for u in 0..<m { pResponse[u * m + v] = unit[u] }
        }
        concentrationResponse = cResponse
        potentialResponse = pResponse
    }

    /// The full fields for face-cell sums s (Σ over a face cell's faces of r_a ℓ i).
    func fields(faceSums: [Double], mesh: LiquidMesh) -> (concentration: [Double], potential: [Double]) {
        var cRight = [Double](repeating: 0, count: mesh.count)
        var pRight = cRight
        for (u, k) in mesh.faceCells.enumerated() {
            cRight[k] = -sinkFactor * faceSums[u]
            pRight[k] = -faceSums[u]
        }
        concentrationFactor.solve(&cRight)
        potentialFactor.solve(&pRight)
        for k in 0..<mesh.count {
            cRight[k] += concentrationBase[k]
            pRight[k] += potentialBase[k]
        }
        return (cRight, pRight)
    }
}
