import Foundation
import Testing
@testable import CathodeModels
import Materials
import SolverCore

/// The small-signal impedance of Models A and B against references: the closed forms of an R ∥ C arc and of the
/// finite-length reflective Warburg (Barsoukov and Macdonald 2005), the 1D model in the 2D model's 1D limit, a
/// time-domain simulation of the nonlinear model under a small sinusoidal current (independent code: nonlinear
/// Butler–Volmer, BDF2 in time), the Kramers–Kronig relations (Boukamp 1995), and the circuit fit on a synthetic
/// spectrum whose parameters are known.
@Suite struct ImpedanceTests {
    /// A test cell with a short diffusion time (L = 5 µm, D = 1e-12 m² s⁻¹: τ = 25 s) and no electronic drop.
    static func testCell(counterElectrode: CounterElectrode = .lithiumIndium(potential: 0.62, resistance: 5e-4))
        -> Dense1DCell
    {
        var cell = Dense1DParameterSet.paperHalfCell.cell
        cell.thickness = 5e-6
        cell.porosity = 0
        cell.diffusivity = .constant(1e-12)
        cell.electronicConductivity = nil
        cell.counterElectrode = counterElectrode
        cell.exchangeCurrentDensity = 0.5
        return cell
    }

    static let theta = 0.75

    /// Z = R_SE + (R_ct + Z_W) ∥ C_dl + R_CE ∥ C_CE (the Randles circuit) with the closed-form reflective Warburg: with a
    /// fast diffusivity (1 cm² s⁻¹) the finite-volume error of Z_W is below round-off, so the composition is exact.
    @Test func randlesArcMatchesTheClosedForm() throws {
        var cell = Self.testCell()
        cell.diffusivity = .constant(1e-4)
        cell.contactFraction = 0.6
        cell.roughnessFactor = 1.7
        let model = Dense1DImpedance(cell: cell, numerics: Dense1DNumerics(cells: 200), stoichiometry: Self.theta)
        let spectrum = try model.spectrum(FrequencySweep(minimumHz: 1e-2, maximumHz: 1e6, count: 40))
        let f = PhysicalConstants.inverseThermalVoltage(cell.temperature)
        let i0 = ButlerVolmer.exchangeCurrentDensity(reference: 0.5, surfaceStoichiometry: Self.theta)
        let area = 0.6 * 1.7
        let parts = model.parts
        #expect(abs(parts.chargeTransfer * area * f * i0 - 1) < 1e-14)
        var worst = 0.0
        for (k, frequency) in spectrum.frequencies.enumerated() {
            let omega = 2 * Double.pi * frequency
            let warburg = ClosedFormImpedance.reflectiveWarburg(
                resistance: 3 * parts.diffusionResistance, time: parts.diffusionTime, omega: omega)
            let branch = Complex(1 / (area * f * i0)) + warburg
            let expected =
                Complex(cell.separatorResistance)
                + Complex.one / (Complex.one / branch + Complex(0, omega * area * 0.05))
                + ClosedFormImpedance.parallelResistorCapacitor(resistance: 5e-4, capacitance: 0.1, omega: omega)
            worst = max(worst, (spectrum.values[k] - expected).magnitude / expected.magnitude)
        }
        #expect(worst < 1e-9, "largest relative difference \(worst)")
    }

