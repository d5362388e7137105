import CathodeModels
import Foundation
import Plotting
import ResultStore

/// A study: a declaration that reads like a table of contents.
///
/// ```swift
/// struct Fig3dCapacityMap: Study {
///     let id = "fig3d-capacity-map"
///     let title = "Rate capability of the dense cathode versus thickness"
///     let paperFigure = "Fig. 3(d)"
///     let template = "fig3d-capacity-map"          // templates/fig3d-capacity-map.md
///
///     var body: [StudyElement] {
///         BaseParameters("paperHalfCell")
///         Sweep("map", x: .log("cRate", 0.1...2, count: 20, unit: "h⁻¹"),
///                      y: .linear("thicknessMicrometres", 10...100, count: 20, unit: "µm"))
///         FigureSpec("capacity-map", caption: "…") { results in … }
///         Quantities { results in [Quantity("capacity_0p1C", …, unit: "mAh g⁻¹")] }
///     }
/// }
/// ```
///
/// Contract: every sweep point is one model run (cached by content hash, run in parallel); figures,
/// quantities and comparisons are pure functions of the results; the narrative template may use every
/// quantity name, `figure_<name>` (name with `-` → `_`) and `title`; a placeholder the study does not
/// provide is an error that names it.
public protocol Study: Sendable {
    var id: String { get }
    var title: String { get }
    /// The paper figure(s) the study regenerates, e.g. "Fig. 3(d)".
    var paperFigure: String { get }
    /// The narrative template's name: `templates/<template>.md`.
    var template: String { get }
    @StudyBuilder var body: [StudyElement] { get }
}

/// One declaration inside a study body.
public enum StudyElement: Sendable {
    case base(BaseParameters)
    case sweep(Sweep)
    case figure(FigureSpec)
    case quantities(Quantities)
    case comparisons(Comparisons)
    case table(DataTable)
    case textTable(TextTableSpec)
    case tolerances(Tolerances)
    case calibration(CalibrationElement)
    case sensitivity(Sensitivity)
}

public protocol StudyComponent: Sendable { var element: StudyElement { get } }

/// Result builder for study bodies (supports `if`, `if … else` and `for`).
@resultBuilder
public enum StudyBuilder {
    public static func buildExpression(_ c: any StudyComponent) -> [StudyElement] { [c.element] }
    public static func buildExpression(_ c: [any StudyComponent]) -> [StudyElement] { c.map(\.element) }
    /// A body shared between studies (a function returning elements, e.g. one declaration at two sample sizes).
    public static func buildExpression(_ elements: [StudyElement]) -> [StudyElement] { elements }
    public static func buildBlock(_ parts: [StudyElement]...) -> [StudyElement] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [StudyElement]?) -> [StudyElement] { part ?? [] }
    public static func buildEither(first: [StudyElement]) -> [StudyElement] { first }
    public static func buildEither(second: [StudyElement]) -> [StudyElement] { second }
    public static func buildArray(_ parts: [[StudyElement]]) -> [StudyElement] { parts.flatMap { $0 } }
}

/// Which model a study runs, and with which named parameter set and overrides (display-unit names as
/// in `cathodelab simulate <model> --help`).
public struct BaseParameters: StudyComponent {
    public let model: ModelKind
    public let set: String
    public let overrides: [String: Double]
    /// Non-numeric settings (choices such as `"ionicTransport": .choice("archie")`, flags, lists).
    public let settings: [String: SettingValue]
    public init(
        _ set: String = "paperHalfCell", model: ModelKind = .dense1d, overrides: [String: Double] = [:],
        settings: [String: SettingValue] = [:]
    ) {
        self.model = model
        self.set = set
        self.overrides = overrides
        self.settings = settings
    }
    public var element: StudyElement { .base(self) }
}

/// One swept parameter: its name (as in the parameter registry), values and display unit.
public struct SweepAxis: Sendable, Equatable {
    public let parameter: String
    public let values: [Double]
    public let unit: String
    public init(_ parameter: String, values: [Double], unit: String) {
        self.parameter = parameter
        self.values = values
        self.unit = unit
    }
    public static func linear(_ parameter: String, _ range: ClosedRange<Double>, count: Int, unit: String) -> SweepAxis
    {
        SweepAxis(
            parameter,
            values: (0..<count).map {
                range.lowerBound + (range.upperBound - range.lowerBound) * Double($0) / Double(max(count - 1, 1))
            }, unit: unit)
    }
    public static func log(_ parameter: String, _ range: ClosedRange<Double>, count: Int, unit: String) -> SweepAxis {
        SweepAxis(
            parameter,
            values: (0..<count).map {
                range.lowerBound
                    * Foundation.pow(range.upperBound / range.lowerBound, Double($0) / Double(max(count - 1, 1)))
            }, unit: unit)
    }
}

