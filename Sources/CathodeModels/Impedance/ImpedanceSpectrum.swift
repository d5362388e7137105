import Foundation
import Materials
import SolverCore

/// Frequencies of a spectrum: `count` points spaced evenly in log f from `maximumHz` down to `minimumHz`, the
/// order in which an impedance analyser sweeps.
public struct FrequencySweep: Sendable, Equatable, Codable {
    public var minimumHz: Double
    public var maximumHz: Double
    public var count: Int

    public init(minimumHz: Double = 1e-3, maximumHz: Double = 1e6, count: Int = 60) {
        self.minimumHz = minimumHz
        self.maximumHz = maximumHz
        self.count = count
    }

    /// Frequencies [Hz], highest first.
    public var frequencies: [Double] {
        guard count > 1 else { return [maximumHz] }
        let top = log10(maximumHz)
        let bottom = log10(minimumHz)
        return (0..<count).map { pow(10, top - (top - bottom) * Double($0) / Double(count - 1)) }
    }

    /// Frequencies must be positive and finite, the range ordered, and the count 2…100 000.
    public func validate() throws {
        for (name, value) in [("minimumFrequencyHz", minimumHz), ("maximumFrequencyHz", maximumHz)]
        where !(value.isFinite && value > 0 && value <= 1e12) {
            throw ModelInputError.outOfRange(parameter: name, value: value, allowed: "(0, 1e12]", unit: "Hz")
        }
        guard minimumHz < maximumHz else {
            throw ModelInputError.inconsistent(
                reason: String(
                    format:
                        "the frequency range is reversed or empty: minimumFrequencyHz %g Hz must lie below maximumFrequencyHz %g Hz",
                    minimumHz, maximumHz))
        }
        guard (2...100_000).contains(count) else {
            throw ModelInputError.outOfRange(
                parameter: "frequencyCount", value: Double(count), allowed: "[2, 100000]", unit: "")
        }
    }
}

/// Capacitances of the charged interfaces, which the discharge models (time scales of minutes) neglect and the
/// small-signal model needs (docs/impedance.md).
///
/// Irvine, Sinclair and West (1990) place the capacitance of a sample/electrode interface at 1e-7–1e-5 F cm⁻²
/// (0.001–0.1 F m⁻²), the range of the mid-frequency arcs of solid-state cells; both defaults are estimates
/// inside it.
public struct InterfaceCapacitances: Sendable, Equatable, Codable {
    /// Double-layer capacitance of the cathode/SE contact per true contacting area [F m⁻²].
    public var cathodeDoubleLayer: Double
    /// Capacitance of the counter electrode/SE interface per projected area [F m⁻²].
    public var counterElectrode: Double

    /// 5 µF cm⁻² at the cathode, 10 µF cm⁻² at the counter electrode [E, inside Irvine1990's range].
    public init(cathodeDoubleLayer: Double = 0.05, counterElectrode: Double = 0.1) {
        self.cathodeDoubleLayer = cathodeDoubleLayer
        self.counterElectrode = counterElectrode
    }

    public func validate() throws {
        for (name, value) in [
            ("doubleLayerCapacitanceMicrofaradPerCm2", cathodeDoubleLayer),
            ("counterElectrodeCapacitanceMicrofaradPerCm2", counterElectrode),
        ]
        where !(value.isFinite && value >= 1e-5 && value <= 10) {
            throw ModelInputError.outOfRange(
                parameter: name, value: value * 100, allowed: "[0.001, 1000]", unit: "µF cm⁻²")
        }
    }
}

