import Foundation
import SolverCore

/// The equivalent circuit an experimentalist fits to a solid-state half-cell's spectrum (Fig. 3(f) of the paper reads
/// the mid-frequency arc as the LCO/SE interfacial resistance):
///
///     Z = R_s + R_int ∥ CPE_int + W_o [+ R_CE ∥ CPE_CE],
///     CPE: Z = 1/(Q (jω)^n),   R ∥ CPE = R/(1 + R Q (jω)^n),
///     W_o (finite-length reflective Warburg): Z = R_W coth(√(jωτ_W))/√(jωτ_W),
///
/// (Barsoukov and Macdonald, *Impedance Spectroscopy*, 2nd ed. (2005), §2.2; the CPE after Brug et al.,
/// J. Electroanal. Chem. 176, 275 (1984)). The counter electrode's arc is included when the cell has one that the
/// spectrum resolves.
public struct EquivalentCircuit: Sendable, Equatable, Codable {
    /// Series resistance R_s [Ω m²] (separator, electronic path).
    public var seriesResistance: Double
    /// Interfacial resistance R_int [Ω m²] — the quantity of Fig. 3(f).
    public var interfaceResistance: Double
    /// CPE coefficient Q_int [F m⁻² s^(n−1)] and exponent n_int.
    public var interfaceQ: Double
    public var interfaceExponent: Double
    /// Warburg resistance scale R_W [Ω m²] and time τ_W [s].
    public var warburgResistance: Double
    public var warburgTime: Double
    /// Counter electrode arc (nil when not fitted).
    public var counterResistance: Double?
    public var counterQ: Double?
    public var counterExponent: Double?

    public init(
        seriesResistance: Double, interfaceResistance: Double, interfaceQ: Double, interfaceExponent: Double,
        warburgResistance: Double, warburgTime: Double, counterResistance: Double? = nil, counterQ: Double? = nil,
        counterExponent: Double? = nil
    ) {
        self.seriesResistance = seriesResistance
        self.interfaceResistance = interfaceResistance
        self.interfaceQ = interfaceQ
        self.interfaceExponent = interfaceExponent
        self.warburgResistance = warburgResistance
        self.warburgTime = warburgTime
        self.counterResistance = counterResistance
        self.counterQ = counterQ
        self.counterExponent = counterExponent
    }

    static func parallelCPE(resistance: Double, q: Double, exponent: Double, omega: Double) -> Complex {
        Complex(resistance) / (Complex.one + resistance * q * Complex(0, omega).power(exponent))
    }

    public func impedance(omega: Double) -> Complex {
        var z = Complex(seriesResistance)
        z += Self.parallelCPE(resistance: interfaceResistance, q: interfaceQ, exponent: interfaceExponent, omega: omega)
        z += ClosedFormImpedance.reflectiveWarburg(resistance: warburgResistance, time: warburgTime, omega: omega)
        if let r = counterResistance, let q = counterQ, let n = counterExponent {
            z += Self.parallelCPE(resistance: r, q: q, exponent: n, omega: omega)
        }
        return z
    }

    /// Effective capacitance of the interface CPE, C = (Q R^(1−n))^(1/n) (Brug et al. 1984) [F m⁻²].
    public var interfaceCapacitance: Double {
        pow(interfaceQ * pow(interfaceResistance, 1 - interfaceExponent), 1 / interfaceExponent)
    }
}

/// A circuit fitted to a spectrum, with the quality of the fit.
public struct CircuitFit: Sendable, Equatable, Codable {
    public var circuit: EquivalentCircuit
    /// Root-mean-square of |Z_fit − Z|/|Z| over the frequencies.
    public var relativeResidual: Double
    /// Largest |Z_fit − Z|/|Z|.
    public var maximumRelativeResidual: Double
    public var iterations: Int
    /// Standard errors of the fitted parameters in the order of `parameterNames` (NaN when not determined).
    public var standardErrors: [Double]
    public var parameterNames: [String]
}

/// Why a circuit fit failed.
public enum CircuitFitError: Error, Equatable, CustomStringConvertible {
    case tooFewPoints(count: Int, needed: Int)
    case noConvergence(iterations: Int, relativeResidual: Double)

