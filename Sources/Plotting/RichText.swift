import Foundation

/// A label with real subscripts and superscripts, written in a small TeX-like markup.
///
/// Markup:
/// - `_x` / `_{eff}` subscript, `^2` / `^{-1}` superscript (one character, or a braced group);
/// - `\_`, `\^`, `\{`, `\}`, `\\` escape the markup characters;
/// - a hyphen-minus inside a superscript or subscript, or directly before a digit, is printed as the true
///   minus sign U+2212, so `cm^{2} s^{-1}` renders as cm² s⁻¹ with a typographic minus.
///
/// Any Unicode is passed through (µm, σ, θ, Å): the renderer pins a font that covers it (DejaVu Sans).
///
/// Examples: `"D_{eff} [cm^{2} s^{-1}]"`, `"Specific capacity [mAh g^{-1}]"`, `"σ_x [MPa]"`, `"c/c_{max}"`.
public struct RichText: Equatable, Hashable, Sendable, ExpressibleByStringLiteral {
    /// Vertical placement of a run relative to the baseline.
    public enum Position: Equatable, Hashable, Sendable { case normal, subscripted, superscripted }

    /// A stretch of text in one position.
    public struct Run: Equatable, Hashable, Sendable {
        public var text: String
        public var position: Position
    }

    public let runs: [Run]
    public let source: String

    public init(stringLiteral value: String) { self.init(value) }

    public init(_ markup: String) {
        source = markup
        runs = RichText.parse(markup)
    }

    /// Plain text without markup (what a screen reader or a CSV header should show).
    public var plainText: String { runs.map(\.text).joined() }

    public var isEmpty: Bool { runs.allSatisfy { $0.text.isEmpty } }

    static func parse(_ s: String) -> [Run] {
        var runs: [Run] = []
        var current = ""
        func flush(_ position: Position) {
            if !current.isEmpty {
                runs.append(Run(text: current, position: position))
                current = ""
            }
        }
        let chars = Array(s)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count, "_^{}\\".contains(chars[i + 1]) {
                current.append(chars[i + 1])
                i += 2
                continue
            }
            if c == "_" || c == "^", i + 1 < chars.count {
                flush(.normal)
                let position: Position = c == "_" ? .subscripted : .superscripted
                var group = ""
                if chars[i + 1] == "{" {
                    var j = i + 2
                    var depth = 1
                    while j < chars.count {
                        if chars[j] == "{" { depth += 1 }
                        if chars[j] == "}" {
                            depth -= 1
                            if depth == 0 { break }
                        }
                        group.append(chars[j])
                        j += 1
                    }
                    i = j + 1
                } else {
                    group = String(chars[i + 1])
                    i += 2
                }
                runs.append(Run(text: RichText.typographicMinus(group, always: true), position: position))
                continue
            }
            if c == "-", i + 1 < chars.count, chars[i + 1].isNumber,
                i == 0 || chars[i - 1] == " " || chars[i - 1] == "(" || chars[i - 1] == "["
            {
                current.append("\u{2212}")
                i += 1
                continue
            }
            current.append(c)
            i += 1
        }
        flush(.normal)
        return runs
    }

    static func typographicMinus(_ s: String, always: Bool) -> String {
        s.replacingOccurrences(of: "-", with: "\u{2212}")
    }
}
