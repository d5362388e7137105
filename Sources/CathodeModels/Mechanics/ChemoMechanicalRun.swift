import Foundation
import Materials

/// A one-way coupled chemo-mechanical run described by numbers (sweepable, cacheable): the 2D diffusion spec
/// plus the mechanical settings. Stress fields are computed at the diffusion run's snapshot times (the last
/// one at the end of discharge) on one factorised stiffness matrix.
public struct ChemoMechanicalSpec: Sendable, Equatable, Codable {
    public var diffusion = Dense2DSpec.fig4Base
    public var youngsModulusGPa = ElasticConstants.lcoYoungsModulus / 1e9
    public var poissonRatio = ElasticConstants.lcoPoissonRatio
    public var electrolyteYoungsModulusGPa = ElasticConstants.solidElectrolyteYoungsModulus / 1e9
    public var electrolytePoissonRatio = ElasticConstants.solidElectrolytePoissonRatio
    /// Meshed SE thickness (or L_SE of the foundation); 0 = min(L_SE, 2W) as physics.md §4.4 proposes.
    public var electrolyteThicknessMicrometres = 0.0
    public var stackPressureMPa = 0.0
    /// 0 = free, 1 = elastic foundation on contact faces, 2 = bonded SE layer (physics.md §4.4).
    public var interfaceCondition = 2.0
    /// 0 = periodic (closed microstructures: rollers), 1 = rollers, 2 = free.
    public var sideCondition = 0.0
    /// 0 = plane strain, 1 = plane stress.
    public var planeStress = 0.0
    /// Linear lattice-strain coefficients β_a, β_c (physics.md §4.2).
    public var latticeBetaA = 0.004
    public var latticeBetaC = 2 * (14.45 - 14.05) / 14.05
    /// θ_ref; a negative value means the initial stoichiometry of the discharge.
    public var referenceStoichiometry = -1.0
    public var hotspotCount = 10.0
    /// Hexagonal elastic constants C11, C33, C44, C12, C13 [GPa] (c-axis along the grain's e_s), rotated per
    /// grain; all zero (default) = isotropic. No verified values for LiCoO₂ exist (physics.md §4.3), so none ship.
    public var transverseC11GPa = 0.0, transverseC33GPa = 0.0, transverseC44GPa = 0.0, transverseC12GPa = 0.0,
        transverseC13GPa = 0.0

    public init() {}

