import Foundation
import Materials

/// Model C (shared/docs/physics.md §4): chemo-mechanical stress in a dense-cathode section, one-way coupled to
/// the 2D diffusion model. The finite-element mesh *is* the diffusion grid — one bilinear Q1 element per
/// solid cell, nodes at the cell corners — so θ per cell loads its element without interpolation. Hole cells
/// have no element (traction-free pores and cracks). With a bonded SE layer, rows of SE elements (graded from
/// Δx at the interface by 1.25 per row) sit above x = L and share nodes with the cathode only where a
/// contacting face touches them.
///
/// The stiffness matrix is assembled and factorised once in `init`; `stress(theta:…)` costs one load
/// assembly, one forward/backward substitution and the stress recovery.
public struct ChemoMechanicalModel: Sendable {
    public let microstructure: Microstructure
    public let mechanics: SectionMechanics
    public let solver: ElasticitySolver
    /// Element of each cell (−1 for holes); SE elements follow the cathode's.
    public let elementOfCell: [Int]
    /// Node at cathode grid corner (i, j), −1 when no solid cell touches it (j runs to ny, or ny − 1 when periodic).
    public let cornerNode: [Int]
    public let sides: SectionMechanics.Sides
    /// Heights of the SE rows (bottom to top) [m].
    public let electrolyteRows: [Double]
    private let tractions: [EdgeTraction]

    /// Bytes the factorised stiffness needs: 2 unknowns per node on (n_x + 1 + ~40 SE rows)(n_y + 1) nodes; the
    /// nested-dissection factor holds about 5 N log₂N entries for N unknowns (3.4 M for the 43 252 of a 200 × 100
    /// section): 8 N log₂N bounds it, plus element data.
    public static func memoryEstimate(nx: Int, ny: Int) -> Double {
        let unknowns = 2 * (Double(nx) + 41) * (Double(ny) + 1)
        return 8 * unknowns * (8 * log2(max(unknowns, 2)) + 20)
    }

