import Foundation
import ResultStore

/// One parameter of a study that differs between the two sides, read from each bundle's `data/parameters.json`.
///
/// `kind` says what differs: the value (`value`), only the source note while the value is the same
/// (`sourceOnly`, flagged because a note that changes without its number — or a number that changes without
/// its note — is how a stale citation slips into a report), or the parameter exists on one side only.
public struct ParameterChange: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case value
        case sourceOnly
        case added
        case removed
    }
    public let name: String
    public let unit: String
    public let old: String?
    public let new: String?
    public let oldSource: String?
    public let newSource: String?
    public let kind: Kind

    /// The value changed but the source note did not: the note may describe the old value.
    public var sourceNoteUnchanged: Bool { kind == .value && oldSource == newSource }
}

/// What differs in the inputs of one study: parameters, narrative template, declaration, physics version.
///
/// `templateChanged` and `declarationChanged` are nil when a bundle predates manifest schema 2 (no hashes).
public struct StudyCauses: Sendable, Equatable {
    public var parameters: [ParameterChange] = []
    public var templateChanged: Bool?
    public var declarationChanged: Bool?
    public var declarationFile: String?
    public var oldPhysicsVersion: String?
    public var newPhysicsVersion: String?
    /// Model runs behind the bundle: how many keys only one side has (nil when either side lacks them).
    public var runsOnlyOld: Int?
    public var runsOnlyNew: Int?

    public init() {}

    public var physicsChanged: Bool {
        oldPhysicsVersion != nil && newPhysicsVersion != nil && oldPhysicsVersion != newPhysicsVersion
    }
    public var modelRunsChanged: Bool { (runsOnlyOld ?? 0) > 0 || (runsOnlyNew ?? 0) > 0 }

    public var isEmpty: Bool {
        parameters.isEmpty && templateChanged != true && declarationChanged != true && !physicsChanged
            && !modelRunsChanged
    }

    /// One line: what differs, most specific first.
    public var summary: String {
        var parts: [String] = []
        let values = parameters.filter { $0.kind != .sourceOnly }
        if !values.isEmpty {
            parts.append(
                "\(values.count) parameter\(values.count == 1 ? "" : "s") (\(values.prefix(3).map(\.name).joined(separator: ", "))\(values.count > 3 ? ", …" : ""))"
            )
        }
        let notes = parameters.filter { $0.kind == .sourceOnly }.count
        if notes > 0 { parts.append("\(notes) source note\(notes == 1 ? "" : "s")") }
        if declarationChanged == true { parts.append("declaration") }
        if templateChanged == true { parts.append("template") }
        if physicsChanged { parts.append("physics version") }
        if parts.isEmpty && modelRunsChanged { parts.append("model runs") }
        return parts.isEmpty ? "no input differs" : parts.joined(separator: ", ")
    }

    /// Compares the recorded inputs of two bundles of one study.
    static func compare(old: URL, new: URL) -> StudyCauses {
        var causes = StudyCauses()
        let pa = (try? readJSON([ParameterRecord].self, old.appendingPathComponent("data/parameters.json"))) ?? []
        let pb = (try? readJSON([ParameterRecord].self, new.appendingPathComponent("data/parameters.json"))) ?? []
        let byNameA = Dictionary(pa.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let byNameB = Dictionary(pb.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for name in Set(byNameA.keys).union(byNameB.keys).sorted() {
            let a = byNameA[name]
            let b = byNameB[name]
            let kind: ParameterChange.Kind
            switch (a, b) {
            case let (a?, b?):
                if a.value != b.value || a.unit != b.unit {
                    kind = .value
                } else if a.source != b.source {
                    kind = .sourceOnly
                } else {
                    continue
                }
            case (nil, _?): kind = .added
            case (_?, nil): kind = .removed
            default: continue
            }
            causes.parameters.append(
                ParameterChange(
                    name: name, unit: (b ?? a)!.unit, old: a?.value, new: b?.value,
                    oldSource: a?.source, newSource: b?.source, kind: kind))
        }
        let ma = try? readJSON(BundleManifest.self, old.appendingPathComponent("manifest.json"))
        let mb = try? readJSON(BundleManifest.self, new.appendingPathComponent("manifest.json"))
        if let ma, let mb {
            causes.oldPhysicsVersion = ma.physicsVersion
            causes.newPhysicsVersion = mb.physicsVersion
            if let ta = ma.templateHash, let tb = mb.templateHash { causes.templateChanged = ta != tb }
            if let da = ma.declarationHash, let db = mb.declarationHash { causes.declarationChanged = da != db }
            causes.declarationFile = mb.declarationFile ?? ma.declarationFile
            if let ka = ma.runKeys, let kb = mb.runKeys {
                causes.runsOnlyOld = Set(ka).subtracting(kb).count
                causes.runsOnlyNew = Set(kb).subtracting(ka).count
            }
        }
        return causes
    }
}

/// What differs between two git revisions: the commits between them and the files they change, by module.
/// Filled by the command line (which runs git); the diff engine only reports it.
public struct RevisionCauses: Sendable, Equatable, Codable {
    public struct Commit: Sendable, Equatable, Codable {
        public let hash: String
        public let subject: String
        public init(hash: String, subject: String) {
            self.hash = hash
            self.subject = subject
        }
    }
    public struct ChangedFile: Sendable, Equatable, Codable {
        public let path: String
        public let module: String
        public init(path: String) {
            self.path = path
            module = RevisionCauses.module(of: path)
        }
    }
    public let old: String
    public let new: String
    public let oldCommit: String
    public let newCommit: String
    public let commits: [Commit]
    public let files: [ChangedFile]

    public init(old: String, new: String, oldCommit: String, newCommit: String, commits: [Commit], files: [String]) {
        self.old = old
        self.new = new
        self.oldCommit = oldCommit
        self.newCommit = newCommit
        self.commits = commits
        self.files = files.map(ChangedFile.init)
    }

    /// The module a path belongs to, in the order a reader asks "did the numbers' code change?".
    public static let modules = [
        "physics", "materials", "studies", "templates", "plotting", "reports", "command line", "tests", "other",
    ]

    public static func module(of path: String) -> String {
        let rules: [(String, String)] = [
            ("Sources/CathodeModels/", "physics"), ("Sources/SolverCore/", "physics"),
            ("Sources/Materials/", "materials"),
            ("studies/", "studies"), ("templates/", "templates"), ("Sources/Plotting/", "plotting"),
            ("Sources/CairoBackend/", "plotting"),
            ("Sources/ReportEngine/", "reports"), ("Sources/BundleDiff/", "reports"),
            ("Sources/ResultStore/", "reports"),
            ("Sources/StudyKit/", "studies"), ("Sources/cathodelab/", "command line"),
            ("Sources/ModelIO/", "command line"),
            ("Tests/", "tests"),
        ]
        return rules.first { path.hasPrefix($0.0) }?.1 ?? "other"
    }

    /// The changed files grouped by module, in `modules` order.
    public var filesByModule: [(module: String, paths: [String])] {
        Self.modules.compactMap { module in
            let paths = files.filter { $0.module == module }.map(\.path)
            return paths.isEmpty ? nil : (module, paths)
        }
    }
}