    /// The mechanical set-up; `width` is the section width used for the automatic SE thickness (default: the
    /// width this spec builds).
    public func mechanics(width: Double? = nil) throws -> SectionMechanics {
        var m = SectionMechanics()
        m.cathodeYoungsModulus = youngsModulusGPa * 1e9
        m.cathodePoissonRatio = poissonRatio
        m.electrolyteYoungsModulus = electrolyteYoungsModulusGPa * 1e9
        m.electrolytePoissonRatio = electrolytePoissonRatio
        if electrolyteThicknessMicrometres > 0 {
            m.electrolyteThickness = electrolyteThicknessMicrometres * 1e-6
        } else {
            let separator = try Dense1DParameterRegistry.setup(base: diffusion.base, numbers: diffusion.cellOverrides).0
                .cell.separator.reduce(0) { $0 + $1.thickness }
            let w = width ?? (diffusion.modelSystem > 0.5 ? 40e-6 : diffusion.widthMicrometres * 1e-6)
            m.electrolyteThickness = min(separator, 2 * w)
        }
        m.stackPressure = stackPressureMPa * 1e6
        let interfaces: [SectionMechanics.Interface] = [.free, .elasticFoundation, .bondedLayer]
        guard let i = interfaces.indices.first(where: { Double($0) == interfaceCondition }) else {
            throw ModelInputError.outOfRange(
                parameter: "interfaceCondition", value: interfaceCondition,
                allowed: "0 (free), 1 (elastic foundation) or 2 (bonded SE layer)", unit: "")
        }
        m.interface = interfaces[i]
        switch sideCondition {
        case 0: m.sides = nil
        case 1: m.sides = .rollers
        case 2: m.sides = .free
        default:
            throw ModelInputError.outOfRange(
                parameter: "sideCondition", value: sideCondition, allowed: "0 (periodic), 1 (rollers) or 2 (free)",
                unit: "")
        }
        guard planeStress == 0 || planeStress == 1 else {
            throw ModelInputError.outOfRange(parameter: "planeStress", value: planeStress, allowed: "0 or 1", unit: "")
        }
        m.condition = planeStress == 1 ? .planeStress : .planeStrain
        for (name, v) in [("latticeBetaA", latticeBetaA), ("latticeBetaC", latticeBetaC)]
        where !(v.isFinite && abs(v) <= 0.2) {
            throw ModelInputError.outOfRange(parameter: name, value: v, allowed: "−0.2–0.2", unit: "per unit θ")
        }
        m.lattice = .linear(betaA: latticeBetaA, betaC: latticeBetaC)
        m.referenceStoichiometry = referenceStoichiometry < 0 ? nil : referenceStoichiometry
        let hexagonal = [transverseC11GPa, transverseC33GPa, transverseC44GPa, transverseC12GPa, transverseC13GPa]
        if hexagonal.contains(where: { $0 != 0 }) {
            guard hexagonal[0] > 0, hexagonal[1] > 0, hexagonal[2] > 0 else {
                throw ModelInputError.invalidValue(
                    parameter: "transverseC11GPa…transverseC13GPa",
                    reason: "give all five hexagonal constants, with C11, C33 and C44 > 0 (got \(hexagonal) GPa)")
            }
            m.transverseConstants = hexagonal.map { $0 * 1e9 }
        }
        guard hotspotCount >= 0, hotspotCount <= 100, hotspotCount == hotspotCount.rounded() else {
            throw ModelInputError.outOfRange(
                parameter: "hotspotCount", value: hotspotCount, allowed: "whole numbers 0–100", unit: "")
        }
        try m.validate()
        return m
    }
}

/// Stresses at one time of a discharge (per cathode cell, Pa; holes 0) with the hotspot report.
public struct StressSnapshot: Sendable, Codable, Equatable {
    public var time: Double
    public var capacityMilliampHoursPerGram: Double
    public var sxx: [Double], syy: [Double], sxy: [Double], szz: [Double]
    public var hotspots: [StressHotspot]

    /// σ_max = max(σ₁, σ_zz) per cell (zero in holes, where every component is zero).
    public var maximumPrincipal: [Double] { StressField.maximumPrincipal(sxx: sxx, syy: syy, sxy: sxy, szz: szz) }
}

/// The output of a chemo-mechanical run: the diffusion result and the stress fields at its snapshots.
public struct ChemoMechanicalResult: Sendable, Codable, Equatable {
    public var diffusion: Dense2DResult
    public var referenceStoichiometry: Double
    public var youngsModulus: Double
    public var snapshots: [StressSnapshot]
}

/// Runs the 2D diffusion model, then the stress model at every snapshot (one factorisation).
public enum ChemoMechanicalRunner {
    public static func run(_ spec: ChemoMechanicalSpec) throws -> ChemoMechanicalResult {
        let setup = try spec.diffusion.setup()
        try setup.validate()
        let mechanics = try spec.mechanics(width: setup.microstructure.width)
        let model = try ChemoMechanicalModel(microstructure: setup.microstructure, mechanics: mechanics)
        let diffusion = try Dense2DModel(setup).run()
        let reference = mechanics.referenceStoichiometry ?? diffusion.initialStoichiometry
        var snapshots: [StressSnapshot] = []
        let fields = model.stress(thetas: diffusion.snapshots, reference: reference)
        for (t, field) in zip(diffusion.snapshotTimes, fields) {
            let capacity = diffusion.capacity(atTime: t)
            snapshots.append(
                StressSnapshot(
                    time: t, capacityMilliampHoursPerGram: capacity,
                    sxx: field.sxx, syy: field.syy, sxy: field.sxy, szz: field.szz,
                    hotspots: StressHotspots.find(
                        field, microstructure: setup.microstructure, count: Int(spec.hotspotCount))))
        }
        return ChemoMechanicalResult(
            diffusion: diffusion, referenceStoichiometry: reference, youngsModulus: mechanics.cathodeYoungsModulus,
            snapshots: snapshots)
    }
}