    /// The diffusion part on a fine uniform grid against the finite-length reflective Warburg, 1e-6 relative over
    /// ωτ = 1e-2…1e3 (Z_W recovered exactly from Z by removing the series and parallel elements); and second-order
    /// convergence of the finite volumes on coarse grids.
    @Test func slabDiffusionIsTheReflectiveWarburg() throws {
        let cell = Self.testCell()
        let tau = cell.thickness * cell.thickness / 1e-12
        let sweep = FrequencySweep(minimumHz: 1e-2 / (2 * .pi * tau), maximumHz: 1e3 / (2 * .pi * tau), count: 30)
        let capacitances = InterfaceCapacitances()
        func diffusionPart(cells: Int) throws -> [Complex] {
            let model = Dense1DImpedance(
                cell: cell, numerics: Dense1DNumerics(cells: cells), stoichiometry: Self.theta,
                capacitances: capacitances)
            let spectrum = try model.spectrum(sweep)
            let parts = model.parts
            return zip(spectrum.values, spectrum.frequencies).map { z, frequency in
                let omega = 2 * Double.pi * frequency
                let interface =
                    z - Complex(cell.separatorResistance)
                    - ClosedFormImpedance.parallelResistorCapacitor(
                        resistance: 5e-4, capacitance: capacitances.counterElectrode, omega: omega)
                return Complex.one / (Complex.one / interface - Complex(0, omega * parts.doubleLayer))
                    - Complex(parts.chargeTransfer)
            }
        }
        let reference = Dense1DImpedance(cell: cell, stoichiometry: Self.theta).parts
        let exact = sweep.frequencies.map {
            ClosedFormImpedance.reflectiveWarburg(
                resistance: 3 * reference.diffusionResistance, time: tau, omega: 2 * .pi * $0)
        }
        func error(_ values: [Complex]) -> Double {
            zip(values, exact).map { ($0 - $1).magnitude / $1.magnitude }.max()!
        }
        let fine = try error(diffusionPart(cells: 20_000))
        #expect(fine < 1e-6, "fine-grid relative error \(fine)")
        let coarse = try [100, 200, 400].map { try error(diffusionPart(cells: $0)) }
        let order = log2(coarse[1] / coarse[2])
        #expect(abs(order - 2) < 0.15, "errors \(coarse), order \(order)")
    }

    /// Full contact, flat, aligned grains: the 2D spectrum equals the 1D one on the same finite volumes.
    @Test func twoDimensionalSpectrumReducesToOneDimensional() throws {
        let cell = Self.testCell()
        let sweep = FrequencySweep(minimumHz: 1e-3, maximumHz: 1e5, count: 25)
        let one = try Dense1DImpedance(cell: cell, numerics: Dense1DNumerics(cells: 30), stoichiometry: Self.theta)
            .spectrum(sweep)
        let m = Microstructure.uniform(nx: 30, ny: 6, thickness: cell.thickness, width: 10e-6)
        let two = try Dense2DImpedance(
            setup: Dense2DSetup(cell: cell, microstructure: m, anisotropyRatio: 0.01), stoichiometry: Self.theta
        ).spectrum(sweep)
        let worst = zip(one.values, two.values).map { ($0 - $1).magnitude / $1.magnitude }.max()!
        #expect(worst < 1e-10, "largest relative 1D/2D difference \(worst)")
    }

    /// Contact loss raises the interfacial arc; rotated grains (cross terms, lagged wrap entries) stay Kramers–Kronig
    /// consistent, and so do the 1D spectra with both counter electrodes.
    @Test func computedSpectraAreKramersKronigConsistent() throws {
        let sweep = FrequencySweep(minimumHz: 1e-3, maximumHz: 1e6, count: 60)
        var spectra: [ImpedanceSpectrum] = []
        for electrode in [
            CounterElectrode.lithiumIndium(potential: 0.62, resistance: 5e-4),
            .lithiumMetal(exchangeCurrentDensity: 10),
        ] {
            spectra.append(
                try Dense1DImpedance(cell: Self.testCell(counterElectrode: electrode), stoichiometry: Self.theta)
                    .spectrum(sweep))
        }
        let cell = Self.testCell()
        var m = Microstructure.uniform(nx: 20, ny: 12, thickness: cell.thickness, width: 10e-6, angle: 0.5)
        m.setRegularContact(fraction: 0.5, period: 10e-6)
        spectra.append(
            try Dense2DImpedance(
                setup: Dense2DSetup(cell: cell, microstructure: m, anisotropyRatio: 0.05), stoichiometry: Self.theta
            ).spectrum(sweep))
        for spectrum in spectra {
            let test = try KramersKronig.test(spectrum)
            #expect(test.maximumResidual < 0.005, "largest KK residual \(test.maximumResidual)")
        }
        // A spectrum that violates causality (the real part shifted at low frequency only) fails the test.
        var broken = spectra[0]
        for k in broken.real.indices where broken.frequencies[k] < 1 { broken.real[k] *= 1.05 }
        #expect(try KramersKronig.test(broken).maximumResidual > 0.005)
    }

