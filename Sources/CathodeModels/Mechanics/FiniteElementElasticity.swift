import Foundation
import SolverCore

/// A mesh of four-node quadrilaterals (bilinear Q1, isoparametric). Corners are listed counter-clockwise.
/// Coordinates are stored per element corner rather than per node, so that nodes can be identified across a
/// periodic boundary (the corner at y = W and the one at y = 0 share a node but not a position) and duplicated
/// along a gap (two nodes at one position).
public struct QuadMesh: Sendable {
    public var nodeCount: Int
    /// Node of corner a of element e at `corners[4e + a]`.
    public var corners: [Int]
    /// Position of corner a of element e [m].
    public var cornerX: [Double]
    public var cornerY: [Double]
    /// Index into the solver's material list.
    public var material: [Int]

    public init(nodeCount: Int, corners: [Int], cornerX: [Double], cornerY: [Double], material: [Int]) {
        self.nodeCount = nodeCount
        self.corners = corners
        self.cornerX = cornerX
        self.cornerY = cornerY
        self.material = material
    }

    public var elementCount: Int { material.count }

    /// A structured nx × ny mesh of the rectangle [0, lx] × [0, ly] (nodes numbered j-fastest), for tests.
    public static func rectangle(nx: Int, ny: Int, lx: Double, ly: Double) -> QuadMesh {
        var mesh = QuadMesh(nodeCount: (nx + 1) * (ny + 1), corners: [], cornerX: [], cornerY: [], material: [])
        for i in 0..<nx {
            for j in 0..<ny {
                let n = { (a: Int, b: Int) in a * (ny + 1) + b }
                mesh.corners += [n(i, j), n(i + 1, j), n(i + 1, j + 1), n(i, j + 1)]
                let x0 = lx * Double(i) / Double(nx)
                let x1 = lx * Double(i + 1) / Double(nx)
                let y0 = ly * Double(j) / Double(ny)
                let y1 = ly * Double(j + 1) / Double(ny)
                mesh.cornerX += [x0, x1, x1, x0]
                mesh.cornerY += [y0, y0, y1, y1]
                mesh.material.append(0)
            }
        }
        return mesh
    }
}

/// A prescribed displacement component (0 = x, 1 = y) of a node [m].
public struct DisplacementConstraint: Sendable, Equatable {
    public var node: Int, component: Int, value: Double
    public init(node: Int, component: Int, value: Double = 0) {
        self.node = node
        self.component = component
        self.value = value
    }
}

/// A uniform traction (t_x, t_y) [Pa] on the straight edge from node a at (ax, ay) to node b at (bx, by),
/// lumped to the two nodes (exact for a constant traction on a linear edge).
public struct EdgeTraction: Sendable, Equatable {
    public var nodeA: Int, nodeB: Int
    public var ax: Double, ay: Double, bx: Double, by: Double
    public var tx: Double, ty: Double
    public init(nodeA: Int, nodeB: Int, ax: Double, ay: Double, bx: Double, by: Double, tx: Double, ty: Double) {
        self.nodeA = nodeA
        self.nodeB = nodeB
        self.ax = ax
        self.ay = ay
        self.bx = bx
        self.by = by
        self.tx = tx
        self.ty = ty
    }
    var length: Double { ((bx - ax) * (bx - ax) + (by - ay) * (by - ay)).squareRoot() }
}

/// An elastic (Winkler) foundation on an edge: traction t = −k_n u_n n − k_t u_t t [Pa m⁻¹], lumped to its nodes.
public struct EdgeSpring: Sendable, Equatable {
    public var nodeA: Int, nodeB: Int
    public var length: Double
    /// Unit normal of the edge.
    public var nx: Double, ny: Double
    public var normalStiffness: Double, tangentialStiffness: Double
    public init(
        nodeA: Int, nodeB: Int, length: Double, nx: Double, ny: Double, normalStiffness: Double,
        tangentialStiffness: Double
    ) {
        self.nodeA = nodeA
        self.nodeB = nodeB
        self.length = length
        self.nx = nx
        self.ny = ny
        self.normalStiffness = normalStiffness
        self.tangentialStiffness = tangentialStiffness
    }
}

