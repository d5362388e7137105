import Foundation
import Testing
@testable import ResultStore

/// The result cache's binary form: every Codable shape round-trips exactly (doubles bit for bit, NaN and ±∞
/// included), the bytes are the same in every process (dictionary keys sorted), and a damaged payload is an error,
/// never a crash.
@Suite struct BinaryCodingTests {
    enum Kind: String, Codable, Equatable { case dense, composite }
    enum Payload: Codable, Equatable {
        case curve([Double])
        case point(x: Double, label: String)
        case nothing
    }
    struct Inner: Codable, Equatable {
        var values: [Double]
        var grid: [[Double]]
        var flags: [Bool]
    }
    struct Sample: Codable, Equatable {
        var name: String
        var count: Int
        var big: UInt64
        var negative: Int64
        var ratio: Double
        var optional: Double?
        var missing: String?
        var kind: Kind
        var payloads: [Payload]
        var inner: Inner
        var table: [String: Double]
        var empty: [Double]
    }

    static let sample = Sample(
        name: "Model A — θ₀", count: -3, big: .max, negative: .min, ratio: 0.1 + 0.2, optional: 2.5, missing: nil,
        kind: .composite,
        payloads: [.curve([1, .nan, -.infinity]), .point(x: 1e-300, label: ""), .nothing],
        inner: Inner(
            values: [0, -0.0, .greatestFiniteMagnitude, .leastNonzeroMagnitude], grid: [[1, 2], [], [3]],
            flags: [true, false]),
        table: ["zeta": 1, "alpha": 2, "mid": 3, "beta": 4], empty: [])

    /// Equality with NaN compared by bits.
    static func bits(_ s: Sample) -> [UInt64] {
        var out: [UInt64] = []
        for p in s.payloads { if case .curve(let c) = p { out += c.map(\.bitPattern) } }
        return out + s.inner.values.map(\.bitPattern) + [s.ratio.bitPattern]
    }

    @Test func roundTripsEveryShapeExactly() throws {
        let data = try BinaryCoding.encode(Self.sample)
        let back = try BinaryCoding.decode(Sample.self, from: data)
        #expect(Self.bits(back) == Self.bits(Self.sample))
        var a = back
        var b = Self.sample
        a.payloads[0] = .nothing
        b.payloads[0] = .nothing
        #expect(a == b)
        // Packed doubles are 8 bytes each: the encoding of 1000 doubles is about 8 kB, not the ~20 kB of JSON text.
        let thousand = try BinaryCoding.encode((0..<1000).map { Double($0) * 0.001 + 1 / 3 })
        #expect(thousand.count == 1 + 4 + 8000)
    }

    /// A dictionary iterates in a per-process seeded order; sorted keys make the bytes independent of it (the bytes
    /// of a setup are its cache key, so this is what lets shards on different machines agree).
    @Test func bytesDoNotDependOnDictionaryOrder() throws {
        var shuffled: [String: Double] = [:]
        for key in ["beta", "mid", "alpha", "zeta"] { shuffled[key] = Self.sample.table[key] }
        var other = Self.sample
        other.table = shuffled
        #expect(try BinaryCoding.encode(other) == BinaryCoding.encode(Self.sample))
        let big = Dictionary(uniqueKeysWithValues: (0..<200).map { ("k\($0)", Double($0)) })
        let rebuilt = Dictionary(uniqueKeysWithValues: big.sorted { $0.key > $1.key }.map { ($0.key, $0.value) })
        #expect(try BinaryCoding.encode(big) == BinaryCoding.encode(rebuilt))
    }

    @Test func damagedPayloadsAreErrors() throws {
        let data = try BinaryCoding.encode(Self.sample)
        for cut in [1, data.count / 3, data.count - 1] {
            #expect(throws: BinaryCoding.DecodingError.self) {
                try BinaryCoding.decode(Sample.self, from: data.prefix(cut))
            }
        }
        var wrongTag = data
        wrongTag[0] = 0xEE
        #expect(throws: BinaryCoding.DecodingError.self) { try BinaryCoding.decode(Sample.self, from: wrongTag) }
        #expect(throws: BinaryCoding.DecodingError.self) {
            try BinaryCoding.decode(Sample.self, from: data + Data([0]))
        }
        #expect(throws: (any Error).self) { try BinaryCoding.decode(Inner.self, from: data) }
    }
}
