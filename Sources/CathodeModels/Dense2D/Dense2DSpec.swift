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
    public var stepsPerNominal = 200.0
    /// 1 = the paper's Fig. 5(c) model system instead of the grid/grain options (physics.md §3.7).
    public var modelSystem = 0.0
    /// θ maps stored at these fractions of the nominal duration 1/C-rate (0 = end only).
    public var snapshotCount = 0.0

    public init() {}

    /// The fast diffusivity D_f defaults to the Fig. 4 base case, 1.1e-9 cm² s⁻¹ (physics.md §3.7, [C]).
    public static let fig4Base: Dense2DSpec = {
        var s = Dense2DSpec()
        s.cellOverrides = ["diffusivityCm2PerS": 1.1e-9]
        return s
    }()

    public func setup(snapshotTimes: [Double] = []) throws -> Dense2DSetup {
        let (d1, _) = try Dense1DParameterRegistry.setup(base: base, numbers: cellOverrides)
        let cell = d1.cell
        let nominal = 3600 / cRate
        let snapshots = snapshotTimes + (snapshotCount >= 1 ? (1...Int(snapshotCount)).map { 0.8 * nominal * Double($0) / snapshotCount } : [])
        if modelSystem > 0.5 {
            return Dense2DSetup(cell: cell, microstructure: Self.fig5cSystem(nx: nx, ny: ny, thickness: cell.thickness, seed: UInt64(seed)),
                                anisotropyRatio: anisotropyRatio, cRate: cRate, stepsPerNominal: Int(stepsPerNominal), snapshotTimes: snapshots)
        }
        // An explicitly resolved rough interface needs room above the mean thickness L for its peaks: the grid
        // grows by whole cells of the same Δx, and the solid keeps the mean thickness (and mass) of the flat case.
        var profile: [Double]? = nil
        var rows = nx, height = cell.thickness
        if explicitRoughness > 0.5 && roughnessRmsMicrometres > 0 {
            let dy = widthMicrometres * 1e-6 / Double(ny), correlation = roughnessCorrelationMicrometres * 1e-6
            guard correlation >= 2 * dy else {
                throw ModelInputError.outOfRange(parameter: "roughnessCorrelationMicrometres", value: roughnessCorrelationMicrometres,
                                                 allowed: String(format: "≥ 2Δy = %.3f (an explicit rough interface must be resolved by the grid)", 2 * dy * 1e6), unit: "µm")
            }
            let h = RoughProfile.generate(points: ny, length: widthMicrometres * 1e-6, rms: roughnessRmsMicrometres * 1e-6, correlation: correlation, seed: UInt64(seed) &+ 7)
            let dx = cell.thickness / Double(nx)
            rows = nx + Int(((h.max() ?? 0) / dx).rounded(.up))
            height = Double(rows) * dx
            profile = h
        }
        var m = Microstructure.uniform(nx: rows, ny: ny, thickness: height, width: widthMicrometres * 1e-6, angle: grainAngleDegrees * .pi / 180)
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
            if randomContact > 0.5 { m.setRandomContact(fraction: contactFraction, meanGap: randomGapMicrometres * 1e-6, seed: UInt64(seed) &+ 101) }
            else { m.setRegularContact(fraction: contactFraction, period: contactPeriodMicrometres * 1e-6) }
        }
        if roughnessRmsMicrometres > 0 {
            if let profile {
                try m.setExplicitRoughness(profile: profile, meanThickness: cell.thickness)
            } else {
                m.setRoughness(rms: roughnessRmsMicrometres * 1e-6, correlation: roughnessCorrelationMicrometres * 1e-6, seed: UInt64(seed) &+ 7)
            }
        }
        return Dense2DSetup(cell: cell, microstructure: m, anisotropyRatio: anisotropyRatio, cRate: cRate,
                            stepsPerNominal: Int(stepsPerNominal), snapshotTimes: snapshots)
    }

    /// The paper's Fig. 5(c) model system as proposed in physics.md §3.7 [E]: 40 µm wide, columnar oriented
    /// grains about 5 µm wide (aspect 3), 15 % misoriented by 90°, three pores (radius 0.5–1 µm), two
    /// microcracks parallel to the current collector (4 µm × 0.2 µm, one inside a grain at mid-depth) and two
    /// 3 µm interfacial voids (f_c ≈ 0.85).
    public static func fig5cSystem(nx: Int, ny: Int, thickness: Double, seed: UInt64) -> Microstructure {
        let width = 40e-6
        var m = Microstructure.uniform(nx: nx, ny: ny, thickness: thickness, width: width)
        m.setVoronoiGrains(count: 8, seed: seed, misoriented: 0.15, aspect: 3)
        m.addHole(x: 0.30 * thickness, y: 7e-6, semiAxisX: 0.8e-6, semiAxisY: 0.8e-6)
        m.addHole(x: 0.65 * thickness, y: 22e-6, semiAxisX: 1.0e-6, semiAxisY: 1.0e-6)
        m.addHole(x: 0.45 * thickness, y: 33e-6, semiAxisX: 0.5e-6, semiAxisY: 0.5e-6)
        m.addHole(x: 0.50 * thickness, y: 14e-6, semiAxisX: 0.1e-6, semiAxisY: 2e-6)   // crack ∥ CC, mid-depth
        m.addHole(x: 0.80 * thickness, y: 28e-6, semiAxisX: 0.1e-6, semiAxisY: 2e-6)   // crack ∥ CC near the interface
        for j in 0..<ny {
            let y = (Double(j) + 0.5) * m.dy
            if (10e-6...13e-6).contains(y) || (30e-6...33e-6).contains(y) { m.contact[j] = false }
        }
        return m
    }
}