    public init(microstructure m: Microstructure, mechanics: SectionMechanics) throws {
        try mechanics.validate()
        try MemoryBudget.check(
            Self.memoryEstimate(nx: m.nx, ny: m.ny), for: "the stress model of the \(m.nx) × \(m.ny) section",
            settings: "nx or ny")
        let sides = mechanics.sides ?? (m.periodic ? .periodic : .rollers)
        if sides == .periodic && !m.periodic {
            throw ModelInputError.inconsistent(
                reason: "periodic mechanical sides need a periodic microstructure (its diffusion sides are closed)")
        }
        self.microstructure = m
        self.mechanics = mechanics
        self.sides = sides
        let nx = m.nx
        let ny = m.ny
        let dx = m.dx
        let dy = m.dy
        let nodeColumns = sides == .periodic ? ny : ny + 1
        let wrap = { (j: Int) in sides == .periodic ? j % ny : j }

        // Solid cells connected to the current collector (a floating island would make K singular).
        var reached = [Bool](repeating: false, count: nx * ny)
        var queue = (0..<ny).map { m.index(0, $0) }.filter { !m.hole[$0] }
        for k in queue { reached[k] = true }
        var head = 0
        while head < queue.count {
            let k = queue[head]
            head += 1
            let i = k / ny
            let j = k % ny
            // Cells sharing a corner share a node, so 8-neighbours are mechanically connected.
            for di in -1...1 {
                for dj in -1...1 where di != 0 || dj != 0 {
                    let ii = i + di
                    var jj = j + dj
                    guard ii >= 0, ii < nx else { continue }
                    if jj < 0 || jj >= ny {
                        guard sides == .periodic else { continue }
                        jj = (jj + ny) % ny
                    }
                    let q = m.index(ii, jj)
                    if !m.hole[q] && !reached[q] {
                        reached[q] = true
                        queue.append(q)
                    }
                }
            }
        }
        if let lost = (0..<(nx * ny)).first(where: { !m.hole[$0] && !reached[$0] }) {
            throw ModelInputError.invalidValue(
                parameter: "microstructure",
                reason: String(
                    format:
                        "the solid around x = %.2f µm, y = %.2f µm is cut off from the current collector by holes (it would float freely)",
                    (Double(lost / ny) + 0.5) * dx * 1e6, (Double(lost % ny) + 0.5) * dy * 1e6))
        }

        var node = [Int](repeating: -1, count: (nx + 1) * nodeColumns)
        var nodeCount = 0
        func cathodeNode(_ i: Int, _ j: Int) -> Int {
            let key = i * nodeColumns + wrap(j)
            if node[key] < 0 {
                node[key] = nodeCount
                nodeCount += 1
            }
            return node[key]
        }
        var corners: [Int] = []
        var cx: [Double] = []
        var cy: [Double] = []
        var material: [Int] = []
        var elementOfCell = [Int](repeating: -1, count: nx * ny)
        // Materials: one per grain (rotated stiffness) + the SE.
        var materials = m.grainAngles.map { mechanics.cathodeStiffness(angle: $0) }
        let seMaterial = materials.count
        materials.append(
            .isotropic(
                youngsModulus: mechanics.electrolyteYoungsModulus, poissonRatio: mechanics.electrolytePoissonRatio))
        for i in 0..<nx {
            for j in 0..<ny where !m.hole[m.index(i, j)] {
                elementOfCell[m.index(i, j)] = material.count
                corners += [cathodeNode(i, j), cathodeNode(i + 1, j), cathodeNode(i + 1, j + 1), cathodeNode(i, j + 1)]
                let x0 = Double(i) * dx
                let x1 = Double(i + 1) * dx
                let y0 = Double(j) * dy
                let y1 = Double(j + 1) * dy
                cx += [x0, x1, x1, x0]
                cy += [y0, y0, y1, y1]
                material.append(m.grain[m.index(i, j)])
            }
        }
        // Contact faces that actually join solid: face j of the interface row.
        let joined = (0..<ny).map { m.contact[$0] && !m.hole[m.index(nx - 1, $0)] }
        if !joined.contains(true) && mechanics.interface != .free {
            throw ModelInputError.invalidValue(
                parameter: "contact",
                reason: "no interface face touches solid cathode, so the SE is not attached anywhere")
        }
        var rows: [Double] = []
        var springs: [EdgeSpring] = []
        var tractions: [EdgeTraction] = []
        var electrolyteSideNodes: [Int] = []
        let L = m.thickness
        switch mechanics.interface {
        case .free: break
        case .elasticFoundation:
            let kn = mechanics.electrolyteYoungsModulus / mechanics.electrolyteThickness
            let kt = kn / (2 * (1 + mechanics.electrolytePoissonRatio))
            for j in 0..<ny where joined[j] {
                springs.append(
                    EdgeSpring(
                        nodeA: cathodeNode(nx, j), nodeB: cathodeNode(nx, j + 1), length: dy, nx: 1, ny: 0,
                        normalStiffness: kn, tangentialStiffness: kt))
            }
        case .bondedLayer:
            var h = dx
            var total = 0.0
            while total < mechanics.electrolyteThickness - 1e-12 {
                let step = min(h, mechanics.electrolyteThickness - total)
                rows.append(step)
                total += step
                h *= 1.25
            }
            if rows.count > 1, rows[rows.count - 1] < 0.5 * rows[rows.count - 2] {
                let last = rows.removeLast()
                rows[rows.count - 1] += last
            }
            // Interface-level SE nodes: shared where a joined face touches the node, duplicated elsewhere.
            var seNode = [[Int]](repeating: [Int](repeating: -1, count: nodeColumns), count: rows.count + 1)
            for j in 0..<nodeColumns {
                let left = j - 1 >= 0 ? joined[j - 1] : (sides == .periodic ? joined[ny - 1] : false)
                let right = j < ny ? joined[j] : false
                seNode[0][j] =
                    (left || right)
                    ? cathodeNode(nx, j)
                    : {
                        nodeCount += 1
                        return nodeCount - 1
                    }()
                for r in 1...rows.count {
                    seNode[r][j] = nodeCount
                    nodeCount += 1
                }
            }
            var x0 = L
            for (r, height) in rows.enumerated() {
                let x1 = x0 + height
                for j in 0..<ny {
                    corners += [seNode[r][j], seNode[r + 1][j], seNode[r + 1][wrap(j + 1)], seNode[r][wrap(j + 1)]]
                    let y0 = Double(j) * dy
                    let y1 = Double(j + 1) * dy
                    cx += [x0, x1, x1, x0]
                    cy += [y0, y0, y1, y1]
                    material.append(seMaterial)
                }
                x0 = x1
            }
            if mechanics.stackPressure > 0 {
                for j in 0..<ny {
                    tractions.append(
                        EdgeTraction(
                            nodeA: seNode[rows.count][j], nodeB: seNode[rows.count][wrap(j + 1)], ax: x0,
                            ay: Double(j) * dy, bx: x0, by: Double(j + 1) * dy, tx: -mechanics.stackPressure, ty: 0))
                }
            }
            // Side rollers for the SE nodes too.
            if sides == .rollers {
                for r in 0...rows.count { electrolyteSideNodes += [seNode[r][0], seNode[r][ny]] }
            }
        }
        var constraints: [DisplacementConstraint] = []
        for j in 0..<nodeColumns where node[j] >= 0 {
            constraints += [.init(node: node[j], component: 0), .init(node: node[j], component: 1)]
        }
        if sides == .rollers {
            for i in 1...nx {
                for j in [0, ny] where node[i * nodeColumns + j] >= 0 {
                    constraints.append(.init(node: node[i * nodeColumns + j], component: 1))
                }
            }
            for n in Set(electrolyteSideNodes).sorted() where !constraints.contains(.init(node: n, component: 1)) {
                constraints.append(.init(node: n, component: 1))
            }
        }
        let mesh = QuadMesh(nodeCount: nodeCount, corners: corners, cornerX: cx, cornerY: cy, material: material)
        solver = try ElasticitySolver(
            mesh: mesh, materials: materials, condition: mechanics.condition, constraints: constraints, springs: springs
        )
        self.elementOfCell = elementOfCell
        self.cornerNode = node
        self.electrolyteRows = rows
        self.tractions = tractions
    }

