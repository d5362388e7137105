import Foundation
import Plotting

/// The figure gallery: one example of every plot type, on meaningful data, so a person can check the
/// figure engine by eye. Data sources:
/// - constant-flux diffusion into a slab (Crank, *The Mathematics of Diffusion*, 2nd ed., 1975, §3.3),
///   the analytic solution the 1D cathode model is verified against;
/// - the Kirsch stress field around a circular hole in a plate under remote tension (Kirsch 1898);
/// - composite-cathode theoretical energy densities from the composition arithmetic of
///   `shared/docs/physics.md` §5.1 (Naik et al., *EES Batteries* 2025, Fig. 7 logic).
public enum Gallery {
    /// Every gallery figure with its file name (without extension), in a stable order.
    public static func figures() -> [(name: String, figure: Figure)] {
        [
            ("01-lines-markers-annotations", linesFigure()),
            ("02-log-axes", logFigure()),
            ("03-stress-heatmap-diverging", stressFigure()),
            ("04-capacity-map-contours", capacityMapFigure()),
            ("05-bars-grouped-stacked", barsFigure()),
            ("06-shared-axes-panel-grid", sharedAxesFigure()),
            ("07-colour-maps", colourMapsFigure()),
        ]
    }

    // MARK: - Analytic data

    /// Crank's constant-flux slab: dimensionless surface excess S(τ) = τ + 1/3 − (2/π²) Σ exp(−n²π²τ)/n².
    public static func slabSurfaceExcess(_ tau: Double, terms: Int = 2000) -> Double {
        var sum = 0.0
        for n in 1...terms {
            let nn = Double(n * n)
            let e = exp(-nn * .pi * .pi * tau)
            if e < 1e-18 { break }
            sum += e / nn
        }
        return tau + 1.0 / 3.0 - 2.0 / (.pi * .pi) * sum
    }

    /// Crank's constant-flux slab profile, dimensionless: (c − c₀)D/(F₀L) at ξ = x/L (flux enters at ξ = 1).
    public static func slabProfile(_ xi: Double, _ tau: Double, terms: Int = 2000) -> Double {
        var sum = 0.0
        for n in 1...terms {
            let nn = Double(n * n)
            let e = exp(-nn * .pi * .pi * tau)
            if e < 1e-18 { break }
            sum += (n % 2 == 0 ? 1 : -1) * e / nn * cos(Double(n) * .pi * xi)
        }
        return tau + (3 * xi * xi - 1) / 6 - 2 / (.pi * .pi) * sum
    }

    /// Surface stoichiometry of a LiCoO₂-like slab under constant insertion flux, until it reaches 1.
    /// θ_s(t) = θ₀ + (F₀L/(D c_max)) S(Dt/L²), with F₀ = I/F. Returns (capacity mAh g⁻¹, θ_s).
    static func surfaceCurve(
        cRate: Double, thicknessMicrometres: Double, diffusivity: Double = 1.5e-13,
        theta0: Double = 0.5435, points: Int = 120
    ) -> (q: [Double], theta: [Double]) {
        let cmax = 51_630.0
        let rho = 5053.0
        let faraday = 96_485.332_12
        let l = thicknessMicrometres * 1e-6
        let current = 140 * 3.6 * rho * l * cRate  // A m⁻²: 140 mAh g⁻¹ per hour of the slab's mass
        let flux = current / faraday
        let scale = flux * l / (diffusivity * cmax)
        // Time at which θ_s = 1, by bisection on the monotone S(τ).
        var lo = 0.0
        var hi = 1e3
        for _ in 0..<100 {
            let m = 0.5 * (lo + hi)
            if theta0 + scale * slabSurfaceExcess(m) < 1 { lo = m } else { hi = m }
        }
        let tauEnd = lo
        var q: [Double] = []
        var th: [Double] = []
        for k in 0...points {
            let tau = tauEnd * Double(k) / Double(points)
            let t = tau * l * l / diffusivity
            q.append(current * t / 3.6 / (rho * l * 1000))
            th.append(theta0 + scale * slabSurfaceExcess(tau))
        }
        return (q, th)
    }

