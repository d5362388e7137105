import Foundation

/// The capacity-equivalent diffusivity of a microstructure: the reference diffusivity D_ref of the 1D model's
/// law (Model A, same cell otherwise) whose discharge at the same C-rate delivers the same capacity as the
/// microstructure's 2D discharge. It places a resolved microstructure on the D_eff axis of the paper's
/// Fig. 6(b) by what it delivers, beside the homogenised tensor (physics.md §3.8), which measures steady
/// transport between the two faces with the whole top face held at one concentration, contact or not.
///
/// Solved by bisection in log₁₀ D over [1e-11, 1e-6] cm² s⁻¹ (the 1D capacity rises monotonically with D) to
/// 1e-4 in log₁₀ D, about 0.02 % in D; a capacity outside the range the bracket can deliver is an error.
public enum CapacityEquivalentDiffusivity {
    public struct Result: Sendable, Equatable {
        /// D_ref [cm² s⁻¹] of the 1D law that reproduces the capacity.
        public let diffusivityCm2PerS: Double
        /// The 1D capacity at that D [mAh g⁻¹] and the number of 1D runs it took.
        public let capacity: Double
        public let runs: Int
    }

    public static func solve(capacity target: Double, cRate: Double, cell: Dense1DCell, cells: Int = 60) throws
        -> Result
    {
        var runs = 0
        func capacity(_ log10D: Double) throws -> Double {
            var setup = Dense1DSetup(cell: cell, protocolSettings: Dense1DProtocol(cRate: cRate))
            setup.cell.diffusivity = cell.diffusivity.withReference(pow(10, log10D) * 1e-4)
            setup.numerics.cells = cells
            runs += 1
            return try Dense1DModel(setup).run().capacity
        }
        var lo = -11.0
        var hi = -6.0
        let qLo = try capacity(lo)
        let qHi = try capacity(hi)
        guard target >= qLo, target <= qHi else {
            throw ModelInputError.outOfRange(
                parameter: "capacity", value: target,
                allowed: String(
                    format: "[%.2f, %.2f] (what the 1D model delivers for D between 1e-11 and 1e-6 cm² s⁻¹)", qLo, qHi),
                unit: "mAh g⁻¹")
        }
        while hi - lo > 1e-4 {
            let mid = 0.5 * (lo + hi)
            if try capacity(mid) < target { lo = mid } else { hi = mid }
        }
        let d = 0.5 * (lo + hi)
        return Result(diffusivityCm2PerS: pow(10, d), capacity: try capacity(d), runs: runs)
    }
}
