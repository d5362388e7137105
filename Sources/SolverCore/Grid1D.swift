import Foundation

/// A cell-centred finite-volume grid on [0, L].
///
/// Cells k = 0 … N−1 have widths `widths[k]`, faces `faces[k]` … `faces[k+1]` and centres
/// `centres[k]`; `centreSpacing[k]` is the distance between centres k−1 and k (k = 1 … N−1).
///
/// - `uniform(length:cells:)`: all widths L/N.
/// - `graded(length:cells:ratio:)`: widths shrink geometrically towards x = L, wₖ₊₁ = r·wₖ with
///   0 < r ≤ 1, so the boundary where the flux enters (the cathode/electrolyte interface) is resolved
///   finest. A ratio of at most 1/1.1 between neighbours keeps the scheme second order (Ferziger and
///   Perić, *Computational Methods for Fluid Dynamics*, 3rd ed., §3.3.3).
public struct Grid1D: Sendable, Equatable {
    public let length: Double
    public let widths: [Double]
    public let faces: [Double]
    public let centres: [Double]
    public let centreSpacing: [Double]

    public var count: Int { widths.count }

    public init(widths: [Double]) {
        precondition(!widths.isEmpty && widths.allSatisfy { $0 > 0 }, "Grid1D needs positive widths")
        self.widths = widths
        var f = [0.0]
        for w in widths { f.append(f.last! + w) }
        faces = f
        length = f.last!
        centres = (0..<widths.count).map { 0.5 * (f[$0] + f[$0 + 1]) }
        var spacing = [Double](repeating: 0, count: widths.count)
        for k in 1..<max(widths.count, 1) { spacing[k] = 0.5 * (widths[k - 1] + widths[k]) }
        centreSpacing = spacing
    }

    public static func uniform(length: Double, cells: Int) -> Grid1D {
        Grid1D(widths: Array(repeating: length / Double(cells), count: cells))
    }

    /// Geometric grading towards x = L with neighbour ratio `ratio` (≤ 1; 1 is uniform).
    public static func graded(length: Double, cells: Int, ratio: Double) -> Grid1D {
        guard ratio != 1 else { return uniform(length: length, cells: cells) }
        let w0 = length * (1 - ratio) / (1 - pow(ratio, Double(cells)))
        var widths = (0..<cells).map { w0 * pow(ratio, Double($0)) }
        // Make the widths sum to L exactly.
        let s = widths.reduce(0, +)
        widths = widths.map { $0 * length / s }
        return Grid1D(widths: widths)
    }
}
