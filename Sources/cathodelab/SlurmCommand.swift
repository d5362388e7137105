import ArgumentParser
import Foundation
import ResultStore
import Studies
import StudyKit

extension CathodeLab {
    /// `cathodelab slurm`: writes (and optionally submits) a Slurm job array that computes the report's runs in shards
    /// and a merge job that assembles the bundles once every shard has succeeded.
    struct Slurm: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Write a Slurm job array (one task per shard) and a dependent merge job for a report; --submit submits them.",
            discussion: """
                Writes <out>/slurm/shards.sbatch (an array job: `cathodelab report … --shard $SLURM_ARRAY_TASK_ID/N`) and \
                <out>/slurm/merge.sbatch (`cathodelab report … --from-cache`, submitted with --dependency=afterok on the \
                array). Both are ordinary sbatch scripts to read and edit; logs go to <out>/slurm/logs/ (one per task). All \
                tasks share the result cache <out>/.cache (or --cache), which needs no locks: entries are written atomically \
                under unique names, each with its own checksum. The binary path in the scripts is this binary's; on a \
                cluster it must be visible from the compute nodes (a shared file system). Without --submit, sbatch is not \
                needed; with it, a missing sbatch is an error (exit 2) and nothing is submitted.
                """)

        @Argument(help: "Study ids (default: all).")
        var ids: [String] = []

        @Option(name: .long, help: "Number of shards (array tasks), 1–10000.")
        var shards: Int

        @Option(name: .long, help: "Report folder (bundles, the shared cache and slurm/).")
        var out: String = "output"

        @Option(name: .long, help: "Result cache folder (default: <out>/.cache).")
        var cache: String?

        @Option(name: .long, help: "Slurm partition (default: the cluster's default).")
        var partition: String?

        @Option(name: .long, help: "Time limit per task, Slurm syntax (e.g. 01:00:00).")
        var time: String = "01:00:00"

        @Option(name: .long, help: "CPUs per task (the shard's worker threads), 1–256.")
        var cpusPerTask: Int = 2

        @Flag(name: .long, help: "Submit the array and the merge job with sbatch and print their job ids.")
        var submit = false

        func validate() throws {
            guard (1...10_000).contains(shards) else {
                throw ValidationError("--shards \(shards) is outside the allowed range 1–10000")
            }
            guard (1...256).contains(cpusPerTask) else {
                throw ValidationError("--cpus-per-task \(cpusPerTask) is outside the allowed range 1–256")
            }
            let known = StudyCatalogue.known.map(\.id)
            for id in ids where !known.contains(id) {
                throw ValidationError("unknown study '\(id)' (known: \(known.joined(separator: ", ")))")
            }
            let allowed = CharacterSet(charactersIn: "0123456789:-")
            guard !time.isEmpty, time.unicodeScalars.allSatisfy(allowed.contains) else {
                throw ValidationError("--time '\(time)' is not a Slurm time (minutes, MM:SS, HH:MM:SS or D-HH:MM:SS)")
            }
            if let partition,
                partition.isEmpty || partition.contains(where: { $0.isWhitespace || $0 == "'" || $0 == "\"" })
            {
                throw ValidationError("--partition '\(partition)' is not a partition name")
            }
        }

        func run() throws {
            let sbatch = submit ? try Self.findExecutable("sbatch") : nil
            if submit && sbatch == nil {
                throw UsageError(
                    "--submit needs sbatch, which is not on PATH: install Slurm (Debian: apt-get install slurm-wlm) or run without --submit and submit the scripts on a cluster"
                )
            }
            let root = try OutputFolder.checkTarget(out)
            let cacheFolder = try cache.map { try OutputFolder.checkTarget($0, option: "--cache") }
            try OutputFolder.prepareRoot(root, kind: "report")
            let folder = root.appendingPathComponent("slurm")
            let selected = ids.isEmpty ? StudyCatalogue.all : StudyCatalogue.known.filter { ids.contains($0.id) }
            let stages = StudyRunner.stageCount(selected)
            let scripts = Self.scripts(
                binary: Self.binaryPath(), ids: ids, shards: shards, root: root, cache: cacheFolder,
                partition: partition, time: time, cpusPerTask: cpusPerTask)
            let chain = Self.submitScript(folder: folder, stages: stages)
            try OutputFolder.replace(folder, kind: "slurm") { staging in
                try FileManager.default.createDirectory(
                    at: staging.appendingPathComponent("logs"), withIntermediateDirectories: true)
                for (name, text) in [
                    ("shards.sbatch", scripts.shards), ("merge.sbatch", scripts.merge), ("submit.sh", chain),
                ] {
                    let url = staging.appendingPathComponent(name)
                    try Data(text.utf8).write(to: url)
                    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
                }
            }
            print(
                "wrote \(folder.path)/shards.sbatch (\(shards) array tasks), \(folder.path)/merge.sbatch and \(folder.path)/submit.sh"
                    + (stages > 1
                        ? " (\(stages) stages: the array runs \(stages) times, each after the previous succeeded)" : "")
            )
            guard let sbatch else { return }
            var arrayJobs: [String] = []
            for _ in 0..<stages {
                let dependency = arrayJobs.last.map { ["--dependency=afterok:\($0)"] } ?? []
                arrayJobs.append(
                    try Self.sbatch(
                        sbatch, ["--parsable"] + dependency + [folder.appendingPathComponent("shards.sbatch").path]))
            }
            let mergeJob = try Self.sbatch(
                sbatch,
                [
                    "--parsable", "--dependency=afterok:\(arrayJobs.last!)",
                    folder.appendingPathComponent("merge.sbatch").path,
                ])
            print(
                "submitted array job\(stages > 1 ? "s" : "") \(arrayJobs.joined(separator: ", ")) (cathodelab-shards) and merge job \(mergeJob) (cathodelab-merge, after the array succeeds)"
            )
        }

        /// `submit.sh`: the sbatch chain `--submit` runs, for a user who edits the scripts and submits by hand. A staged
        /// report (a sensitivity screening whose Saltelli runs depend on its results) runs the array once per stage.
        static func submitScript(folder: URL, stages: Int) -> String {
            let shardsPath =
                "'" + folder.appendingPathComponent("shards.sbatch").path.replacingOccurrences(of: "'", with: "'\\''")
                + "'"
            let mergePath =
                "'" + folder.appendingPathComponent("merge.sbatch").path.replacingOccurrences(of: "'", with: "'\\''")
                + "'"
            var lines = [
                "#!/bin/bash",
                "# Written by `cathodelab slurm`: submits the shard array\(stages > 1 ? " \(stages) times (one per stage of the report's runs: a later stage's runs are known only once the earlier ones are cached)" : ""), then the merge job, each after the previous succeeded.",
                "set -euo pipefail",
            ]
            lines.append("job=$(sbatch --parsable \(shardsPath))")
            for _ in 1..<max(stages, 1) {
                lines.append("job=$(sbatch --parsable --dependency=afterok:\"${job%%;*}\" \(shardsPath))")
            }
            lines.append("merge=$(sbatch --parsable --dependency=afterok:\"${job%%;*}\" \(mergePath))")
            lines.append("echo \"array job ${job%%;*}, merge job ${merge%%;*}\"")
            return lines.joined(separator: "\n") + "\n"
        }

        /// The two sbatch scripts. Paths are quoted for the shell.
        static func scripts(
            binary: String, ids: [String], shards: Int, root: URL, cache: URL?, partition: String?, time: String,
            cpusPerTask: Int
        ) -> (shards: String, merge: String) {
            func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            let logs = root.appendingPathComponent("slurm").appendingPathComponent("logs").path
            var common = ["--out", root.path]
            if let cache { common += ["--cache", cache.path] }
            let studies = ids.map(quote).joined(separator: " ")
            let options = common.map(quote).joined(separator: " ")
            let header = { (name: String, array: Bool) -> String in
                var lines = [
                    "#!/bin/bash", "#SBATCH --job-name=\(name)", "#SBATCH --time=\(time)",
                    "#SBATCH --cpus-per-task=\(cpusPerTask)", "#SBATCH --ntasks=1",
                ]
                if let partition { lines.append("#SBATCH --partition=\(partition)") }
                if array {
                    lines.append("#SBATCH --array=0-\(shards - 1)")
                    lines.append("#SBATCH --output=\(logs)/shard-%A_%a.out")
                } else {
                    lines.append("#SBATCH --output=\(logs)/merge-%j.out")
                }
                return lines.joined(separator: "\n")
            }
            let shardScript = """
                \(header("cathodelab-shards", true))
                # Written by `cathodelab slurm`: task I of the array computes shard I/\(shards) of the report's missing model runs
                # into the shared result cache and writes no bundle. Rerunning a task recomputes nothing already cached.
                set -euo pipefail
                exec \(quote(binary)) report \(studies)\(studies.isEmpty ? "" : " ")\(options) --jobs "${SLURM_CPUS_PER_TASK:-1}" --quiet --shard "${SLURM_ARRAY_TASK_ID}/\(shards)"

                """
            let mergeScript = """
                \(header("cathodelab-merge", false))
                # Written by `cathodelab slurm`: runs after every shard succeeded (--dependency=afterok) and assembles the bundles
                # from the cache without computing; it fails, naming them, if any run is missing.
                set -euo pipefail
                exec \(quote(binary)) report \(studies)\(studies.isEmpty ? "" : " ")\(options) --jobs "${SLURM_CPUS_PER_TASK:-1}" --quiet --from-cache

                """
            return (shardScript, mergeScript)
        }

        /// This executable's absolute path.
        static func binaryPath() -> String {
            let link =
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                ?? CommandLine.arguments[0]
            return URL(fileURLWithPath: link).standardizedFileURL.path
        }

        static func findExecutable(_ name: String) throws -> URL? {
            let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
            for directory in path.split(separator: ":") {
                let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            }
            return nil
        }

        /// Runs sbatch and returns the job id it prints with --parsable ("id" or "id;cluster").
        static func sbatch(_ executable: URL, _ arguments: [String]) throws -> String {
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            let output = Pipe()
            let errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let problem = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            guard process.terminationStatus == 0,
                let id = text.split(separator: ";").first.map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }),
                !id.isEmpty
            else {
                throw CLIError(
                    "sbatch \(arguments.joined(separator: " ")) failed (exit \(process.terminationStatus)): \(problem.trimmingCharacters(in: .whitespacesAndNewlines))"
                )
            }
            return id
        }
    }
}
