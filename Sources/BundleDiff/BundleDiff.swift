import Foundation
import Plotting
import ResultStore

/// What changed between two sets of report bundles (two `output/` folders, or two single study bundles).
///
/// Reads only the bundle schema (`manifest.json`, `data/quantities.json`, `data/tolerances.json`,
/// `data/*.csv`); knows nothing of models or Cairo. For every study in either side:
/// - every computed quantity: old, new, absolute and relative change, within tolerance or not
///   (tolerance: the study's declared entry for that name, else the defaults);
/// - every plotted series (long-form CSV: series, x, y): the largest change of y, comparing on the old
///   x values (the new curve is interpolated linearly when the x values differ);
/// - every field (x, y, value CSV): the difference map new − old on the old grid (bilinear interpolation
///   when the grids differ and the new grid covers the old one; otherwise the reason it cannot be
///   compared);
/// - every text table (a CSV that is not numeric): the number of cells that differ, reported as a change
///   within tolerance (its numbers are compared as quantities);
/// - studies, quantities, series and fields that were added or removed (these count as changes);
/// - the causes: what differs in each study's recorded inputs (`StudyCauses`).
public struct BundleDiff: Sendable {
    public let old: URL
    public let new: URL
    public let defaultTolerance: Tolerance

    public init(old: URL, new: URL, defaultTolerance: Tolerance = .standard) {
        self.old = old
        self.new = new
        self.defaultTolerance = defaultTolerance
    }

    public func compare() throws -> DiffResult {
        let a = try BundleSet(old)
        let b = try BundleSet(new)
        var studies: [StudyDiff] = []
        for id in Set(a.bundles.keys).union(b.bundles.keys).sorted() {
            switch (a.bundles[id], b.bundles[id]) {
            case let (x?, y?): studies.append(try compareStudy(id: id, old: x, new: y))
            case (_?, nil): studies.append(StudyDiff(id: id, status: .removed))
            case (nil, _?): studies.append(StudyDiff(id: id, status: .added))
            default: break
            }
        }
        return DiffResult(
            old: old, new: new, oldVersion: a.version, newVersion: b.version, studies: studies,
            defaultTolerance: defaultTolerance)
    }

    func compareStudy(id: String, old: URL, new: URL) throws -> StudyDiff {
        var diff = StudyDiff(id: id, status: .compared)
        diff.causes = StudyCauses.compare(old: old, new: new)
        let tolerances =
            (try? readJSON(ToleranceTable.self, new.appendingPathComponent("data/tolerances.json")))
            ?? (try? readJSON(ToleranceTable.self, old.appendingPathComponent("data/tolerances.json")))
            ?? ToleranceTable()
        let qa = try readJSON([Quantity].self, old.appendingPathComponent("data/quantities.json"))
        let qb = try readJSON([Quantity].self, new.appendingPathComponent("data/quantities.json"))
        let names = qa.map(\.name) + qb.map(\.name).filter { n in !qa.contains { $0.name == n } }
        for n in names {
            let x = qa.first { $0.name == n }
            let y = qb.first { $0.name == n }
            let tol = tolerances.tolerance(for: n, fallback: defaultTolerance)
            diff.quantities.append(
                QuantityChange(name: n, unit: (y ?? x)!.unit, old: x?.value, new: y?.value, tolerance: tol))
        }
        let csvA = csvFiles(old)
        let csvB = csvFiles(new)
        for file in Set(csvA).union(csvB).sorted() {
            let inA = csvA.contains(file)
            let inB = csvB.contains(file)
            let isField = file.contains("-field")
            guard inA, inB else {
                if isField {
                    diff.fields.append(FieldChange(file: file, status: inA ? .removed : .added))
                } else {
                    diff.series.append(
                        SeriesChange(file: file, label: "(whole table)", status: inA ? .removed : .added))
                }
                continue
            }
            let urlA = old.appendingPathComponent("data").appendingPathComponent(file)
            let urlB = new.appendingPathComponent("data").appendingPathComponent(file)
            if let text = try compareTextTable(file: file, urlA, urlB) {
                diff.series.append(text)
                continue
            }
            let ta = try readCSV(urlA)
            let tb = try readCSV(urlB)
            if isField {
                diff.fields.append(
                    compareField(
                        file: file, ta, tb,
                        tolerance: tolerances.tolerance(for: "field:" + file, fallback: defaultTolerance)))
            } else {
                diff.series += compareSeries(
                    file: file, ta, tb,
                    tolerance: tolerances.tolerance(for: "series:" + file, fallback: defaultTolerance))
            }
        }
        return diff
    }

    // MARK: - Text tables

