import Foundation
import Materials
import SolverCore

/// Small-signal impedance of Model B (physics.md §3, docs/impedance.md): the 2D cross-section linearised about a rested,
/// uniform state θ̄ and solved in the frequency domain, on the finite volumes of the time stepper.
///
/// Per contact face a (true area per depth w_a = r_a,a ℓ_a, Faradaic current density î_a on it):
///
///     (jωV + A) θ̂ = Σ_a s_a î_a e_cell(a),  s_a = w_a/(F c_max)          (A: two-point fluxes + central cross stencil),
///     θ̂_s,a = θ̂_cell(a) + β_a î_a                                         (the face extrapolation of the time stepper),
///     î_a = −f i₀(θ̄) (Δφ̂ − U′(θ̄) θ̂_s,a)                                  (linearised Butler–Volmer, one Δφ for all faces),
///     Σ_a w_a (î_a − C_dl jω Δφ̂) = Î W,                                    (double layer on every contacting face),
///     Z = −V̂/Î = −Δφ̂/Î + R_SE + Z_CE(ω).
///
/// Per frequency the complex band matrix jωV + A (bandwidth n_y − 1 … 2n_y − 1, cells ordered y-fastest as in the time
/// stepper) is factorised once (`ComplexBandedLU`); its response at the face cells to a unit source in each face
/// cell (the capacitance matrix of the time stepper, now complex) reduces the problem to a dense system of one
/// unknown per face plus Δφ̂. Rotated grains: the cross-diffusion uses the central stencil — the linear scheme the
/// time stepper's limiter reduces to for smooth fields (a limiter is not differentiable at a uniform state); its
/// entries across a periodic wrap reach 2n_y − 1 from the diagonal, and the band is widened to hold them (the time
/// stepper lags those in its Picard loop; a lagged iteration diverges near ω → 0, where jωV + A is singular but for
/// the interface).
public struct Dense2DImpedance: Sendable {
    public let setup: Dense2DSetup
    public let stoichiometry: Double
    public let capacitances: InterfaceCapacitances

    public init(
        setup: Dense2DSetup, stoichiometry: Double, capacitances: InterfaceCapacitances = InterfaceCapacitances()
    ) {
        var rested = setup
        rested.cell.initialStoichiometry = stoichiometry
        self.setup = rested
        self.stoichiometry = stoichiometry
        self.capacitances = capacitances
    }

    public func validate() throws {
        try RestState.validate(stoichiometry: stoichiometry, ocp: setup.cell.ocp)
        try setup.validate()
        try capacitances.validate()
    }

    /// Charge-transfer resistance of the contacting faces at θ̄, 1/(f i₀ Σw_a/W) per projected area [Ω m²].
    public var chargeTransferResistance: Double {
        let engine = Dense2DEngine(setup: setup)
        return 1 / (engine.f * exchangeCurrentDensity * contactAreaRatio(engine))
    }

    var exchangeCurrentDensity: Double {
        ButlerVolmer.exchangeCurrentDensity(
            reference: setup.cell.exchangeCurrentDensity, surfaceStoichiometry: stoichiometry)
    }

    func contactAreaRatio(_ engine: Dense2DEngine) -> Double {
        engine.faces.reduce(0) { $0 + $1.areaFactor * $1.length } / engine.m.width
    }

    public func spectrum(_ sweep: FrequencySweep) throws -> ImpedanceSpectrum {
        try sweep.validate()
        try validate()
        var solver = Dense2DFrequencySolver(
            engine: Dense2DEngine(setup: setup), stoichiometry: stoichiometry, capacitances: capacitances)
        let frequencies = sweep.frequencies
        var values: [Complex] = []
        values.reserveCapacity(frequencies.count)
        for frequency in frequencies {
            let z = try solver.impedance(omega: 2 * .pi * frequency)
            if !z.isFinite {
                throw ModelRunError.nonFiniteResult(what: String(format: "2D impedance at %g Hz", frequency))
            }
            values.append(z)
        }
        return ImpedanceSpectrum(frequencies: frequencies, values: values)
    }
}

/// The per-frequency work of `Dense2DImpedance`, with every buffer allocated once.
struct Dense2DFrequencySolver {
    let engine: Dense2DEngine
    let cellCount: Int
    let firstFaceCell: Int
    let bandwidth: Int
    /// The entries of A (the time-independent part: two-point fluxes and the central cross stencil).
    let bandRows: [Int], bandColumns: [Int], bandValues: [Double]
    let solidVolume: [Double]
    let inverseThermalVoltage: Double
    let exchangeCurrentDensity: Double
    let slope: Double
    let capacitances: InterfaceCapacitances
    let faceWeights: [Double], faceSources: [Double], faceBetas: [Double]
    var lu: ComplexBandedLU
    var realPart: [Double], imaginaryPart: [Double]
    var response: [Complex]
    var system: [Complex], rhs: [Complex]

