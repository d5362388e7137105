import Foundation
import Materials

/// The parameter sets built from the joint calibration `paper` (studies/Calibration/PaperCalibration.swift,
/// values in PaperCalibratedValues.swift): one set of values for every model, each fitted value labelled [C]
/// with the calibration it came from. The earlier sets (paperHalfCell, composite, compositeCalibrated) stay
/// available by name for comparison.
public enum PaperCalibratedSets {
    /// The fitted value of a calibration parameter (a programming error if the generated file lacks it).
    public static func value(_ name: String) -> Double {
        guard let v = PaperCalibratedValues.values[name] else {
            preconditionFailure("PaperCalibratedValues has no '\(name)'")
        }
        return v
    }

    /// A [C] source note: the calibration, the value's standard error, and whether it ended on a bound.
    static func calibrated(_ name: String, _ what: String) -> ParameterSource {
        let onBound = PaperCalibratedValues.atBound.contains(name)
        let error =
            PaperCalibratedValues.standardErrors[name].map { String(format: " ± %.2g", $0) }
            ?? (onBound ? "" : " (not pinned by the targets on its own)")
        let bound = onBound ? ", held at a bound of its literature range" : ""
        return ParameterSource(.calibrated, "Naik2025", "\(what): joint calibration 'paper'\(error)\(bound)")
    }

    /// θ_ref of the Darken/vacancy D(θ) law: the calibrated D_ref is the diffusivity at θ = 0.9.
    public static let diffusivityReferenceStoichiometry = 0.9

    /// The names of the parameter sets built from the stored values (a calibration may not run from them: its fit
    /// must not depend on the values it stores, which is what lets its cache ignore them).
    public static var setNames: Set<String> { [paperCalibrated.name, idealCellCalibrated.name, composite.name] }

    /// RMS roughness of the experimental cell's cathode/SE interface [m]: the rough interface of Fig. 4(c) (0.84 µm by
    /// laser profilometry), the one with the better discharge (Fig. S8) [E: the paper does not say which interface its
    /// Fig. 3 and Fig. 5 cells had]. Its ≈ 4× active area is why i₀ per true area is lower than the 1D fit of a flat
    /// interface would suggest, and why a flat interface at full contact is kinetically limited (Fig. 4g).
    public static let experimentalRoughnessRms = 0.84e-6

    /// The dense cathode of the paper's half-cell with the calibrated window, kinetics, cut-off and D(θ) law.
    static func denseCell(_ base: Dense1DCell) -> Dense1DCell {
        var cell = base
        cell.initialStoichiometry = value("theta0")
        cell.exchangeCurrentDensity = value("i0")
        cell.lowerCutoffVsLi = value("cutoff")
        cell.diffusivity = .thermodynamicFactor(
            reference: value("denseDiffusivity") * 1e-4, referenceStoichiometry: diffusivityReferenceStoichiometry)
        cell.roughnessFactor = 1
        cell.interfaceProfile = InterfaceProfile(
            rms: experimentalRoughnessRms, correlation: value("roughnessCorrelation") * 1e-6)
        return cell
    }

    static func denseSources(_ base: [String: ParameterSource]) -> [String: ParameterSource] {
        var sources = base
        sources["initialStoichiometry"] = calibrated("theta0", "practical stoichiometry window")
        sources["exchangeCurrentDensityAPerM2"] = calibrated("i0", "LCO/SE exchange current density")
        sources["lowerCutoffVsLiV"] = calibrated("cutoff", "discharge cut-off")
        sources["diffusivityCm2PerS"] = calibrated(
            "denseDiffusivity",
            "D_ref of the Darken/vacancy law D(θ) = D_ref·(1 − θ)Θ(θ)/((1 − θ_ref)Θ(θ_ref)) at θ_ref = 0.9 (Jang et al. 2001: D̃ follows Θ)"
        )
        sources["diffusivityModel"] = ParameterSource(
            .verified, "Jang2001",
            "thermodynamic-factor (Darken) law from the measured OCP; the chemical diffusivity of LixCoO2 follows the thermodynamic factor"
        )
        sources["diffusivityReferenceStoichiometry"] = ParameterSource(
            .estimate, "CathodeLabPhysics", "θ_ref = 0.9, in the plateau where Θ is smallest")
        sources["roughnessRmsMicrometres"] = ParameterSource(
            .estimate, "Naik2025",
            "the rough interface of Fig. 4(c), 0.84 µm RMS (which interface the Fig. 3 cell had is not stated)")
        sources["roughnessCorrelationMicrometres"] = calibrated(
            "roughnessCorrelation", "correlation length ℓ of the interface roughness (≈ 4× area at 0.84 µm)")
        sources["roughnessFactor"] = ParameterSource(
            .derived, "CathodeLabPhysics", "from the interface profile (physics.md §3.4)")
        return sources
    }

    /// Model A: the paper's half-cell with the calibrated values.
    public static let paperCalibrated = Dense1DParameterSet(
        name: "paperCalibrated",
        summary:
            "The paper's half-cell with every unknown value from the joint calibration 'paper' (window, i₀, cut-off, D(θ), rough interface).",
        cell: denseCell(Dense1DParameterSet.paperHalfCell.cell),
        sources: denseSources(Dense1DParameterSet.paperHalfCell.sources))