    /// Kirsch solution: σ_xx and σ_yy around a hole of radius a in an infinite plate, remote tension S along x.
    public static func kirsch(x: Double, y: Double, radius a: Double, tension s: Double) -> (
        sxx: Double, syy: Double, sxy: Double
    ) {
        let r2 = x * x + y * y
        let th = atan2(y, x)
        let a2 = a * a / r2
        let a4 = a2 * a2
        let c2 = cos(2 * th)
        let s2 = sin(2 * th)
        let srr = s / 2 * (1 - a2) + s / 2 * (1 - 4 * a2 + 3 * a4) * c2
        let stt = s / 2 * (1 + a2) - s / 2 * (1 + 3 * a4) * c2
        let srt = -s / 2 * (1 + 2 * a2 - 3 * a4) * s2
        let c = cos(th)
        let sn = sin(th)
        return (
            srr * c * c + stt * sn * sn - 2 * srt * sn * c,
            srr * sn * sn + stt * c * c + 2 * srt * sn * c,
            (srr - stt) * sn * c + srt * (c * c - sn * sn)
        )
    }

    // MARK: - Figures

    static func linesFigure() -> Figure {
        let rates: [(Double, Dash, String)] = [
            (0.2, .solid, "0.2C"), (0.5, .dashed, "0.5C"), (1, .dotted, "1C"), (2, .dashDot, "2C"),
        ]
        var layers: [Layer] = []
        let slow = surfaceCurve(cRate: 0.2, thicknessMicrometres: 23.1)
        let fast = surfaceCurve(cRate: 2, thicknessMicrometres: 23.1)
        let qmax = fast.q.last!
        let band = slow.q.indices.filter { slow.q[$0] <= qmax }
        layers.append(
            Area(
                x: band.map { slow.q[$0] }, lower: band.map { k in interpolate(fast.q, fast.theta, slow.q[k]) },
                upper: band.map { slow.theta[$0] }, label: "0.2C–2C spread", color: .skyBlue, opacity: 0.22
            ).layer)
        for (rate, dash, label) in rates {
            let c = surfaceCurve(cRate: rate, thicknessMicrometres: 23.1)
            layers.append(Line(x: c.q, y: c.theta, label: label, dash: dash).layer)
        }
        // "Measurements": the 0.5C curve sampled with a ±1.5 % scatter band, as markers with error bars.
        let mid = surfaceCurve(cRate: 0.5, thicknessMicrometres: 23.1, points: 8)
        layers.append(
            Scatter(
                x: Array(mid.q.dropFirst()), y: Array(mid.theta.dropFirst()),
                yError: mid.theta.dropFirst().map { 0.015 * $0 }, label: "0.5C sampled ± 1.5 %",
                color: .vermillion, marker: Marker(.square, size: 3.6)
            ).layer)
        layers.append(ReferenceLine(.horizontal, at: 1, label: "θ_{s} = 1: surface saturated").layer)
        layers.append(
            Annotation("2C: surface saturates early", x: 45, y: 0.62, arrowTo: (fast.q[70], fast.theta[70])).layer)
        return Figure(
            width: .singleColumn, height: .cm(7.6),
            panels: [
                Panel(
                    title: "Constant-flux insertion into a 23.1 µm slab (Crank)",
                    x: Axis("Inserted charge [mAh g^{-1}]"), y: Axis("Surface stoichiometry θ_{s} = c_{s}/c_{max}"),
                    legend: .below, layers: layers)
            ])
    }

    static func logFigure() -> Figure {
        let taus = (0...60).map { pow(10, -4 + 5 * Double($0) / 60) }
        let tabulated: [(Double, Double)] = [
            (0.001, 0.035682), (0.01, 0.112838), (0.05, 0.252313), (0.1, 0.356826), (0.5, 0.831876), (1.0, 1.333323),
        ]
        return Figure(width: .singleColumn, height: .cm(6)) {
            Panel(
                x: Axis("Dimensionless time τ = Dt/L^{2}", scale: .log10),
                y: Axis("Surface excess (c_{s} − c_{0})D/(F_{0}L)", scale: .log10, gridLines: true)
            ) {
                Line(x: taus, y: taus.map { slabSurfaceExcess($0) }, label: "Crank series S(τ)")
                Line(
                    x: taus.filter { $0 < 0.3 }, y: taus.filter { $0 < 0.3 }.map { 2 * ($0 / .pi).squareRoot() },
                    label: "short time 2(τ/π)^{1/2}", dash: .dashed)
                Line(
                    x: taus.filter { $0 > 0.03 }, y: taus.filter { $0 > 0.03 }.map { $0 + 1.0 / 3 },
                    label: "long time τ + 1/3", dash: .dotted)
                Scatter(
                    x: tabulated.map(\.0), y: tabulated.map(\.1), label: "tabulated (physics.md §8.1)",
                    marker: Marker(.diamond, size: 4.5, filled: false))
            }
        }
    }