    /// Stresses for a stoichiometry per cell (holes ignored) relative to θ_ref.
    public func stress(theta: [Double], reference: Double) -> StressField {
        let solution = solver.solve(eigenstrain: eigenstrain(theta: theta, reference: reference), tractions: tractions)
        return StressField(model: self, solution: solution, theta: theta)
    }

    /// Stresses for several stoichiometry fields (snapshots of a discharge), solved in one pass over the factor.
    public func stress(thetas: [[Double]], reference: Double) -> [StressField] {
        let solutions = solver.solve(
            eigenstrains: thetas.map { eigenstrain(theta: $0, reference: reference) }, tractions: tractions)
        return zip(solutions, thetas).map { StressField(model: self, solution: $0, theta: $1) }
    }

    /// The eigenstrain per element of a stoichiometry per cell relative to θ_ref.
    private func eigenstrain(theta: [Double], reference: Double) -> EigenstrainField {
        let m = microstructure
        precondition(theta.count == m.nx * m.ny, "one θ per cell")
        var es = EigenstrainField.zero(solver.mesh.elementCount)
        let cosines = m.grainAngles.map { cos($0) }
        let sines = m.grainAngles.map { sin($0) }
        for k in 0..<(m.nx * m.ny) {
            let e = elementOfCell[k]
            guard e >= 0 else { continue }
            let grain = m.grain[k]
            let s = mechanics.eigenstrain(
                theta: theta[k], reference: reference, cosine: cosines[grain], sine: sines[grain])
            es.xx[e] = s.xx
            es.yy[e] = s.yy
            es.xy[e] = s.xy
            es.zz[e] = s.zz
        }
        return es
    }

    /// Stresses for a uniform change of stoichiometry Δθ from the reference state.
    public func stress(uniformChange delta: Double, reference: Double) -> StressField {
        stress(
            theta: [Double](repeating: reference + delta, count: microstructure.nx * microstructure.ny),
            reference: reference)
    }
}

/// Stresses per cathode cell of a section (element averages, Pa) and the derived measures of physics.md §4.6.
/// Hole cells carry zeros and `hole = true`.
public struct StressField: Sendable {
    public let nx: Int, ny: Int
    public let thickness: Double, width: Double
    public let hole: [Bool]
    public let theta: [Double]
    public var sxx: [Double], syy: [Double], sxy: [Double], szz: [Double]
    /// u_x, u_y at the cathode grid corners (i, j), j = 0…ny [m] (zero where no node).
    public var cornerUx: [Double], cornerUy: [Double]