    public var description: String {
        switch self {
        case let .tooFewPoints(count, needed):
            return
                "the circuit fit needs at least \(needed) frequencies for its parameters (got \(count)): raise frequencyCount"
        case let .noConvergence(iterations, residual):
            return String(
                format:
                    "the circuit fit did not converge: after %d iterations the rms relative residual is %.2g %% (allowed 2 %%). Widen the frequency range so that every arc and the diffusion tail are resolved, or fit without the counter-electrode arc",
                iterations, residual * 100)
        }
    }
}

/// Complex nonlinear least squares of `EquivalentCircuit` by bounded Levenberg–Marquardt on log-scaled parameters,
/// with modulus weighting (residuals (Z_fit − Z)/|Z|, real and imaginary parts; Orazem and Tribollet,
/// *Electrochemical Impedance Spectroscopy*, Wiley (2008), §19). Starting values are read off the spectrum as an
/// experimentalist would: R_s from the high-frequency intercept, each arc from a local maximum of −Im Z (R ≈ 2·max,
/// Q from the apex frequency), the Warburg from the low-frequency capacitive tail.
public enum CircuitFitter {
    /// A fit whose rms relative residual stays above this is reported as not converged.
    public static let acceptableResidual = 0.02

    public static func fit(_ spectrum: ImpedanceSpectrum, counterElectrodeArc: Bool) throws -> CircuitFit {
        let parameterCount = counterElectrodeArc ? 9 : 6
        let count = spectrum.frequencies.count
        guard 2 * count >= parameterCount + 2 else {
            throw CircuitFitError.tooFewPoints(count: count, needed: (parameterCount + 3) / 2)
        }
        let omegas = spectrum.angularFrequencies
        let data = spectrum.values
        let scale = max(data.map(\.magnitude).max() ?? 1, 1e-30)
        func circuit(_ p: [Double]) -> EquivalentCircuit {
            EquivalentCircuit(
                seriesResistance: p[0], interfaceResistance: p[1], interfaceQ: p[2], interfaceExponent: p[3],
                warburgResistance: p[4], warburgTime: p[5],
                counterResistance: counterElectrodeArc ? p[6] : nil, counterQ: counterElectrodeArc ? p[7] : nil,
                counterExponent: counterElectrodeArc ? p[8] : nil)
        }
        func bounds(_ start: EquivalentCircuit) -> [LevenbergMarquardt.Parameter] {
            var bounds: [LevenbergMarquardt.Parameter] = [
                .init(
                    initial: max(start.seriesResistance, 1e-9 * scale), lower: 1e-12 * scale, upper: 10 * scale,
                    logScale: true),
                .init(initial: start.interfaceResistance, lower: 1e-9 * scale, upper: 10 * scale, logScale: true),
                .init(initial: start.interfaceQ, lower: 1e-12, upper: 1e6, logScale: true),
                .init(initial: start.interfaceExponent, lower: 0.5, upper: 1),
                .init(initial: start.warburgResistance, lower: 1e-9 * scale, upper: 1e4 * scale, logScale: true),
                .init(initial: start.warburgTime, lower: 1e-9, upper: 1e9, logScale: true),
            ]
            if counterElectrodeArc {
                bounds += [
                    .init(
                        initial: start.counterResistance ?? 0.1 * scale, lower: 1e-9 * scale, upper: 10 * scale,
                        logScale: true),
                    .init(initial: start.counterQ ?? 1, lower: 1e-12, upper: 1e6, logScale: true),
                    .init(initial: start.counterExponent ?? 0.95, lower: 0.5, upper: 1),
                ]
            }
            return bounds
        }
        func residuals(_ p: [Double]) -> [Double] {
            let c = circuit(p)
            var out = [Double](repeating: 0, count: 2 * count)
            for k in 0..<count {
                let difference = c.impedance(omega: omegas[k]) - data[k]
                let weight = 1 / max(data[k].magnitude, 1e-300)
                out[2 * k] = difference.real * weight
                out[2 * k + 1] = difference.imaginary * weight
            }
            return out
        }
        var solver = LevenbergMarquardt()
        solver.maxIterations = 200
        solver.tolerance = 1e-14
        solver.finiteDifferenceStep = 1e-7
        // A small counter-electrode arc is often a shoulder without an apex of its own: several starting points for it
        // (multi-start), the best fit wins.
        var best: LevenbergMarquardt.Result? = nil
        for start in startingPoints(spectrum, counterElectrodeArc: counterElectrodeArc) {
            guard let result = try? solver.fit(bounds(start), residuals: residuals) else { continue }
            if best == nil || result.cost < best!.cost { best = result }
            if result.cost < 1e-20 * Double(count) { break }
        }
        guard let result = best else { throw CircuitFitError.noConvergence(iterations: 0, relativeResidual: .infinity) }
        let relative = (0..<count).map { hypot(result.residuals[2 * $0], result.residuals[2 * $0 + 1]) }
        let rms = (relative.reduce(0) { $0 + $1 * $1 } / Double(count)).squareRoot()
        guard rms <= acceptableResidual, result.parameters.allSatisfy(\.isFinite) else {
            throw CircuitFitError.noConvergence(iterations: result.iterations, relativeResidual: rms)
        }
        var names = [
            "seriesResistance", "interfaceResistance", "interfaceQ", "interfaceExponent", "warburgResistance",
            "warburgTime",
        ]
        if counterElectrodeArc { names += ["counterResistance", "counterQ", "counterExponent"] }
        return CircuitFit(
            circuit: circuit(result.parameters), relativeResidual: rms, maximumRelativeResidual: relative.max() ?? 0,
            iterations: result.iterations, standardErrors: result.standardErrors, parameterNames: names)
    }

