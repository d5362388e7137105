import Foundation
import Testing
@testable import CathodeModels
import Materials

/// Model A against the reference implementation of physics.md §10.1 (finite volumes, implicit Euler,
/// N = 100, Δt = t_discharge/2000, written while drafting the specification). These are regression
/// targets showing the same equations are solved, not published data. The reference omitted the
/// electronic drop and R_CE, which together move the capacity by < 0.5 mAh g⁻¹ (the OCP cliff ends the
/// discharge either way); its own time discretisation error is of the same order, so ±1.5 mAh g⁻¹.
@Suite struct Dense1DRegressionTests {
    struct Case: Sendable, CustomStringConvertible {
        let diffusivityCm2PerS: Double, theta0: Double, cRate: Double, capacity: Double
        var description: String { "D=\(diffusivityCm2PerS) θ0=\(theta0) \(cRate)C → \(capacity)" }
    }

    static let cases: [Case] = [
        Case(diffusivityCm2PerS: 1.5e-9, theta0: 0.5435, cRate: 0.1, capacity: 119.1),
        Case(diffusivityCm2PerS: 1.5e-9, theta0: 0.5435, cRate: 0.5, capacity: 100.3),
        Case(diffusivityCm2PerS: 1.5e-9, theta0: 0.5435, cRate: 1, capacity: 77.1),
        Case(diffusivityCm2PerS: 1.5e-9, theta0: 0.5435, cRate: 2, capacity: 42.8),
        Case(diffusivityCm2PerS: 4e-9, theta0: 0.5435, cRate: 1, capacity: 105.9),
        Case(diffusivityCm2PerS: 1e-10, theta0: 0.5435, cRate: 0.1, capacity: 57.3),
        Case(diffusivityCm2PerS: 1e-7, theta0: 0.5435, cRate: 1, capacity: 122.5),
        Case(diffusivityCm2PerS: 1.5e-9, theta0: 0.4888, cRate: 0.1, capacity: 134.1),
        Case(diffusivityCm2PerS: 1.5e-9, theta0: 0.4888, cRate: 1, capacity: 92.1),
    ]

    @Test(arguments: cases)
    func capacityMatchesTheReferenceImplementation(_ c: Case) throws {
        var cell = Dense1DParameterSet.paperHalfCell.cell
        cell.diffusivity = .constant(c.diffusivityCm2PerS * 1e-4)
        cell.initialStoichiometry = c.theta0
        let r = try Dense1DModel(Dense1DSetup(cell: cell, protocolSettings: Dense1DProtocol(cRate: c.cRate))).run()
        #expect(abs(r.capacity - c.capacity) < 1.5, "\(c): got \(r.capacity)")
    }

    /// The 100 µm, 2C corner of the thickness sweep (physics.md §10.1 thickness table: 2 mAh g⁻¹)
    /// and the 10 µm, 0.1C corner (123 mAh g⁻¹).
    @Test func thicknessSweepCorners() throws {
        var cell = Dense1DParameterSet.paperHalfCell.cell
        cell.thickness = 10e-6
        let thin = try Dense1DModel(Dense1DSetup(cell: cell, protocolSettings: Dense1DProtocol(cRate: 0.1))).run()
        #expect(abs(thin.capacity - 123) < 1.5)
        cell.thickness = 100e-6
        let thick = try Dense1DModel(Dense1DSetup(cell: cell, protocolSettings: Dense1DProtocol(cRate: 2))).run()
        #expect(abs(thick.capacity - 2) < 1.5)
    }
}