    /// The frequency-domain solution against the nonlinear model in time: a 1 mV-scale sinusoidal current, BDF2 with
    /// 400 steps per period, the fundamental extracted by least squares over the last three periods; five
    /// frequencies across the spectrum within 0.1 % (the issue asks 1 %; measured 5e-6…7.5e-5: BDF2's phase error at
    /// 400 steps per period is ~1e-4, the cubic Butler–Volmer term at 1 mV ~4e-5).
    @Test func timeDomainSimulationGivesTheSameImpedance() throws {
        let cell = Self.testCell()
        let capacitances = InterfaceCapacitances()
        let model = Dense1DImpedance(
            cell: cell, numerics: Dense1DNumerics(cells: 40), stoichiometry: Self.theta, capacitances: capacitances)
        let frequencies = [0.003, 0.1, 3.0, 300.0, 3000.0]
        let spectrum = try model.spectrum(FrequencySweep(minimumHz: 1e-3, maximumHz: 1e4, count: 9))
        for frequency in frequencies {
            let expected = try model.spectrum(
                FrequencySweep(minimumHz: frequency, maximumHz: frequency * (1 + 1e-12), count: 2)
            ).values[0]
            let simulated = NonlinearTimeDomain(
                cell: cell, cells: 40, stoichiometry: Self.theta, capacitances: capacitances
            )
            .impedance(frequency: frequency, voltageAmplitude: 1e-3, guess: expected.magnitude)
            let difference = (simulated - expected).magnitude / expected.magnitude
            #expect(difference < 1e-3, "at \(frequency) Hz: time domain \(simulated), frequency domain \(expected)")
        }
        #expect(spectrum.values.count == 9)
    }

    /// A synthetic spectrum of the fitted circuit: the fit recovers every parameter.
    @Test func circuitFitRecoversASyntheticCircuit() throws {
        let truth = EquivalentCircuit(
            seriesResistance: 2.5e-3, interfaceResistance: 0.4, interfaceQ: 0.03, interfaceExponent: 0.9,
            warburgResistance: 1.2, warburgTime: 80, counterResistance: 5e-4, counterQ: 0.08, counterExponent: 0.95)
        let sweep = FrequencySweep(minimumHz: 1e-3, maximumHz: 1e6, count: 60)
        let spectrum = ImpedanceSpectrum(
            frequencies: sweep.frequencies, values: sweep.frequencies.map { truth.impedance(omega: 2 * .pi * $0) })
        let fit = try CircuitFitter.fit(spectrum, counterElectrodeArc: true)
        let pairs: [(Double, Double)] = [
            (fit.circuit.seriesResistance, truth.seriesResistance),
            (fit.circuit.interfaceResistance, truth.interfaceResistance),
            (fit.circuit.interfaceQ, truth.interfaceQ), (fit.circuit.interfaceExponent, truth.interfaceExponent),
            (fit.circuit.warburgResistance, truth.warburgResistance), (fit.circuit.warburgTime, truth.warburgTime),
            (fit.circuit.counterResistance!, truth.counterResistance!), (fit.circuit.counterQ!, truth.counterQ!),
            (fit.circuit.counterExponent!, truth.counterExponent!),
        ]
        for (found, expected) in pairs {
            #expect(abs(found / expected - 1) < 1e-4, "fitted \(found), true \(expected)")
        }
        #expect(fit.relativeResidual < 1e-6)
    }

