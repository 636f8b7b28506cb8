import Foundation
import Testing
import TestSupport

@Suite("Sign and ORU", .integration, .tags(.speech, .validators))
struct SignAndORUTests {
    @Test("the ORU of a signed report is final, names the radiologist and passes hl7apy strict validation")
    func signedORUValidates() throws {
        let cli = try CLIHarness("oru")
        let wav = try cli.synthesize("chest-left-effusion")
        let dictated = try cli.run([
            "dictate", "--accession", "ORU1", "--template", "chest-radiograph-2-views", "--audio", wav.path,
            "--mrn", "MRN42", "--patient-name", "DOE^JANE", "--birth-date", "19600101", "--sex", "F",
        ])
        #expect(dictated.exitCode == 0, "\(dictated.stderr)")

        let preliminary = try cli.run(["hl7", "oru", "ORU1"])
        #expect(preliminary.exitCode == 0, "\(preliminary.stderr)")
        let draftSegments = preliminary.stdout.split(separator: "\r").map(String.init)
        let draftOBR = try #require(draftSegments.first { $0.hasPrefix("OBR|") }).split(separator: "|", omittingEmptySubsequences: false)
        #expect(draftOBR[25] == "P")

        let user = try cli.run(["user", "add", "drsmith", "--role", "radiologist"])
        #expect(user.exitCode == 0, "\(user.stderr)")
        let signed = try cli.run(["report", "sign", "ORU1", "--as", "drsmith"])
        #expect(signed.exitCode == 0, "\(signed.stderr)")
        let oru = try cli.run(["hl7", "oru", "ORU1"])
        #expect(oru.exitCode == 0, "\(oru.stderr)")
        #expect(!oru.stdout.contains("\n"), "segments separated by CR only")
        let segments = oru.stdout.split(separator: "\r").map(String.init)
        #expect(segments.map { String($0.prefix(3)) }.prefix(5) == ["MSH", "PID", "PV1", "ORC", "OBR"])
        let obr = try #require(segments.first { $0.hasPrefix("OBR|") }).split(separator: "|", omittingEmptySubsequences: false)
        #expect(obr[25] == "F")
        #expect(obr[32].hasPrefix("drsmith"))
        let observations = segments.filter { $0.hasPrefix("OBX|") }
        #expect(observations.contains { $0.contains("18782-3") } && observations.contains { $0.contains("19005-8") })
        for obx in observations {
            #expect(obx.split(separator: "|", omittingEmptySubsequences: false)[11] == "F")
        }
        // Coded findings from the ontology follow the sections: the effusion present on the left, no pneumothorax.
        let coded = segments.filter { $0.hasPrefix("OBX|") && $0.contains("|CE|121071^") }
        let effusion = try #require(coded.first { $0.contains("pleural effusion") }, "\(segments)")
        #expect(effusion.split(separator: "|", omittingEmptySubsequences: false)[8] == "A")
        let effusionSubID = effusion.split(separator: "|", omittingEmptySubsequences: false)[4]
        #expect(segments.contains { $0.contains("LATERALITY") && $0.contains("|\(effusionSubID)|") && $0.contains("Left") })
        let pneumothorax = try #require(coded.first { $0.contains("pneumothorax") }, "\(segments)")
        #expect(pneumothorax.split(separator: "|", omittingEmptySubsequences: false)[8] == "N", "no pneumothorax: absent")

        let again = try cli.run(["hl7", "oru", "ORU1"])
        let controlID = { (text: String) in text.split(separator: "\r")[0].split(separator: "|", omittingEmptySubsequences: false)[9] }
        #expect(controlID(oru.stdout) != controlID(again.stdout), "MSH-10 unique per message")

        let messageFile = cli.directory.appendingPathComponent("oru.hl7")
        try Data(oru.stdout.utf8).write(to: messageFile)
        let python = ProjectPaths.python
        try #require(
            FileManager.default.isExecutableFile(atPath: python.path),
            "the Python venv with hl7apy is missing: run scripts/setup-python.sh"
        )
        let validation = try ProcessRunner.run(
            python, [ProjectPaths.root.appendingPathComponent("scripts/hl7_validate.py").path, messageFile.path]
        )
        #expect(validation.exitCode == 0, "hl7apy strict: \(validation.stdout)\(validation.stderr)")
        try cli.expectFrozenResultsValid()
    }

    @Test("a report whose order has no patient name cannot be signed, not even forced, until `order update` adds it")
    func demographicsBeforeSigning() throws {
        let cli = try CLIHarness("oru-demographics")
        let wav = try cli.synthesize("chest-left-effusion")
        let dictated = try cli.run([
            "dictate", "--accession", "NONAME1", "--template", "chest-radiograph-2-views", "--audio", wav.path,
        ])
        #expect(dictated.exitCode == 0, "\(dictated.stderr)")
        #expect(try cli.run(["user", "add", "drsmith", "--role", "radiologist"]).exitCode == 0)

        let check = try cli.run(["report", "check", "NONAME1"])
        #expect(check.exitCode == 1)
        #expect(check.stdout.contains("patient name (HL7 PID-5)"), "\(check.stdout)")
        #expect(check.stdout.contains("patient identifier"), "\(check.stdout)")
        let refused = try cli.run(["report", "sign", "NONAME1", "--as", "drsmith"])
        #expect(refused.exitCode != 0)
        let forced = try cli.run(["report", "sign", "NONAME1", "--as", "drsmith", "--force"])
        #expect(forced.exitCode != 0, "a forced signature must not queue an ORU a strict RIS refuses")
        #expect(forced.stderr.contains("PID-5") || forced.stderr.contains("PID-3"), "\(forced.stderr)")
        #expect(try cli.run(["hl7", "queue"]).stdout.contains("NONAME1") == false)

        let partial = try cli.run(["order", "update", "NONAME1", "--patient-name", "DOE^JANE"])
        #expect(partial.exitCode == 0, "\(partial.stderr)")
        #expect(partial.stdout.contains("still missing"), "\(partial.stdout)")
        let update = try cli.run(["order", "update", "NONAME1", "--mrn", "MRN77", "--birth-date", "19600101", "--sex", "F"])
        #expect(update.exitCode == 0, "\(update.stderr)")
        let signed = try cli.run(["report", "sign", "NONAME1", "--as", "drsmith"])
        #expect(signed.exitCode == 0, "\(signed.stderr)")
        try cli.expectFrozenResultsValid()
        #expect(try cli.run(["order", "update", "NONAME1", "--mrn", "MRN78"]).exitCode == 1, "a signed report's order stays")
        #expect(try cli.run(["order", "update", "NOSUCH", "--mrn", "MRN78"]).exitCode == 66)
    }
}
