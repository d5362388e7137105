import Foundation
import Testing

/// End-to-end runs of the `cathodelab` executable: exit codes, messages, files written (or not).
@Suite(.serialized) struct CLITests {
    static let binary: URL = {
        // Tests/CLITests/CLITests.swift → package root → .build/debug/cathodelab
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/cathodelab")
    }()

    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    func run(_ args: [String]) throws -> Run {
        let p = Process()
        p.executableURL = Self.binary
        p.arguments = args
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(
            status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
            stderr: String(decoding: e, as: UTF8.self))
    }

    func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("cathodelab-cli-\(name)-\(UUID().uuidString)")
    }

    @Test func badParameterValueExitsNonZeroAndWritesNothing() throws {
        let out = temporary("bad")
        let r = try run(["simulate", "dense1d", "--thickness-micrometres", "0", "--out", out.path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("'thicknessMicrometres' = 0.0 µm"))
        #expect(r.stderr.contains("allowed range"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func cutoffAboveOpenCircuitVoltageIsRejected() throws {
        let r = try run(["simulate", "dense1d", "--lower-cutoff-vs-li-v", "4.4"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("lowerCutoffVsLiV") && r.stderr.contains("open-circuit potential"))
    }

    @Test func misspelledAndMalformedParameterFiles() throws {
        let file = temporary("p").appendingPathExtension("json")
        try Data("{\"diffusivityCm2PerSec\": 1e-9}".utf8).write(to: file)
        var r = try run(["simulate", "dense1d", "--params", file.path])
        #expect(r.status != 0)
        #expect(
            r.stderr.contains("unknown parameter 'diffusivityCm2PerSec'") && r.stderr.contains("diffusivityCm2PerS"))
        try Data("{\"cRate\": ".utf8).write(to: file)
        r = try run(["simulate", "dense1d", "--params", file.path])
        #expect(r.status != 0 && r.stderr.contains("not valid JSON"))
    }

    @Test func simulationWritesCurveProfilesAndMetadata() throws {
        let out = temporary("ok")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try run([
            "simulate", "dense1d", "--c-rate", "1", "--profile-times-seconds", "600,1200", "--out", out.path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let curve = try String(contentsOf: out.appendingPathComponent("discharge.csv"), encoding: .utf8)
        #expect(curve.hasPrefix("time [s],capacity [mAh g-1]"))
        let profiles = try String(contentsOf: out.appendingPathComponent("profiles.csv"), encoding: .utf8)
        #expect(profiles.contains("t = 600 s") && profiles.contains("t = 1200 s"))
        let meta =
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("metadata.json")))
            as! [String: Any]
        let results = meta["results"] as! [String: Double]
        #expect(abs(results["capacity [mAh g-1]"]! - 77.1) < 1.5)  // physics.md §10.1 reference
        // Units of the export against a hand calculation: mAh cm⁻² = mAh g⁻¹ × mg cm⁻² / 1000.
        let areal = results["capacity [mAh g-1]"]! * results["mass loading [mg cm-2]"]! / 1000
        #expect(abs(results["areal capacity [mAh cm-2]"]! - areal) <= 1e-9 * areal)
        #expect(abs(results["mass loading [mg cm-2]"]! - 11.07) < 0.01)
        let params = meta["parameters"] as! [[String: String]]
        #expect(params.contains { $0["name"] == "diffusivityCm2PerS" && $0["unit"] == "cm² s⁻¹" })
    }

    @Test func paramsListsSourcesAndUnits() throws {
        let r = try run(["params", "paperHalfCell"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Ramadass2004") && r.stdout.contains("cm² s⁻¹") && r.stdout.contains("[P] Naik2025"))
        let unknown = try run(["params", "paperHalfCel"])
        #expect(unknown.status != 0 && unknown.stderr.contains("known: paperHalfCell, idealCell"))
    }

    /// A study bundle is complete and byte-identical across two runs, apart from timings.json.
    @Test func reportBundleIsCompleteAndDeterministic() throws {
        let a = temporary("ra")
        let b = temporary("rb")
        defer {
            try? FileManager.default.removeItem(at: a)
            try? FileManager.default.removeItem(at: b)
        }
        for dir in [a, b] {
            let r = try run(["report", "fig3e-concentration-profiles", "--out", dir.path, "--dpi", "72", "--quiet"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let bundle = "fig3e-concentration-profiles"
        let files = [
            "report.md", "manifest.json", "data/profiles.csv", "data/quantities.json", "data/comparisons.json",
            "figures/profiles.pdf", "figures/profiles.svg", "figures/profiles.png",
        ]
        for f in files {
            let x = try Data(contentsOf: a.appendingPathComponent(bundle).appendingPathComponent(f))
            let y = try Data(contentsOf: b.appendingPathComponent(bundle).appendingPathComponent(f))
            #expect(x == y, "\(f) differs between two runs")
        }
        #expect(
            FileManager.default.fileExists(
                atPath: a.appendingPathComponent(bundle).appendingPathComponent("timings.json").path))
        let report = try String(
            contentsOf: a.appendingPathComponent(bundle).appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("## References") && report.contains("## Parameters"))
    }

    /// `report --standalone`: report.html references no other file (no src=, no figure links), carries every figure as
    /// inline SVG, links back to the index, names the commit and its date, keeps DOIs as links, and is the same bytes
    /// on a second run.
    @Test func standaloneReportPageTravelsAlone() throws {
        let a = temporary("sa")
        let b = temporary("sb")
        defer {
            try? FileManager.default.removeItem(at: a)
            try? FileManager.default.removeItem(at: b)
        }
        for dir in [a, b] {
            let r = try run([
                "report", "fig3e-concentration-profiles", "--out", dir.path, "--dpi", "72", "--quiet", "--standalone",
            ])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let page = a.appendingPathComponent("fig3e-concentration-profiles/report.html")
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(!html.contains("src=") && !html.contains("href=\"figures/"), "the page refers to other files")
        let svg = try String(
            contentsOf: a.appendingPathComponent("fig3e-concentration-profiles/figures/profiles.svg"), encoding: .utf8)
        let svgBody = svg.replacingOccurrences(of: #"^<\?xml[^>]*>\s*"#, with: "", options: .regularExpression)
        #expect(html.contains(svgBody), "the figure is not the bundle's SVG")
        #expect(
            html.contains("href=\"../index.html\"") && html.contains("<footer>")
                && html.contains(BuildInfoProbe.commitPrefix(html)))
        #expect(html.contains("<a href=\"https://doi.org/10.1039/d5eb00133a\">"), "DOIs are not links")
        #expect(
            try Data(contentsOf: page)
                == Data(contentsOf: b.appendingPathComponent("fig3e-concentration-profiles/report.html")))
        let manifest = try String(
            contentsOf: a.appendingPathComponent("fig3e-concentration-profiles/manifest.json"), encoding: .utf8)
        #expect(manifest.contains("standalone"))
    }

    /// `cathodelab document`: a PDF from the bundles (same bytes twice, every chapter title in its text); an unknown id,
    /// an unknown paper size, a missing folder or a file CathodeLab did not write are refused with exit 2 and nothing
    /// written.
    @Test func documentFromBundles() throws {
        let out = temporary("doc")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(
            try run(["report", "fig3e-concentration-profiles", "--out", out.path, "--dpi", "50", "--quiet"]).status == 0
        )
        let pdf = out.appendingPathComponent("CathodeLab-study.pdf")
        let first = try run(["document", "--bundles", out.path])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("1 chapters") && first.stderr.contains("no bundle for fig3c-discharge-curves"))
        let bytes = try Data(contentsOf: pdf)
        #expect(try run(["document", "--bundles", out.path, "--quiet"]).status == 0)
        #expect(try Data(contentsOf: pdf) == bytes, "two runs give different bytes")
        let letter = out.appendingPathComponent("letter.pdf")
        #expect(
            try run([
                "document", "fig3e-concentration-profiles", "--bundles", out.path, "--out", letter.path, "--paper",
                "letter", "--quiet",
            ]).status == 0)
        #expect(FileManager.default.fileExists(atPath: letter.path))

        let unknown = try run(["document", "fig9z", "--bundles", out.path])
        #expect(unknown.status == 2 && unknown.stderr.contains("unknown study 'fig9z'"))
        let paper = try run(["document", "--bundles", out.path, "--paper", "a5"])
        #expect(paper.status == 2 && paper.stderr.contains("--paper 'a5'") && paper.stderr.contains("a4, letter"))
        let missing = try run(["document", "fig3c-discharge-curves", "--bundles", out.path])
        #expect(missing.status == 2 && missing.stderr.contains("no bundle for study 'fig3c-discharge-curves'"))
        let nowhere = out.appendingPathComponent("no/such/folder/doc.pdf")
        let unwritable = try run(["document", "--bundles", out.path, "--out", nowhere.path])
        #expect(unwritable.status == 2 && unwritable.stderr.contains("does not exist"))
        #expect(!FileManager.default.fileExists(atPath: nowhere.path))
        let foreign = out.appendingPathComponent("thesis.pdf")
        try Data("%PDF-1.5 someone else's thesis".utf8).write(to: foreign)
        let refused = try run(["document", "--bundles", out.path, "--out", foreign.path])
        #expect(refused.status == 2 && refused.stderr.contains("CathodeLab did not write it"))
        #expect(try String(contentsOf: foreign, encoding: .utf8) == "%PDF-1.5 someone else's thesis")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.contains("partial") }
        #expect(leftovers.isEmpty)
    }

    /// `cathodelab diff`: 0 for identical bundles, 1 for a change outside tolerance, 2 for bad input.
    @Test func diffExitCodes() throws {
        let a = temporary("da")
        let b = temporary("db")
        let report = temporary("dr")
        defer { for u in [a, b, report] { try? FileManager.default.removeItem(at: u) } }
        #expect(
            try run(["report", "fig3e-concentration-profiles", "--out", a.path, "--dpi", "50", "--quiet"]).status == 0)
        try FileManager.default.copyItem(at: a, to: b)
        let same = try run(["diff", a.path, b.path, "--out", report.path])
        #expect(same.status == 0 && same.stdout.contains("no changes"))
        // A synthetic change of one computed quantity.
        let q = b.appendingPathComponent("fig3e-concentration-profiles/data/quantities.json")
        var json = try String(contentsOf: q, encoding: .utf8)
        let range = json.range(of: "\"value\" : ")!
        json.replaceSubrange(range, with: "\"value\" : 1 + ")
        json = json.replacingOccurrences(of: "\"value\" : 1 + ", with: "\"value\" : 1")
        try Data(json.utf8).write(to: q)
        let changed = try run(["diff", a.path, b.path, "--out", report.path])
        #expect(changed.status == 1, "\(changed.stdout)\(changed.stderr)")
        #expect(changed.stdout.contains("1 outside tolerance"))
        #expect(FileManager.default.fileExists(atPath: report.appendingPathComponent("diff.html").path))
        let bad = try run(["diff", a.path, "/nonexistent/folder", "--out", report.path])
        #expect(bad.status == 2 && bad.stderr.contains("not a report bundle"))
    }

    @Test func compositeSimulationAndBadComposition() throws {
        let out = temporary("comp")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try run(["simulate", "composite", "--cam-weight-percent", "70", "--c-rate", "1", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        for f in ["discharge.csv", "profiles.csv", "particles.csv", "metadata.json"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(f).path))
        }
        // The integrated energy by hand from the written curve: w · ∫V dQ (trapezoids over discharge.csv, V vs Li/Li⁺
        // in its last column) per cathode-layer mass, and × ρ_e per volume, against the metadata's values.
        let metadata =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: out.appendingPathComponent("metadata.json"))) as? [String: Any]
        let results = try #require(metadata?["results"] as? [String: Double])
        let rows = try String(contentsOf: out.appendingPathComponent("discharge.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",").compactMap { Double($0) } }
        var whPerKgCam = 0.0
        for k in 1..<rows.count {
            whPerKgCam += 0.5 * (rows[k][3] + rows[k - 1][3]) * (rows[k][1] - rows[k - 1][1])
        }
        let gravimetric = try #require(results["energy density, integrated vs Li/Li+ [Wh kg-1]"])
        let volumetric = try #require(results["energy density, integrated vs Li/Li+ [Wh L-1]"])
        #expect(abs(gravimetric / (0.7 * whPerKgCam) - 1) < 1e-6, "\(gravimetric) vs \(0.7 * whPerKgCam)")
        let parameters = try #require(metadata?["parameters"] as? [[String: Any]])
        let densityText = parameters.first { ($0["name"] as? String) == "derived: electrodeDensityKgPerM3" }?["value"]
        let density = try #require((densityText as? String).flatMap(Double.init))
        // The metadata prints parameters to 10 significant digits.
        #expect(abs(volumetric / (gravimetric * density / 1000) - 1) < 1e-8)
        let nominal = try #require(results["energy density, paper nominal 3.757 V [Wh kg-1]"])
        #expect(gravimetric != nominal && abs(gravimetric / nominal - 1) < 0.1)
        // Contact classes: z = 4 neighbours, each an SE contact with probability 0.3: 0.7⁴ of the CAM has none
        // (hand calculation), and classes.csv lists the five classes n/4 with Binomial(4, 0.3) shares.
        let classOut = temporary("classes")
        defer { try? FileManager.default.removeItem(at: classOut) }
        let classRun = try run([
            "simulate", "composite", "--contact-fraction", "0.3", "--contact-coordination-number", "4", "--out",
            classOut.path,
        ])
        #expect(classRun.status == 0, "\(classRun.stderr)")
        let classMetadata =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: classOut.appendingPathComponent("metadata.json"))) as? [String: Any]
        let classResults = try #require(classMetadata?["results"] as? [String: Double])
        #expect(abs(try #require(classResults["CAM without SE contact [-]"]) - 0.2401) < 1e-12)
        #expect(abs(try #require(classResults["mean contact fraction [-]"]) - 0.3) < 1e-12)
        let classRows = try String(contentsOf: classOut.appendingPathComponent("classes.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",").compactMap { Double($0) } }
        #expect(classRows.map { $0[1] } == [0, 0.25, 0.5, 0.75, 1])
        #expect(abs(classRows.map { $0[0] }.reduce(0, +) - 1) < 1e-9)
        #expect(abs(classRows[2][0] - 6 * 0.09 * 0.49) < 1e-9)
        let bad = try run(["simulate", "composite", "--cam-weight-percent", "0", "--out", temporary("bad").path])
        #expect(bad.status != 0 && bad.stderr.contains("camWeightPercent") && bad.stderr.contains("wt%"))
        let law = try run(["simulate", "composite", "--bruggeman-exponent", "1.5"])
        #expect(law.status != 0 && law.stderr.contains("ionicTransport = bruggeman"))
    }

    @Test func dense2dWritesNumpyAndRejectsBadInput() throws {
        let out = temporary("d2")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try run([
            "simulate", "dense2d", "--nx", "12", "--ny", "8", "--contact-fraction", "0.75", "--out", out.path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        for f in [
            "discharge.csv", "utilisation.csv", "interface.csv", "theta_end.csv", "theta_end.npy",
            "microstructure.json", "metadata.json",
        ] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(f).path), "missing \(f)")
        }
        let none = try run(["simulate", "dense2d", "--contact-fraction", "0"])
        #expect(none.status != 0 && none.stderr.contains("contactFraction"))
        let mask = try run(["simulate", "dense2d", "--mask", "/nonexistent.pgm"])
        #expect(mask.status != 0 && mask.stderr.contains("mask image"))
    }

    /// `simulate stress`: a uniform change on an oriented film gives the clamped-film σ_yy (physics.md §8.6) in
    /// stress.csv; a θ field round-trips through .npy; bad loads and shapes exit non-zero without writing.
    @Test func stressWritesFieldsAndRejectsBadInput() throws {
        let out = temporary("stress")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try run([
            "simulate", "stress", "--set", "nx=6", "--set", "ny=4", "--interface-condition", "0", "--delta-theta",
            "0.4565", "--out", out.path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let csv = try String(contentsOf: out.appendingPathComponent("stress.csv"), encoding: .utf8).split(
            separator: "\n")
        let header = csv[0].split(separator: ",").map(String.init)
        let column = try #require(header.firstIndex(of: "sigma_yy [MPa]"))
        let syy = csv.dropFirst().map { Double($0.split(separator: ",")[column])! }
        #expect(syy.count == 24 && syy.allSatisfy { abs($0 / 10011 - 1) < 2e-4 }, "\(syy.prefix(3))")
        for name in ["sigma_xx", "sigma_yy", "tau_xy", "sigma_zz", "sigma_h", "von_mises", "sigma_max"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("\(name).npy").path))
        }
        // The σ_yy array (Pa) is itself a valid θ-shaped .npy; as a θ field its values are out of range.
        let wrong = try run([
            "simulate", "stress", "--set", "nx=6", "--set", "ny=4", "--theta",
            out.appendingPathComponent("sigma_yy.npy").path,
        ])
        #expect(wrong.status != 0 && wrong.stderr.contains("outside 0–1"))
        let shape = try run([
            "simulate", "stress", "--set", "nx=5", "--set", "ny=4", "--theta",
            out.appendingPathComponent("sigma_yy.npy").path,
        ])
        #expect(shape.status != 0 && shape.stderr.contains("does not match"))
        let neither = try run(["simulate", "stress", "--set", "nx=6", "--set", "ny=4"])
        #expect(neither.status != 0 && neither.stderr.contains("--delta-theta"))
        let modulus = try run([
            "simulate", "stress", "--delta-theta", "0.1", "--youngs-modulus-gpa", "0.5", "--out", temporary("e").path,
        ])
        #expect(modulus.status != 0 && modulus.stderr.contains("youngsModulusGPa") && modulus.stderr.contains("GPa"))
    }

    /// `simulate dense2d --snapshot-seconds … --stress`: θ and every stress measure at each snapshot, the hotspot
    /// table, and a clear error for a mechanical value out of range.
    @Test func dense2dWritesSnapshotsAndStressFields() throws {
        let out = temporary("snapshots")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try run([
            "simulate", "dense2d", "--nx", "10", "--ny", "6", "--contact-fraction", "0.67", "--snapshot-seconds", "300",
            "--stress", "--set", "youngsModulusGPa=190", "--out", out.path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        for name in [
            "theta_1.npy", "theta_2.npy", "sigma_yy_1.npy", "sigma_max_2.npy", "snapshots.csv", "hotspots.csv",
        ] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name) missing")
        }
        let bad = try run([
            "simulate", "dense2d", "--nx", "10", "--ny", "6", "--stress", "--set", "poissonRatio=0.7", "--out",
            temporary("bad").path,
        ])
        #expect(bad.status != 0 && bad.stderr.contains("poissonRatio"))
    }
}

/// The commit a standalone page names must be the one `--version` prints.
enum BuildInfoProbe {
    static func commitPrefix(_ html: String) -> String {
        guard let version = try? CLIHarness.run(["--version"]).stdout,
            let range = version.range(of: #"commit [0-9a-f]{12}"#, options: .regularExpression)
        else { return "<no commit in --version>" }
        return "commit <code>" + version[range].dropFirst("commit ".count)
    }
}
