import Foundation

/// A complex number x + iy in double precision: the arithmetic of small-signal (frequency-domain) solves.
///
/// Division uses Smith's algorithm (R. L. Smith, *Commun. ACM* 5, 435 (1962)), which avoids overflow when the
/// divisor's parts differ by many orders of magnitude (a capacitor at 1 mHz beside a resistor); the square root
/// is the principal branch (Re ≥ 0), as the finite-length Warburg element needs.
public struct Complex: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    public var real: Double
    public var imaginary: Double

    @inline(__always) public init(_ real: Double, _ imaginary: Double = 0) {
        self.real = real
        self.imaginary = imaginary
    }

    public static let zero = Complex(0, 0)
    public static let one = Complex(1, 0)
    /// The imaginary unit j (electrochemists' notation).
    public static let j = Complex(0, 1)

    public var conjugate: Complex { Complex(real, -imaginary) }
    /// |z| without intermediate overflow.
    public var magnitude: Double { hypot(real, imaginary) }
    /// arg z in radians, in (−π, π].
    public var phase: Double { atan2(imaginary, real) }
    public var isFinite: Bool { real.isFinite && imaginary.isFinite }

    public var description: String { String(format: "%.6g%@%.6gj", real, imaginary < 0 ? "−" : "+", abs(imaginary)) }

    @inline(__always) public static func + (a: Complex, b: Complex) -> Complex {
        Complex(a.real + b.real, a.imaginary + b.imaginary)
    }
    @inline(__always) public static func - (a: Complex, b: Complex) -> Complex {
        Complex(a.real - b.real, a.imaginary - b.imaginary)
    }
    @inline(__always) public static prefix func - (a: Complex) -> Complex { Complex(-a.real, -a.imaginary) }
    @inline(__always) public static func * (a: Complex, b: Complex) -> Complex {
        Complex(a.real * b.real - a.imaginary * b.imaginary, a.real * b.imaginary + a.imaginary * b.real)
    }
    @inline(__always) public static func * (a: Double, b: Complex) -> Complex { Complex(a * b.real, a * b.imaginary) }
    @inline(__always) public static func * (a: Complex, b: Double) -> Complex { Complex(a.real * b, a.imaginary * b) }
    @inline(__always) public static func + (a: Complex, b: Double) -> Complex { Complex(a.real + b, a.imaginary) }
    @inline(__always) public static func / (a: Complex, b: Double) -> Complex { Complex(a.real / b, a.imaginary / b) }

    /// Smith's division.
    @inline(__always) public static func / (a: Complex, b: Complex) -> Complex {
        if abs(b.real) >= abs(b.imaginary) {
            let ratio = b.imaginary / b.real
            let denominator = b.real + b.imaginary * ratio
            return Complex((a.real + a.imaginary * ratio) / denominator, (a.imaginary - a.real * ratio) / denominator)
        }
        let ratio = b.real / b.imaginary
        let denominator = b.real * ratio + b.imaginary
        return Complex((a.real * ratio + a.imaginary) / denominator, (a.imaginary * ratio - a.real) / denominator)
    }
    @inline(__always) public static func / (a: Double, b: Complex) -> Complex { Complex(a) / b }

    public static func += (a: inout Complex, b: Complex) { a = a + b }
    public static func -= (a: inout Complex, b: Complex) { a = a - b }
    public static func *= (a: inout Complex, b: Complex) { a = a * b }

    /// Principal square root (Re ≥ 0).
    public func squareRoot() -> Complex {
        let r = magnitude
        if r == 0 { return .zero }
        let x = ((r + abs(real)) / 2).squareRoot()
        if real >= 0 { return Complex(x, imaginary / (2 * x)) }
        return Complex(abs(imaginary) / (2 * x), imaginary >= 0 ? x : -x)
    }

    /// e^z.
    public func exponential() -> Complex {
        let scale = exp(real)
        return Complex(scale * cos(imaginary), scale * sin(imaginary))
    }

    /// coth z = (1 + e^{−2z})/(1 − e^{−2z}) for Re z ≥ 0 (no overflow at large |z|), by symmetry otherwise.
    public func hyperbolicCotangent() -> Complex {
        if real < 0 { return -((-self).hyperbolicCotangent()) }
        let decay = Complex(-2 * real, -2 * imaginary).exponential()
        return (Complex.one + decay) / (Complex.one - decay)
    }

    /// z^p for real p on the principal branch (constant-phase elements: (jω)^n).
    public func power(_ exponent: Double) -> Complex {
        let r = magnitude
        if r == 0 { return .zero }
        let modulus = pow(r, exponent)
        let angle = phase * exponent
        return Complex(modulus * cos(angle), modulus * sin(angle))
    }
}

