import BuildInfo
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The small file CathodeLab leaves in every folder it creates: what wrote the folder and which version.
///
/// A folder with this marker is CathodeLab's own: it may be replaced or written into. Any other non-empty
/// folder, file or path is the user's and is never deleted or overwritten.
public struct OutputMarker: Codable, Sendable, Equatable {
    public static let fileName = ".cathodelab"
    public var writer: String
    /// What the folder holds: report, bundle, simulation, diff, gallery, slurm, …
    public var kind: String
    public var version: String
    public var commit: String

    public init(kind: String) {
        writer = "cathodelab"
        self.kind = kind
        version = BuildInfo.version
        commit = BuildInfo.commit
    }
}

/// A refused output path: the path, why it is refused, and what to do instead. The command line exits with 2.
public struct UnsafeOutputError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let reason: String
    public let advice: String
    public init(path: String, reason: String, advice: String) {
        self.path = path
        self.reason = reason
        self.advice = advice
    }
    public var description: String { "refusing to write to '\(path)': \(reason). \(advice)" }
}

/// Folders CathodeLab writes, and the rules that keep it from touching anything it did not write.
///
/// Contract:
/// - every folder CathodeLab creates carries an `OutputMarker`; bundles written before markers existed are
///   recognised by a `manifest.json` whose `studyId` names the folder;
/// - `checkTarget` refuses an output path that is empty, `/`, the current directory or one of its ancestors,
///   the home directory or one of its ancestors, a git repository's root, CathodeLab's own source tree, an
///   existing file, a non-empty folder without the marker, or (for commands that read folders) one of the
///   inputs, a folder inside one, or a folder that contains one;
/// - `replace` never passes through a moment in which neither the old nor the new folder is under the final
///   name: the new folder is staged beside it and swapped in with `renameat2(RENAME_EXCHANGE)` (Linux ≥ 3.15,
///   ext4/xfs/btrfs/tmpfs), or, where the file system cannot exchange, by renaming the old folder to a hidden
///   name, the new one into place and deleting the old; a later run restores the old folder if it finds it
///   hidden with no folder under the final name, and removes staging folders of processes that no longer run.
public enum OutputFolder {
    // MARK: - Ownership

    /// Whether `folder` was written by CathodeLab (its marker, or a legacy bundle manifest naming it).
    public static func isOwned(_ folder: URL) -> Bool {
        let fm = FileManager.default
        if fm.fileExists(atPath: folder.appendingPathComponent(OutputMarker.fileName).path) { return true }
        let manifest = folder.appendingPathComponent("manifest.json")
        guard let data = fm.contents(atPath: manifest.path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return false }
        return object["studyId"] as? String == folder.lastPathComponent
    }

    /// Whether `folder` exists as a directory and holds nothing.
    static func isEmptyDirectory(_ folder: URL) -> Bool {
        (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.isEmpty ?? false
    }

    /// Writes the marker into `folder` unless it already holds one (an existing marker is never rewritten, so
    /// a committed marker stays unchanged).
    ///
    /// The marker is created in place with `O_EXCL` rather than through a temporary file: an atomic write would
    /// put a temporary file into a fresh folder before the marker, and a second process looking at that moment
    /// would see a non-empty folder without a marker and refuse it. Ownership is read from the marker's
    /// existence alone, so a marker caught half-written still counts.
    public static func mark(_ folder: URL, kind: String) throws {
        let url = folder.appendingPathComponent(OutputMarker.fileName)
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if descriptor < 0 {
            if errno == EEXIST { return }
            throw CocoaError(
                .fileWriteNoPermission,
                userInfo: [
                    NSFilePathErrorKey: url.path,
                    NSLocalizedDescriptionKey:
                        "cannot create the marker \(url.path): \(String(cString: strerror(errno)))",
                ])
        }
        defer { close(descriptor) }
        let bytes = try StableJSON.encode(OutputMarker(kind: kind))
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            throw CocoaError(
                .fileWriteUnknown,
                userInfo: [
                    NSFilePathErrorKey: url.path,
                    NSLocalizedDescriptionKey:
                        "cannot write the marker \(url.path): \(String(cString: strerror(errno)))",
                ])
        }
    }

    // MARK: - Checking a target

