import Foundation
import SourceDigest

// Build-time generator for the `BuildInfo` module (run by the BuildInfoPlugin build-tool plugin).
//
//     buildinfo-generator <package root> <output Swift file>
//
// Writes constants that fix, at build time, what the binary is: the physics version (SourceDigest), the git
// commit and whether the sources that went into the build differ from it, the narrative templates and the
// study declarations (so the binary needs no checkout). The file is rewritten only when its text changes, so
// an unchanged build recompiles nothing.

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: buildinfo-generator <package root> <output.swift>\n".utf8))
    exit(2)
}
let root = URL(fileURLWithPath: arguments[1])
let output = URL(fileURLWithPath: arguments[2])

/// Runs git in the package root; nil when git or the repository is missing.
func git(_ args: [String]) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "-C", root.path] + args
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do {
        try process.run()
    } catch {
        return nil
    }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

/// A Swift raw string literal holding `text` exactly (one more `#` than the longest run of `#` in it).
func literal(_ text: String) -> String {
    var longest = 0
    var run = 0
    for character in text {
        if character == "#" {
            run += 1
            longest = max(longest, run)
        } else {
            run = 0
        }
    }
    let hashes = String(repeating: "#", count: longest + 1)
    return hashes + "\""
        + text
        .replacingOccurrences(of: "\r", with: "")
        .replacingOccurrences(of: "\n", with: "\\" + hashes + "n") + "\"" + hashes
}

/// Files under `folder` with extension `ext`, as (path relative to the root, contents), sorted by path.
func files(in folder: String, extension ext: String) -> [(String, String)] {

    let base = root.appendingPathComponent(folder)
    guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
    var found: [(String, String)] = []
    for case let url as URL in walker where url.pathExtension == ext {
        let relative = String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
        if let text = try? String(contentsOf: url, encoding: .utf8) { found.append((relative, text)) }
    }
    return found.sorted { $0.0 < $1.0 }
}

let physics = SourceDigest.physicsVersion(root: root) ?? "unknown"
let modelCode = SourceDigest.modelCodeVersion(root: root) ?? "unknown"
let rendering = SourceDigest.renderingVersion(root: root) ?? "unknown"
let commit = git(["rev-parse", "HEAD"]) ?? "unknown"
// The commit's own date (not the build's): the same commit always gives the same pages.
let commitDate = git(["log", "-1", "--format=%cs", "HEAD"]) ?? "unknown"
// Dirty = the sources that make up the binary differ from the commit (untracked source files count).
let status = git([
    "status", "--porcelain", "--untracked-files=normal", "--", "Sources", "studies", "templates", "Plugins",
    "Package.swift",
])
let dirty = status.map { !$0.isEmpty } ?? false

var text = """
    // Generated at build time by buildinfo-generator (Plugins/BuildInfoPlugin). Do not edit.

    enum GeneratedBuildInfo {
        static let physicsVersion = \(literal(physics))
        static let modelCodeVersion = \(literal(modelCode))
        static let renderingVersion = \(literal(rendering))
        static let commit = \(literal(commit))
        static let commitDate = \(literal(commitDate))
        static let dirty = \(dirty)
        static let sourceRoot = \(literal(root.standardizedFileURL.path))

    """
text += "    static let templates: [String: String] = [\n"
for (path, contents) in files(in: "templates", extension: "md") {
    text += "        \(literal(path)): \(literal(contents)),\n"
}
text += "    ]\n\n    static let studySources: [String: String] = [\n"
for (path, contents) in files(in: "studies", extension: "swift") {
    text += "        \(literal(path)): \(literal(contents)),\n"
}
text += "    ]\n}\n"

if (try? String(contentsOf: output, encoding: .utf8)) != text {
    do {
        try Data(text.utf8).write(to: output, options: .atomic)
    } catch {
        FileHandle.standardError.write(Data("buildinfo-generator: cannot write \(output.path): \(error)\n".utf8))
        exit(1)
    }
}