/// An eigenstrain (stress-free strain) per element, tensor components (ε*_xy, not γ*).
public struct EigenstrainField: Sendable, Equatable {
    public var xx: [Double], yy: [Double], xy: [Double], zz: [Double]
    public init(xx: [Double], yy: [Double], xy: [Double], zz: [Double]) {
        self.xx = xx
        self.yy = yy
        self.xy = xy
        self.zz = zz
    }
    public static func zero(_ n: Int) -> EigenstrainField {
        let z = [Double](repeating: 0, count: n)
        return EigenstrainField(xx: z, yy: z, xy: z, zz: z)
    }
}

/// Nodal displacements and element-average stresses of one load case.
public struct ElasticSolution: Sendable {
    /// Displacement per node [m].
    public var ux: [Double], uy: [Double]
    /// Element-average stresses [Pa] (the stress of the element-average strain; exact for constant-stress states).
    public var sxx: [Double], syy: [Double], sxy: [Double], szz: [Double]
}

/// Errors of the elasticity solver.
public enum ElasticityError: Error, CustomStringConvertible, Equatable {
    case invalidElement(element: Int, reason: String)
    case unconstrained(String)
    case invalidInput(String)
    public var description: String {
        switch self {
        case let .invalidElement(e, r): return "element \(e): \(r)"
        case let .unconstrained(s): return "the body is not held against rigid-body motion: \(s)"
        case let .invalidInput(s): return s
        }
    }
}

/// Small-strain linear elasticity with eigenstrain on a Q1 mesh (physics.md §4.5): find u with
/// ∫ B(v)ᵀ D (B(u) − ε*) dA = ∫_Γ v·t ds for all admissible v, where σ_in = D(ε_in − ε*_in) − d_z ε*_zz in plane strain.
///
/// - 2 × 2 Gauss quadrature of K_e = ∫ Bᵀ D B dA (exact for parallelograms; no locking issue at ν ≤ 0.3).
/// - The eigenstrain load of an element with constant ε* is f_e = (∫ Bᵀ dA) s* with s* = D ε*_in + d_z ε*_zz,
///   so only the eight integrals ∫∂N_a/∂x dA, ∫∂N_a/∂y dA are kept per element; the element-average strain
///   (1/A)∫B dA u uses the same numbers.
/// - Dirichlet degrees of freedom are eliminated (their K-columns move to the right-hand side); the remaining
///   K is symmetric positive definite. It is ordered by nested dissection and factorised once by the supernodal
///   multifrontal Cholesky (`SparseCholesky`, O(n^{3/2}) on a 2D mesh against O(n²) for the banded envelope it
///   replaced); each load case costs one forward/backward substitution.
public struct ElasticitySolver: Sendable {
    public let mesh: QuadMesh
    public let condition: PlaneCondition
    private let materials: [ElasticStiffness]
    private let dPlane: [[Double]]
    /// Per material, contiguous: the 3 × 3 in-plane stiffness (row-major), then the three z couplings, then C_zz —
    /// 13 numbers, so the load and recovery loops read one flat table instead of nested arrays.
    private let materialTable: [Double]
    static let materialStride = 13
    /// Equation number of dof 2n + c, or −1 when prescribed.
    private let equation: [Int]
    private let prescribed: [Double]
    /// Right-hand side produced by the non-zero prescribed displacements.
    private let prescribedLoad: [Double]
    /// ∫∂N_a/∂x dA and ∫∂N_a/∂y dA, 8 per element; and the element areas.
    private let gradientIntegrals: [Double]
    private let area: [Double]
    private var factor: SparseCholesky
    public var equationCount: Int { factor.n }
    /// Stored entries of the Cholesky factor (its supernodal blocks).
    public var factorEntries: Int { factor.structure.factorEntries }
    /// Multiply–adds of the factorisation.
    public var factorOperations: Double { factor.structure.factorOperations }

