import Foundation
import Materials

/// A 2D run described by numbers only (so it can be swept, cached and written to JSON): the 1D cell set
/// for materials and cell parameters, plus the recipe of the microstructure (grid, contact pattern,
/// roughness, grain orientation, seeds). `setup()` builds the deterministic `Dense2DSetup`.
public struct Dense2DSpec: Sendable, Equatable, Codable {
    public var base: String = "paperHalfCell"
    public var cellOverrides: [String: Double] = [:]
    public var nx = 46
    public var ny = 20
    public var widthMicrometres = 10.0
    public var contactFraction = 1.0
    public var contactPeriodMicrometres = 10.0
    /// 0 = regular pattern, 1 = random non-contact zones (mean gap `randomGapMicrometres`).
    public var randomContact = 0.0
    public var randomGapMicrometres = 3.0
    public var roughnessRmsMicrometres = 0.0
    /// Correlation length of the rough profile. The section's interface is a 1D profile, for which
    /// ℓ = 0.252 µm maps 0.84 µm RMS onto the paper's ≈ 4× area (and 0.29 µm onto ≈ 1.7×; physics.md §3.4).
    public var roughnessCorrelationMicrometres = 0.252
    /// 1 = resolve the rough profile on the grid (physics.md §3.4 representation (b); needs ℓ ≥ 2Δy), 0 = area factors.
    public var explicitRoughness = 0.0
    public var anisotropyRatio = 3e-3
    /// Orientation of the Li-layer direction from +x [degrees] (0 = the paper's oriented design).
    public var grainAngleDegrees = 0.0
    /// Number of Voronoi grains (0 = a single grain with `grainAngleDegrees`).
    public var grainCount = 0.0
    /// Fraction of grains misoriented by 90°; `randomOrientation` = 1 gives every grain a uniform random angle.
    public var misorientedFraction = 0.0
    public var randomOrientation = 0.0
    public var seed = 1.0
    public var cRate = 1.0
    /// BDF2 steps per nominal duration 1/C-rate. 100: the Fig. 4(e, g) capacities agree with 800 steps within
    /// 0.003 mAh g⁻¹ (0.1C and 1C at A/A_t = 1 and 0.6; 0.25C flat and 0.84 µm RMS; a liquid cell at 0.5C and 2C).
    public var stepsPerNominal = 100.0
    /// 1 = the paper's Fig. 5(c) model system instead of the grid/grain options (physics.md §3.7).
    public var modelSystem = 0.0
    /// Share of the model system's grains turned by 90° ((003) ∥ CC); 0 = its well-oriented twin (the same grains,
    /// the misoriented ones at 0°).
    public var modelSystemMisorientedFraction = 0.15
    /// θ maps stored at these fractions of the nominal duration 1/C-rate (0 = end only).
    public var snapshotCount = 0.0
    /// Cracks open at the top face: `openCrackCount` one-cell-wide cracks perpendicular to the current collector
    /// (along the (003) planes of oriented grains, like those through the cycled cathode, Fig. 5b), evenly spaced
    /// along y, reaching `openCrackDepthFraction` of the thickness down from x = L. A solid electrolyte does not
    /// enter them (they are traction-free holes); a liquid fills them.
    public var openCrackCount = 0.0
    public var openCrackDepthFraction = 0.5
    /// 1 = a liquid electrolyte instead of the solid one (the paper's Figs. S11, S12): it wets the whole top face
    /// and every pore open to it and soaks a porous separator (`LiquidElectrolyteSettings` gives the sources).
    public var liquidElectrolyte = 0.0
    public var liquidConcentrationMolPerM3 = Self.liquidDefaults.initialConcentration
    public var liquidSeparatorThicknessMicrometres = Self.liquidDefaults.separatorThickness * 1e6
    public var liquidSeparatorPorosity = Self.liquidDefaults.separatorPorosity
    public var liquidBruggemanExponent = Self.liquidDefaults.bruggemanExponent
    public var liquidSeparatorRows = Double(Self.liquidDefaults.separatorRows)
    public var liquidRateConstant = Self.liquidDefaults.rateConstant
    private static let liquidDefaults = LiquidElectrolyteSettings()

    /// The liquid's settings when `liquidElectrolyte` is 1, nil for a solid electrolyte.
    public var liquidSettings: LiquidElectrolyteSettings? {
        guard liquidElectrolyte > 0.5 else { return nil }
        var settings = LiquidElectrolyteSettings()
        settings.initialConcentration = liquidConcentrationMolPerM3
        settings.separatorThickness = liquidSeparatorThicknessMicrometres * 1e-6
        settings.separatorPorosity = liquidSeparatorPorosity
        settings.bruggemanExponent = liquidBruggemanExponent
        settings.separatorRows = Int(liquidSeparatorRows)
        settings.rateConstant = liquidRateConstant
        return settings
    }

