/// A deterministic Latin-hypercube design (M. D. McKay, R. J. Beckman, W. J. Conover, *Technometrics* 21, 239
/// (1979)): `count` points in the unit cube [0, 1)^dimensions such that each coordinate's `count` equal strata
/// hold exactly one point, each point at the centre of its stratum; strata are paired across dimensions by
/// independent permutations drawn from a seeded SplitMix64 generator, so the same seed gives the same design.
public enum LatinHypercube {
    public static func design(count: Int, dimensions: Int, seed: UInt64) -> [[Double]] {
        precondition(count >= 1 && dimensions >= 1, "a design needs at least one point and one dimension")
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var points = [[Double]](repeating: [Double](repeating: 0, count: dimensions), count: count)
        for dimension in 0..<dimensions {
            var strata = Array(0..<count)
            for k in stride(from: count - 1, to: 0, by: -1) {
                let j = Int(next() % UInt64(k + 1))
                strata.swapAt(k, j)
            }
            for k in 0..<count { points[k][dimension] = (Double(strata[k]) + 0.5) / Double(count) }
        }
        return points
    }
}
