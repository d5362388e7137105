import Foundation
import ResultStore
import Testing

/// `.npy` headers parsed with overflow-checked arithmetic, and the strict JSON reader's refusals.
@Suite struct NumpyAndJSONTests {
    func npy(_ header: String, data: Int) -> Data {
        var text = header
        while (10 + text.utf8.count + 1) % 64 != 0 { text += " " }
        text += "\n"
        return Data(
            [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(text.utf8.count & 0xFF), UInt8(text.utf8.count >> 8)]
                + Array(text.utf8) + [UInt8](repeating: 0, count: data))
    }

    @Test(arguments: [
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999, 99999999999), }", "holds more than"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (9223372036854775807, 2), }", "holds more than"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (-3, 2), }", "not a non-negative integer"),
        ("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", "not little-endian float64"),
        ("{'descr': '<f8', 'fortran_order': True, 'shape': (2,), }", "Fortran-ordered"),
    ])
    func hostileHeaders(header: String, expected: String) {
        #expect(throws: NumpyArray.DecodeError.self) { try NumpyArray.decode(npy(header, data: 16)) }
        do { _ = try NumpyArray.decode(npy(header, data: 16)) } catch {
            #expect("\(error)".contains(expected), "\(error)")
        }
    }

    @Test func roundTrip() throws {
        let values = [1.5, -2, .pi, 0, 1e-300, 4]
        let (decoded, shape) = try NumpyArray.decode(NumpyArray.encode(values, shape: [2, 3]))
        #expect(decoded == values && shape == [2, 3])
    }

    @Test(arguments: [
        ("{\"a\": 1, \"a\": 2}", "duplicate key 'a'"),
        ("{\"a\": 01}", "expected ',' or '}'"),
        ("{\"a\": NaN}", "unexpected character"),
        ("{\"a\": \"\\x\"}", "invalid escape"),
        ("{\"a\": \"\u{0001}\"}", "control character"),
        ("[" + String(repeating: "[", count: 70) + String(repeating: "]", count: 71), "nesting deeper than 64"),
        ("{} {}", "unexpected text after the JSON value"),
    ])
    func strictJSONRefuses(text: String, expected: String) {
        do {
            _ = try StrictJSON.parse(Data(text.utf8))
            Issue.record("accepted \(text)")
        } catch {
            #expect("\(error)".contains(expected), "\(error)")
        }
    }
}