    public init() {}

    /// The fast diffusivity D_f defaults to the Fig. 4 base case, 1.1e-9 cm² s⁻¹ (physics.md §3.7, [C]).
    public static let fig4Base: Dense2DSpec = {
        var s = Dense2DSpec()
        s.cellOverrides = ["diffusivityCm2PerS": 1.1e-9]
        return s
    }()

    /// The defaults on a base cell set: the calibrated Fig. 4 base case on `paperCalibrated` and
    /// `idealCellCalibrated`, the earlier estimate (`fig4Base`) on any other set.
    public static func defaults(base: String) -> Dense2DSpec {
        var spec =
            [PaperCalibratedSets.paperCalibrated.name, PaperCalibratedSets.idealCellCalibrated.name].contains(base)
            ? PaperCalibratedSets.sectionDefaults : fig4Base
        spec.base = base
        return spec
    }

    public func setup(snapshotTimes: [Double] = []) throws -> Dense2DSetup {
        // Every number is range-checked (and whole numbers checked integral) before any conversion below.
        for parameter in Dense2DParameterRegistry.specs {
            var copy = self
            try parameter.set(&copy, parameter.get(self) ?? 0)
        }
        for time in snapshotTimes where !(time.isFinite && time > 0 && time <= 1e9) {
            throw ModelInputError.outOfRange(parameter: "snapshotSeconds", value: time, allowed: "(0, 1e9]", unit: "s")
        }
        let (d1, _) = try Dense1DParameterRegistry.setup(base: base, numbers: cellOverrides)
        let cell = d1.cell
        let nominal = 3600 / cRate
        let snapshots =
            snapshotTimes
            + (snapshotCount >= 1 ? (1...Int(snapshotCount)).map { 0.8 * nominal * Double($0) / snapshotCount } : [])
        try liquidSettings?.validate()
        if modelSystem > 0.5 {
            var system = Self.fig5cSystem(
                nx: nx, ny: ny, thickness: cell.thickness, seed: UInt64(seed),
                misoriented: modelSystemMisorientedFraction)
            if explicitRoughness > 0.5 && roughnessRmsMicrometres > 0 {
                throw ModelInputError.invalidValue(
                    parameter: "explicitRoughness",
                    reason: "the Fig. 5(c) model system takes its roughness as area factors (explicitRoughness = 0)")
            }
            // The interface's roughness as area factors of the contact faces, as for the regular sections.
            if roughnessRmsMicrometres > 0 {
                system.setRoughness(
                    rms: roughnessRmsMicrometres * 1e-6, correlation: roughnessCorrelationMicrometres * 1e-6,
                    seed: UInt64(seed) &+ 7)
            }
            var setup = Dense2DSetup(
                cell: cell, microstructure: system, anisotropyRatio: anisotropyRatio, cRate: cRate,
                stepsPerNominal: Int(stepsPerNominal), snapshotTimes: snapshots)
            setup.liquid = liquidSettings
            return setup
        }
        // An explicitly resolved rough interface needs room above the mean thickness L for its peaks: the grid
        // grows by whole cells of the same Δx, and the solid keeps the mean thickness (and mass) of the flat case.
        var profile: [Double]? = nil
        var rows = nx
        var height = cell.thickness
        if explicitRoughness > 0.5 && roughnessRmsMicrometres > 0 {
            let dy = widthMicrometres * 1e-6 / Double(ny)
            let correlation = roughnessCorrelationMicrometres * 1e-6
            guard correlation >= 2 * dy else {
                throw ModelInputError.outOfRange(
                    parameter: "roughnessCorrelationMicrometres", value: roughnessCorrelationMicrometres,
                    allowed: String(
                        format: "≥ 2Δy = %.3f (an explicit rough interface must be resolved by the grid)", 2 * dy * 1e6),
                    unit: "µm")
            }
            let h = RoughProfile.generate(
                points: ny, length: widthMicrometres * 1e-6, rms: roughnessRmsMicrometres * 1e-6,
                correlation: correlation, seed: UInt64(seed) &+ 7)
            let dx = cell.thickness / Double(nx)
            rows = nx + Int(((h.max() ?? 0) / dx).rounded(.up))
            height = Double(rows) * dx
            profile = h
        }
        var m = Microstructure.uniform(
            nx: rows, ny: ny, thickness: height, width: widthMicrometres * 1e-6, angle: grainAngleDegrees * .pi / 180)
        if grainCount >= 1 {
            m.setVoronoiGrains(count: Int(grainCount), seed: UInt64(seed), misoriented: misorientedFraction, aspect: 3)
            if randomOrientation > 0.5 {
                var rng = SplitMix64(seed: UInt64(seed) &+ 17)
                m.grainAngles = m.grainAngles.map { _ in rng.nextUniform() * .pi }
            }
        } else if randomOrientation > 0.5 {
            throw ModelInputError.invalidValue(parameter: "randomOrientation", reason: "needs grainCount ≥ 1")
        }
        if contactFraction < 1 {
            if randomContact > 0.5 {
                m.setRandomContact(
                    fraction: contactFraction, meanGap: randomGapMicrometres * 1e-6, seed: UInt64(seed) &+ 101)
            } else {
                m.setRegularContact(fraction: contactFraction, period: contactPeriodMicrometres * 1e-6)
            }
        }
        if openCrackCount >= 1 {
            let depthCells = max(1, Int((openCrackDepthFraction * Double(nx)).rounded()))
            for crack in 0..<Int(openCrackCount) {
                let column = min(ny - 1, Int((Double(crack) + 0.5) / openCrackCount * Double(ny)))
                for i in (rows - depthCells)..<rows { m.hole[m.index(i, column)] = true }
            }
        }
        if roughnessRmsMicrometres > 0 {
            if let profile {
                try m.setExplicitRoughness(profile: profile, meanThickness: cell.thickness)
            } else {
                m.setRoughness(
                    rms: roughnessRmsMicrometres * 1e-6, correlation: roughnessCorrelationMicrometres * 1e-6,
                    seed: UInt64(seed) &+ 7)
            }
        }
        var setup = Dense2DSetup(
            cell: cell, microstructure: m, anisotropyRatio: anisotropyRatio, cRate: cRate,
            stepsPerNominal: Int(stepsPerNominal), snapshotTimes: snapshots)
        setup.liquid = liquidSettings
        return setup
    }