/// Names of the mechanical settings (sweepable in studies, settable in files); every other name goes to the
/// 2D diffusion spec (`Dense2DParameterRegistry`).
public enum ChemoMechanicalParameterRegistry {
    public static let specs: [ParameterSpec<ChemoMechanicalSpec>] = [
        .init(
            name: "youngsModulusGPa", unit: "GPa", help: "LCO Young's modulus (isotropic; Ai et al. 2020: 375)",
            get: { $0.youngsModulusGPa }, set: { $0.youngsModulusGPa = $1 }),
        .init(
            name: "poissonRatio", unit: "–", help: "LCO Poisson's ratio (Ai et al. 2020: 0.2)",
            get: { $0.poissonRatio }, set: { $0.poissonRatio = $1 }),
        .init(
            name: "electrolyteYoungsModulusGPa", unit: "GPa", help: "SE Young's modulus (estimate 25, range 15–40)",
            get: { $0.electrolyteYoungsModulusGPa }, set: { $0.electrolyteYoungsModulusGPa = $1 }),
        .init(
            name: "electrolytePoissonRatio", unit: "–", help: "SE Poisson's ratio", get: { $0.electrolytePoissonRatio },
            set: { $0.electrolytePoissonRatio = $1 }),
        .init(
            name: "electrolyteThicknessMicrometres", unit: "µm",
            help: "meshed SE layer thickness (or L_SE of the foundation); 0 = min(L_SE, 2W)",
            get: { $0.electrolyteThicknessMicrometres }, set: { $0.electrolyteThicknessMicrometres = $1 }),
        .init(
            name: "stackPressureMPa", unit: "MPa", help: "pressure on the top of the SE layer",
            get: { $0.stackPressureMPa }, set: { $0.stackPressureMPa = $1 }),
        .init(
            name: "interfaceCondition", unit: "0/1/2", help: "0 free, 1 elastic foundation, 2 bonded SE layer",
            get: { $0.interfaceCondition }, set: { $0.interfaceCondition = $1 }),
        .init(
            name: "sideCondition", unit: "0/1/2", help: "0 periodic, 1 rollers, 2 free", get: { $0.sideCondition },
            set: { $0.sideCondition = $1 }),
        .init(
            name: "planeStress", unit: "0/1", help: "1 = plane stress instead of plane strain", get: { $0.planeStress },
            set: { $0.planeStress = $1 }),
        .init(
            name: "latticeBetaA", unit: "per θ", help: "a-axis expansion per unit θ (estimate 0.004)",
            get: { $0.latticeBetaA }, set: { $0.latticeBetaA = $1 }),
        .init(
            name: "latticeBetaC", unit: "per θ", help: "c-axis contraction per unit θ (Kim et al. 2004: 0.0569)",
            get: { $0.latticeBetaC }, set: { $0.latticeBetaC = $1 }),
        .init(
            name: "referenceStoichiometry", unit: "–", help: "stress-free θ_ref (negative = the initial θ₀)",
            get: { $0.referenceStoichiometry }, set: { $0.referenceStoichiometry = $1 }),
        .init(
            name: "hotspotCount", unit: "–", help: "hotspots reported per stress field", get: { $0.hotspotCount },
            set: { $0.hotspotCount = $1 }),
        .init(
            name: "transverseC11GPa", unit: "GPa", help: "hexagonal C11 (a-a); all five zero = isotropic",
            get: { $0.transverseC11GPa }, set: { $0.transverseC11GPa = $1 }),
        .init(
            name: "transverseC33GPa", unit: "GPa", help: "hexagonal C33 (c-c)", get: { $0.transverseC33GPa },
            set: { $0.transverseC33GPa = $1 }),
        .init(
            name: "transverseC44GPa", unit: "GPa", help: "hexagonal C44 (a-c shear)", get: { $0.transverseC44GPa },
            set: { $0.transverseC44GPa = $1 }),
        .init(
            name: "transverseC12GPa", unit: "GPa", help: "hexagonal C12 (a-a')", get: { $0.transverseC12GPa },
            set: { $0.transverseC12GPa = $1 }),
        .init(
            name: "transverseC13GPa", unit: "GPa", help: "hexagonal C13 (a-c)", get: { $0.transverseC13GPa },
            set: { $0.transverseC13GPa = $1 }),
    ]

