import Foundation
import Materials
import SolverCore

/// Small-signal impedance of Model A (docs/impedance.md): the 1D dense cathode linearised about a rested,
/// uniform state θ̄ and solved in the frequency domain.
///
/// With every quantity q = q̄ + Re(q̂ e^{jωt}) and Î the projected current density (discharge positive):
///
///     jω w_k θ̂_k = (K θ̂)_k + δ_kN g Î_F,  g = 1/(F c_max (1 − ε_p))    (the time stepper's finite volumes),
///     θ̂_s = θ̂_N + g Î_F Δx_N/(2D(θ̄)),                                   (its surface extrapolation),
///     Î_F = −r_a f_c f i₀(θ̄) (Δφ̂ − U′(θ̄) θ̂_s)                          (linearised Butler–Volmer at η = 0),
///     Î = Î_F − r_a f_c C_dl jω Δφ̂                                       (double layer on the contacting area),
///     Z = −V̂/Î = −Δφ̂/Î + R_SE + R_e(θ̄) + Z_CE(ω).
///
/// At rest D(θ) is uniform, so the diffusion operator is the constant-D one of the time stepper; the current
/// multiplies every state derivative of the voltage, so the electronic resistance enters with its value at θ̄ and
/// the i₀(θ_s) dependence drops out. Eliminating θ̂ leaves the Randles form
/// Z_int = 1/(1/Z_F + jω r_a f_c C_dl), Z_F = 1/(r_a f_c f i₀) − U′ θ̂_s/Î_F, whose diffusion part tends to the
/// finite-length reflective Warburg g(−U′) coth(√(jω/D) L)/√(jωD) as the grid is refined.
/// One complex tridiagonal solve per frequency (Thomas algorithm, no pivoting: jωW + K is diagonally dominant).
public struct Dense1DImpedance: Sendable {
    public let cell: Dense1DCell
    public let numerics: Dense1DNumerics
    public let stoichiometry: Double
    public let capacitances: InterfaceCapacitances

    public init(
        cell: Dense1DCell, numerics: Dense1DNumerics = Dense1DNumerics(), stoichiometry: Double,
        capacitances: InterfaceCapacitances = InterfaceCapacitances()
    ) {
        self.cell = cell
        self.numerics = numerics
        self.stoichiometry = stoichiometry
        self.capacitances = capacitances
    }

    /// What the spectrum is made of at θ̄, for reading it: the resistances and time constants of its parts.
    public struct Parts: Sendable, Equatable, Codable {
        /// Charge-transfer resistance 1/(r_a f_c f i₀(θ̄)) per projected area [Ω m²].
        public var chargeTransfer: Double
        /// Double-layer capacitance r_a f_c C_dl per projected area [F m⁻²].
        public var doubleLayer: Double
        /// Low-frequency diffusion resistance g(−U′)L/(3D) of the reflective Warburg [Ω m²].
        public var diffusionResistance: Double
        /// Diffusion time L²/D [s].
        public var diffusionTime: Double
        public var separator: Double
        public var electronic: Double
        /// Counter electrode resistance at I = 0 [Ω m²].
        public var counterElectrode: Double
    }

    public func validate() throws {
        try Dense1DSetup(cell: cell, numerics: numerics).validate()
        try RestState.validate(stoichiometry: stoichiometry, ocp: cell.ocp)
        try capacitances.validate()
    }

    var diffusivity: Double { cell.diffusivity.value(stoichiometry, ocp: cell.ocp, temperature: cell.temperature) }
    var inverseThermalVoltage: Double { PhysicalConstants.inverseThermalVoltage(cell.temperature) }
    var contactArea: Double { cell.interfaceAreaRatio * cell.contactFraction }
    var fluxPerCurrent: Double { 1 / (PhysicalConstants.faraday * cell.maxConcentration * (1 - cell.porosity)) }

    public var parts: Parts {
        let f = inverseThermalVoltage
        let i0 = ButlerVolmer.exchangeCurrentDensity(
            reference: cell.exchangeCurrentDensity, surfaceStoichiometry: stoichiometry)
        let slope = cell.ocp.slope(stoichiometry)
        let d = diffusivity
        let uniform = [Double](repeating: stoichiometry, count: 1)
        let electronic =
            cell.electronicConductivity.map {
                $0.resistivityIntegral(theta: uniform, widths: [cell.thickness]) / pow(1 - cell.porosity, 1.5)
            } ?? 0
        return Parts(
            chargeTransfer: 1 / (contactArea * f * i0), doubleLayer: contactArea * capacitances.cathodeDoubleLayer,
            diffusionResistance: fluxPerCurrent * (-slope) * cell.thickness / (3 * d),
            diffusionTime: cell.thickness * cell.thickness / d,
            separator: cell.separatorResistance, electronic: electronic,
            counterElectrode: SeriesElements.counterElectrode(
                cell.counterElectrode, capacitance: 0, omega: 0, inverseThermalVoltage: f
            ).real)
    }