    public init(
        mesh: QuadMesh, materials: [ElasticStiffness], condition: PlaneCondition = .planeStrain,
        constraints: [DisplacementConstraint], springs: [EdgeSpring] = []
    ) throws {
        self.mesh = mesh
        self.materials = materials
        self.condition = condition
        dPlane = materials.map { $0.effectiveInPlane(condition) }
        materialTable = zip(dPlane, materials).flatMap { plane, material in plane + material.zCoupling + [material.zz] }
        let ne = mesh.elementCount
        let nn = mesh.nodeCount
        guard mesh.corners.count == 4 * ne, mesh.cornerX.count == 4 * ne, mesh.cornerY.count == 4 * ne else {
            throw ElasticityError.invalidInput("mesh arrays disagree: \(ne) elements, \(mesh.corners.count) corners")
        }
        for e in 0..<ne where !(0..<materials.count).contains(mesh.material[e]) {
            throw ElasticityError.invalidElement(
                element: e, reason: "material \(mesh.material[e]) is not one of the \(materials.count) given")
        }
        // Node graph (compressed rows: the neighbours of node n are nodeNeighbours[nodeStart[n] ..< nodeStart[n + 1]],
        // increasing) and node coordinates (for the nested-dissection ordering).
        var nodeX = [Double](repeating: .nan, count: nn)
        var nodeY = [Double](repeating: .nan, count: nn)
        var count = [Int](repeating: 0, count: nn + 1)
        for e in 0..<ne {
            for a in 0..<4 {
                let n = mesh.corners[4 * e + a]
                guard (0..<nn).contains(n) else {
                    throw ElasticityError.invalidElement(element: e, reason: "node \(n) out of range")
                }
                nodeX[n] = mesh.cornerX[4 * e + a]
                nodeY[n] = mesh.cornerY[4 * e + a]
                count[n + 1] += 3
            }
        }
        for s in springs {
            count[s.nodeA + 1] += 1
            count[s.nodeB + 1] += 1
        }
        for n in 0..<nn { count[n + 1] += count[n] }
        var slot = count
        var listed = [Int](repeating: 0, count: count[nn])
        for e in 0..<ne {
            for a in 0..<4 {
                let n = mesh.corners[4 * e + a]
                for b in 0..<4 where b != a {
                    listed[slot[n]] = mesh.corners[4 * e + b]
                    slot[n] += 1
                }
            }
        }
        for s in springs {
            listed[slot[s.nodeA]] = s.nodeB
            slot[s.nodeA] += 1
            listed[slot[s.nodeB]] = s.nodeA
            slot[s.nodeB] += 1
        }
        let (nodeStart, nodeNeighbours) = SparseCholeskyStructure.uniqueRows(start: count, entries: listed)
        if let lonely = (0..<nn).first(where: {
            nodeStart[$0] == nodeStart[$0 + 1] || !nodeX[$0].isFinite || !nodeY[$0].isFinite
        }) {
            throw ElasticityError.invalidInput("node \(lonely) belongs to no element")
        }

        var prescribed = [Double](repeating: 0, count: 2 * nn)
        var isPrescribed = [Bool](repeating: false, count: 2 * nn)
        for c in constraints {
            guard (0..<nn).contains(c.node), (0...1).contains(c.component) else {
                throw ElasticityError.invalidInput(
                    "constraint on node \(c.node), component \(c.component) is outside the mesh")
            }
            isPrescribed[2 * c.node + c.component] = true
            prescribed[2 * c.node + c.component] = c.value
        }
        var equation = [Int](repeating: -1, count: 2 * nn)
        var neq = 0
        var equationX: [Double] = []
        var equationY: [Double] = []
        for n in 0..<nn {
            for c in 0..<2 where !isPrescribed[2 * n + c] {
                equation[2 * n + c] = neq
                equationX.append(nodeX[n])
                equationY.append(nodeY[n])
                neq += 1
            }
        }
        guard neq > 0 else { throw ElasticityError.invalidInput("every degree of freedom is prescribed") }
        // Equation graph: both components of a node couple to each other and to those of its neighbours.
        var equationStart = [0]
        equationStart.reserveCapacity(neq + 1)
        var equationNeighbours: [Int] = []
        equationNeighbours.reserveCapacity(4 * nodeNeighbours.count + 2 * nn)
        for n in 0..<nn {
            for c in 0..<2 where equation[2 * n + c] >= 0 {
                if equation[2 * n + 1 - c] >= 0 { equationNeighbours.append(equation[2 * n + 1 - c]) }
                for m in nodeNeighbours[nodeStart[n]..<nodeStart[n + 1]] {
                    for d in 0..<2 where equation[2 * m + d] >= 0 { equationNeighbours.append(equation[2 * m + d]) }
                }
                equationStart.append(equationNeighbours.count)
            }
        }
        var k = SparseCholesky(
            structure: try SparseCholeskyStructure.shared(
                neighbourStart: equationStart, neighbours: equationNeighbours, x: equationX, y: equationY))

        // Element matrices.
        var gradients = [Double](repeating: 0, count: 8 * ne)
        var areas = [Double](repeating: 0, count: ne)
        var rhs = [Double](repeating: 0, count: neq)
        let g = 1 / 3.0.squareRoot()
        let gauss: [(Double, Double)] = [(-g, -g), (g, -g), (g, g), (-g, g)]
        let xiA: [Double] = [-1, 1, 1, -1]
        let etaA: [Double] = [-1, -1, 1, 1]
        var ke = [Double](repeating: 0, count: 64)
        // Work arrays of the element loop, allocated once.
        var gx = [Double](repeating: 0, count: 4)
        var gy = [Double](repeating: 0, count: 4)
        var dxi = [Double](repeating: 0, count: 4)
        var deta = [Double](repeating: 0, count: 4)
        var bx = [Double](repeating: 0, count: 4)
        var by = [Double](repeating: 0, count: 4)
        /// Adds element e's matrix (in `ke`) to the stiffness and its prescribed-displacement load to `rhs`.
        func scatter(element e: Int) {
            for p in 0..<8 {
                let dp = 2 * mesh.corners[4 * e + p / 2] + p % 2
                let ep = equation[dp]
                for q in 0..<8 {
                    let kpq = q <= p ? ke[p * 8 + q] : ke[q * 8 + p]
                    let dq = 2 * mesh.corners[4 * e + q / 2] + q % 2
                    let eq = equation[dq]
                    if ep >= 0 && eq >= 0 {
                        if eq <= ep { k.add(ep, eq, kpq) }
                    } else if ep >= 0 && eq < 0 {
                        rhs[ep] -= kpq * prescribed[dq]
                    }
                }
            }
        }
        // Elements of one material and one shape (corner offsets from the first corner, bit for bit) have the same
        // matrix: on the structured meshes of a section most elements share a handful of them, computed once.
        var shapeIndex: [ElementShape: Int] = [:]
        var cachedMatrices: [Double] = []
        var cachedGradients: [Double] = []
        var cachedAreas: [Double] = []
        for e in 0..<ne {
            var offsets = SIMD8<UInt64>(repeating: 0)
            for a in 1..<4 {
                offsets[2 * a - 2] = (mesh.cornerX[4 * e + a] - mesh.cornerX[4 * e]).bitPattern
                offsets[2 * a - 1] = (mesh.cornerY[4 * e + a] - mesh.cornerY[4 * e]).bitPattern
            }
            let shape = ElementShape(material: mesh.material[e], offsets: offsets)
            if let known = shapeIndex[shape] {
                for q in 0..<64 { ke[q] = cachedMatrices[64 * known + q] }
                for q in 0..<8 { gradients[8 * e + q] = cachedGradients[8 * known + q] }
                areas[e] = cachedAreas[known]
                scatter(element: e)
                continue
            }
            for q in 0..<64 { ke[q] = 0 }
            let d = dPlane[mesh.material[e]]
            for a in 0..<4 {
                gx[a] = 0
                gy[a] = 0
            }
            var elementArea = 0.0
            for (xi, eta) in gauss {
                var j11 = 0.0
                var j12 = 0.0
                var j21 = 0.0
                var j22 = 0.0
                for a in 0..<4 {
                    dxi[a] = 0.25 * xiA[a] * (1 + etaA[a] * eta)
                    deta[a] = 0.25 * etaA[a] * (1 + xiA[a] * xi)
                    let x = mesh.cornerX[4 * e + a]
                    let y = mesh.cornerY[4 * e + a]
                    j11 += dxi[a] * x
                    j12 += dxi[a] * y
                    j21 += deta[a] * x
                    j22 += deta[a] * y
                }
                let det = j11 * j22 - j12 * j21
                guard det > 0, det.isFinite else {
                    throw ElasticityError.invalidElement(
                        element: e, reason: "degenerate or clockwise corners (Jacobian \(det))")
                }
                elementArea += det
                for a in 0..<4 {
                    bx[a] = (j22 * dxi[a] - j12 * deta[a]) / det
                    by[a] = (-j21 * dxi[a] + j11 * deta[a]) / det
                    gx[a] += bx[a] * det
                    gy[a] += by[a] * det
                }
                // K_e += Bᵀ D B det, B columns: u_x of a → (bx, 0, by), u_y of a → (0, by, bx).
                for p in 0..<8 {
                    let a = p / 2
                    let bp = p % 2 == 0 ? (bx[a], 0.0, by[a]) : (0.0, by[a], bx[a])
                    let db0 = d[0] * bp.0 + d[1] * bp.1 + d[2] * bp.2
                    let db1 = d[3] * bp.0 + d[4] * bp.1 + d[5] * bp.2
                    let db2 = d[6] * bp.0 + d[7] * bp.1 + d[8] * bp.2
                    for q in 0...p {
                        let b = q / 2
                        let bq = q % 2 == 0 ? (bx[b], 0.0, by[b]) : (0.0, by[b], bx[b])
                        ke[p * 8 + q] += (bq.0 * db0 + bq.1 * db1 + bq.2 * db2) * det
                    }
                }
            }
            for a in 0..<4 {
                gradients[8 * e + 2 * a] = gx[a]
                gradients[8 * e + 2 * a + 1] = gy[a]
            }
            areas[e] = elementArea
            shapeIndex[shape] = cachedAreas.count
            cachedMatrices.append(contentsOf: ke)
            cachedGradients.append(contentsOf: gradients[(8 * e)..<(8 * e + 8)])
            cachedAreas.append(elementArea)
            scatter(element: e)
        }
        for s in springs {
            let tx = -s.ny
            let ty = s.nx
            let block = [
                s.normalStiffness * s.nx * s.nx + s.tangentialStiffness * tx * tx,
                s.normalStiffness * s.nx * s.ny + s.tangentialStiffness * tx * ty,
                s.normalStiffness * s.ny * s.ny + s.tangentialStiffness * ty * ty,
            ]
            for n in [s.nodeA, s.nodeB] {
                let w = 0.5 * s.length
                let ex = equation[2 * n]
                let ey = equation[2 * n + 1]
                if ex >= 0 { k.add(ex, ex, w * block[0]) }
                if ey >= 0 { k.add(ey, ey, w * block[2]) }
                if ex >= 0 && ey >= 0 { k.add(max(ex, ey), min(ex, ey), w * block[1]) }
            }
        }
        do { try k.factorise() } catch {
            throw ElasticityError.unconstrained(
                "the stiffness matrix is singular (add a clamp, rollers or a bonded layer)")
        }
        self.equation = equation
        self.prescribed = prescribed
        self.prescribedLoad = rhs
        gradientIntegrals = gradients
        area = areas
        factor = k
    }

