import Foundation
import HL7
import RadScribeCore
import Testing

@Suite("ORU^R01 builder")
struct ORUBuilderTests {
    let builder = SampleReports.builder

    func build(_ report: ReportSnapshot) -> HL7Message {
        builder.build(report, controlID: "CTRL0001", at: SampleReports.reportTime)
    }

    @Test("segments come in ORU^R01 order, separated by CR only")
    func layout() throws {
        let message = build(SampleReports.finalReport)
        // Four sections, one of them blank: three OBX.
        #expect(message.segments.map(\.name) == ["MSH", "PID", "PV1", "ORC", "OBR", "OBX", "OBX", "OBX"])
        #expect(message.er7.hasSuffix("\r"))
        #expect(!message.er7.contains("\n"))
        #expect(message.er7.split(separator: "\r").count == message.segments.count)
    }

    @Test("MSH carries type, version, control ID, processing ID and character set")
    func header() throws {
        let msh = try #require(build(SampleReports.finalReport).segment(named: "MSH"))
        #expect(msh.er7.hasPrefix("MSH|^~\\&|RADSCRIBE|RADIOLOGY|RIS|GENERAL_HOSPITAL|20250102114500+0100||"))
        #expect(msh.field(9) == "ORU^R01^ORU_R01")
        #expect(msh.value(10) == "CTRL0001")
        #expect(msh.value(11) == "T")
        #expect(msh.value(12) == "2.5.1")
        #expect(msh.value(18) == "UNICODE UTF-8")
    }

    @Test("PID and PV1 carry the patient and a minimal visit")
    func patient() throws {
        let message = build(SampleReports.finalReport)
        let pid = try #require(message.segment(named: "PID"))
        #expect(pid.field(3) == "MRN-000123^^^GH^MR")
        #expect(pid.field(5) == "Testperson^Alex")
        #expect(pid.field(7) == "19700315")
        #expect(pid.field(8) == "F")
        #expect(try #require(message.segment(named: "PV1")).field(2) == "O")
    }

    @Test("ORC and OBR echo placer and filler numbers exactly")
    func orderNumbers() throws {
        var order = SampleReports.order
        order.placerOrderNumber = "P/001 x-ä.9"
        order.fillerOrderNumber = "  F|00^2&~\\"
        let message = build(SampleReports.report(status: .final, signedBy: "RAD042", order: order))
        let orc = try #require(message.segment(named: "ORC"))
        let obr = try #require(message.segment(named: "OBR"))
        #expect(orc.field(1) == "RE")
        #expect(orc.field(5) == "CM")
        for segment in [orc, obr] {
            #expect(segment.value(2) == "P/001 x-ä.9")
            #expect(segment.value(3) == "  F|00^2&~\\")
        }
        #expect(obr.field(2) == "P/001 x-ä.9")
        #expect(obr.field(3) == "  F\\F\\00\\S\\2\\T\\\\R\\\\E\\")
    }

    @Test("OBR carries procedure, times, RAD and the interpreter")
    func request() throws {
        let obr = try #require(build(SampleReports.finalReport).segment(named: "OBR"))
        #expect(obr.field(4) == "CXR2V^XR Chest 2 Views^L")
        #expect(obr.field(7) == "20250102110000+0100")
        #expect(obr.field(22) == "20250102114500+0100")
        #expect(obr.field(24) == "RAD")
        #expect(obr.field(32) == "RAD042&&&&&&")
        #expect(obr.value(32, component: 1, subcomponent: 1) == "RAD042")
    }

    @Test("a final report is F in OBR-25 and every OBX-11")
    func finalStatus() {
        let message = build(SampleReports.finalReport)
        #expect(message.segment(named: "OBR")?.field(25) == "F")
        let observations = message.segments(named: "OBX")
        #expect(!observations.isEmpty)
        #expect(observations.allSatisfy { $0.field(11) == "F" })
    }

    @Test("draft and preliminary reports are P, without an interpreter", arguments: [ReportStatus.draft, .preliminary])
    func preliminaryStatus(status: ReportStatus) {
        let message = build(SampleReports.report(status: status))
        #expect(message.segment(named: "OBR")?.field(25) == "P")
        #expect(message.segment(named: "OBR")?.field(32) == "")
        #expect(message.segments(named: "OBX").allSatisfy { $0.field(11) == "P" })
    }

    @Test("one TX OBX per non-empty section, lines as repetitions, leading spaces kept")
    func observations() throws {
        let observations = build(SampleReports.finalReport).segments(named: "OBX")
        // The blank comparison section is skipped.
        #expect(observations.map { $0.field(1) } == ["1", "2", "3"])
        #expect(observations.allSatisfy { $0.field(2) == "TX" && $0.field(14) == "20250102110000+0100" })
        #expect(observations[0].field(3) == "18782-3^Radiology Study observation (narrative)^LN")
        #expect(observations[1].field(3) == "technique^Technique^L")
        #expect(observations[2].field(3) == "19005-8^Radiology Imaging study [Impression] (narrative)^LN")
        #expect(observations[0].field(5) == "The lungs are clear.~  No pleural effusion.~~Heart size normal.")
        #expect(observations[0].repetitions(5).count == 4)
        #expect(observations[0].value(5, repetition: 2) == "  No pleural effusion.")
        #expect(observations.allSatisfy { $0.field(4) == "1" })
    }

