import Foundation
import Testing

/// `cathodelab slurm --submit` on a real one-node Slurm cluster started for the test: munged, slurmctld and slurmd run
/// in the foreground as child processes (configuration, key, sockets and state in a temporary folder pointed to by
/// SLURM_CONF), a 4-shard array for two studies plus the dependent merge job is submitted, and the bundles must be
/// byte-identical to a one-machine run (timings.json, which records how the run went, excepted). The daemons are
/// stopped by pid at the end. `make test` installs slurm-wlm and munge (Makefile TEST_PKGS).
@Suite(.serialized) struct SlurmClusterTests {
    static let studies = ["fig3c-discharge-curves", "fig3e-concentration-profiles"]

    /// The daemons the test started, by the pid each wrote to its pid file; stopped with SIGTERM (then SIGKILL) in
    /// reverse order. They run detached (not as children of the test process), as they would on a cluster.
    final class Daemons {
        var pidFiles: [URL] = []
        func started(pidFile: URL) { pidFiles.append(pidFile) }
        static func pid(_ file: URL) -> pid_t? {
            (try? String(contentsOf: file, encoding: .utf8)).flatMap {
                pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
        func stopAll() {
            for file in pidFiles.reversed() {
                guard let pid = Self.pid(file), pid > 1 else { continue }
                kill(pid, SIGTERM)
                let deadline = Date().addingTimeInterval(10)
                while kill(pid, 0) == 0 && Date() < deadline { usleep(50_000) }
                if kill(pid, 0) == 0 { kill(pid, SIGKILL) }
            }
        }
    }

    static func tool(_ name: String) -> String? {
        ["/usr/sbin", "/usr/bin", "/sbin", "/bin"].map { "\($0)/\(name)" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Runs a program with posix_spawn (not Foundation's Process, whose child monitor never reaped the parent of a
    /// daemon that forks into the background) and waits for it with waitpid; stdout and stderr go to `log`, stdin
    /// is /dev/null. A daemon's detached child keeps running; only the launching parent is waited for.
    static func spawn(_ executable: String, _ arguments: [String], log: URL, environment: [String: String]) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        guard posix_spawn(&pid, executable, &actions, nil, argv, envp) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            if errno != EINTR { return -1 }
        }
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
    }

    /// Runs a short command and returns its exit status and output.
    static func output(_ executable: String, _ arguments: [String], environment: [String: String] = [:], scratch: URL)
        -> (status: Int32, text: String)
    {
        let log = scratch.appendingPathComponent("command-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: log) }
        let status = spawn(executable, arguments, log: log, environment: environment)
        return (status, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    static func files(under root: URL) -> [String: Data] {
        var out: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return out }
        for case let url as URL in walker where !url.hasDirectoryPath && url.lastPathComponent != "timings.json" {
            out[String(url.path.dropFirst(root.path.count + 1))] = FileManager.default.contents(atPath: url.path)
        }
        return out
    }

    @Test(.timeLimit(.minutes(3))) func shardedArrayAndMergeOnSlurmMatchOneMachine() throws {
        guard let munged = Self.tool("munged"), let mungekey = Self.tool("mungekey"),
            let slurmctld = Self.tool("slurmctld"), let slurmd = Self.tool("slurmd"),
            let squeue = Self.tool("squeue"), let sinfo = Self.tool("sinfo"), Self.tool("sbatch") != nil
        else {
            Issue.record(
                "Slurm is not installed: `make test` installs slurm-wlm and munge (Makefile TEST_PKGS); run it, or apt-get install slurm-wlm munge"
            )
            return
        }
        let folder = try CLIHarness.temporaryFolder("slurm")
        defer { try? FileManager.default.removeItem(at: folder) }
        let daemons = Daemons()
        defer { daemons.stopAll() }
        let host = Self.output("/bin/hostname", ["-s"], scratch: folder).text.trimmingCharacters(
            in: .whitespacesAndNewlines)
        let port = 20_000 + Int.random(in: 0..<20_000)
        for name in ["state", "spool"] {
            try FileManager.default.createDirectory(
                at: folder.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        let path = folder.path
        let configuration = """
            ClusterName=cathodelabtest
            SlurmctldHost=\(host)
            SlurmUser=root
            SlurmdUser=root
            SlurmctldPort=\(port)
            SlurmdPort=\(port + 1)
            AuthType=auth/munge
            AuthInfo=socket=\(path)/munge.socket
            StateSaveLocation=\(path)/state
            SlurmdSpoolDir=\(path)/spool
            SlurmctldPidFile=\(path)/slurmctld.pid
            SlurmdPidFile=\(path)/slurmd.pid
            SlurmctldLogFile=\(path)/slurmctld.log
            SlurmdLogFile=\(path)/slurmd.log
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            SelectType=select/cons_tres
            SelectTypeParameters=CR_CPU
            AccountingStorageType=accounting_storage/none
            JobAcctGatherType=jobacct_gather/none
            JobCompType=jobcomp/none
            MpiDefault=none
            ReturnToService=2
            NodeName=\(host) CPUs=\(ProcessInfo.processInfo.activeProcessorCount) State=UNKNOWN
            PartitionName=test Nodes=\(host) Default=YES MaxTime=INFINITE State=UP

            """
        let conf = folder.appendingPathComponent("slurm.conf")
        try Data(configuration.utf8).write(to: conf)
        let environment = ["SLURM_CONF": conf.path]
        #expect(Self.output(mungekey, ["--create", "--keyfile=\(path)/munge.key"], scratch: folder).status == 0)
        #expect(
            Self.spawn(
                munged,
                [
                    "--force", "--socket=\(path)/munge.socket", "--key-file=\(path)/munge.key",
                    "--pid-file=\(path)/munged.pid",
                    "--seed-file=\(path)/munged.seed", "--log-file=\(path)/munged.log",
                ], log: folder.appendingPathComponent("munged.out"), environment: environment) == 0)
        daemons.started(pidFile: folder.appendingPathComponent("munged.pid"))
        #expect(
            Self.spawn(
                slurmctld, ["-f", conf.path], log: folder.appendingPathComponent("slurmctld.out"),
                environment: environment) == 0)
        daemons.started(pidFile: folder.appendingPathComponent("slurmctld.pid"))
        #expect(
            Self.spawn(
                slurmd, ["-f", conf.path], log: folder.appendingPathComponent("slurmd.out"), environment: environment)
                == 0)
        daemons.started(pidFile: folder.appendingPathComponent("slurmd.pid"))
        var idle = false
        for _ in 0..<60 where !idle {
            usleep(500_000)
            idle = Self.output(sinfo, ["-h", "-o", "%t"], environment: environment, scratch: folder).text.contains(
                "idle")
        }
        #expect(
            idle,
            "the one-node cluster did not come up: \((try? String(contentsOf: folder.appendingPathComponent("slurmctld.log"), encoding: .utf8)) ?? "")"
        )
        guard idle else { return }

        let out = folder.appendingPathComponent("cluster")
        let submitted = try CLIHarness.run(
            ["slurm"] + Self.studies + [
                "--shards", "4", "--out", out.path, "--partition", "test", "--time", "10", "--cpus-per-task", "1",
                "--submit",
            ],
            environment: environment)
        #expect(submitted.status == 0, "\(submitted.stderr)")
        #expect(submitted.stdout.contains("submitted array job"))
        var drained = false
        for _ in 0..<240 where !drained {
            usleep(500_000)
            let queue = Self.output(squeue, ["-h"], environment: environment, scratch: folder)
            drained = queue.status == 0 && queue.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        }
        #expect(drained, "jobs still queued after 120 s")
        let logs =
            (try? FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("slurm/logs").path)) ?? []
        #expect(
            logs.filter { $0.hasPrefix("shard-") }.count == 4 && logs.contains { $0.hasPrefix("merge-") },
            "logs: \(logs)")

        let single = folder.appendingPathComponent("single")
        let local = try CLIHarness.run(["report"] + Self.studies + ["--out", single.path, "--quiet"])
        #expect(local.status == 0, "\(local.stderr)")
        for study in Self.studies {
            let a = Self.files(under: out.appendingPathComponent(study))
            let b = Self.files(under: single.appendingPathComponent(study))
            #expect(!a.isEmpty && a.keys.sorted() == b.keys.sorted(), "\(study): files differ")
            for (name, data) in a {
                #expect(b[name] == data, "\(study)/\(name) differs between the Slurm run and the one-machine run")
            }
        }
    }