    /// Displacements and stresses for an eigenstrain per element (nil = none) and edge tractions.
    public func solve(eigenstrain: EigenstrainField? = nil, tractions: [EdgeTraction] = []) -> ElasticSolution {
        var (f, starred) = load(eigenstrain: eigenstrain, tractions: tractions)
        factor.solve(&f)
        return recover(displacements: f, starred: starred, eigenstrain: eigenstrain)
    }

    /// The same for several eigenstrain fields under the same tractions: one pass over the factor serves them all
    /// (`SparseCholesky.solve(columns:)`), which is what a series of stress snapshots needs.
    public func solve(eigenstrains: [EigenstrainField?], tractions: [EdgeTraction] = []) -> [ElasticSolution] {
        var loads: [[Double]] = []
        var starredFields: [[Double]] = []
        for eigenstrain in eigenstrains {
            let (f, starred) = load(eigenstrain: eigenstrain, tractions: tractions)
            loads.append(f)
            starredFields.append(starred)
        }
        factor.solve(columns: &loads)
        return eigenstrains.indices.map {
            recover(displacements: loads[$0], starred: starredFields[$0], eigenstrain: eigenstrains[$0])
        }
    }

    /// The load vector of an eigenstrain field and tractions, and the eigenstress D·ε* per element.
    private func load(eigenstrain: EigenstrainField?, tractions: [EdgeTraction]) -> (load: [Double], starred: [Double])
    {
        let ne = mesh.elementCount
        var f = prescribedLoad
        var starred = [Double](repeating: 0, count: 3 * ne)  // s* per element
        if let es = eigenstrain {
            precondition(
                es.xx.count == ne && es.yy.count == ne && es.xy.count == ne && es.zz.count == ne,
                "one eigenstrain per element")
            let planeStrain = condition == .planeStrain
            // Local copies of the arrays (no reference counting per access inside the loop).
            let corners = mesh.corners
            let materialOf = mesh.material
            let gradientIntegrals = gradientIntegrals
            let equation = equation
            let strainXX = es.xx
            let strainYY = es.yy
            let strainXY = es.xy
            let strainZZ = es.zz
            materialTable.withUnsafeBufferPointer { table in
                for e in 0..<ne {
                    let d = table.baseAddress! + Self.materialStride * materialOf[e]
                    let exx = strainXX[e]
                    let eyy = strainYY[e]
                    let gxy = 2 * strainXY[e]
                    let ezz = planeStrain ? strainZZ[e] : 0
                    let s0 = d[0] * exx + d[1] * eyy + d[2] * gxy + d[9] * ezz
                    let s1 = d[3] * exx + d[4] * eyy + d[5] * gxy + d[10] * ezz
                    let s2 = d[6] * exx + d[7] * eyy + d[8] * gxy + d[11] * ezz
                    starred[3 * e] = s0
                    starred[3 * e + 1] = s1
                    starred[3 * e + 2] = s2
                    if s0 == 0 && s1 == 0 && s2 == 0 { continue }
                    for a in 0..<4 {
                        let gx = gradientIntegrals[8 * e + 2 * a]
                        let gy = gradientIntegrals[8 * e + 2 * a + 1]
                        let n = corners[4 * e + a]
                        let ex = equation[2 * n]
                        let ey = equation[2 * n + 1]
                        if ex >= 0 { f[ex] += gx * s0 + gy * s2 }
                        if ey >= 0 { f[ey] += gy * s1 + gx * s2 }
                    }
                }
            }
        }
        for t in tractions {
            let half = 0.5 * t.length
            for n in [t.nodeA, t.nodeB] {
                if equation[2 * n] >= 0 { f[equation[2 * n]] += half * t.tx }
                if equation[2 * n + 1] >= 0 { f[equation[2 * n + 1]] += half * t.ty }
            }
        }
        return (f, starred)
    }