    /// The computed 1D spectrum read with the circuit: R_int equals the model's charge-transfer resistance.
    @Test func circuitFitReadsTheModelsChargeTransferResistance() throws {
        let cell = Self.testCell()
        let model = Dense1DImpedance(cell: cell, stoichiometry: Self.theta)
        let spectrum = try model.spectrum(FrequencySweep(minimumHz: 1e-4, maximumHz: 1e6, count: 70))
        let fit = try CircuitFitter.fit(spectrum, counterElectrodeArc: true)
        #expect(
            abs(fit.circuit.interfaceResistance / model.parts.chargeTransfer - 1) < 0.05,
            "R_int \(fit.circuit.interfaceResistance) vs R_ct \(model.parts.chargeTransfer)")
        #expect(abs(fit.circuit.seriesResistance / cell.separatorResistance - 1) < 0.05)
    }

    @Test func badInputIsRefused() throws {
        let cell = Self.testCell()
        let model = Dense1DImpedance(cell: cell, stoichiometry: Self.theta)
        #expect(throws: ModelInputError.self) {
            try model.spectrum(FrequencySweep(minimumHz: -1, maximumHz: 10, count: 10))
        }
        #expect(throws: ModelInputError.self) {
            try model.spectrum(FrequencySweep(minimumHz: 100, maximumHz: 10, count: 10))
        }
        #expect(throws: ModelInputError.self) {
            try Dense1DImpedance(cell: cell, stoichiometry: 1.2).spectrum(FrequencySweep())
        }
        #expect(throws: ModelInputError.self) {
            try RestState.stoichiometry(stateOfCharge: 0, cell: Dense1DParameterSet.paperHalfCell.cell)
        }
        // A spectrum with no features a circuit can follow (white noise in both parts) does not converge.
        var state: UInt64 = 7
        func noise() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        let sweep = FrequencySweep(minimumHz: 1, maximumHz: 1e4, count: 30)
        let random = ImpedanceSpectrum(
            frequencies: sweep.frequencies, values: sweep.frequencies.map { _ in Complex(noise(), -noise()) })
        #expect(throws: CircuitFitError.self) { try CircuitFitter.fit(random, counterElectrodeArc: false) }
    }
}

/// Test-only: the nonlinear Model A with double layers, integrated in time under I(t) = A sin ωt. Independent of the
/// frequency-domain code (nonlinear Butler–Volmer with i₀(θ_s), Newton on the Faradaic current per step, BDF2);
/// shares only the finite-volume layout of the time stepper.
struct NonlinearTimeDomain {
    let cell: Dense1DCell
    let cells: Int
    let stoichiometry: Double
    let capacitances: InterfaceCapacitances