    @Test("section text with delimiters and newlines survives escaping")
    func specialText() throws {
        let text = "Pipe | caret ^ tilde ~ amp & backslash \\ done\r\nSecond line\rThird\n\\F\\ literal"
        let section = ReportSection(key: "findings", title: "Findings", loincCode: "18782-3", loincName: "Findings", text: text)
        let message = build(SampleReports.report(status: .final, signedBy: "RAD042", sections: [section]))
        #expect(!message.er7.contains("\n"))
        let parsed = try HL7Message(parsing: message.er7)
        let obx = try #require(parsed.segment(named: "OBX"))
        #expect(obx.fieldCount == 14)
        let lines = (1...obx.repetitions(5).count).map { obx.value(5, repetition: $0) }
        #expect(lines == [
            "Pipe | caret ^ tilde ~ amp & backslash \\ done", "Second line", "Third", "\\F\\ literal",
        ])
        #expect(obx.field(11) == "F")
    }

    @Test("a long section continues in further OBX rows with the same OBX-3 and the next sub-ID")
    func longSection() throws {
        let builder = ORUBuilderFixture.make(maxObservationLength: 200)
        let words = (1...300).map { "word\($0)" }
        let text = words[0..<150].joined(separator: " ") + "\n|short line|\n" + words[150...].joined(separator: " ")
        let sections = [
            ReportSection(key: "findings", title: "Findings", loincCode: "18782-3", loincName: "Findings", text: text),
            ReportSection(key: "impression", title: "Impression", loincCode: "19005-8", loincName: "Impression", text: "Ok."),
        ]
        let message = builder.build(
            SampleReports.report(status: .final, signedBy: "RAD042", sections: sections),
            controlID: "LONG1",
            at: SampleReports.reportTime
        )
        let observations = message.segments(named: "OBX")
        let findings = observations.filter { $0.field(3).hasPrefix("18782-3^") }
        #expect(findings.count > 5)
        #expect(findings.map { $0.field(4) } == (1...findings.count).map(String.init))
        #expect(findings.allSatisfy { $0.field(5).utf8.count <= 200 })
        #expect(observations.map { $0.field(1) } == (1...observations.count).map(String.init))
        #expect(observations.last?.field(3) == "19005-8^Impression^LN")
        #expect(observations.last?.field(4) == "1")
        // Nothing is lost: the pieces, re-joined, give back every word and the short line.
        let pieces = findings.flatMap { obx in (1...obx.repetitions(5).count).map { obx.value(5, repetition: $0) } }
        let rejoined = pieces.joined(separator: " ").split(separator: " ").map(String.init)
        #expect(rejoined == words[0..<150] + ["|short", "line|"] + words[150...])
        #expect(pieces.contains("|short line|"))
    }

    /// Every OBX-5 repetition of the message, unescaped, in order.
    func lines(of message: HL7Message) -> [String] {
        message.segments(named: "OBX").flatMap { obx in
            (1...max(1, obx.repetitions(5).count)).map { obx.value(5, repetition: $0) }
        }
    }

    @Test("long lines wrap after a space into pieces that re-join exactly", arguments: [40, 80, 199])
    func wrapping(width: Int) {
        let builder = ORUBuilderFixture.make(maxLineLength: width)
        let line = "  Indented: " + (1...120).map { "segment\($0) |x|" }.joined(separator: " ") + " end."
        let section = ReportSection(key: "findings", title: "Findings", loincCode: nil, loincName: nil, text: line)
        let message = builder.build(
            SampleReports.report(status: .final, signedBy: "RAD042", sections: [section]),
            controlID: "WRAP",
            at: SampleReports.reportTime
        )
        let obx = message.segments(named: "OBX")
        #expect(obx.count == 1)
        let escaped = obx.flatMap { $0.repetitions(5) }
        #expect(escaped.count > 1)
        #expect(escaped.allSatisfy { $0.utf8.count <= width })
        let pieces = lines(of: message)
        #expect(pieces.joined() == line)
        #expect(pieces.first?.hasPrefix("  Indented: ") == true)
        // Each cut falls after a space, never inside a word or an escape sequence.
        #expect(pieces.dropLast().allSatisfy { $0.hasSuffix(" ") })
    }

    @Test("a single unbroken line longer than the limits is cut between characters")
    func unbrokenLine() {
        let builder = ORUBuilderFixture.make(maxLineLength: 40, maxObservationLength: 100)
        let text = String(repeating: "é|", count: 200)
        let section = ReportSection(key: "findings", title: "Findings", loincCode: nil, loincName: nil, text: text)
        let message = builder.build(
            SampleReports.report(status: .final, signedBy: "RAD042", sections: [section]),
            controlID: "CUT",
            at: SampleReports.reportTime
        )
        let values = message.segments(named: "OBX").map { $0.field(5) }
        #expect(values.count > 1)
        #expect(values.allSatisfy { $0.utf8.count <= 100 })
        #expect(message.segments(named: "OBX").flatMap { $0.repetitions(5) }.allSatisfy { $0.utf8.count <= 40 })
        #expect(lines(of: message).joined() == text)
    }

    @Test("blank sections are skipped; a report with only blank sections has no OBX")
    func blankSections() {
        let blank = ReportSection(key: "x", title: "X", loincCode: nil, loincName: nil, text: " \n\t\n")
        let message = build(SampleReports.report(status: .draft, sections: [blank]))
        #expect(message.segments(named: "OBX").isEmpty)
        #expect(message.segment(named: "OBR") != nil)
    }

    @Test("timestamps carry the configured offset")
    func timestamps() {
        var builder = builder
        builder.timeZone = TimeZone(secondsFromGMT: -(4 * 3600 + 30 * 60))!
        let message = builder.build(SampleReports.finalReport, controlID: "TZ", at: SampleReports.reportTime)
        #expect(message.segment(named: "MSH")?.field(7) == "20250102061500-0430")
        #expect(message.segment(named: "OBR")?.field(7) == "20250102053000-0430")
    }
}
