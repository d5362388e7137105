import Foundation

/// A computed number the narrative and the tables use: value, unit and display format.
///
/// `formatted` is what a template placeholder `{{name}}` prints: the value with `format` (a `%` format)
/// and the unit, e.g. `119.1 mAh g⁻¹`.
public struct Quantity: Sendable, Codable, Equatable {
    public let name: String
    public let value: Double
    public let unit: String
    public let format: String
    public init(_ name: String, _ value: Double, unit: String, format: String = "%.1f") {
        self.name = name
        self.value = value
        self.unit = unit
        self.format = format
    }
    public var formatted: String { String(format: format, value) + (unit.isEmpty ? "" : " \(unit)") }
    /// The number alone, in the display format.
    public var number: String { String(format: format, value) }

    /// A table number with one decimal, or three significant figures below 10 (percentages of ratios, small
    /// capacities), so that 0.85 does not print as 0.8.
    public static func significant(_ v: Double) -> String {
        guard v.isFinite else { return "–" }
        return abs(v) >= 10 || v == 0 ? String(format: "%.1f", v) : String(format: "%.3g", v)
    }
}

/// A published number beside the computed one.
///
/// `kind` says what the "paper" column is: a value the paper states, a value derived from the paper's
/// numbers by arithmetic, or a regression value of the specification's reference implementation
/// (not published; shown so the reader can see the same equations are solved).
public struct Comparison: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case published = "published"
        case derived = "derived from published"
        case reference = "reference implementation (not published)"
    }
    public let quantity: String
    public let paper: Double
    public let computed: Double
    public let unit: String
    public let kind: Kind
    public let source: String
    /// How the computed value relates to the calibration of the parameter set that produced it: a fit target
    /// (the fit used it), a validation target (declared before fitting, never used by it), or a prediction
    /// (not a calibration target at all). nil for runs that use no calibrated set.
    public let basis: Basis?

    public enum Basis: String, Sendable, Codable {
        case fitted = "fitted"
        case validation = "validation (held out)"
        case prediction = "prediction"
    }

    public init(
        _ quantity: String, paper: Double, computed: Double, unit: String, kind: Kind, source: String,
        basis: Basis? = nil
    ) {
        self.quantity = quantity
        self.paper = paper
        self.computed = computed
        self.unit = unit
        self.kind = kind
        self.source = source
        self.basis = basis
    }
    public var relativeDifference: Double { paper == 0 ? .nan : (computed - paper) / abs(paper) }
}

/// One row of a report's parameter table.
public struct ParameterRecord: Sendable, Codable, Equatable {
    public let name: String
    public let value: String
    public let unit: String
    public let source: String
    public init(name: String, value: String, unit: String, source: String) {
        self.name = name
        self.value = value
        self.unit = unit
        self.source = source
    }
}

/// The manifest of a study bundle (everything here is byte-stable for unchanged code and inputs).
public struct BundleManifest: Sendable, Codable, Equatable {
    public struct CodeVersion: Sendable, Codable, Equatable {
        public let commit: String
        public let dirty: Bool
        public init(commit: String, dirty: Bool) {
            self.commit = commit
            self.dirty = dirty
        }
    }
    public let schemaVersion: Int
    public let studyId: String
    public let title: String
    public let paperFigure: String
    public let codeVersion: CodeVersion
    public let physicsVersion: String
    public let parameterHash: String
    public let tools: [String: String]
    public let figures: [String]
    public let data: [String]
    /// Content hash of the narrative template the bundle was rendered from (schema 2; nil in older bundles).
    public let templateHash: String?
    /// The study's declaration, relative to the package root (schema 2; nil in older bundles).
    public let declarationFile: String?
    /// Content hash of that declaration as compiled into the binary (schema 2; nil in older bundles).
    public let declarationHash: String?
    /// Content hashes of the model runs behind the bundle, sorted (schema 2): equal keys mean equal numbers.
    public let runKeys: [String]?
    /// Hash of everything that decides the bundle's bytes (physics and rendering versions, template, declaration, run
    /// and calibration keys, output options; nil in older bundles): a rerun with the same key keeps the bundle as it is.
    public let freezeKey: String?

    public init(
        schemaVersion: Int = 2, studyId: String, title: String, paperFigure: String, codeVersion: CodeVersion,
        physicsVersion: String,
        parameterHash: String, tools: [String: String], figures: [String], data: [String],
        templateHash: String? = nil, declarationFile: String? = nil, declarationHash: String? = nil,
        runKeys: [String]? = nil,
        freezeKey: String? = nil
    ) {
        self.freezeKey = freezeKey
        self.schemaVersion = schemaVersion
        self.studyId = studyId
        self.title = title
        self.paperFigure = paperFigure
        self.codeVersion = codeVersion
        self.physicsVersion = physicsVersion
        self.parameterHash = parameterHash
        self.tools = tools
        self.figures = figures
        self.data = data
        self.templateHash = templateHash
        self.declarationFile = declarationFile
        self.declarationHash = declarationHash
        self.runKeys = runKeys
    }
}

/// 64-bit FNV-1a of bytes, as 16 hex digits: the content hash of cache keys and parameter tables.
public func contentHash(_ data: some Sequence<UInt8>) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    // Contiguous bytes in one tight loop (the generic iterator over Data costs ~10× per byte).
    let done = data.withContiguousStorageIfAvailable { buffer in
        for b in buffer { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return true
    }
    if done == nil {
        for b in data { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    }
    return String(format: "%016llx", h)
}
