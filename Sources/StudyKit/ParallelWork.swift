import Foundation

/// Parallel map over indices on `jobs` workers: workers claim indices in order (so work sorted longest first is
/// started longest first), results come back in index order, and the error of the lowest failing index is
/// rethrown after every index has run. The one worker pool of StudyKit: model runs of a report, of a
/// calibration, and fit targets.
public enum ParallelWork {
    public static func map<T: Sendable>(_ count: Int, jobs: Int, _ body: @Sendable (Int) throws -> T) throws -> [T] {
        let box = ParallelResults<T>(count)
        DispatchQueue.concurrentPerform(iterations: min(max(jobs, 1), max(count, 1))) { _ in
            while let index = box.claim() {
                box.store(Result { try body(index) }, at: index)
            }
        }
        return try box.collect()
    }
}

/// The shared state of `ParallelWork.map`: a work counter and the result slots, behind one lock.
final class ParallelResults<T: Sendable>: @unchecked Sendable {
    private var results: [Result<T, Error>?]
    private var next = 0
    private let lock = NSLock()
    init(_ count: Int) { results = Array(repeating: nil, count: count) }

    func claim() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < results.count else { return nil }
        next += 1
        return next - 1
    }

    func store(_ value: Result<T, Error>, at index: Int) {
        lock.lock()
        results[index] = value
        lock.unlock()
    }

    func collect() throws -> [T] { try results.map { try $0!.get() } }
}
