import Foundation
import Testing
@testable import CathodeModels
import Materials

/// The liquid-electrolyte cell (Model B with a binary electrolyte, the paper's Figs. S11, S12) against references:
/// the Valøen–Reimers correlations by hand, an electrolyte at rest, conservation of salt and Li, the steady
/// concentration profile of a soaked separator under constant current from concentrated-solution theory by
/// quadrature (Doyle, Fuller and Newman 1993), and the solid cell with full flat contact and the separator's
/// resistance as the limit of a thin separator.
@Suite struct LiquidElectrolyteTests {
    let law = BinaryElectrolyte.valoenReimers2005
    let roomTemperature = PhysicalConstants.roomTemperature

    func cell() -> Dense1DCell {
        var c = Dense1DParameterSet.paperHalfCell.cell
        c.porosity = 0
        c.diffusivity = .constant(1.1e-13)
        return c
    }

    /// At 1 M and 25 °C: κ, D and the thermodynamic product from the published formulas evaluated by hand here
    /// (κ = 0.1 c (k₀₀ + k₀₁T + k₀₂T² + c(k₁₀ + k₁₁T + k₁₂T²) + c²(k₂₀ + k₂₁T))² …), and κ inside the range
    /// measured for 1 M LiPF₆ carbonate electrolytes at room temperature, 0.8–1.2 S m⁻¹.
    @Test func valoenReimersCorrelationsAtOneMolar() {
        let t = roomTemperature
        let inner =
            (-10.5 + 0.0740 * t - 6.96e-5 * t * t) + (0.668 - 0.0178 * t + 2.80e-5 * t * t) + (0.494 - 8.86e-4 * t)
        #expect(abs(law.conductivity(1000, temperature: t) - 0.1 * inner * inner) < 1e-12)
        #expect((0.8...1.2).contains(law.conductivity(1000, temperature: t)))
        let diffusivity = 1e-4 * pow(10, -4.43 - 54 / (t - 234) - 0.22)
        #expect(abs(law.diffusivity(1000, temperature: t) / diffusivity - 1) < 1e-12)
        #expect((1e-10...1e-9).contains(diffusivity))
        let product = 0.601 - 0.24 + 0.982 * (1 - 0.0052 * (t - 294))
        #expect(abs(law.thermodynamicProduct(1000, temperature: t) - product) < 1e-12)
    }

    /// An oriented section with a 1-cell channel open to the top (through 3/4 of the thickness) and a closed pore.
    func sectionWithPores() -> Microstructure {
        var m = Microstructure.uniform(nx: 16, ny: 8, thickness: 23.1e-6, width: 10e-6)
        for i in 4..<16 { m.hole[m.index(i, 3)] = true }
        m.hole[m.index(2, 6)] = true
        return m
    }

    @Test func onlyPoresOpenToTheTopAreFilledAndTheirWallsReact() throws {
        let m = sectionWithPores()
        let open = LiquidMesh.openPores(m)
        #expect(open.filter { $0 }.count == 12)
        #expect(!open[m.index(2, 6)])
        var setup = Dense2DSetup(cell: cell(), microstructure: m, anisotropyRatio: 0.1, cRate: 1)
        setup.liquid = LiquidElectrolyteSettings()
        var engine = Dense2DEngine(setup: setup)
        try engine.prepareLiquid()
        // 7 top faces, the channel's bottom end (a solid cell below a liquid one) and its two walls of 12 cells.
        #expect(engine.faces.count == 7 + 1 + 24)
        #expect(engine.liquid!.count == 12 + 8 * 8)
    }

    /// No current, uniform c₀: one implicit step leaves c = c₀ and φ_e = 0 everywhere (no spurious diffusion
    /// potential or source).
    @Test func electrolyteAtRestStaysUniform() throws {
        var setup = Dense2DSetup(cell: cell(), microstructure: sectionWithPores(), anisotropyRatio: 0.1, cRate: 1)
        setup.liquid = LiquidElectrolyteSettings()
        var engine = Dense2DEngine(setup: setup)
        try engine.prepareLiquid()
        let mesh = engine.liquid!
        let c0 = engine.liquidSettings.initialConcentration
        let uniform = [Double](repeating: c0, count: mesh.count)
        let step = try LiquidStep(
            mesh: mesh, settings: engine.liquidSettings, temperature: roomTemperature, lagged: uniform,
            current: uniform, previous: uniform, topInflow: Array(repeating: 0, count: mesh.topCells.count),
            alpha0: 1.5, a1: -2, a2: 0.5, dt: 30)
        let fields = step.fields(faceSums: Array(repeating: 0, count: mesh.faceCells.count), mesh: mesh)
        // Round-off of the factorised solve only (its condition number is about 1 + 4 Δt D/Δx² ≈ 20 here).
        let deviation = fields.concentration.map { abs($0 / c0 - 1) }.max()!
        #expect(deviation < 1e-12, "largest relative deviation \(deviation)")
        #expect(fields.potential.allSatisfy { abs($0) < 1e-15 })
    }