    /// A table of text (a study's text table: names, verdicts, formatted numbers) compared cell by cell; nil when
    /// both files are numeric tables. Its numbers are compared as the study's quantities, so a text change is
    /// reported (with the count of differing cells) but never fails the diff on its own.
    func compareTextTable(file: String, _ a: URL, _ b: URL) throws -> SeriesChange? {
        guard let da = FileManager.default.contents(atPath: a.path),
            let db = FileManager.default.contents(atPath: b.path)
        else {
            throw DiffError.unreadable(FileManager.default.fileExists(atPath: a.path) ? b.path : a.path, "missing")
        }
        let textA = String(decoding: da, as: UTF8.self)
        let textB = String(decoding: db, as: UTF8.self)
        let numericA = (try? CSVTable(parsing: textA)) != nil
        let numericB = (try? CSVTable(parsing: textB)) != nil
        guard !(numericA && numericB) else { return nil }
        let rowsA = CSVTable.splitRows(textA).filter { $0 != [""] }
        let rowsB = CSVTable.splitRows(textB).filter { $0 != [""] }
        var differing = 0
        var total = 0
        for k in 0..<max(rowsA.count, rowsB.count) {
            let ra = k < rowsA.count ? rowsA[k] : []
            let rb = k < rowsB.count ? rowsB[k] : []
            for j in 0..<max(ra.count, rb.count) {
                total += 1
                if (j < ra.count ? ra[j] : nil) != (j < rb.count ? rb[j] : nil) { differing += 1 }
            }
        }
        var change = SeriesChange(
            file: file, label: "text table: \(differing) of \(total) cells differ",
            status: differing == 0 ? .same : .withinTolerance, xName: "row", yName: "cell")
        change.maxAbsoluteChange = Double(differing)
        change.maxRelativeChange = total > 0 ? Double(differing) / Double(total) : 0
        return change
    }

    // MARK: - Series

    func compareSeries(file: String, _ a: CSVTable, _ b: CSVTable, tolerance: Tolerance) -> [SeriesChange] {
        let sa = Self.series(a)
        let sb = Self.series(b)
        var out: [SeriesChange] = []
        let labels = sa.map(\.label) + sb.map(\.label).filter { l in !sa.contains { $0.label == l } }
        for l in labels {
            let x = sa.first { $0.label == l }
            let y = sb.first { $0.label == l }
            guard let x, let y else {
                out.append(
                    SeriesChange(
                        file: file, label: l, status: x == nil ? .added : .removed, xName: (a.columns.first ?? "x"),
                        yName: (a.columns.dropFirst().first ?? "y"),
                        old: x.map { ($0.x, $0.y) }, new: y.map { ($0.x, $0.y) }))
                continue
            }
            // A column whose unit changed only by its prefix (Ω cm² → kΩ cm²) is converted to the old unit first;
            // any other change of unit makes the two sides incomparable.
            let xName = a.columns.first ?? "x"
            let yName = a.columns.dropFirst().first ?? "y"
            let newXName = b.columns.first ?? "x"
            let newYName = b.columns.dropFirst().first ?? "y"
            let xFactor = prefixFactor(from: unitOfColumn(newXName), to: unitOfColumn(xName))
            let yFactor = prefixFactor(from: unitOfColumn(newYName), to: unitOfColumn(yName))
            guard let xFactor, let yFactor else {
                var change = SeriesChange(
                    file: file, label: l, status: .changed, xName: xName, yName: yName, old: (x.x, x.y), new: nil)
                change.note = "columns changed unit: \(xName), \(yName) → \(newXName), \(newYName); not compared"
                out.append(change)
                continue
            }
            let newSide = (x: y.x.map { $0 * xFactor }, y: y.y.map { $0 * yFactor })
            let convertedUnits = [(xFactor, newXName), (yFactor, newYName)].filter { $0.0 != 1 }.map {
                unitOfColumn($0.1)
            }
            let note =
                convertedUnits.isEmpty
                ? nil : "new values converted from \(Array(Set(convertedUnits)).sorted().joined(separator: ", "))"
            var worst = 0.0
            var worstRel = 0.0
            var within = true
            let newOnOld = Self.resample(newSide.x, newSide.y, at: x.x)
            for k in x.x.indices {
                guard let v = newOnOld[k] else { continue }
                let d = abs(v - x.y[k])
                if d > worst { worst = d }
                if x.y[k] != 0 { worstRel = max(worstRel, d / abs(x.y[k])) }
                if !tolerance.accepts(old: x.y[k], new: v) { within = false }
            }
            let sameLength =
                x.x.count == newSide.x.count && zip(x.x, newSide.x).allSatisfy { $0 == $1 }
                && zip(x.y, newSide.y).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
            var change = SeriesChange(
                file: file, label: l, status: sameLength ? .same : (within ? .withinTolerance : .changed),
                xName: xName, yName: yName, old: (x.x, x.y), new: (newSide.x, newSide.y))
            change.maxAbsoluteChange = worst
            change.maxRelativeChange = worstRel
            change.note = note
            out.append(change)
        }
        return out
    }

