import BuildInfo
import CathodeModels
import Foundation
import ResultStore
import SourceDigest
import Synchronization

/// Model results cached on disk under a content hash of (model, physics version, every input).
///
/// One file per run, `<output>/.cache/<key>.run`: a one-line JSON header (format, key, model, physics version,
/// payload size and FNV-1a checksum), a newline, then the result in `BinaryCoding` (doubles as raw bytes: a 2D run
/// decodes in tens of microseconds where JSON took milliseconds, so assembling reports from 10 000 cached runs
/// takes about a second). Entries are written to a unique
/// temporary name and renamed into place, so many processes (e.g. Slurm array tasks on a shared file system)
/// may write distinct keys at once and a reader never sees a partial entry. An entry whose header does not
/// match its key, whose payload is truncated or fails its checksum, or whose result holds a non-finite number
/// where a finite one is required is discarded with a warning and recomputed — never trusted (Quarto's
/// freezer works the same way). A cache path that is a file, or a folder that cannot be written, is an error.
public struct ResultCache: Sendable {
    public let directory: URL
    public init(directory: URL) { self.directory = directory }

    /// The header line of an entry.
    struct Header: Codable, Equatable {
        var format: Int
        var key: String
        var model: String
        var physicsVersion: String
        var payloadBytes: Int
        var payloadChecksum: String
    }

    /// 2: JSON payload; 3: binary payload (`BinaryCoding`), file suffix `.run`.
    static let format = 3
    /// Cache folders this process has created and marked.
    static let prepared = Mutex<Set<String>>([])
    static let suffix = ".run"

    func url(_ key: String) -> URL { directory.appendingPathComponent(key + Self.suffix) }

    public func contains(_ key: String) -> Bool { FileManager.default.fileExists(atPath: url(key).path) }

    /// Every key with an entry (whether or not it is valid).
    public func keys() -> Set<String> {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        return Set(
            names.filter { $0.hasSuffix(Self.suffix) && !$0.hasPrefix(".") }.map {
                String($0.dropLast(Self.suffix.count))
            })
    }

    /// Checks the cache folder before a run: it may be missing (it is created) but not a file or unwritable.
    public func checkUsable() throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw UnsafeOutputError(
                    path: directory.path, reason: "the result cache path is a file, not a folder",
                    advice: "Move the file away")
            }
            guard fm.isWritableFile(atPath: directory.path), fm.isReadableFile(atPath: directory.path) else {
                throw UnsafeOutputError(
                    path: directory.path, reason: "the result cache folder cannot be read and written",
                    advice: "Fix its permissions")
            }
        }
    }

    /// The cached output, or nil (with `warning` set when an entry existed but could not be trusted).
    func load(_ key: String, warning: inout String?) -> ModelOutput? {
        guard let data = FileManager.default.contents(atPath: url(key).path) else { return nil }
        func reject(_ reason: String) -> ModelOutput? {
            warning = "cache entry \(key)\(Self.suffix) \(reason); recomputing"
            return nil
        }
        guard let newline = data.firstIndex(of: 0x0A) else {
            return reject("has no header (an older or damaged entry)")
        }
        let headerData = data[data.startIndex..<newline]
        let payload = data[data.index(after: newline)...]
        guard let header = try? JSONDecoder().decode(Header.self, from: headerData) else {
            return reject("has an unreadable header")
        }
        guard header.format == Self.format else { return reject("has format \(header.format), not \(Self.format)") }
        guard header.key == key else { return reject("holds the result of another run (\(header.key))") }
        guard header.physicsVersion == BuildInfo.physicsVersion else {
            return reject("was computed by physics version \(header.physicsVersion)")
        }
        guard payload.count == header.payloadBytes else {
            return reject("is truncated (\(payload.count) of \(header.payloadBytes) bytes)")
        }
        var hasher = FNV1a()
        hasher.combine(payload)
        guard hasher.hex == header.payloadChecksum else { return reject("fails its checksum") }
        let output: ModelOutput
        do {
            output = try BinaryCoding.decode(ModelOutput.self, from: Data(payload))
        } catch {
            return reject("cannot be decoded (\(error))")
        }
        if let problem = output.nonFiniteValue { return reject("holds a non-finite \(problem)") }
        return output
    }

    /// Stores an entry atomically (unique temporary name, then rename).
    func store(_ output: ModelOutput, key: String, model: ModelKind) throws {
        // The folder and its marker are made once per process (a report stores thousands of entries), and again if
        // the folder has gone since.
        func prepare() throws {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try OutputFolder.mark(directory, kind: "cache")
            Self.prepared.withLock { _ = $0.insert(directory.path) }
        }
        if !Self.prepared.withLock({ $0.contains(directory.path) }) { try prepare() }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let payload = try BinaryCoding.encode(output)
        var hasher = FNV1a()
        hasher.combine(payload)
        let header = Header(
            format: Self.format, key: key, model: model.rawValue, physicsVersion: BuildInfo.physicsVersion,
            payloadBytes: payload.count, payloadChecksum: hasher.hex)
        var data = try encoder.encode(header)
        data.append(0x0A)
        data.append(payload)
        let temporary = directory.appendingPathComponent(".\(key).\(getpid()).\(UUID().uuidString).tmp")
        do {
            try data.write(to: temporary)
        } catch {
            try prepare()
            try data.write(to: temporary)
        }
        guard rename(temporary.path, url(key).path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(
                .fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot store cache entry \(key): \(reason)"])
        }
    }
}

