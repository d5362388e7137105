import CathodeModels
import Foundation
import Plotting

/// Nyquist and Bode panels of impedance spectra, shared by the `fig3f-impedance` study and
/// `cathodelab simulate impedance`. Values in Ω cm² (the unit experimental papers plot; a Nyquist plot whose arcs
/// reach 10⁴ Ω cm² in kΩ cm²); computed points as markers,
/// the fitted circuit as a line through them.
public enum ImpedanceFigures {
    /// One spectrum to draw: its label, values, optional fitted circuit and colour.
    public struct Curve: Sendable {
        public var label: String
        public var spectrum: ImpedanceSpectrum
        public var fit: EquivalentCircuit?
        public var color: Color
        public init(label: String, spectrum: ImpedanceSpectrum, fit: EquivalentCircuit?, color: Color) {
            self.label = label
            self.spectrum = spectrum
            self.fit = fit
            self.color = color
        }
    }

    static let scale = ImpedanceSpectrum.ohmSquareMetresToOhmSquareCentimetres

    /// Z′ and −Z″ in Ω cm² at finely spaced frequencies across the spectrum's range.
    static func fitted(_ circuit: EquivalentCircuit, over spectrum: ImpedanceSpectrum) -> (
        real: [Double], negativeImaginary: [Double], frequencies: [Double]
    ) {
        let low = log10(spectrum.frequencies.min()!)
        let high = log10(spectrum.frequencies.max()!)
        let frequencies = (0...240).map { pow(10, high - (high - low) * Double($0) / 240) }
        let values = frequencies.map { circuit.impedance(omega: 2 * .pi * $0) }
        return (values.map { $0.real * scale }, values.map { -$0.imaginary * scale }, frequencies)
    }

    /// Nyquist panel with equal scales (1 Ω cm² is the same length on both axes), zoomed to the arcs: the real axis
    /// spans the largest Re Z of the spectra and −Im Z 0.6 of it (the arcs' apexes lie at half); the legend goes beside
    /// the axes, where it covers no arc; points of the capacitive diffusion tail above the frame are left out (their
    /// frequencies are on the Bode panels).
    public static func nyquist(_ curves: [Curve], title: RichText? = nil, legend: LegendPlacement = .outsideRight)
        -> Panel
    {
        // Ω cm², or kΩ cm² once the arcs reach 10⁴ Ω cm², so that tick labels stay short enough for five of them
        // under a half-width panel.
        let largestOhms = curves.flatMap(\.spectrum.real).max()! * scale
        let kilo = 1.05 * largestOhms >= 1e4
        let unit = kilo ? 1e-3 : 1
        let unitLabel = kilo ? "kΩ cm^{2}" : "Ω cm^{2}"
        let largestReal = largestOhms * unit
        let top = 0.6 * largestReal
        var layers: [Layer] = []
        for curve in curves {
            let real = curve.spectrum.real.map { $0 * scale * unit }
            let negativeImaginary = curve.spectrum.imaginary.map { -$0 * scale * unit }
            let inside = real.indices.filter { negativeImaginary[$0] <= top && negativeImaginary[$0] >= -0.02 * top }
            if let fit = curve.fit {
                let line = fitted(fit, over: curve.spectrum)
                let lineReal = line.real.map { $0 * unit }
                let lineImaginary = line.negativeImaginary.map { $0 * unit }
                let shown = lineReal.indices.filter {
                    lineImaginary[$0] <= top && lineImaginary[$0] >= -0.02 * top
                }
                layers.append(
                    Line(
                        x: shown.map { lineReal[$0] }, y: shown.map { lineImaginary[$0] }, color: curve.color,
                        width: 0.9
                    ).layer)
            }
            layers.append(
                Scatter(
                    x: inside.map { real[$0] }, y: inside.map { negativeImaginary[$0] }, label: curve.label,
                    color: curve.color,
                    marker: Marker(.circle, size: 2.6, filled: false)
                ).layer)
        }
        // At most five ticks on each axis with one step.
        let step = niceStep(1.05 * largestReal / 4)
        let xTicks = stride(from: 0, through: 1.05 * largestReal, by: step).map { $0 }
        let yTicks = stride(from: 0, through: top, by: step).map { $0 }
        return Panel(
            title: title, x: Axis(RichText("Re Z [\(unitLabel)]"), limits: 0...(1.05 * largestReal), ticks: xTicks),
            y: Axis(RichText("−Im Z [\(unitLabel)]"), limits: (-0.02 * top)...top, ticks: yTicks),
            legend: legend, aspectRatio: 1, layers: layers)
    }

    /// The smallest of 1, 2, 2.5, 5 × 10ᵏ not below `raw`.
    static func niceStep(_ raw: Double) -> Double {
        let magnitude = pow(10, floor(log10(raw)))
        return [1, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
    }

    /// Bode panels: |Z| (log–log) and −phase versus frequency.
    public static func bode(_ curves: [Curve], legend: LegendPlacement = .none) -> [Panel] {
        var magnitude: [Layer] = []
        var phase: [Layer] = []
        for curve in curves {
            let f = curve.spectrum.frequencies
            magnitude.append(
                Scatter(
                    x: f, y: curve.spectrum.magnitude.map { $0 * scale }, label: curve.label, color: curve.color,
                    marker: Marker(.circle, size: 2.2, filled: false)
                ).layer)
            phase.append(
                Scatter(
                    x: f, y: curve.spectrum.phaseDegrees.map { -$0 }, label: curve.label, color: curve.color,
                    marker: Marker(.circle, size: 2.2, filled: false)
                ).layer)
            if let fit = curve.fit {
                let line = fitted(fit, over: curve.spectrum)
                let values = line.frequencies.map { fit.impedance(omega: 2 * .pi * $0) }
                magnitude.append(
                    Line(x: line.frequencies, y: values.map { $0.magnitude * scale }, color: curve.color, width: 0.9)
                        .layer)
                phase.append(
                    Line(x: line.frequencies, y: values.map { -$0.phase * 180 / .pi }, color: curve.color, width: 0.9)
                        .layer)
            }
        }
        return [
            Panel(
                x: Axis("Frequency [Hz]", scale: .log10), y: Axis("|Z| [Ω cm^{2}]", scale: .log10), legend: .none,
                layers: magnitude),
            Panel(
                x: Axis("Frequency [Hz]", scale: .log10),
                y: Axis("−phase [°]", limits: 0...90, ticks: [0, 15, 30, 45, 60, 75, 90]), legend: legend, layers: phase
            ),
        ]
    }
}