    func impedance(frequency: Double, voltageAmplitude: Double, guess: Double) -> Complex {
        let n = cells
        let length = cell.thickness
        let dx = length / Double(n)
        guard case .constant(let d) = cell.diffusivity,
            case .lithiumIndium(_, let counterResistance) = cell.counterElectrode
        else { return .zero }
        let g = 1 / (PhysicalConstants.faraday * cell.maxConcentration * (1 - cell.porosity))
        let f = PhysicalConstants.inverseThermalVoltage(cell.temperature)
        let area = cell.contactFraction * cell.roughnessFactor
        let amplitude = voltageAmplitude / guess
        let omega = 2 * Double.pi * frequency
        let stepsPerPeriod = 400
        let period = 1 / frequency
        let dt = period / Double(stepsPerPeriod)
        // The double layer's transient (τ = R_ct C_dl) must die out before the last three periods; the slow diffusion
        // drift is absorbed by the linear term of the fit.
        let chargeTransfer =
            1
            / (area * f
                * ButlerVolmer.exchangeCurrentDensity(
                    reference: cell.exchangeCurrentDensity, surfaceStoichiometry: stoichiometry))
        let relaxation = chargeTransfer * area * capacitances.cathodeDoubleLayer
        let periods = max(8, Int((8 * relaxation / period).rounded(.up)) + 4)
        // Tridiagonal (α₀/Δt)W + K with K from D/Δx.
        let t = d / dx
        func solve(_ alpha0: Double, _ rhs: [Double]) -> [Double] {
            var lower = [Double](repeating: -t, count: n)
            var diagonal = [Double](repeating: 0, count: n)
            var upper = lower
            for k in 0..<n { diagonal[k] = alpha0 * dx / dt + (k > 0 ? t : 0) + (k < n - 1 ? t : 0) }
            lower[0] = 0
            upper[n - 1] = 0
            var b = rhs
            for k in 1..<n {
                let m = lower[k] / diagonal[k - 1]
                diagonal[k] -= m * upper[k - 1]
                b[k] -= m * b[k - 1]
            }
            var x = [Double](repeating: 0, count: n)
            x[n - 1] = b[n - 1] / diagonal[n - 1]
            for k in stride(from: n - 2, through: 0, by: -1) { x[k] = (b[k] - upper[k] * x[k + 1]) / diagonal[k] }
            return x
        }
        var theta = [Double](repeating: stoichiometry, count: n)
        var thetaOld = theta
        var phi = cell.ocp.voltage(stoichiometry)
        var phiOld = phi
        var counter = 0.0
        var counterOld = 0.0
        var times: [Double] = []
        var voltages: [Double] = []
        let total = periods * stepsPerPeriod
        for step in 1...total {
            let time = Double(step) * dt
            let current = amplitude * sin(omega * time)
            let (a0, a1, a2) = step == 1 ? (1.0, -1.0, 0.0) : (1.5, -2.0, 0.5)
            var base = [Double](repeating: 0, count: n)
            for k in 0..<n { base[k] = -dx * (a1 * theta[k] + a2 * thetaOld[k]) / dt }
            let homogeneous = solve(a0, base)
            var unit = [Double](repeating: 0, count: n)
            unit[n - 1] = g
            let response = solve(a0, unit)
            func state(_ faradaic: Double) -> (residual: Double, phi: Double, theta: [Double]) {
                let th = (0..<n).map { homogeneous[$0] + response[$0] * faradaic }
                let surface = th[n - 1] + g * faradaic * 0.5 * dx / d
                let newPhi =
                    (-(current - faradaic) * dt / (area * capacitances.cathodeDoubleLayer) - a1 * phi - a2 * phiOld)
                    / a0
                let i0 = ButlerVolmer.exchangeCurrentDensity(
                    reference: cell.exchangeCurrentDensity, surfaceStoichiometry: surface)
                let kinetic =
                    area
                    * ButlerVolmer.current(
                        overpotential: newPhi - cell.ocp.voltage(surface), exchangeCurrentDensity: i0,
                        inverseThermalVoltage: f)
                return (faradaic - kinetic, newPhi, th)
            }
            var faradaic = current
            for _ in 0..<50 {
                let here = state(faradaic)
                let h = 1e-7 * max(abs(faradaic), amplitude)
                let derivative = (state(faradaic + h).residual - here.residual) / h
                let next = faradaic - here.residual / derivative
                if abs(next - faradaic) < 1e-13 * amplitude {
                    faradaic = next
                    break
                }
                faradaic = next
            }
            let solution = state(faradaic)
            let newCounter =
                (current - capacitances.counterElectrode * (a1 * counter + a2 * counterOld) / dt)
                / (a0 * capacitances.counterElectrode / dt + 1 / counterResistance)
            thetaOld = theta
            theta = solution.theta
            phiOld = phi
            phi = solution.phi
            counterOld = counter
            counter = newCounter
            if step > total - 3 * stepsPerPeriod {
                times.append(time)
                voltages.append(phi - current * cell.separatorResistance - counter)
            }
        }
        // V ≈ a + b t + c cos ωt + s sin ωt by least squares; Z = −V̂/Î with Î = −jA: Z = (−s − jc)/A.
        let columns = 4
        var matrix: [Double] = []
        var rhs: [Double] = []
        let t0 = times[0]
        for (time, voltage) in zip(times, voltages) {
            matrix += [1, (time - t0) / period, cos(omega * time), sin(omega * time)]
            rhs.append(voltage - voltages[0])
        }
        let solution =
            (try? LinearLeastSquares.solve(matrix: matrix, rows: times.count, columns: columns, rhs: rhs)) ?? [
                0, 0, 0, 0,
            ]
        return Complex(-solution[3] / amplitude, -solution[2] / amplitude)
    }
}
