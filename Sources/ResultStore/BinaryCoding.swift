import Foundation

/// A compact, deterministic binary form of any `Codable` value, for the result cache: model results are mostly
/// arrays of doubles, which JSON spends 2–3 ms per run turning into text and back; here a `[Double]` is its raw
/// little-endian bytes, read back with one copy.
///
/// Grammar (little-endian; `u32` = UInt32):
/// ```
/// value   = tag:u8 body
/// tag 0   nil                      tag 1  bool (u8)          tag 2  Int64           tag 3  UInt64
/// tag 4   Double (IEEE 754 bits)   tag 5  string (u32 length, UTF-8 bytes)
/// tag 6   keyed   (u32 bytes, u32 count, count × (string key, value))   — sorted by key
/// tag 7   unkeyed (u32 bytes, u32 count, count × value)
/// tag 8   doubles (u32 count, count × 8 bytes)                          — a [Double]
/// ```
/// `bytes` is the length of what follows it, so a reader skips a container without parsing it. The same value
/// always gives the same bytes in every process (keys sorted — a Dictionary's own order is seeded per process — and
/// no padding).
public enum BinaryCoding {
    enum Tag: UInt8 { case null = 0, bool, int, uint, double, string, keyed, unkeyed, doubles }

    public struct DecodingError: Error, CustomStringConvertible {
        public let reason: String
        public let path: String
        public var description: String { "binary payload: \(reason)\(path.isEmpty ? "" : " at \(path)")" }
    }

    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let root = Node()
        try NodeEncoder.encode(value, into: root, codingPath: [])
        var writer = ByteWriter()
        root.write(to: &writer)
        return Data(writer.bytes)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let bytes = [UInt8](data)
        return try bytes.withUnsafeBytes { buffer in
            let reader = Reader(buffer: buffer)
            let (value, end) = try reader.value(at: 0, path: [])
            guard end == buffer.count else {
                throw DecodingError(reason: "\(buffer.count - end) bytes after the value", path: "")
            }
            return try NodeDecoder.decode(T.self, reader: reader, value: value, codingPath: [])
        }
    }
}

// MARK: - Encoding

/// The encoder's tree: one node per value, filled by the containers (children in stored arrays, appended in place).
final class Node {
    enum Content {
        case empty, null, bool(Bool), int(Int64), uint(UInt64), double(Double), string(String), doubles([Double])
        case keyed, unkeyed
    }
    var content: Content = .empty
    /// Keys of a keyed node (parallel to `children`).
    var keys: [String] = []
    var children: [Node] = []

    func write(to writer: inout ByteWriter) {
        switch content {
        case .empty, .null: writer.tag(.null)
        case .bool(let b):
            writer.tag(.bool)
            writer.bytes.append(b ? 1 : 0)
        case .int(let i):
            writer.tag(.int)
            writer.integer(UInt64(bitPattern: i))
        case .uint(let u):
            writer.tag(.uint)
            writer.integer(u)
        case .double(let d):
            writer.tag(.double)
            writer.integer(d.bitPattern)
        case .string(let s):
            writer.tag(.string)
            writer.string(s)
        case .doubles(let values):
            writer.tag(.doubles)
            writer.u32(values.count)
            writer.bytes.reserveCapacity(writer.bytes.count + 8 * values.count)
            for v in values { writer.integer(v.bitPattern) }
        case .keyed:
            writer.tag(.keyed)
            let lengthAt = writer.reserveLength()
            writer.u32(children.count)
            // Sorted by key: a Dictionary encodes its entries in its (per-process seeded) iteration order.
            for index in keys.indices.sorted(by: { keys[$0] < keys[$1] }) {
                writer.string(keys[index])
                children[index].write(to: &writer)
            }
            writer.fillLength(endingAt: lengthAt)
        case .unkeyed:
            writer.tag(.unkeyed)
            let lengthAt = writer.reserveLength()
            writer.u32(children.count)
            for node in children { node.write(to: &writer) }
            writer.fillLength(endingAt: lengthAt)
        }
    }
}

