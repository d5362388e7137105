import CZlib
import CathodeModels
import Foundation

/// Reads a segmented cross-section image as a microstructure mask: one pixel per cell, dark = solid,
/// light = hole (grey < 128 is solid). Row 0 of the image is the cathode/SE interface (x = L), the last
/// row the current collector, as a cross-section micrograph is usually shown. Formats: PGM (Netpbm P2 text,
/// P5 binary, maxval ≤ 255) and PNG (8-bit greyscale, grey+alpha, RGB or RGBA, not interlaced; W3C PNG
/// specification, 2nd ed.), decoded with zlib.
///
/// Every header number is parsed with overflow-checked arithmetic and bounded by the grid limits
/// (1–5000 pixels a side) before anything is allocated; pixels above maxval, truncated data, a 0 × 0 image
/// and image data that inflates to fewer or more rows than the header states are errors naming the file.
public enum MaskImage {
    public struct Image: Sendable, Equatable {
        public let width: Int
        public let height: Int
        public let grey: [UInt8]
    }

    /// Largest image side accepted (the 2D grid's limit on nx and ny).
    public static let maximumSide = 5000

    public enum ReadError: Error, CustomStringConvertible, Equatable {
        case unreadable(path: String, reason: String)
        case unsupported(path: String, reason: String)
        public var description: String {
            switch self {
            case let .unreadable(path, reason): return "cannot read the mask image '\(path)': \(reason)"
            case let .unsupported(path, reason): return "unsupported mask image '\(path)': \(reason)"
            }
        }
    }

