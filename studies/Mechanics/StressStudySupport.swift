import CathodeModels
import Foundation
import Materials
import Plotting

/// Helpers shared by the stress studies (paper Figs. 5e–f, S9, S10).
enum StressMaps {
    /// A per-cell stress array [Pa] of a 2D result as a field over (y, x) in µm, in MPa, holes masked.
    static func field(_ values: [Double], of d: Dense2DResult) -> Field2D {
        let xs = (0..<d.ny).map { (Double($0) + 0.5) * d.width / Double(d.ny) * 1e6 }
        let ys = (0..<d.nx).map { (Double($0) + 0.5) * d.thickness / Double(d.nx) * 1e6 }
        let mask = d.snapshots[0].map(\.isNaN)
        return Field2D(x: xs, y: ys, values: values.map { $0 / 1e6 }, mask: mask.contains(true) ? mask : nil)
    }

    /// A symmetric colour limit [MPa]: the 99.5th percentile of |σ| over every array (so that a few singular
    /// hotspot cells do not wash out the field; they saturate), rounded up to a multiple of 500 MPa.
    static func symmetricLimit(_ arrays: [[Double]]) -> Double {
        let magnitudes = arrays.flatMap { $0 }.map { abs($0) / 1e6 }.sorted()
        guard !magnitudes.isEmpty else { return 500 }
        let p = magnitudes[min(magnitudes.count - 1, Int(0.995 * Double(magnitudes.count)))]
        return max(500, (p / 500).rounded(.up) * 500)
    }

    /// Open circles at the hotspots (positions in the map's (y, x) µm frame).
    static func markers(_ spots: [StressHotspot]) -> Scatter {
        Scatter(
            x: spots.map { $0.y * 1e6 }, y: spots.map { $0.x * 1e6 }, color: .black,
            marker: Marker(.circle, size: 4, filled: false))
    }

    /// The laterally constrained film estimate of physics.md §4.7 for oriented grains (c-axis along y) at a
    /// uniform Δθ: σ_yy = −E(ε_c + ν ε_a)/(1 − ν²) [Pa].
    static func filmStressYY(
        theta: Double, reference: Double, youngsModulus e: Double,
        poissonRatio nu: Double = ElasticConstants.lcoPoissonRatio
    ) -> Double {
        let (ea, ec) = LatticeStrainLaw.kim2004Linear.strain(theta, reference: reference)
        return -e * (ec + nu * ea) / (1 - nu * nu)
    }

    /// Mean over the solid cells of a grain-orientation class (|φ| < 45° = oriented).
    static func meanOverOriented(_ values: [Double], microstructure m: Microstructure) -> Double {
        let cells = (0..<(m.nx * m.ny)).filter { !m.hole[$0] && abs(cos(m.grainAngles[m.grain[$0]])) > 0.7071 }
        return cells.reduce(0) { $0 + values[$1] } / Double(max(cells.count, 1))
    }

    /// Snapshot capacities as panel titles.
    static func title(_ s: StressSnapshot, last: Bool) -> RichText {
        RichText(String(format: "%.0f mAh g^{-1}%@", s.capacityMilliampHoursPerGram, last ? " (end)" : ""))
    }
}
