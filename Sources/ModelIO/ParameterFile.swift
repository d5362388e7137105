import CathodeModels
import Foundation
import ResultStore

/// The one strict reader of parameter files, shared by every model.
///
/// A parameter file is a JSON object (RFC 8259). Every key must be one the model's `ParameterSchema` lists,
/// appear once, and hold the JSON type its kind asks for: numbers for numeric parameters (in the unit the name
/// states), a string for a choice or the `"base"` parameter set, a boolean for a flag, an array of numbers for a
/// list, `{"stoichiometry": [...], "voltage": [...]}` for an OCP table. Anything else is an error naming the
/// file, the key and the value; nothing is silently ignored.
public struct ParameterFile: Sendable, Equatable {
    /// The `"base"` parameter set, if the file names one.
    public var base: String?
    public var numbers: [String: Double] = [:]
    public var settings: [String: SettingValue] = [:]

    public init(base: String? = nil, numbers: [String: Double] = [:], settings: [String: SettingValue] = [:]) {
        self.base = base
        self.numbers = numbers
        self.settings = settings
    }

    /// Reads and checks `path` against `schema`.
    public static func read(path: String, schema: ParameterSchema) throws -> ParameterFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelInputError.malformedFile(path: path, reason: "file not found or unreadable")
        }
        return try decode(data, path: path, schema: schema)
    }

    /// Checks JSON bytes against `schema` (`path` only names the file in errors).
    public static func decode(_ data: Data, path: String, schema: ParameterSchema) throws -> ParameterFile {
        let document: JSONValue
        do {
            document = try StrictJSON.parse(data)
        } catch let error as StrictJSON.ParseError {
            throw ModelInputError.malformedFile(path: path, reason: "not valid JSON (\(error))")
        }
        guard case .object(let members) = document else {
            throw ModelInputError.malformedFile(
                path: path, reason: "the top level must be a JSON object, not \(document.typeName)")
        }
        var file = ParameterFile()
        for member in members {
            guard let kind = schema.kinds[member.key] else {
                let error = schema.unknown(member.key)
                throw ModelInputError.malformedFile(path: path, reason: "line \(member.line): \(error)")
            }
            func wrong(_ expected: String) -> ModelInputError {
                .malformedFile(
                    path: path,
                    reason:
                        "line \(member.line): '\(member.key)' must be \(expected), got \(member.value.typeName) \(member.value.shortText)"
                )
            }
            switch (kind, member.value) {
            case (.number, .number(let value)):
                file.numbers[member.key] = value
            case (.number(let unit), _):
                throw wrong("a number in \(unit)")
            case (.parameterSet(let names), .string(let name)):
                guard names.contains(where: { $0.lowercased() == name.lowercased() }) else {
                    throw ModelInputError.malformedFile(
                        path: path,
                        reason:
                            "line \(member.line): 'base' = \"\(name)\" is not a parameter set of the \(schema.model) model (known: \(names.joined(separator: ", ")))"
                    )
                }
                file.base = name
            case (.parameterSet(let names), _):
                throw wrong("the name of a parameter set (\(names.joined(separator: ", ")))")
            case (.choice(let names), .string(let name)):
                guard names.contains(where: { $0.lowercased() == name.lowercased() }) else {
                    throw ModelInputError.malformedFile(
                        path: path,
                        reason:
                            "line \(member.line): '\(member.key)' = \"\(name)\" is not one of \(names.joined(separator: ", "))"
                    )
                }
                file.settings[member.key] = .choice(name)
            case (.choice(let names), _):
                throw wrong("one of \(names.map { "\"\($0)\"" }.joined(separator: ", "))")
            case (.flag, .bool(let on)):
                file.settings[member.key] = .flag(on)
            case (.flag, _):
                throw wrong("true or false")
            case (.list, .array(let values)):
                file.settings[member.key] = .list(try numbers(values, key: member.key, path: path, line: member.line))
            case (.list(let unit), _):
                throw wrong("an array of numbers in \(unit)")
            case (.ocpTable, .object(let table)):
                let keys = Set(table.map(\.key))
                guard keys == ["stoichiometry", "voltage"],
                    case .array(let s)? = table.first(where: { $0.key == "stoichiometry" })?.value,
                    case .array(let v)? = table.first(where: { $0.key == "voltage" })?.value
                else {
                    throw wrong("an object with exactly the keys \"stoichiometry\" and \"voltage\" (arrays of numbers)")
                }
                file.settings[member.key] = .ocpTable(
                    stoichiometry: try numbers(s, key: "ocpTable.stoichiometry", path: path, line: member.line),
                    voltage: try numbers(v, key: "ocpTable.voltage", path: path, line: member.line))
            case (.ocpTable, _):
                throw wrong("an object {\"stoichiometry\": [numbers], \"voltage\": [numbers]}")
            }
        }
        return file
    }

    private static func numbers(_ values: [JSONValue], key: String, path: String, line: Int) throws -> [Double] {
        try values.enumerated().map { index, value in
            guard case .number(let n) = value else {
                throw ModelInputError.malformedFile(
                    path: path,
                    reason:
                        "line \(line): '\(key)' entry \(index) must be a number, got \(value.typeName) \(value.shortText)"
                )
            }
            return n
        }
    }
}

/// Reads a microstructure JSON file (as `simulate dense2d` writes it) and checks it before use.
public enum MicrostructureFile {
    public static func read(path: String) throws -> Microstructure {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelInputError.malformedFile(path: path, reason: "file not found or unreadable")
        }
        do {
            _ = try StrictJSON.parse(data)
        } catch let error as StrictJSON.ParseError {
            throw ModelInputError.malformedFile(path: path, reason: "not valid JSON (\(error))")
        }
        let microstructure: Microstructure
        do {
            microstructure = try JSONDecoder().decode(Microstructure.self, from: data)
        } catch {
            throw ModelInputError.malformedFile(path: path, reason: "not a microstructure JSON (\(error))")
        }
        for (name, value, range) in [("nx", microstructure.nx, 2...5000), ("ny", microstructure.ny, 1...5000)]
        where !range.contains(value) {
            throw ModelInputError.malformedFile(
                path: path, reason: "\(name) = \(value) is outside [\(range.lowerBound), \(range.upperBound)]")
        }
        let cells = microstructure.nx * microstructure.ny
        guard microstructure.grain.count == cells, microstructure.hole.count == cells,
            microstructure.contact.count == microstructure.ny,
            microstructure.areaFactor.count == microstructure.ny,
            microstructure.electrolyte.map({ $0.count == cells }) ?? true
        else {
            throw ModelInputError.malformedFile(
                path: path, reason: "its arrays do not match the \(microstructure.nx) × \(microstructure.ny) grid")
        }
        guard microstructure.thickness.isFinite, microstructure.thickness > 0, microstructure.width.isFinite,
            microstructure.width > 0
        else {
            throw ModelInputError.malformedFile(
                path: path,
                reason:
                    "thickness and width must be positive lengths [m] (got \(microstructure.thickness), \(microstructure.width))"
            )
        }
        return microstructure
    }
}