    /// Displacements of every node (prescribed ones filled in) and element stresses from the solved equations.
    private func recover(displacements f: [Double], starred: [Double], eigenstrain: EigenstrainField?)
        -> ElasticSolution
    {
        let ne = mesh.elementCount
        let nn = mesh.nodeCount
        var ux = [Double](repeating: 0, count: nn)
        var uy = [Double](repeating: 0, count: nn)
        for n in 0..<nn {
            ux[n] = equation[2 * n] >= 0 ? f[equation[2 * n]] : prescribed[2 * n]
            uy[n] = equation[2 * n + 1] >= 0 ? f[equation[2 * n + 1]] : prescribed[2 * n + 1]
        }
        var sxx = [Double](repeating: 0, count: ne)
        var syy = sxx
        var sxy = sxx
        var szz = sxx
        let planeStrain = condition == .planeStrain
        let noStrain = [Double](repeating: 0, count: planeStrain && eigenstrain == nil ? ne : 0)
        let strainXX = eigenstrain?.xx ?? noStrain
        let strainYY = eigenstrain?.yy ?? noStrain
        let strainXY = eigenstrain?.xy ?? noStrain
        let strainZZ = eigenstrain?.zz ?? noStrain
        let corners = mesh.corners
        let materialOf = mesh.material
        let gradientIntegrals = gradientIntegrals
        let area = area
        // Elements are independent here: a large mesh is recovered in two halves on two threads (each writes only
        // its own elements, so the result does not depend on timing).
        let halves = ne >= 8192 ? 2 : 1
        let table = materialTable
        let displacementX = ux
        let displacementY = uy
        sxx.withUnsafeMutableBufferPointer { sxxBuffer in
            syy.withUnsafeMutableBufferPointer { syyBuffer in
                sxy.withUnsafeMutableBufferPointer { sxyBuffer in
                    szz.withUnsafeMutableBufferPointer { szzBuffer in
                        let output = StressOutput(
                            sxx: sxxBuffer.baseAddress!, syy: syyBuffer.baseAddress!, sxy: sxyBuffer.baseAddress!,
                            szz: szzBuffer.baseAddress!)
                        DispatchQueue.concurrentPerform(iterations: halves) { half in
                            Self.recoverStresses(
                                elements: (half * ne / halves)..<((half + 1) * ne / halves), output: output,
                                table: table, corners: corners, materialOf: materialOf,
                                gradientIntegrals: gradientIntegrals, area: area, ux: displacementX, uy: displacementY,
                                starred: starred,
                                planeStrain: planeStrain,
                                eigenstrain: (strainXX, strainYY, strainXY, strainZZ))
                        }
                    }
                }
            }
        }
        return ElasticSolution(ux: ux, uy: uy, sxx: sxx, syy: syy, sxy: sxy, szz: szz)
    }