struct ByteWriter {
    var bytes: [UInt8] = []
    mutating func tag(_ t: BinaryCoding.Tag) { bytes.append(t.rawValue) }
    mutating func integer(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u32(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        u32(utf8.count)
        bytes.append(contentsOf: utf8)
    }
    /// Reserves the u32 length field of a container; returns the offset just after it.
    mutating func reserveLength() -> Int {
        bytes.append(contentsOf: [0, 0, 0, 0])
        return bytes.count
    }
    /// Writes into the length field ending at `end` the number of bytes written after it.
    mutating func fillLength(endingAt end: Int) {
        let length = UInt32(bytes.count - end).littleEndian
        withUnsafeBytes(of: length) { raw in for i in 0..<4 { bytes[end - 4 + i] = raw[i] } }
    }
}

struct NodeEncoder: Encoder {
    let node: Node
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .keyed = node.content {} else { node.content = .keyed }
        return KeyedEncodingContainer(KeyedEncoding<Key>(node: node, codingPath: codingPath))
    }
    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .unkeyed = node.content {} else { node.content = .unkeyed }
        return UnkeyedEncoding(node: node, codingPath: codingPath)
    }
    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleEncoding(node: node, codingPath: codingPath)
    }

    /// Encodes `value` into `node`: a `[Double]` packed, anything else through its own `encode(to:)`.
    static func encode<T: Encodable>(_ value: T, into node: Node, codingPath: [any CodingKey]) throws {
        switch value {
        case let doubles as [Double]: node.content = .doubles(doubles)
        case let d as Double: node.content = .double(d)
        case let s as String: node.content = .string(s)
        case let i as Int: node.content = .int(Int64(i))
        case let b as Bool: node.content = .bool(b)
        default: try value.encode(to: NodeEncoder(node: node, codingPath: codingPath))
        }
    }
}

