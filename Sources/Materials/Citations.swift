/// A bibliographic source for a parameter value or a material law.
public struct Citation: Codable, Hashable, Sendable, Comparable {
    public let key: String
    public let text: String
    public let doi: String?

    public init(key: String, text: String, doi: String? = nil) {
        self.key = key
        self.text = text
        self.doi = doi
    }
    public static func < (a: Citation, b: Citation) -> Bool { a.key < b.key }

    /// One line for a references list.
    public var formatted: String { doi.map { "\(text) https://doi.org/\($0)" } ?? text }
}

/// How a parameter value was obtained (the labels of shared/docs/physics.md §0).
public enum Provenance: String, Codable, Sendable, CaseIterable {
    /// Stated in the paper.
    case published = "P"
    /// Checked in a cited public source.
    case verified = "V"
    /// Derived by arithmetic from published or verified values.
    case derived = "D"
    /// Estimate; no source could be checked.
    case estimate = "E"
    /// Calibration knob chosen to reproduce a published number.
    case calibrated = "C"

    public var meaning: String {
        switch self {
        case .published: return "stated in the paper"
        case .verified: return "checked in a cited source"
        case .derived: return "derived by arithmetic"
        case .estimate: return "estimate (no source checked)"
        case .calibrated: return "calibrated to a published number"
        }
    }
}

/// The citation registry: every source a parameter set or material law refers to.
public enum References {
    public static let naik2025 = Citation(
        key: "Naik2025",
        text:
            "Naik, Juarez-Yescas, Vishnugopi, Moradi, Shyam, Yang, Zahiri, Braun, Mukherjee, \"Mechanistic trade-offs in dense cathode architectures for high-energy-density solid-state batteries\", EES Batteries 1, 1184 (2025).",
        doi: "10.1039/d5eb00133a")
    public static let ramadass2004 = Citation(
        key: "Ramadass2004",
        text:
            "Ramadass, Haran, Gomadam, White, Popov, \"Development of first principles capacity fade model for Li-ion cells\", J. Electrochem. Soc. 151, A196 (2004).",
        doi: "10.1149/1.1634273")
    public static let torchio2016 = Citation(
        key: "Torchio2016",
        text:
            "Torchio, Magni, Gopaluni, Braatz, Raimondo, \"LIONSIMBA: a Matlab framework based on a finite volume model suitable for Li-ion battery design, simulation, and control\", J. Electrochem. Soc. 163, A1192 (2016).",
        doi: "10.1149/2.0291607jes")
    public static let crc89 = Citation(
        key: "CRC89",
        text:
            "CRC Handbook of Chemistry and Physics, 89th ed., p. 4-71 (LiCoO2: molar mass 97.87 g/mol, R-3m a = 2.8156 Å, c = 14.0542 Å)."
    )
    public static let santhosha2019 = Citation(
        key: "Santhosha2019",
        text:
            "Santhosha, Medenbach, Palaniselvam, Adelhelm, \"The indium-lithium electrode in solid-state lithium-ion batteries: phase formation, redox potentials, and interface stability\", Batteries & Supercaps 2, 524 (2019).",
        doi: "10.1002/batt.201800149")
    public static let menetrier1999 = Citation(
        key: "Menetrier1999",
        text:
            "Ménétrier, Saadoune, Levasseur, Delmas, \"The insulator-metal transition upon lithium deintercalation from LiCoO2\", J. Mater. Chem. 9, 1135 (1999).",
        doi: "10.1039/a900016j")
    public static let vanDerVen2000 = Citation(
        key: "VanDerVen2000",
        text:
            "Van der Ven, Ceder, \"Lithium diffusion in layered LixCoO2\", Electrochem. Solid-State Lett. 3, 301 (2000).",
        doi: "10.1149/1.1391130")
    public static let li3incl6 = Citation(
        key: "Li3InCl6-2024",
        text:
            "Li3InCl6 ionic conductivity 1.0 mS/cm, Batteries 10(1), 21 (2024); Bonsu, Bhadra, Kundu, Adv. Sci. 11(34) (2024): 2 to > 4 mS/cm."
    )
    public static let crank1975 = Citation(
        key: "Crank1975",
        text:
            "Crank, The Mathematics of Diffusion, 2nd ed., Oxford University Press (1975), plane sheet and sphere with constant surface flux."
    )
    public static let bard2001 = Citation(
        key: "Bard2001",
        text:
            "Bard, Faulkner, Electrochemical Methods, 2nd ed., Wiley (2001), Butler-Volmer kinetics with symmetric transfer coefficients."
    )
    public static let newman2004 = Citation(
        key: "Newman2004",
        text:
            "Newman, Thomas-Alyea, Electrochemical Systems, 3rd ed., Wiley (2004), exchange current density i0 ∝ cs^0.5 (cmax − cs)^0.5."
    )
    public static let codata2018 = Citation(
        key: "CODATA2018",
        text:
            "Tiesinga, Mohr, Newell, Taylor, \"CODATA recommended values of the fundamental physical constants: 2018\", Rev. Mod. Phys. 93, 025010 (2021).",
        doi: "10.1103/RevModPhys.93.025010")
    public static let physicsSpec = Citation(
        key: "CathodeLabPhysics",
        text:
            "CathodeLab physics and parameter specification (shared/docs/physics.md), derivations and estimates for the paper's missing ESI values."
    )

