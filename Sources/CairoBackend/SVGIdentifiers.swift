/// Makes Cairo's SVG element ids deterministic and unique per document.
///
/// Cairo 1.16 numbers `glyphN-M`, `surfaceN`, `clipN`, `imageN`, `linearN`, … from process-global
/// counters, so the same figure written twice in one process gets different ids, and several SVGs
/// inlined in one HTML page clash (Makie issue #2406 describes the same problem). Every id is renamed,
/// in order of first appearance, to `<salt>-<kind><n>`, where `salt` is 8 hex digits of an FNV-1a hash
/// of the renumbered document; every reference (`#id` followed by `"` or `)`, as in `xlink:href="#id"`
/// and `url(#id)`) is rewritten with it. Works on bytes: the documents are megabytes.
enum SVGIdentifiers {
    static func normalise(_ svg: [UInt8]) -> [UInt8] {
        let first = renumber(svg, salt: nil)
        let hex = Array("0123456789abcdef".utf8)
        var h = fnv1a(first)
        var salt = [UInt8](repeating: 0, count: 8)
        for k in (0..<8).reversed() {
            salt[k] = hex[Int(h & 0xF)]
            h >>= 4
        }
        return renumber(svg, salt: salt)
    }

    private static let idPrefix = Array("id=\"".utf8)
    private static let quote = UInt8(ascii: "\""), hash = UInt8(ascii: "#"), paren = UInt8(ascii: ")")

    @inline(__always) private static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
            || b == 0x2E
    }

    /// Ranges of the id names in `id="…"` attributes, in document order.
    private static func idRanges(_ s: [UInt8]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = 0
        let n = s.count
        while i + 4 < n {
            if s[i] == 0x69, s[i + 1] == 0x64, s[i + 2] == 0x3D, s[i + 3] == quote, i == 0 || s[i - 1] == 0x20 {
                var j = i + 4
                while j < n, isNameByte(s[j]) { j += 1 }
                if j < n, s[j] == quote, j > i + 4 { out.append((i + 4)..<j) }
                i = j
            } else {
                i += 1
            }
        }
        return out
    }

    private static func renumber(_ svg: [UInt8], salt: [UInt8]?) -> [UInt8] {
        var mapping: [ArraySlice<UInt8>: [UInt8]] = [:]
        var counters: [ArraySlice<UInt8>: Int] = [:]
        for r in idRanges(svg) {
            let old = svg[r]
            guard mapping[old] == nil else { continue }
            let kind = old.prefix { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) }
            let n = counters[kind, default: 0]
            counters[kind] = n + 1
            var new: [UInt8] = salt.map { $0 + [UInt8(ascii: "-")] } ?? []
            new += kind.isEmpty ? Array("id".utf8) : Array(kind)
            new += Array(String(n).utf8)
            mapping[old] = new
        }
        // Rewrite every id="name" and #name followed by " or ).
        var out: [UInt8] = []
        out.reserveCapacity(svg.count + svg.count / 16)
        var i = 0
        var copied = 0
        let n = svg.count
        while i < n {
            var nameStart = -1
            if svg[i] == hash {
                nameStart = i + 1
            } else if svg[i] == quote, i >= 3, svg[i - 1] == 0x3D, svg[i - 2] == 0x64, svg[i - 3] == 0x69 {
                nameStart = i + 1
            }
            if nameStart >= 0 {
                var j = nameStart
                while j < n, isNameByte(svg[j]) { j += 1 }
                if j < n, j > nameStart, svg[j] == quote || svg[j] == paren, let new = mapping[svg[nameStart..<j]] {
                    out += svg[copied..<nameStart]
                    out += new
                    copied = j
                    i = j
                    continue
                }
            }
            i += 1
        }
        out += svg[copied..<n]
        return out
    }

    static func fnv1a(_ s: [UInt8]) -> UInt32 {
        var h: UInt32 = 0x811C_9DC5
        for b in s { h = (h ^ UInt32(b)) &* 0x0100_0193 }
        return h
    }
}

/// Marks every raster `<image>` (a heatmap, one pixel per cell) as pixelated, so browsers and SVG
/// viewers show crisp cells instead of smoothing them (CSS Images Level 3, `image-rendering`).
enum SVGImageRendering {
    static func pixelated(_ svg: [UInt8]) -> [UInt8] {
        let tag = Array("<image ".utf8)
        let attribute = Array("style=\"image-rendering:pixelated\" ".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(svg.count + 64)
        var i = 0
        while i < svg.count {
            if svg[i] == tag[0], i + tag.count <= svg.count, svg[i..<(i + tag.count)].elementsEqual(tag) {
                out += tag
                out += attribute
                i += tag.count
            } else {
                out.append(svg[i])
                i += 1
            }
        }
        return out
    }
}
