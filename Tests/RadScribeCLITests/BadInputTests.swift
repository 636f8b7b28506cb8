import Foundation
import Testing
import TestSupport

/// Every bad input: a clear one-line error, a non-zero exit code, and the database exactly as it was.
@Suite("Bad input is refused and changes nothing", .integration, .tags(.speech))
struct BadInputTests {
    static let template = "chest-radiograph-2-views"

    /// A database holding one draft (GOOD1), made by dictating a script.
    private func harnessWithDraft() throws -> CLIHarness {
        let cli = try CLIHarness("bad-input")
        let script = cli.directory.appendingPathComponent("script.txt")
        try "findings colon no pneumothorax period\nimpression colon normal chest period\n"
            .write(to: script, atomically: true, encoding: .utf8)
        let made = try cli.run([
            "dictate", "--accession", "GOOD1", "--template", Self.template, "--script", script.path,
            "--mrn", "MRN-G1", "--patient-name", "DOE^JOHN",
        ])
        #expect(made.exitCode == 0, "\(made.stderr)")
        let user = try cli.run(["user", "add", "drsmith", "--role", "radiologist"])
        #expect(user.exitCode == 0, "\(user.stderr)")
        return cli
    }

    private func expectRefused(
        _ cli: CLIHarness, _ arguments: [String], exitCode: Int32, mentioning phrase: String,
        environment: [String: String] = [:]
    ) throws {
        let before = try cli.dump()
        let result = try cli.run(arguments, environment: environment)
        #expect(result.exitCode == exitCode, "\(arguments): exit \(result.exitCode), stderr \(result.stderr)")
        let errorLines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errorLines.count == 1, "one error line: \(result.stderr)")
        #expect(result.stderr.contains(phrase), "\(arguments): \(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"), "no crash")
        #expect(try cli.dump() == before, "database unchanged by \(arguments)")
    }

    @Test("unreadable audio: truncated, µ-law, empty, missing")
    func badAudio() throws {
        let cli = try harnessWithDraft()
        let good = try cli.synthesize("chest-left-effusion")
        let data = try Data(contentsOf: good)
        let truncated = cli.directory.appendingPathComponent("truncated.wav")
        try data.prefix(data.count / 3).write(to: truncated)
        let empty = cli.directory.appendingPathComponent("empty.wav")
        try Data().write(to: empty)
        let muLaw = try SpeechSynthesizer.synthesize(
            "no pneumothorax", to: cli.directory.appendingPathComponent("ulaw.wav"), rate: 8000, bits: 8, encoding: "mu-law"
        )
        let dictate = ["dictate", "--accession", "BAD1", "--template", Self.template, "--audio"]
        try expectRefused(cli, dictate + [truncated.path], exitCode: 65, mentioning: "truncated")
        try expectRefused(cli, dictate + [muLaw.path], exitCode: 65, mentioning: "µ-law")
        try expectRefused(cli, dictate + [empty.path], exitCode: 65, mentioning: "empty")
        try expectRefused(cli, dictate + ["/nonexistent/d.wav"], exitCode: 66, mentioning: "/nonexistent/d.wav")
    }

    @Test("unknown template")
    func unknownTemplate() throws {
        let cli = try harnessWithDraft()
        let wav = try cli.synthesize("chest-left-effusion")
        try expectRefused(
            cli, ["dictate", "--accession", "BAD2", "--template", "no-such-template", "--audio", wav.path],
            exitCode: 66, mentioning: "no template 'no-such-template'"
        )
    }

    @Test("an accession that does not exist, for show, sign and oru")
    func unknownAccession() throws {
        let cli = try harnessWithDraft()
        try expectRefused(cli, ["report", "show", "NOPE9"], exitCode: 66, mentioning: "NOPE9")
        // Outbox states are a closed set: a wrong one is a usage error that lists the right ones.
        let badState = try cli.run(["hl7", "queue", "--state", "bogus"])
        #expect(badState.exitCode == 64 && badState.stderr.contains("'pending', 'sent', 'failed'"), "\(badState.stderr)")
        // The command line adds what to type next; the store's own message (what the web shows) names no command.
        try expectRefused(cli, ["report", "show", "NOPE9"], exitCode: 66, mentioning: "radscribe dictate --accession NOPE9")
        try expectRefused(cli, ["report", "sign", "NOPE9", "--as", "drsmith"], exitCode: 66, mentioning: "NOPE9")
        try expectRefused(cli, ["hl7", "oru", "NOPE9"], exitCode: 66, mentioning: "NOPE9")
    }

    @Test("signing twice")
    func signTwice() throws {
        let cli = try harnessWithDraft()
        let first = try cli.run(["report", "sign", "GOOD1", "--as", "drsmith"])
        #expect(first.exitCode == 0, "\(first.stderr)")
        try expectRefused(cli, ["report", "sign", "GOOD1", "--as", "drsmith"], exitCode: 1, mentioning: "already final")
    }

    @Test("users are held to their roles; unknown users, duplicates and illegal transitions are refused")
    func rolesAndTransitions() throws {
        let cli = try harnessWithDraft()
        #expect(try cli.run(["user", "add", "tina", "--role", "transcriptionist"]).exitCode == 0)
        try expectRefused(cli, ["report", "sign", "GOOD1", "--as", "tina"], exitCode: 77, mentioning: "transcriptionist")
        try expectRefused(cli, ["report", "sign", "GOOD1", "--as", "ghost"], exitCode: 66, mentioning: "no user named 'ghost'")
        try expectRefused(cli, ["report", "cancel", "GOOD1", "--as", "tina"], exitCode: 77, mentioning: "may not")
        try expectRefused(cli, ["user", "add", "drsmith", "--role", "resident"], exitCode: 1, mentioning: "already exists")
        let badRole = try cli.run(["user", "add", "x", "--role", "wizard"])
        #expect(badRole.exitCode == 64 && badRole.stderr.contains("wizard"), "\(badRole.stderr)")
        try expectRefused(
            cli, ["order", "add", "--accession", "GOOD1", "--mrn", "M", "--patient-name", "A^B", "--procedure-code", "P",
                  "--procedure-name", "P", "--modality", "CR"],
            exitCode: 1, mentioning: "already exists"
        )
        try expectRefused(cli, ["restore", "/nonexistent/backup.sqlite"], exitCode: 65, mentioning: "no backup file")

        // An edit made on a version that is no longer the newest is refused, and saves nothing.
        let shown = try cli.run(["report", "show", "GOOD1", "--json"])
        let json = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
        let version = try #require(json?["version"] as? Int, "\(shown.stdout)")
        #expect(try cli.run(["report", "edit", "GOOD1", "--section", "findings", "--text", "First.", "--based-on",
                             String(version), "--as", "drsmith"]).exitCode == 0)
        try expectRefused(
            cli, ["report", "edit", "GOOD1", "--section", "findings", "--text", "Second.", "--based-on", String(version),
                  "--as", "drsmith"],
            exitCode: 1, mentioning: "nothing was saved"
        )
        #expect(try cli.run(["report", "show", "GOOD1"]).stdout.contains("First."))

        #expect(try cli.run(["report", "sign", "GOOD1", "--as", "drsmith"]).exitCode == 0)
        try expectRefused(
            cli, ["report", "edit", "GOOD1", "--section", "findings", "--text", "Changed.", "--as", "drsmith"],
            exitCode: 1, mentioning: "addendum or a correction"
        )
        try expectRefused(
            cli, ["report", "addendum", "GOOD1", "--text", "More.", "--as", "tina"], exitCode: 77, mentioning: "addendum"
        )
    }

    @Test("a missing ALSA device")
    func missingDevice() throws {
        let cli = try harnessWithDraft()
        try expectRefused(
            cli, ["dictate", "--accession", "BAD3", "--template", Self.template, "--device", "radscribe_missing_pcm"],
            exitCode: 69, mentioning: "audio device 'radscribe_missing_pcm' not found"
        )
    }
}