    /// The paper's Fig. 5(c) model system as proposed in physics.md §3.7 [E]: 40 µm wide, columnar oriented
    /// grains about 5 µm wide (aspect 3), 15 % misoriented by 90°, three pores (radius 0.5–1 µm), two
    /// microcracks parallel to the current collector (4 µm × 0.2 µm, one inside a grain at mid-depth) and two
    /// 3 µm interfacial voids (f_c ≈ 0.85).
    public static func fig5cSystem(
        nx: Int, ny: Int, thickness: Double, seed: UInt64, misoriented: Double = 0.15
    ) -> Microstructure {
        let width = 40e-6
        var m = Microstructure.uniform(nx: nx, ny: ny, thickness: thickness, width: width)
        m.setVoronoiGrains(count: 8, seed: seed, misoriented: misoriented == 0 ? 0.15 : misoriented, aspect: 3)
        if misoriented == 0 {
            // The well-oriented twin: the same grains, the misoriented ones turned to (003) ⊥ CC.
            m.grainAngles = m.grainAngles.map { $0 == .pi / 2 ? 0 : $0 }
        }
        m.addHole(x: 0.30 * thickness, y: 7e-6, semiAxisX: 0.8e-6, semiAxisY: 0.8e-6)
        m.addHole(x: 0.65 * thickness, y: 22e-6, semiAxisX: 1.0e-6, semiAxisY: 1.0e-6)
        m.addHole(x: 0.45 * thickness, y: 33e-6, semiAxisX: 0.5e-6, semiAxisY: 0.5e-6)
        m.addHole(x: 0.50 * thickness, y: 14e-6, semiAxisX: 0.1e-6, semiAxisY: 2e-6)  // crack ∥ CC, mid-depth
        m.addHole(x: 0.80 * thickness, y: 28e-6, semiAxisX: 0.1e-6, semiAxisY: 2e-6)  // crack ∥ CC near the interface
        for j in 0..<ny {
            let y = (Double(j) + 0.5) * m.dy
            if (10e-6...13e-6).contains(y) || (30e-6...33e-6).contains(y) { m.contact[j] = false }
        }
        return m
    }
}

/// Names for the 2D spec (sweepable in studies, settable in files). Cell names the 2D model reads
/// (`cellNames`, e.g. `diffusivityCm2PerS`, `exchangeCurrentDensityAPerM2`) go to the 1D cell registry; 1D names
/// the 2D model does not read (porosity, roughnessFactor, electronic conduction, 1D numerics …) are errors.
public enum Dense2DParameterRegistry {
    typealias Spec = ParameterSpec<Dense2DSpec>

