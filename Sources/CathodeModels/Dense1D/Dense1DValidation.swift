import Foundation
import Materials

extension Dense1DSetup {
    /// Checks every parameter against its physical range; throws the first violation with the
    /// parameter's public name, its value in display units, the allowed range and the unit.
    public func validate() throws {
        let c = cell
        func check(
            _ name: String, _ value: Double, _ range: ClosedRange<Double>, _ unit: String, open lower: Bool = false
        ) throws {
            let ok =
                value.isFinite && (lower ? value > range.lowerBound : value >= range.lowerBound)
                && value <= range.upperBound
            if !ok {
                throw ModelInputError.outOfRange(
                    parameter: name, value: value,
                    allowed: "\(lower ? "(" : "[")\(range.lowerBound), \(range.upperBound)]", unit: unit)
            }
        }
        try check("thicknessMicrometres", c.thickness * 1e6, 0...10_000, "µm", open: true)
        try check("porosity", c.porosity, 0...0.9, "")
        try check("activeDensityKgPerM3", c.activeDensity, 0...30_000, "kg m⁻³", open: true)
        try check("maxConcentrationMolPerM3", c.maxConcentration, 0...1e6, "mol m⁻³", open: true)
        try check(
            "ratedCapacityMilliampHoursPerGram", c.ratedCapacityMilliampHoursPerGram, 0...5000, "mAh g⁻¹", open: true)
        switch c.diffusivity {
        case .constant(let d): try check("diffusivityCm2PerS", d * 1e4, 0...1, "cm² s⁻¹", open: true)
        case let .thermodynamicFactor(d, tr):
            try check("diffusivityCm2PerS", d * 1e4, 0...1, "cm² s⁻¹", open: true)
            try check("diffusivityReferenceStoichiometry", tr, 0...1, "", open: true)
        case .measuredPITT(let d): try check("diffusivityCm2PerS", d * 1e4, 0...1, "cm² s⁻¹", open: true)
        }
        try check("exchangeCurrentDensityAPerM2", c.exchangeCurrentDensity, 0...1e6, "A m⁻²", open: true)
        try check("anodicTransferCoefficient", c.anodicTransferCoefficient, 0.05...0.95, "")
        try check("roughnessFactor", c.roughnessFactor, 1...1000, "")
        if let profile = c.interfaceProfile {
            try check("roughnessRmsMicrometres", profile.rms * 1e6, 0...50, "µm")
            // The profile generator samples at Δy = 0.01 µm (RoughProfile.meanAreaRatio): ℓ ≥ 0.05 µm keeps 5 points per ℓ.
            try check("roughnessCorrelationMicrometres", profile.correlation * 1e6, 0.05...100, "µm")
            if profile.rms > 0 && c.roughnessFactor != 1 {
                throw ModelInputError.conflict(
                    first: "roughnessFactor", second: "roughnessRmsMicrometres",
                    reason: "give the area ratio either directly or through the RMS roughness, not both")
            }
        }
        try check("contactFraction", c.contactFraction, 0...1, "", open: true)
        if let s = c.electronicConductivity {
            try check("electronicConductivityInsulatingSPerM", s.insulating, 0...1e8, "S m⁻¹", open: true)
            try check("electronicConductivityMetallicSPerM", s.metallic, 0...1e8, "S m⁻¹", open: true)
            try check("electronicTransitionStoichiometry", s.transition, 0...1, "")
            try check("electronicTransitionWidth", s.width, 0...1, "", open: true)
        }
        if c.separator.isEmpty {
            throw ModelInputError.invalidValue(parameter: "separator", reason: "needs at least one layer")
        }
        for layer in c.separator {
            try check("separatorThicknessMicrometres", layer.thickness * 1e6, 0...10_000, "µm")
            try check("separatorConductivitySPerM", layer.conductivity, 0...1e4, "S m⁻¹", open: true)
        }
        switch c.counterElectrode {
        case let .lithiumIndium(u, r):
            try check("counterElectrodePotentialV", u, -1...5, "V")
            try check("counterElectrodeResistanceOhmCm2", r * 1e4, 0...1e6, "Ω cm²")
        case .lithiumMetal(let i0):
            try check("counterElectrodeExchangeCurrentDensityAPerM2", i0, 0...1e6, "A m⁻²", open: true)
        }
        try check("temperatureK", c.temperature, 200...450, "K")
        if case let .table(s, v) = c.ocp {
            guard s.count >= 2, s.count == v.count else {
                throw ModelInputError.invalidValue(
                    parameter: "ocpTable",
                    reason: "needs ≥ 2 points with as many voltages as stoichiometries (got \(s.count) and \(v.count))")
            }
            for k in s.indices where !(s[k] >= 0 && s[k] <= 1 && v[k].isFinite) {
                throw ModelInputError.invalidValue(
                    parameter: "ocpTable",
                    reason: "point \(k) (θ = \(s[k]), U = \(v[k])) must have 0 ≤ θ ≤ 1 and a finite voltage")
            }
            for k in s.indices.dropFirst() where s[k] <= s[k - 1] {
                throw ModelInputError.invalidValue(
                    parameter: "ocpTable", reason: "stoichiometries must increase strictly (point \(k))")
            }
        }
        let lowest = c.ocp.lowestAcceptedStoichiometry
        try check("initialStoichiometry", c.initialStoichiometry, lowest...1, "", open: false)
        if c.initialStoichiometry >= 1, protocolSettings.mode == .discharge {
            throw ModelInputError.outOfRange(
                parameter: "initialStoichiometry", value: c.initialStoichiometry, allowed: "[\(lowest), 1)", unit: "")
        }
        try check("lowerCutoffVsLiV", c.lowerCutoffVsLi, 0...6, "V")
        try check("upperCutoffVsLiV", c.upperCutoffVsLi, 0...6, "V")
        let ocv = c.ocp.voltage(c.initialStoichiometry)
        if protocolSettings.mode == .discharge, c.lowerCutoffVsLi >= ocv {
            throw ModelInputError.outOfRange(
                parameter: "lowerCutoffVsLiV", value: c.lowerCutoffVsLi,
                allowed:
                    "[0, \(String(format: "%.4f", ocv))) — below the open-circuit potential U(θ₀ = \(c.initialStoichiometry))",
                unit: "V")
        }
        if protocolSettings.mode == .charge, c.upperCutoffVsLi <= ocv {
            throw ModelInputError.outOfRange(
                parameter: "upperCutoffVsLiV", value: c.upperCutoffVsLi,
                allowed:
                    "(\(String(format: "%.4f", ocv)), 6] — above the open-circuit potential U(θ₀ = \(c.initialStoichiometry))",
                unit: "V")
        }
        if let i = protocolSettings.currentDensity {
            try check("currentDensityMilliampsPerCm2", i / 10, 0...1e5, "mA cm⁻²", open: true)
        } else {
            try check("cRate", protocolSettings.cRate, 0...1000, "h⁻¹", open: true)
        }
        if let hold = protocolSettings.constantVoltageHold {
            try check("cvEndCRate", hold.endCRate, 0...100, "h⁻¹", open: true)
        }
        for t in protocolSettings.profileTimes { try check("profileTimesSeconds", t, 0...1e9, "s") }
        try check("cells", Double(numerics.cells), 5...100_000, "")
        try check("gradingRatio", numerics.gradingRatio, 0.5...1, "")
        // Lower bounds: θ is stored to ~1e-16, so a per-step error below 1e-12 cannot be resolved; a step below
        // 1e-6 of the nominal duration would need more than a million steps to end a discharge.
        try check("absoluteTolerance", numerics.absoluteTolerance, 1e-12...1, "")
        try check("relativeTolerance", numerics.relativeTolerance, 0...1, "")
        try check("maxStepFraction", numerics.maxStepFraction, 1e-6...1, "")
        try check("cutoffToleranceV", numerics.cutoffTolerance, 0...0.1, "V", open: true)
        if let h = numerics.fixedStep { try check("fixedStepSeconds", h, 0...1e9, "s", open: true) }
    }
}
