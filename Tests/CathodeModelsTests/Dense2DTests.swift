import Foundation
import Testing
@testable import CathodeModels
import Materials

/// Model B against references (physics.md §8.5): the 1D model in the 1D limit, conservation, the
/// maximum principle for strongly rotated anisotropy, the blocked-lateral bound, and symmetry.
@Suite struct Dense2DTests {
    func cell(porosity: Double = 0) -> Dense1DCell {
        var c = Dense1DParameterSet.paperHalfCell.cell
        c.porosity = porosity
        c.diffusivity = .constant(1.1e-13)
        return c
    }

    /// Full contact, isotropic, flat, one oriented grain: capacity within 0.5 % of Model A.
    @Test(arguments: [0.25, 1.0])
    func reducesToTheOneDimensionalModel(cRate: Double) throws {
        let c = cell()
        let m = Microstructure.uniform(nx: 40, ny: 4, thickness: c.thickness, width: 10e-6)
        let two = try Dense2DModel(
            Dense2DSetup(cell: c, microstructure: m, anisotropyRatio: 1, cRate: cRate, stepsPerNominal: 400)
        ).run()
        let one = try Dense1DModel(Dense1DSetup(cell: c, protocolSettings: Dense1DProtocol(cRate: cRate))).run()
        #expect(abs(two.capacity - one.capacity) / one.capacity < 0.005, "2D \(two.capacity) vs 1D \(one.capacity)")
    }

    /// Transient anisotropic Fourier mode (physics.md §8.5): θ = θ̄ + A cos(πx/L) cos(2πy/W) e^{−λt} with
    /// λ = D_xx (π/L)² + D_yy (2π/W)² satisfies the closed x-boundaries and periodic y exactly. D_s/D_f = 0.25 makes
    /// both directions count equally. The decay rate from the projected amplitude converges at second order.
    @Test func anisotropicFourierModeDecaysAtTheAnalyticRate() throws {
        let length = 10e-6
        let df = 1e-13
        let ratio = 0.25
        let kx: Double = .pi / length
        let ky: Double = 2 * .pi / length
        let lambda: Double = df * kx * kx + ratio * df * ky * ky
        let horizon = 1 / lambda
        var errors: [Double] = []
        for cells in [8, 16, 32] {
            var c = cell()
            c.diffusivity = .constant(df)
            c.thickness = length
            let m = Microstructure.uniform(nx: cells, ny: cells, thickness: length, width: length)
            let engine = Dense2DEngine(
                setup: Dense2DSetup(cell: c, microstructure: m, anisotropyRatio: ratio, cRate: 1))
            let n = Double(cells)
            let shape: [Double] = (0..<(cells * cells)).map { (k: Int) -> Double in
                let x: Double = (Double(k / cells) + 0.5) / n
                let y: Double = (Double(k % cells) + 0.5) / n
                return cos(Double.pi * x) * cos(2 * Double.pi * y)
            }
            let steps = 400
            let dt = horizon / Double(steps)
            let growth: Double = exp(lambda * dt)
            let start: [Double] = shape.map { 0.7 + 0.1 * $0 }
            let before: [Double] = shape.map { 0.7 + 0.1 * growth * $0 }
            let end = try engine.diffuseClosed(previous: before, current: start, dt: dt, steps: steps)
            var projection = 0.0
            var norm = 0.0
            for k in 0..<shape.count {
                projection += (end[k] - 0.7) * shape[k]
                norm += shape[k] * shape[k]
            }
            let rate: Double = -log(projection / norm / 0.1) / horizon
            errors.append(abs(rate / lambda - 1))
            // The mean is conserved exactly (closed box).
            let mean: Double = end.reduce(0, +) / Double(end.count)
            #expect(abs(mean - 0.7) < 1e-12)
        }
        let order = log2(errors[1] / errors[2])
        #expect(errors[2] < 3e-3 && abs(order - 2) < 0.25, "relative errors \(errors), order \(order)")
    }