    static func stressFigure() -> Figure {
        let n = 161
        let half = 10.0
        let xs = (0..<n).map { -half + 2 * half * (Double($0) + 0.5) / Double(n) }
        let a = 2.0
        let s = 100.0
        let sx = Field2D(x: xs, y: xs) { x, y in
            x * x + y * y < a * a ? nil : kirsch(x: x, y: y, radius: a, tension: s).sxx
        }
        let sy = Field2D(x: xs, y: xs) { x, y in
            x * x + y * y < a * a ? nil : kirsch(x: x, y: y, radius: a, tension: s).syy
        }
        return Figure(width: .doubleColumn, height: .cm(7.4), columns: 2) {
            Panel(
                title: "σ_{x}: 3S = 300 MPa at the hole's top and bottom",
                x: Axis("x [µm]", niceLimits: false), y: Axis("y [µm]", niceLimits: false),
                colorBar: ColorBar("σ_{x} [MPa]"), aspectRatio: 1
            ) {
                Heatmap(sx, colorMap: .coolWarm, range: .fixed(-300, 300))
                Contours(sx, levels: [125, 150, 200], color: Color(hex: 0x222222), width: 0.6, labelFormat: "%.0f")
                Annotation("σ_{x} = 3S", x: 5.5, y: 6.5, arrowTo: (0.3, 2.1))
            }
            Panel(
                title: "σ_{y}: −S at the hole's sides (remote σ_{x} = S)",
                x: Axis("x [µm]", niceLimits: false), y: Axis("y [µm]", niceLimits: false),
                colorBar: ColorBar("σ_{y} [MPa]"), aspectRatio: 1
            ) {
                Heatmap(sy, colorMap: .coolWarm, range: .symmetric)
                Contours(sy, levels: [-75, -25, 25], color: Color(hex: 0x222222), width: 0.6, labelFormat: "%.0f")
            }
        }
    }

    static func capacityMapFigure() -> Figure {
        let rates = (0..<24).map { 0.1 * pow(20, Double($0) / 23) }  // log-spaced: non-uniform grid
        let thickness = (0..<19).map { 10 + 5 * Double($0) }
        let capacity = Field2D(x: rates, y: thickness) { rate, l in
            surfaceCurve(cRate: rate, thicknessMicrometres: l, points: 1).q.last!
        }
        return Figure(width: .doubleColumn, height: .cm(6.2), columns: 2) {
            Panel(
                title: "Heatmap, labelled contours", x: Axis("C-rate", scale: .log10),
                y: Axis("Cathode thickness [µm]"),
                colorBar: ColorBar("Capacity to θ_{s} = 1 [mAh g^{-1}]")
            ) {
                Heatmap(capacity, colorMap: .viridis)
                Contours(capacity, levels: [25, 50, 100], color: .white, width: 0.9, labelFormat: "%.0f")
                Scatter(
                    x: [1], y: [23.1], label: "paper's cell (23.1 µm, 1C)", color: .white,
                    marker: Marker(.diamond, size: 5))
            }
            Panel(
                title: "Filled contours", x: Axis("C-rate", scale: .log10), y: Axis("Cathode thickness [µm]"),
                colorBar: ColorBar("Capacity [mAh g^{-1}]")
            ) {
                FilledContours(capacity, levels: [0, 10, 25, 50, 75, 100, 125], colorMap: .magma)
                Contours(
                    capacity, levels: [100], color: .white, width: 1.0, dash: .dashed, labelFormat: "%.0f",
                    labelSuffix: " mAh g^{-1}")
            }
        }
    }

