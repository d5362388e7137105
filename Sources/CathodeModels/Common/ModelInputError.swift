/// Bad model input, reported with the parameter's name, its value, the allowed range and the unit.
public enum ModelInputError: Error, Equatable, CustomStringConvertible {
    case outOfRange(parameter: String, value: Double, allowed: String, unit: String)
    case unknownParameter(name: String, suggestion: String?)
    case unknownParameterSet(name: String, known: [String])
    case malformedFile(path: String, reason: String)
    case invalidValue(parameter: String, reason: String)
    case inconsistent(reason: String)

    public var description: String {
        switch self {
        case let .outOfRange(p, v, a, u):
            return "parameter '\(p)' = \(Self.format(v))\(u.isEmpty ? "" : " \(u)") is outside the allowed range \(a)\(u.isEmpty ? "" : " \(u)")"
        case let .unknownParameter(n, s):
            return "unknown parameter '\(n)'" + (s.map { " (did you mean '\($0)'?)" } ?? "")
        case let .unknownParameterSet(n, k):
            return "unknown parameter set '\(n)' (known: \(k.joined(separator: ", ")))"
        case let .malformedFile(p, r):
            return "cannot read parameter file '\(p)': \(r)"
        case let .invalidValue(p, r):
            return "parameter '\(p)': \(r)"
        case let .inconsistent(r):
            return r
        }
    }

    static func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        return "\(v)"
    }
}

/// Levenshtein distance, for "did you mean" suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.lowercased()), b = Array(b.lowercased())
    var row = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
        var prev = row[0]
        row[0] = i
        for j in 1...max(b.count, 1) where !b.isEmpty {
            let cur = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1))
            prev = cur
        }
    }
    return row[b.count]
}

/// The closest known name within an edit distance of 3, if any.
public func closestName(to name: String, among known: [String]) -> String? {
    let best = known.map { ($0, editDistance(name, $0)) }.min { $0.1 < $1.1 }
    guard let best, best.1 <= max(3, name.count / 3) else { return nil }
    return best.0
}
