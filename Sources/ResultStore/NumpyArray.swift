import Foundation

/// Writes arrays in NumPy's `.npy` format, version 1.0 (numpy.lib.format, NEP 1): the magic string
/// `\x93NUMPY`, version 1.0, a little-endian uint16 header length, an ASCII dict header
/// `{'descr': '<f8', 'fortran_order': False, 'shape': (…), }` padded with spaces to a multiple of 64 bytes
/// and ended by a newline, then the float64 data in C order. `numpy.load` reads the file directly.
public enum NumpyArray {
    public static func encode(_ values: [Double], shape: [Int]) -> Data {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not match \(values.count) values")
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': \(shapeText), }"
        let preamble = 10
        let total = ((preamble + header.utf8.count + 1 + 63) / 64) * 64
        header += String(repeating: " ", count: total - preamble - header.utf8.count - 1) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }
}

extension NumpyArray {
    /// Why a `.npy` file could not be read.
    public struct DecodeError: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { "not a readable .npy array: \(reason)" }
    }

    /// Reads a `.npy` file of versions 1.0–3.0 holding little-endian float64 (`<f8`) or float32 (`<f4`) data in
    /// C order (as `numpy.save` writes by default). Returns the values as Double and the shape.
    /// The largest array `decode` accepts (the 2D grid's 5000 × 5000 limit).
    public static let maximumElements = 25_000_000

    public static func decode(_ data: Data) throws -> (values: [Double], shape: [Int]) {
        let bytes = [UInt8](data)
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw DecodeError(reason: "missing the \\x93NUMPY magic string")
        }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw DecodeError(reason: "truncated header") }
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
            headerStart = 12
        default: throw DecodeError(reason: "format version \(major) is not supported")
        }
        guard bytes.count >= headerStart + headerLength,
            let header = String(bytes: bytes[headerStart..<(headerStart + headerLength)], encoding: .utf8)
        else {
            throw DecodeError(reason: "truncated header")
        }
        func value(of key: String) -> String? {
            guard let r = header.range(of: "'\(key)':") else { return nil }
            return String(header[r.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
        guard let descr = value(of: "descr") else { throw DecodeError(reason: "no 'descr' in the header") }
        let width: Int
        if descr.hasPrefix("'<f8'") {
            width = 8
        } else if descr.hasPrefix("'<f4'") {
            width = 4
        } else {
            throw DecodeError(reason: "dtype \(descr.prefix(8)) is not little-endian float64 or float32")
        }
        if let order = value(of: "fortran_order"), order.hasPrefix("True") {
            throw DecodeError(reason: "Fortran-ordered arrays are not supported (save with C order)")
        }
        guard let shapeText = value(of: "shape"), let open = shapeText.firstIndex(of: "("),
            let close = shapeText.firstIndex(of: ")")
        else {
            throw DecodeError(reason: "no 'shape' in the header")
        }
        var shape: [Int] = []
        for part in shapeText[shapeText.index(after: open)..<close].split(separator: ",") {
            let text = part.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            guard let n = Int(text), n >= 0 else {
                throw DecodeError(reason: "shape entry '\(text)' is not a non-negative integer")
            }
            shape.append(n)
        }
        // The element count with overflow checks, bounded before anything is allocated.
        var count = 1
        for n in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: n)
            guard !overflow, product <= maximumElements else {
                throw DecodeError(reason: "shape \(shape) holds more than \(maximumElements) values")
            }
            count = product
        }
        let start = headerStart + headerLength
        guard bytes.count - start == count * width else {
            throw DecodeError(reason: "\(bytes.count - start) data bytes for shape \(shape) of \(width)-byte numbers")
        }
        var values = [Double](repeating: 0, count: count)
        for k in 0..<count {
            var bits: UInt64 = 0
            for b in 0..<width { bits |= UInt64(bytes[start + k * width + b]) << (8 * UInt64(b)) }
            values[k] = width == 8 ? Double(bitPattern: bits) : Double(Float(bitPattern: UInt32(bits)))
        }
        return (values, shape)
    }
}
