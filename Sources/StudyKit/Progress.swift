import Foundation

/// Progress of a report run: on a terminal a single line redrawn in place (study, point k/N, elapsed,
/// ETA); otherwise plain log lines, one per study, so CI logs stay readable.
public final class ProgressReporter: @unchecked Sendable {
    public enum Mode: Sendable { case quiet, lines, terminal }
    private let mode: Mode
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private let start = Date()

    public init(quiet: Bool) {
        if quiet { mode = .quiet } else { mode = isatty(STDERR_FILENO) == 1 ? .terminal : .lines }
    }

    public init(mode: Mode) { self.mode = mode }

    /// A run of `total` points of `study` began: `cached` of them were in the cache before this report,
    /// `computedAbove` were computed in the report's shared pool, the rest are computed now.
    public func began(study: String, total: Int, cached: Int, computedAbove: Int = 0) {
        guard mode != .quiet else { return }
        let shared = computedAbove > 0 ? ", \(computedAbove) computed in the shared pool" : ""
        if mode == .lines {
            write("\(study): \(total) runs (\(cached) cached\(shared), \(total - cached - computedAbove) to compute)\n")
        }
    }

    public func advanced(study: String, done: Int, total: Int, studyStart: Date) {
        guard mode == .terminal else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.1 || done == total else { return }
        lastDraw = now
        let elapsed = now.timeIntervalSince(studyStart)
        let eta = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        write(String(format: "\r\u{1B}[K%@  point %d/%d  elapsed %.1f s  ETA %.1f s", study, done, total, elapsed, eta))
    }

    public func finished(study: String, seconds: Double, path: String) {
        guard mode != .quiet else { return }
        write((mode == .terminal ? "\r\u{1B}[K" : "") + String(format: "%@  %.1f s  → %@\n", study, seconds, path))
    }

    /// An informational line (e.g. calibration progress): on a terminal redrawn in place, otherwise a log line.
    public func note(_ message: String) {
        switch mode {
        case .quiet: return
        case .terminal:
            lock.lock()
            defer { lock.unlock() }
            write("\r\u{1B}[K" + message)
        case .lines: write(message + "\n")
        }
    }

    public func warn(_ message: String) {
        write((mode == .terminal ? "\r\u{1B}[K" : "") + "warning: \(message)\n")
    }

    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}