    /// Fast kinetics (i₀ = 25 A m⁻²) on a rough interface with a short correlation length (ℓ = 0.1 µm, large area
    /// factors) and a fast D: the face's scalar Newton on i = g(θ_cell + β i) used to oscillate without settling,
    /// and the failed step ended the discharge mid-way (95.05 mAh g⁻¹ at 200 steps per hour, 112.97 at 400; seen as
    /// noise in the sensitivity study's roughness gain). With the bracketed fallback the capacity no longer depends
    /// on the step beyond time-discretisation error (measured 112.9645 vs 112.9653) and the run ends at the cut-off.
    @Test func fastKineticsOnARoughInterfaceDoNotEndTheDischargeEarly() throws {
        var capacities: [Double] = []
        for steps in [200.0, 400] {
            let spec = try Dense2DParameterRegistry.spec(
                base: "paperHalfCell",
                numbers: [
                    "cRate": 0.25, "ny": 40, "contactFraction": 1, "contactPeriodMicrometres": 10,
                    "roughnessRmsMicrometres": 0.84, "roughnessCorrelationMicrometres": 0.1,
                    "initialStoichiometry": 0.58, "exchangeCurrentDensityAPerM2": 25, "lowerCutoffVsLiV": 2.62,
                    "diffusivityCm2PerS": 1e-8, "anisotropyRatio": 1e-4, "stepsPerNominal": steps,
                ])
            let run = try Dense2DModel(try spec.setup()).run()
            // The last step before the cut-off starts within the refined (8× shorter) steps near the end.
            #expect(run.voltageVsLi[run.voltageVsLi.count - 2] < 2.62 + 0.15, "stopped at \(run.voltageVsLi.suffix(2))")
            capacities.append(run.capacity)
        }
        #expect(abs(capacities[0] - capacities[1]) / capacities[1] < 1e-4, "\(capacities)")
    }

    /// Slow kinetics (i₀ = 0.05–0.2 A m⁻²) at 1C with contact loss: the initial interface solve must not jump
    /// onto the saturated branch (it once failed with "cannot carry the current at t = 0"); slower kinetics lose
    /// capacity monotonically, and a larger active area (roughness) recovers some of it.
    @Test func slowKineticsStartFromOpenCircuit() throws {
        var capacities: [Double] = []
        for i0 in [1.0, 0.2, 0.05] {
            let spec = try Dense2DParameterRegistry.spec(
                base: "paperHalfCell",
                numbers: ["contactFraction": 0.8, "ny": 20, "cRate": 1, "exchangeCurrentDensityAPerM2": i0])
            capacities.append(try Dense2DModel(try spec.setup()).run().capacity)
        }
        #expect(capacities[0] > capacities[1] && capacities[1] > capacities[2] && capacities[2] > 30, "\(capacities)")
        let rough = try Dense2DParameterRegistry.spec(
            base: "paperHalfCell",
            numbers: [
                "contactFraction": 0.8, "ny": 20, "cRate": 1, "exchangeCurrentDensityAPerM2": 0.05,
                "roughnessRmsMicrometres": 0.84,
            ])
        #expect(try Dense2DModel(try rough.setup()).run().capacity > capacities[2])
    }

