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