    /// A 1C discharge with a liquid-filled channel: the salt in the liquid is conserved (what the anode releases
    /// the faces take) and the Li inserted equals the charge passed, both to round-off.
    @Test func saltAndLithiumAreConserved() throws {
        var setup = Dense2DSetup(
            cell: cell(), microstructure: sectionWithPores(), anisotropyRatio: 0.1, cRate: 1, stepsPerNominal: 60)
        setup.liquid = LiquidElectrolyteSettings()
        let r = try Dense2DModel(setup).run()
        #expect(r.capacity > 20)
        #expect(abs(r.finalSalt - r.initialSalt) / r.initialSalt < 1e-10, "salt \(r.initialSalt) → \(r.finalSalt)")
        let inserted = (r.finalLithium - r.initialLithium) * PhysicalConstants.faraday
        #expect(abs(inserted - r.chargePassed) / r.chargePassed < 1e-8)
        // The liquid in the channel is depleted towards its closed end (it feeds the walls).
        let channel = (4..<16).map { r.poreConcentration[$0 * 8 + 3] }
        #expect(channel.first! < channel.last!)
    }

    /// Rotated grains (cross-diffusion terms, lagged limited fluxes) under a liquid: the cross-term iteration
    /// converges with the liquid solved in every pass (the limiter frozen after 4 passes), and salt and Li are
    /// still conserved.
    @Test func rotatedGrainsUnderALiquidConverge() throws {
        var m = sectionWithPores()
        m.grainAngles = [0.3]
        var setup = Dense2DSetup(cell: cell(), microstructure: m, anisotropyRatio: 0.05, cRate: 1, stepsPerNominal: 40)
        setup.liquid = LiquidElectrolyteSettings()
        let r = try Dense2DModel(setup).run()
        #expect(r.capacity > 20)
        #expect(abs(r.finalSalt - r.initialSalt) / r.initialSalt < 1e-9)
        let inserted = (r.finalLithium - r.initialLithium) * PhysicalConstants.faraday
        #expect(abs(inserted - r.chargePassed) / r.chargePassed < 1e-8)
    }

    /// Steady state in the soaked separator under a uniform current I: the cation flux is I/F everywhere, so
    /// ε^b D(c) dc/dx = (1 − t₊⁰) I/F and ∫ D dc is linear in x; with the salt conserved (mean c = c₀) this fixes
    /// c(x) — found here by quadrature and bisection, independently of the finite volumes. After ~2000 s of a
    /// 1C discharge (the separator relaxes in ~L²ε^{1−b}/D ≈ 3 s) the cell values agree within 1e-4 of the
    /// polarisation c(top) − c(bottom) (measured: 4e-6 mol m⁻³ of 29 mol m⁻³; the issue asks for 1 %).
    @Test func separatorMatchesTheSteadyConcentratedSolutionProfile() throws {
        var setup = Dense2DSetup(
            cell: cell(), microstructure: .uniform(nx: 10, ny: 2, thickness: 23.1e-6, width: 2e-6),
            anisotropyRatio: 1, cRate: 1, stepsPerNominal: 100)
        let settings = LiquidElectrolyteSettings()
        setup.liquid = settings
        let r = try Dense2DModel(setup).run()
        let current = r.chargePassed / r.time.last!
        let rows = settings.separatorRows
        let factor = pow(settings.separatorPorosity, settings.bruggemanExponent)
        let slope = (1 - law.transferenceNumber) * current / (PhysicalConstants.faraday * factor)
        let t = setup.cell.temperature
        /// ∫_{c0}^{c} D dc by Simpson's rule on 400 intervals.
        func integral(_ c: Double) -> Double {
            let c0 = settings.initialConcentration
            let h = (c - c0) / 400
            var sum = law.diffusivity(c0, temperature: t) + law.diffusivity(c, temperature: t)
            for k in 1..<400 {
                let weight: Double = k % 2 == 1 ? 4 : 2
                sum += weight * law.diffusivity(c0 + Double(k) * h, temperature: t)
            }
            return sum * h / 3
        }
        /// c with ∫_{c0}^{c} D dc = g (bisection on the increasing integral).
        func invert(_ g: Double) -> Double {
            var lo = 1.0
            var hi = 4000.0
            for _ in 0..<200 {
                let mid = 0.5 * (lo + hi)
                if integral(mid) < g { lo = mid } else { hi = mid }
            }
            return 0.5 * (lo + hi)
        }
        let dx = settings.separatorThickness / Double(rows)
        func profile(_ offset: Double) -> [Double] {
            (0..<rows).map { invert(offset + slope * (Double($0) + 0.5) * dx) }
        }
        // The offset that conserves the salt (mean c = c₀); bisection on the mean.
        var lo = -slope * settings.separatorThickness
        var hi = 0.0
        for _ in 0..<100 {
            let mid = 0.5 * (lo + hi)
            let mean = profile(mid).reduce(0, +) / Double(rows)
            if mean < settings.initialConcentration { lo = mid } else { hi = mid }
        }
        let exact = profile(0.5 * (lo + hi))
        let separator = r.separatorConcentration
        var computed: [Double] = []
        for row in 0..<rows {
            let pair: Double = separator[row * 2] + separator[row * 2 + 1]
            computed.append(0.5 * pair)
        }
        let polarisation = exact.last! - exact.first!
        #expect(polarisation > 5, "polarisation \(polarisation) mol m⁻³")
        for k in 0..<rows {
            #expect(abs(computed[k] - exact[k]) < 1e-4 * polarisation, "row \(k): \(computed[k]) vs \(exact[k])")
        }
    }