    /// θ maps are taken at the requested times, not at the step after them: at constant current the Li a map holds
    /// above θ₀ must be the charge passed by then, (Σθ(t) − Σθ₀)/(Σθ_end − Σθ₀) = t/t_end (each step conserves Li to
    /// round-off, and the map is interpolated linearly inside its step), and the capacity at t is Q_end·t/t_end.
    @Test func snapshotsAreTakenAtTheRequestedTimes() throws {
        var m = Microstructure.uniform(nx: 16, ny: 12, thickness: 23.1e-6, width: 10e-6)
        m.setRegularContact(fraction: 0.6, period: 10e-6)
        var setup = Dense2DSetup(cell: cell(), microstructure: m, anisotropyRatio: 0.05, cRate: 1, stepsPerNominal: 100)
        let end = try Dense2DModel(setup).run().time.last!
        let requested = [0.3 * end, 0.71 * end]
        setup.snapshotTimes = requested
        let r = try Dense2DModel(setup).run()
        #expect(r.snapshots.count == 3 && r.snapshotTimes.count == 3)
        let theta0 = r.initialStoichiometry
        let excess = { (map: [Double]) in map.reduce(0) { $0 + ($1 - theta0) } }
        let total = excess(r.snapshots[2])
        for (k, t) in requested.enumerated() {
            #expect(abs(r.snapshotTimes[k] - t) <= 1e-9 * end, "map \(k) at \(r.snapshotTimes[k]) s, asked \(t)")
            #expect(
                abs(excess(r.snapshots[k]) / total - t / end) < 1e-9, "map \(k): Li \(excess(r.snapshots[k]) / total)")
            #expect(abs(r.capacity(atTime: t) / (r.capacity * t / end) - 1) < 1e-12)
        }
    }

    /// At a high kinetic overpotential (i₀ = 0.026 A m⁻², the value calibrated on a flat Fig. 4(e) base; cut-off 3.46 V;
    /// A/A_t = 0.6 at 1C)
    /// the voltage sits near the cut-off for most of the discharge. The steps are refined only for the last few,
    /// so the end must still fall inside a fine (8× shorter) step, and the capacity must not depend on the step
    /// beyond BDF2's time error: 100 and 800 steps per nominal hour agree to 1e-3 (measured 19.2230 both).
    @Test func theEndIsLocatedInAFineStepAtHighOverpotential() throws {
        var capacities: [Double] = []
        for steps in [100.0, 800] {
            let spec = try Dense2DParameterRegistry.spec(
                base: "paperHalfCell",
                numbers: [
                    "cRate": 1, "ny": 20, "contactFraction": 0.6, "contactPeriodMicrometres": 10,
                    "exchangeCurrentDensityAPerM2": 0.026, "lowerCutoffVsLiV": 3.46, "initialStoichiometry": 0.528,
                    "stepsPerNominal": steps,
                ])
            let run = try Dense2DModel(try spec.setup()).run()
            let fineStep = 3600 / steps / 8
            let last = run.time[run.time.count - 1] - run.time[run.time.count - 2]
            #expect(last <= fineStep * (1 + 1e-9), "last step \(last) s, fine step \(fineStep) s")
            capacities.append(run.capacity)
        }
        #expect(abs(capacities[0] - capacities[1]) / capacities[1] < 1e-3, "\(capacities)")
    }

    /// A grain turned by a multiple of 90° has the exactly swapped (or same) diagonal tensor and no cross term:
    /// R(π/2) diag(D_f, D_s) R(π/2)ᵀ = diag(D_s, D_f). In floating point cos(π/2) ≈ 6e-17 would leave a round-off
    /// D_xy that sends the run down the cross-term path.
    @Test func quarterTurnGrainsHaveNoCrossTerm() {
        let ratio = 0.01
        for (angle, swapped) in [(Double.pi / 2, true), (-Double.pi / 2, true), (Double.pi, false), (0, false)] {
            let m = Microstructure.uniform(nx: 4, ny: 4, thickness: 23.1e-6, width: 10e-6, angle: angle)
            let engine = Dense2DEngine(
                setup: Dense2DSetup(cell: cell(), microstructure: m, anisotropyRatio: ratio, cRate: 1))
            let (df, ds) = (1.1e-13, 1.1e-13 * ratio)
            #expect(!engine.hasCrossTerms && engine.dxy.allSatisfy { $0 == 0 }, "angle \(angle)")
            #expect(
                engine.dxx.allSatisfy { $0 == (swapped ? ds : df) }
                    && engine.dyy.allSatisfy { $0 == (swapped ? df : ds) })
        }
    }

    @Test func chargeIsConservedWithContactLossAndRotatedGrains() throws {
        var m = Microstructure.uniform(nx: 16, ny: 12, thickness: 23.1e-6, width: 10e-6)
        m.setRegularContact(fraction: 0.6, period: 10e-6)
        m.grainAngles = [0.3]
        let r = try Dense2DModel(
            Dense2DSetup(cell: cell(), microstructure: m, anisotropyRatio: 0.1, cRate: 1, stepsPerNominal: 100)
        ).run()
        let inserted = (r.finalLithium - r.initialLithium) * PhysicalConstants.faraday
        #expect(abs(inserted - r.chargePassed) / r.chargePassed < 1e-8)
    }

    /// Explicitly resolved rough interface (physics.md §3.4 (b)): the solid keeps the flat cathode's mean thickness,
    /// faces follow the staircase (resolved area ratio > 1), charge equals Li inserted through top and side faces
    /// (rotated grains, so side faces react), and an unresolved correlation length is rejected by name.
    @Test func explicitRoughInterfaceConservesAndKeepsTheLoading() throws {
        let numbers: [String: Double] = [
            "nx": 23, "ny": 20, "stepsPerNominal": 60, "roughnessRmsMicrometres": 0.84,
            "roughnessCorrelationMicrometres": 1,
            "explicitRoughness": 1, "grainAngleDegrees": 30, "anisotropyRatio": 0.1, "contactFraction": 0.8, "cRate": 1,
        ]
        let setup = try Dense2DParameterRegistry.spec(base: "paperHalfCell", numbers: numbers).setup()
        let m = setup.microstructure
        #expect(m.electrolyte != nil && m.nx > 23)
        let solidThickness = Double(m.hole.filter { !$0 }.count) / Double(m.ny) * m.dx
        #expect(abs(solidThickness - setup.cell.thickness) < 0.5 * m.dx, "mean solid thickness \(solidThickness)")
        #expect(m.resolvedAreaRatio > 1.2)
        let faces = m.interfaceFaces().filter { m.contact[$0.column] }
        #expect(faces.contains { !$0.normalToX } && faces.contains { $0.normalToX })
        let r = try Dense2DModel(setup).run()
        let inserted = (r.finalLithium - r.initialLithium) * PhysicalConstants.faraday
        #expect(abs(inserted - r.chargePassed) / r.chargePassed < 1e-8)
        #expect(r.capacity > 20)
        do {
            _ = try Dense2DParameterRegistry.spec(
                base: "paperHalfCell", numbers: numbers.merging(["roughnessCorrelationMicrometres": 0.252]) { $1 }
            ).setup()
            Issue.record("accepted an unresolved correlation length")
        } catch { #expect("\(error)".contains("roughnessCorrelationMicrometres")) }
    }

    /// D_s/D_f = 1e-4 at 45°: θ stays within [θ₀, 1] (no undershoot below the initial value, no overshoot).
    @Test func maximumPrincipleForRotatedStrongAnisotropy() throws {
        var m = Microstructure.uniform(nx: 16, ny: 16, thickness: 23.1e-6, width: 10e-6, angle: .pi / 4)
        m.setRegularContact(fraction: 0.5, period: 10e-6)
        let r = try Dense2DModel(
            Dense2DSetup(cell: cell(), microstructure: m, anisotropyRatio: 1e-4, cRate: 1, stepsPerNominal: 100)
        ).run()
        // The limited iteration is accepted at 1e-6 in θ, so the bound holds to that tolerance.
        #expect(r.minimumStoichiometry >= cell().initialStoichiometry - 1e-6, "min θ \(r.minimumStoichiometry)")
        #expect(r.maximumStoichiometry <= 1 + 1e-6, "max θ \(r.maximumStoichiometry)")
    }

    /// With no lateral transport (D_s = 0) the columns in front of non-contact zones are unreachable:
    /// Q(f_c) ≤ f_c · Q(1) (+0.5 %).
    @Test func blockedLateralBound() throws {
        func q(_ fc: Double) throws -> Double {
            var m = Microstructure.uniform(nx: 20, ny: 20, thickness: 23.1e-6, width: 10e-6)
            m.setRegularContact(fraction: fc, period: 10e-6)
            return try Dense2DModel(
                Dense2DSetup(cell: cell(), microstructure: m, anisotropyRatio: 0, cRate: 0.1, stepsPerNominal: 100)
            ).run().capacity
        }
        let full = try q(1)
        let part = try q(0.6)
        #expect(part <= 0.6 * full * 1.005 + 1e-9, "Q(0.6) = \(part), 0.6 Q(1) = \(0.6 * full)")
    }

    /// Contact loss lowers the capacity, more at 1C than at 0.1C (the paper's Fig. 4e trend).
    @Test func contactLossHurtsMoreAtHighRate() throws {
        func q(_ fc: Double, _ rate: Double) throws -> Double {
            var m = Microstructure.uniform(nx: 23, ny: 20, thickness: 23.1e-6, width: 10e-6)
            m.setRegularContact(fraction: fc, period: 10e-6)
            return try Dense2DModel(
                Dense2DSetup(cell: cell(porosity: 0.0515), microstructure: m, cRate: rate, stepsPerNominal: 150)
            ).run().capacity
        }
        let slowLoss = 1 - (try q(0.6, 0.1)) / (try q(1, 0.1))
        let fastLoss = 1 - (try q(0.6, 1)) / (try q(1, 1))
        #expect(slowLoss > 0.05 && fastLoss > slowLoss, "loss at 0.1C \(slowLoss), at 1C \(fastLoss)")
    }

    @Test func badMicrostructuresAreRejected() {
        var none = Microstructure.uniform(nx: 10, ny: 10, thickness: 20e-6, width: 10e-6)
        none.contact = Array(repeating: false, count: 10)
        #expect(throws: ModelInputError.self) {
            try Dense2DModel(Dense2DSetup(cell: cell(), microstructure: none)).run()
        }
        var cut = Microstructure.uniform(nx: 10, ny: 10, thickness: 20e-6, width: 10e-6)
        for j in 0..<10 { cut.hole[cut.index(5, j)] = true }
        do {
            _ = try Dense2DModel(Dense2DSetup(cell: cell(), microstructure: cut)).run()
            Issue.record("accepted")
        } catch {
            #expect("\(error)".contains("disconnect"))
        }
    }

    /// The Fig. 5(c) model system on the calibrated set sits on the cell's 0.84 µm interface: its contact faces carry
    /// the area factors of the same generator as a regular section's (a profile drawn on the section's width, 16
    /// points per face), a flat request leaves them 1, and an explicitly resolved profile is refused by name.
    @Test func theModelSystemTakesTheCellsInterface() throws {
        let rough = try Dense2DParameterRegistry.spec(
            base: PaperCalibratedSets.paperCalibrated.name, numbers: ["modelSystem": 1]
        ).setup().microstructure
        var expected = Dense2DSpec.fig5cSystem(nx: rough.nx, ny: rough.ny, thickness: 23.1e-6, seed: 1)
        let mean = expected.setRoughness(
            rms: 0.84e-6, correlation: PaperCalibratedValues.values["roughnessCorrelation"]! * 1e-6, seed: 1 &+ 7)
        // Equal to rounding: the spec carries ℓ in µm and the cell its own thickness.
        #expect(rough.areaFactor.count == expected.areaFactor.count)
        #expect(zip(rough.areaFactor, expected.areaFactor).allSatisfy { abs($0 - $1) <= 1e-12 * $1 })
        #expect(mean > 3 && mean < 4.5, "mean area factor \(mean)")
        let flat = try Dense2DParameterRegistry.spec(
            base: PaperCalibratedSets.paperCalibrated.name, numbers: ["modelSystem": 1, "roughnessRmsMicrometres": 0]
        ).setup().microstructure
        #expect(flat.areaFactor.allSatisfy { $0 == 1 })
        do {
            _ = try Dense2DParameterRegistry.spec(
                base: PaperCalibratedSets.paperCalibrated.name, numbers: ["modelSystem": 1, "explicitRoughness": 1]
            ).setup()
            Issue.record("an explicit profile on the model system was accepted")
        } catch {
            #expect("\(error)".contains("explicitRoughness"))
        }
    }

    /// The rough-profile generator: exact RMS, zero mean, and the ≈ 4× area of the paper's 0.84 µm interface
    /// at ℓ = 0.252 µm for a 1D profile (physics.md §3.4).
    @Test func roughProfileStatistics() {
        var ratios: [Double] = []
        for seed in 0..<10 {
            let h = RoughProfile.generate(
                points: 2048, length: 40e-6, rms: 0.84e-6, correlation: 0.252e-6, seed: UInt64(seed))
            let mean = h.reduce(0, +) / Double(h.count)
            let rms = (h.reduce(0) { $0 + $1 * $1 } / Double(h.count)).squareRoot()
            #expect(abs(mean) < 1e-18 && abs(rms - 0.84e-6) / 0.84e-6 < 1e-12)
            ratios.append(RoughProfile.areaRatio(h, length: 40e-6))
        }
        let mean = ratios.reduce(0, +) / Double(ratios.count)
        #expect(abs(mean - 4.0) < 0.4, "mean area ratio \(mean)")
    }

    /// A power-of-two profile comes from the FFT, others from the direct sum of the modes: on the same spectrum the
    /// two agree to rounding (1e-12 of the RMS), so the representation does not depend on the point count's factors.
    @Test func roughProfileFourierPathMatchesTheDirectSum() {
        let fast = RoughProfile.generate(points: 1024, length: 20e-6, rms: 0.84e-6, correlation: 0.26e-6, seed: 3)
        var rng = SplitMix64(seed: 3)
        var amps: [(Double, Double, Double)] = []
        for m in 1...512 {
            let k = 2 * Double.pi * Double(m) / 20e-6
            let s = exp(-k * k * 0.26e-6 * 0.26e-6 / 8)
            amps.append((k, s * rng.nextNormal(), s * rng.nextNormal()))
        }
        var direct = [Double](repeating: 0, count: 1024)
        RoughProfile.sumModes(amps, into: &direct, length: 20e-6)
        let mean = direct.reduce(0, +) / 1024
        let rms = (direct.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 1024).squareRoot()
        let worst = zip(fast, direct).reduce(0.0) { max($0, abs($1.0 - ($1.1 - mean) * 0.84e-6 / rms)) }
        #expect(worst < 1e-12 * 0.84e-6, "largest difference \(worst) m")
    }
}