/// Names for the 2D spec (sweepable in studies, settable in files). Names not listed here are passed to
/// the 1D cell registry (e.g. `diffusivityCm2PerS`, `exchangeCurrentDensityAPerM2`).
public enum Dense2DParameterRegistry {
    public static let specs: [ParameterSpec<Dense2DSpec>] = [
        .init(name: "nx", unit: "–", help: "cells through the thickness", get: { Double($0.nx) }, set: { $0.nx = Int($1) }),
        .init(name: "ny", unit: "–", help: "cells along the interface", get: { Double($0.ny) }, set: { $0.ny = Int($1) }),
        .init(name: "widthMicrometres", unit: "µm", help: "section width W", get: { $0.widthMicrometres }, set: { $0.widthMicrometres = $1 }),
        .init(name: "contactFraction", unit: "–", help: "interfacial contact fraction A/A_t", get: { $0.contactFraction }, set: { $0.contactFraction = $1 }),
        .init(name: "contactPeriodMicrometres", unit: "µm", help: "period of the regular contact pattern", get: { $0.contactPeriodMicrometres }, set: { $0.contactPeriodMicrometres = $1 }),
        .init(name: "randomContact", unit: "0/1", help: "1 = random non-contact zones", get: { $0.randomContact }, set: { $0.randomContact = $1 }),
        .init(name: "randomGapMicrometres", unit: "µm", help: "mean length of random non-contact zones", get: { $0.randomGapMicrometres }, set: { $0.randomGapMicrometres = $1 }),
        .init(name: "roughnessRmsMicrometres", unit: "µm", help: "RMS roughness of the interface", get: { $0.roughnessRmsMicrometres }, set: { $0.roughnessRmsMicrometres = $1 }),
        .init(name: "roughnessCorrelationMicrometres", unit: "µm", help: "correlation length of the roughness", get: { $0.roughnessCorrelationMicrometres }, set: { $0.roughnessCorrelationMicrometres = $1 }),
        .init(name: "explicitRoughness", unit: "0/1", help: "1 = resolve the rough interface on the grid (needs ℓ ≥ 2Δy)", get: { $0.explicitRoughness }, set: { $0.explicitRoughness = $1 }),
        .init(name: "anisotropyRatio", unit: "–", help: "D_s/D_f (across/along the Li layers)", get: { $0.anisotropyRatio }, set: { $0.anisotropyRatio = $1 }),
        .init(name: "grainAngleDegrees", unit: "°", help: "Li-layer direction from +x (0 = oriented)", get: { $0.grainAngleDegrees }, set: { $0.grainAngleDegrees = $1 }),
        .init(name: "grainCount", unit: "–", help: "Voronoi grains (0 = one grain)", get: { $0.grainCount }, set: { $0.grainCount = $1 }),
        .init(name: "misorientedFraction", unit: "–", help: "fraction of grains at 90°", get: { $0.misorientedFraction }, set: { $0.misorientedFraction = $1 }),
        .init(name: "randomOrientation", unit: "0/1", help: "1 = uniform random grain angles", get: { $0.randomOrientation }, set: { $0.randomOrientation = $1 }),
        .init(name: "seed", unit: "–", help: "random seed of the microstructure", get: { $0.seed }, set: { $0.seed = $1 }),
        .init(name: "cRate", unit: "h⁻¹", help: "C-rate", get: { $0.cRate }, set: { $0.cRate = $1 }),
        .init(name: "stepsPerNominal", unit: "–", help: "time steps per 1/C-rate", get: { $0.stepsPerNominal }, set: { $0.stepsPerNominal = $1 }),
        .init(name: "modelSystem", unit: "0/1", help: "1 = the Fig. 5(c) model system microstructure", get: { $0.modelSystem }, set: { $0.modelSystem = $1 }),
        .init(name: "snapshotCount", unit: "–", help: "θ maps at evenly spaced times up to 0.8/C-rate", get: { $0.snapshotCount }, set: { $0.snapshotCount = $1 }),
    ]