    /// Where the default of each mechanical setting comes from (labels of physics.md §0).
    public static let sources: [String: String] = [
        "youngsModulusGPa": "[V] Ai2020 (via PyBaMM Ai2020.py)", "poissonRatio": "[V] Ai2020 (via PyBaMM Ai2020.py)",
        "electrolyteYoungsModulusGPa": "[E] physics.md §4.3 (sulfide/halide SE, 15–40 GPa)",
        "electrolytePoissonRatio": "[E] physics.md §4.3",
        "electrolyteThicknessMicrometres": "[E] physics.md §4.4", "stackPressureMPa": "[E] physics.md §4.4 (default 0)",
        "interfaceCondition": "[E] physics.md §4.4", "sideCondition": "[E] physics.md §4.4",
        "planeStress": "physics.md §4.1 (plane strain)",
        "latticeBetaA": "[E] Basch2014 (direction), magnitude estimated",
        "latticeBetaC": "[D] Kim2004 (≈ 3 % c expansion at x ≈ 0.5)",
        "referenceStoichiometry": "physics.md §4.2 (θ_ref = θ₀)", "hotspotCount": "physics.md §4.6",
        "transverseC11GPa": "physics.md §4.3 (none verified: isotropic)",
        "transverseC33GPa": "physics.md §4.3 (none verified: isotropic)",
        "transverseC44GPa": "physics.md §4.3 (none verified: isotropic)",
        "transverseC12GPa": "physics.md §4.3 (none verified: isotropic)",
        "transverseC13GPa": "physics.md §4.3 (none verified: isotropic)",
    ]

    public static func spec(named name: String) -> ParameterSpec<ChemoMechanicalSpec>? {
        specs.first { $0.name == name }
    }
    public static func knows(_ name: String) -> Bool {
        spec(named: name) != nil || Dense2DParameterRegistry.knows(name)
    }

    /// Every key a stress (Model B + C) parameter file may hold: the mechanical names and the 2D ones.
    public static let schema = Dense2DParameterRegistry.schema.merging(
        ParameterSchema(
            model: "stress",
            kinds: Dictionary(uniqueKeysWithValues: specs.map { ($0.name, ParameterSchema.Kind.number(unit: $0.unit)) })
        ),
        model: "stress")

    public static func spec(base: String, numbers: [String: Double]) throws -> ChemoMechanicalSpec {
        var s = ChemoMechanicalSpec()
        let rest = try ParameterSpec.applyLayered(
            numbers, to: &s, lookup: spec(named:), inner: Dense2DParameterRegistry.knows, schema: schema)
        s.diffusion = try Dense2DParameterRegistry.spec(base: base, numbers: rest)
        _ = try s.mechanics()
        return s
    }

    public static func describe(_ s: ChemoMechanicalSpec) -> [(name: String, value: String, unit: String)] {
        (specs.compactMap { p in p.get(s).map { (p.name, Dense1DParameterRegistry.formatNumber($0), p.unit) } }
            + Dense2DParameterRegistry.describe(s.diffusion)).sorted { $0.0 < $1.0 }
    }
}
