import Foundation

/// Content hashes of source trees, shared by the build-time generator (which compiles them into the binary)
/// and the runtime check that tells a user when the sources on disk no longer match the binary.
///
/// The physics version is the 64-bit FNV-1a hash of, for every `.swift` file under the model folders in
/// path order, the path relative to the package root, a zero byte, and the file's bytes. Two trees with the
/// same model sources give the same version whatever else differs (studies, templates, plotting, CLI).
public enum SourceDigest {
    /// The folders whose sources define the physics: a change in any of them invalidates every cached run.
    public static let physicsFolders = ["Sources/SolverCore", "Sources/Materials", "Sources/CathodeModels"]

    /// The `.swift` files under `folders` (relative to `root`), sorted by relative path.
    public static func swiftFiles(root: URL, folders: [String]) -> [(relative: String, url: URL)] {
        var files: [(String, URL)] = []
        let rootPath = root.standardizedFileURL.path
        for folder in folders {
            let base = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else {
                continue
            }
            for case let url as URL in walker where url.pathExtension == "swift" {
                let path = url.standardizedFileURL.path
                let relative = path.hasPrefix(rootPath + "/") ? String(path.dropFirst(rootPath.count + 1)) : path
                files.append((relative, url))
            }
        }
        return files.sorted { $0.0 < $1.0 }
    }

    /// Generated files that hold calibrated values: part of the physics version (they change results) but not of
    /// the model-code version (a calibration's fit does not depend on the values it stores).
    public static let calibratedValueFiles: Set<String> = [
        "Sources/CathodeModels/Calibrated/PaperCalibratedValues.swift"
    ]

    /// The physics version of the tree at `root`, or nil when none of the model folders holds a source file.
    public static func physicsVersion(root: URL) -> String? {
        digest(root: root, excluding: [])
    }

    /// The version of the model code alone: the physics version without the stored calibrated values. It keys a
    /// calibration's cache, so writing its fitted values into the sources does not invalidate the fit itself.
    public static func modelCodeVersion(root: URL) -> String? {
        digest(root: root, excluding: calibratedValueFiles)
    }

    /// The folders whose sources turn results into bundles (figures, tables, narrative, HTML) and the study
    /// declarations with their shared support files: with the physics version, the templates and the run keys, what
    /// decides a bundle's bytes.
    public static let renderingFolders = [
        "Sources/Plotting", "Sources/CairoBackend", "Sources/ReportEngine", "Sources/StudyKit", "Sources/ResultStore",
        "studies",
    ]

    /// The rendering version of the tree at `root` (same hash as the physics version, over `renderingFolders`).
    public static func renderingVersion(root: URL) -> String? {
        digest(root: root, folders: renderingFolders, excluding: [])
    }

    static func digest(root: URL, folders: [String] = physicsFolders, excluding: Set<String>) -> String? {
        let files = swiftFiles(root: root, folders: folders).filter { !excluding.contains($0.relative) }
        guard !files.isEmpty else { return nil }
        var hasher = FNV1a()
        for (relative, url) in files {
            guard let bytes = FileManager.default.contents(atPath: url.path) else { return nil }
            hasher.combine(Array(relative.utf8))
            hasher.combine([0])
            hasher.combine(bytes)
        }
        return hasher.hex
    }
}

/// 64-bit FNV-1a (Fowler–Noll–Vo): offset basis 0xcbf29ce484222325, prime 0x100000001b3.
public struct FNV1a: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
    public init() {}
    public mutating func combine(_ bytes: some Sequence<UInt8>) {
        // Contiguous bytes (Data, arrays) in one tight loop: the generic iterator costs ~10× per byte.
        let done = bytes.withContiguousStorageIfAvailable { buffer in
            var state = value
            for byte in buffer { state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            value = state
            return true
        }
        guard done == nil else { return }
        for byte in bytes {
            value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
    }
    /// The hash as 16 lower-case hex digits.
    public var hex: String { String(format: "%016llx", value) }
}