/// Homogenised D_eff against exact results (physics.md §8.5).
@Suite struct HomogenisationTests {
    /// A homogeneous rotated tensor (D_f = 1, D_s = 0.01, φ = 30°): the linear solution is exact, D_eff = D_xx = 0.7525.
    @Test func rotatedHomogeneousTensor() throws {
        let m = Microstructure.uniform(nx: 20, ny: 16, thickness: 1, width: 1, angle: .pi / 6)
        let d = try Dense2DModel.effectiveDiffusivity(m, fastDiffusivity: 1, anisotropyRatio: 0.01)
        #expect(abs(d - 0.7525) < 1e-9, "D_eff \(d)")
    }

    /// Layers stacked along x (in series) give the harmonic mean; stripes along x (in parallel) the arithmetic mean.
    @Test func laminates() throws {
        var series = Microstructure.uniform(nx: 20, ny: 8, thickness: 1, width: 1)
        series.grainAngles = [0, .pi / 2]  // D_xx = 1 and 0.1 with D_s/D_f = 0.1
        for i in 10..<20 { for j in 0..<8 { series.grain[series.index(i, j)] = 1 } }
        let ds = try Dense2DModel.effectiveDiffusivity(series, fastDiffusivity: 1, anisotropyRatio: 0.1)
        #expect(abs(ds - 1 / (0.5 / 1 + 0.5 / 0.1)) < 1e-9, "series \(ds)")
        var parallel = series
        for i in 0..<20 { for j in 0..<8 { parallel.grain[parallel.index(i, j)] = j < 4 ? 0 : 1 } }
        let dp = try Dense2DModel.effectiveDiffusivity(parallel, fastDiffusivity: 1, anisotropyRatio: 0.1)
        #expect(abs(dp - 0.55) < 1e-9, "parallel \(dp)")
    }

