import Foundation
import Testing
import CathodeModels
import ModelIO
import ResultStore

/// Masks from images, microstructure JSON, .npy output.
@Suite struct MicrostructureIOTests {
    func write(_ bytes: [UInt8], _ ext: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mask-\(UUID().uuidString).\(ext)")
        try Data(bytes).write(to: url)
        return url.path
    }

    /// A P5 (binary) and a P2 (text) PGM of the same 4 × 3 mask give the same holes; row 0 is the interface.
    @Test func pgmMasks() throws {
        let pixels: [UInt8] = [0, 0, 255, 0, 0, 0, 0, 0, 255, 0, 0, 0]
        let p5 = try write(Array("P5\n# test\n4 3\n255\n".utf8) + pixels, "pgm")
        let p2 = try write(Array("P2\n4 3\n255\n\(pixels.map(String.init).joined(separator: " "))\n".utf8), "pgm")
        let a = try MaskImage.read(path: p5)
        let b = try MaskImage.read(path: p2)
        #expect(a == b && a.width == 4 && a.height == 3)
        let m = MaskImage.microstructure(a, thickness: 3e-6, width: 4e-6)
        #expect(m.hole[m.index(2, 2)] && m.hole[m.index(0, 0)])  // top-row pixel (0, 2) → cell (nx − 1, 2)
        #expect(!m.contact[2] && m.contact[0])
    }

    @Test func unreadableMasksAreNamed() throws {
        #expect(throws: MaskImage.ReadError.self) { try MaskImage.read(path: "/nonexistent.png") }
        let junk = try write(Array("hello".utf8), "png")
        do { _ = try MaskImage.read(path: junk) } catch { #expect("\(error)".contains("neither PGM")) }
    }

    /// A microstructure survives JSON and reproduces the same run.
    @Test func microstructureRoundTripsThroughJSON() throws {
        var m = Microstructure.uniform(nx: 12, ny: 10, thickness: 20e-6, width: 10e-6)
        m.setVoronoiGrains(count: 4, seed: 3, misoriented: 0.25)
        m.setRandomContact(fraction: 0.8, meanGap: 2e-6, seed: 5)
        m.addHole(x: 8e-6, y: 5e-6, semiAxisX: 1e-6, semiAxisY: 1e-6)
        let data = try JSONEncoder().encode(m)
        let back = try JSONDecoder().decode(Microstructure.self, from: data)
        #expect(back == m)
        #expect(abs(m.contactFraction - 0.8) <= 1.0 / 10 + 1e-12)
    }

    /// The .npy header follows NumPy format 1.0 and the data are the little-endian doubles.
    @Test func npyLayout() {
        let d = NumpyArray.encode([1, 2, 3, 4, 5, 6], shape: [2, 3])
        let b = [UInt8](d)
        #expect(Array(b.prefix(8)) == [0x93] + Array("NUMPY".utf8) + [1, 0])
        let headerLength = Int(b[8]) | Int(b[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        let header = String(decoding: b[10..<(10 + headerLength)], as: UTF8.self)
        #expect(header.contains("'descr': '<f8'") && header.contains("'shape': (2, 3)") && header.hasSuffix("\n"))
        let first = b[(10 + headerLength)..<(18 + headerLength)].enumerated().reduce(UInt64(0)) {
            $0 | UInt64($1.element) << (8 * UInt64($1.offset))
        }
        #expect(Double(bitPattern: first) == 1)
        #expect(b.count == 10 + headerLength + 48)
    }
}
