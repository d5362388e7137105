import Foundation
import Materials

extension CompositeSetup {
    /// Range checks with the parameter's public name, value, allowed range and unit.
    public func validate() throws {
        let c = cell
        func check(_ name: String, _ value: Double, _ range: ClosedRange<Double>, _ unit: String, open: Bool = false)
            throws
        {
            let ok =
                value.isFinite && (open ? value > range.lowerBound : value >= range.lowerBound)
                && value <= range.upperBound
            if !ok {
                throw ModelInputError.outOfRange(
                    parameter: name, value: value,
                    allowed: "\(open ? "(" : "[")\(range.lowerBound), \(range.upperBound)]", unit: unit)
            }
        }
        try check("camWeightPercent", c.camWeightFraction * 100, 0...100, "wt%", open: true)
        try check("activeDensityKgPerM3", c.activeDensity, 0...30_000, "kg m⁻³", open: true)
        try check("inactiveDensityKgPerM3", c.inactiveDensity, 0...30_000, "kg m⁻³", open: true)
        try check("porosity", c.porosity, 0...0.9, "")
        try check("massLoadingMilligramsPerCm2", c.massLoading * 100, 0...1000, "mg cm⁻²", open: true)
        try check("electrolyteShareOfInactive", c.electrolyteShareOfInactive, 0...1, "")
        try check("particleRadiusMicrometres", c.particleRadius * 1e6, 0...1000, "µm", open: true)
        try check("particleDiffusivityCm2PerS", c.particleDiffusivity * 1e4, 0...1, "cm² s⁻¹", open: true)
        try check("maxConcentrationMolPerM3", c.maxConcentration, 0...1e6, "mol m⁻³", open: true)
        try check("exchangeCurrentDensityAPerM2", c.exchangeCurrentDensity, 0...1e6, "A m⁻²", open: true)
        try check("contactSpotRadiusMicrometres", c.contactSpotRadius * 1e6, 0...100, "µm")
        if let z = c.contactCoordination { try check("contactCoordinationNumber", z, 1...200, "") }
        if case .constant(let f) = c.contact { try check("contactFraction", f, 0...1, "", open: true) }
        if case let .percolatingCoverage(threshold, exponent) = c.contact {
            try check("coverageThreshold", threshold, 0...0.95, "")
            try check("coverageExponent", exponent, 0...3, "")
        }
        switch c.ionicTransport {
        case let .bruggeman(s, b):
            try check("ionicConductivitySPerM", s, 0...1e4, "S m⁻¹", open: true)
            try check("bruggemanExponent", b, 0...10, "", open: true)
        case let .percolation(s, pc, t):
            try check("ionicConductivitySPerM", s, 0...1e4, "S m⁻¹", open: true)
            try check("percolationThreshold", pc, 0...0.99, "")
            try check("percolationExponent", t, 0...10, "", open: true)
        case let .archie(s, m):
            try check("ionicConductivitySPerM", s, 0...1e4, "S m⁻¹", open: true)
            try check("archieExponent", m, 0...20, "", open: true)
        }
        try check("electronicConductivitySPerM", c.electronicConductivity, 0...1e8, "S m⁻¹", open: true)
        for layer in c.separator {
            try check("separatorThicknessMicrometres", layer.thickness * 1e6, 0...10_000, "µm")
            try check("separatorConductivitySPerM", layer.conductivity, 0...1e4, "S m⁻¹", open: true)
        }
        try check("temperatureK", c.temperature, 200...450, "K")
        try check("initialStoichiometry", c.initialStoichiometry, c.ocp.lowestAcceptedStoichiometry...1, "")
        if c.initialStoichiometry >= 1 {
            throw ModelInputError.outOfRange(
                parameter: "initialStoichiometry", value: c.initialStoichiometry,
                allowed: "[\(c.ocp.lowestAcceptedStoichiometry), 1)", unit: "")
        }
        let ocv = c.ocp.voltage(c.initialStoichiometry)
        try check("lowerCutoffVsLiV", c.lowerCutoffVsLi, 0...6, "V")
        if c.lowerCutoffVsLi >= ocv {
            throw ModelInputError.outOfRange(
                parameter: "lowerCutoffVsLiV", value: c.lowerCutoffVsLi,
                allowed: "[0, \(String(format: "%.4f", ocv))) — below the open-circuit potential", unit: "V")
        }
        try check("cRate", cRate, 0...1000, "h⁻¹", open: true)
        try check("electrodeCells", Double(numerics.electrodeCells), 3...10_000, "")
        try check("particleShells", Double(numerics.particleShells), 3...10_000, "")
        // Floors as for Model A (dense1d): finer tolerances cannot be resolved in double precision, shorter
        // maximum steps would need millions of steps.
        try check("absoluteTolerance", numerics.absoluteTolerance, 1e-12...1, "")
        try check("relativeTolerance", numerics.relativeTolerance, 0...1, "")
        try check("maxStepFraction", numerics.maxStepFraction, 1e-6...1, "")
        try check("cutoffToleranceV", numerics.cutoffTolerance, 1e-9...0.1, "V")
        // About a dozen copies of the particle field (state, history, step work) plus the banded Newton matrix.
        let classes = 2 * ((c.contactCoordination ?? 0) + 1)
        let cellsAndShells = Double(numerics.electrodeCells) * Double(numerics.particleShells) * classes
        try MemoryBudget.check(
            8 * (12 * cellsAndShells + 40 * Double(numerics.electrodeCells)), for: "the composite model",
            settings:
                "electrodeCells (\(numerics.electrodeCells)), particleShells (\(numerics.particleShells)) or contactCoordinationNumber (\(c.contactCoordination ?? 0))"
        )
        if let t = c.thicknessOverride { try check("thicknessMicrometres", t * 1e6, 0...10_000, "µm", open: true) }
        if let a = c.specificAreaOverride { try check("specificAreaPerM", a, 0...1e9, "m⁻¹", open: true) }
        try check("camVolumeFraction", c.camVolumeFraction, 0...1, "", open: true)
        try check("electrolyteVolumeFraction", c.electrolyteVolumeFraction, 0...1, "")
        let solid = c.camVolumeFraction + c.electrolyteVolumeFraction + c.porosity
        if solid > 1 + 1e-9 {
            throw ModelInputError.inconsistent(
                reason:
                    "volume fractions do not add up: φ_CAM (\(c.camVolumeFraction)) + φ_SE (\(c.electrolyteVolumeFraction)) + porosity (\(c.porosity)) = \(solid) > 1"
            )
        }
    }
}