/// A labelled set of overrides (one point of a case list).
public struct SweepCase: Sendable, Equatable {
    public let label: String
    public let overrides: [String: Double]
    public init(_ label: String, _ overrides: [String: Double]) {
        self.label = label
        self.overrides = overrides
    }
}

/// A named set of model runs: a 1D sweep, a 2D grid (every x with every y, x fastest), or a list of cases.
///
/// A sweep runs the study's `BaseParameters` unless it names its own `base` (e.g. a dense-cathode
/// reference beside composite runs).
public struct Sweep: StudyComponent {
    public let name: String
    public let axes: [SweepAxis]
    public let cases: [SweepCase]
    public let base: BaseParameters?
    public init(_ name: String, _ x: SweepAxis, base: BaseParameters? = nil) {
        self.name = name
        axes = [x]
        cases = []
        self.base = base
    }
    public init(_ name: String, x: SweepAxis, y: SweepAxis, base: BaseParameters? = nil) {
        self.name = name
        axes = [x, y]
        cases = []
        self.base = base
    }
    public init(_ name: String, cases: [SweepCase], base: BaseParameters? = nil) {
        self.name = name
        axes = []
        self.cases = cases
        self.base = base
    }
    public var element: StudyElement { .sweep(self) }

    /// The points in order: for a grid, x varies fastest.
    public var points: [SweepCase] {
        if !cases.isEmpty { return cases }
        if axes.count == 1 {
            return axes[0].values.map { SweepCase("\(axes[0].parameter)=\($0)", [axes[0].parameter: $0]) }
        }
        var out: [SweepCase] = []
        for y in axes[1].values {
            for x in axes[0].values {
                out.append(
                    SweepCase(
                        "\(axes[0].parameter)=\(x), \(axes[1].parameter)=\(y)",
                        [axes[0].parameter: x, axes[1].parameter: y]))
            }
        }
        return out
    }
}

/// A figure built from the results (rendered to PDF, SVG and PNG; every plotted series and field is
/// also written as CSV).
public struct FigureSpec: StudyComponent {
    public let name: String
    public let caption: String
    public let build: @Sendable (StudyResults) throws -> Figure
    public init(_ name: String, caption: String, _ build: @escaping @Sendable (StudyResults) throws -> Figure) {
        self.name = name
        self.caption = caption
        self.build = build
    }
    public var element: StudyElement { .figure(self) }
}

/// Named computed quantities for the narrative and `data/quantities.json`.
public struct Quantities: StudyComponent {
    public let build: @Sendable (StudyResults) throws -> [Quantity]
    public init(_ build: @escaping @Sendable (StudyResults) throws -> [Quantity]) { self.build = build }
    public var element: StudyElement { .quantities(self) }
}

/// The paper's numbers beside the computed ones.
public struct Comparisons: StudyComponent {
    public let build: @Sendable (StudyResults) throws -> [Comparison]
    public init(_ build: @escaping @Sendable (StudyResults) throws -> [Comparison]) { self.build = build }
    public var element: StudyElement { .comparisons(self) }
}

/// An extra data table (beyond the plotted series, which are written automatically).
public struct DataTable: StudyComponent {
    public let name: String
    public let build: @Sendable (StudyResults) throws -> CSVTable
    public init(_ name: String, _ build: @escaping @Sendable (StudyResults) throws -> CSVTable) {
        self.name = name
        self.build = build
    }
    public var element: StudyElement { .table(self) }
}

/// A table of text cells shown in the report: the template embeds it as `{{{table_<name>}}}` (dashes become
/// underscores) and the bundle keeps it as `data/<name>.csv`.
public struct TextTableSpec: StudyComponent {
    public let name: String
    public let build: @Sendable (StudyResults) throws -> TextTable
    public init(_ name: String, _ build: @escaping @Sendable (StudyResults) throws -> TextTable) {
        self.name = name
        self.build = build
    }
    public var element: StudyElement { .textTable(self) }
    /// The template key that embeds the table.
    public var key: String { "table_" + name.replacingOccurrences(of: "-", with: "_") }
}

/// Per-quantity tolerances for `cathodelab diff` (a name, or a prefix ending in `*`), written to
/// `data/tolerances.json`; quantities without an entry use the diff's defaults.
public struct Tolerances: StudyComponent {
    public let table: ToleranceTable
    public init(_ entries: [String: Tolerance]) { table = ToleranceTable(entries) }
    public var element: StudyElement { .tolerances(self) }
}

/// A calibration whose result the study reports (run once and cached; `results.calibration(id)`).
public struct CalibrationElement: StudyComponent {
    public let calibration: any Calibration
    public init(_ calibration: any Calibration) { self.calibration = calibration }
    public var element: StudyElement { .calibration(self) }
}