struct KeyedEncoding<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: Node
    let codingPath: [any CodingKey]

    private func child(_ key: Key) -> Node {
        let child = Node()
        node.keys.append(key.stringValue)
        node.children.append(child)
        return child
    }
    mutating func encodeNil(forKey key: Key) throws { child(key).content = .null }
    mutating func encode(_ value: Bool, forKey key: Key) throws { child(key).content = .bool(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { child(key).content = .string(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { child(key).content = .double(value) }
    mutating func encode(_ value: Float, forKey key: Key) throws { child(key).content = .double(Double(value)) }
    mutating func encode(_ value: Int, forKey key: Key) throws { child(key).content = .int(Int64(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { child(key).content = .int(Int64(value)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { child(key).content = .int(Int64(value)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { child(key).content = .int(Int64(value)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { child(key).content = .int(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { child(key).content = .uint(UInt64(value)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { child(key).content = .uint(UInt64(value)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { child(key).content = .uint(UInt64(value)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { child(key).content = .uint(UInt64(value)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { child(key).content = .uint(value) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try NodeEncoder.encode(value, into: child(key), codingPath: codingPath + [key])
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        NodeEncoder(node: child(key), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        NodeEncoder(node: child(key), codingPath: codingPath + [key]).unkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder {
        NodeEncoder(node: child(Key(stringValue: "super")!), codingPath: codingPath)
    }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        NodeEncoder(node: child(key), codingPath: codingPath + [key])
    }
}

struct IndexKey: CodingKey {
    let intValue: Int?
    let stringValue: String
    init(_ index: Int) {
        intValue = index
        stringValue = "\(index)"
    }
    init?(intValue: Int) { self.init(intValue) }
    init?(stringValue: String) { return nil }
}

struct UnkeyedEncoding: UnkeyedEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]
    var count: Int { node.children.count }
    private func next() -> Node {
        let child = Node()
        node.children.append(child)
        return child
    }
    mutating func encodeNil() throws { next().content = .null }
    mutating func encode(_ value: Bool) throws { next().content = .bool(value) }
    mutating func encode(_ value: String) throws { next().content = .string(value) }
    mutating func encode(_ value: Double) throws { next().content = .double(value) }
    mutating func encode(_ value: Int) throws { next().content = .int(Int64(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try NodeEncoder.encode(value, into: next(), codingPath: codingPath + [IndexKey(count)])
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<
        NestedKey
    > {
        NodeEncoder(node: next(), codingPath: codingPath).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        NodeEncoder(node: next(), codingPath: codingPath).unkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder { NodeEncoder(node: next(), codingPath: codingPath) }
}

struct SingleEncoding: SingleValueEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]
    mutating func encodeNil() throws { node.content = .null }
    mutating func encode(_ value: Bool) throws { node.content = .bool(value) }
    mutating func encode(_ value: String) throws { node.content = .string(value) }
    mutating func encode(_ value: Double) throws { node.content = .double(value) }
    mutating func encode(_ value: Float) throws { node.content = .double(Double(value)) }
    mutating func encode(_ value: Int) throws { node.content = .int(Int64(value)) }
    mutating func encode(_ value: Int8) throws { node.content = .int(Int64(value)) }
    mutating func encode(_ value: Int16) throws { node.content = .int(Int64(value)) }
    mutating func encode(_ value: Int32) throws { node.content = .int(Int64(value)) }
    mutating func encode(_ value: Int64) throws { node.content = .int(value) }
    mutating func encode(_ value: UInt) throws { node.content = .uint(UInt64(value)) }
    mutating func encode(_ value: UInt8) throws { node.content = .uint(UInt64(value)) }
    mutating func encode(_ value: UInt16) throws { node.content = .uint(UInt64(value)) }
    mutating func encode(_ value: UInt32) throws { node.content = .uint(UInt64(value)) }
    mutating func encode(_ value: UInt64) throws { node.content = .uint(value) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try NodeEncoder.encode(value, into: node, codingPath: codingPath)
    }
}

// MARK: - Decoding

/// A value located in the buffer: its tag and where its body starts.
struct ValueRef {
    let tag: BinaryCoding.Tag
    let body: Int
}

/// Bounds-checked reads from the payload (a damaged payload is an error, never a crash).
struct Reader {
    let buffer: UnsafeRawBufferPointer

    func fail(_ reason: String, _ path: [any CodingKey]) -> BinaryCoding.DecodingError {
        BinaryCoding.DecodingError(reason: reason, path: path.map(\.stringValue).joined(separator: "."))
    }
    func need(_ offset: Int, _ count: Int, _ path: [any CodingKey]) throws {
        guard offset >= 0, count >= 0, offset <= buffer.count - count else { throw fail("truncated", path) }
    }
    func u32(at offset: Int, _ path: [any CodingKey]) throws -> Int {
        try need(offset, 4, path)
        return Int(UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
    }
    func u64(at offset: Int, _ path: [any CodingKey]) throws -> UInt64 {
        try need(offset, 8, path)
        return UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
    func string(at offset: Int, _ path: [any CodingKey]) throws -> (String, Int) {
        let length = try u32(at: offset, path)
        try need(offset + 4, length, path)
        let text = String(
            decoding: UnsafeRawBufferPointer(rebasing: buffer[(offset + 4)..<(offset + 4 + length)]), as: UTF8.self)
        return (text, offset + 4 + length)
    }

    /// The value starting at `offset` and the offset just after it.
    func value(at offset: Int, path: [any CodingKey]) throws -> (ValueRef, Int) {
        try need(offset, 1, path)
        guard let tag = BinaryCoding.Tag(rawValue: buffer[offset]) else {
            throw fail("unknown tag \(buffer[offset])", path)
        }
        let body = offset + 1
        let end: Int
        switch tag {
        case .null: end = body
        case .bool: end = body + 1
        case .int, .uint, .double: end = body + 8
        case .string: end = body + 4 + (try u32(at: body, path))
        case .keyed, .unkeyed: end = body + 4 + (try u32(at: body, path))
        case .doubles: end = body + 4 + 8 * (try u32(at: body, path))
        }
        try need(body, end - body, path)
        return (ValueRef(tag: tag, body: body), end)
    }
}

struct NodeDecoder: Decoder {
    let reader: Reader
    let value: ValueRef
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard value.tag == .keyed else {
            throw reader.fail("expected a keyed container, found \(value.tag)", codingPath)
        }
        return KeyedDecodingContainer(try KeyedDecoding<Key>(reader: reader, value: value, codingPath: codingPath))
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        if value.tag == .doubles { return PackedDoublesDecoding(reader: reader, value: value, codingPath: codingPath) }
        guard value.tag == .unkeyed else {
            throw reader.fail("expected an unkeyed container, found \(value.tag)", codingPath)
        }
        return try UnkeyedDecoding(reader: reader, value: value, codingPath: codingPath)
    }
    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleDecoding(reader: reader, value: value, codingPath: codingPath)
    }

    /// Decodes `type` from `value`: a packed `[Double]` with one copy, anything else through `init(from:)`.
    static func decode<T: Decodable>(_ type: T.Type, reader: Reader, value: ValueRef, codingPath: [any CodingKey])
        throws -> T
    {
        if type == [Double].self, value.tag == .doubles {
            return try reader.doubles(value, codingPath) as! T
        }
        let single = SingleDecoding(reader: reader, value: value, codingPath: codingPath)
        if type == Double.self { return try single.decode(Double.self) as! T }
        if type == String.self { return try single.decode(String.self) as! T }
        if type == Int.self { return try single.decode(Int.self) as! T }
        if type == Bool.self { return try single.decode(Bool.self) as! T }
        return try T(from: NodeDecoder(reader: reader, value: value, codingPath: codingPath))
    }
}

extension Reader {
    func doubles(_ value: ValueRef, _ path: [any CodingKey]) throws -> [Double] {
        let count = try u32(at: value.body, path)
        try need(value.body + 4, 8 * count, path)
        return [Double](unsafeUninitializedCapacity: count) { out, initialised in
            let source = UnsafeRawBufferPointer(rebasing: buffer[(value.body + 4)..<(value.body + 4 + 8 * count)])
            for i in 0..<count {
                out[i] = Double(
                    bitPattern: UInt64(littleEndian: source.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))
            }
            initialised = count
        }
    }
}

struct KeyedDecoding<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let reader: Reader
    let codingPath: [any CodingKey]
    let entries: [String: ValueRef]
    let order: [String]

    init(reader: Reader, value: ValueRef, codingPath: [any CodingKey]) throws {
        self.reader = reader
        self.codingPath = codingPath
        let length = try reader.u32(at: value.body, codingPath)
        let end = value.body + 4 + length
        let count = try reader.u32(at: value.body + 4, codingPath)
        var offset = value.body + 8
        var entries: [String: ValueRef] = [:]
        var order: [String] = []
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let (key, afterKey) = try reader.string(at: offset, codingPath)
            let (ref, next) = try reader.value(at: afterKey, path: codingPath)
            entries[key] = ref
            order.append(key)
            offset = next
        }
        guard offset == end else { throw reader.fail("keyed container length does not match its entries", codingPath) }
        self.entries = entries
        self.order = order
    }

    var allKeys: [Key] { order.compactMap { Key(stringValue: $0) } }
    func contains(_ key: Key) -> Bool { entries[key.stringValue] != nil }
    private func ref(_ key: Key) throws -> ValueRef {
        guard let ref = entries[key.stringValue] else {
            throw reader.fail("no value for key '\(key.stringValue)'", codingPath)
        }
        return ref
    }
    func decodeNil(forKey key: Key) throws -> Bool { try ref(key).tag == .null }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try NodeDecoder.decode(type, reader: reader, value: try ref(key), codingPath: codingPath + [key])
    }
    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try NodeDecoder(reader: reader, value: try ref(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try NodeDecoder(reader: reader, value: try ref(key), codingPath: codingPath + [key]).unkeyedContainer()
    }
    func superDecoder() throws -> any Decoder {
        NodeDecoder(reader: reader, value: entries["super"] ?? ValueRef(tag: .null, body: 0), codingPath: codingPath)
    }
    func superDecoder(forKey key: Key) throws -> any Decoder {
        NodeDecoder(reader: reader, value: try ref(key), codingPath: codingPath + [key])
    }
}

struct UnkeyedDecoding: UnkeyedDecodingContainer {
    let reader: Reader
    let codingPath: [any CodingKey]
    let end: Int
    var count: Int?
    var currentIndex = 0
    var offset: Int
    var isAtEnd: Bool { currentIndex >= (count ?? 0) }

    init(reader: Reader, value: ValueRef, codingPath: [any CodingKey]) throws {
        self.reader = reader
        self.codingPath = codingPath
        end = value.body + 4 + (try reader.u32(at: value.body, codingPath))
        count = try reader.u32(at: value.body + 4, codingPath)
        offset = value.body + 8
    }

    private mutating func next() throws -> (ValueRef, [any CodingKey]) {
        guard !isAtEnd else { throw reader.fail("read past the end of an unkeyed container", codingPath) }
        let path = codingPath + [IndexKey(currentIndex)]
        let (ref, after) = try reader.value(at: offset, path: path)
        guard after <= end else { throw reader.fail("unkeyed container overruns its length", path) }
        offset = after
        currentIndex += 1
        return (ref, path)
    }
    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { throw reader.fail("read past the end of an unkeyed container", codingPath) }
        let (ref, after) = try reader.value(at: offset, path: codingPath)
        guard ref.tag == .null else { return false }
        offset = after
        currentIndex += 1
        return true
    }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (ref, path) = try next()
        return try NodeDecoder.decode(type, reader: reader, value: ref, codingPath: path)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<
        NestedKey
    > {
        let (ref, path) = try next()
        return try NodeDecoder(reader: reader, value: ref, codingPath: path).container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (ref, path) = try next()
        return try NodeDecoder(reader: reader, value: ref, codingPath: path).unkeyedContainer()
    }
    mutating func superDecoder() throws -> any Decoder {
        let (ref, path) = try next()
        return NodeDecoder(reader: reader, value: ref, codingPath: path)
    }
}

/// A packed `[Double]` read element by element (when a type decodes its array itself instead of as `[Double]`).
struct PackedDoublesDecoding: UnkeyedDecodingContainer {
    let reader: Reader
    let value: ValueRef
    let codingPath: [any CodingKey]
    var currentIndex = 0
    var count: Int? { (try? reader.u32(at: value.body, codingPath)) ?? 0 }
    var isAtEnd: Bool { currentIndex >= (count ?? 0) }

    private mutating func nextDouble() throws -> Double {
        guard !isAtEnd else { throw reader.fail("read past the end of a packed array", codingPath) }
        let bits = try reader.u64(at: value.body + 4 + 8 * currentIndex, codingPath)
        currentIndex += 1
        return Double(bitPattern: bits)
    }
    mutating func decodeNil() throws -> Bool { false }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        guard type == Double.self else { throw reader.fail("a packed array holds doubles, not \(type)", codingPath) }
        return try nextDouble() as! T
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<
        NestedKey
    > {
        throw reader.fail("a packed array holds no containers", codingPath)
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw reader.fail("a packed array holds no containers", codingPath)
    }
    mutating func superDecoder() throws -> any Decoder {
        throw reader.fail("a packed array holds no containers", codingPath)
    }
}

struct SingleDecoding: SingleValueDecodingContainer {
    let reader: Reader
    let value: ValueRef
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool { value.tag == .null }
    func decode(_ type: Bool.Type) throws -> Bool {
        guard value.tag == .bool else { throw reader.fail("expected a bool, found \(value.tag)", codingPath) }
        return reader.buffer[value.body] != 0
    }
    func decode(_ type: String.Type) throws -> String {
        guard value.tag == .string else { throw reader.fail("expected a string, found \(value.tag)", codingPath) }
        return try reader.string(at: value.body, codingPath).0
    }
    func decode(_ type: Double.Type) throws -> Double {
        switch value.tag {
        case .double: return Double(bitPattern: try reader.u64(at: value.body, codingPath))
        case .int: return Double(Int64(bitPattern: try reader.u64(at: value.body, codingPath)))
        case .uint: return Double(try reader.u64(at: value.body, codingPath))
        default: throw reader.fail("expected a number, found \(value.tag)", codingPath)
        }
    }
    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
    private func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        let result: I?
        switch value.tag {
        case .int: result = I(exactly: Int64(bitPattern: try reader.u64(at: value.body, codingPath)))
        case .uint: result = I(exactly: try reader.u64(at: value.body, codingPath))
        default: throw reader.fail("expected an integer, found \(value.tag)", codingPath)
        }
        guard let result else { throw reader.fail("integer out of range for \(type)", codingPath) }
        return result
    }
    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try NodeDecoder.decode(type, reader: reader, value: value, codingPath: codingPath)
    }
}
