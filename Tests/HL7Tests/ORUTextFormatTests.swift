import Foundation
import HL7
import RadScribeCore
import Testing
import TestSupport

@Suite("TX messages rendered as FT for FT destinations", .serialized, .integration, .tags(.validators))
struct ORUTextFormatTests {
    static func tx(_ text: String, findings: [ReportFinding] = []) -> String {
        let sections = [
            ReportSection(key: "findings", title: "Findings", loincCode: "18782-3", loincName: nil, text: text),
            ReportSection(key: "impression", title: "Impression", loincCode: "19005-8", loincName: nil, text: "Normal."),
        ]
        var report = SampleReports.report(status: .final, signedBy: "RAD042", sections: sections)
        report.findings = findings
        return SampleReports.builder.build(report, controlID: "FT1", at: SampleReports.reportTime).er7
    }

    @Test("lines become \\.br\\ breaks; everything but OBX-2/OBX-5 of narrative rows is unchanged; deterministic")
    func rendersLines() throws {
        let tx = Self.tx("Line one | a&b\n  indented\n\nafter a blank line")
        let ft = ORUTextFormat.formattedText(fromText: tx)
        #expect(ft == ORUTextFormat.formattedText(fromText: tx), "a pure function: the same bytes on every resend")
        #expect(ORUTextFormat.render(tx, as: .text) == tx)
        let txSegments = tx.split(separator: "\r").map(String.init)
        let ftSegments = ft.split(separator: "\r").map(String.init)
        #expect(txSegments.count == ftSegments.count)
        #expect(ft.hasSuffix("\r"))
        for (a, b) in zip(txSegments, ftSegments) where !a.hasPrefix("OBX") {
            #expect(a == b)
        }
        let findings = try #require(ftSegments.first { $0.contains("18782-3") })
        #expect(findings.hasPrefix("OBX|1|FT|18782-3"))
        #expect(findings.contains("|Line one \\F\\ a\\T\\b\\.br\\  indented\\.br\\\\.br\\after a blank line|"))
        let verdict = try HL7Validator.validate(ft, name: "ft-lines")
        #expect(verdict.passed, "\(verdict.output)")
    }

    @Test("rows are filled up to 199 bytes at line boundaries (hl7apy strict), OBX-1 and OBX-4 renumbered")
    func splitsIntoRows() throws {
        let text = (1...30).map { String(format: "line %02d: ", $0) + String(repeating: "x", count: 50) }
            .joined(separator: "\n")
        let tx = Self.tx(text, findings: [
            ReportFinding(conceptID: "C1", term: "pleural effusion", presence: .present, laterality: .left)
        ])
        let ft = ORUTextFormat.formattedText(fromText: tx)
        let rows = ft.split(separator: "\r").filter { $0.hasPrefix("OBX|") }.map {
            $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        }
        #expect(rows.map { $0[1] } == (1...rows.count).map(String.init))
        let findingRows = rows.filter { $0[3].hasPrefix("18782-3") }
        #expect(findingRows.count == 10)  // three 59-byte lines and two \.br\ fit in 199 bytes
        #expect(findingRows.map { $0[4] } == (1...10).map(String.init))
        #expect(findingRows.allSatisfy { $0[2] == "FT" && $0[5].utf8.count <= 199 })
        let lines = findingRows.flatMap { $0[5].components(separatedBy: "\\.br\\") }
        #expect(lines == text.components(separatedBy: "\n"))
        // Coded rows keep their type and grouping sub-ID.
        let coded = rows.filter { $0[3].hasPrefix("121071") }
        #expect(coded.count == 1 && coded[0][2] == "CE" && coded[0][4] == "1")
        let verdict = try HL7Validator.validate(ft, name: "ft-rows")
        #expect(verdict.passed, "\(verdict.output)")

        // A receiver that takes long FT values: one row.
        let long = ORUTextFormat.formattedText(fromText: tx, maxObservationLength: 65_536)
        #expect(long.split(separator: "\r").filter { $0.contains("|FT|18782-3") }.count == 1)
    }
}