    public static let ai2020 = Citation(
        key: "Ai2020",
        text:
            "Ai, Kraft, Deng, Kendrick, Offer, \"Electrochemical thermal-mechanical modelling of stress inhomogeneity in lithium-ion pouch cells\", J. Electrochem. Soc. 167, 013512 (2020); values as in PyBaMM parameters/lithium_ion/Ai2020.py (E = 375 GPa, nu = 0.2 for LCO)."
    )
    public static let kim2004 = Citation(
        key: "Kim2004",
        text:
            "Kim et al., \"Changes in the lattice constants of thin-film LiCoO2 cathodes at the 4.2 V charged state\", J. Electrochem. Soc. 151, A1063 (2004): about 3 % c-axis expansion at x = 0.5 (14.05 to 14.45 Å)."
    )
    public static let basch2014 = Citation(
        key: "Basch2014",
        text:
            "Basch et al., J. Solid State Chem. (2014): delithiation increases c and reduces a in LixCoO2 (direction only)."
    )
    public static let kirsch1898 = Citation(
        key: "Kirsch1898",
        text:
            "Kirsch, \"Die Theorie der Elastizität und die Bedürfnisse der Festigkeitslehre\", Z. Ver. Dtsch. Ing. 42, 797 (1898): hoop stress 3S at a circular hole under remote tension S."
    )
    public static let georgeLiu1981 = Citation(
        key: "GeorgeLiu1981",
        text:
            "George, Liu, Computer Solution of Large Sparse Positive Definite Systems, Prentice-Hall (1981): envelope Cholesky, reverse Cuthill-McKee and nested-dissection orderings."
    )

