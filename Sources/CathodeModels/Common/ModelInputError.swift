/// Bad model input, reported with the parameter's name, its value, the allowed range and the unit.
public enum ModelInputError: Error, Equatable, CustomStringConvertible {
    case outOfRange(parameter: String, value: Double, allowed: String, unit: String)
    case unknownParameter(name: String, suggestion: String?, model: String? = nil)
    case unknownParameterSet(name: String, known: [String])
    case malformedFile(path: String, reason: String)
    case invalidValue(parameter: String, reason: String)
    case inconsistent(reason: String)
    /// Two settings that cannot be given together (e.g. a microstructure file and a mask image).
    case conflict(first: String, second: String, reason: String)
    /// A run whose grids and matrices would need more memory than the budget allows.
    case memory(what: String, estimateBytes: Double, budgetBytes: Double, settings: String)

    public var description: String {
        switch self {
        case let .outOfRange(p, v, a, u):
            let unit = u.isEmpty || u == "–" ? "" : " \(u)"
            return "parameter '\(p)' = \(Self.format(v))\(unit) is outside the allowed range \(a)\(unit)"
        case let .unknownParameter(n, s, m):
            return "unknown parameter '\(n)'" + (m.map { " for the \($0) model" } ?? "")
                + (s.map { " (did you mean '\($0)'?)" } ?? "")
        case let .unknownParameterSet(n, k):
            return "unknown parameter set '\(n)' (known: \(k.joined(separator: ", ")))"
        case let .malformedFile(p, r):
            return "cannot read parameter file '\(p)': \(r)"
        case let .invalidValue(p, r):
            return "parameter '\(p)': \(r)"
        case let .inconsistent(r):
            return r
        case let .conflict(a, b, r):
            return "\(a) and \(b) cannot be given together: \(r)"
        case let .memory(what, estimate, budget, settings):
            return String(
                format:
                    "%@ would need about %.1f GB of memory, more than the budget of %.1f GB (the available memory; set CATHODELAB_MEMORY_BUDGET_GB to change it). Reduce %@",
                what, estimate / 1_073_741_824, budget / 1_073_741_824, settings)
        }
    }

    static func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        return "\(v)"
    }
}

/// A run that was set up correctly but cannot go on: it cannot start or carry the current, or it runs out of
/// its step budget. The message gives the numbers and the parameter to change (exit code 1).
public enum ModelRunError: Error, Equatable, CustomStringConvertible {
    case cannotStart(reason: String)
    case stepBudget(model: String, steps: Int, advice: String)
    case nonFiniteResult(what: String)

    public var description: String {
        switch self {
        case let .cannotStart(reason): return reason
        case let .stepBudget(model, steps, advice):
            return "the \(model) run stopped after \(steps) time steps without reaching the end of discharge; \(advice)"
        case let .nonFiniteResult(what): return "the run produced a non-finite \(what); nothing is written"
        }
    }
}

/// Levenshtein distance, for "did you mean" suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.lowercased())
    let b = Array(b.lowercased())
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