    init(model: ChemoMechanicalModel, solution: ElasticSolution, theta: [Double]) {
        let m = model.microstructure
        nx = m.nx
        ny = m.ny
        thickness = m.thickness
        width = m.width
        hole = m.hole
        self.theta = theta
        let n = nx * ny
        sxx = [Double](repeating: 0, count: n)
        syy = sxx
        sxy = sxx
        szz = sxx
        for k in 0..<n where model.elementOfCell[k] >= 0 {
            let e = model.elementOfCell[k]
            sxx[k] = solution.sxx[e]
            syy[k] = solution.syy[e]
            sxy[k] = solution.sxy[e]
            szz[k] = solution.szz[e]
        }
        let columns = model.sides == .periodic ? ny : ny + 1
        cornerUx = [Double](repeating: 0, count: (nx + 1) * (ny + 1))
        cornerUy = cornerUx
        for i in 0...nx {
            for j in 0...ny {
                let node = model.cornerNode[i * columns + (model.sides == .periodic ? j % ny : j)]
                if node >= 0 {
                    cornerUx[i * (ny + 1) + j] = solution.ux[node]
                    cornerUy[i * (ny + 1) + j] = solution.uy[node]
                }
            }
        }
    }

    /// σ_h = (σ_xx + σ_yy + σ_zz)/3.
    public var hydrostatic: [Double] { (0..<sxx.count).map { (sxx[$0] + syy[$0] + szz[$0]) / 3 } }
    /// σ_vm = √(½[(σ_xx−σ_yy)² + (σ_yy−σ_zz)² + (σ_zz−σ_xx)²] + 3τ_xy²).
    public var vonMises: [Double] {
        (0..<sxx.count).map { k in
            let a = sxx[k] - syy[k]
            let b = syy[k] - szz[k]
            let c = szz[k] - sxx[k]
            return (0.5 * (a * a + b * b + c * c) + 3 * sxy[k] * sxy[k]).squareRoot()
        }
    }
    /// In-plane principal stresses σ₁,₂ = (σ_xx + σ_yy)/2 ± √(((σ_xx − σ_yy)/2)² + τ_xy²).
    public static func principal(sxx: Double, syy: Double, sxy: Double) -> (first: Double, second: Double) {
        let mean = 0.5 * (sxx + syy)
        let r = ((0.5 * (sxx - syy)) * (0.5 * (sxx - syy)) + sxy * sxy).squareRoot()
        return (mean + r, mean - r)
    }
    /// σ_max = max(σ₁, σ_zz) per cell.
    public static func maximumPrincipal(sxx: [Double], syy: [Double], sxy: [Double], szz: [Double]) -> [Double] {
        (0..<sxx.count).map { max(principal(sxx: sxx[$0], syy: syy[$0], sxy: sxy[$0]).first, szz[$0]) }
    }
    /// σ_max = max(σ₁, σ_zz) (zero in holes).
    public var maximumPrincipal: [Double] {
        let s = Self.maximumPrincipal(sxx: sxx, syy: syy, sxy: sxy, szz: szz)
        return (0..<s.count).map { hole[$0] ? 0 : s[$0] }
    }

    /// A named component, for export and figures.
    public func component(_ name: StressComponent) -> [Double] {
        switch name {
        case .sxx: return sxx
        case .syy: return syy
        case .sxy: return sxy
        case .szz: return szz
        case .hydrostatic: return hydrostatic
        case .vonMises: return vonMises.enumerated().map { hole[$0.offset] ? 0 : $0.element }
        case .maxPrincipal: return maximumPrincipal
        }
    }
}

/// The stress measures written for every field (physics.md §4.6).
public enum StressComponent: String, CaseIterable, Sendable {
    case sxx = "sigma_xx", syy = "sigma_yy", sxy = "tau_xy", szz = "sigma_zz", hydrostatic = "sigma_h", vonMises =
        "von_mises", maxPrincipal = "sigma_max"
}
