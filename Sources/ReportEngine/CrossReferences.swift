import Foundation

/// The numbers of every study's figures: chapter `c` is the `c`-th study of the catalogue (1-based), figure `n` its
/// `n`-th declared figure, so Fig. 2.1 is the first figure of the second study, in the HTML reports and in the document
/// alike.
public struct FigureIndex: Sendable, Equatable {
    /// One study: its id and its figure names in declaration order.
    public struct Chapter: Sendable, Equatable {
        public let study: String
        public let figures: [String]
        public init(study: String, figures: [String]) {
            self.study = study
            self.figures = figures
        }
    }

    public let chapters: [Chapter]

    public init(_ chapters: [Chapter]) { self.chapters = chapters }

    /// (chapter, figure) numbers, 1-based; nil when the study or its figure is not in the index.
    public func number(study: String, figure: String) -> (chapter: Int, figure: Int)? {
        guard let chapterIndex = chapters.firstIndex(where: { $0.study == study }),
            let figureIndex = chapters[chapterIndex].figures.firstIndex(of: figure)
        else { return nil }
        return (chapterIndex + 1, figureIndex + 1)
    }

    /// "Fig. 2.1" for the first figure of the second study.
    public func label(study: String, figure: String) -> String? {
        number(study: study, figure: figure).map { FigureLabel.text(chapter: $0.chapter, figure: $0.figure) }
    }

    /// A digest of the numbering, for the freeze key of a bundle whose captions and references carry these numbers.
    public var digest: String {
        chapters.map { "\($0.study):\($0.figures.joined(separator: ","))" }.joined(separator: ";")
    }
}

/// How figures are labelled and anchored, shared by the HTML reports and the document.
public enum FigureLabel {
    /// "Fig. 2.1".
    public static func text(chapter: Int, figure: Int) -> String { "Fig. \(chapter).\(figure)" }

    /// The HTML anchor (element id) of a figure in its study's report page: `fig-<name>`.
    public static func anchor(_ figure: String) -> String { "fig-" + figure }
}

/// Cross-references by name in narrative templates: `{{ref:<study>/<figure>}}` (or `{{ref:<figure>}}` for the study's
/// own figure) becomes a Markdown link whose text is the figure's number ("Fig. 2.1") and whose target is the figure's
/// anchor in its report page (`#fig-<figure>` in the same study, `../<study>/report.html#fig-<figure>` in another).
/// The document engine recognises these targets and links them to the figure in the PDF.
public enum CrossReference {
    /// A reference the index does not know.
    public struct UnknownReference: Error, CustomStringConvertible, Equatable {
        public let reference: String
        public let known: [String]
        public var description: String {
            "the reference {{ref:\(reference)}} names no figure"
                + (known.isEmpty ? "" : " (figures: \(known.joined(separator: ", ")))")
        }
    }

    static let pattern = try! NSRegularExpression(
        pattern: #"\{\{\s*ref:\s*([A-Za-z0-9_.\-]+(?:/[A-Za-z0-9_.\-]+)?)\s*\}\}"#)

    /// The names referenced in `text`, in order.
    public static func references(in text: String) -> [String] {
        pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    /// `text` with every `{{ref:…}}` replaced by its link. Throws `UnknownReference` for the first name the index
    /// lacks (listing the figures of the study it names, or every study when the study is unknown).
    public static func resolve(in text: String, study: String, index: FigureIndex) throws -> String {
        let matches = pattern.matches(in: text, range: NSRange(text.startIndex..., in: text))
        guard !matches.isEmpty else { return text }
        var output = text
        for match in matches.reversed() {
            guard let whole = Range(match.range, in: output), let nameRange = Range(match.range(at: 1), in: output)
            else { continue }
            let name = String(output[nameRange])
            let parts = name.split(separator: "/", maxSplits: 1).map(String.init)
            let targetStudy = parts.count == 2 ? parts[0] : study
            let figure = parts.count == 2 ? parts[1] : parts[0]
            guard let label = index.label(study: targetStudy, figure: figure) else {
                let known =
                    index.chapters.first(where: { $0.study == targetStudy }).map { chapter in
                        chapter.figures.map { "\(chapter.study)/\($0)" }
                    }
                    ?? index.chapters.map(\.study)
                throw UnknownReference(reference: name, known: known)
            }
            output.replaceSubrange(whole, with: "[\(label)](\(href(study: targetStudy, figure: figure, from: study)))")
        }
        return output
    }

    /// The link target of a figure seen from the report page of `from`.
    public static func href(study: String, figure: String, from: String) -> String {
        study == from ? "#" + FigureLabel.anchor(figure) : "../\(study)/report.html#" + FigureLabel.anchor(figure)
    }

    /// The (study, figure) a link target made by `href` points at; `from` is the study whose page holds the link.
    public static func target(of href: String, from: String) -> (study: String, figure: String)? {
        let fragmentPrefix = "#" + FigureLabel.anchor("")
        if href.hasPrefix(fragmentPrefix) {
            return (from, String(href.dropFirst(fragmentPrefix.count)))
        }
        let parts = href.components(separatedBy: "/report.html" + fragmentPrefix)
        guard parts.count == 2, parts[0].hasPrefix("../") else { return nil }
        let study = String(parts[0].dropFirst(3))
        guard !study.isEmpty, !study.contains("/"), !parts[1].isEmpty else { return nil }
        return (study, parts[1])
    }
}