/// Dense complex linear solve by Gaussian elimination with partial pivoting (by modulus): for the small bordered
/// systems of the interface (one unknown per contact face plus the potential), n up to a few hundred.
public enum ComplexDenseSolver {
    /// Solves A x = b for a row-major n × n matrix `matrix` (overwritten) and right-hand side `rhs` (overwritten
    /// by x). Throws `SolverError.singularMatrix` on a zero pivot.
    public static func solve(matrix: inout [Complex], rhs: inout [Complex], size n: Int) throws {
        precondition(matrix.count == n * n && rhs.count == n, "ComplexDenseSolver.solve: sizes do not match n = \(n)")
        for column in 0..<n {
            var pivot = column
            var best = matrix[column * n + column].magnitude
            for row in (column + 1)..<max(n, column + 1) where row < n {
                let size = matrix[row * n + column].magnitude
                if size > best {
                    best = size
                    pivot = row
                }
            }
            if !(best > 0) { throw SolverError.singularMatrix(row: column) }
            if pivot != column {
                for k in 0..<n { matrix.swapAt(column * n + k, pivot * n + k) }
                rhs.swapAt(column, pivot)
            }
            let inverse = Complex.one / matrix[column * n + column]
            for row in (column + 1)..<max(n, column + 1) where row < n {
                let factor = matrix[row * n + column] * inverse
                if factor.real == 0 && factor.imaginary == 0 { continue }
                for k in column..<n { matrix[row * n + k] -= factor * matrix[column * n + k] }
                rhs[row] -= factor * rhs[column]
            }
        }
        for row in stride(from: n - 1, through: 0, by: -1) {
            var sum = rhs[row]
            for k in (row + 1)..<max(n, row + 1) where k < n { sum -= matrix[row * n + k] * rhs[k] }
            rhs[row] = sum / matrix[row * n + row]
        }
    }
}

/// Linear least squares min ‖A x − b‖₂ by Householder QR (G. H. Golub and C. F. Van Loan, *Matrix Computations*,
/// 4th ed., §5.3): numerically safer than the normal equations for the ill-conditioned bases of Kramers–Kronig
/// tests. A is m × n row-major with m ≥ n.
public enum LinearLeastSquares {
    public static func solve(matrix: [Double], rows m: Int, columns n: Int, rhs: [Double]) throws -> [Double] {
        precondition(matrix.count == m * n && rhs.count == m && m >= n, "LinearLeastSquares.solve: bad sizes")
        var a = matrix
        var b = rhs
        var diagonal = [Double](repeating: 0, count: n)
        for k in 0..<n {
            var norm = 0.0
            for i in k..<m { norm = hypot(norm, a[i * n + k]) }
            if norm == 0 { throw SolverError.singularMatrix(row: k) }
            let alpha = a[k * n + k] > 0 ? -norm : norm
            // v = x − αe₁ stored in place of column k (rows k…m−1).
            a[k * n + k] -= alpha
            var vNormSquared = 0.0
            for i in k..<m { vNormSquared += a[i * n + k] * a[i * n + k] }
            if vNormSquared > 0 {
                for c in (k + 1)..<max(n, k + 1) where c < n {
                    var dot = 0.0
                    for i in k..<m { dot += a[i * n + k] * a[i * n + c] }
                    let scale = 2 * dot / vNormSquared
                    for i in k..<m { a[i * n + c] -= scale * a[i * n + k] }
                }
                var dot = 0.0
                for i in k..<m { dot += a[i * n + k] * b[i] }
                let scale = 2 * dot / vNormSquared
                for i in k..<m { b[i] -= scale * a[i * n + k] }
            }
            diagonal[k] = alpha
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var sum = b[row]
            for c in (row + 1)..<max(n, row + 1) where c < n { sum -= a[row * n + c] * x[c] }
            x[row] = sum / diagonal[row]
        }
        return x
    }
}
