import Foundation
import ResultStore
import Synchronization
import Testing

/// The output-folder rules on their own: ownership, refused targets, replacement, recovery, locking.
@Suite struct OutputFolderTests {
    func temporary() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("outputfolder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// An interrupted two-rename replacement (old folder hidden, nothing under the final name, the writer gone) is
    /// undone by `recover`: the old folder is back under its name, byte for byte.
    @Test func recoveryRestoresAHiddenOldFolder() throws {
        let parent = try temporary()
        defer { try? FileManager.default.removeItem(at: parent) }
        let hidden = parent.appendingPathComponent(".run.replaced-99999999-1")
        try FileManager.default.createDirectory(at: hidden, withIntermediateDirectories: true)
        try OutputFolder.mark(hidden, kind: "simulation")
        try Data("old".utf8).write(to: hidden.appendingPathComponent("metadata.json"))
        let staging = parent.appendingPathComponent(".run.partial-99999999-2")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        try OutputFolder.mark(staging, kind: "simulation")
        OutputFolder.recover(parent.appendingPathComponent("run"))
        #expect(try String(contentsOf: parent.appendingPathComponent("run/metadata.json"), encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["run"])
    }

    /// A replacement's fill that throws leaves the old folder as it was and no staging folder.
    @Test func failedFillKeepsTheOldFolder() throws {
        let parent = try temporary()
        defer { try? FileManager.default.removeItem(at: parent) }
        let folder = parent.appendingPathComponent("bundle")
        try OutputFolder.replace(folder, kind: "bundle") {
            try Data("v1".utf8).write(to: $0.appendingPathComponent("a"))
        }
        struct Failure: Error {}
        #expect(throws: Failure.self) { try OutputFolder.replace(folder, kind: "bundle") { _ in throw Failure() } }
        #expect(try String(contentsOf: folder.appendingPathComponent("a"), encoding: .utf8) == "v1")
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["bundle"])
    }

    /// A folder of someone else's files is never replaced, and its files stay.
    @Test func foreignFolderIsNeverReplaced() throws {
        let parent = try temporary()
        defer { try? FileManager.default.removeItem(at: parent) }
        let folder = parent.appendingPathComponent("bundle")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: folder.appendingPathComponent("thesis.tex"))
        #expect(throws: UnsafeOutputError.self) { try OutputFolder.replace(folder, kind: "bundle") { _ in } }
        #expect(try String(contentsOf: folder.appendingPathComponent("thesis.tex"), encoding: .utf8) == "mine")
        #expect(throws: UnsafeOutputError.self) { try OutputFolder.checkTarget(folder.path) }
    }

    /// A legacy bundle (written before markers) is recognised by its manifest naming it; another manifest is not.
    @Test func legacyBundlesAreRecognisedByTheirManifest() throws {
        let parent = try temporary()
        defer { try? FileManager.default.removeItem(at: parent) }
        let bundle = parent.appendingPathComponent("fig3c-discharge-curves")
        try FileManager.default.createDirectory(at: bundle, withIntermediateDirectories: true)
        try Data(#"{"studyId": "fig3c-discharge-curves"}"#.utf8).write(
            to: bundle.appendingPathComponent("manifest.json"))
        #expect(OutputFolder.isOwned(bundle))
        try Data(#"{"studyId": "something-else"}"#.utf8).write(to: bundle.appendingPathComponent("manifest.json"))
        #expect(!OutputFolder.isOwned(bundle))
    }

    /// A lock held by one value makes a second acquisition wait, and says who holds it.
    @Test func folderLockWaitsForItsHolder() throws {
        let folder = try temporary()
        defer { try? FileManager.default.removeItem(at: folder) }
        var first: FolderLock? = try FolderLock(folder) { _ in Issue.record("the first lock must not wait") }
        let message = Mutex("")
        let acquired = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let second = try? FolderLock(folder) { text in message.withLock { $0 = text } }
            acquired.signal()
            withExtendedLifetime(second) {}
        }
        // The second lock reports that it waits before it blocks; give a loaded machine up to 30 s to get there.
        let deadline = Date().addingTimeInterval(30)
        while message.withLock({ $0.isEmpty }) && Date() < deadline { usleep(10_000) }
        #expect(acquired.wait(timeout: .now() + 0.2) == .timedOut, "the second lock must wait while the first is held")
        first = nil
        #expect(acquired.wait(timeout: .now() + 30) == .success)
        #expect(message.withLock { $0 }.contains("pid \(getpid())"))
        withExtendedLifetime(first) {}
    }
}
