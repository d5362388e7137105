import Foundation

/// Splits Swift source into tokens for syntax highlighting (comments, string literals, keywords, attributes, numbers,
/// type names, the rest), shared by the HTML reports and the document so a study's declaration looks the same in both.
///
/// Contract: concatenating the tokens' texts gives back the source exactly. A lexical approximation, not a parser:
/// enough for display (multi-line `"""` strings, nested block comments and string interpolation are kept in one token).
public enum SwiftHighlighter {
    public enum Kind: String, Sendable, CaseIterable {
        case plain, comment, string, keyword, attribute, number, type
    }

    public struct Token: Sendable, Equatable {
        public let kind: Kind
        public let text: String
    }

    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal",
        "let", "open", "operator", "private", "protocol", "public", "rethrows", "static", "struct", "subscript",
        "typealias",
        "var", "break", "case", "continue", "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in",
        "repeat", "return", "switch", "where", "while", "as", "catch", "false", "is", "nil", "self", "Self", "super",
        "throw",
        "throws", "true", "try", "async", "await", "some", "any", "mutating", "nonmutating", "lazy", "final",
        "override",
        "weak", "unowned", "convenience", "required", "indirect", "get", "set",
    ]

    public static func tokens(_ source: String) -> [Token] {
        let scalars = Array(source.unicodeScalars)
        var tokens: [Token] = []
        var index = 0
        var plainStart = 0

        func flushPlain(upTo end: Int) {
            if end > plainStart { tokens.append(Token(kind: .plain, text: text(scalars, plainStart, end))) }
        }
        func emit(_ kind: Kind, _ start: Int, _ end: Int) {
            flushPlain(upTo: start)
            tokens.append(Token(kind: kind, text: text(scalars, start, end)))
            plainStart = end
        }

        while index < scalars.count {
            let scalar = scalars[index]
            let next: Unicode.Scalar? = index + 1 < scalars.count ? scalars[index + 1] : nil
            if scalar == "/", next == "/" {
                var end = index
                while end < scalars.count, scalars[end] != "\n" { end += 1 }
                emit(.comment, index, end)
                index = end
            } else if scalar == "/", next == "*" {
                var end = index + 2
                var depth = 1
                while end < scalars.count, depth > 0 {
                    if scalars[end] == "*", end + 1 < scalars.count, scalars[end + 1] == "/" {
                        depth -= 1
                        end += 2
                    } else if scalars[end] == "/", end + 1 < scalars.count, scalars[end + 1] == "*" {
                        depth += 1
                        end += 2
                    } else {
                        end += 1
                    }
                }
                emit(.comment, index, end)
                index = end
            } else if scalar == "\"" {
                let end = stringEnd(scalars, from: index)
                emit(.string, index, end)
                index = end
            } else if scalar == "@", next.map(isIdentifierStart) == true {
                var end = index + 1
                while end < scalars.count, isIdentifierPart(scalars[end]) { end += 1 }
                emit(.attribute, index, end)
                index = end
            } else if isIdentifierStart(scalar) {
                var end = index + 1
                while end < scalars.count, isIdentifierPart(scalars[end]) { end += 1 }
                let word = text(scalars, index, end)
                let previous: Unicode.Scalar? = index > 0 ? scalars[index - 1] : nil
                if previous != ".", keywords.contains(word) {
                    emit(.keyword, index, end)
                } else if scalar.properties.isUppercase {
                    emit(.type, index, end)
                }
                index = end
            } else if scalar.properties.numericType != nil, scalar.isASCII,
                index == 0 || !isIdentifierPart(scalars[index - 1])
            {
                var end = index + 1
                while end < scalars.count, scalars[end].isASCII,
                    scalars[end].properties.isAlphabetic || scalars[end].properties.numericType != nil
                        || scalars[end] == "." || scalars[end] == "_"
                        || ((scalars[end] == "-" || scalars[end] == "+")
                            && (scalars[end - 1] == "e" || scalars[end - 1] == "E"))
                {
                    if scalars[end] == ".", end + 1 < scalars.count, scalars[end + 1].properties.numericType == nil {
                        break
                    }
                    end += 1
                }
                emit(.number, index, end)
                index = end
            } else {
                index += 1
            }
        }
        flushPlain(upTo: scalars.count)
        return tokens
    }

    /// Where a string literal that opens at `start` ends (one past its closing quote; the end of the source if open).
    static func stringEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        let isTriple = start + 2 < scalars.count && scalars[start + 1] == "\"" && scalars[start + 2] == "\""
        var index = start + (isTriple ? 3 : 1)
        var interpolationDepth = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\" {
                if index + 1 < scalars.count, scalars[index + 1] == "(" { interpolationDepth += 1 }
                index += 2
                continue
            }
            if interpolationDepth > 0 {
                if scalar == "(" { interpolationDepth += 1 }
                if scalar == ")" { interpolationDepth -= 1 }
                index += 1
                continue
            }
            if isTriple {
                if scalar == "\"", index + 2 < scalars.count, scalars[index + 1] == "\"", scalars[index + 2] == "\"" {
                    return index + 3
                }
            } else {
                if scalar == "\"" { return index + 1 }
                if scalar == "\n" { return index }
            }
            index += 1
        }
        return scalars.count
    }

    static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isAlphabetic
    }

    static func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool {
        isIdentifierStart(scalar) || scalar.properties.numericType != nil
    }

    static func text(_ scalars: [Unicode.Scalar], _ start: Int, _ end: Int) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[start..<end])
        return String(view)
    }

    /// HTML of `source` with each token in a `<span class="sw-<kind>">` (plain text unwrapped), escaped for HTML.
    public static func html(_ source: String) -> String {
        tokens(source).map { token in
            let escaped = HTMLPage.escape(token.text)
            return token.kind == .plain ? escaped : "<span class=\"sw-\(token.kind.rawValue)\">\(escaped)</span>"
        }.joined()
    }

    /// The stylesheet rules for the token classes (colours of the Okabe–Ito palette the figures use, darkened for text).
    public static let stylesheet = """
        details.declaration { margin: 1.5rem 0; border: 1px solid #d0d0d0; border-radius: 4px; padding: .4rem .8rem; background: #fbfbfb; }
        details.declaration summary { cursor: pointer; font-weight: 600; color: #0b3c5d; }
        details.declaration pre { overflow-x: auto; font-size: .8rem; line-height: 1.35; }
        details.declaration code { background: none; padding: 0; }
        .sw-comment { color: #5f6b5f; font-style: italic; }
        .sw-string { color: #a3461b; }
        .sw-keyword { color: #7a1f6b; font-weight: 600; }
        .sw-attribute { color: #7a1f6b; }
        .sw-number { color: #1c4f99; }
        .sw-type { color: #00695c; }
        """
}
