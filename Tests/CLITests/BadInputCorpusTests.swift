import Foundation
import Testing

/// The bad-input corpus: hostile values, files and option combinations against every subcommand. Each case asserts
/// the documented exit code (2 bad input, 1 a run that cannot go on), that the message names the parameter or file
/// and the value given, and that nothing in the working folder changed — no file written, replaced or deleted.
@Suite struct BadInputCorpusTests {
    struct Case: Sendable, CustomStringConvertible {
        let args: [String]
        let status: Int32
        let expected: [String]
        var description: String { args.joined(separator: " ") }
        init(_ args: String, _ status: Int32 = 2, _ expected: String...) {
            self.args = args.split(separator: " ").map { $0 == "''" ? "" : String($0) }
            self.status = status
            self.expected = expected
        }
    }

    /// A working folder with the user's own files and the fixtures the cases read.
    static func sandbox() throws -> URL {
        let root = try CLIHarness.temporaryFolder("corpus")
        let fm = FileManager.default
        func write(_ name: String, _ text: String) throws {
            try Data(text.utf8).write(to: root.appendingPathComponent(name))
        }
        func write(_ name: String, bytes: [UInt8]) throws {
            try Data(bytes).write(to: root.appendingPathComponent(name))
        }
        try fm.createDirectory(at: root.appendingPathComponent("foreign/data"), withIntermediateDirectories: true)
        try write("foreign/notes.txt", "my notes")
        try write("foreign/data/a.csv", "1,2\n")
        try write("file.txt", "a user file")
        try fm.createDirectory(at: root.appendingPathComponent("A/sub"), withIntermediateDirectories: true)
        try fm.createDirectory(at: root.appendingPathComponent("B"), withIntermediateDirectories: true)
        try write("truncated.json", #"{"cRate": "#)
        try write("dup.json", "{\"cRate\": 1,\n\"cRate\": 2}")
        try write("string-number.json", #"{"cRate": "5"}"#)
        try write("base-number.json", #"{"base": 5}"#)
        try write("porosity.json", #"{"porosity": 0.1}"#)
        try write("typo.json", #"{"thicknesMicrometres": 30}"#)
        try write("flag-number.json", #"{"electronicConduction": 1}"#)
        let cells = 8
        try write(
            "micro.json",
            """
            {"nx": 4, "ny": 2, "thickness": 2.31e-05, "width": 1e-05, "grain": \(Array(repeating: 0, count: cells)), "grainAngles": [0],
             "hole": \(Array(repeating: false, count: cells)), "contact": [true, true], "areaFactor": [1, 1], "periodic": true}
            """)
        try write(
            "short-micro.json",
            #"{"nx": 4, "ny": 2, "thickness": 2.31e-05, "width": 1e-05, "grain": [0], "grainAngles": [0], "hole": [false], "contact": [true, true], "areaFactor": [1, 1], "periodic": true}"#
        )
        try write("mask.pgm", "P2\n2 3\n255\n0 0\n0 0\n0 0\n")
        try write("maxval.pgm", "P2\n2 2\n100\n0 50 101 0\n")
        try write("overflow.pgm", "P5\n99999999999999999999999 2\n255\n")
        try write("zero.pgm", "P5\n0 0\n255\n")
        let ihdr0: [UInt8] =
            [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0] + Array("IHDR".utf8) + [0, 0, 0, 0]
        try write("ihdr0.png", bytes: ihdr0)
        func npy(_ header: String, data: Int) -> [UInt8] {
            var text = header
            while (10 + text.utf8.count + 1) % 64 != 0 { text += " " }
            text += "\n"
            return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(text.utf8.count & 0xFF), UInt8(text.utf8.count >> 8)]
                + Array(text.utf8) + [UInt8](repeating: 0, count: data)
        }
        try write(
            "absurd.npy",
            bytes: npy("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999, 99999999999), }", data: 16))
        try write("small.npy", bytes: npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", data: 32))
        try write(
            "truncated.npy", bytes: npy("{'descr': '<f8', 'fortran_order': False, 'shape': (46, 20), }", data: 64))
        return root
    }

    static let cases: [Case] = [
        // simulate dense1d: values
        Case("simulate dense1d --thickness-micrometres 0", 2, "thicknessMicrometres", "0.0 µm"),
        Case("simulate dense1d --thickness-micrometres -5", 2, "thicknessMicrometres", "-5.0 µm"),
        Case("simulate dense1d --thickness-micrometres nan", 2, "thicknessMicrometres", "NaN"),
        Case("simulate dense1d --diffusivity-cm2-per-s 0", 2, "diffusivityCm2PerS", "cm² s⁻¹"),
        Case("simulate dense1d --c-rate -1", 2, "cRate", "-1.0 h⁻¹"),
        Case("simulate dense1d --c-rate 0", 2, "cRate", "0.0 h⁻¹"),
        Case("simulate dense1d --c-rate 1e30", 2, "cRate", "1e+30"),
        Case("simulate dense1d --cells 2.5", 2, "cells", "2.5", "whole numbers"),
        Case("simulate dense1d --cells 1e30", 2, "cells", "1e+30"),
        Case("simulate dense1d --cells -3", 2, "cells", "-3.0"),
        Case("simulate dense1d --porosity 0.95", 2, "porosity", "0.95"),
        Case("simulate dense1d --initial-stoichiometry 0.3", 2, "initialStoichiometry", "0.3"),
        Case("simulate dense1d --initial-stoichiometry 1", 2, "initialStoichiometry", "1.0"),
        Case("simulate dense1d --lower-cutoff-vs-li-v 4.4", 2, "lowerCutoffVsLiV", "4.4 V", "open-circuit"),
        Case("simulate dense1d --temperature-k 100", 2, "temperatureK", "100.0 K"),
        Case("simulate dense1d --anodic-transfer-coefficient 0", 2, "anodicTransferCoefficient", "0.0"),
        Case("simulate dense1d --contact-fraction 0", 2, "contactFraction", "0.0"),
        Case("simulate dense1d --roughness-factor 0.5", 2, "roughnessFactor", "0.5"),
        Case("simulate dense1d --max-step-fraction 1e-300", 2, "maxStepFraction", "1e-300"),
        Case("simulate dense1d --absolute-tolerance 1e-300 --relative-tolerance 0", 2, "absoluteTolerance", "1e-300"),
        Case("simulate dense1d --cutoff-tolerance-v 1", 2, "cutoffToleranceV", "1.0 V"),
        Case("simulate dense1d --separator-conductivity-s-per-m 0", 2, "separatorConductivitySPerM", "0.0"),
        Case("simulate dense1d --current-density-milliamps-per-cm2 -2", 2, "currentDensityMilliampsPerCm2", "-2.0"),
        Case(
            "simulate dense1d --counter-electrode-resistance-ohm-cm2 3 --counter-electrode LiMetal", 2,
            "counterElectrodeResistanceOhmCm2", "LiIn"),
        // simulate dense1d: choices and files
        Case("simulate dense1d --counter-electrode graphite", 2, "counterElectrode", "graphite"),
        Case("simulate dense1d --mode sideways", 2, "mode", "sideways"),
        Case("simulate dense1d --diffusivity-model magic", 2, "diffusivityModel", "magic"),
        Case("simulate dense1d --stdout nonsense", 2, "--stdout", "nonsense"),
        Case("simulate dense1d --profile-times-seconds 1,x", 2, "--profile-times-seconds", "1,x"),
        Case("simulate dense1d --base nosuchset", 2, "nosuchset", "paperHalfCell"),
        Case("simulate dense1d --params missing.json", 2, "missing.json", "not found"),
        Case("simulate dense1d --params truncated.json", 2, "truncated.json", "not valid JSON"),
        Case("simulate dense1d --params dup.json", 2, "dup.json", "duplicate key 'cRate'"),
        Case("simulate dense1d --params typo.json", 2, "typo.json", "thicknesMicrometres", "did you mean"),
        Case(
            "simulate dense1d --params flag-number.json", 2, "flag-number.json", "electronicConduction", "true or false"
        ),
        // simulate dense1d: runs that cannot go on (exit 1)
        Case("simulate dense1d --c-rate 100", 1, "cannot start", "1550 A m⁻²", "3.000 V cut-off", "cRate"),
        Case(
            "simulate dense1d --thickness-micrometres 10000", 1, "cannot start", "6710 A m⁻²",
            "solid diffusion cannot carry"),
        Case("simulate dense1d --mode charge", 1, "charge cannot start", "4.200 V cut-off", "4.1554"),
        // simulate dense1d: outputs that would destroy files
        Case("simulate dense1d --out .", 2, "'.'", "current directory"),
        Case("simulate dense1d --out ''", 2, "--out is empty"),
        Case("simulate dense1d --out /", 2, "'/'", "root of the file system"),
        Case("simulate dense1d --out ..", 2, "'..'", "contains the current directory"),
        Case("simulate dense1d --out file.txt", 2, "'file.txt'", "existing file"),
        Case("simulate dense1d --out foreign", 2, "'foreign'", "did not write"),
        // simulate composite
        Case("simulate composite --electrode-cells 1e30", 2, "electrodeCells", "1e+30"),
        Case("simulate composite --particle-shells 2.5", 2, "particleShells", "2.5"),
        Case("simulate composite --cam-weight-percent 0", 2, "camWeightPercent", "0.0 wt%"),
        Case("simulate composite --cam-weight-percent 150", 2, "camWeightPercent", "150.0 wt%"),
        Case("simulate composite --absolute-tolerance 1e-300 --relative-tolerance 0", 2, "absoluteTolerance", "1e-300"),
        Case("simulate composite --ionic-transport magic", 2, "ionicTransport", "magic"),
        Case("simulate composite --bruggeman-exponent 1.5", 2, "bruggemanExponent", "ionicTransport = bruggeman"),
        Case("simulate composite --particle-radius-micrometres -1", 2, "particleRadiusMicrometres", "-1.0 µm"),
        Case(
            "simulate composite --params string-number.json", 2, "string-number.json", "'cRate' must be a number",
            "\"5\""),
        Case("simulate composite --params base-number.json", 2, "base-number.json", "'base'", "5.0"),
        Case("simulate composite --params dup.json", 2, "dup.json", "duplicate key"),
        Case("simulate composite --base nosuchset", 2, "nosuchset", "compositeCalibrated"),
        Case(
            "simulate composite --cam-weight-percent 95 --c-rate 0.05", 1, "cannot start", "SE network",
            "camWeightPercent"),
        Case("simulate composite --c-rate 100", 1, "cannot start", "1550 A m⁻²", "cRate"),
        Case("simulate composite --out foreign", 2, "'foreign'", "did not write"),
        // simulate dense2d
        Case("simulate dense2d --nx 1e20", 2, "nx", "1e+20"),
        Case("simulate dense2d --nx 2.5", 2, "nx", "2.5", "whole numbers"),
        Case("simulate dense2d --ny 0", 2, "ny", "0.0"),
        Case("simulate dense2d --seed=-1", 2, "seed", "-1.0"),
        Case("simulate dense2d --steps-per-nominal 1e20", 2, "stepsPerNominal", "1e+20"),
        Case("simulate dense2d --contact-period-micrometres 1e300", 2, "contactPeriodMicrometres", "1e+300 µm"),
        Case("simulate dense2d --nx 2000 --ny 2000", 2, "2000 × 2000", "GB of memory", "nx or ny"),
        Case("simulate dense2d --contact-fraction=-0.5", 2, "contactFraction", "-0.5"),
        Case("simulate dense2d --contact-fraction 0", 2, "contactFraction", "0.0"),
        Case("simulate dense2d --anisotropy-ratio 2", 2, "anisotropyRatio", "2.0"),
        Case("simulate dense2d --random-orientation 1", 2, "randomOrientation", "grainCount"),
        Case("simulate dense2d --microstructure micro.json --mask mask.pgm", 2, "--microstructure", "--mask"),
        Case(
            "simulate dense2d --microstructure micro.json --set thicknessMicrometres=100", 2, "micro.json",
            "thicknessMicrometres"),
        Case("simulate dense2d --microstructure micro.json --nx 10", 2, "micro.json", "nx"),
        Case(
            "simulate dense2d --microstructure short-micro.json", 2, "short-micro.json", "do not match the 4 × 2 grid"),
        Case("simulate dense2d --microstructure file.txt", 2, "file.txt", "not valid JSON"),
        Case("simulate dense2d --mask maxval.pgm", 2, "maxval.pgm", "is 101, above the maximum value 100"),
        Case("simulate dense2d --mask overflow.pgm", 2, "overflow.pgm", "too large"),
        Case("simulate dense2d --mask zero.pgm", 2, "zero.pgm", "0 × 0 pixels"),
        Case("simulate dense2d --mask ihdr0.png", 2, "ihdr0.png", "IHDR has length 0"),
        Case("simulate dense2d --mask missing.pgm", 2, "missing.pgm", "not found"),
        Case("simulate dense2d --params string-number.json", 2, "string-number.json", "'cRate' must be a number"),
        Case(
            "simulate dense2d --params porosity.json", 2, "porosity.json",
            "unknown parameter 'porosity' for the dense2d model"),
        Case("simulate dense2d --set foo=1", 2, "unknown parameter 'foo'"),
        Case("simulate dense2d --set nx=abc", 2, "--set nx='abc'", "not a number"),
        Case("simulate dense2d --snapshot-seconds -5", 2, "snapshotSeconds", "-5.0"),
        Case("simulate dense2d --out .", 2, "'.'", "current directory"),
        Case("simulate dense2d --nx 10 --ny 6 --c-rate 100", 1, "cannot start", "100 C", "cRate"),
        Case(
            "simulate dense2d --nx 10 --ny 6 --lower-cutoff-vs-li-v 4.1", 1, "cannot start", "4.100 V cut-off",
            "lowerCutoffVsLiV"),
        // simulate stress
        Case("simulate stress --set nx=6 --set ny=4", 2, "--theta", "--delta-theta"),
        Case("simulate stress --theta small.npy --delta-theta 0.1", 2, "--theta", "--delta-theta"),
        Case("simulate stress --delta-theta 5", 2, "deltaTheta", "5.0"),
        Case("simulate stress --delta-theta 0.1 --youngs-modulus-gpa 0.5", 2, "youngsModulusGPa", "0.5"),
        Case("simulate stress --delta-theta 0.1 --poisson-ratio 0.7", 2, "poissonRatio", "0.7"),
        Case("simulate stress --delta-theta 0.1 --interface-condition 7", 2, "interfaceCondition", "7.0"),
        Case("simulate stress --delta-theta 0.1 --hotspot-count 2.5", 2, "hotspotCount", "2.5"),
        Case("simulate stress --theta absurd.npy", 2, "absurd.npy", "holds more than"),
        Case("simulate cycling --bulk-strength-mpa=-5", 2, "bulkStrengthMPa", "-5.0"),
        Case("simulate cycling --adhesion-strength-mpa 0", 2, "adhesionStrengthMPa", "0.0"),
        Case("simulate cycling --no-jumping --cycles 500", 2, "cycles", "500.0", "without cycle jumping"),
        Case("simulate cycling --cycles 0", 2, "cycles", "0.0"),
        Case("simulate cycling --interface-paris-exponent 0.5", 2, "interfaceParisExponent", "0.5"),
        Case("simulate cycling --set bulkToughnessMPaSqrtM=-1", 2, "bulkToughnessMPaSqrtM", "-1.0"),
        Case("simulate cycling --set cycleJumpin=1", 2, "cycleJumpin", "cycleJumping"),
        Case("simulate cycling --cycles 10 --record-cycle 20", 2, "recordCycle", "20.0", "1–10"),
        Case("simulate stress --theta small.npy", 2, "small.npy", "does not match"),
        Case("simulate stress --theta truncated.npy", 2, "truncated.npy", "data bytes for shape [46, 20]"),
        Case("simulate stress --delta-theta 0.1 --out foreign", 2, "'foreign'", "did not write"),
        // report, list, diff, fit, params, gallery
        Case("report no-such-study", 2, "no-such-study"),
        Case("report --dpi 10", 2, "--dpi", "10"),
        Case("report --jobs 0", 2, "--jobs", "0"),
        Case("report --out .", 2, "'.'", "current directory"),
        Case("report --out foreign", 2, "'foreign'", "did not write"),
        Case("report fig3e-concentration-profiles --out fresh --cache .", 2, "'.'", "current directory"),
        Case("report fig3e-concentration-profiles --out fresh --cache foreign", 2, "'foreign'", "did not write"),
        Case("report --out file.txt", 2, "'file.txt'", "existing file"),
        Case("report --templates /nonexistent/templates", 2, "/nonexistent/templates", "does not exist"),
        Case("list --templates /nonexistent/templates", 2, "/nonexistent/templates"),
        Case("diff A", 2, "two folders", "1"),
        Case("diff A B --out A", 2, "'A'", "input"),
        Case("diff A B --out A/sub", 2, "'A/sub'", "input"),
        Case("diff A B --out .", 2, "'.'", "current directory"),
        Case("diff A B --relative-tolerance -1", 2, "relative", "-1.0"),
        Case("diff --rev HEAD --rev HEAD", 2, "--rev needs a git repository"),
        Case("fit composite --max-iterations=-1", 2, "--max-iterations", "-1"),
        Case("fit nonsense", 2, "'nonsense'"),
        Case("params nosuchset", 2, "nosuchset", "paperHalfCell"),
        Case("params paperHalfCell --model composite", 2, "paperHalfCell", "dense1d"),
        Case("gallery --out .", 2, "'.'", "current directory"),
        Case("gallery --dpi 5", 2, "--dpi", "5"),
    ]

    @Test func corpusIsLargeEnough() {
        #expect(Self.cases.count >= 80)
        #expect(Set(Self.cases.map(\.description)).count == Self.cases.count)
    }

    @Test(arguments: cases)
    func rejected(_ c: Case) throws {
        let root = try Self.sandbox()
        defer { try? FileManager.default.removeItem(at: root) }
        let before = CLIHarness.snapshot(root)
        let run = try CLIHarness.run(c.args, in: root)
        let message = run.stderr + run.stdout
        #expect(run.status == c.status, "exit \(run.status), expected \(c.status): \(message)")
        #expect(!run.signalled, "crashed: \(message)")
        for piece in c.expected { #expect(message.contains(piece), "'\(message)' lacks '\(piece)'") }
        #expect(!message.lowercased().contains("encodingerror") && !message.contains("Fatal error"), "\(message)")
        let after = CLIHarness.snapshot(root)
        #expect(after == before, "files changed: \(Set(after.keys).symmetricDifference(before.keys).sorted())")
    }
}