    /// The feature-based start, and for a counter-electrode arc without its own apex, starts that place it at each
    /// decade between the interface apex and the highest frequency, at 1 % and 10 % of R_int.
    static func startingPoints(_ spectrum: ImpedanceSpectrum, counterElectrodeArc: Bool) -> [EquivalentCircuit] {
        let start = initialGuess(spectrum, counterElectrodeArc: counterElectrodeArc)
        guard counterElectrodeArc else { return [start] }
        var starts = [start]
        let apexFrequency = 1 / (2 * .pi * start.interfaceQ * start.interfaceResistance)
        let highest = spectrum.frequencies.max() ?? apexFrequency
        var frequency = apexFrequency * 10
        while frequency < highest {
            for fraction in [0.01, 0.1] {
                var candidate = start
                candidate.counterResistance = fraction * start.interfaceResistance
                candidate.counterQ = 1 / (2 * .pi * frequency * candidate.counterResistance!)
                starts.append(candidate)
            }
            frequency *= 10
        }
        return starts
    }

    /// Starting values from the spectrum's features.
    static func initialGuess(_ spectrum: ImpedanceSpectrum, counterElectrodeArc: Bool) -> EquivalentCircuit {
        // High → low frequency.
        let order = spectrum.frequencies.indices.sorted { spectrum.frequencies[$0] > spectrum.frequencies[$1] }
        let f = order.map { spectrum.frequencies[$0] }
        let zr = order.map { spectrum.real[$0] }
        let negativeImaginary = order.map { -spectrum.imaginary[$0] }
        let series = max(zr.first ?? 0, 0)
        // Local maxima of −Im Z (apexes of arcs), highest frequency first.
        var apexes: [Int] = []
        for k in 1..<max(1, f.count - 1)
        where negativeImaginary[k] > negativeImaginary[k - 1] && negativeImaginary[k] >= negativeImaginary[k + 1]
            && negativeImaginary[k] > 0
        {
            apexes.append(k)
        }
        func arc(_ k: Int) -> (r: Double, q: Double) {
            let r = 2 * negativeImaginary[k]
            return (r, 1 / (2 * .pi * f[k] * r))
        }
        var interface = (r: max(zr.last! - series, 1e-6) / 2, q: 1e-2)
        var counter: (r: Double, q: Double)? = nil
        if counterElectrodeArc, apexes.count >= 2 {
            counter = arc(apexes[0])
            interface = arc(apexes[apexes.count - 1])
        } else if let last = apexes.last {
            interface = arc(last)
            if counterElectrodeArc { counter = (0.1 * interface.r, interface.q * 1e-3) }
        } else if counterElectrodeArc {
            counter = (0.1 * interface.r, 1e-3)
        }
        // Capacitive tail: −Im Z ≈ R_W/(ωτ_W), Re Z ≈ R_s + R_int + R_CE + R_W/3 at the lowest frequency.
        let lowest = f.count - 1
        let omegaLow = 2 * .pi * f[lowest]
        let tailCapacitance = 1 / max(omegaLow * negativeImaginary[lowest], 1e-300)
        let warburg = max(3 * (zr[lowest] - series - interface.r - (counter?.r ?? 0)), 0.1 * interface.r)
        let time = min(max(warburg * tailCapacitance, 1e-6), 1e8)
        return EquivalentCircuit(
            seriesResistance: series, interfaceResistance: interface.r, interfaceQ: interface.q,
            interfaceExponent: 0.95,
            warburgResistance: warburg, warburgTime: time,
            counterResistance: counter?.r, counterQ: counter?.q, counterExponent: counter == nil ? nil : 0.95)
    }
}