    /// The absolute, symlink-resolved form of a path given on the command line.
    public static func resolve(_ path: String) -> URL {
        let base = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path)
        return url.standardizedFileURL.resolvingSymlinksInPath()
    }

    /// Checks an output path before anything is computed; returns its resolved URL or throws `UnsafeOutputError`.
    /// `inputs` are folders the command reads (e.g. the two sides of a diff).
    public static func checkTarget(_ path: String, option: String = "--out", inputs: [URL] = []) throws -> URL {
        let advice = "Give \(option) a new folder name (or a folder CathodeLab wrote before)"
        guard !path.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw UnsafeOutputError(path: path, reason: "\(option) is empty", advice: advice)
        }
        let url = resolve(path)
        let target = url.path
        func within(_ inner: String, _ outer: String) -> Bool {
            inner == outer || inner.hasPrefix(outer == "/" ? "/" : outer + "/")
        }
        if target == "/" {
            throw UnsafeOutputError(path: path, reason: "it is the root of the file system", advice: advice)
        }
        let cwd = resolve(".").path
        if within(cwd, target) {
            throw UnsafeOutputError(
                path: path,
                reason: target == cwd ? "it is the current directory" : "it contains the current directory (\(cwd))",
                advice: advice)
        }
        let home = resolve(NSHomeDirectory()).path
        if within(home, target) {
            throw UnsafeOutputError(path: path, reason: "it is the home directory or contains it", advice: advice)
        }
        let source = BuildInfo.sourceRoot.standardizedFileURL.resolvingSymlinksInPath().path
        if within(source, target) {
            throw UnsafeOutputError(path: path, reason: "it is CathodeLab's source tree or contains it", advice: advice)
        }
        let fm = FileManager.default
        if fm.fileExists(atPath: url.appendingPathComponent(".git").path) {
            throw UnsafeOutputError(path: path, reason: "it is the root of a git repository", advice: advice)
        }
        for input in inputs.map({ $0.standardizedFileURL.resolvingSymlinksInPath().path }) {
            if within(target, input) {
                throw UnsafeOutputError(
                    path: path, reason: "it is an input of this command or lies inside one (\(input))", advice: advice)
            }
            if within(input, target) {
                throw UnsafeOutputError(
                    path: path, reason: "it contains an input of this command (\(input))", advice: advice)
            }
        }
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: target, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw UnsafeOutputError(path: path, reason: "it is an existing file", advice: advice)
            }
            if !isEmptyDirectory(url) && !isOwned(url) {
                throw UnsafeOutputError(
                    path: path,
                    reason:
                        "it is a non-empty folder that CathodeLab did not write (no \(OutputMarker.fileName) marker)",
                    advice: advice + "; CathodeLab never deletes or overwrites files it did not write")
            }
        }
        return url
    }

    /// Creates `folder` (and its parents) if needed and marks it; refuses a folder that is not CathodeLab's.
    public static func prepareRoot(_ folder: URL, kind: String) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw UnsafeOutputError(
                    path: folder.path, reason: "it is an existing file", advice: "Give --out a folder")
            }
            guard isEmptyDirectory(folder) || isOwned(folder) else {
                throw UnsafeOutputError(
                    path: folder.path,
                    reason:
                        "it is a non-empty folder that CathodeLab did not write (no \(OutputMarker.fileName) marker)",
                    advice: "Give --out a new folder name")
            }
        } else {
            try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        try mark(folder, kind: kind)
    }

    // MARK: - Replacing a folder

    /// Writes `folder` completely or not at all: `fill` writes into a marked staging folder beside it, which then
    /// replaces `folder` without a gap (see the type's contract). An existing `folder` must be CathodeLab's.
    public static func replace(_ folder: URL, kind: String, _ fill: (URL) throws -> Void) throws {
        let fm = FileManager.default
        let parent = folder.deletingLastPathComponent()
        try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        recover(folder)
        var isDirectory: ObjCBool = false
        let exists = fm.fileExists(atPath: folder.path, isDirectory: &isDirectory)
        if exists && (!isDirectory.boolValue || !(isOwned(folder) || isEmptyDirectory(folder))) {
            throw UnsafeOutputError(
                path: folder.path,
                reason: isDirectory.boolValue ? "it holds files CathodeLab did not write" : "it is an existing file",
                advice: "Move it away or choose another output folder")
        }
        let staging = parent.appendingPathComponent(hiddenName(folder, role: "partial"))
        try fm.createDirectory(at: staging, withIntermediateDirectories: false)
        do {
            try mark(staging, kind: kind)
            try fill(staging)
        } catch {
            try? fm.removeItem(at: staging)
            throw error
        }
        faultPoint("staged")
        guard exists else {
            try rename(staging, folder)
            return
        }
        if exchange(staging, folder) {
            faultPoint("exchanged")
            try? fm.removeItem(at: staging)  // now the old folder
            return
        }
        let hidden = parent.appendingPathComponent(hiddenName(folder, role: "replaced"))
        try rename(folder, hidden)
        faultPoint("moved-old")
        do {
            try rename(staging, folder)
        } catch {
            try? rename(hidden, folder)
            throw error
        }
        faultPoint("moved-new")
        try? fm.removeItem(at: hidden)
    }

    /// Repairs what an interrupted `replace` of `folder` left: restores a hidden old folder when nothing is under
    /// the final name, and removes staging or hidden folders of processes that no longer run.
    public static func recover(_ folder: URL) {
        let fm = FileManager.default
        let parent = folder.deletingLastPathComponent()
        guard let names = try? fm.contentsOfDirectory(atPath: parent.path) else { return }
        let prefix = "." + folder.lastPathComponent + "."
        for name in names.sorted() where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            let parts = rest.split(separator: "-")
            guard parts.count == 3, ["partial", "replaced"].contains(String(parts[0])), let pid = Int32(parts[1]) else {
                continue
            }
            guard !processIsRunning(pid) else { continue }
            let url = parent.appendingPathComponent(name)
            guard isOwned(url) else { continue }
            if parts[0] == "replaced" && !fm.fileExists(atPath: folder.path) {
                try? fm.moveItem(at: url, to: folder)
            } else {
                try? fm.removeItem(at: url)
            }
        }
    }

    /// `.<name>.<role>-<pid>-<n>`: hidden, unique per process and call, recognisable by `recover`.
    static func hiddenName(_ folder: URL, role: String) -> String {
        counter.withLock { value in
            value += 1
            return ".\(folder.lastPathComponent).\(role)-\(getpid())-\(value)"
        }
    }

    private static let counter = Mutex(0)

    static func rename(_ from: URL, _ to: URL) throws {
        guard Glibc.rename(from.path, to.path) == 0 else {
            throw CocoaError(
                .fileWriteUnknown,
                userInfo: [
                    NSFilePathErrorKey: to.path,
                    NSLocalizedDescriptionKey:
                        "rename \(from.path) → \(to.path) failed: \(String(cString: strerror(errno)))",
                ])
        }
    }

    /// Atomically swaps two paths with renameat2(RENAME_EXCHANGE); false where the kernel, libc or file system
    /// cannot (the caller falls back to two renames).
    static func exchange(_ a: URL, _ b: URL) -> Bool {
        guard ProcessInfo.processInfo.environment["CATHODELAB_TEST_NO_EXCHANGE"] == nil, let function = renameExchange
        else { return false }
        return function(AT_FDCWD, a.path, AT_FDCWD, b.path, 2 /* RENAME_EXCHANGE */) == 0
    }

    private typealias RenameAt2 =
        @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    /// glibc's renameat2 (≥ 2.28), looked up at run time because the Glibc module does not export it.
    private static let renameExchange: RenameAt2? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
    }()

    static func processIsRunning(_ pid: Int32) -> Bool {
        pid == getpid() || kill(pid, 0) == 0 || errno == EPERM
    }

    /// Test hook: `CATHODELAB_TEST_KILL_AT=<step>` kills this process with SIGKILL at that step of `replace`
    /// (staged, exchanged, moved-old, moved-new), so tests can check that no interruption loses a folder.
    static func faultPoint(_ step: String) {
        if ProcessInfo.processInfo.environment["CATHODELAB_TEST_KILL_AT"] == step { kill(getpid(), SIGKILL) }
    }
}

/// An exclusive advisory lock (flock) on a folder, held for the lifetime of the value: a second process
/// that wants the same folder waits for it, after saying which process holds it.
public final class FolderLock {
    private let descriptor: Int32
    public let url: URL

    /// Locks `folder` (which must exist); `waiting` is called with a message when another process holds it.
    public init(_ folder: URL, waiting: (String) -> Void) throws {
        url = folder.appendingPathComponent(".cathodelab.lock")
        descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CocoaError(
                .fileWriteNoPermission,
                userInfo: [
                    NSFilePathErrorKey: url.path,
                    NSLocalizedDescriptionKey:
                        "cannot create the lock file \(url.path): \(String(cString: strerror(errno)))",
                ])
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let holder =
                (try? String(contentsOf: url, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
            waiting(
                "another cathodelab process (pid \(holder.isEmpty ? "?" : holder)) is writing \(folder.path); waiting for it to finish"
            )
            while flock(descriptor, LOCK_EX) != 0 && errno == EINTR {}
        }
        let text = "\(getpid())\n"
        _ = ftruncate(descriptor, 0)
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    deinit {
        _ = ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