/// The rested state a spectrum is taken about: a uniform stoichiometry θ̄ (no current, no gradients).
public enum RestState {
    /// θ̄ of a state of charge s ∈ [0, 1] of the cell's rated window: θ̄ = θ₀ + (1 − s)·Q_rated/Q_theoretical, so
    /// s = 1 is the charged cell at θ₀ and s = 0 the cell after its rated capacity. Throws naming s and the
    /// allowed range when θ̄ would leave the range where the open-circuit potential is valid and i₀ > 0.
    public static func stoichiometry(stateOfCharge soc: Double, cell: Dense1DCell) throws -> Double {
        let span = cell.ratedCapacityMilliampHoursPerGram / cell.theoreticalCapacityMilliampHoursPerGram
        let range = allowedStoichiometry(cell.ocp)
        let lowest = max(0, 1 - (range.upperBound - cell.initialStoichiometry) / span)
        let highest = min(1, 1 - (range.lowerBound - cell.initialStoichiometry) / span)
        guard soc.isFinite, soc >= 0, soc <= 1 else {
            throw ModelInputError.outOfRange(parameter: "stateOfCharge", value: soc, allowed: "[0, 1]", unit: "")
        }
        let theta = cell.initialStoichiometry + (1 - soc) * span
        guard range.contains(theta) else {
            throw ModelInputError.outOfRange(
                parameter: "stateOfCharge", value: soc,
                allowed: String(
                    format:
                        "[%.3f, %.3f] (θ̄ = %.4f lies outside %.3f–%.3f, where the open-circuit potential is valid and i₀ > 0)",
                    lowest, highest, theta, range.lowerBound, range.upperBound),
                unit: "")
        }
        return theta
    }

    /// θ̄ where the linearisation is defined: inside the OCP's valid range and below 0.995 (i₀ ∝ √(θ(1 − θ)) → 0).
    public static func allowedStoichiometry(_ ocp: OpenCircuitPotential) -> ClosedRange<Double> {
        ocp.validRange.lowerBound...min(ocp.validRange.upperBound, 0.995)
    }

    public static func validate(stoichiometry theta: Double, ocp: OpenCircuitPotential) throws {
        let range = allowedStoichiometry(ocp)
        guard theta.isFinite, range.contains(theta) else {
            throw ModelInputError.outOfRange(
                parameter: "stoichiometry", value: theta,
                allowed: String(
                    format: "[%.3f, %.3f] (the open-circuit potential's valid range, i₀ > 0)", range.lowerBound,
                    range.upperBound), unit: "")
        }
    }
}

/// An impedance spectrum Z(f) = −V̂/Î per projected electrode area, Ω m² (the sign makes a passive cell's
/// resistance positive: discharge current is positive and lowers the voltage).
public struct ImpedanceSpectrum: Sendable, Equatable, Codable {
    /// Frequencies [Hz], as swept (highest first).
    public var frequencies: [Double]
    /// Re Z [Ω m²].
    public var real: [Double]
    /// Im Z [Ω m²] (negative for capacitive behaviour; Nyquist plots show −Im Z upwards).
    public var imaginary: [Double]

    public init(frequencies: [Double], values: [Complex]) {
        self.frequencies = frequencies
        real = values.map(\.real)
        imaginary = values.map(\.imaginary)
    }

    public var values: [Complex] { zip(real, imaginary).map { Complex($0, $1) } }
    public var magnitude: [Double] { zip(real, imaginary).map { hypot($0, $1) } }
    /// Phase of Z in degrees (negative for capacitive behaviour).
    public var phaseDegrees: [Double] { zip(real, imaginary).map { atan2($1, $0) * 180 / .pi } }
    /// Angular frequencies ω = 2πf [rad s⁻¹].
    public var angularFrequencies: [Double] { frequencies.map { 2 * .pi * $0 } }

    /// Ω m² → Ω cm².
    public static let ohmSquareMetresToOhmSquareCentimetres = 1e4
}

/// The parts of a cell's small-signal impedance that are series resistances or lumped arcs, shared by the 1D and
/// 2D models: the SE separator (ohmic), the counter electrode (its charge-transfer resistance in parallel with its
/// interface capacitance) and, for Model A, the electronic path through the cathode.
enum SeriesElements {
    /// Z of the counter electrode at ω: R_CE ∥ C_CE with R_CE = dη_CE/dI at I = 0 (Li/In: the linear R_CE; Li metal:
    /// 1/(f i₀,Li) from the symmetric Butler–Volmer law).
    static func counterElectrode(
        _ electrode: CounterElectrode, capacitance: Double, omega: Double, inverseThermalVoltage f: Double
    ) -> Complex {
        let resistance: Double
        switch electrode {
        case .lithiumIndium(_, let r): resistance = r
        case .lithiumMetal(let i0): resistance = 1 / (f * i0)
        }
        guard resistance > 0 else { return .zero }
        return Complex(resistance) / Complex(1, omega * resistance * capacitance)
    }
}
