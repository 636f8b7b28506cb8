import Foundation
import HL7
import RadScribeCore
import Testing
import TestSupport

/// Every ORU^R01 variant the RIS receives: preliminary, final, corrected, addended (sent as C with a 55107-7
/// section), cancelled; TX and FT; coded findings; long reports.
@Suite("ORU^R01 variants", .serialized, .integration, .tags(.validators))
struct ORUVariantsTests {
    static let findings = [
        ReportFinding(conceptID: "RS0001", radlexID: "RID34539", term: "pleural effusion", presence: .absent),
        ReportFinding(conceptID: "RS0002", term: "pulmonary nodule", presence: .present, laterality: .right),
        ReportFinding(conceptID: "RS0003", radlexID: "RID5350", term: "pneumonia", presence: .uncertain,
            laterality: .bilateral),
    ]

    static func snapshot(_ status: ReportStatus) -> ReportSnapshot {
        var report = SampleReports.report(status: status, signedBy: status == .preliminary ? "RES007" : "RAD042")
        report.transcriptionist = "TR11"
        report.findings = findings
        if status == .addended {
            report.addendum = "2025-01-02 Dr Rad: comparison with outside CT: nodule stable."
        }
        return report
    }

    static let variants: [ReportStatus] = [.preliminary, .final, .corrected, .addended, .cancelled]

    static func builder(_ format: ORUBuilder.ObservationFormat) -> ORUBuilder {
        var builder = SampleReports.builder
        builder.observationFormat = format
        // hl7apy reads one OBX-5 as at most 199 characters: FT rows are kept within it.
        if format == .formattedText { builder.maxObservationLength = 199 }
        return builder
    }

    @Test("OBR-25 and every OBX-11 carry the variant's result status", arguments: variants)
    func statuses(status: ReportStatus) throws {
        let message = Self.builder(.text).build(Self.snapshot(status), controlID: "V1", at: SampleReports.reportTime)
        let expected = ["preliminary": "P", "final": "F", "corrected": "C", "addended": "C", "cancelled": "X"][status.rawValue]
        let obr = try #require(message.segment(named: "OBR"))
        #expect(obr.value(25) == expected)
        #expect(obr.value(24) == "RAD")
        #expect(obr.field(35) == "TR11&&&&&&")
        #expect(!obr.value(22).isEmpty && !obr.value(7).isEmpty)
        #expect(message.segments(named: "OBX").allSatisfy { $0.value(11) == expected })
        #expect(try #require(message.segment(named: "ORC")).value(1) == "RE")
        #expect(message.segment(named: "MSH").map { ORUBuilder.characterSets.contains($0.value(18)) } == true)
        let addendumRows = message.segments(named: "OBX").filter { $0.value(3) == "55107-7" }
        #expect(addendumRows.count == (status == .addended ? 1 : 0))
    }

    @Test("an addendum section stored by the lifecycle is coded 55107-7")
    func storedAddendumSection() throws {
        var sections = SampleReports.sections
        sections.append(ReportSection(key: "addendum", title: "Addendum", loincCode: nil, loincName: nil, text: "Late note."))
        let report = SampleReports.report(status: .addended, signedBy: "RAD042", sections: sections)
        let message = SampleReports.builder.build(report, controlID: "V2", at: SampleReports.reportTime)
        let rows = message.segments(named: "OBX").filter { $0.value(3) == "55107-7" }
        #expect(rows.count == 1)
        #expect(rows.first?.field(3) == "55107-7^Addendum^LN")
        #expect(rows.first?.value(11) == "C")
    }

    @Test("FT joins lines with \\.br\\ and keeps every row within the limit")
    func formattedText() throws {
        let message = Self.builder(.formattedText).build(Self.snapshot(.final), controlID: "V3", at: SampleReports.reportTime)
        let findings = message.segments(named: "OBX").filter { $0.value(3) == "18782-3" }
        #expect(findings.allSatisfy { $0.value(2) == "FT" })
        #expect(findings.first?.field(5) == "The lungs are clear.\\.br\\  No pleural effusion.\\.br\\\\.br\\Heart size normal.")
        #expect(message.segments(named: "OBX").allSatisfy { $0.field(5).utf8.count <= 199 })
        // Unescaping gives back the text, line breaks included.
        #expect(findings.first?.value(5) == "The lungs are clear.\n  No pleural effusion.\n\nHeart size normal.")
    }

    @Test("coded findings: CE rows with RadLex or local codes, presence and laterality")
    func codedFindings() throws {
        let message = SampleReports.builder.build(Self.snapshot(.final), controlID: "V4", at: SampleReports.reportTime)
        let coded = message.segments(named: "OBX").filter { $0.value(2) == "CE" }
        #expect(coded.map { $0.value(3) } == [
            "121071", "FINDING-CONTEXT", "121071", "FINDING-CONTEXT", "LATERALITY", "121071", "FINDING-CONTEXT",
            "LATERALITY",
        ])
        #expect(coded[0].field(5) == "RID34539^pleural effusion^RADLEX^RS0001^pleural effusion^L")
        #expect(coded[0].value(8) == "N")
        #expect(coded[1].field(5) == "410516002^Known absent^SCT")
        #expect(coded[2].field(5) == "RS0002^pulmonary nodule^L")
        #expect(coded[2].value(8) == "A")
        #expect(coded[4].field(5) == "24028007^Right^SCT")
        #expect(coded[5].value(8) == "")
        #expect(coded[6].field(5) == "410590009^Known possible^SCT")
        // Rows of one finding share OBX-4; OBX-1 keeps counting.
        #expect(coded.map { $0.value(4) } == ["1", "1", "2", "2", "2", "3", "3", "3"])
        let setIDs = message.segments(named: "OBX").map { Int($0.value(1)) }
        #expect(setIDs == Array(1...setIDs.count).map { Optional($0) })
    }

    @Test("every variant, TX and FT, long and coded, passes hl7apy strict validation")
    func validatesAll() throws {
        var messages: [String] = []
        let long = (1...9_000).map { "word\($0)" }.joined(separator: " ")
        for format in ORUBuilder.ObservationFormat.allCases {
            for status in Self.variants {
                var report = Self.snapshot(status)
                report.sections[0].text += "\nSpecial: a|b^c~d&e\\f Größe ✓\n" + long
                let message = Self.builder(format).build(report, controlID: "V\(format.rawValue)\(status.hl7ResultStatus)\(messages.count)", at: SampleReports.reportTime)
                #expect(message.segments(named: "OBX").filter { $0.value(3) == "18782-3" }.count > 1)
                messages.append(message.er7)
            }
        }
        let verdict = try HL7Validator.validate(messages.joined(), name: "oru-variants")
        #expect(verdict.passed, "\(verdict.output)")
        #expect(verdict.output.contains("\(messages.count) message(s), all valid"), "\(verdict.output)")
    }
}
