import Foundation
import ResultStore

/// Model results cached on disk under a content hash of (model, physics-code version, every input).
///
/// One readable JSON file per run in `<output>/.cache/<key>.json`, written atomically. A corrupt or
/// unreadable entry is a warning and a recompute, never trusted and never fatal (Quarto's freezer works
/// the same way).
public struct ResultCache: Sendable {
    public let directory: URL
    public init(directory: URL) { self.directory = directory }

    func url(_ key: String) -> URL { directory.appendingPathComponent("\(key).json") }

    public func contains(_ key: String) -> Bool { FileManager.default.fileExists(atPath: url(key).path) }

    /// The cached output, or nil (with `warning` set when an entry existed but could not be read).
    func load(_ key: String, warning: inout String?) -> ModelOutput? {
        guard let data = FileManager.default.contents(atPath: url(key).path) else { return nil }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do { return try decoder.decode(ModelOutput.self, from: data) } catch {
            warning = "cache entry \(key).json is unreadable (\(error)); recomputing"
            return nil
        }
    }

    func store(_ output: ModelOutput, key: String) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data = try encoder.encode(output)
        try data.write(to: url(key), options: .atomic)
    }
}

/// The version of the physics code: a hash of the model sources (SolverCore, Materials, CathodeModels),
/// so a change to any of them invalidates every cached result and nothing else does. When the sources
/// are not next to the binary (an installed tool), the executable's own bytes are hashed instead.
public enum PhysicsVersion {
    public static let current: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folders = ["Sources/SolverCore", "Sources/Materials", "Sources/CathodeModels"].map { root.appendingPathComponent($0) }
        var bytes: [UInt8] = []
        var found = false
        for folder in folders {
            guard let e = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { continue }
            let files = e.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }.sorted { $0.path < $1.path }
            for f in files {
                guard let d = FileManager.default.contents(atPath: f.path) else { continue }
                found = true
                bytes += Array(f.path.dropFirst(root.path.count).utf8) + [0] + Array(d)
            }
        }
        if !found, let exe = FileManager.default.contents(atPath: "/proc/self/exe") { bytes = Array(exe) }
        return contentHash(bytes)
    }()
}
