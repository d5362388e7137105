/// Dense LU factorisation with partial pivoting, P A = L U, stored row-major in one contiguous buffer
/// (Golub and Van Loan, Matrix Computations, 4th ed., Algorithm 3.4.1). Factorising costs n³/3 multiply-adds and
/// each solve n²: a Newton iteration that keeps its Jacobian (a chord iteration) pays only the solve.
public struct DenseLU: Sendable {
    public let size: Int
    /// L (unit diagonal, below) and U (on and above the diagonal), row-major.
    private var factors: [Double]
    /// Row interchanged with row k at step k.
    private var pivots: [Int]

    /// Factorises a square matrix given as rows; nil when a pivot vanishes (|pivot| ≤ 1e-300).
    public init?(rows: [[Double]]) {
        let n = rows.count
        precondition(rows.allSatisfy { $0.count == n }, "DenseLU needs a square matrix of \(n) rows")
        var rowMajor = [Double](repeating: 0, count: n * n)
        for row in 0..<n {
            for column in 0..<n { rowMajor[row * n + column] = rows[row][column] }
        }
        self.init(rowMajor: rowMajor, size: n)
    }

    /// Factorises the n × n matrix stored row-major in `rowMajor`; nil when a pivot vanishes.
    public init?(rowMajor: [Double], size n: Int) {
        precondition(rowMajor.count == n * n, "DenseLU: \(rowMajor.count) entries for a \(n) × \(n) matrix")
        size = n
        factors = rowMajor
        pivots = [Int](repeating: 0, count: n)
        let regular = factors.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let matrix = buffer.baseAddress else { return true }
            for column in 0..<n {
                var pivotRow = column
                var largest = abs(matrix[column * n + column])
                for row in (column + 1)..<n where abs(matrix[row * n + column]) > largest {
                    largest = abs(matrix[row * n + column])
                    pivotRow = row
                }
                guard largest > 1e-300 else { return false }
                pivots[column] = pivotRow
                if pivotRow != column {
                    for k in 0..<n { swap(&matrix[column * n + k], &matrix[pivotRow * n + k]) }
                }
                let pivotPointer = matrix + column * n
                let inversePivot = 1 / pivotPointer[column]
                for row in (column + 1)..<n {
                    let rowPointer = matrix + row * n
                    let factor = rowPointer[column] * inversePivot
                    rowPointer[column] = factor
                    if factor == 0 { continue }
                    for k in (column + 1)..<n { rowPointer[k] -= factor * pivotPointer[k] }
                }
            }
            return true
        }
        guard regular else { return nil }
    }

    /// Overwrites b with A⁻¹ b.
    public func solve(_ b: inout [Double]) {
        let n = size
        precondition(b.count == n, "DenseLU.solve: right side of \(b.count) for size \(n)")
        factors.withUnsafeBufferPointer { buffer in
            b.withUnsafeMutableBufferPointer { rhs in
                guard let matrix = buffer.baseAddress, let x = rhs.baseAddress else { return }
                for row in 0..<n where pivots[row] != row { swap(&x[row], &x[pivots[row]]) }
                for row in 0..<n {
                    let rowPointer = matrix + row * n
                    var sum = x[row]
                    for k in 0..<row { sum -= rowPointer[k] * x[k] }
                    x[row] = sum
                }
                var row = n - 1
                while row >= 0 {
                    let rowPointer = matrix + row * n
                    var sum = x[row]
                    for k in (row + 1)..<n { sum -= rowPointer[k] * x[k] }
                    x[row] = sum / rowPointer[row]
                    row -= 1
                }
            }
        }
    }
}