    private static func real(
        _ name: String, _ unit: String, _ help: String, _ range: ClosedRange<Double>, open: Bool = false,
        _ key: WritableKeyPath<Dense2DSpec, Double> & Sendable
    ) -> Spec {
        .bounded(name, unit, help, range, open: open, key)
    }
    private static func whole(
        _ name: String, _ help: String, _ range: ClosedRange<Int>,
        _ key: WritableKeyPath<Dense2DSpec, Double> & Sendable
    ) -> Spec {
        Spec.whole(name, help, range, key)
    }
    private static func flag(_ name: String, _ help: String, _ key: WritableKeyPath<Dense2DSpec, Double> & Sendable)
        -> Spec
    {
        Spec.flag(name, help, key)
    }

    private static func formatNumber(_ v: Double) -> String { Dense1DParameterRegistry.formatNumber(v) }

    public static let specs: [ParameterSpec<Dense2DSpec>] = [
        Spec(
            name: "nx", unit: "–", help: "cells through the thickness", get: { Double($0.nx) },
            set: { $0.nx = try Spec.wholeNumber("nx", $1, 2...5000) }),
        Spec(
            name: "ny", unit: "–", help: "cells along the interface", get: { Double($0.ny) },
            set: { $0.ny = try Spec.wholeNumber("ny", $1, 1...5000) }),
        real("widthMicrometres", "µm", "section width W", 0...100_000, open: true, \.widthMicrometres),
        real("contactFraction", "–", "interfacial contact fraction A/A_t", 0...1, open: true, \.contactFraction),
        real(
            "contactPeriodMicrometres", "µm", "period of the regular contact pattern", 0...100_000, open: true,
            \.contactPeriodMicrometres),
        flag("randomContact", "1 = random non-contact zones", \.randomContact),
        real(
            "randomGapMicrometres", "µm", "mean length of random non-contact zones", 0...100_000, open: true,
            \.randomGapMicrometres),
        real("roughnessRmsMicrometres", "µm", "RMS roughness of the interface", 0...100, \.roughnessRmsMicrometres),
        real(
            "roughnessCorrelationMicrometres", "µm", "correlation length of the roughness", 0...1000, open: true,
            \.roughnessCorrelationMicrometres),
        flag("explicitRoughness", "1 = resolve the rough interface on the grid (needs ℓ ≥ 2Δy)", \.explicitRoughness),
        real("anisotropyRatio", "–", "D_s/D_f (across/along the Li layers)", 0...1, \.anisotropyRatio),
        real("grainAngleDegrees", "°", "Li-layer direction from +x (0 = oriented)", -360...360, \.grainAngleDegrees),
        whole("grainCount", "Voronoi grains (0 = one grain)", 0...10_000, \.grainCount),
        real("misorientedFraction", "–", "fraction of grains at 90°", 0...1, \.misorientedFraction),
        flag("randomOrientation", "1 = uniform random grain angles", \.randomOrientation),
        whole("seed", "random seed of the microstructure", 0...(1 << 53), \.seed),
        real("cRate", "h⁻¹", "C-rate", 0...1000, open: true, \.cRate),
        whole("stepsPerNominal", "time steps per 1/C-rate", 10...1_000_000, \.stepsPerNominal),
        flag("modelSystem", "1 = the Fig. 5(c) model system microstructure", \.modelSystem),
        real(
            "modelSystemMisorientedFraction", "–",
            "share of the model system's grains with (003) ∥ CC (0 = well oriented)",
            0...1, \.modelSystemMisorientedFraction),
        whole("snapshotCount", "θ maps at evenly spaced times up to 0.8/C-rate", 0...1000, \.snapshotCount),
        whole(
            "openCrackCount", "cracks ⊥ CC open at the top face, one cell wide, evenly spaced", 0...1000,
            \.openCrackCount),
        real(
            "openCrackDepthFraction", "–", "depth of the open cracks as a fraction of the thickness", 0...1, open: true,
            \.openCrackDepthFraction),
        flag(
            "liquidElectrolyte", "1 = liquid electrolyte (LiPF₆, Valøen–Reimers 2005) instead of the SE",
            \.liquidElectrolyte),
        real(
            "liquidConcentrationMolPerM3", "mol m⁻³", "liquid: initial salt concentration", 10...4000,
            \.liquidConcentrationMolPerM3),
        real(
            "liquidSeparatorThicknessMicrometres", "µm", "liquid: porous separator thickness", 1...1000,
            \.liquidSeparatorThicknessMicrometres),
        real("liquidSeparatorPorosity", "–", "liquid: separator porosity", 0.05...1, \.liquidSeparatorPorosity),
        real(
            "liquidBruggemanExponent", "–", "liquid: Bruggeman exponent of the separator", 1...3,
            \.liquidBruggemanExponent),
        whole(
            "liquidSeparatorRows", "liquid: finite-volume rows through the separator", 2...200, \.liquidSeparatorRows),
        real(
            "liquidRateConstant", "A m⁻² (m³ mol⁻¹)^1.5", "liquid: LCO reaction rate constant k (Ramadass 2004)",
            1e-12...1e-2, \.liquidRateConstant),
    ]

