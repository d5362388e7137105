import Foundation
import Plotting

/// A laid-out figure kept for drawing later: the display list and its font family as bytes (`figures/<name>.displaylist`
/// in a study bundle), so that a document can draw the figure as vectors on its own Cairo surface, exactly as the
/// figure's PDF, SVG and PNG were drawn.
///
/// Format (little-endian): the magic `CLDL` and a format byte, the font family, the width and height in points, the
/// item count, then each primitive as a tag byte and its fields (doubles as IEEE 754 binary64, counts as UInt32,
/// strings as a UInt32 byte count and UTF-8, images as width, height and the raw RGBA bytes). Reading checks every
/// count against the bytes left, so a truncated or foreign file is an error, never a crash.
public enum DisplayListArchive {
    /// The file name extension of an archived display list.
    public static let fileExtension = "displaylist"
    static let magic: [UInt8] = Array("CLDL".utf8)
    static let formatVersion: UInt8 = 1

    /// A display list that cannot be read.
    public struct ReadError: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { "display list archive: \(reason)" }
    }

    public static func encode(_ list: DisplayList, fontFamily: String) -> [UInt8] {
        var writer = ByteWriter()
        writer.bytes += magic
        writer.bytes.append(formatVersion)
        writer.string(fontFamily)
        writer.double(list.width)
        writer.double(list.height)
        writer.count(list.items.count)
        for item in list.items {
            switch item {
            case let .path(elements, fill, stroke):
                writer.bytes.append(0)
                writer.count(elements.count)
                for element in elements {
                    switch element {
                    case .move(let point):
                        writer.bytes.append(0)
                        writer.point(point)
                    case .line(let point):
                        writer.bytes.append(1)
                        writer.point(point)
                    case let .curve(first, second, end):
                        writer.bytes.append(2)
                        writer.point(first)
                        writer.point(second)
                        writer.point(end)
                    case .close:
                        writer.bytes.append(3)
                    }
                }
                writer.optionalColor(fill)
                if let stroke {
                    writer.bytes.append(1)
                    writer.color(stroke.color)
                    writer.double(stroke.width)
                    writer.doubles(stroke.dash)
                    writer.bytes.append(stroke.roundCaps ? 1 : 0)
                } else {
                    writer.bytes.append(0)
                }
            case .text(let text):
                writer.bytes.append(1)
                writer.count(text.runs.count)
                for run in text.runs {
                    writer.string(run.text)
                    writer.double(run.dx)
                    writer.double(run.dy)
                    writer.double(run.size)
                }
                writer.point(text.origin)
                writer.double(text.angle)
                writer.color(text.color)
                writer.bytes.append(text.bold ? 1 : 0)
            case let .image(image, destination):
                writer.bytes.append(2)
                writer.count(image.width)
                writer.count(image.height)
                writer.count(image.rgba.count)
                writer.bytes += image.rgba
                writer.rect(destination)
            case let .gradient(rect, colors, vertical):
                writer.bytes.append(3)
                writer.rect(rect)
                writer.count(colors.count)
                for color in colors { writer.color(color) }
                writer.bytes.append(vertical ? 1 : 0)
            case .pushClip(let rect):
                writer.bytes.append(4)
                writer.rect(rect)
            case .popClip:
                writer.bytes.append(5)
            }
        }
        return writer.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws -> (list: DisplayList, fontFamily: String) {
        var reader = ByteReader(bytes: bytes)
        guard try reader.take(magic.count) == magic else {
            throw ReadError(reason: "not a CathodeLab display list (no CLDL magic)")
        }
        let version = try reader.byte()
        guard version == formatVersion else {
            throw ReadError(reason: "format \(version), this build reads format \(formatVersion)")
        }
        let fontFamily = try reader.string()
        let width = try reader.double()
        let height = try reader.double()
        guard width.isFinite, height.isFinite, width > 0, height > 0 else {
            throw ReadError(reason: "page size \(width) × \(height) pt")
        }
        let itemCount = try reader.count(minimumBytesEach: 1)
        var items: [Primitive] = []
        items.reserveCapacity(itemCount)
        for _ in 0..<itemCount {
            switch try reader.byte() {
            case 0:
                let elementCount = try reader.count(minimumBytesEach: 1)
                var elements: [PathElement] = []
                elements.reserveCapacity(elementCount)
                for _ in 0..<elementCount {
                    switch try reader.byte() {
                    case 0: elements.append(.move(try reader.point()))
                    case 1: elements.append(.line(try reader.point()))
                    case 2: elements.append(.curve(try reader.point(), try reader.point(), try reader.point()))
                    case 3: elements.append(.close)
                    case let tag: throw ReadError(reason: "unknown path element \(tag)")
                    }
                }
                let fill = try reader.optionalColor()
                var stroke: StrokeStyle?
                if try reader.byte() == 1 {
                    let color = try reader.color()
                    let lineWidth = try reader.double()
                    let dash = try reader.doubles()
                    stroke = StrokeStyle(color: color, width: lineWidth, dash: dash, roundCaps: try reader.byte() == 1)
                }
                items.append(.path(elements, fill: fill, stroke: stroke))
            case 1:
                let runCount = try reader.count(minimumBytesEach: 28)
                var runs: [GlyphRun] = []
                for _ in 0..<runCount {
                    runs.append(
                        GlyphRun(
                            text: try reader.string(), dx: try reader.double(), dy: try reader.double(),
                            size: try reader.double()))
                }
                let origin = try reader.point()
                let angle = try reader.double()
                let color = try reader.color()
                items.append(
                    .text(
                        TextItem(runs: runs, origin: origin, angle: angle, color: color, bold: try reader.byte() == 1)))
            case 2:
                let imageWidth = try reader.count(minimumBytesEach: 0)
                let imageHeight = try reader.count(minimumBytesEach: 0)
                let byteCount = try reader.count(minimumBytesEach: 1)
                guard byteCount == imageWidth * imageHeight * 4 else {
                    throw ReadError(reason: "image of \(imageWidth) × \(imageHeight) pixels with \(byteCount) bytes")
                }
                let rgba = try reader.take(byteCount)
                items.append(
                    .image(
                        RasterImage(width: imageWidth, height: imageHeight, rgba: rgba), destination: try reader.rect())
                )
            case 3:
                let rect = try reader.rect()
                let colorCount = try reader.count(minimumBytesEach: 32)
                var colors: [Color] = []
                for _ in 0..<colorCount { colors.append(try reader.color()) }
                items.append(.gradient(rect, colors: colors, vertical: try reader.byte() == 1))
            case 4:
                items.append(.pushClip(try reader.rect()))
            case 5:
                items.append(.popClip)
            case let tag:
                throw ReadError(reason: "unknown primitive \(tag)")
            }
        }
        guard reader.offset == bytes.count else {
            throw ReadError(reason: "\(bytes.count - reader.offset) bytes after the last primitive")
        }
        return (DisplayList(width: width, height: height, items: items), fontFamily)
    }
}

private struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func double(_ value: Double) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
    }

    mutating func count(_ value: Int) {
        withUnsafeBytes(of: UInt32(value).littleEndian) { bytes += $0 }
    }

    mutating func doubles(_ values: [Double]) {
        count(values.count)
        for value in values { double(value) }
    }

    mutating func string(_ text: String) {
        let utf8 = Array(text.utf8)
        count(utf8.count)
        bytes += utf8
    }

    mutating func point(_ point: Point) {
        double(point.x)
        double(point.y)
    }

    mutating func rect(_ rect: Rect) {
        double(rect.x)
        double(rect.y)
        double(rect.width)
        double(rect.height)
    }

    mutating func color(_ color: Color) {
        double(color.red)
        double(color.green)
        double(color.blue)
        double(color.alpha)
    }

    mutating func optionalColor(_ color: Color?) {
        guard let color else {
            bytes.append(0)
            return
        }
        bytes.append(1)
        self.color(color)
    }
}

private struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    mutating func take(_ length: Int) throws -> [UInt8] {
        guard length >= 0, length <= bytes.count - offset else {
            throw DisplayListArchive.ReadError(reason: "truncated at byte \(offset) (wanted \(length) more)")
        }
        defer { offset += length }
        return Array(bytes[offset..<offset + length])
    }

    mutating func byte() throws -> UInt8 { try take(1)[0] }

    mutating func double() throws -> Double {
        let raw = try take(8)
        var pattern: UInt64 = 0
        for (index, value) in raw.enumerated() { pattern |= UInt64(value) << (8 * UInt64(index)) }
        return Double(bitPattern: pattern)
    }

    /// A count, checked against the bytes left (each counted thing needs at least `minimumBytesEach`).
    mutating func count(minimumBytesEach: Int) throws -> Int {
        let raw = try take(4)
        var value = 0
        for (index, byte) in raw.enumerated() { value |= Int(byte) << (8 * index) }
        guard value * minimumBytesEach <= bytes.count - offset else {
            throw DisplayListArchive.ReadError(reason: "count \(value) at byte \(offset - 4) exceeds the bytes left")
        }
        return value
    }

    mutating func doubles() throws -> [Double] {
        let number = try count(minimumBytesEach: 8)
        return try (0..<number).map { _ in try double() }
    }

    mutating func string() throws -> String {
        let length = try count(minimumBytesEach: 1)
        guard let text = String(validating: try take(length), as: UTF8.self) else {
            throw DisplayListArchive.ReadError(reason: "invalid UTF-8 at byte \(offset - length)")
        }
        return text
    }

    mutating func point() throws -> Point { Point(try double(), try double()) }

    mutating func rect() throws -> Rect {
        Rect(x: try double(), y: try double(), width: try double(), height: try double())
    }

    mutating func color() throws -> Color {
        Color(red: try double(), green: try double(), blue: try double(), alpha: try double())
    }

    mutating func optionalColor() throws -> Color? {
        try byte() == 1 ? try color() : nil
    }
}
