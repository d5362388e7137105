import CathodeModels
import Foundation
import Materials

/// Shared set-up for the Model A studies: the paper's half-cell with a few overrides.
enum Dense1DStudySupport {
    static let base = Dense1DParameterSet.paperHalfCell

    static func setup(cRate: Double, thicknessMicrometres: Double? = nil, diffusivityCm2PerS: Double? = nil) -> Dense1DSetup {
        var cell = base.cell
        if let l = thicknessMicrometres { cell.thickness = l * 1e-6 }
        if let d = diffusivityCm2PerS { cell.diffusivity = .constant(d * 1e-4) }
        return Dense1DSetup(cell: cell, protocolSettings: Dense1DProtocol(cRate: cRate))
    }

    static func run(cRate: Double, thicknessMicrometres: Double? = nil, diffusivityCm2PerS: Double? = nil) throws -> Dense1DResult {
        try Dense1DModel(setup(cRate: cRate, thicknessMicrometres: thicknessMicrometres, diffusivityCm2PerS: diffusivityCm2PerS)).run()
    }

    static func parameters(_ setup: Dense1DSetup) -> [(name: String, value: String, unit: String)] {
        Dense1DParameterRegistry.describe(setup)
    }

    /// Linear interpolation of the level crossing along a monotone column: the y where f(y) = level.
    static func crossing(_ ys: [Double], _ fs: [Double], level: Double) -> Double? {
        for k in 1..<ys.count where (fs[k - 1] - level) * (fs[k] - level) <= 0 && fs[k - 1] != fs[k] {
            return ys[k - 1] + (level - fs[k - 1]) / (fs[k] - fs[k - 1]) * (ys[k] - ys[k - 1])
        }
        return nil
    }

    static func logspace(_ a: Double, _ b: Double, _ n: Int) -> [Double] {
        (0..<n).map { a * pow(b / a, Double($0) / Double(n - 1)) }
    }
    static func linspace(_ a: Double, _ b: Double, _ n: Int) -> [Double] {
        (0..<n).map { a + (b - a) * Double($0) / Double(n - 1) }
    }
}
