import Foundation

/// A linear-elastic stiffness for a 2D section with z out of plane, in reduced Voigt form over
/// [σ_xx, σ_yy, σ_xy] ↔ [ε_xx, ε_yy, γ_xy = 2ε_xy] plus the couplings to ε_zz (physics.md §4.3, §4.5):
///
///     σ_in = D (ε_in − ε*_in) + d_z (ε_zz − ε*_zz),   σ_zz = d_zᵀ (ε_in − ε*_in) + C_zzzz (ε_zz − ε*_zz)
///
/// Plane strain sets ε_zz = 0; plane stress sets σ_zz = 0 and condenses ε_zz out,
/// D_pst = D − d_z d_zᵀ / C_zzzz (so ε*_zz does not load). Materials whose symmetry axis lies in the section
/// plane (transversely isotropic LiCoO₂ with the c-axis along the grain's e_s) are rotated about z by the grain
/// angle with the tensor rule C'_ijkl = R_ia R_jb R_kc R_ld C_abcd.
public struct ElasticStiffness: Sendable, Equatable, Codable {
    /// D row-major 3×3 over (xx, yy, xy) [Pa].
    public var inPlane: [Double]
    /// (C_xxzz, C_yyzz, C_xyzz) [Pa].
    public var zCoupling: [Double]
    /// C_zzzz [Pa].
    public var zz: Double

    /// Isotropic: λ = Eν/((1+ν)(1−2ν)), μ = E/(2(1+ν)).
    public static func isotropic(youngsModulus e: Double, poissonRatio nu: Double) -> ElasticStiffness {
        let lambda = e * nu / ((1 + nu) * (1 - 2 * nu))
        let mu = e / (2 * (1 + nu))
        return ElasticStiffness(
            inPlane: [lambda + 2 * mu, lambda, 0, lambda, lambda + 2 * mu, 0, 0, 0, mu],
            zCoupling: [lambda, lambda, 0], zz: lambda + 2 * mu)
    }

    /// Hexagonal (transversely isotropic) constants with the c-axis (symmetry axis) in the section plane along
    /// e_s = (−sin φ, cos φ) and a-axes along e_f = (cos φ, sin φ) and z: in the (e_f, e_s, z) frame
    /// C_ffff = C_zzzz = C11, C_ssss = C33, C_ffzz = C12, C_ffss = C_sszz = C13, C_fsfs = C44.
    public static func transverselyIsotropic(
        c11: Double, c33: Double, c44: Double, c12: Double, c13: Double, angle phi: Double
    ) -> ElasticStiffness {
        // Local in-plane tensor over indices (0 = f, 1 = s).
        var local = [Double](repeating: 0, count: 16)
        func at(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Int { ((a * 2 + b) * 2 + c) * 2 + d }
        local[at(0, 0, 0, 0)] = c11
        local[at(1, 1, 1, 1)] = c33
        local[at(0, 0, 1, 1)] = c13
        local[at(1, 1, 0, 0)] = c13
        for (a, b, c, d) in [(0, 1, 0, 1), (0, 1, 1, 0), (1, 0, 0, 1), (1, 0, 1, 0)] { local[at(a, b, c, d)] = c44 }
        let localZ = [c12, 0, 0, c13]  // C_abzz over (a, b)
        let r = [[cos(phi), -sin(phi)], [sin(phi), cos(phi)]]  // columns: e_f, e_s in (x, y)
        var global = [Double](repeating: 0, count: 16)
        var globalZ = [Double](repeating: 0, count: 4)
        for i in 0..<2 {
            for j in 0..<2 {
                for a in 0..<2 { for b in 0..<2 { globalZ[i * 2 + j] += r[i][a] * r[j][b] * localZ[a * 2 + b] } }
                for k in 0..<2 {
                    for l in 0..<2 {
                        var s = 0.0
                        for a in 0..<2 {
                            for b in 0..<2 {
                                for c in 0..<2 {
                                    for d in 0..<2 {
                                        s += r[i][a] * r[j][b] * r[k][c] * r[l][d] * local[at(a, b, c, d)]
                                    }
                                }
                            }
                        }
                        global[at(i, j, k, l)] = s
                    }
                }
            }
        }
        let voigt = [(0, 0), (1, 1), (0, 1)]
        var d = [Double](repeating: 0, count: 9)
        for (p, (i, j)) in voigt.enumerated() {
            for (q, (k, l)) in voigt.enumerated() { d[p * 3 + q] = global[at(i, j, k, l)] }
        }
        return ElasticStiffness(inPlane: d, zCoupling: [globalZ[0], globalZ[3], globalZ[1]], zz: c11)
    }

    /// The 3×3 matrix D relating in-plane stress to in-plane strain under the given condition.
    public func effectiveInPlane(_ condition: PlaneCondition) -> [Double] {
        guard condition == .planeStress else { return inPlane }
        var d = inPlane
        for p in 0..<3 { for q in 0..<3 { d[p * 3 + q] -= zCoupling[p] * zCoupling[q] / zz } }
        return d
    }
}

/// The out-of-plane condition of a 2D elasticity problem.
public enum PlaneCondition: String, Sendable, Codable, CaseIterable {
    /// ε_zz = 0: a section through a body long in z (the default for a cathode cross-section).
    case planeStrain
    /// σ_zz = 0: a thin plate.
    case planeStress
}