    /// The ideal cell (30 µm SE, Li metal) with the calibrated dense cathode.
    public static let idealCellCalibrated = Dense1DParameterSet(
        name: "idealCellCalibrated",
        summary:
            "The ideal solid-state cell (30 µm SE, Li metal) with the calibrated dense cathode (joint calibration 'paper').",
        cell: denseCell(Dense1DParameterSet.idealCell.cell),
        sources: denseSources(Dense1DParameterSet.idealCell.sources))

    /// Model D with the calibrated SE network (percolation law), percolating-coverage contacts with spots,
    /// particle radius, its own window θ₀,D, and the shared kinetics and cut-off.
    public static let composite: CompositeParameterSet = {
        let base = CompositeParameterSet.composite
        var cell = base.cell
        let threshold = value("percolationThreshold")
        cell.ionicTransport = .percolation(
            bulk: value("seConductivity"), threshold: threshold, exponent: value("percolationExponent"))
        cell.contact = .percolatingCoverage(threshold: threshold, exponent: 0.41)
        cell.particleRadius = value("particleRadius") * 1e-6
        cell.contactSpotRadius = value("spotRadius") * 1e-6
        cell.initialStoichiometry = value("compositeTheta0")
        cell.exchangeCurrentDensity = value("i0")
        cell.lowerCutoffVsLi = value("cutoff")
        var sources = base.sources
        sources["ionicConductivitySPerM"] = calibrated("seConductivity", "bulk SE conductivity σ₀")
        sources["percolationThreshold"] = calibrated(
            "percolationThreshold", "percolation threshold φ_c (also the coverage threshold)")
        sources["coverageThreshold"] = calibrated("percolationThreshold", "the SE network's percolation threshold")
        sources["percolationExponent"] = calibrated("percolationExponent", "conductivity exponent t")
        sources["coverageExponent"] = ParameterSource(.verified, "StaufferAharony1994", "β = 0.41 in 3D")
        sources["contactModel"] = ParameterSource(
            .estimate, "Bielefeld2019", "percolating coverage: active CAM/SE area vanishes with the SE network")
        sources["particleRadiusMicrometres"] = calibrated("particleRadius", "CAM particle radius")
        sources["contactSpotRadiusMicrometres"] = calibrated("spotRadius", "CAM/SE contact-spot radius")
        sources["initialStoichiometry"] = calibrated(
            "compositeTheta0", "practical stoichiometry window of the composite model θ₀,D")
        sources["exchangeCurrentDensityAPerM2"] = calibrated("i0", "LCO/SE exchange current density")
        sources["lowerCutoffVsLiV"] = calibrated("cutoff", "discharge cut-off")
        return CompositeParameterSet(
            name: "compositePaperCalibrated",
            summary:
                "Composite cathode with the SE network, contacts and particle size of the joint calibration 'paper'.",
            cell: cell, sources: sources)
    }()

    /// Model B defaults on the calibrated cell: the Fig. 4 base case's window θ₀,B, fast diffusivity D_f and
    /// D_s/D_f, and the cell's interface — 0.84 µm RMS (`experimentalRoughnessRms`) with the correlation length of the
    /// rough-interface generator — as for the dense 1D cell and the calibration's Fig. 4(e) targets. i₀ is per true
    /// area, so a section on a flat interface is a different (kinetically limited) cell: studies that vary the
    /// roughness set it explicitly.
    public static let sectionDefaults: Dense2DSpec = {
        var spec = Dense2DSpec()
        spec.roughnessRmsMicrometres = experimentalRoughnessRms * 1e6
        spec.base = paperCalibrated.name
        spec.cellOverrides = [
            "diffusivityCm2PerS": value("sectionDiffusivity"), "initialStoichiometry": value("sectionTheta0"),
        ]
        spec.anisotropyRatio = value("anisotropy")
        spec.roughnessCorrelationMicrometres = value("roughnessCorrelation")
        return spec
    }()

    /// Where the 2D defaults of the calibrated set come from.
    public static let sectionSources: [String: String] = [
        "diffusivityCm2PerS": "[C] D_f of the Fig. 4 base case: joint calibration 'paper'",
        "initialStoichiometry": "[C] θ₀,B, the practical window of the Fig. 4 model system: joint calibration 'paper'",
        "anisotropyRatio": "[C] D_s/D_f: joint calibration 'paper' on the full 2D model",
        "roughnessCorrelationMicrometres": "[C] ℓ: 0.84 µm RMS gives the paper's ≈ 4× area (joint calibration 'paper')",
        "roughnessRmsMicrometres":
            "[E] the experimental cell's interface, 0.84 µm RMS (Fig. 4c; which interface the Fig. 3 cell had is not stated)",
    ]

    /// The Fig. 1(b) stack with the calibrated separator thickness and composite porosity.
    public static var stack: [StackDesign] {
        StackDesign.fig1b(separatorMicrometres: value("stackSeparator"), compositePorosity: value("stackPorosity"))
    }
}