    static func barsFigure() -> Figure {
        // Theoretical electrode-level energy densities vs CAM wt % (physics.md §5.1 table, ρ_rest = 1.90 g cm⁻³).
        let cats = ["50", "60", "70", "80", "90", "95", "dense"]
        let eg = [263.0, 316, 368, 421, 473, 500, 526]
        let ev = [689.0, 909, 1178, 1514, 1946, 2211, 2521]
        // Mass breakdown (mg cm⁻²) of the three Fig. 1(a) stacks from physics.md §6.2.
        let designs = ["Gr | comp.", "Li | comp.", "Li | dense"]
        return Figure(width: .doubleColumn, height: .cm(6.4), columns: 2) {
            Panel(
                title: "Grouped bars, second y axis, target", x: Axis("CAM content [wt%]"),
                y: Axis("Gravimetric [Wh kg^{-1}]"),
                y2: Axis("Volumetric [Wh L^{-1}]"), legend: .below
            ) {
                BarChart(
                    categories: cats,
                    series: [BarSeries("Wh kg^{-1}", values: eg), BarSeries("Wh L^{-1}", values: ev, axis: .right)],
                    valueFormat: "%.0f",
                    targets: [
                        BarTarget("dense theoretical, 526 Wh kg^{-1}", values: Array(repeating: 526, count: cats.count))
                    ])
            }
            Panel(
                title: "Stacked bars", x: Axis("Anode | LCO cathode"), y: Axis("Areal mass [mg cm^{-2}]"),
                legend: .outsideRight
            ) {
                BarChart(
                    categories: designs,
                    series: [
                        BarSeries("anode", values: [5.73, 0.60, 0.60]),
                        BarSeries("separator", values: [13.99, 13.99, 13.99]),
                        BarSeries("cathode", values: [15.82, 15.82, 11.07]),
                    ], mode: .stacked, valueFormat: "%.1f")
            }
        }
    }

    static func sharedAxesFigure() -> Figure {
        let xi = (0...60).map { Double($0) / 60 }
        let fluxes = [0.25, 0.5, 0.75, 1]
        return Figure(width: .doubleColumn, height: .cm(9), rows: 2, columns: 2, sharedX: true, sharedY: true) {
            for (k, f) in fluxes.enumerated() {
                Panel(
                    title: RichText("F_{0}L/(Dc_{max}) = \(f)"),
                    x: Axis("Normalised depth x/L"), y: Axis("c/c_{max}"), legend: k == 0 ? .auto : .none
                ) {
                    for tau in [0.02, 0.05, 0.1, 0.15] {
                        Line(x: xi, y: xi.map { 0.5435 + f * slabProfile($0, tau) }, label: "τ = Dt/L^{2} = \(tau)")
                    }
                    ReferenceLine(.horizontal, at: 1, label: "c_{max}")
                }
            }
        }
    }

    static func colourMapsFigure() -> Figure {
        let xs = (0..<90).map { -3 + 6 * (Double($0) + 0.5) / 90 }
        let radial = Field2D(x: xs, y: xs) { x, y in
            let r = (x * x + y * y).squareRoot()
            return r < 0.6 ? nil : cos(2 * r) * exp(-r / 3)
        }
        let maps: [ColorMap] = [.viridis, .magma, .cividis, .coolWarm]
        return Figure(width: .doubleColumn, height: .cm(4.2), columns: 4) {
            for m in maps {
                Panel(
                    title: RichText(m.rawValue), x: Axis("x [µm]", niceLimits: false),
                    y: Axis("y [µm]", niceLimits: false),
                    colorBar: ColorBar("value"), aspectRatio: 1
                ) {
                    Heatmap(radial, colorMap: m)
                }
            }
        }
    }

    static func interpolate(_ xs: [Double], _ ys: [Double], _ x: Double) -> Double {
        guard let k = xs.firstIndex(where: { $0 >= x }) else { return ys.last! }
        if k == 0 { return ys[0] }
        let t = (x - xs[k - 1]) / (xs[k] - xs[k - 1])
        return ys[k - 1] + t * (ys[k] - ys[k - 1])
    }
}