    init(engine: Dense2DEngine, stoichiometry: Double, capacitances: InterfaceCapacitances) {
        self.engine = engine
        cellCount = engine.n
        firstFaceCell = engine.faceCells.min() ?? 0
        var rows: [Int] = []
        var columns: [Int] = []
        var values: [Double] = []
        engine.assembleTPFA(dt: 1, alpha0: 0) { row, column, value in
            rows.append(row)
            columns.append(column)
            values.append(value)
        }
        // Grains at exactly 0° or 90° leave cross coefficients of round-off size ((D_f − D_s)·cos 90° ≈ 1e-16 D_f): they
        // would widen the band for nothing, so entries below 1e-12 of the largest two-point entry are dropped.
        let largest = values.map(abs).max() ?? 0
        engine.forEachCentralCross(bandLimit: Int.max) { row, column, value in
            guard abs(value) > 1e-12 * largest else { return }
            rows.append(row)
            columns.append(column)
            values.append(value)
        }
        bandRows = rows
        bandColumns = columns
        bandValues = values
        // Two-point fluxes reach n_y − 1 (periodic wrap); the cross stencil across the wrap reaches 2n_y − 1.
        let band = zip(rows, columns).map { abs($0 - $1) }.max() ?? 0
        bandwidth = band
        let volume = engine.dx * engine.dy
        solidVolume = (0..<engine.n).map { engine.solid($0) ? volume : 0 }
        inverseThermalVoltage = engine.f
        exchangeCurrentDensity = ButlerVolmer.exchangeCurrentDensity(
            reference: engine.s.cell.exchangeCurrentDensity, surfaceStoichiometry: stoichiometry)
        slope = engine.s.cell.ocp.slope(stoichiometry)
        self.capacitances = capacitances
        faceWeights = engine.faces.map { $0.areaFactor * $0.length }
        faceSources = engine.faces.map { engine.sourcePerCurrent($0, dt: 1) }
        faceBetas = engine.faces.map { engine.beta($0) }
        lu = ComplexBandedLU(n: engine.n, kl: band, ku: band)
        realPart = [Double](repeating: 0, count: engine.n)
        imaginaryPart = realPart
        let faceCellCount = engine.faceCells.count
        response = [Complex](repeating: .zero, count: faceCellCount * faceCellCount)
        let unknowns = engine.faces.count + 1
        system = [Complex](repeating: .zero, count: unknowns * unknowns)
        rhs = [Complex](repeating: .zero, count: unknowns)
    }

    /// Solves (jωV + A) x = e_column into `realPart`/`imaginaryPart`, at the face cells only (they lie in the last rows of
    /// a y-fastest ordering, so the forward and backward sweeps cover a few rows of the band).
    mutating func solveUnit(column: Int) {
        for k in 0..<cellCount {
            realPart[k] = 0
            imaginaryPart[k] = 0
        }
        realPart[column] = 1
        lu.solveRange(real: &realPart, imaginary: &imaginaryPart, firstNonzero: column, neededFrom: firstFaceCell)
    }

    /// Z(ω) per projected area [Ω m²].
    mutating func impedance(omega: Double) throws -> Complex {
        lu.reset()
        for entry in bandRows.indices { lu.add(bandRows[entry], bandColumns[entry], bandValues[entry]) }
        for k in 0..<cellCount where solidVolume[k] > 0 { lu.add(k, k, Complex(0, omega * solidVolume[k])) }
        try lu.factorise()
        let faceCells = engine.faceCells
        let cellsAtFaces = faceCells.count
        for (v, cell) in faceCells.enumerated() {
            solveUnit(column: cell)
            for (u, other) in faceCells.enumerated() {
                response[u * cellsAtFaces + v] = Complex(realPart[other], imaginaryPart[other])
            }
        }
        // Unknowns: î_a (a < faces), Δφ̂ (last). Î = 1 A m⁻².
        let faces = engine.faces.count
        let size = faces + 1
        for k in system.indices { system[k] = .zero }
        let kinetic = inverseThermalVoltage * exchangeCurrentDensity
        for a in 0..<faces {
            let u = engine.faceCellIndex[a]
            system[a * size + a] += Complex(1 - kinetic * slope * faceBetas[a])
            for b in 0..<faces {
                let v = engine.faceCellIndex[b]
                system[a * size + b] -= kinetic * slope * faceSources[b] * response[u * cellsAtFaces + v]
            }
            system[a * size + faces] = Complex(kinetic)
            rhs[a] = .zero
        }
        let totalArea = faceWeights.reduce(0, +)
        for b in 0..<faces { system[faces * size + b] = Complex(faceWeights[b]) }
        system[faces * size + faces] = Complex(0, -omega * capacitances.cathodeDoubleLayer * totalArea)
        rhs[faces] = Complex(engine.m.width)
        try ComplexDenseSolver.solve(matrix: &system, rhs: &rhs, size: size)
        let cathode = -rhs[faces]
        let cell = engine.s.cell
        let counter = SeriesElements.counterElectrode(
            cell.counterElectrode, capacitance: capacitances.counterElectrode, omega: omega,
            inverseThermalVoltage: inverseThermalVoltage)
        return cathode + Complex(cell.separatorResistance) + counter
    }
}