    /// Groups a long-form table into series (label column, first two numeric columns).
    static func series(_ t: CSVTable) -> [(label: String, x: [Double], y: [Double])] {
        guard t.columns.count >= 2 else { return [] }
        var order: [String] = []
        var xs: [String: [Double]] = [:]
        var ys: [String: [Double]] = [:]
        for (k, row) in t.rows.enumerated() {
            let l = t.labels?[k] ?? "values"
            if xs[l] == nil {
                order.append(l)
                xs[l] = []
                ys[l] = []
            }
            xs[l]!.append(row[0])
            ys[l]!.append(row[1])
        }
        if t.labels == nil && t.columns.count > 2 {
            // A wide numeric table (e.g. bars): every column after the first is a series over the first.
            return t.columns.indices.dropFirst().map { c in (t.columns[c], t.rows.map { $0[0] }, t.rows.map { $0[c] }) }
        }
        return order.map { ($0, xs[$0]!, ys[$0]!) }
    }

    /// Linear interpolation of (x, y) at `at`; nil outside the range or when x is not monotone.
    static func resample(_ x: [Double], _ y: [Double], at: [Double]) -> [Double?] {
        if x == at { return y.map { Optional($0) } }
        guard x.count >= 2 else { return at.map { v in x.first == v ? y.first : nil } }
        let increasing = zip(x, x.dropFirst()).allSatisfy { $0 < $1 }
        let decreasing = zip(x, x.dropFirst()).allSatisfy { $0 > $1 }
        guard increasing || decreasing else { return at.map { _ in nil } }
        let xs = increasing ? x : x.reversed()
        let ys = increasing ? y : y.reversed()
        return at.map { v in
            guard v >= xs.first!, v <= xs.last! else { return nil }
            var lo = 0
            var hi = xs.count - 1
            while hi - lo > 1 {
                let m = (lo + hi) / 2
                if xs[m] <= v { lo = m } else { hi = m }
            }
            let t = xs[hi] == xs[lo] ? 0 : (v - xs[lo]) / (xs[hi] - xs[lo])
            return ys[lo] + t * (ys[hi] - ys[lo])
        }
    }

    // MARK: - Fields

    struct Grid {
        let x: [Double], y: [Double], values: [Double]
        let xName: String, yName: String, valueName: String
    }

    static func grid(_ t: CSVTable) -> Grid? {
        guard t.columns.count >= 3 else { return nil }
        let xs = Array(Set(t.rows.map { $0[0] })).sorted()
        let ys = Array(Set(t.rows.map { $0[1] })).sorted()
        guard xs.count * ys.count == t.rows.count else { return nil }
        var values = [Double](repeating: .nan, count: t.rows.count)
        let xi = Dictionary(uniqueKeysWithValues: xs.enumerated().map { ($1, $0) })
        let yi = Dictionary(uniqueKeysWithValues: ys.enumerated().map { ($1, $0) })
        for r in t.rows { values[yi[r[1]]! * xs.count + xi[r[0]]!] = r[2] }
        return Grid(x: xs, y: ys, values: values, xName: t.columns[0], yName: t.columns[1], valueName: t.columns[2])
    }

    func compareField(file: String, _ a: CSVTable, _ b: CSVTable, tolerance: Tolerance) -> FieldChange {
        guard let ga = Self.grid(a), let gb = Self.grid(b) else {
            var f = FieldChange(file: file, status: .incomparable)
            f.note = "not a complete rectilinear grid in one of the bundles"
            return f
        }
        var f = FieldChange(file: file, status: .same)
        f.xName = ga.xName
        f.yName = ga.yName
        f.valueName = ga.valueName
        f.x = ga.x
        f.y = ga.y
        var newOnOld: [Double]
        if ga.x == gb.x && ga.y == gb.y {
            newOnOld = gb.values
        } else {
            guard gb.x.first! <= ga.x.first!, gb.x.last! >= ga.x.last!, gb.y.first! <= ga.y.first!,
                gb.y.last! >= ga.y.last!
            else {
                f.status = .incomparable
                f.note =
                    "grids differ (\(ga.x.count)×\(ga.y.count) vs \(gb.x.count)×\(gb.y.count)) and the new grid does not cover the old one, so no common grid exists without extrapolation"
                return f
            }
            newOnOld = Self.bilinear(gb, atX: ga.x, y: ga.y)
            f.note =
                "grids differ (\(ga.x.count)×\(ga.y.count) old vs \(gb.x.count)×\(gb.y.count) new): compared on the old grid, new field interpolated bilinearly"
        }
        var diff = [Double](repeating: .nan, count: ga.values.count)
        var worst = 0.0
        var within = true
        var identical = true
        let scale = ga.values.reduce(0.0) { $1.isNaN ? $0 : max($0, abs($1)) }
        for k in diff.indices {
            let o = ga.values[k]
            let n = newOnOld[k]
            if o.isNaN || n.isNaN {
                if o.isNaN != n.isNaN {
                    within = false
                    identical = false
                }
                continue
            }
            diff[k] = n - o
            worst = max(worst, abs(n - o))
            if n != o { identical = false }
            if !tolerance.accepts(old: o, new: n) { within = false }
        }
        f.difference = diff
        f.maxAbsoluteChange = worst
        f.maxRelativeChange = scale > 0 ? worst / scale : (worst > 0 ? .infinity : 0)
        f.status = identical && f.note == nil ? .same : (within ? .withinTolerance : .changed)
        return f
    }

