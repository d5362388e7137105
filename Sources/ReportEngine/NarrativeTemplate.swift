import Foundation
import Mustache

/// Where narrative templates come from: the ones compiled into the binary (so it runs from any folder), or a
/// folder the user names (`--templates DIR`, e.g. while editing a template).
public enum TemplateSource: Sendable {
    /// File name (`<name>.md`) → text.
    case embedded([String: String])
    case folder(URL)

    /// A description for messages: "the templates built into cathodelab" or the folder path.
    public var description: String {
        switch self {
        case .embedded: return "the templates built into cathodelab"
        case .folder(let url): return url.path
        }
    }

    /// Checks that a folder source exists and is a folder.
    public func checkExists() throws {
        guard case .folder(let url) = self else { return }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TemplateFolderError(path: url.path)
        }
    }
}

/// A `--templates` folder that does not exist.
public struct TemplateFolderError: Error, CustomStringConvertible {
    public let path: String
    public var description: String {
        "the template folder '\(path)' does not exist (omit --templates to use the templates built into cathodelab)"
    }
}

/// A study's narrative: Markdown with Mustache placeholders (`templates/<name>.md`).
///
/// Before rendering, every placeholder name the template uses (`{{name}}`, `{{{name}}}`, `{{& name}}`,
/// sections `{{#name}}…{{/name}}` and inverted sections `{{^name}}`) is checked against the values the
/// study provides; any that are missing are reported together, by name. Rendering uses
/// hummingbird-project/swift-mustache (spec-compliant Mustache).
public struct NarrativeTemplate: Sendable {
    public let name: String
    public let text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }

    public static func load(named name: String, from source: TemplateSource) -> NarrativeTemplate? {
        switch source {
        case .embedded(let templates):
            return templates["\(name).md"].map { NarrativeTemplate(name: name, text: $0) }
        case .folder(let folder):
            let url = folder.appendingPathComponent("\(name).md")
            guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
            return NarrativeTemplate(name: name, text: String(decoding: data, as: UTF8.self))
        }
    }

    /// The placeholder names the template uses, in order of first appearance.
    public var placeholders: [String] {
        let pattern = try! NSRegularExpression(pattern: "\\{\\{\\{?\\s*([#^&]?)\\s*([A-Za-z0-9_.\\-]+)\\s*\\}?\\}\\}")
        let ns = text as NSString
        var seen: [String] = []
        for m in pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let name = ns.substring(with: m.range(at: 2))
            if !seen.contains(name) { seen.append(name) }
        }
        return seen
    }

    public enum RenderError: Error, Equatable {
        case missing([String])
        case syntax(String)
        /// A `{{ref:…}}` naming no figure of the index.
        case unknownReference(CrossReference.UnknownReference)
        /// Markdown that does not close what it opens (`MarkdownCheck`).
        case unbalancedMarkdown([String])
    }

    /// Renders with `values`, first replacing every cross-reference `{{ref:<study>/<figure>}}` by its numbered link
    /// (`CrossReference`, seen from `study`'s page), then checks that the result closes every code fence and emphasis it
    /// opens (`MarkdownCheck`).
    public func render(_ values: [String: Any], study: String, figures: FigureIndex) throws -> String {
        let linked: NarrativeTemplate
        do {
            linked = NarrativeTemplate(
                name: name, text: try CrossReference.resolve(in: text, study: study, index: figures))
        } catch let unknown as CrossReference.UnknownReference {
            throw RenderError.unknownReference(unknown)
        }
        let rendered = try linked.render(values)
        let problems = MarkdownCheck.problems(in: rendered)
        if !problems.isEmpty { throw RenderError.unbalancedMarkdown(problems) }
        return rendered
    }

    /// Renders with `values` (strings, or arrays of dictionaries for sections). Throws `.missing` with
    /// every name the template uses that `values` lacks.
    public func render(_ values: [String: Any]) throws -> String {
        let missing = placeholders.filter { values[$0] == nil }
        if !missing.isEmpty { throw RenderError.missing(missing) }
        let template: MustacheTemplate
        do { template = try MustacheTemplate(string: text) } catch { throw RenderError.syntax("\(error)") }
        return template.render(values)
    }
}