    @Test func badShardsAndMissingSbatchAreRefused() throws {
        let folder = try CLIHarness.temporaryFolder("shard-bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        for (arguments, mention) in [
            (["--shard", "5/4"], "0–3"), (["--shard", "0/0"], "1–100000"), (["--shard", "x"], "I/N"),
            (["--shard", "0/2", "--from-cache"], "exclude"),
        ] {
            let run = try CLIHarness.run(
                ["report", "fig3c-discharge-curves", "--out", folder.appendingPathComponent("out").path] + arguments)
            #expect(run.status == 2, "\(arguments): \(run.status) \(run.stderr)")
            #expect(run.stderr.contains(mention), "\(run.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
        // --from-cache with an empty cache: exit 1, every missing run named, nothing written.
        let empty = try CLIHarness.run([
            "report", "fig3c-discharge-curves", "--out", folder.appendingPathComponent("out").path, "--from-cache",
        ])
        #expect(
            empty.status == 1 && empty.stderr.contains("5 of 5 runs are not in the cache")
                && empty.stderr.contains("fig3c-discharge-curves / rates: dense1d cRate=0.1"), "\(empty.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
        // --submit without sbatch on PATH.
        let noSlurm = try CLIHarness.run(
            [
                "slurm", "fig3c-discharge-curves", "--shards", "2", "--out", folder.appendingPathComponent("s").path,
                "--submit",
            ], environment: ["PATH": "/nonexistent"])
        #expect(noSlurm.status == 2 && noSlurm.stderr.contains("sbatch"), "\(noSlurm.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("s").path))
    }

    /// A staged study (the sensitivity screening decides its Saltelli runs) needs the array once per stage: the chain in
    /// submit.sh submits it twice, each after the previous succeeded, then the merge job. No Slurm needed to check.
    @Test func stagedStudiesChainTheArrayOncePerStage() throws {
        let folder = try CLIHarness.temporaryFolder("slurm-stages")
        defer { try? FileManager.default.removeItem(at: folder) }
        for (study, stages) in [("sensitivity", 2), ("fig3c-discharge-curves", 1)] {
            let out = folder.appendingPathComponent(study)
            let run = try CLIHarness.run(["slurm", study, "--shards", "8", "--out", out.path])
            #expect(run.status == 0, "\(run.stderr)")
            let chain = try String(contentsOf: out.appendingPathComponent("slurm/submit.sh"), encoding: .utf8)
            let arrays = chain.split(separator: "\n").filter { $0.contains("sbatch") && $0.contains("shards.sbatch") }
            #expect(arrays.count == stages, "\(study): \(chain)")
            #expect(arrays.dropFirst().allSatisfy { $0.contains("--dependency=afterok:") })
            #expect(
                chain.contains("merge.sbatch")
                    && chain.split(separator: "\n").last { $0.contains("merge.sbatch") }!.contains(
                        "--dependency=afterok:")
            )
            let shards = try String(contentsOf: out.appendingPathComponent("slurm/shards.sbatch"), encoding: .utf8)
            #expect(shards.contains("--shard \"${SLURM_ARRAY_TASK_ID}/8\"") && shards.contains("#SBATCH --array=0-7"))
        }
    }
}
