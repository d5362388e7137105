import Foundation
import Materials
import Testing
@testable import CathodeModels

/// Model C verification (shared/docs/physics.md §8.6): patch test, free body, clamped film (isotropic and
/// anisotropic, plane strain and plane stress, periodic and free sides), Kirsch hole, convergence order,
/// mirror symmetry, a bonded SE layer under stack pressure, hotspot classification and bad input.
@Suite("Chemo-mechanics (Model C)")
struct MechanicsTests {
    let e = 375e9, nu = 0.2

    /// An isotropic eigenstrain ε* through the lattice law: ε_a = β_a Δθ, ε_c = −β_c Δθ with β_c = −β_a.
    func isotropicMechanics(
        strain: Double, condition: PlaneCondition = .planeStrain, interface: SectionMechanics.Interface = .free
    ) -> SectionMechanics {
        var mech = SectionMechanics()
        mech.lattice = .linear(betaA: strain, betaC: -strain)
        mech.condition = condition
        mech.interface = interface
        return mech
    }

    @Test("Patch test: a linear displacement on the boundary of distorted elements gives the exact constant stress")
    func patchTest() throws {
        // 2 × 2 patch on [0, 1]², interior node moved to (0.57, 0.41), other mid-side nodes moved too.
        let pos: [(Double, Double)] = [
            (0, 0), (0, 0.48), (0, 1), (0.53, 0), (0.57, 0.41), (0.46, 1), (1, 0), (1, 0.55), (1, 1),
        ]
        // node (i, j) = 3i + j, i along x.
        var mesh = QuadMesh(nodeCount: 9, corners: [], cornerX: [], cornerY: [], material: [])
        for i in 0..<2 {
            for j in 0..<2 {
                let ids = [3 * i + j, 3 * (i + 1) + j, 3 * (i + 1) + j + 1, 3 * i + j + 1]
                mesh.corners += ids
                mesh.cornerX += ids.map { pos[$0].0 }
                mesh.cornerY += ids.map { pos[$0].1 }
                mesh.material.append(0)
            }
        }
        let u = { (x: Double, y: Double) in (1e-3 + 2e-3 * x - 1e-3 * y, -2e-3 + 0.5e-3 * x + 3e-3 * y) }
        var constraints: [DisplacementConstraint] = []
        for n in 0..<9 where n != 4 {
            let (ux, uy) = u(pos[n].0, pos[n].1)
            constraints += [.init(node: n, component: 0, value: ux), .init(node: n, component: 1, value: uy)]
        }
        for condition in PlaneCondition.allCases {
            let material = ElasticStiffness.isotropic(youngsModulus: e, poissonRatio: nu)
            let solver = try ElasticitySolver(
                mesh: mesh, materials: [material], condition: condition, constraints: constraints)
            let s = solver.solve()
            let exact = u(0.57, 0.41)
            #expect(abs(s.ux[4] - exact.0) < 1e-15 && abs(s.uy[4] - exact.1) < 1e-15)
            let d = material.effectiveInPlane(condition)
            let strain = [2e-3, 3e-3, -1e-3 + 0.5e-3]
            let sigma = (0..<3).map { p in (0..<3).reduce(0) { $0 + d[p * 3 + $1] * strain[$1] } }
            for k in 0..<4 {
                #expect(
                    abs(s.sxx[k] - sigma[0]) < 1e-9 * e && abs(s.syy[k] - sigma[1]) < 1e-9 * e
                        && abs(s.sxy[k] - sigma[2]) < 1e-9 * e)
            }
        }
    }

    @Test("Free body: a uniform isotropic eigenstrain with only rigid-body constraints is stress-free")
    func freeBody() throws {
        let mesh = QuadMesh.rectangle(nx: 6, ny: 9, lx: 2e-6, ly: 3e-6)
        let corner = 0
        let farCorner = 6 * 10  // (0, 0) and (lx, 0)
        let solver = try ElasticitySolver(
            mesh: mesh, materials: [.isotropic(youngsModulus: e, poissonRatio: nu)],
            constraints: [
                .init(node: corner, component: 0), .init(node: corner, component: 1),
                .init(node: farCorner, component: 1),
            ])
        let eps = 0.01
        let n = mesh.elementCount
        let s = solver.solve(
            eigenstrain: EigenstrainField(
                xx: .init(repeating: eps, count: n), yy: .init(repeating: eps, count: n),
                xy: .init(repeating: 0, count: n), zz: .init(repeating: 0, count: n)))
        let worst = (s.sxx + s.syy + s.sxy).map(abs).max()!
        #expect(worst < 1e-9 * e * eps, "largest stress \(worst) Pa")
    }

    @Test("Clamped film, uniform isotropic ε*: σ_yy = σ_zz = −Eε*/(1 − ν), σ_xx = τ = 0, u_x(L) = Lε*(1 + ν)/(1 − ν)")
    func clampedFilmIsotropic() throws {
        let m = Microstructure.uniform(nx: 8, ny: 6, thickness: 5e-6, width: 4e-6)
        let model = try ChemoMechanicalModel(microstructure: m, mechanics: isotropicMechanics(strain: 0.01))
        let f = model.stress(uniformChange: 1, reference: 0)
        let expected = -e * 0.01 / (1 - nu)  // −4.6875 GPa
        #expect(abs(expected + 4.6875e9) < 1)
        for k in 0..<(m.nx * m.ny) {
            #expect(abs(f.syy[k] / expected - 1) < 1e-6 && abs(f.szz[k] / expected - 1) < 1e-6)
            #expect(abs(f.sxx[k]) < 1e-6 * abs(expected) && abs(f.sxy[k]) < 1e-6 * abs(expected))
        }
        let top = f.cornerUx[m.nx * (m.ny + 1) + 3]
        let exact = 5e-6 * 0.01 * (1 + nu) / (1 - nu)
        #expect(abs(top / exact - 1) < 1e-6)
    }

    @Test("Plane stress clamped film: σ_yy = −Eε*, σ_zz = 0")
    func clampedFilmPlaneStress() throws {
        let m = Microstructure.uniform(nx: 6, ny: 4, thickness: 5e-6, width: 4e-6)
        let model = try ChemoMechanicalModel(
            microstructure: m, mechanics: isotropicMechanics(strain: 0.01, condition: .planeStress))
        let f = model.stress(uniformChange: 1, reference: 0)
        #expect(f.syy.allSatisfy { abs($0 / (-e * 0.01) - 1) < 1e-6 } && f.szz.allSatisfy { $0 == 0 })
    }

    @Test("Clamped film, oriented grain (c along y), full discharge: σ_yy = +10.011 GPa, σ_zz = +1.317 GPa")
    func clampedFilmAnisotropic() throws {
        let m = Microstructure.uniform(nx: 8, ny: 6, thickness: 5e-6, width: 4e-6)
        let model = try ChemoMechanicalModel(
            microstructure: m,
            mechanics: {
                var s = SectionMechanics()
                s.interface = .free
                return s
            }())
        let f = model.stress(uniformChange: 0.4565, reference: 0.5435)
        let (ea, ec) = LatticeStrainLaw.kim2004Linear.strain(1, reference: 0.5435)
        #expect(abs(ec + 0.025993) < 1e-6 && abs(ea - 0.001826) < 1e-6)
        let syy = -e * (ec + nu * ea) / (1 - nu * nu)
        let szz = -e * (ea + nu * ec) / (1 - nu * nu)
        #expect(abs(syy / 1e9 - 10.011) < 1e-3 && abs(szz / 1e9 - 1.317) < 1e-3)
        for k in 0..<(m.nx * m.ny) {
            #expect(abs(f.syy[k] / syy - 1) < 1e-6 && abs(f.szz[k] / szz - 1) < 1e-6 && abs(f.sxx[k]) < 1e-6 * syy)
        }
        let ux = f.cornerUx[m.nx * (m.ny + 1)]
        #expect(abs(ux / (5e-6 * (ea + nu * (ec + ea) / (1 - nu))) - 1) < 1e-6)
    }

    @Test("Free-sided film 20 L wide: the clamped-film stress holds at the centre to 1 %")
    func wideFreeFilm() throws {
        var m = Microstructure.uniform(nx: 4, ny: 160, thickness: 2e-6, width: 40e-6, periodic: false)
        m.periodic = false
        var mech = isotropicMechanics(strain: 0.01)
        mech.sides = .free
        let f = try ChemoMechanicalModel(microstructure: m, mechanics: mech).stress(uniformChange: 1, reference: 0)
        let centre = m.index(1, 80)
        #expect(abs(f.syy[centre] / (-e * 0.01 / (1 - nu)) - 1) < 0.01)
    }

    @Test(
        "Kirsch: hoop stress 3S at a circular hole (boundary-fitted quarter plate, half-width 10a, 32 elements on the quarter circle)"
    )
    func kirsch() throws {
        let a = 1.0
        let h = 10.0
        let s = 1e6
        let nt = 32
        let nr = 48
        let ratio = 1.09
        func node(_ ir: Int, _ it: Int) -> Int { ir * (nt + 1) + it }
        func position(_ ir: Int, _ it: Int) -> (Double, Double) {
            let t = Double(it) / Double(nt) * .pi / 2
            let inner = (a * cos(t), a * sin(t))
            let outer = t <= .pi / 4 ? (h, h * tan(t)) : (h / tan(t), h)
            let g = (pow(ratio, Double(ir)) - 1) / (pow(ratio, Double(nr)) - 1)
            return (inner.0 + g * (outer.0 - inner.0), inner.1 + g * (outer.1 - inner.1))
        }
        var mesh = QuadMesh(nodeCount: (nr + 1) * (nt + 1), corners: [], cornerX: [], cornerY: [], material: [])
        for ir in 0..<nr {
            for it in 0..<nt {
                let ids = [(ir, it), (ir + 1, it), (ir + 1, it + 1), (ir, it + 1)]
                mesh.corners += ids.map { node($0.0, $0.1) }
                mesh.cornerX += ids.map { position($0.0, $0.1).0 }
                mesh.cornerY += ids.map { position($0.0, $0.1).1 }
                mesh.material.append(0)
            }
        }
        var constraints: [DisplacementConstraint] = []
        for ir in 0...nr {
            constraints += [.init(node: node(ir, 0), component: 1), .init(node: node(ir, nt), component: 0)]
        }
        var tractions: [EdgeTraction] = []
        for it in 0..<(nt / 2) {
            let p = position(nr, it)
            let q = position(nr, it + 1)
            tractions.append(
                EdgeTraction(
                    nodeA: node(nr, it), nodeB: node(nr, it + 1), ax: p.0, ay: p.1, bx: q.0, by: q.1, tx: s, ty: 0))
        }
        let solver = try ElasticitySolver(
            mesh: mesh, materials: [.isotropic(youngsModulus: 200e9, poissonRatio: 0.3)], condition: .planeStress,
            constraints: constraints)
        let sol = solver.solve(tractions: tractions)
        // Elements in the last angular column (next to θ = 90°): extrapolate σ_xx linearly in r to r = a.
        let col = nt - 1
        func centroidRadius(_ ir: Int) -> Double {
            let k = ir * nt + col
            let x = (0..<4).reduce(0) { $0 + mesh.cornerX[4 * k + $1] } / 4
            let y = (0..<4).reduce(0) { $0 + mesh.cornerY[4 * k + $1] } / 4
            return (x * x + y * y).squareRoot()
        }
        let r1 = centroidRadius(0)
        let r2 = centroidRadius(1)
        let s1 = sol.sxx[col]
        let s2 = sol.sxx[nt + col]
        let edge = s1 + (a - r1) * (s2 - s1) / (r2 - r1)
        #expect(abs(edge / (3 * s) - 1) < 0.03, "hoop stress at the hole \(edge / s) S")
        // Away from the edge the element values follow Kirsch's σ_θθ(r, 90°) = S/2 (2 + a²/r² + 3a⁴/r⁴).
        for ir in [4, 10, 20] {
            let r = centroidRadius(ir)
            let kirsch = s / 2 * (2 + a * a / (r * r) + 3 * pow(a / r, 4))
            #expect(
                abs(sol.sxx[ir * nt + col] / kirsch - 1) < 0.03,
                "r = \(r): \(sol.sxx[ir * nt + col] / s) vs \(kirsch / s)")
        }
    }

    @Test("Convergence: the top displacement under a smooth θ field converges at second order")
    func convergenceOrder() throws {
        // θ(x, y) = 0.3 (x/L)² (1 + 0.5 cos(2πy/W)) in an oriented film; Richardson on u_x(L, W/2).
        var values: [Double] = []
        for n in [8, 16, 32] {
            let m = Microstructure.uniform(nx: n, ny: 2 * n, thickness: 5e-6, width: 10e-6, angle: 0.3)
            var mech = SectionMechanics()
            mech.interface = .free
            let model = try ChemoMechanicalModel(microstructure: m, mechanics: mech)
            let theta = (0..<(m.nx * m.ny)).map { k -> Double in
                let x = (Double(k / m.ny) + 0.5) / Double(m.nx)
                let y = (Double(k % m.ny) + 0.5) / Double(m.ny)
                return 0.3 * x * x * (1 + 0.5 * cos(2 * .pi * y))
            }
            let f = model.stress(theta: theta, reference: 0)
            values.append(f.cornerUx[m.nx * (m.ny + 1) + m.ny / 2])
        }
        let order = log2((values[0] - values[1]) / (values[1] - values[2]))
        #expect(abs(order - 2) < 0.3, "observed order \(order), values \(values)")
    }

    @Test("Mirror symmetry: y → W − y with φ → −φ mirrors σ_xx, σ_yy and flips τ_xy")
    func mirrorSymmetry() throws {
        func build(_ sign: Double) -> Microstructure {
            var m = Microstructure.uniform(nx: 12, ny: 16, thickness: 6e-6, width: 8e-6, angle: sign * 0.5)
            m.addHole(x: 3e-6, y: sign > 0 ? 3e-6 : 5e-6, semiAxisX: 1e-6, semiAxisY: 0.6e-6)
            for j in 0..<m.ny { m.contact[j] = sign > 0 ? (j < 10) : (j >= 6) }
            return m
        }
        let a = build(1)
        let b = build(-1)
        var mech = SectionMechanics()
        mech.interface = .bondedLayer
        mech.electrolyteThickness = 4e-6
        let theta = { (m: Microstructure) in (0..<(m.nx * m.ny)).map { k in 0.55 + 0.03 * Double(k / m.ny) } }
        let fa = try ChemoMechanicalModel(microstructure: a, mechanics: mech).stress(theta: theta(a), reference: 0.55)
        let fb = try ChemoMechanicalModel(microstructure: b, mechanics: mech).stress(theta: theta(b), reference: 0.55)
        let scale = fa.syy.map(abs).max()!
        var worst = 0.0
        for i in 0..<a.nx {
            for j in 0..<a.ny {
                let p = a.index(i, j)
                let q = b.index(i, a.ny - 1 - j)
                worst = max(worst, abs(fa.sxx[p] - fb.sxx[q]), abs(fa.syy[p] - fb.syy[q]), abs(fa.sxy[p] + fb.sxy[q]))
            }
        }
        #expect(worst < 1e-9 * scale, "worst mirror mismatch \(worst / scale)")
    }

    @Test("Snapshots solved together equal snapshots solved one by one; the factor fits the memory estimate")
    func seriesOfFieldsInOnePass() throws {
        var m = Microstructure.uniform(nx: 30, ny: 24, thickness: 10e-6, width: 8e-6, angle: 0.3)
        m.addHole(x: 4e-6, y: 3e-6, semiAxisX: 1.2e-6, semiAxisY: 0.8e-6)
        var mech = SectionMechanics()
        mech.interface = .bondedLayer
        mech.electrolyteThickness = 5e-6
        let model = try ChemoMechanicalModel(microstructure: m, mechanics: mech)
        let thetas = (0..<4).map { step in
            (0..<(m.nx * m.ny)).map { k in 0.55 + 0.02 * Double(step) * Double(k / m.ny) / Double(m.nx) }
        }
        let together = model.stress(thetas: thetas, reference: 0.55)
        for (theta, field) in zip(thetas, together) {
            let alone = model.stress(theta: theta, reference: 0.55)
            let scale = max(alone.syy.map(abs).max()!, 1)
            // Same factor, sums in another order: round-off (1e-12 of the largest stress).
            let worst = zip(alone.syy, field.syy).map { abs($0 - $1) }.max()!
            #expect(worst <= 1e-12 * scale, "σ_yy differs by \(worst / scale) of its largest value")
        }
        #expect(Double(8 * model.solver.factorEntries) < ChemoMechanicalModel.memoryEstimate(nx: m.nx, ny: m.ny))
    }

    @Test(
        "Transversely isotropic constants equal to isotropic ones give the isotropic D at any angle; 90° swaps C_xxxx and C_yyyy"
    )
    func stiffnessRotation() {
        let lambda = e * nu / ((1 + nu) * (1 - 2 * nu))
        let mu = e / (2 * (1 + nu))
        let iso = ElasticStiffness.isotropic(youngsModulus: e, poissonRatio: nu)
        for phi in [0.0, 0.3, 1.1] {
            let t = ElasticStiffness.transverselyIsotropic(
                c11: lambda + 2 * mu, c33: lambda + 2 * mu, c44: mu, c12: lambda, c13: lambda, angle: phi)
            #expect(zip(t.inPlane, iso.inPlane).allSatisfy { abs($0 - $1) < 1e-6 * e })
        }
        let a = ElasticStiffness.transverselyIsotropic(
            c11: 300e9, c33: 200e9, c44: 60e9, c12: 100e9, c13: 80e9, angle: 0)
        let b = ElasticStiffness.transverselyIsotropic(
            c11: 300e9, c33: 200e9, c44: 60e9, c12: 100e9, c13: 80e9, angle: .pi / 2)
        #expect(
            abs(a.inPlane[0] - b.inPlane[4]) < 1 && abs(a.inPlane[4] - b.inPlane[0]) < 1
                && abs(a.zCoupling[0] - b.zCoupling[1]) < 1)
    }

    @Test(
        "Hexagonal constants set to the isotropic ones reproduce the isotropic stresses in rotated grains; incomplete sets are rejected"
    )
    func transverseConstantsThroughTheSpec() throws {
        let lambda = e * nu / ((1 + nu) * (1 - 2 * nu)) / 1e9
        let mu = e / (2 * (1 + nu)) / 1e9
        var m = Microstructure.uniform(nx: 10, ny: 12, thickness: 5e-6, width: 6e-6, angle: 0.4)
        m.addHole(x: 2.5e-6, y: 3e-6, semiAxisX: 0.8e-6, semiAxisY: 0.8e-6)
        let iso = try ChemoMechanicalParameterRegistry.spec(base: "paperHalfCell", numbers: [:]).mechanics()
        let hex = try ChemoMechanicalParameterRegistry.spec(
            base: "paperHalfCell",
            numbers: [
                "transverseC11GPa": lambda + 2 * mu, "transverseC33GPa": lambda + 2 * mu, "transverseC44GPa": mu,
                "transverseC12GPa": lambda, "transverseC13GPa": lambda,
            ]
        ).mechanics()
        #expect(hex.transverseConstants != nil)
        let theta = (0..<(m.nx * m.ny)).map { 0.6 + 0.002 * Double($0 % 37) }
        let a = try ChemoMechanicalModel(microstructure: m, mechanics: iso).stress(theta: theta, reference: 0.6)
        let b = try ChemoMechanicalModel(microstructure: m, mechanics: hex).stress(theta: theta, reference: 0.6)
        let scale = a.syy.map(abs).max()!
        #expect(
            zip(a.sxx + a.syy + a.sxy + a.szz, b.sxx + b.syy + b.sxy + b.szz).allSatisfy { abs($0 - $1) < 1e-9 * scale }
        )
        #expect(throws: ModelInputError.self) {
            try ChemoMechanicalParameterRegistry.spec(base: "paperHalfCell", numbers: ["transverseC11GPa": 300])
        }
        #expect(throws: ModelInputError.self) {
            try ChemoMechanicalParameterRegistry.spec(
                base: "paperHalfCell",
                numbers: [
                    "transverseC11GPa": 100, "transverseC33GPa": 100, "transverseC44GPa": 50, "transverseC12GPa": 20,
                    "transverseC13GPa": 200,
                ])
        }
    }

    @Test(
        "A very stiff elastic foundation on the top clamps it: a fully constrained isotropic ε* gives σ = −Eε*/(1 − 2ν) in every normal component"
    )
    func stiffFoundationClampsTheTop() throws {
        let m = Microstructure.uniform(nx: 8, ny: 4, thickness: 4e-6, width: 2e-6)
        var mech = isotropicMechanics(strain: 0.01, interface: .elasticFoundation)
        mech.electrolyteYoungsModulus = 2000e9
        mech.electrolyteThickness = 0.01e-6  // k_n = 2e20 Pa/m ≫ E/L ≈ 1e17
        let f = try ChemoMechanicalModel(microstructure: m, mechanics: mech).stress(uniformChange: 1, reference: 0)
        let expected = -e * 0.01 / (1 - 2 * nu)
        for k in 0..<(m.nx * m.ny) {
            #expect(
                abs(f.sxx[k] / expected - 1) < 2e-3 && abs(f.syy[k] / expected - 1) < 2e-3
                    && abs(f.szz[k] / expected - 1) < 2e-3)
        }
    }

    @Test(
        "Bonded SE layer under stack pressure p: σ_xx = −p and σ_yy = −p ν/(1 − ν) in the laterally constrained cathode"
    )
    func stackPressure() throws {
        let m = Microstructure.uniform(nx: 6, ny: 5, thickness: 5e-6, width: 5e-6)
        var mech = SectionMechanics()
        mech.interface = .bondedLayer
        mech.stackPressure = 20e6
        mech.electrolyteThickness = 8e-6
        let f = try ChemoMechanicalModel(microstructure: m, mechanics: mech).stress(uniformChange: 0, reference: 0.6)
        for k in 0..<(m.nx * m.ny) {
            #expect(abs(f.sxx[k] / -20e6 - 1) < 1e-6 && abs(f.syy[k] / (-20e6 * 0.25) - 1) < 1e-6)
        }
    }

    @Test("Hotspots: a crack across the tensile direction concentrates stress at its tips; a pore at its edge")
    func hotspotClassification() throws {
        var m = Microstructure.uniform(nx: 40, ny: 40, thickness: 10e-6, width: 10e-6)
        m.addHole(x: 5e-6, y: 3e-6, semiAxisX: 2e-6, semiAxisY: 0.1e-6)  // crack ⟂ CC, opened by σ_yy
        m.addHole(x: 5e-6, y: 7.5e-6, semiAxisX: 0.6e-6, semiAxisY: 0.6e-6)  // pore
        let features = StressHotspots.holeFeatures(m)
        #expect(features.count == 2 && features.filter(\.isCrack).count == 1)
        var mech = SectionMechanics()
        mech.interface = .free
        let model = try ChemoMechanicalModel(microstructure: m, mechanics: mech)
        let f = model.stress(uniformChange: 0.2, reference: 0.55)
        let spots = StressHotspots.find(f, microstructure: m, count: 6)
        #expect(
            spots.first?.feature == .crackTip, "\(spots.map { ($0.feature, $0.peak / 1e9, $0.x * 1e6, $0.y * 1e6) })")
        #expect(spots.contains { $0.feature == .poreEdge })
        #expect(zip(spots, spots.dropFirst()).allSatisfy { $0.peak >= $1.peak })
        #expect(spots.allSatisfy { $0.discMean <= $0.peak * (1 + 1e-12) && $0.discMean > 0 })
    }

    @Test(
        "Bad input: a floating island, periodic sides on a closed section, an out-of-range Poisson ratio, no contact with a bonded layer"
    )
    func badInput() throws {
        var island = Microstructure.uniform(nx: 20, ny: 20, thickness: 10e-6, width: 10e-6)
        for i in 0..<20 {
            for j in 0..<20 where i == 5 || (i >= 5 && (j == 0 || j == 19)) { island.hole[island.index(i, j)] = true }
        }
        #expect(throws: ModelInputError.self) {
            try ChemoMechanicalModel(microstructure: island, mechanics: SectionMechanics())
        }
        var closed = Microstructure.uniform(nx: 4, ny: 4, thickness: 1e-6, width: 1e-6)
        closed.periodic = false
        var mech = SectionMechanics()
        mech.sides = .periodic
        #expect(throws: ModelInputError.self) { try ChemoMechanicalModel(microstructure: closed, mechanics: mech) }
        var bad = SectionMechanics()
        bad.cathodePoissonRatio = 0.6
        do {
            _ = try ChemoMechanicalModel(microstructure: closed, mechanics: bad)
            Issue.record("accepted ν = 0.6")
        } catch { #expect("\(error)".contains("poissonRatio") && "\(error)".contains("0.6")) }
        var none = Microstructure.uniform(nx: 4, ny: 4, thickness: 1e-6, width: 1e-6)
        none.contact = [false, false, false, false]
        #expect(throws: ModelInputError.self) {
            try ChemoMechanicalModel(microstructure: none, mechanics: SectionMechanics())
        }
    }
}