    public static func spec(named name: String) -> ParameterSpec<Dense2DSpec>? { specs.first { $0.name == name } }

    public static func knows(_ name: String) -> Bool { spec(named: name) != nil || (Dense1DParameterRegistry.spec(named: name) != nil && name != "cRate") }

    /// A spec from a base and numeric overrides (2D names here, other names to the cell).
    public static func spec(base: String, numbers: [String: Double]) throws -> Dense2DSpec {
        var s = Dense2DSpec.fig4Base
        s.base = base
        for name in numbers.keys.sorted() {
            let v = numbers[name]!
            guard v.isFinite else { throw ModelInputError.outOfRange(parameter: name, value: v, allowed: "finite numbers", unit: "") }
            if let p = spec(named: name) { try p.set(&s, v) }
            else if Dense1DParameterRegistry.spec(named: name) != nil { s.cellOverrides[name] = v }
            else { throw ModelInputError.unknownParameter(name: name, suggestion: closestName(to: name, among: specs.map(\.name) + Dense1DParameterRegistry.allNames)) }
        }
        for (name, v, range) in [("nx", Double(s.nx), 2.0...2000), ("ny", Double(s.ny), 1.0...2000), ("grainCount", s.grainCount, 0.0...10_000)] where !(range.contains(v) && v == v.rounded()) {
            throw ModelInputError.outOfRange(parameter: name, value: v, allowed: "whole numbers in [\(Int(range.lowerBound)), \(Int(range.upperBound))]", unit: "")
        }
        return s
    }

    public static func describe(_ s: Dense2DSpec) -> [(name: String, value: String, unit: String)] {
        var rows = specs.compactMap { p in p.get(s).map { (p.name, Dense1DParameterRegistry.formatNumber($0), p.unit) } }
        if let (d1, _) = try? Dense1DParameterRegistry.setup(base: s.base, numbers: s.cellOverrides) {
            rows += Dense1DParameterRegistry.describe(d1).filter { spec(named: $0.name) == nil && !["cells", "gradingRatio", "absoluteTolerance", "relativeTolerance", "maxStepFraction", "cutoffToleranceV", "mode", "constantVoltageHold", "cvEndCRate", "profileTimesSeconds", "currentDensityMilliampsPerCm2"].contains($0.name) }
        }
        return rows.sorted { $0.0 < $1.0 }
    }
}
