import Foundation

/// A non-numeric setting of a model run (from a parameter file, the command line or a study declaration).
public enum SettingValue: Sendable, Equatable, Codable {
    /// One of a fixed set of names (`"LiIn"`, `"percolation"`, …).
    case choice(String)
    case flag(Bool)
    /// A list of numbers in the unit the key names (e.g. profile times [s]).
    case list([Double])
    /// A tabulated open-circuit potential: stoichiometries and voltages vs Li/Li⁺.
    case ocpTable(stoichiometry: [Double], voltage: [Double])

    /// The value as a user wrote it (for messages).
    public var text: String {
        switch self {
        case .choice(let name): return name
        case .flag(let on): return on ? "true" : "false"
        case .list(let values): return values.map { "\($0)" }.joined(separator: ", ")
        case let .ocpTable(s, _): return "a table of \(s.count) points"
        }
    }
}

/// Every key a model's parameter file may hold, with the kind of value it takes. A file with any other key,
/// a value of another JSON type, or a key twice is rejected by the one strict decoder all models share.
public struct ParameterSchema: Sendable {
    public enum Kind: Sendable, Equatable {
        /// A JSON number, in the unit given.
        case number(unit: String)
        /// A JSON string, one of the names given (compared without case).
        case choice([String])
        /// A JSON boolean.
        case flag
        /// A JSON array of numbers, in the unit given.
        case list(unit: String)
        /// `{"stoichiometry": [numbers], "voltage": [numbers]}`.
        case ocpTable
        /// The `"base"` key: a JSON string naming one of these parameter sets.
        case parameterSet([String])
    }

    /// The model the schema belongs to (for messages).
    public let model: String
    public let kinds: [String: Kind]

    public init(model: String, kinds: [String: Kind]) {
        self.model = model
        self.kinds = kinds
    }

    /// Every key, sorted.
    public var names: [String] { kinds.keys.sorted() }

    /// The schema with more keys (those of `other` win on a clash).
    public func merging(_ other: ParameterSchema, model: String? = nil) -> ParameterSchema {
        ParameterSchema(model: model ?? self.model, kinds: kinds.merging(other.kinds) { _, new in new })
    }

    /// The schema without the given keys.
    public func removing(_ names: [String]) -> ParameterSchema {
        ParameterSchema(model: model, kinds: kinds.filter { !names.contains($0.key) })
    }

    /// An error for a key the model does not read, with the closest known name.
    public func unknown(_ key: String) -> ModelInputError {
        .unknownParameter(name: key, suggestion: closestName(to: key, among: names), model: model)
    }
}

extension ParameterSpec {
    /// A whole number in `range` from a parameter value: finite, integral and in range before any conversion
    /// to `Int` (so no value, however large, traps).
    public static func wholeNumber(_ name: String, _ value: Double, _ range: ClosedRange<Int>) throws -> Int {
        try CathodeModels.wholeNumber(name, value, range)
    }
}

extension ParameterSpec {
    /// A number stored at `key`, checked against `range` (open at the bottom when `open`) before it is stored.
    static func bounded(
        _ name: String, _ unit: String, _ help: String, _ range: ClosedRange<Double>, open: Bool = false,
        _ key: WritableKeyPath<Setup, Double> & Sendable
    ) -> ParameterSpec {
        ParameterSpec(
            name: name, unit: unit, help: help, get: { $0[keyPath: key] },
            set: { setup, value in
                let inside =
                    value.isFinite && (open ? value > range.lowerBound : value >= range.lowerBound)
                    && value <= range.upperBound
                guard inside else {
                    throw ModelInputError.outOfRange(
                        parameter: name, value: value,
                        allowed:
                            "\(open ? "(" : "[")\(Dense1DParameterRegistry.formatNumber(range.lowerBound)), \(Dense1DParameterRegistry.formatNumber(range.upperBound))]",
                        unit: unit)
                }
                setup[keyPath: key] = value
            })
    }

    /// A 0/1 switch stored at `key`.
    static func flag(_ name: String, _ help: String, _ key: WritableKeyPath<Setup, Double> & Sendable) -> ParameterSpec
    {
        ParameterSpec(
            name: name, unit: "0/1", help: help, get: { $0[keyPath: key] },
            set: { setup, value in
                guard value == 0 || value == 1 else {
                    throw ModelInputError.outOfRange(parameter: name, value: value, allowed: "0 or 1", unit: "")
                }
                setup[keyPath: key] = value
            })
    }

    /// A whole number in `range` stored at `key` (as a Double), checked before any conversion.
    static func whole(
        _ name: String, _ help: String, _ range: ClosedRange<Int>, _ key: WritableKeyPath<Setup, Double> & Sendable
    ) -> ParameterSpec {
        ParameterSpec(
            name: name, unit: "–", help: help, get: { $0[keyPath: key] },
            set: { setup, value in
                setup[keyPath: key] = Double(try wholeNumber(name, value, range))
            })
    }
}

/// See `ParameterSpec.wholeNumber`.
func wholeNumber(_ name: String, _ value: Double, _ range: ClosedRange<Int>) throws -> Int {
    guard value.isFinite, value == value.rounded(), value >= Double(range.lowerBound), value <= Double(range.upperBound)
    else {
        throw ModelInputError.outOfRange(
            parameter: name, value: value, allowed: "[\(range.lowerBound), \(range.upperBound)] (whole numbers)",
            unit: "")
    }
    return Int(value)
}

/// The memory a run will need, checked against a budget before anything is allocated.
public enum MemoryBudget {
    /// The budget [bytes]: `CATHODELAB_MEMORY_BUDGET_GB` if set, else the machine's available memory
    /// (MemAvailable of /proc/meminfo), else 8 GiB — read once per process (a report validates thousands of runs).
    public static var bytes: Double { measured }

    private static let measured: Double = {
        if let text = ProcessInfo.processInfo.environment["CATHODELAB_MEMORY_BUDGET_GB"], let gigabytes = Double(text),
            gigabytes > 0
        {
            return gigabytes * 1_073_741_824
        }
        if let info = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) {
            for line in info.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
                let parts = line.split(separator: " ")
                if parts.count >= 2, let kilobytes = Double(parts[1]) { return kilobytes * 1024 }
            }
        }
        return 8 * 1_073_741_824
    }()

    /// Throws when `estimate` [bytes] exceeds the budget, naming what needs it and the settings that set it.
    public static func check(_ estimate: Double, for what: String, settings: String) throws {
        let budget = bytes
        guard estimate.isFinite, estimate <= budget else {
            throw ModelInputError.memory(what: what, estimateBytes: estimate, budgetBytes: budget, settings: settings)
        }
    }
}
