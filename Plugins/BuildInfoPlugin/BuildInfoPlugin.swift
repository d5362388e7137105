import Foundation
import PackagePlugin

/// Generates the `BuildInfo` module's constants (physics version, git commit and dirty state, embedded templates
/// and study declarations) at build time, so results are always filed under the code that actually ran.
///
/// The command's inputs are every file the constants are computed from (model sources, templates, studies,
/// the package manifest) plus git's HEAD, index and branch refs, so a source edit or a commit reruns it and
/// nothing else does.
@main
struct BuildInfoPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let output = context.pluginWorkDirectoryURL.appending(path: "GeneratedBuildInfo.swift")
        var inputs: [URL] = [root.appending(path: "Package.swift")]
        for folder in ["Sources", "studies", "templates", "Plugins"] {
            guard
                let walker = FileManager.default.enumerator(
                    at: root.appending(path: folder), includingPropertiesForKeys: nil)
            else { continue }
            for case let url as URL in walker where ["swift", "md", "h", "modulemap"].contains(url.pathExtension) {
                inputs.append(url)
            }
        }
        inputs += gitStateFiles(root: root)
        return [
            .buildCommand(
                displayName: "Recording the build's physics version and commit",
                executable: try context.tool(named: "buildinfo-generator").url,
                arguments: [root.path, output.path],
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }

    /// HEAD, index, packed-refs and the current branch's ref of the repository (a worktree's `.git` file is
    /// followed to its git directory and the common directory).
    func gitStateFiles(root: URL) -> [URL] {
        let dotGit = root.appending(path: ".git")
        var gitDirectory = dotGit
        if let pointer = try? String(contentsOf: dotGit, encoding: .utf8), pointer.hasPrefix("gitdir:") {
            let path = pointer.dropFirst("gitdir:".count).trimmingCharacters(in: .whitespacesAndNewlines)
            gitDirectory = path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appending(path: path)
        }
        var common = gitDirectory
        if let text = try? String(contentsOf: gitDirectory.appending(path: "commondir"), encoding: .utf8) {
            let path = text.trimmingCharacters(in: .whitespacesAndNewlines)
            common = path.hasPrefix("/") ? URL(fileURLWithPath: path) : gitDirectory.appending(path: path)
        }
        var files = [
            gitDirectory.appending(path: "HEAD"), gitDirectory.appending(path: "index"),
            common.appending(path: "packed-refs"),
        ]
        if let head = try? String(contentsOf: gitDirectory.appending(path: "HEAD"), encoding: .utf8),
            head.hasPrefix("ref:")
        {
            files.append(
                common.appending(path: head.dropFirst("ref:".count).trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        return files.filter { FileManager.default.fileExists(atPath: $0.path) }
    }
}