/// The version of the physics code this binary runs: the hash of the model sources it was compiled from
/// (SolverCore, Materials, CathodeModels), fixed at build time by the BuildInfo plugin. A change to any of
/// them invalidates every cached result and nothing else does.
public enum PhysicsVersion {
    public static var current: String { BuildInfo.physicsVersion }

    /// When the model sources in the folder the binary was built from now hash differently, a message saying
    /// so (results are still filed under the binary's own version); nil when they match or are not there.
    public static func sourcesChangedSinceBuild() -> String? {
        guard let onDisk = SourceDigest.physicsVersion(root: BuildInfo.sourceRoot), onDisk != BuildInfo.physicsVersion
        else { return nil }
        return
            "the model sources in \(BuildInfo.sourceRoot.path) changed after this binary was built (binary physics \(BuildInfo.physicsVersion), sources \(onDisk)); results are computed and filed under the binary's version \(BuildInfo.physicsVersion) — rebuild to use the changed sources"
    }
}

extension ModelOutput {
    /// The first number that must be finite but is not (capacity, times, voltages, charges), or nil. Fields
    /// may hold NaN in holes by design and are not checked.
    public var nonFiniteValue: String? {
        func check(_ name: String, _ values: [Double]) -> String? {
            values.first(where: { !$0.isFinite }).map { "\(name) (\($0))" }
        }
        switch self {
        case .dense1d(let r):
            return check("time", r.time) ?? check("voltage", r.voltage)
                ?? check("capacity", r.capacityMilliampHoursPerGram)
        case .composite(let r):
            return check("time", r.time) ?? check("voltage", r.voltage)
                ?? check("capacity", r.capacityMilliampHoursPerGram)
        case .dense2d(let r):
            return check("time", r.time) ?? check("voltage", r.voltage)
                ?? check("capacity", r.capacityMilliampHoursPerGram)
        case .stress(let r):
            return check("time", r.diffusion.time) ?? check("voltage", r.diffusion.voltage) ?? check(
                "capacity", r.diffusion.capacityMilliampHoursPerGram)
                ?? r.snapshots.lazy.compactMap { check("stress", $0.sxx + $0.syy + $0.sxy + $0.szz) }.first
        case .cycling(let r):
            return check("capacity", r.capacity)
        case .impedance(let r):
            return r.stages.lazy.compactMap {
                check("impedance", $0.spectrum.real + $0.spectrum.imaginary)
                    ?? check("interface resistance", [$0.fit.circuit.interfaceResistance])
            }.first
        }
    }
}
