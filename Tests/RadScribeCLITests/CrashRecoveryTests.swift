import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// `kill -9` during a live dictation, then recovery; a full disk and a read-only file system under the binary.
@Suite("Crash recovery and storage failures", .serialized, .integration, .tags(.speech))
struct CrashRecoveryTests {
    static let template = "chest-radiograph-2-views"

    /// Starts `radscribe ARGS` in the background with stderr going to a file.
    static func launch(_ arguments: [String], environment: [String: String], stderr: URL) throws -> Process {
        let process = Process()
        process.executableURL = ProjectPaths.radscribeBinary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: stderr)
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func sql(_ database: URL, _ query: String) throws -> String {
        try ProcessRunner.run(tool: "sqlite3", [database.path, query]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("kill -9 mid-dictation keeps the audio up to the last second; --resume makes the draft")
    func killDuringLiveDictation() throws {
        let cli = try CLIHarness("crash-kill")
        let wav = try cli.synthesize("chest-left-effusion")
        let raw = cli.directory.appendingPathComponent("dictation.raw")
        try SpeechSynthesizer.rawSamples(from: wav, to: raw)
        let input = try Data(contentsOf: raw)
        let pcm = try FileBackedPCM(name: "dictation", rawFile: raw, in: cli.directory)
        let stderr = cli.directory.appendingPathComponent("dictate.err")

        // Paced: the file-backed PCM otherwise delivers the whole file at once (see CapturePacing).
        let process = try Self.launch(
            ["dictate", "--accession", "CRASH1", "--template", Self.template, "--device", pcm.name, "--mrn", "MRN9",
             "--db", cli.database.path],
            environment: pcm.environment.merging(["RADSCRIBE_CAPTURE_PACE": "realtime"]) { $1 },
            stderr: stderr
        )
        let deadline = Date().addingTimeInterval(120)
        while !(try String(contentsOf: stderr, encoding: .utf8)).contains("recording from"), process.isRunning,
            Date() < deadline
        {
            usleep(20_000)
        }
        let started = Date()
        let startup = (try? String(contentsOf: stderr, encoding: .utf8)) ?? ""
        #expect(process.isRunning, "dictate is capturing: \(startup)")
        usleep(5_000_000)
        kill(process.processIdentifier, SIGKILL)
        let recordedSeconds = Date().timeIntervalSince(started)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL)

        // The audio is there up to the last second, byte-identical to what the device delivered.
        let keptSamples = Int(try Self.sql(cli.database, "SELECT sample_count FROM dictation_captures")) ?? 0
        let keptSeconds = Double(keptSamples) / 16_000
        #expect(keptSeconds >= recordedSeconds - 1.5, "kept \(keptSeconds) s of \(recordedSeconds) s recorded")
        #expect(keptSeconds <= recordedSeconds + 0.5)
        #expect(keptSamples * 2 < input.count, "killed midway, before the end of the dictation")
        let keptHex = try Self.sql(
            cli.database, "SELECT group_concat(h, '') FROM (SELECT hex(samples) AS h FROM dictation_capture_chunks ORDER BY sequence)"
        )
        let inputHex = input.prefix(keptSamples * 2).map { String(format: "%02X", $0) }.joined()
        #expect(keptHex == inputHex, "the kept audio is what was captured")
        #expect(try Self.sql(cli.database, "SELECT COUNT(*) FROM report_versions") == "0", "no draft was saved yet")

        let list = try cli.run(["dictation", "list"])
        #expect(list.exitCode == 0 && list.stdout.contains("CRASH1") && list.stdout.contains(Self.template), "\(list)")

        // After the restart: the kept audio becomes the draft.
        let resumed = try cli.run(["dictate", "--resume", "--accession", "CRASH1"])
        #expect(resumed.exitCode == 0, "dictate --resume: \(resumed.stderr)")
        #expect(resumed.stderr.contains("resuming the dictation of CRASH1"))
        let report = try cli.reportJSON("CRASH1")
        #expect(report["status"] as? String == "draft")
        #expect(abs((report["audioSeconds"] as? Double ?? 0) - keptSeconds) < 0.01, "the version keeps the audio")
        let findings = cli.sectionText(report, "findings").lowercased()
        #expect(findings.contains("there is"), "recognized from the kept audio: \(findings)")
        #expect(try Self.sql(cli.database, "SELECT mrn FROM orders WHERE accession = 'CRASH1'") == "MRN9")
        #expect(try Self.sql(cli.database, "SELECT COUNT(*) FROM dictation_capture_chunks") == "0")
        #expect(try cli.run(["dictation", "list"]).stdout.isEmpty)
        let again = try cli.run(["dictate", "--resume", "--accession", "CRASH1"])
        #expect(again.exitCode == 66, "nothing left to resume: \(again.stderr)")
    }

    @Test("a completed live dictation leaves no journal behind")
    func completedDictationRetiresJournal() throws {
        let cli = try CLIHarness("crash-complete")
        let wav = try cli.synthesize("chest-clear-lungs")
        let raw = cli.directory.appendingPathComponent("dictation.raw")
        try SpeechSynthesizer.rawSamples(from: wav, to: raw)
        let pcm = try FileBackedPCM(name: "dictation", rawFile: raw, in: cli.directory)
        let live = try cli.run(
            ["dictate", "--accession", "DONE1", "--template", Self.template, "--device", pcm.name, "--end-silence", "1.5"],
            environment: pcm.environment
        )
        #expect(live.exitCode == 0, "\(live.stderr)")
        #expect(try Self.sql(cli.database, "SELECT state FROM dictation_captures") == "saved")
        #expect(try Self.sql(cli.database, "SELECT COUNT(*) FROM dictation_capture_chunks") == "0")
        #expect((try cli.reportJSON("DONE1")["audioSeconds"] as? Double ?? 0) > 3)
        let recover = try cli.run(["dictation", "recover"])
        #expect(recover.exitCode == 0 && recover.stderr.contains("no interrupted dictation"))
    }

    /// A tmpfs of `kilobytes` mounted for the test (root only), or nil where mounting is not permitted.
    static func mountTmpfs(kilobytes: Int) throws -> URL? {
        let directory = try ProjectPaths.temporaryDirectory("tmpfs")
        let mounted = try ProcessRunner.run(tool: "mount", ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", directory.path])
        return mounted.exitCode == 0 ? directory : nil
    }

    static let canMount: Bool = {
        guard let directory = try? mountTmpfs(kilobytes: 64) else { return false }
        _ = try? ProcessRunner.run(tool: "umount", [directory.path])
        return true
    }()

    @Test("a full disk: exit 74, a clear message, the database unchanged and consistent", .enabled(if: canMount))
    func fullDisk() throws {
        let cli = try CLIHarness("crash-full")
        let wav = try cli.synthesize("chest-left-effusion")
        guard let mount = try Self.mountTmpfs(kilobytes: 32_768) else { return }
        defer { _ = try? ProcessRunner.run(tool: "umount", [mount.path]) }
        let database = mount.appendingPathComponent("radscribe.sqlite")
        let first = try ProcessRunner.radscribe(
            ["dictate", "--accession", "FULL0", "--template", Self.template, "--script",
             try write("findings period no acute fracture period", in: cli.directory), "--db", database.path]
        )
        #expect(first.exitCode == 0, "\(first.stderr)")
        let before = try ProcessRunner.run(tool: "sqlite3", [database.path, ".dump"]).stdout
        // Fill the file system but for 64 kB: the dictation's audio (about 400 kB) cannot fit.
        let free = (try FileManager.default.attributesOfFileSystem(forPath: mount.path)[.systemFreeSize] as? Int) ?? 0
        let filler = mount.appendingPathComponent("filler")
        #expect(FileManager.default.createFile(atPath: filler.path, contents: Data(count: max(0, free - 65_536))))

        let result = try ProcessRunner.radscribe(
            ["dictate", "--accession", "FULL1", "--template", Self.template, "--audio", wav.path, "--db", database.path]
        )
        #expect(result.exitCode == 74, "exit \(result.exitCode): \(result.stderr)")
        #expect(result.stderr.contains("full"), "\(result.stderr)")
        #expect(try ProcessRunner.run(tool: "sqlite3", [database.path, ".dump"]).stdout == before, "nothing half-written")
        #expect(try Self.sql(database, "PRAGMA integrity_check") == "ok")
    }

    @Test("a read-only file system: exit 74, a clear message, the database unchanged", .enabled(if: canMount))
    func readOnlyFileSystem() throws {
        let cli = try CLIHarness("crash-ro")
        guard let mount = try Self.mountTmpfs(kilobytes: 16_384) else { return }
        defer { _ = try? ProcessRunner.run(tool: "umount", [mount.path]) }
        let database = mount.appendingPathComponent("radscribe.sqlite")
        let script = try write("findings period no acute fracture period", in: cli.directory)
        let first = try ProcessRunner.radscribe(
            ["dictate", "--accession", "RO0", "--template", Self.template, "--script", script, "--db", database.path]
        )
        #expect(first.exitCode == 0, "\(first.stderr)")
        let before = try ProcessRunner.run(tool: "sqlite3", [database.path, ".dump"]).stdout
        let remount = try ProcessRunner.run(tool: "mount", ["-o", "remount,ro", mount.path])
        #expect(remount.exitCode == 0, "\(remount.stderr)")

        let result = try ProcessRunner.radscribe(
            ["dictate", "--accession", "RO1", "--template", Self.template, "--script", script, "--db", database.path]
        )
        #expect(result.exitCode == 74, "exit \(result.exitCode): \(result.stderr)")
        #expect(result.stderr.contains("read-only") || result.stderr.contains("writable"), "\(result.stderr)")
        _ = try ProcessRunner.run(tool: "mount", ["-o", "remount,rw", mount.path])
        #expect(try ProcessRunner.run(tool: "sqlite3", [database.path, ".dump"]).stdout == before, "nothing changed")
    }
}

private func write(_ text: String, in directory: URL) throws -> String {
    let file = directory.appendingPathComponent("script-\(UUID().uuidString.prefix(6)).txt")
    try text.write(to: file, atomically: true, encoding: .utf8)
    return file.path
}