/// The linear Kramers–Kronig test (B. A. Boukamp, J. Electrochem. Soc. 142, 1885 (1995); M. Schönleber, D. Klotz and
/// E. Ivers-Tiffée, Electrochim. Acta 131, 20 (2014)): fits Z by a series resistance, a series capacitance and M
/// Voigt elements R_k/(1 + jωτ_k) with fixed τ_k spaced evenly in log between 1/ω_max and 1/ω_min — a model that
/// satisfies the Kramers–Kronig relations by construction — by linear least squares with modulus weighting. A
/// spectrum of a linear, causal, stable system leaves residuals at the level of the fit's resolution; a drifting or
/// nonlinear one does not.
public enum KramersKronig {
    public struct Result: Sendable, Equatable, Codable {
        /// (Z_KK − Z)/|Z| per frequency, real and imaginary parts.
        public var realResiduals: [Double]
        public var imaginaryResiduals: [Double]
        public var elements: Int
        /// The largest |residual| of either part.
        public var maximumResidual: Double {
            max(realResiduals.map(abs).max() ?? 0, imaginaryResiduals.map(abs).max() ?? 0)
        }
    }

    /// `elementsPerDecade` Voigt elements per decade of the spectrum (at least 3 in all, at most N − 2).
    public static func test(_ spectrum: ImpedanceSpectrum, elementsPerDecade: Double = 6) throws -> Result {
        let omegas = spectrum.angularFrequencies
        let data = spectrum.values
        let count = omegas.count
        let low = omegas.min()!
        let high = omegas.max()!
        let decades = log10(high / low)
        let elements = max(3, min(count - 2, Int((elementsPerDecade * decades).rounded(.up))))
        let taus = (0..<elements).map {
            pow(10, log10(1 / high) + (log10(1 / low) - log10(1 / high)) * Double($0) / Double(max(elements - 1, 1)))
        }
        // Unknowns: R_0, 1/C, R_1…R_M. Rows: real and imaginary parts, divided by |Z|.
        let columns = elements + 2
        var matrix = [Double](repeating: 0, count: 2 * count * columns)
        var rhs = [Double](repeating: 0, count: 2 * count)
        for k in 0..<count {
            let weight = 1 / max(data[k].magnitude, 1e-300)
            let realRow = 2 * k
            let imaginaryRow = 2 * k + 1
            matrix[realRow * columns + 0] = weight
            matrix[imaginaryRow * columns + 1] = -weight / omegas[k]
            for (m, tau) in taus.enumerated() {
                let x = omegas[k] * tau
                let denominator = 1 + x * x
                matrix[realRow * columns + 2 + m] = weight / denominator
                matrix[imaginaryRow * columns + 2 + m] = -weight * x / denominator
            }
            rhs[realRow] = data[k].real * weight
            rhs[imaginaryRow] = data[k].imaginary * weight
        }
        let solution = try LinearLeastSquares.solve(matrix: matrix, rows: 2 * count, columns: columns, rhs: rhs)
        var realResiduals = [Double](repeating: 0, count: count)
        var imaginaryResiduals = realResiduals
        for k in 0..<count {
            var fitReal = 0.0
            var fitImaginary = 0.0
            for c in 0..<columns {
                fitReal += matrix[(2 * k) * columns + c] * solution[c]
                fitImaginary += matrix[(2 * k + 1) * columns + c] * solution[c]
            }
            realResiduals[k] = fitReal - rhs[2 * k]
            imaginaryResiduals[k] = fitImaginary - rhs[2 * k + 1]
        }
        return Result(realResiduals: realResiduals, imaginaryResiduals: imaginaryResiduals, elements: elements)
    }
}
