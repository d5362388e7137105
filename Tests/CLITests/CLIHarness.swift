import Foundation

/// Runs the debug `cathodelab` binary as a user would and inspects what it left on disk.
enum CLIHarness {
    /// Package root (Tests/CLITests/CLIHarness.swift → ../../..).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let binary = packageRoot.appendingPathComponent(".build/debug/cathodelab")

    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
        /// True when the process was killed by a signal.
        let signalled: Bool
    }

    static func run(
        _ args: [String], in directory: URL? = nil, environment: [String: String] = [:], binary: URL = binary
    ) throws -> Run {
        let process = Process()
        process.executableURL = binary
        process.arguments = args
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
            stderr: String(decoding: e, as: UTF8.self),
            signalled: process.terminationReason == .uncaughtSignal)
    }

    static func temporaryFolder(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "cathodelab-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Every file and folder under `root` (relative path → contents, "<dir>" for folders), for before/after checks.
    static func snapshot(_ root: URL) -> [String: Data] {
        var out: [String: Data] = [:]
        guard
            let walker = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: [.isDirectoryKey], options: [])
        else { return out }
        let base = root.standardizedFileURL.path
        for case let url as URL in walker {
            let relative = String(url.standardizedFileURL.path.dropFirst(base.count))
            let isDirectory = (try? url.resourceValues(forKeys: [.isDirectoryKey]))?.isDirectory ?? false
            out[relative] =
                isDirectory
                ? Data("<dir>".utf8) : (FileManager.default.contents(atPath: url.path) ?? Data("<unreadable>".utf8))
        }
        return out
    }
}