    /// Mirror symmetry of the discrete scheme, limited cross terms included: reversing the rows (x → L − x)
    /// and every grain angle (φ → −φ, which flips D_xy) describes the same physical problem mirrored, so the
    /// through-thickness D_eff must be identical to round-off.
    @Test func mirrorSymmetry() throws {
        var a = Microstructure.uniform(nx: 16, ny: 16, thickness: 1, width: 1, periodic: false)
        a.grainAngles = [0.2, 1.1]
        for i in 0..<16 { for j in 0..<16 where (i / 4 + j / 4) % 2 == 0 { a.grain[a.index(i, j)] = 1 } }
        a.addHole(x: 0.4, y: 0.6, semiAxisX: 0.1, semiAxisY: 0.05)
        var b = a
        for i in 0..<16 {
            for j in 0..<16 {
                b.grain[b.index(i, j)] = a.grain[a.index(15 - i, j)]
                b.hole[b.index(i, j)] = a.hole[a.index(15 - i, j)]
            }
        }
        b.grainAngles = a.grainAngles.map { -$0 }
        let da = try Dense2DModel.effectiveDiffusivity(a, fastDiffusivity: 1, anisotropyRatio: 0.05)
        let db = try Dense2DModel.effectiveDiffusivity(b, fastDiffusivity: 1, anisotropyRatio: 0.05)
        #expect(abs(da - db) / da < 1e-9, "\(da) vs \(db)")
        #expect(da > 0.05 && da < 1)  // between the slow and fast directional values
    }