    static func bilinear(_ g: Grid, atX xs: [Double], y ys: [Double]) -> [Double] {
        func bracket(_ a: [Double], _ v: Double) -> (Int, Double) {
            guard a.count > 1 else { return (0, 0) }
            var lo = 0
            var hi = a.count - 1
            while hi - lo > 1 {
                let m = (lo + hi) / 2
                if a[m] <= v { lo = m } else { hi = m }
            }
            return (lo, a[hi] == a[lo] ? 0 : (v - a[lo]) / (a[hi] - a[lo]))
        }
        var out: [Double] = []
        for y in ys {
            let (j, ty) = bracket(g.y, y)
            for x in xs {
                let (i, tx) = bracket(g.x, x)
                let i1 = min(i + 1, g.x.count - 1)
                let j1 = min(j + 1, g.y.count - 1)
                let v00 = g.values[j * g.x.count + i]
                let v10 = g.values[j * g.x.count + i1]
                let v01 = g.values[j1 * g.x.count + i]
                let v11 = g.values[j1 * g.x.count + i1]
                out.append((1 - ty) * ((1 - tx) * v00 + tx * v10) + ty * ((1 - tx) * v01 + tx * v11))
            }
        }
        return out
    }

    // MARK: - Reading

    func csvFiles(_ bundle: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: bundle.appendingPathComponent("data").path)) ?? [])
            .filter { $0.hasSuffix(".csv") }.sorted()
    }

    func readCSV(_ url: URL) throws -> CSVTable {
        guard let d = FileManager.default.contents(atPath: url.path) else {
            throw DiffError.unreadable(url.path, "missing")
        }
        do { return try CSVTable(parsing: String(decoding: d, as: UTF8.self)) } catch {
            throw DiffError.unreadable(url.path, "\(error)")
        }
    }
}

func readJSON<T: Decodable>(_ type: T.Type, _ url: URL) throws -> T {
    guard let d = FileManager.default.contents(atPath: url.path) else {
        throw DiffError.unreadable(url.path, "missing")
    }
    do { return try JSONDecoder().decode(T.self, from: d) } catch { throw DiffError.unreadable(url.path, "\(error)") }
}

/// The bundles under a folder: the folder itself if it holds a `manifest.json`, else its subfolders that do.
struct BundleSet {
    let bundles: [String: URL]
    let version: BundleManifest.CodeVersion?

    init(_ url: URL) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue else {
            throw DiffError.notABundle(url.path, "no such folder")
        }
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("manifest.json").path) {
            let m = try readJSON(BundleManifest.self, url.appendingPathComponent("manifest.json"))
            bundles = [m.studyId: url]
            version = m.codeVersion
            return
        }
        var found: [String: URL] = [:]
        var version: BundleManifest.CodeVersion?
        for item in (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? [] where !item.hasPrefix(".") {
            let sub = url.appendingPathComponent(item)
            let manifest = sub.appendingPathComponent("manifest.json")
            guard FileManager.default.fileExists(atPath: manifest.path) else { continue }
            let m = try readJSON(BundleManifest.self, manifest)
            found[m.studyId] = sub
            version = version ?? m.codeVersion
        }
        guard !found.isEmpty else {
            throw DiffError.notABundle(url.path, "it holds no manifest.json and no study bundles")
        }
        bundles = found
        self.version = version
    }
}

public enum DiffError: Error, Equatable, CustomStringConvertible {
    case notABundle(String, String)
    case unreadable(String, String)
    public var description: String {
        switch self {
        case let .notABundle(p, r): return "'\(p)' is not a report bundle or output folder: \(r)"
        case let .unreadable(p, r): return "cannot read \(p): \(r)"
        }
    }
}
