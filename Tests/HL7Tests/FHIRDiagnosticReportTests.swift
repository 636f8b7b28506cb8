import Foundation
import HL7
import RadScribeCore
import Testing
import TestSupport

@Suite("FHIR R4 DiagnosticReport export", .serialized, .integration, .tags(.validators))
struct FHIRDiagnosticReportTests {
    static func validate(_ json: [String]) throws -> (passed: Bool, output: String) {
        let dir = try ProjectPaths.temporaryDirectory("fhir")
        defer { try? FileManager.default.removeItem(at: dir) }
        var paths: [String] = []
        for (index, text) in json.enumerated() {
            let file = dir.appendingPathComponent("report\(index).json")
            try Data(text.utf8).write(to: file)
            paths.append(file.path)
        }
        let script = ProjectPaths.root.appendingPathComponent("scripts/fhir_validate.py")
        let result = try ProcessRunner.run(ProjectPaths.python, [script.path] + paths)
        return (result.exitCode == 0, result.stdout + result.stderr)
    }

    @Test("every status maps per IHE IMR and validates against fhir.resources R4B")
    func validates() throws {
        var documents: [String] = []
        for status in [ReportStatus.draft, .preliminary, .final, .corrected, .addended, .cancelled] {
            var report = ORUVariantsTests.snapshot(status)
            report.order.patient.familyName = "Müller"
            documents.append(try FHIRDiagnosticReport.json(for: report, patientIDSystem: "urn:oid:1.2.3.4"))
        }
        let verdict = try Self.validate(documents)
        #expect(verdict.passed, "\(verdict.output)")
        #expect(verdict.output.components(separatedBy: "OK ").count - 1 == documents.count, "\(verdict.output)")
    }

    @Test("fields: status, identifier, code, dates, interpreter, conclusion, presentedForm")
    func mapping() throws {
        let report = ORUVariantsTests.snapshot(.addended)
        let resource = FHIRDiagnosticReport.resource(for: report)
        #expect(resource["status"] as? String == "appended")
        #expect(FHIRDiagnosticReport.status(of: .final) == "final")
        #expect(FHIRDiagnosticReport.status(of: .corrected) == "corrected")
        #expect(FHIRDiagnosticReport.status(of: .cancelled) == "cancelled")
        let identifier = try #require((resource["identifier"] as? [[String: Any]])?.first)
        #expect(identifier["value"] as? String == "ACC20250102-0042")
        let codings = try #require((resource["code"] as? [String: Any])?["coding"] as? [[String: Any]])
        #expect(codings.map { $0["code"] as? String } == ["18748-4", "CXR2V"])
        #expect(resource["effectiveDateTime"] as? String == "2025-01-02T10:00:00Z")
        #expect(resource["issued"] as? String == "2025-01-02T10:45:00Z")
        #expect(resource["conclusion"] as? String == "No acute cardiopulmonary disease.")
        let form = try #require((resource["presentedForm"] as? [[String: Any]])?.first)
        let encoded = try #require(form["data"] as? String)
        let text = String(decoding: try #require(Data(base64Encoded: encoded)), as: UTF8.self)
        #expect(text.contains("FINDINGS\nThe lungs are clear.") && text.contains("ADDENDUM\n"))
        let conclusionCodes = try #require(resource["conclusionCode"] as? [[String: Any]])
        #expect(conclusionCodes.count == 1)  // only the finding asserted present
        let subject = try #require(resource["subject"] as? [String: Any])
        #expect((subject["identifier"] as? [String: Any])?["value"] as? String == "MRN-000123")
    }

    @Test("the validator rejects a bad status and a missing code")
    func rejects() throws {
        let good = try FHIRDiagnosticReport.json(for: ORUVariantsTests.snapshot(.final))
        let badStatus = good.replacingOccurrences(of: "\"status\" : \"final\"", with: "\"status\" : \"signed\"")
        #expect(badStatus != good)
        var object = try #require(try JSONSerialization.jsonObject(with: Data(good.utf8)) as? [String: Any])
        object.removeValue(forKey: "code")
        let noCode = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        for document in [badStatus, noCode] {
            let verdict = try Self.validate([document])
            #expect(!verdict.passed, "\(verdict.output)")
        }
    }
}
