import Foundation
import Materials
import Plotting
import ResultStore

/// A computed number the narrative and the tables use: value, unit and display format.
public struct Quantity: Sendable, Codable, Equatable {
    public let name: String
    public let value: Double
    public let unit: String
    public let format: String
    public init(_ name: String, _ value: Double, unit: String, format: String = "%.1f") {
        self.name = name; self.value = value; self.unit = unit; self.format = format
    }
    public var formatted: String { String(format: format, value) + (unit.isEmpty ? "" : " \(unit)") }
}

/// A published number beside the computed one.
///
/// `kind` says what the "paper" column is: a value the paper states, a value derived from the paper's
/// numbers by arithmetic, or a regression value of the specification's reference implementation
/// (not published; shown so the reader can see the same equations are solved).
public struct Comparison: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable { case published = "published", derived = "derived from published", reference = "reference implementation (not published)" }
    public let quantity: String
    public let paper: Double
    public let computed: Double
    public let unit: String
    public let kind: Kind
    public let source: String
    public init(_ quantity: String, paper: Double, computed: Double, unit: String, kind: Kind, source: String) {
        self.quantity = quantity; self.paper = paper; self.computed = computed; self.unit = unit; self.kind = kind; self.source = source
    }
    public var relativeDifference: Double { paper == 0 ? .nan : (computed - paper) / abs(paper) }
}

/// A figure with its file name and caption.
public struct StudyFigure: Sendable {
    public let name: String
    public let caption: String
    public let figure: Figure
    public init(_ name: String, caption: String, figure: Figure) { self.name = name; self.caption = caption; self.figure = figure }
}

/// Everything a study produces; the report writer turns it into a bundle.
public struct StudyOutput: Sendable {
    public var figures: [StudyFigure] = []
    public var tables: [(name: String, table: CSVTable)] = []
    public var quantities: [Quantity] = []
    public var comparisons: [Comparison] = []
    /// Markdown paragraphs (the narrative), with computed values already filled in.
    public var narrative: String = ""
    /// Parameters used (name, value, unit) and their sources.
    public var parameters: [(name: String, value: String, unit: String)] = []
    public var citations: [Citation] = []
    public init() {}
}

/// A study: an id, a title, and a computation that yields figures, data and narrative.
public protocol Study: Sendable {
    var id: String { get }
    var title: String { get }
    /// The paper's figure(s) this study regenerates.
    var paperFigure: String { get }
    func run() throws -> StudyOutput
}

/// Every study, in report order. Adding a study is adding one file and one entry here.
public enum StudyCatalogue {
    public static let all: [any Study] = [
        Fig3cDischargeCurves(), Fig3dCapacityMap(), Fig3eConcentrationProfiles(), Fig6bDiffusivityMap(),
    ]
}

/// Result slots filled concurrently, one per index.
final class ParallelResults<T>: @unchecked Sendable {
    var results: [Result<T, Error>?]
    let lock = NSLock()
    init(_ n: Int) { results = Array(repeating: nil, count: n) }
}

/// Runs independent jobs on all cores and returns their results in order (first error wins).
public func parallelMap<T: Sendable>(_ count: Int, _ body: @Sendable (Int) throws -> T) throws -> [T] {
    let box = ParallelResults<T>(count)
    DispatchQueue.concurrentPerform(iterations: count) { k in
        let r = Result { try body(k) }
        box.lock.lock(); box.results[k] = r; box.lock.unlock()
    }
    return try box.results.map { try $0!.get() }
}