    public static let nishio2022 = Citation(
        key: "Nishio2022",
        text:
            "Nishio, Imazeki, Kurushima, Takeda, Edamura, Nakayama, Shimizu, Hitosugi, \"Immense reduction in interfacial resistance between sulfide electrolyte and positive electrode\", ACS Appl. Mater. Interfaces (2022): LiCoO2(001)/Li3PS4 interfacial resistance reduced 2800-fold by a 10 nm Li3PO4 buffer (abstract)."
    )
    public static let communMater2025 = Citation(
        key: "CommunMater2025",
        text:
            "\"Li-insertion or Li-extraction bonding of c-axis oriented LiCoO2 with lithium phosphate electrolytes\", Commun. Mater. (2025): interfacial resistances below 10 Ω cm2 (abstract).",
        doi: "10.1038/s43246-025-00870-8")
    public static let xie2008 = Citation(
        key: "Xie2008",
        text:
            "Xie, Imanishi, Matsumura, Hirano, Takeda, Yamamoto, \"Orientation dependence of Li-ion diffusion kinetics in LiCoO2 thin films prepared by RF magnetron sputtering\", Solid State Ionics 179, 362 (2008): (104)-oriented films diffuse faster than (003)-oriented ones (abstract; the paper's ref. 45)."
    )
    public static let bouwman2002 = Citation(
        key: "Bouwman2002",
        text:
            "Bouwman, Boukamp, Bouwmeester, Notten, J. Electrochem. Soc. 149, A699 (2002): intercalation into c-axis oriented LiCoO2 films is hindered (abstract; the paper's ref. 44)."
    )
    public static let orientedFilmPITT = Citation(
        key: "OrientedFilmPITT",
        text:
            "\"Li-ion diffusion in highly (003) oriented LiCoO2 thin film cathode prepared by pulsed laser deposition\" (abstract): PITT diffusivities 6e-13 to 8e-12 cm2/s between 3.85 and 4.2 V."
    )
    public static let jang2001 = Citation(
        key: "Jang2001",
        text:
            "Jang, Neudecker, Dudney, \"Lithium diffusion in LixCoO2 (0.45 < x < 0.7) intercalation cathodes\", Electrochem. Solid-State Lett. 4, A74 (2001): the chemical diffusivity and the thermodynamic factor vary together (PITT on thin-film cells; abstract)."
    )
    public static let staufferAharony1994 = Citation(
        key: "StaufferAharony1994",
        text:
            "Stauffer, Aharony, Introduction to Percolation Theory, 2nd ed., Taylor & Francis (1994): the strength of the spanning cluster vanishes as (p − p_c)^β, β ≈ 0.41 in 3D; conductivity exponent t ≈ 2.0 (textbook, not re-checked)."
    )
    public static let bielefeld2019 = Citation(
        key: "Bielefeld2019",
        text:
            "Bielefeld, Weber, Janek, \"Microstructural modeling of composite cathodes for all-solid-state batteries\", J. Phys. Chem. C 123, 1626 (2019); and \"Modeling effective ionic conductivity and binder influence in composite cathodes for all-solid-state batteries\", ACS Appl. Mater. Interfaces 12, 12821 (2020) (the paper's refs. 18/19; not re-checked here)."
    )
    public static let bernalMason1960 = Citation(
        key: "BernalMason1960",
        text:
            "Bernal, Mason, \"Packing of spheres: co-ordination of randomly packed spheres\", Nature 188, 910 (1960): about six touching neighbours per sphere in a random dense packing (not re-checked here)."
    )
    public static let carslawJaeger1959 = Citation(
        key: "CarslawJaeger1959",
        text:
            "Carslaw, Jaeger, Conduction of Heat in Solids, 2nd ed., Oxford (1959), §8.2: a disc of radius a fed with uniform flux q on a half-space has mean surface excess 8qa/(3πk) (textbook, not re-checked)."
    )
    public static let halperin1985 = Citation(
        key: "Halperin1985",
        text:
            "Halperin, Feng, Sen, \"Differences between lattice and continuum percolation transport exponents\", Phys. Rev. Lett. 54, 2391 (1985): continuum (Swiss-cheese) conductivity exponents above the lattice value (not re-checked here)."
    )
    public static let liu2013 = Citation(
        key: "Liu2013",
        text:
            "Liu, Fu, Payzant, Yu, Wu, Dudney, Kiggans, Hong, Rondinone, Liang, \"Anomalous high ionic conductivity of nanoporous β-Li3PS4\", J. Am. Chem. Soc. 135, 975 (2013): 1.6e-4 S/cm at 25 °C.",
        doi: "10.1021/ja3110895")
    public static let kamaya2011 = Citation(
        key: "Kamaya2011",
        text:
            "Kamaya, Homma, Yamakawa, Hirayama, Kanno, Yonemura, Kamiyama, Kato, Hama, Kawamoto, Mitsui, \"A lithium superionic conductor\", Nature Mater. 10, 682 (2011): Li10GeP2S12, 12 mS/cm.",
        doi: "10.1038/nmat3066")
    public static let kusy1977 = Citation(
        key: "Kusy1977",
        text:
            "Kusy, \"Influence of particle size ratio on the continuity of aggregates\", J. Appl. Phys. 48, 5301 (1977): small conducting particles between large insulating ones percolate at a few vol% (segregated networks; not re-checked here)."
    )
    public static let mckay1979 = Citation(
        key: "McKay1979",
        text:
            "McKay, Beckman, Conover, \"A comparison of three methods for selecting values of input variables in the analysis of output from a computer code\", Technometrics 21, 239 (1979): Latin-hypercube sampling."
    )

