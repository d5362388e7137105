import CathodeModels
import Foundation
import Materials
import ModelIO
import ResultStore
import Testing

/// The one strict parameter-file reader: RFC 8259 JSON, duplicate keys, JSON types per key, keys the model
/// does not read — each an error naming the file, the key and the value.
@Suite struct ParameterFileTests {
    func file(_ json: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("params-\(UUID().uuidString).json")
        try Data(json.utf8).write(to: url)
        return url.path
    }

    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let json: String
        let model: String
        let expected: [String]
        var description: String { name }
    }

    static func schema(_ model: String) -> ParameterSchema {
        switch model {
        case "composite": return CompositeParameterRegistry.schema
        case "dense2d": return Dense2DParameterRegistry.schema
        case "stress": return ChemoMechanicalParameterRegistry.schema
        default: return Dense1DParameterRegistry.schema
        }
    }

    static let cases: [Case] = [
        Case(
            name: "a number as a string (composite)", json: #"{"cRate": "5"}"#, model: "composite",
            expected: ["'cRate' must be a number in h⁻¹", "a string \"5\""]),
        Case(
            name: "a number as a string (dense2d)", json: #"{"cRate": "5"}"#, model: "dense2d",
            expected: ["'cRate' must be a number", "\"5\""]),
        Case(
            name: "base as a number", json: #"{"base": 5}"#, model: "composite",
            expected: ["'base' must be the name of a parameter set", "a number 5.0"]),
        Case(
            name: "base of another model", json: #"{"base": "paperHalfCell"}"#, model: "composite",
            expected: ["'base' = \"paperHalfCell\" is not a parameter set of the composite model"]),
        Case(
            name: "duplicate key", json: "{\"cRate\": 1,\n \"cRate\": 2}", model: "dense1d",
            expected: ["duplicate key 'cRate'", "line 2"]),
        Case(
            name: "a key the 2D model does not read", json: #"{"porosity": 0.1}"#, model: "dense2d",
            expected: ["unknown parameter 'porosity' for the dense2d model"]),
        Case(
            name: "a misspelled key", json: #"{"thicknesMicrometres": 30}"#, model: "dense1d",
            expected: ["unknown parameter 'thicknesMicrometres'", "did you mean 'thicknessMicrometres'"]),
        Case(
            name: "a choice outside its list", json: #"{"ionicTransport": "magic"}"#, model: "composite",
            expected: ["'ionicTransport' = \"magic\" is not one of percolation, bruggeman, archie"]),
        Case(
            name: "a flag as a number", json: #"{"electronicConduction": 1}"#, model: "dense1d",
            expected: ["'electronicConduction' must be true or false"]),
        Case(
            name: "a list with a string", json: #"{"profileTimesSeconds": [600, "x"]}"#, model: "dense1d",
            expected: ["'profileTimesSeconds' entry 1 must be a number"]),
        Case(
            name: "an OCP table without voltages", json: #"{"ocpTable": {"stoichiometry": [0.5, 1]}}"#,
            model: "dense1d", expected: ["'ocpTable' must be an object with exactly the keys"]),
        Case(
            name: "a top-level array", json: "[1, 2]", model: "dense1d",
            expected: ["the top level must be a JSON object"]),
        Case(name: "truncated JSON", json: #"{"cRate": "#, model: "dense1d", expected: ["not valid JSON", "line 1"]),
        Case(
            name: "a trailing comma", json: #"{"cRate": 1,}"#, model: "dense1d",
            expected: ["not valid JSON", "expected a key"]),
        Case(
            name: "a number too large for a double", json: #"{"cRate": 1e999}"#, model: "dense1d",
            expected: ["not valid JSON", "1e999 is not a finite double"]),
        Case(
            name: "a mechanical key without --stress", json: #"{"youngsModulusGPa": 100}"#, model: "dense2d",
            expected: ["unknown parameter 'youngsModulusGPa'"]),
    ]

    @Test(arguments: cases)
    func rejected(_ c: Case) throws {
        let path = try file(c.json)
        do {
            _ = try ParameterFile.read(path: path, schema: Self.schema(c.model))
            Issue.record("\(c.name): accepted")
        } catch let e as ModelInputError {
            #expect(e.description.contains(path), "\(c.name): the message does not name the file: \(e)")
            for piece in c.expected {
                #expect(e.description.contains(piece), "\(c.name): '\(e.description)' lacks '\(piece)'")
            }
        }
    }

    @Test func missingFileIsNamed() {
        #expect(
            throws: ModelInputError.malformedFile(path: "/nonexistent/p.json", reason: "file not found or unreadable")
        ) {
            try ParameterFile.read(path: "/nonexistent/p.json", schema: Dense1DParameterRegistry.schema)
        }
    }

    /// A file sets every kind of key, including the OCP as a table; the model then runs on it.
    @Test func fileWithOCPTableRuns() throws {
        let thetas = stride(from: 0.5, through: 1.0, by: 0.005).map { $0 }
        let volts = thetas.map { OpenCircuitPotential.ramadass2004.voltage($0) }
        let json = """
            {"base": "idealCell", "thicknessMicrometres": 30, "cRate": 0.5, "counterElectrode": "LiMetal",
             "electronicConduction": false, "ocpTable": {"stoichiometry": \(thetas), "voltage": \(volts)},
             "profileTimesSeconds": [600, 1200]}
            """
        let contents = try ParameterFile.read(path: try file(json), schema: Dense1DParameterRegistry.schema)
        let (setup, base) = try Dense1DParameterRegistry.setup(
            base: contents.base ?? "paperHalfCell", numbers: contents.numbers, settings: contents.settings)
        #expect(base.name == "idealCell")
        #expect(abs(setup.cell.thickness - 30e-6) < 1e-18)
        let r = try Dense1DModel(setup).run()
        #expect(r.capacity > 50)
        #expect(r.profileTimes.contains(600) && r.profileTimes.contains(1200))
    }

    /// The strict reader agrees with Foundation on valid JSON (RFC 8259 examples: escapes, unicode, numbers).
    @Test func strictJSONReadsValidDocuments() throws {
        let text = #"{"a": [1, -2.5e-3, 0, true, false, null], "b": {"c": "x\u00e9\n\"y\"\ud83d\ude00"}, "d": -0.0}"#
        let value = try StrictJSON.parse(Data(text.utf8))
        guard case .object(let members) = value else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["a", "b", "d"])
        #expect(
            members[0].value == .array([.number(1), .number(-2.5e-3), .number(0), .bool(true), .bool(false), .null]))
        #expect(members[1].value == .object([JSONMember(key: "c", value: .string("xé\n\"y\"😀"), line: 1)]))
    }
}
