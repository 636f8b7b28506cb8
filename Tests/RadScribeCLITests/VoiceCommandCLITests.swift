import Foundation
import Testing
import TestSupport

@Suite("Voice commands and checks through the CLI")
struct VoiceCommandCLITests {
    static let template = "chest-radiograph-2-views"

    private func script(_ cli: CLIHarness, _ lines: [String]) throws -> String {
        let url = cli.directory.appendingPathComponent("script-\(UUID().uuidString.prefix(6)).txt")
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test("dictate --script applies commands: fields, insert normal, select, scratch that")
    func scriptCommands() throws {
        let cli = try CLIHarness("cli-commands")
        let path = try script(cli, [
            "findings", "insert normal", "go to pleura", "small left pleural effusion period", "scratch that",
            "small right pleural effusion period", "next field", "select mildly enlarged", "go to impression",
            "mild cardiomegaly period", "save draft",
        ])
        let result = try cli.run(["dictate", "--accession", "VC1", "--template", Self.template, "--script", path])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let findings = cli.sectionText(try cli.reportJSON("VC1"), "findings")
        #expect(findings.contains("Pleura: Small right pleural effusion."), "\(findings)")
        #expect(findings.contains("Heart and mediastinum: The heart is mildly enlarged."), "\(findings)")
        #expect(findings.contains("Lungs: Clear."), "\(findings)")
        #expect(!findings.contains("left"), "\(findings)")
    }

    @Test("report check prints the problems and exits 1 when one blocks; \"sign report\" without --as keeps the draft")
    func checkAndSignRequest() throws {
        let cli = try CLIHarness("cli-check")
        let path = try script(cli, ["findings colon there is a large right pneumothorax period", "sign report"])
        let dictated = try cli.run(["dictate", "--accession", "CK1", "--template", Self.template, "--script", path])
        #expect(dictated.exitCode == 0, "\(dictated.stderr)")
        #expect(dictated.stderr.contains("sign report"), "tells the user how to sign: \(dictated.stderr)")
        #expect(try cli.reportJSON("CK1")["status"] as? String == "draft")

        let check = try cli.run(["report", "check", "CK1"])
        #expect(check.exitCode == 1, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("BLOCKING [impression]"), "\(check.stdout)")
        #expect(check.stdout.contains("CRITICAL [critical-finding]") && check.stdout.contains("pneumothorax"), "\(check.stdout)")

        let fixed = try script(cli, ["impression colon right pneumothorax period"])
        _ = try cli.run([
            "dictate", "--accession", "CK2", "--template", Self.template, "--script", fixed, "--mrn", "MRN-C2",
            "--patient-name", "DOE^JOHN",
        ])
        let clean = try cli.run(["report", "check", "CK2"])
        #expect(clean.exitCode == 0, "\(clean.stdout)\(clean.stderr)")
    }

    @Test("report sign refuses a report with blocking problems unless --force")
    func signRefuses() throws {
        let cli = try CLIHarness("cli-sign-gate")
        let path = try script(cli, ["findings colon no pneumothorax period"])
        _ = try cli.run(["dictate", "--accession", "SG1", "--template", Self.template, "--script", path])
        // A registered radiologist: the lifecycle (who may sign) speaks before the checks, as on the web.
        #expect(try cli.run(["user", "add", "drsmith", "--role", "radiologist"]).exitCode == 0)
        let refused = try cli.run(["report", "sign", "SG1", "--as", "drsmith"])
        #expect(refused.exitCode == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("not signed") && refused.stderr.contains("--force"), "\(refused.stderr)")
        #expect(try cli.reportJSON("SG1")["status"] as? String == "draft")
    }

    @Test("grammar build writes the field grammars and every word is in the dictionary")
    func grammarBuild() throws {
        let cli = try CLIHarness("cli-grammar")
        let output = cli.directory.appendingPathComponent("Grammars")
        let result = try cli.run(["grammar", "build", "--output", output.path], withDatabase: false)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let file = output.appendingPathComponent("\(Self.template)/findings-heart-mediastinum.gram")
        let committed = ProjectPaths.root.appendingPathComponent("Grammars/\(Self.template)/findings-heart-mediastinum.gram")
        #expect(try String(contentsOf: file, encoding: .utf8) == String(contentsOf: committed, encoding: .utf8))
    }
}
