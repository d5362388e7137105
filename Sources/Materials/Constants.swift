/// Physical constants, CODATA 2018 (exact or recommended values): E. Tiesinga et al.,
/// *Rev. Mod. Phys.* 93, 025010 (2021).
public enum PhysicalConstants {
    /// Faraday constant F [C mol⁻¹] (exact since the 2019 SI).
    public static let faraday = 96_485.332_12
    /// Molar gas constant R [J mol⁻¹ K⁻¹] (exact).
    public static let gasConstant = 8.314_462_618
    /// Avogadro constant N_A [mol⁻¹] (exact).
    public static let avogadro = 6.022_140_76e23
    /// Room temperature used throughout [K]: the paper's cells run at room temperature (Naik et al. 2025, Fig. 5a).
    public static let roomTemperature = 298.15

    /// F/(RT) [V⁻¹].
    public static func inverseThermalVoltage(_ temperature: Double) -> Double { faraday / (gasConstant * temperature) }
}

/// Unit conversions between the paper's units and SI (shared/docs/physics.md, header).
public enum Units {
    public static let cm2PerSToM2PerS = 1e-4
    public static let mAhPerGramToCoulombPerKg = 3600.0
    public static let mAhPerCm2ToCoulombPerM2 = 36.0
    public static let mAPerCm2ToAPerM2 = 10.0
    public static let micrometre = 1e-6
}
