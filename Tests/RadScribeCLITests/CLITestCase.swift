import Foundation
import Testing
import TestSupport

/// A scratch database and helpers for driving the `radscribe` binary as a user would.
struct CLIHarness {
    let directory: URL
    let database: URL

    init(_ label: String) throws {
        directory = try ProjectPaths.temporaryDirectory(label)
        database = directory.appendingPathComponent("radscribe.sqlite")
    }

    /// Runs `radscribe ARGS --db <scratch db>` (the database option goes only to commands that take it).
    func run(_ arguments: [String], environment: [String: String] = [:], withDatabase: Bool = true,
             currentDirectory: URL? = nil) throws -> ProcessResult
    {
        try ProcessRunner.radscribe(
            arguments + (withDatabase ? ["--db", database.path] : []),
            environment: environment,
            currentDirectory: currentDirectory
        )
    }

    /// A full SQL dump of the scratch database: equal dumps mean nothing changed.
    func dump() throws -> String {
        let result = try ProcessRunner.run(tool: "sqlite3", [database.path, ".dump"])
        #expect(result.exitCode == 0, "sqlite3: \(result.stderr)")
        return result.stdout
    }

    static func fixture(_ name: String) throws -> String {
        let url = ProjectPaths.root.appendingPathComponent("Tests/RadScribeCLITests/Fixtures/dictations/\(name).txt")
        return try String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Speaks a fixture dictation into a WAV in the scratch folder.
    func synthesize(_ fixture: String, voice: TestVoice = .fliteSLT, rate: Int = 16000, channels: Int = 1) throws -> URL {
        try SpeechSynthesizer.synthesize(
            try Self.fixture(fixture),
            voice: voice,
            to: directory.appendingPathComponent("\(fixture)-\(voice.rawValue)-\(rate)-\(channels).wav"),
            rate: rate,
            channels: channels
        )
    }

    /// `report show --json`, decoded.
    func reportJSON(_ accession: String) throws -> [String: Any] {
        let result = try run(["report", "show", accession, "--json"])
        #expect(result.exitCode == 0, "report show: \(result.stderr)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
    }

    /// Every result frozen in the outbox must pass hl7apy strict validation: a strict RIS would refuse it and stop
    /// the queue behind it.
    func expectFrozenResultsValid(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let dump = try ProcessRunner.run(
            tool: "sqlite3", ["-json", database.path, "SELECT payload FROM hl7_outbox WHERE payload IS NOT NULL"]
        )
        let rows = (try? JSONSerialization.jsonObject(with: Data(dump.stdout.utf8))) as? [[String: Any]] ?? []
        let payloads = rows.compactMap { $0["payload"] as? String }
        guard !payloads.isEmpty else { return }
        let verdict = try StrictHL7.validate(payloads)
        #expect(verdict.passed, "hl7apy strict refuses a frozen ORU: \(verdict.output)", sourceLocation: sourceLocation)
    }

    func sectionText(_ report: [String: Any], _ key: String) -> String {
        let sections = report["sections"] as? [[String: Any]] ?? []
        return (sections.first { $0["key"] as? String == key }?["text"] as? String) ?? ""
    }
}
