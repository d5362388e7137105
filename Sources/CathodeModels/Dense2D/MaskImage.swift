import CZlib
import Foundation

/// Reads a segmented cross-section image as a microstructure mask: one pixel per cell, dark = solid,
/// light = hole (grey < 128 is solid). Row 0 of the image is the cathode/SE interface (x = L), the last
/// row the current collector, as a cross-section micrograph is usually shown. Formats: PGM (P2 text, P5
/// binary, 8-bit) and PNG (8-bit greyscale, grey+alpha, RGB or RGBA, not interlaced; the W3C PNG
/// specification), decoded with zlib.
public enum MaskImage {
    public struct Image: Sendable, Equatable { public let width: Int; public let height: Int; public let grey: [UInt8] }

    public enum ReadError: Error, CustomStringConvertible, Equatable {
        case unreadable(String)
        case unsupported(String)
        public var description: String {
            switch self {
            case .unreadable(let m): return "cannot read the mask image: \(m)"
            case .unsupported(let m): return "unsupported mask image: \(m)"
            }
        }
    }

    public static func read(path: String) throws -> Image {
        guard let data = FileManager.default.contents(atPath: path) else { throw ReadError.unreadable("\(path) not found or unreadable") }
        let bytes = [UInt8](data)
        if bytes.count >= 2, bytes[0] == UInt8(ascii: "P"), bytes[1] == UInt8(ascii: "2") || bytes[1] == UInt8(ascii: "5") { return try pgm(bytes) }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return try png(bytes) }
        throw ReadError.unsupported("\(path) is neither PGM (P2/P5) nor PNG")
    }

    /// A microstructure from an image: `thickness` and `width` [m] map the image onto the section.
    public static func microstructure(_ image: Image, thickness: Double, width: Double, angle: Double = 0, periodic: Bool = true) -> Microstructure {
        var m = Microstructure.uniform(nx: image.height, ny: image.width, thickness: thickness, width: width, angle: angle, periodic: periodic)
        for row in 0..<image.height {
            let i = image.height - 1 - row
            for j in 0..<image.width { m.hole[m.index(i, j)] = image.grey[row * image.width + j] >= 128 }
        }
        // Faces in front of holes at the interface are not in contact.
        for j in 0..<image.width where m.hole[m.index(image.height - 1, j)] { m.contact[j] = false }
        return m
    }

    static func pgm(_ b: [UInt8]) throws -> Image {
        var pos = 2
        func token() throws -> Int {
            while pos < b.count {
                if b[pos] == UInt8(ascii: "#") { while pos < b.count && b[pos] != 10 { pos += 1 } }
                else if b[pos] == 32 || b[pos] == 10 || b[pos] == 13 || b[pos] == 9 { pos += 1 }
                else { break }
            }
            var v = 0, digits = 0
            while pos < b.count, b[pos] >= 48, b[pos] <= 57 { v = v * 10 + Int(b[pos] - 48); pos += 1; digits += 1 }
            guard digits > 0 else { throw ReadError.unreadable("malformed PGM header") }
            return v
        }
        let binary = b[1] == UInt8(ascii: "5")
        let w = try token(), h = try token(), maxv = try token()
        guard w > 0, h > 0, maxv > 0, maxv < 256 else { throw ReadError.unsupported("PGM must be 8-bit with positive size (got \(w)×\(h), max \(maxv))") }
        var grey = [UInt8](repeating: 0, count: w * h)
        if binary {
            pos += 1
            guard b.count - pos >= w * h else { throw ReadError.unreadable("PGM data shorter than \(w)×\(h)") }
            for k in 0..<(w * h) { grey[k] = UInt8(Int(b[pos + k]) * 255 / maxv) }
        } else {
            for k in 0..<(w * h) { grey[k] = UInt8(try token() * 255 / maxv) }
        }
        return Image(width: w, height: h, grey: grey)
    }

    static func png(_ b: [UInt8]) throws -> Image {
        var pos = 8
        var width = 0, height = 0, depth = 0, colour = 0, interlace = 0
        var idat: [UInt8] = []
        func u32(_ p: Int) -> Int { Int(b[p]) << 24 | Int(b[p + 1]) << 16 | Int(b[p + 2]) << 8 | Int(b[p + 3]) }
        while pos + 8 <= b.count {
            let length = u32(pos)
            let type = String(decoding: b[(pos + 4)..<(pos + 8)], as: UTF8.self)
            let body = pos + 8
            guard body + length + 4 <= b.count else { throw ReadError.unreadable("truncated PNG chunk \(type)") }
            switch type {
            case "IHDR": width = u32(body); height = u32(body + 4); depth = Int(b[body + 8]); colour = Int(b[body + 9]); interlace = Int(b[body + 12])
            case "IDAT": idat += b[body..<(body + length)]
            default: break
            }
            pos = body + length + 4
            if type == "IEND" { break }
        }
        let channels: Int
        switch colour { case 0: channels = 1; case 2: channels = 3; case 4: channels = 2; case 6: channels = 4
        default: throw ReadError.unsupported("PNG colour type \(colour) (palette images are not supported; save as greyscale)") }
        guard depth == 8, interlace == 0, width > 0, height > 0 else { throw ReadError.unsupported("PNG must be 8-bit and not interlaced (got depth \(depth), interlace \(interlace))") }
        let stride = width * channels
        var raw = [UInt8](repeating: 0, count: (stride + 1) * height)
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw ReadError.unreadable("zlib") }
        defer { inflateEnd(&stream) }
        let status: Int32 = idat.withUnsafeMutableBufferPointer { inp in
            raw.withUnsafeMutableBufferPointer { out in
                stream.next_in = inp.baseAddress; stream.avail_in = uInt(inp.count)
                stream.next_out = out.baseAddress; stream.avail_out = uInt(out.count)
                return inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw ReadError.unreadable("PNG image data does not inflate (zlib status \(status))") }
        // Undo the per-row filters (None, Sub, Up, Average, Paeth).
        var pixels = [UInt8](repeating: 0, count: stride * height)
        for y in 0..<height {
            let filter = raw[y * (stride + 1)]
            for x in 0..<stride {
                let v = raw[y * (stride + 1) + 1 + x]
                let a = x >= channels ? Int(pixels[y * stride + x - channels]) : 0
                let up = y > 0 ? Int(pixels[(y - 1) * stride + x]) : 0
                let c = (x >= channels && y > 0) ? Int(pixels[(y - 1) * stride + x - channels]) : 0
                let pred: Int
                switch filter {
                case 0: pred = 0
                case 1: pred = a
                case 2: pred = up
                case 3: pred = (a + up) / 2
                case 4:
                    let p = a + up - c, pa = abs(p - a), pb = abs(p - up), pc = abs(p - c)
                    pred = pa <= pb && pa <= pc ? a : (pb <= pc ? up : c)
                default: throw ReadError.unreadable("PNG row \(y) has unknown filter \(filter)")
                }
                pixels[y * stride + x] = UInt8((Int(v) + pred) & 0xFF)
            }
        }
        var grey = [UInt8](repeating: 0, count: width * height)
        for k in 0..<(width * height) {
            switch channels {
            case 1, 2: grey[k] = pixels[k * channels]
            default: grey[k] = UInt8((Int(pixels[k * channels]) + Int(pixels[k * channels + 1]) + Int(pixels[k * channels + 2])) / 3)
            }
        }
        return Image(width: width, height: height, grey: grey)
    }
}