    public static func read(path: String) throws -> Image {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReadError.unreadable(path: path, reason: "file not found or unreadable")
        }
        return try decode([UInt8](data), path: path)
    }

    /// Decodes PGM or PNG bytes (`path` only names the file in errors).
    public static func decode(_ bytes: [UInt8], path: String) throws -> Image {
        if bytes.count >= 2, bytes[0] == UInt8(ascii: "P"),
            bytes[1] == UInt8(ascii: "2") || bytes[1] == UInt8(ascii: "5")
        {
            return try pgm(bytes, path: path)
        }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return try png(bytes, path: path) }
        throw ReadError.unsupported(path: path, reason: "neither PGM (P2/P5) nor PNG")
    }

    /// A microstructure from an image: `thickness` and `width` [m] map the image onto the section.
    public static func microstructure(
        _ image: Image, thickness: Double, width: Double, angle: Double = 0, periodic: Bool = true
    ) -> Microstructure {
        var m = Microstructure.uniform(
            nx: image.height, ny: image.width, thickness: thickness, width: width, angle: angle, periodic: periodic)
        for row in 0..<image.height {
            let i = image.height - 1 - row
            for j in 0..<image.width { m.hole[m.index(i, j)] = image.grey[row * image.width + j] >= 128 }
        }
        // Faces in front of holes at the interface are not in contact.
        for j in 0..<image.width where m.hole[m.index(image.height - 1, j)] { m.contact[j] = false }
        return m
    }

    /// Checks an image size from a header before anything is allocated.
    static func checkSize(width: Int, height: Int, path: String) throws {
        guard width > 0, height > 0 else {
            throw ReadError.unsupported(
                path: path, reason: "the image is \(width) × \(height) pixels; it needs at least one pixel")
        }
        guard width <= maximumSide, height <= maximumSide else {
            throw ReadError.unsupported(
                path: path,
                reason:
                    "the image is \(width) × \(height) pixels; each side must be at most \(maximumSide) (the 2D grid's limit)"
            )
        }
    }

    static func pgm(_ b: [UInt8], path: String) throws -> Image {
        var position = 2
        /// The next decimal header number (overflow-checked: anything above 10⁹ is an error).
        func token(_ what: String) throws -> Int {
            while position < b.count {
                if b[position] == UInt8(ascii: "#") {
                    while position < b.count && b[position] != 10 { position += 1 }
                } else if [32, 10, 13, 9].contains(b[position]) {
                    position += 1
                } else {
                    break
                }
            }
            var value = 0
            var digits = 0
            while position < b.count, b[position] >= 48, b[position] <= 57 {
                let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflowSum) = times.addingReportingOverflow(Int(b[position] - 48))
                guard !overflowTimes, !overflowSum, sum <= 1_000_000_000 else {
                    throw ReadError.unreadable(path: path, reason: "the PGM \(what) is too large")
                }
                value = sum
                position += 1
                digits += 1
            }
            guard digits > 0 else {
                throw ReadError.unreadable(
                    path: path,
                    reason: position >= b.count ? "the PGM data ends before its \(what)" : "malformed PGM \(what)")
            }
            return value
        }
        let binary = b[1] == UInt8(ascii: "5")
        let width = try token("width")
        let height = try token("height")
        let maxValue = try token("maximum value")
        try checkSize(width: width, height: height, path: path)
        guard maxValue > 0, maxValue < 256 else {
            throw ReadError.unsupported(
                path: path, reason: "maximum value \(maxValue); only 8-bit PGM (maxval 1–255) is supported")
        }
        let count = width * height
        var grey = [UInt8](repeating: 0, count: count)
        func store(_ value: Int, at k: Int) throws {
            guard value <= maxValue else {
                throw ReadError.unreadable(
                    path: path,
                    reason:
                        "pixel (row \(k / width), column \(k % width)) is \(value), above the maximum value \(maxValue)"
                )
            }
            grey[k] = UInt8(value * 255 / maxValue)
        }
        if binary {
            position += 1  // the single whitespace after maxval
            guard b.count - position >= count else {
                throw ReadError.unreadable(
                    path: path,
                    reason: "the PGM data holds \(max(0, b.count - position)) of \(count) pixels (\(width) × \(height))"
                )
            }
            for k in 0..<count { try store(Int(b[position + k]), at: k) }
        } else {
            for k in 0..<count { try store(try token("pixel \(k)"), at: k) }
        }
        return Image(width: width, height: height, grey: grey)
    }

    static func png(_ b: [UInt8], path: String) throws -> Image {
        var position = 8
        var header: (width: Int, height: Int, depth: Int, colour: Int, interlace: Int)?
        var compressed: [UInt8] = []
        var sawEnd = false
        func u32(_ p: Int) -> Int { Int(b[p]) << 24 | Int(b[p + 1]) << 16 | Int(b[p + 2]) << 8 | Int(b[p + 3]) }
        while position + 8 <= b.count {
            let length = u32(position)
            let type = String(decoding: b[(position + 4)..<(position + 8)], as: UTF8.self)
            let body = position + 8
            guard length <= b.count, body + length + 4 <= b.count else {
                throw ReadError.unreadable(
                    path: path, reason: "PNG chunk \(type) claims \(length) bytes but the file ends first")
            }
            switch type {
            case "IHDR":
                guard length == 13 else {
                    throw ReadError.unreadable(path: path, reason: "PNG header chunk IHDR has length \(length), not 13")
                }
                header = (u32(body), u32(body + 4), Int(b[body + 8]), Int(b[body + 9]), Int(b[body + 12]))
            case "IDAT":
                compressed += b[body..<(body + length)]
            default:
                break
            }
            position = body + length + 4
            if type == "IEND" {
                sawEnd = true
                break
            }
        }
        guard let header else { throw ReadError.unreadable(path: path, reason: "no PNG header chunk (IHDR)") }
        guard sawEnd else {
            throw ReadError.unreadable(path: path, reason: "the PNG ends without its IEND chunk (truncated file)")
        }
        let channels: Int
        switch header.colour {
        case 0: channels = 1
        case 2: channels = 3
        case 4: channels = 2
        case 6: channels = 4
        default:
            throw ReadError.unsupported(
                path: path,
                reason: "PNG colour type \(header.colour) (palette images are not supported; save as greyscale)")
        }
        guard header.depth == 8, header.interlace == 0 else {
            throw ReadError.unsupported(
                path: path,
                reason: "PNG must be 8-bit and not interlaced (depth \(header.depth), interlace \(header.interlace))")
        }
        try checkSize(width: header.width, height: header.height, path: path)
        let (width, height) = (header.width, header.height)
        let stride = width * channels
        let expected = (stride + 1) * height
        var raw = [UInt8](repeating: 0, count: expected + 1)  // one spare byte detects data beyond the image
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ReadError.unreadable(path: path, reason: "zlib could not be initialised")
        }
        defer { inflateEnd(&stream) }
        let status: Int32 = compressed.withUnsafeMutableBufferPointer { input in
            raw.withUnsafeMutableBufferPointer { output in
                stream.next_in = input.baseAddress
                stream.avail_in = uInt(input.count)
                stream.next_out = output.baseAddress
                stream.avail_out = uInt(output.count)
                return inflate(&stream, Z_FINISH)
            }
        }
        let produced = raw.count - Int(stream.avail_out)
        if produced > expected || (status == Z_BUF_ERROR && stream.avail_out == 0) {
            throw ReadError.unreadable(
                path: path,
                reason: "the PNG image data holds more than the \(height) rows (\(expected) bytes) the header states")
        }
        if produced < expected && (status == Z_STREAM_END || status == Z_BUF_ERROR) {
            throw ReadError.unreadable(
                path: path,
                reason: "the PNG image data is truncated: it holds \(produced / (stride + 1)) of \(height) rows")
        }
        guard status == Z_STREAM_END else {
            throw ReadError.unreadable(
                path: path, reason: "the PNG image data does not inflate (zlib status \(status))")
        }
        // Undo the per-row filters (None, Sub, Up, Average, Paeth).
        var pixels = [UInt8](repeating: 0, count: stride * height)
        for y in 0..<height {
            let filter = raw[y * (stride + 1)]
            for x in 0..<stride {
                let v = raw[y * (stride + 1) + 1 + x]
                let a = x >= channels ? Int(pixels[y * stride + x - channels]) : 0
                let up = y > 0 ? Int(pixels[(y - 1) * stride + x]) : 0
                let c = (x >= channels && y > 0) ? Int(pixels[(y - 1) * stride + x - channels]) : 0
                let prediction: Int
                switch filter {
                case 0: prediction = 0
                case 1: prediction = a
                case 2: prediction = up
                case 3: prediction = (a + up) / 2
                case 4:
                    let p = a + up - c
                    let pa = abs(p - a)
                    let pb = abs(p - up)
                    let pc = abs(p - c)
                    prediction = pa <= pb && pa <= pc ? a : (pb <= pc ? up : c)
                default: throw ReadError.unreadable(path: path, reason: "PNG row \(y) has unknown filter \(filter)")
                }
                pixels[y * stride + x] = UInt8((Int(v) + prediction) & 0xFF)
            }
        }
        var grey = [UInt8](repeating: 0, count: width * height)
        for k in 0..<(width * height) {
            switch channels {
            case 1, 2: grey[k] = pixels[k * channels]
            default:
                grey[k] = UInt8(
                    (Int(pixels[k * channels]) + Int(pixels[k * channels + 1]) + Int(pixels[k * channels + 2])) / 3)
            }
        }
        return Image(width: width, height: height, grey: grey)
    }
}