    /// σ = D(ε(u) − ε*) for the elements in `elements`: ε(u) from the corner displacements through the gradient
    /// integrals over the element area, D·ε* as stored by `load` (σ_zz from the plane-strain row of the table).
    private static func recoverStresses(
        elements: Range<Int>, output: StressOutput, table: [Double], corners: [Int], materialOf: [Int],
        gradientIntegrals: [Double], area: [Double], ux: [Double], uy: [Double], starred: [Double],
        planeStrain: Bool, eigenstrain: (xx: [Double], yy: [Double], xy: [Double], zz: [Double])
    ) {
        table.withUnsafeBufferPointer { table in
            for e in elements {
                var exx = 0.0
                var eyy = 0.0
                var gxy = 0.0
                for a in 0..<4 {
                    let gx = gradientIntegrals[8 * e + 2 * a]
                    let gy = gradientIntegrals[8 * e + 2 * a + 1]
                    let n = corners[4 * e + a]
                    exx += gx * ux[n]
                    eyy += gy * uy[n]
                    gxy += gy * ux[n] + gx * uy[n]
                }
                let inv = 1 / area[e]
                exx *= inv
                eyy *= inv
                gxy *= inv
                let d = table.baseAddress! + materialStride * materialOf[e]
                output.sxx[e] = d[0] * exx + d[1] * eyy + d[2] * gxy - starred[3 * e]
                output.syy[e] = d[3] * exx + d[4] * eyy + d[5] * gxy - starred[3 * e + 1]
                output.sxy[e] = d[6] * exx + d[7] * eyy + d[8] * gxy - starred[3 * e + 2]
                if planeStrain {
                    let dxx = exx - eigenstrain.xx[e]
                    let dyy = eyy - eigenstrain.yy[e]
                    let dg = gxy - 2 * eigenstrain.xy[e]
                    output.szz[e] = d[9] * dxx + d[10] * dyy + d[11] * dg - d[12] * eigenstrain.zz[e]
                }
            }
        }
    }
}

/// The four stress arrays being recovered, shared by the two halves of `recover` (disjoint elements each).
private struct StressOutput: @unchecked Sendable {
    let sxx: UnsafeMutablePointer<Double>
    let syy: UnsafeMutablePointer<Double>
    let sxy: UnsafeMutablePointer<Double>
    let szz: UnsafeMutablePointer<Double>
}

/// What an element matrix depends on: the material and the corner offsets from the first corner (bit patterns, so
/// equal keys mean bit-identical matrices).
struct ElementShape: Hashable {
    let material: Int
    /// x and y offsets of corners 1, 2, 3 (the last two lanes zero).
    let offsets: SIMD8<UInt64>
}