    /// 90° rotation symmetry of the discrete scheme: rotating the section by 90° (φ → φ + π/2) and mirroring
    /// it (φ → −φ) is the transposition (i, j) → (j, i) with φ → π/2 − φ, which swaps the x and y axes. The
    /// through-thickness D_eff of the transposed section must then equal the in-plane D_eff of the original
    /// to round-off, heterogeneous grains, a hole and limited cross fluxes included — the two axes are
    /// discretised by independent code paths, so this checks that they agree.
    @Test func ninetyDegreeRotationSwapsAxes() throws {
        let n = 16
        var a = Microstructure.uniform(nx: n, ny: n, thickness: 1, width: 1, periodic: false)
        a.grainAngles = [0.2, 1.1, -0.6]
        for i in 0..<n { for j in 0..<n { a.grain[a.index(i, j)] = (i / 4 + 2 * (j / 5)) % 3 } }
        a.addHole(x: 0.4, y: 0.6, semiAxisX: 0.12, semiAxisY: 0.05)
        var b = a
        for i in 0..<n {
            for j in 0..<n {
                b.grain[b.index(i, j)] = a.grain[a.index(j, i)]
                b.hole[b.index(i, j)] = a.hole[a.index(j, i)]
            }
        }
        b.grainAngles = a.grainAngles.map { .pi / 2 - $0 }
        let aIn = try Dense2DModel.effectiveDiffusivity(a, fastDiffusivity: 1, anisotropyRatio: 0.05, along: .inPlane)
        let bThrough = try Dense2DModel.effectiveDiffusivity(b, fastDiffusivity: 1, anisotropyRatio: 0.05)
        let aThrough = try Dense2DModel.effectiveDiffusivity(a, fastDiffusivity: 1, anisotropyRatio: 0.05)
        #expect(abs(aIn - bThrough) / aIn < 1e-9, "in-plane \(aIn) vs transposed through-thickness \(bThrough)")
        #expect(
            abs(aIn - aThrough) / aIn > 1e-3,
            "the section is anisotropic, so the two axes must differ: \(aIn), \(aThrough)")
        #expect(throws: ModelInputError.self) {
            try Dense2DModel.effectiveDiffusivity(
                .uniform(nx: 4, ny: 4, thickness: 1, width: 1), fastDiffusivity: 1, anisotropyRatio: 0.1,
                along: .inPlane)
        }
    }
}

