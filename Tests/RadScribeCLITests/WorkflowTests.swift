import Foundation
import Testing
import TestSupport

/// Worklist to final report and beyond, through the binary, as the users of each role would drive it.
@Suite("Worklist, roles, history, search, backup", .integration, .tags(.validators))
struct WorkflowTests {
    private func expectSuccess(_ cli: CLIHarness, _ arguments: [String]) throws -> String {
        let result = try cli.run(arguments)
        #expect(result.exitCode == 0, "\(arguments): \(result.stderr)")
        return result.stdout
    }

    @Test("orders, worklist, correction, preliminary and final signatures, addendum, history, search, stats")
    func workflow() throws {
        let cli = try CLIHarness("workflow")
        _ = try expectSuccess(cli, ["user", "add", "drsmith", "--role", "attending"])
        _ = try expectSuccess(cli, ["user", "add", "drres", "--role", "resident"])
        let withPassword = try ProcessRunner.radscribe(
            ["user", "add", "tina", "--role", "transcriptionist", "--password-stdin", "--db", cli.database.path],
            stdin: Data("s3cret-passw0rd\n".utf8)
        )
        #expect(withPassword.exitCode == 0, "\(withPassword.stderr)")
        let users = try expectSuccess(cli, ["user", "list"])
        #expect(users.contains("drsmith\tradiologist\tno-password") && users.contains("tina\ttranscriptionist\tpassword"))
        #expect(!(try cli.dump()).contains("s3cret-passw0rd"), "only the bcrypt hash is stored")

        let order = ["--mrn", "MRN9", "--patient-name", "ROE^ANN", "--procedure-code", "CT-HEAD",
                     "--procedure-name", "CT head", "--scheduled", "2027-01-15T09:00:00Z"]
        _ = try expectSuccess(cli, ["order", "add", "--accession", "W1", "--modality", "CT"] + order)
        _ = try expectSuccess(
            cli, ["order", "add", "--accession", "W2", "--modality", "MR", "--priority", "stat", "--assign", "drsmith"] + order
        )
        let worklist = try expectSuccess(cli, ["worklist"]).split(separator: "\n")
        #expect(worklist.map { $0.split(separator: "\t")[1] } == ["W2", "W1"], "STAT first")
        #expect(worklist.first?.hasPrefix("STAT\tW2\tscheduled\tMR") == true)
        #expect(try expectSuccess(cli, ["worklist", "--modality", "ct"]).hasPrefix("ROUTINE\tW1"))
        #expect(try expectSuccess(cli, ["worklist", "--assigned-to", "drsmith"]).split(separator: "\n").count == 1)
        #expect(try expectSuccess(cli, ["worklist", "--status", "draft"]).isEmpty)
        #expect(try expectSuccess(cli, ["worklist", "--date", "2027-01-15"]).split(separator: "\n").count == 2)

        let script = cli.directory.appendingPathComponent("script.txt")
        try "findings colon small left pleural effusion period\nimpression colon effusion period\n"
            .write(to: script, atomically: true, encoding: .utf8)
        _ = try expectSuccess(cli, [
            "dictate", "--accession", "D1", "--template", "chest-radiograph-2-views", "--script", script.path,
            "--author", "drres", "--mrn", "MRN-D1", "--patient-name", "ROE^ANN",
        ])
        _ = try expectSuccess(cli, ["report", "send-for-correction", "D1", "--as", "drres"])
        _ = try expectSuccess(cli, [
            "report", "edit", "D1", "--section", "findings", "--text", "Small left pleural effusion.", "--as", "tina",
        ])
        #expect(try expectSuccess(cli, ["report", "sign", "D1", "--as", "drres"]).contains("as preliminary by drres"))
        #expect(try expectSuccess(cli, ["report", "sign", "D1", "--as", "drsmith"]).contains("as final by drsmith"))
        _ = try expectSuccess(cli, ["report", "addendum", "D1", "--text", "Compared with prior.", "--as", "drsmith"])

        let history = try expectSuccess(cli, ["report", "history", "D1", "--as", "drsmith"])
        let versions = history.split(separator: "\n").filter { $0.hasPrefix("v") }
        #expect(versions.count == 6, "\(history)")
        #expect(versions.first?.contains("draft save-draft by drres (resident) from script") == true)
        #expect(versions[2].contains("corrected-draft correct by tina (transcriptionist) from transcriptionist"))
        #expect(history.contains("+ ADDENDUM:"), "\(history)")

        let oru = try expectSuccess(cli, ["hl7", "oru", "D1", "--as", "drsmith"])
        let obr = try #require(oru.split(separator: "\r").first { $0.hasPrefix("OBR|") })
        #expect(obr.split(separator: "|", omittingEmptySubsequences: false)[25] == "C")

        let hits = try expectSuccess(cli, ["report", "search", "pleural effusions", "--as", "drsmith"])
        #expect(hits.hasPrefix("D1\taddended\tCR\t"), "\(hits)")
        #expect(try expectSuccess(cli, ["report", "search", "pleural", "--status", "draft"]).isEmpty)

        let stats = try expectSuccess(cli, ["stats"])
        #expect(stats.split(separator: "\n").dropFirst().first?.hasPrefix("drsmith\tCR\t1\t") == true, "\(stats)")

        let audit = try ProcessRunner.run(tool: "sqlite3", [cli.database.path, "SELECT user_name, action FROM audit_log WHERE accession = 'D1'"])
        #expect(audit.stdout.contains("drsmith|export") && audit.stdout.contains("drsmith|sign") && audit.stdout.contains("tina|change"))

        let backup = cli.directory.appendingPathComponent("backup.sqlite")
        _ = try expectSuccess(cli, ["backup", backup.path])
        _ = try expectSuccess(cli, ["report", "cancel", "D1", "--as", "drsmith"])
        #expect(try expectSuccess(cli, ["report", "show", "D1"]).contains("Status: cancelled"))
        _ = try expectSuccess(cli, ["restore", backup.path])
        #expect(try expectSuccess(cli, ["report", "show", "D1"]).contains("Status: addended"))
        // Preliminary, final, corrected, addended and cancelled results: all pass a strict RIS's validator.
        try cli.expectFrozenResultsValid()
    }
}