    /// The spectrum at the sweep's frequencies.
    public func spectrum(_ sweep: FrequencySweep) throws -> ImpedanceSpectrum {
        try sweep.validate()
        try validate()
        let frequencies = sweep.frequencies
        var values = [Complex](repeating: .zero, count: frequencies.count)
        let solver = ComplexTridiagonal(grid: grid, diffusivity: diffusivity)
        let p = parts
        let f = inverseThermalVoltage
        let slope = cell.ocp.slope(stoichiometry)
        let extrapolation = fluxPerCurrent * 0.5 * grid.widths[grid.widths.count - 1] / diffusivity
        for (index, frequency) in frequencies.enumerated() {
            let omega = 2 * .pi * frequency
            // θ̂_s per unit Faradaic current.
            let surface = solver.lastCellResponse(omega: omega) * fluxPerCurrent + Complex(extrapolation)
            let faradaic = Complex(p.chargeTransfer) - slope * surface
            let interface = Complex.one / (Complex.one / faradaic + Complex(0, omega * p.doubleLayer))
            let counter = SeriesElements.counterElectrode(
                cell.counterElectrode, capacitance: capacitances.counterElectrode, omega: omega,
                inverseThermalVoltage: f)
            values[index] = interface + Complex(p.separator + p.electronic) + counter
            if !values[index].isFinite {
                throw ModelRunError.nonFiniteResult(what: String(format: "impedance at %g Hz", frequency))
            }
        }
        return ImpedanceSpectrum(frequencies: frequencies, values: values)
    }

    var grid: Grid1D {
        numerics.gradingRatio == 1
            ? .uniform(length: cell.thickness, cells: numerics.cells)
            : .graded(length: cell.thickness, cells: numerics.cells, ratio: numerics.gradingRatio)
    }
}

/// (jωW + K)⁻¹ e_N of the 1D finite volumes (constant D, closed at x = 0, the interface flux entering cell N):
/// the last entry by one forward elimination sweep of the tridiagonal system, from the current collector towards
/// the interface. Preallocated; no allocation per frequency.
struct ComplexTridiagonal {
    let widths: [Double]
    /// Face transmissibilities D/h between cells k−1 and k (k = 1…n−1).
    let transmissibility: [Double]

    init(grid: Grid1D, diffusivity: Double) {
        widths = grid.widths
        transmissibility = (0..<grid.widths.count).map { $0 == 0 ? 0 : diffusivity / grid.centreSpacing[$0] }
    }

    /// x_N of (jωW + K) x = e_N. Gaussian elimination from cell 0 upwards leaves the last row as d_N x_N = 1, with
    /// d_k = jωw_k + t_k + t_{k+1} − t_k²/d_{k−1}.
    func lastCellResponse(omega: Double) -> Complex {
        let n = widths.count
        var pivot = Complex.zero
        for k in 0..<n {
            let left = transmissibility[k]
            let right = k + 1 < n ? transmissibility[k + 1] : 0
            var diagonal = Complex(left + right, omega * widths[k])
            if k > 0 { diagonal -= Complex(left * left) / pivot }
            pivot = diagonal
        }
        return Complex.one / pivot
    }
}

/// Closed forms of the elements a spectrum is read with (E. Barsoukov and J. R. Macdonald, *Impedance
/// Spectroscopy*, 2nd ed., Wiley (2005), §2.2): the verification references of the frequency-domain solvers.
public enum ClosedFormImpedance {
    /// R ∥ C: R/(1 + jωRC).
    public static func parallelResistorCapacitor(resistance r: Double, capacitance c: Double, omega: Double) -> Complex
    {
        Complex(r) / Complex(1, omega * r * c)
    }

    /// Finite-length reflective ("open", blocking) Warburg of a slab: Z = R_D coth(√(jωτ))/√(jωτ), with R_D the
    /// resistance scale and τ = L²/D; its low-frequency limit is R_D/3 + R_D/(jωτ).
    public static func reflectiveWarburg(resistance r: Double, time tau: Double, omega: Double) -> Complex {
        let argument = Complex(0, omega * tau).squareRoot()
        return r * argument.hyperbolicCotangent() / argument
    }
}