    public static let irvine1990 = Citation(
        key: "Irvine1990",
        text:
            "Irvine, Sinclair, West, \"Electroceramics: characterization by impedance spectroscopy\", Adv. Mater. 2, 132 (1990): capacitances 1e-7 to 1e-5 F/cm2 identify a sample/electrode interface (table of capacitance ranges; not re-checked here).",
        doi: "10.1002/adma.19900020304")
    public static let mcGrogan2017 = Citation(
        key: "McGrogan2017",
        text:
            "McGrogan, Swamy, Bishop, Eggleton, Porz, Chen, Chiang, Van Vliet, \"Compliant yet brittle mechanical behavior of Li2S-P2S5 lithium-ion-conducting solid electrolyte\", Adv. Energy Mater. 7, 1602011 (2017): fracture toughness about 0.23 MPa m^1/2 by nanoindentation (not re-checked here).",
        doi: "10.1002/aenm.201602011")
    public static let boukamp1995 = Citation(
        key: "Boukamp1995",
        text:
            "Boukamp, \"A linear Kronig-Kramers transform test for immittance data validation\", J. Electrochem. Soc. 142, 1885 (1995); with Schönleber, Klotz, Ivers-Tiffée, Electrochim. Acta 131, 20 (2014) (lin-KK).",
        doi: "10.1149/1.2044210")
    public static let barsoukov2005 = Citation(
        key: "Barsoukov2005",
        text:
            "Barsoukov, Macdonald (eds.), Impedance Spectroscopy: Theory, Experiment, and Applications, 2nd ed., Wiley (2005): equivalent-circuit elements, constant-phase element, finite-length Warburg."
    )
    public static let valoenReimers2005 = Citation(
        key: "Valoen2005",
        text:
            "Valøen, Reimers, \"Transport properties of LiPF6-based Li-ion battery electrolytes\", J. Electrochem. Soc. 152, A882 (2005): conductivity, diffusivity and thermodynamic factor of LiPF6 in PC:EC:DMC (10:27:63 v/v) vs concentration and temperature; t+ = 0.38 (the correlations as implemented by PyBaMM's lipf6_Valoen2005 and MPET).",
        doi: "10.1149/1.1872737")
    public static let doyle1993 = Citation(
        key: "Doyle1993",
        text:
            "Doyle, Fuller, Newman, \"Modeling of galvanostatic charge and discharge of the lithium/polymer/insertion cell\", J. Electrochem. Soc. 140, 1526 (1993): binary-electrolyte transport by concentrated-solution theory in a porous separator.",
        doi: "10.1149/1.2221597")
    public static let paris1963 = Citation(
        key: "Paris1963",
        text:
            "Paris, Erdogan, \"A critical analysis of crack propagation laws\", J. Basic Eng. 85, 528 (1963): fatigue crack growth per cycle as a power of the stress-intensity range, da/dN = C ΔK^m.",
        doi: "10.1115/1.3656900")
    public static let ritchie1999 = Citation(
        key: "Ritchie1999",
        text:
            "Ritchie, \"Mechanisms of fatigue-crack propagation in ductile and brittle solids\", Int. J. Fract. 100, 55 (1999): in ceramics the Paris exponents are high (m of order 10–50) and the thresholds a large fraction of K_c (not re-checked here).",
        doi: "10.1023/A:1018655917051")
    public static let hutchinsonSuo1992 = Citation(
        key: "HutchinsonSuo1992",
        text:
            "Hutchinson, Suo, \"Mixed mode cracking in layered materials\", Adv. Appl. Mech. 29, 63 (1992): interface cracks, energy release rate G = (K_I² + K_II²)/E* of the mixed-mode intensities.",
        doi: "10.1016/S0065-2156(08)70164-9")
    public static let mughal2017 = Citation(
        key: "Mughal2017",
        text:
            "Mughal, Amanieu, Moscatelli, Sebastiani, \"A comparison of microscale techniques for determining fracture toughness of LiMn2O4 particles\", Materials 10, 403 (2017): 0.24 MPa m^1/2 (pillar splitting) and 0.81 MPa m^1/2 (crack opening displacement) for an oxide cathode.",
        doi: "10.3390/ma10040403")
    public static let ai2022Fatigue = Citation(
        key: "Ai2022Fatigue",
        text:
            "Ai, Wu, Martínez-Pañeda, \"A coupled phase field formulation for modelling fatigue cracking in lithium-ion battery electrode particles\", arXiv:2206.12727 (2022; J. Power Sources 544, 231805): Paris-type fatigue damage over hundreds of cycles; slow, accelerating and unstable stages of crack growth (not re-checked here).",
        doi: "10.1016/j.jpowsour.2022.231805")
    public static let all: [Citation] = [
        paris1963, ritchie1999, hutchinsonSuo1992, mughal2017, ai2022Fatigue,
        valoenReimers2005, doyle1993,
        irvine1990, mcGrogan2017, boukamp1995, barsoukov2005, nishio2022, communMater2025, xie2008, bouwman2002,
        orientedFilmPITT, jang2001, staufferAharony1994, bielefeld2019,
        bernalMason1960, carslawJaeger1959, halperin1985, liu2013, kamaya2011, kusy1977,
        mckay1979, naik2025, ramadass2004, torchio2016,
        crc89, santhosha2019, menetrier1999, vanDerVen2000, li3incl6, crank1975, bard2001, newman2004, codata2018,
        physicsSpec, ai2020, kim2004, basch2014, kirsch1898, georgeLiu1981,
    ]

    public static func citation(_ key: String) -> Citation? { all.first { $0.key == key } }
}

/// Where one parameter's value comes from.
public struct ParameterSource: Codable, Hashable, Sendable {
    public let provenance: Provenance
    public let citationKey: String
    public let note: String
    public init(_ provenance: Provenance, _ citationKey: String, _ note: String = "") {
        self.provenance = provenance
        self.citationKey = citationKey
        self.note = note
    }
}
