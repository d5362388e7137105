import Foundation
import Testing

/// `cathodelab simulate impedance` end to end: the files and their units against a hand calculation, and bad input
/// refused with the documented exit code and nothing written.
@Suite struct ImpedanceCommandTests {
    /// Model A of the paper's half-cell: the high-frequency intercept is the 250 µm separator at 1 mS cm⁻¹, by hand
    /// L/σ = 250e-4 cm / 1e-3 S cm⁻¹ = 25 Ω cm² (the counter electrode's 5 µF·5 Ω cm² arc is shorted at 1 MHz).
    @Test func writesSpectrumCircuitAndFiguresInOhmSquareCentimetres() throws {
        let folder = try CLIHarness.temporaryFolder("impedance").appendingPathComponent("eis")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let run = try CLIHarness.run(["simulate", "impedance", "--frequency-count", "40", "--out", folder.path])
        #expect(run.status == 0, "\(run.stderr)")
        for name in [
            "spectrum.csv", "circuit.json", "kramers-kronig.csv", "metadata.json", "nyquist.pdf", "nyquist.svg",
            "nyquist.png", "bode.pdf",
        ] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path), "missing \(name)")
        }
        let lines = try String(contentsOf: folder.appendingPathComponent("spectrum.csv"), encoding: .utf8).split(
            separator: "\n")
        #expect(lines[0] == "frequency [Hz],Z' [Ohm cm2],Z'' [Ohm cm2],|Z| [Ohm cm2],phase [deg]")
        #expect(lines.count == 41)
        let first = lines[1].split(separator: ",").map { Double($0)! }
        #expect(first[0] == 1e6)
        #expect(abs(first[1] - 25) < 0.1, "high-frequency Z' \(first[1]) Ω cm², expected 25")
        let circuit =
            try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("circuit.json")))
            as! [String: [String: Double]]
        let fit = circuit["circuit"]!
        #expect(abs(fit["seriesResistanceOhmCm2"]! - 25) < 0.5)
        // R_int against the model's own R_ct = 1/(f i₀ r_a f_c), both exported in Ω cm².
        #expect(abs(fit["interfaceResistanceOhmCm2"]! / fit["modelChargeTransferResistanceOhmCm2"]! - 1) < 0.05)
    }

    @Test(arguments: [
        (["--minimum-frequency-hz", "-1"], "minimumFrequencyHz"),
        (["--minimum-frequency-hz", "100", "--maximum-frequency-hz", "10"], "reversed"),
        (["--state-of-charge", "0"], "stateOfCharge"),
        (["--stoichiometry", "1.2"], "stoichiometry"),
        (["--frequency-count", "1"], "frequencyCount"),
        (["--model", "dense3d"], "--model"),
    ])
    func badInputExitsWithTwoAndWritesNothing(arguments: [String], mention: String) throws {
        let parent = try CLIHarness.temporaryFolder("impedance-bad")
        defer { try? FileManager.default.removeItem(at: parent) }
        let folder = parent.appendingPathComponent("eis")
        let run = try CLIHarness.run(["simulate", "impedance"] + arguments + ["--out", folder.path])
        #expect(run.status == 2, "\(arguments): status \(run.status), \(run.stderr)")
        #expect(run.stderr.contains(mention), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }

    /// A spectrum the circuit cannot follow: with two frequencies a decade apart the nine-parameter fit is refused
    /// (too few points), exit 1, nothing written.
    @Test func circuitFitThatCannotConvergeExitsWithOne() throws {
        let parent = try CLIHarness.temporaryFolder("impedance-fit")
        defer { try? FileManager.default.removeItem(at: parent) }
        let folder = parent.appendingPathComponent("eis")
        let run = try CLIHarness.run([
            "simulate", "impedance", "--frequency-count", "3", "--minimum-frequency-hz", "10", "--maximum-frequency-hz",
            "1000", "--out", folder.path,
        ])
        #expect(run.status == 1, "status \(run.status), \(run.stderr)")
        #expect(run.stderr.contains("circuit fit"))
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }
}
