import Foundation
import HL7
import RadScribeCore
import Testing
import TestSupport

/// Runs `scripts/hl7_validate.py` (hl7apy, strict, warnings are failures) from the project's venv.
enum HL7Validator {
    struct Verdict {
        var passed: Bool
        var output: String
    }

    static var script: URL { ProjectPaths.root.appendingPathComponent("scripts/hl7_validate.py") }

    /// Validates `er7`; records a test failure (never a skip) when the venv is missing.
    static func validate(_ er7: String, name: String = "message") throws -> Verdict {
        let python = ProjectPaths.python
        try #require(
            FileManager.default.isExecutableFile(atPath: python.path),
            "Python venv not found at \(python.path): run scripts/setup-python.sh"
        )
        let dir = try ProjectPaths.temporaryDirectory("hl7-validate")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("\(name).hl7")
        try Data(er7.utf8).write(to: file)
        let result = try ProcessRunner.run(python, [script.path, file.path])
        let output = result.stdout + result.stderr
        try #require(result.exitCode == 0 || result.exitCode == 1, "validator crashed: \(output)")
        return Verdict(passed: result.exitCode == 0, output: output)
    }
}

@Suite("ORU^R01 passes hl7apy strict validation", .serialized, .integration, .tags(.validators))
struct HL7ValidatorTests {
    static let builder = SampleReports.builder

    static func er7(_ report: ReportSnapshot) -> String {
        builder.build(report, controlID: MessageControlID.generate(), at: SampleReports.reportTime).er7
    }

    @Test("final and preliminary reports validate", arguments: [ReportStatus.final, .preliminary, .draft])
    func valid(status: ReportStatus) throws {
        let report = SampleReports.report(status: status, signedBy: status == .final ? "RAD042" : nil)
        let verdict = try HL7Validator.validate(Self.er7(report))
        #expect(verdict.passed, "\(verdict.output)")
        #expect(verdict.output.contains("OK "))
    }

    @Test("special characters, newlines, non-ASCII text and long sections validate")
    func difficultText() throws {
        let long = (1...12_000).map { "word\($0)" }.joined(separator: " ")  // ~100 KB: split into several OBX
        let sections = [
            ReportSection(
                key: "findings",
                title: "Findings",
                loincCode: "18782-3",
                loincName: "Radiology Study observation (narrative)",
                text: "a|b^c~d&e\\f \\F\\\r\n  indented\n\nÄrztlich: 5 mm Knoten, Größe ✓\n" + long
            ),
            ReportSection(key: "addendum note", title: "Addendum | note", loincCode: nil, loincName: nil, text: "x"),
        ]
        var order = SampleReports.order
        order.placerOrderNumber = "P|^~&\\1"
        order.patient.familyName = "O'Brien-Müller"
        let message = Self.builder.build(
            SampleReports.report(status: .final, signedBy: "RAD042", sections: sections, order: order),
            controlID: "DIFFICULT1",
            at: SampleReports.reportTime
        )
        #expect(message.segments(named: "OBX").count > 2)
        let verdict = try HL7Validator.validate(message.er7)
        #expect(verdict.passed, "\(verdict.output)")
    }

    @Test("LF-separated files are accepted")
    func lineFeeds() throws {
        let er7 = Self.er7(SampleReports.finalReport).replacingOccurrences(of: "\r", with: "\n")
        let verdict = try HL7Validator.validate(er7)
        #expect(verdict.passed, "\(verdict.output)")
    }

    @Test("the ORM choice-group false error is forgiven for ORM only")
    func ormWorkAround() throws {
        let orm = "MSH|^~\\&|EHR|GH|RADSCRIBE|RAD|20250102100000+0100||ORM^O01^ORM_O01|ORM1|P|2.5.1\r"
            + "PID|1||MRN-000123^^^GH^MR||Testperson^Alex||19700315|F\rPV1|1|O\r"
            + "ORC|NW|PLC-0778-A|ACC1||SC\rOBR|1|PLC-0778-A|ACC1|CXR2V^XR Chest 2 Views^L\r"
        let verdict = try HL7Validator.validate(orm)
        #expect(verdict.passed, "\(verdict.output)")
        // Only that one false error is forgiven: a real fault in the same ORM still fails.
        let broken = try HL7Validator.validate(orm.replacingOccurrences(of: "ORC|NW|", with: "ORC|QQ|"))
        #expect(!broken.passed)
        #expect(broken.output.contains("Value QQ not in table HL70119"), "\(broken.output)")
    }

    /// Edits that make a valid final report invalid, each of a kind hl7apy alone would let pass or report only in its
    /// warnings file.
    static let breakages: [(name: String, finding: String, edit: @Sendable (HL7Message) -> String)] = [
        ("OBX-11 = Z", "Value Z not in table HL70085", { replacingField(11, in: "OBX", with: "Z", $0) }),
        ("OBR-25 = Q", "Value Q not in table HL70123", { replacingField(25, in: "OBR", with: "Q", $0) }),
        ("OBX-2 = XX", "Value XX not in table HL70125", { replacingField(2, in: "OBX", with: "XX", $0) }),
        ("MSH-18 = UTF-8", "Value UTF-8 not in table HL70211", { replacingField(18, in: "MSH", with: "UTF-8", $0) }),
        ("OBX-11 missing", "Missing required child OBX.OBX_11", { replacingField(11, in: "OBX", with: "", $0) }),
        ("OBX before OBR", "E: order:", { message in
            var segments = message.segments
            let obr = segments.remove(at: 4)
            segments.insert(obr, at: 5)
            return HL7Message(segments: segments).er7
        }),
        ("ISO timestamp in MSH-7", "not an HL7 valid date", { replacingField(7, in: "MSH", with: "2025-01-02T11:45:00", $0) }),
        ("non-ASCII text with empty MSH-18", "MSH-18 (character set) is empty", { message in
            let ascii = try! HL7Message(parsing: replacingField(18, in: "MSH", with: "", message))
            return replacingField(5, in: "OBX", with: "Größe", ascii)
        }),
    ]

    @Test("the validator rejects broken messages, for the right reason", arguments: breakages.map(\.name))
    func rejects(breakage: String) throws {
        let message = SampleReports.builder.build(SampleReports.finalReport, controlID: "BAD1", at: SampleReports.reportTime)
        let breaking = try #require(Self.breakages.first { $0.name == breakage })
        let verdict = try HL7Validator.validate(breaking.edit(message))
        #expect(!verdict.passed, "\(breakage) was accepted: \(verdict.output)")
        #expect(verdict.output.contains("FAIL"))
        #expect(verdict.output.contains(breaking.finding), "\(verdict.output)")
    }

    /// The message with field `number` of the first `segment` set to raw `value`.
    static func replacingField(_ number: Int, in segment: String, with value: String, _ message: HL7Message) -> String {
        var segments = message.segments
        let index = segments.firstIndex { $0.name == segment }!
        var fields = (1...max(segments[index].fieldCount, number)).map { segments[index].field($0) }
        fields[number - 1] = value
        segments[index] = HL7Segment(segment, fields: fields)
        return HL7Message(segments: segments).er7
    }
}