/// Spatial convergence of Model B on a genuinely 2D case (A/A_t = 0.6, rotated anisotropic grain, 1C).
@Suite struct Dense2DConvergenceTests {
    /// Capacity on n × n grids, n = 5, 10, 20, at a fixed time step (so the time error is common to all):
    /// the successive differences shrink at the scheme's second order (measured 32.43, 37.48, 38.70 mAh/g,
    /// order 2.05; n = 40 gives 38.68, already inside the time-step error). The non-contact edge is a
    /// Neumann/Robin switch, a boundary singularity that could pull the order towards 1, so the assertion
    /// is an observed order in [1.5, 2.6] and a change on the finest step below 5 %.
    @Test func capacityConvergesUnderRefinement() throws {
        var c = Dense1DParameterSet.paperHalfCell.cell
        c.diffusivity = .constant(1.1e-13)
        func q(_ n: Int) throws -> Double {
            var m = Microstructure.uniform(nx: n, ny: n, thickness: c.thickness, width: 10e-6, angle: 0.3)
            m.setRegularContact(fraction: 0.6, period: 10e-6)
            return try Dense2DModel(
                Dense2DSetup(cell: c, microstructure: m, anisotropyRatio: 0.05, cRate: 1, stepsPerNominal: 100)
            ).run().capacity
        }
        let q1 = try q(5)
        let q2 = try q(10)
        let q3 = try q(20)
        let e1 = abs(q2 - q1)
        let e2 = abs(q3 - q2)
        let order = log2(e1 / e2)
        print("2D convergence: Q = \(q1), \(q2), \(q3); observed order \(order)")
        #expect(order > 1.5 && order < 2.6, "observed order \(order) (Q = \(q1), \(q2), \(q3))")
        #expect(e2 / q3 < 0.05, "fine-grid change \(e2 / q3)")
    }
}
