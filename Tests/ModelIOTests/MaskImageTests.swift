import CZlib
import CathodeModels
import Foundation
import ModelIO
import Testing

/// Hostile image headers and data: every one is an error naming the file, never a crash or a silent partial mask.
@Suite struct MaskImageTests {
    /// A PNG chunk: length, type, data, CRC-32 over type and data (W3C PNG specification §5.3).
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        let crc = body.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
        func be(_ v: UInt32) -> [UInt8] {
            [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
        }
        return be(UInt32(data.count)) + body + be(crc)
    }

    /// An 8-bit greyscale PNG whose IHDR says `width` × `height` but whose image data holds `rows` rows.
    static func png(width: Int, height: Int, rows: Int, headerLength: Int = 13) -> [UInt8] {
        var raw: [UInt8] = []
        for _ in 0..<rows { raw += [0] + [UInt8](repeating: 0, count: width) }
        var compressedLength = compressBound(uLong(raw.count))
        var compressed = [UInt8](repeating: 0, count: Int(compressedLength))
        _ = compress2(&compressed, &compressedLength, raw, uLong(raw.count), 9)
        func be(_ v: Int) -> [UInt8] {
            [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
        }
        let header = Array((be(width) + be(height) + [8, 0, 0, 0, 0]).prefix(headerLength))
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header)
            + chunk("IDAT", Array(compressed.prefix(Int(compressedLength)))) + chunk("IEND", [])
    }

    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let bytes: [UInt8]
        let expected: String
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "PGM pixel above maxval", bytes: Array("P2\n2 2\n100\n0 50 101 0\n".utf8),
            expected: "is 101, above the maximum value 100"),
        Case(
            name: "PGM size that overflows", bytes: Array("P5\n99999999999999999999999 2\n255\n".utf8),
            expected: "the PGM width is too large"),
        Case(
            name: "PGM larger than the grid limit", bytes: Array("P5\n6000 6000\n255\n".utf8), expected: "at most 5000"),
        Case(name: "PGM of 0 × 0 pixels", bytes: Array("P5\n0 0\n255\n".utf8), expected: "0 × 0 pixels"),
        Case(
            name: "PGM with truncated data", bytes: Array("P5\n4 4\n255\n".utf8) + [0, 0, 0],
            expected: "holds 3 of 16 pixels"),
        Case(name: "PGM 16-bit", bytes: Array("P5\n2 2\n65535\n".utf8), expected: "only 8-bit PGM"),
        Case(
            name: "PNG with an IHDR of length 0", bytes: png(width: 4, height: 4, rows: 4, headerLength: 0),
            expected: "IHDR has length 0"),
        Case(
            name: "PNG whose data holds half the rows", bytes: png(width: 4, height: 4, rows: 2),
            expected: "holds 2 of 4 rows"),
        Case(
            name: "PNG whose data holds more rows", bytes: png(width: 4, height: 2, rows: 4),
            expected: "more than the 2 rows"),
        Case(
            name: "PNG with an overflowing size", bytes: png(width: 0x7FFF_FFFF, height: 0x7FFF_FFFF, rows: 1),
            expected: "at most 5000"),
        Case(
            name: "PNG cut off inside a chunk", bytes: Array(png(width: 4, height: 4, rows: 4).prefix(40)),
            expected: "truncated file"),
    ]

    @Test(arguments: cases)
    func rejected(_ c: Case) {
        do {
            _ = try MaskImage.decode(c.bytes, path: "mask.img")
            Issue.record("\(c.name): accepted")
        } catch {
            #expect("\(error)".contains("mask.img") && "\(error)".contains(c.expected), "\(c.name): \(error)")
        }
    }

    /// A well-formed PNG decodes to the stated size.
    @Test func wellFormedPNG() throws {
        let image = try MaskImage.decode(Self.png(width: 5, height: 3, rows: 3), path: "ok.png")
        #expect(image.width == 5 && image.height == 3 && image.grey.allSatisfy { $0 == 0 })
    }
}
