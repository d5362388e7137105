import CairoBackend
import Foundation
import Plotting
import ResultStore
import Studies

/// Writes one study's bundle into `output/<study-id>/` (report.md, figures/, data/, manifest.json,
/// timings.json), atomically. Everything but timings.json is byte-stable for unchanged code and inputs.
enum ReportWriter {
    struct Manifest: Codable {
        let studyId: String
        let title: String
        let paperFigure: String
        let codeVersion: CodeVersion
        let parameterHash: String
        let tools: [String: String]
        let figures: [String]
        let data: [String]
    }

    struct CodeVersion: Codable {
        let commit: String
        let dirty: Bool
    }

    static func codeVersion() -> CodeVersion {
        func git(_ args: [String]) -> String? {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["git"] + args
            let pipe = Pipe()
            p.standardOutput = pipe
            p.standardError = FileHandle.nullDevice
            do { try p.run() } catch { return nil }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return p.terminationStatus == 0 ? String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : nil
        }
        let commit = git(["rev-parse", "HEAD"]) ?? "unknown"
        let status = git(["status", "--porcelain", "--untracked-files=no"]) ?? ""
        return CodeVersion(commit: commit, dirty: !status.isEmpty)
    }

    static func fnv1a64(_ s: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return String(format: "%016llx", h)
    }

    static func write(_ study: any Study, output: StudyOutput, to folder: URL, renderer: CairoRenderer, version: CodeVersion, seconds: Double) throws {
        try AtomicFolder.write(to: folder) { dir in
            let figures = dir.appendingPathComponent("figures"), data = dir.appendingPathComponent("data")
            try FileManager.default.createDirectory(at: figures, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            for f in output.figures { try renderer.write(f.figure, to: figures.appendingPathComponent(f.name)) }
            for t in output.tables { try Data(t.table.text.utf8).write(to: data.appendingPathComponent("\(t.name).csv")) }
            try StableJSON.encode(output.quantities).write(to: data.appendingPathComponent("quantities.json"))
            try StableJSON.encode(output.comparisons).write(to: data.appendingPathComponent("comparisons.json"))
            try Data(markdown(study, output).utf8).write(to: dir.appendingPathComponent("report.md"))
            let parameterText = output.parameters.map { "\($0.name)=\($0.value) \($0.unit)" }.joined(separator: "\n")
            let manifest = Manifest(studyId: study.id, title: study.title, paperFigure: study.paperFigure, codeVersion: version,
                                    parameterHash: fnv1a64(parameterText), tools: ["cathodelab": "0.1.0", "cairo": "system libcairo2", "swift": swiftVersion()],
                                    figures: output.figures.flatMap { f in FigureFormat.allCases.map { "figures/\(f.name).\($0.rawValue)" } },
                                    data: output.tables.map { "data/\($0.name).csv" } + ["data/quantities.json", "data/comparisons.json"])
            try StableJSON.encode(manifest).write(to: dir.appendingPathComponent("manifest.json"))
            let timings: [String: String] = ["wallSeconds": String(format: "%.3f", seconds), "generated": ISO8601DateFormatter().string(from: Date())]
            try StableJSON.encode(timings).write(to: dir.appendingPathComponent("timings.json"))
        }
    }

    static func swiftVersion() -> String {
        #if swift(>=6.3)
        return "6.3+"
        #else
        return "6.x"
        #endif
    }

    static func markdown(_ study: any Study, _ o: StudyOutput) -> String {
        var md = "# \(study.title)\n\n*Regenerates \(study.paperFigure) of Naik et al., \"Mechanistic trade-offs in dense cathode architectures for high-energy-density solid-state batteries\", EES Batteries 1, 1184 (2025).*\n\n"
        md += o.narrative + "\n\n"
        for (k, f) in o.figures.enumerated() {
            md += "![\(f.caption)](figures/\(f.name).png)\n\n*Figure \(k + 1).* \(f.caption) [PDF](figures/\(f.name).pdf) · [SVG](figures/\(f.name).svg)\n\n"
        }
        if !o.comparisons.isEmpty {
            md += "## Paper vs computed\n\n| quantity | paper | computed | difference | kind of paper value | source |\n|---|---:|---:|---:|---|---|\n"
            for c in o.comparisons {
                md += "| \(c.quantity) | \(String(format: "%.1f", c.paper)) \(c.unit) | \(String(format: "%.1f", c.computed)) \(c.unit) | \(String(format: "%+.1f %%", 100 * c.relativeDifference)) | \(c.kind.rawValue) | \(c.source) |\n"
            }
            md += "\n"
        }
        if !o.quantities.isEmpty {
            md += "## Computed quantities\n\n| name | value |\n|---|---:|\n"
            for q in o.quantities { md += "| `\(q.name)` | \(q.formatted) |\n" }
            md += "\nAll values also in `data/quantities.json`; every plotted series in `data/*.csv`.\n\n"
        }
        if !o.parameters.isEmpty {
            md += "## Parameters\n\nBase set `paperHalfCell` (values for the 1C case; sweeps change only the swept parameter).\n\n| parameter | value | unit |\n|---|---|---|\n"
            for p in o.parameters { md += "| `\(p.name)` | \(p.value) | \(p.unit) |\n" }
            md += "\n"
        }
        if !o.citations.isEmpty {
            md += "## References\n\n"
            for c in o.citations { md += "- [\(c.key)] \(c.formatted)\n" }
        }
        return md
    }
}
