import Foundation
import Testing
@testable import CathodeModels
import Materials

/// Model A against exact references: Crank's constant-flux slab, conservation of charge, the
/// fast-diffusion limit, the loss-breakdown identity, cut-off location, and grid convergence.
@Suite struct Dense1DVerificationTests {
    /// Crank (1975), plane sheet with constant surface flux: dimensionless excess at ξ = x/L, τ = Dt/L².
    static func crank(_ xi: Double, _ tau: Double) -> Double {
        var sum = 0.0
        for n in 1...4000 {
            let nn = Double(n * n)
            let e = exp(-nn * .pi * .pi * tau)
            if e < 1e-20 { break }
            sum += (n % 2 == 0 ? 1 : -1) * e / nn * cos(Double(n) * .pi * xi)
        }
        return tau + (3 * xi * xi - 1) / 6 - 2 / (.pi * .pi) * sum
    }

    /// physics.md §8.1 worked case: L = 20 µm, D = 1e-13 m² s⁻¹, F₀ = 1e-4 mol m⁻² s⁻¹, t = 400 s (τ = 0.1):
    /// c(L) − c₀ = 7136.52 mol m⁻³, ⟨c⟩ − c₀ = 2000 mol m⁻³. Run as a cell with ε = 0 and a cut-off far below.
    func crankSetup(cells: Int, fixedStep: Double? = nil) -> Dense1DSetup {
        var cell = Dense1DParameterSet.paperHalfCell.cell
        cell.thickness = 20e-6
        cell.porosity = 0
        cell.diffusivity = .constant(1e-13)
        cell.initialStoichiometry = 0.5
        cell.lowerCutoffVsLi = 0.5
        cell.electronicConductivity = nil
        let current = 1e-4 * PhysicalConstants.faraday
        return Dense1DSetup(
            cell: cell,
            protocolSettings: Dense1DProtocol(mode: .discharge, currentDensity: current, profileTimes: [400]),
            numerics: Dense1DNumerics(
                cells: cells, absoluteTolerance: 1e-10, relativeTolerance: 1e-10, fixedStep: fixedStep))
    }

    func profileAt400(_ r: Dense1DResult) -> [Double] {
        let k = r.profileTimes.firstIndex { abs($0 - 400) < 1e-6 }!
        return r.profiles[k]
    }

    @Test func crankWorkedCaseValues() {
        // Reference numbers of physics.md §8.1 from the series itself.
        let scale = 1e-4 * 20e-6 / 1e-13  // F₀L/D [mol m⁻³]
        #expect(abs(scale * Self.crank(1, 0.1) - 7136.52) < 0.01)
    }

    /// Profile and surface value within 0.1 % of Crank on a fine grid (N = 200).
    @Test func reproducesCrankSlab() throws {
        let setup = crankSetup(cells: 200)
        let r = try Dense1DModel(setup).run()
        let cmax = setup.cell.maxConcentration
        let scale = 1e-4 * 20e-6 / 1e-13
        let profile = profileAt400(r)
        var worst = 0.0
        for (k, xi) in r.depth.enumerated() {
            let exact = scale * Self.crank(xi, 0.1)
            let numeric = (profile[k] - 0.5) * cmax
            worst = max(worst, abs(numeric - exact) / 7136.52)
        }
        #expect(worst < 1e-3, "max profile error \(worst) of the surface excess")
        // Surface value at t = 400 s (surface extrapolated with the flux, as the model does).
        let k = r.time.firstIndex { abs($0 - 400) < 1e-6 }!
        let surface = (r.surfaceStoichiometry[k] - 0.5) * cmax
        #expect(abs(surface - 7136.52) / 7136.52 < 1e-3, "surface \(surface) vs 7136.52")
        #expect(abs((r.meanStoichiometry[k] - 0.5) * cmax - 2000) < 1e-6)
    }