    /// The liquid's properties are taken at the extrapolated concentration 2cⁿ − cⁿ⁻¹ (linearly implicit BDF2):
    /// the scheme must stay second order in time. The cell voltage 10 min into a 1C discharge of the channel section
    /// (interpolated linearly between steps, itself second order) against a run at 960 steps per hour: halving the
    /// step from 60 to 120 per hour cuts the error about fourfold (measured 4.2 against a 1920-step reference; the
    /// solid cell gives 3.9 there; a first-order lag of the properties would halve it). At 30 steps per hour the
    /// liquid is not yet asymptotic (2.4).
    @Test func extrapolatedPropertiesKeepSecondOrderInTime() throws {
        func voltage(stepsPerNominal: Int) throws -> Double {
            var setup = Dense2DSetup(
                cell: cell(), microstructure: sectionWithPores(), anisotropyRatio: 0.1, cRate: 1,
                stepsPerNominal: stepsPerNominal)
            setup.liquid = LiquidElectrolyteSettings()
            let r = try Dense2DModel(setup).run()
            let at = 600.0
            let k = try #require(r.time.firstIndex { $0 >= at })
            let w = (at - r.time[k - 1]) / (r.time[k] - r.time[k - 1])
            return r.voltageVsLi[k - 1] + w * (r.voltageVsLi[k] - r.voltageVsLi[k - 1])
        }
        let reference = try voltage(stepsPerNominal: 960)
        let coarse = abs(try voltage(stepsPerNominal: 60) - reference)
        let fine = abs(try voltage(stepsPerNominal: 120) - reference)
        #expect(coarse / fine > 3, "errors \(coarse) V at 60 steps, \(fine) V at 120 steps per hour")
    }

    /// A thin separator (2 µm) at 0.5C: the liquid cell equals the solid cell with full, flat contact, the liquid's
    /// i₀ at c₀ and a separator of the soaked separator's resistance L ε^{−b}/κ(c₀), within 0.02 % in capacity (measured
    /// 3e-6: the concentration polarisation that remains is a few mol m⁻³).
    @Test func thinSeparatorLimitIsTheSolidCellWithTheSeparatorResistance() throws {
        var settings = LiquidElectrolyteSettings()
        settings.separatorThickness = 2e-6
        settings.separatorRows = 4
        let m = Microstructure.uniform(nx: 20, ny: 4, thickness: 23.1e-6, width: 10e-6)
        var liquid = Dense2DSetup(
            cell: cell(), microstructure: m, anisotropyRatio: 0.1, cRate: 0.5, stepsPerNominal: 100)
        liquid.liquid = settings
        var solidCell = cell()
        let c0 = settings.initialConcentration
        solidCell.exchangeCurrentDensity = settings.rateConstant * solidCell.maxConcentration * 0.5 * c0.squareRoot()
        let kappa =
            law.conductivity(c0, temperature: solidCell.temperature)
            * pow(settings.separatorPorosity, settings.bruggemanExponent)
        solidCell.separator = [SeparatorLayer(thickness: settings.separatorThickness, conductivity: kappa)]
        let solid = Dense2DSetup(
            cell: solidCell, microstructure: m, anisotropyRatio: 0.1, cRate: 0.5, stepsPerNominal: 100)
        let q1 = try Dense2DModel(liquid).run().capacity
        let q2 = try Dense2DModel(solid).run().capacity
        #expect(abs(q1 - q2) / q2 < 2e-4, "liquid \(q1) vs solid \(q2) mAh g⁻¹")
    }

    /// Bad input is named with its range; a section whose top row is all pore that opens onto nothing reactive is
    /// refused as having no wetted face.
    @Test func badLiquidInputIsRefused() throws {
        do {
            _ = try Dense2DParameterRegistry.spec(
                base: "paperHalfCell", numbers: ["liquidElectrolyte": 1, "liquidSeparatorPorosity": 1.5])
            Issue.record("accepted a porosity of 1.5")
        } catch { #expect("\(error)".contains("liquidSeparatorPorosity")) }
        var m = Microstructure.uniform(nx: 4, ny: 4, thickness: 23.1e-6, width: 10e-6)
        for k in 0..<16 { m.hole[k] = true }
        var setup = Dense2DSetup(cell: cell(), microstructure: m, anisotropyRatio: 0.1, cRate: 1)
        setup.liquid = LiquidElectrolyteSettings()
        var engine = Dense2DEngine(setup: setup)
        do {
            try engine.prepareLiquid()
            Issue.record("accepted a liquid cell with no wetted face")
        } catch { #expect("\(error)".contains("no wetted face")) }
    }
}
