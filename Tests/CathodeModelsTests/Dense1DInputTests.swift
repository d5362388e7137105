import Foundation
import Testing
@testable import CathodeModels

/// Bad input is rejected before any work, with the parameter's name, value, allowed range and unit.
@Suite struct Dense1DInputTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let numbers: [String: Double]
        let text: [String: String]
        let expected: [String]
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "zero thickness", numbers: ["thicknessMicrometres": 0], text: [:], expected: ["'thicknessMicrometres' = 0.0 µm", "(0.0, 10000.0]"]),
        Case(name: "negative diffusivity", numbers: ["diffusivityCm2PerS": -1e-9], text: [:], expected: ["'diffusivityCm2PerS'", "cm² s⁻¹"]),
        Case(name: "zero C-rate", numbers: ["cRate": 0], text: [:], expected: ["'cRate' = 0.0", "h⁻¹"]),
        Case(name: "θ₀ below the OCP fit", numbers: ["initialStoichiometry": 0.3], text: [:], expected: ["'initialStoichiometry' = 0.3", "[0.45, 1.0]"]),
        Case(name: "θ₀ of one for a discharge", numbers: ["initialStoichiometry": 1.0], text: [:], expected: ["'initialStoichiometry'", "[0.45, 1)"]),
        Case(name: "cut-off above the OCV", numbers: ["lowerCutoffVsLiV": 4.3], text: [:], expected: ["'lowerCutoffVsLiV' = 4.3 V", "below the open-circuit potential"]),
        Case(name: "contact fraction above one", numbers: ["contactFraction": 1.2], text: [:], expected: ["'contactFraction' = 1.2", "(0.0, 1.0]"]),
        Case(name: "misspelled name", numbers: ["thicknesMicrometres": 30], text: [:], expected: ["unknown parameter 'thicknesMicrometres'", "did you mean 'thicknessMicrometres'"]),
        Case(name: "unknown counter electrode", numbers: [:], text: ["counterElectrode": "graphite"], expected: ["'counterElectrode'", "LiIn, LiMetal"]),
        Case(name: "Li/In resistance on Li metal", numbers: ["counterElectrodeResistanceOhmCm2": 3], text: ["counterElectrode": "LiMetal"], expected: ["'counterElectrodeResistanceOhmCm2'", "only to counterElectrode = LiIn"]),
        Case(name: "non-integer cells", numbers: ["cells": 10.5], text: [:], expected: ["'cells' = 10.5"]),
        Case(name: "NaN value", numbers: ["porosity": .nan], text: [:], expected: ["'porosity' = NaN"]),
    ]

    @Test(arguments: cases)
    func rejected(_ c: Case) {
        do {
            _ = try Dense1DParameterRegistry.setup(numbers: c.numbers, text: c.text)
            Issue.record("\(c.name): accepted")
        } catch let e as ModelInputError {
            for piece in c.expected { #expect(e.description.contains(piece), "\(c.name): '\(e.description)' lacks '\(piece)'") }
        } catch { Issue.record("\(c.name): \(error)") }
    }

    func file(_ json: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dense1d-\(UUID().uuidString).json")
        try Data(json.utf8).write(to: url)
        return url.path
    }

    @Test func malformedFileIsNamed() throws {
        let path = try file("{ \"thicknessMicrometres\": 30, ")
        #expect(throws: ModelInputError.self) { try Dense1DParameterRegistry.setup(jsonFile: path) }
        do { _ = try Dense1DParameterRegistry.setup(jsonFile: path) } catch { #expect("\(error)".contains("not valid JSON")) }
        do { _ = try Dense1DParameterRegistry.setup(jsonFile: "/nonexistent/p.json") } catch { #expect("\(error)".contains("not found")) }
        let wrongType = try file("{ \"thicknessMicrometres\": \"thirty\" }")
        do { _ = try Dense1DParameterRegistry.setup(jsonFile: wrongType) } catch { #expect("\(error)".contains("expected a number in µm")) }
    }

    /// A file sets every kind of key, including the OCP as a table; the model then runs on it.
    @Test func fileWithOCPTableRuns() throws {
        let thetas = stride(from: 0.5, through: 1.0, by: 0.005).map { $0 }
        let volts = thetas.map { OpenCircuitPotentialTableFixture.voltage($0) }
        let json = """
        {"base": "idealCell", "thicknessMicrometres": 30, "cRate": 0.5, "counterElectrode": "LiMetal",
         "electronicConduction": false, "ocpTable": {"stoichiometry": \(thetas), "voltage": \(volts)},
         "profileTimesSeconds": [600, 1200]}
        """
        let (setup, base) = try Dense1DParameterRegistry.setup(jsonFile: try file(json))
        #expect(base.name == "idealCell")
        #expect(abs(setup.cell.thickness - 30e-6) < 1e-18)
        let r = try Dense1DModel(setup).run()
        #expect(r.capacity > 50)
        #expect(r.profileTimes.contains(600) && r.profileTimes.contains(1200))
    }
}

enum OpenCircuitPotentialTableFixture {
    /// A tabulated copy of the default law, so a table run can be compared with the closed form.
    static func voltage(_ t: Double) -> Double { Materials.OpenCircuitPotential.ramadass2004.voltage(t) }
}
import Materials