    /// Surface error on N = 25, 50, 100, 200 cells with a tiny fixed step: observed order 2 ± 0.15.
    @Test func secondOrderInSpace() throws {
        let exact = 7136.52
        var errors: [Double] = []
        for n in [25, 50, 100, 200] {
            let setup = crankSetup(cells: n, fixedStep: 0.05)
            let r = try Dense1DModel(setup).run()
            let k = r.time.firstIndex { abs($0 - 400) < 1e-6 }!
            errors.append(abs((r.surfaceStoichiometry[k] - 0.5) * setup.cell.maxConcentration - exact))
        }
        let orders = zip(errors, errors.dropFirst()).map { log2($0 / $1) }
        for p in orders { #expect(abs(p - 2) < 0.15, "observed orders \(orders), errors \(errors)") }
    }

    /// Li inserted equals charge passed: Q = Q_th (θ̄_end − θ̄₀) to 1e-8 relative, at every stored point.
    @Test(arguments: [0.1, 1.0, 2.0])
    func chargeIsConserved(cRate: Double) throws {
        var setup = Dense1DSetup(
            cell: Dense1DParameterSet.paperHalfCell.cell, protocolSettings: Dense1DProtocol(cRate: cRate))
        setup.numerics.gradingRatio = 0.97
        let r = try Dense1DModel(setup).run()
        for k in stride(from: 1, to: r.time.count, by: max(1, r.time.count / 20)) {
            let fromCharge = r.capacityMilliampHoursPerGram[k]
            let fromLithium = r.theoreticalCapacity * (r.meanStoichiometry[k] - r.initialMeanStoichiometry)
            #expect(abs(fromCharge - fromLithium) <= 1e-8 * fromCharge)
        }
    }

    /// Exported units against a hand calculation (physics.md §0, §2.10): areal capacity = specific capacity ×
    /// loading, 1 mAh cm⁻² = 36 000 C m⁻², and the paper's check 119 mAh g⁻¹ × 11.07 mg cm⁻² ≈ 1.32 mAh cm⁻².
    @Test func arealCapacityIsSpecificCapacityTimesLoading() throws {
        let setup = Dense1DSetup(
            cell: Dense1DParameterSet.paperHalfCell.cell, protocolSettings: Dense1DProtocol(cRate: 0.1))
        let r = try Dense1DModel(setup).run()
        let loadingGramsPerCm2 = setup.cell.massLoading * 1000 / 1e4  // kg m⁻² → g cm⁻²
        #expect(abs(loadingGramsPerCm2 - 0.011071) < 2e-6)  // 1.55 mAh cm⁻² / 140 mAh g⁻¹
        #expect(abs(r.arealCapacity - r.capacity * loadingGramsPerCm2) <= 1e-12 * r.arealCapacity)
        #expect(abs(r.arealCapacity - r.chargePassed.last! / 36_000) <= 1e-12 * r.arealCapacity)
        #expect(abs(r.arealCapacity - 1.32) < 0.01, "\(r.arealCapacity) mAh cm⁻² at \(r.capacity) mAh g⁻¹")
    }

    /// D → large: uniform θ, and V(t) equals U(θ̄) minus the kinetic, ohmic, electronic and
    /// counter-electrode drops evaluated at θ̄ (physics.md §8.4), to 1e-4 V along the curve.
    @Test func fastDiffusionLimit() throws {
        var cell = Dense1DParameterSet.paperHalfCell.cell
        // D = 1e-4 cm² s⁻¹: θ_s − θ̄ = I L/(3 D F c_max (1 − ε)) ≈ 2.5e-6, i.e. < 1e-4 V even where |dU/dθ| ≈ 20 V.
        cell.diffusivity = .constant(1e-8)
        let setup = Dense1DSetup(cell: cell, protocolSettings: Dense1DProtocol(cRate: 1))
        let r = try Dense1DModel(setup).run()
        let f = PhysicalConstants.inverseThermalVoltage(cell.temperature)
        let i = cell.oneCCurrentDensity
        var worst = 0.0
        for k in r.time.indices where r.meanStoichiometry[k] < 0.985 {
            let th =
                cell.initialStoichiometry + i * r.time[k]
                / (PhysicalConstants.faraday * cell.maxConcentration * (1 - cell.porosity) * cell.thickness)
            let i0 = ButlerVolmer.exchangeCurrentDensity(
                reference: cell.exchangeCurrentDensity, surfaceStoichiometry: th)
            let eta = (2 / f) * asinh(i / (2 * i0))
            let electronic = i * cell.thickness / cell.electronicConductivity!.value(th) / pow(1 - cell.porosity, 1.5)
            let v = cell.ocp.voltage(th) - eta - i * cell.separatorResistance - electronic - i * 5e-4
            worst = max(worst, abs(v - r.voltageVsLi[k]))
        }
        #expect(worst < 1e-4, "worst deviation \(worst) V")
    }

    /// Ohmic only: with huge D and i₀ the voltage sits exactly I·R_SE (+ counter-electrode, electronic) below U(θ̄).
    @Test func ohmicDropIsExact() throws {
        var cell = Dense1DParameterSet.paperHalfCell.cell
        cell.diffusivity = .constant(1e-8)
        cell.exchangeCurrentDensity = 1e6
        cell.electronicConductivity = nil
        cell.counterElectrode = .lithiumIndium(potential: 0.62, resistance: 0)
        let r = try Dense1DModel(Dense1DSetup(cell: cell, protocolSettings: Dense1DProtocol(cRate: 1))).run()
        let k = r.time.count / 2
        #expect(abs(r.separatorLoss[k] - 15.5 * 2.5e-3) < 2e-3 * 0.03875)  // 38.75 mV at 15.5 A m⁻² and 25 Ω cm²
        #expect(abs(r.meanOpenCircuitPotential[k] - r.voltageVsLi[k] - r.separatorLoss[k]) < 2e-4)
    }

    /// V_vs Li = U(θ̄) − (concentration + kinetic + separator + electronic + counter-electrode losses) to 1e-12 V.
    @Test func lossBreakdownIdentity() throws {
        let r = try Dense1DModel(
            Dense1DSetup(cell: Dense1DParameterSet.paperHalfCell.cell, protocolSettings: Dense1DProtocol(cRate: 0.5))
        ).run()
        for k in r.time.indices {
            let sum =
                r.concentrationLoss[k] + r.kineticLoss[k] + r.separatorLoss[k] + r.electronicLoss[k]
                + r.counterElectrodeLoss[k]
            #expect(abs(r.meanOpenCircuitPotential[k] - sum - r.voltageVsLi[k]) < 1e-12)
            #expect(abs(r.voltage[k] - (r.voltageVsLi[k] - 0.62)) < 1e-12)
        }
    }

    /// The adaptive BDF3 at the default tolerances (1e-6) against the same model at 1e-9 with steps capped at 0.2 % of
    /// the nominal duration (a reference converged to < 1e-6 relative): capacity within 2e-5 relative at 0.1 and 1C
    /// and 1e-4 at 5C (measured 4e-7, 2e-6, 4e-5; the BDF2 of earlier versions gave 2e-6, 1.4e-5, 1.1e-4 with 152,
    /// 156 and 126 steps where BDF3 takes 136, 115 and 79).
    @Test(arguments: [0.1, 1.0, 5.0])
    func adaptiveStepsMeetTheirTolerance(cRate: Double) throws {
        let cell = Dense1DParameterSet.paperHalfCell.cell
        let run = try Dense1DModel(Dense1DSetup(cell: cell, protocolSettings: Dense1DProtocol(cRate: cRate))).run()
        let reference = try Dense1DModel(
            Dense1DSetup(
                cell: cell, protocolSettings: Dense1DProtocol(cRate: cRate),
                numerics: Dense1DNumerics(absoluteTolerance: 1e-9, relativeTolerance: 1e-9, maxStepFraction: 0.002))
        ).run()
        let relative = abs(run.capacity - reference.capacity) / reference.capacity
        #expect(relative < (cRate > 2 ? 1e-4 : 2e-5), "relative capacity difference \(relative)")
    }

    /// Cells of the Fig. S4 and 3(d) maps whose cut-off search found no shorter step above the cut-off (every trial
    /// past it): the located step is zero and no step may be taken — a zero-length BDF step divided by zero and gave
    /// NaN capacities in 17 map cells (this is Fig. S4's cell i = 16, j = 4 on the calibrated ideal cell). The
    /// capacity must be finite and every stored voltage finite and at or above the cut-off.
    @Test func aCutoffFoundAtTheAcceptedStateEndsCleanly() throws {
        var cell = try Dense1DParameterSet.named(PaperCalibratedSets.idealCellCalibrated.name).cell
        cell.thickness = (10 + 90 * 4.0 / 19) * 1e-6
        let rate = 0.1 * pow(20, 16.0 / 19)
        let r = try Dense1DModel(Dense1DSetup(cell: cell, protocolSettings: Dense1DProtocol(cRate: rate))).run()
        #expect(r.capacity.isFinite && r.capacity > 0, "capacity \(r.capacity)")
        #expect(r.voltageVsLi.allSatisfy { $0.isFinite && $0 >= cell.lowerCutoffVsLi })
        #expect(zip(r.time, r.time.dropFirst()).allSatisfy { $0 < $1 }, "no repeated time in the curve")
    }

    /// The run ends within 1 mV above the cut-off, and no stored point lies below it.
    @Test(arguments: [0.2, 1.0, 2.0])
    func cutoffIsLocated(cRate: Double) throws {
        let cell = Dense1DParameterSet.paperHalfCell.cell
        let r = try Dense1DModel(Dense1DSetup(cell: cell, protocolSettings: Dense1DProtocol(cRate: cRate))).run()
        #expect(r.termination == .voltageCutoff)
        let last = r.voltageVsLi.last!
        #expect(last >= cell.lowerCutoffVsLi && last - cell.lowerCutoffVsLi < 1e-3)
        #expect(r.voltageVsLi.allSatisfy { $0 >= cell.lowerCutoffVsLi })
    }

    /// Charge with a constant-voltage hold: the voltage never exceeds the upper cut-off and the hold ends at C/20.
    @Test func chargeWithConstantVoltageHold() throws {
        var cell = Dense1DParameterSet.paperHalfCell.cell
        cell.initialStoichiometry = 0.95
        let r = try Dense1DModel(
            Dense1DSetup(
                cell: cell,
                protocolSettings: Dense1DProtocol(mode: .charge, cRate: 1, constantVoltageHold: .init(endCRate: 0.05)))
        ).run()
        #expect(r.termination == .constantVoltageCurrentLimit)
        #expect(r.voltageVsLi.allSatisfy { $0 <= cell.upperCutoffVsLi + 1e-6 })
        #expect(abs(r.current.last!) < 0.05 * cell.oneCCurrentDensity + 1e-9)
        #expect(r.capacity < 0)  // charge removes Li
        let fromLithium = r.theoreticalCapacity * (r.meanStoichiometry.last! - r.initialMeanStoichiometry)
        #expect(abs(r.capacity - fromLithium) <= 1e-8 * abs(r.capacity))
    }
}