    /// The liquid-electrolyte names (listed in run descriptions only for liquid cells).
    public static let liquidNames: Set<String> = [
        "liquidConcentrationMolPerM3", "liquidSeparatorThicknessMicrometres", "liquidSeparatorPorosity",
        "liquidBruggemanExponent", "liquidSeparatorRows", "liquidRateConstant",
    ]

    /// The cell (1D registry) names the 2D model reads.
    public static let cellNames = [
        "thicknessMicrometres", "activeDensityKgPerM3", "maxConcentrationMolPerM3", "ratedCapacityMilliampHoursPerGram",
        "diffusivityCm2PerS", "exchangeCurrentDensityAPerM2", "separatorThicknessMicrometres",
        "separatorConductivitySPerM",
        "counterElectrodePotentialV", "counterElectrodeResistanceOhmCm2",
        "counterElectrodeExchangeCurrentDensityAPerM2",
        "temperatureK", "initialStoichiometry", "lowerCutoffVsLiV",
    ]

    /// Every key a 2D parameter file may hold.
    public static let schema: ParameterSchema = {
        var kinds: [String: ParameterSchema.Kind] = ["base": .parameterSet(Dense1DParameterSet.all.map(\.name))]
        for name in cellNames { kinds[name] = .number(unit: Dense1DParameterRegistry.spec(named: name)!.unit) }
        for spec in specs { kinds[spec.name] = .number(unit: spec.unit) }
        return ParameterSchema(model: "dense2d", kinds: kinds)
    }()

    public static func spec(named name: String) -> ParameterSpec<Dense2DSpec>? { specs.first { $0.name == name } }

    public static func knows(_ name: String) -> Bool { spec(named: name) != nil || cellNames.contains(name) }

    /// A spec from a base and numeric overrides (2D names here, cell names to the cell).
    public static func spec(base: String, numbers: [String: Double]) throws -> Dense2DSpec {
        var s = Dense2DSpec.defaults(base: try Dense1DParameterSet.named(base).name)
        for name in numbers.keys.sorted() {
            let v = numbers[name]!
            if let p = spec(named: name) {
                try p.set(&s, v)
            } else if cellNames.contains(name) {
                guard v.isFinite else {
                    throw ModelInputError.outOfRange(
                        parameter: name, value: v, allowed: "finite numbers",
                        unit: Dense1DParameterRegistry.spec(named: name)!.unit)
                }
                s.cellOverrides[name] = v
            } else {
                throw schema.unknown(name)
            }
        }
        // The cell overrides must make a valid cell (ranges with units, cut-off below the open-circuit potential).
        _ = try Dense1DParameterRegistry.setup(base: s.base, numbers: s.cellOverrides)
        return s
    }

    public static func describe(_ s: Dense2DSpec) -> [(name: String, value: String, unit: String)] {
        var rows = specs.compactMap { p in p.get(s).map { (p.name, Dense1DParameterRegistry.formatNumber($0), p.unit) }
        }
        if s.liquidElectrolyte < 0.5 {
            rows.removeAll { liquidNames.contains($0.0) || $0.0 == "liquidElectrolyte" }
        }
        if let (d1, _) = try? Dense1DParameterRegistry.setup(base: s.base, numbers: s.cellOverrides) {
            rows += Dense1DParameterRegistry.describe(d1).filter {
                spec(named: $0.name) == nil
                    && ![
                        "cells", "gradingRatio", "absoluteTolerance", "relativeTolerance", "maxStepFraction",
                        "cutoffToleranceV", "mode", "constantVoltageHold", "cvEndCRate", "profileTimesSeconds",
                        "currentDensityMilliampsPerCm2",
                    ].contains($0.name)
            }
        }
        return rows.sorted { $0.0 < $1.0 }
    }
}
