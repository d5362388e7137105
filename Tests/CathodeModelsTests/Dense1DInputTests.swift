import Foundation
import Testing
@testable import CathodeModels

/// Bad input is rejected before any work, with the parameter's name, value, allowed range and unit.
@Suite struct Dense1DInputTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let numbers: [String: Double]
        let text: [String: String]
        var settings: [String: SettingValue] { text.mapValues { .choice($0) } }
        let expected: [String]
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "zero thickness", numbers: ["thicknessMicrometres": 0], text: [:],
            expected: ["'thicknessMicrometres' = 0.0 µm", "(0.0, 10000.0]"]),
        Case(
            name: "negative diffusivity", numbers: ["diffusivityCm2PerS": -1e-9], text: [:],
            expected: ["'diffusivityCm2PerS'", "cm² s⁻¹"]),
        Case(name: "zero C-rate", numbers: ["cRate": 0], text: [:], expected: ["'cRate' = 0.0", "h⁻¹"]),
        Case(
            name: "θ₀ below the OCP fit", numbers: ["initialStoichiometry": 0.3], text: [:],
            expected: ["'initialStoichiometry' = 0.3", "[0.45, 1.0]"]),
        Case(
            name: "θ₀ of one for a discharge", numbers: ["initialStoichiometry": 1.0], text: [:],
            expected: ["'initialStoichiometry'", "[0.45, 1)"]),
        Case(
            name: "cut-off above the OCV", numbers: ["lowerCutoffVsLiV": 4.3], text: [:],
            expected: ["'lowerCutoffVsLiV' = 4.3 V", "below the open-circuit potential"]),
        Case(
            name: "contact fraction above one", numbers: ["contactFraction": 1.2], text: [:],
            expected: ["'contactFraction' = 1.2", "(0.0, 1.0]"]),
        Case(
            name: "misspelled name", numbers: ["thicknesMicrometres": 30], text: [:],
            expected: ["unknown parameter 'thicknesMicrometres'", "did you mean 'thicknessMicrometres'"]),
        Case(
            name: "unknown counter electrode", numbers: [:], text: ["counterElectrode": "graphite"],
            expected: ["'counterElectrode'", "LiIn, LiMetal"]),
        Case(
            name: "Li/In resistance on Li metal", numbers: ["counterElectrodeResistanceOhmCm2": 3],
            text: ["counterElectrode": "LiMetal"],
            expected: ["'counterElectrodeResistanceOhmCm2'", "only to counterElectrode = LiIn"]),
        Case(
            name: "non-integer cells", numbers: ["cells": 10.5], text: [:],
            expected: ["'cells' = 10.5", "(whole numbers)"]),
        Case(
            name: "huge cell count", numbers: ["cells": 1e30], text: [:], expected: ["'cells' = 1e+30", "[5, 100000]"]),
        Case(
            name: "step fraction below its floor", numbers: ["maxStepFraction": 1e-300], text: [:],
            expected: ["'maxStepFraction' = 1e-300", "[1e-06, 1.0]"]),
        Case(
            name: "tolerance below its floor", numbers: ["absoluteTolerance": 1e-300], text: [:],
            expected: ["'absoluteTolerance' = 1e-300", "[1e-12, 1.0]"]),
        Case(name: "NaN value", numbers: ["porosity": .nan], text: [:], expected: ["'porosity' = NaN"]),
    ]

    @Test(arguments: cases)
    func rejected(_ c: Case) {
        do {
            _ = try Dense1DParameterRegistry.setup(numbers: c.numbers, settings: c.settings)
            Issue.record("\(c.name): accepted")
        } catch let e as ModelInputError {
            for piece in c.expected {
                #expect(e.description.contains(piece), "\(c.name): '\(e.description)' lacks '\(piece)'")
            }
        } catch { Issue.record("\(c.name): \(error)") }
    }

    /// A run that cannot start (the cut-off is reached as soon as the current flows) returns no curve and says
    /// why with the numbers, instead of a NaN mean voltage.
    @Test func cannotStartIsReportedWithTheNumbers() throws {
        let (setup, _) = try Dense1DParameterRegistry.setup(numbers: ["cRate": 100])
        let r = try Dense1DModel(setup).run()
        #expect(r.termination == .cannotStart && r.capacity == 0 && r.time.isEmpty)
        let reason = try #require(r.startFailure)
        #expect(
            reason.contains("1550 A m⁻²") && reason.contains("cut-off") && reason.contains("separator 3.875 V")
                && reason.contains("cRate"))
    }
}

enum OpenCircuitPotentialTableFixture {
    /// A tabulated copy of the default law, so a table run can be compared with the closed form.
    static func voltage(_ t: Double) -> Double { Materials.OpenCircuitPotential.ramadass2004.voltage(t) }
}
import Materials
