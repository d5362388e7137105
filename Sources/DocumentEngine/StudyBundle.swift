import CairoBackend
import Foundation
import Plotting
import ResultStore

/// A study bundle as the document reads it: the manifest (title, figures, code version), the composed `report.md`
/// parsed into blocks, each figure's display list (`figures/<name>.displaylist`, drawn as vectors), and when its data
/// were made (`timings.json`).
public struct StudyBundle: Sendable {
    public let folder: URL
    public let manifest: BundleManifest
    public let blocks: [Block]
    /// Figure names in declaration order (the order of their numbers).
    public let figureNames: [String]
    public let figures: [String: (list: DisplayList, fontFamily: String)]
    /// `generatedAt` of `timings.json` (ISO 8601), when present.
    public let generatedAt: String?

    /// A bundle that cannot be read into the document.
    public struct ReadError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    public init(folder: URL) throws {
        self.folder = folder
        let manifestURL = folder.appendingPathComponent("manifest.json")
        guard let manifestData = FileManager.default.contents(atPath: manifestURL.path) else {
            throw ReadError(
                path: folder.path,
                reason:
                    "no study bundle here (manifest.json is missing): run `cathodelab report \(folder.lastPathComponent)` first"
            )
        }
        do { manifest = try JSONDecoder().decode(BundleManifest.self, from: manifestData) } catch {
            throw ReadError(path: manifestURL.path, reason: "not a CathodeLab bundle manifest (\(error))")
        }
        let reportURL = folder.appendingPathComponent("report.md")
        guard let report = FileManager.default.contents(atPath: reportURL.path) else {
            throw ReadError(path: reportURL.path, reason: "the bundle has no report.md")
        }
        guard let markdown = String(data: report, encoding: .utf8) else {
            throw ReadError(path: reportURL.path, reason: "not UTF-8 text")
        }
        blocks = MarkdownTree.parse(markdown)
        var names: [String] = []
        for file in manifest.figures where file.hasSuffix(".pdf") {
            names.append(String((file as NSString).lastPathComponent.dropLast(4)))
        }
        figureNames = names
        var figures: [String: (list: DisplayList, fontFamily: String)] = [:]
        for name in names {
            let url = folder.appendingPathComponent("figures/\(name).\(DisplayListArchive.fileExtension)")
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw ReadError(
                    path: url.path,
                    reason:
                        "the figure's display list is missing (the bundle was made before documents existed): run `cathodelab report \(manifest.studyId) --force`"
                )
            }
            do { figures[name] = try DisplayListArchive.decode([UInt8](data)) } catch {
                throw ReadError(path: url.path, reason: "\(error)")
            }
        }
        self.figures = figures
        if let data = FileManager.default.contents(atPath: folder.appendingPathComponent("timings.json").path),
            let timings = try? JSONDecoder().decode([String: String].self, from: data)
        {
            generatedAt = timings["generatedAt"]
        } else {
            generatedAt = nil
        }
    }
}
