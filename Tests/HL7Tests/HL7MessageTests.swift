import HL7
import Testing

@Suite("HL7 message parsing")
struct HL7MessageTests {
    @Test("a built message parses back to the same ER7")
    func roundTrip() throws {
        let built = SampleReports.builder.build(SampleReports.finalReport, controlID: "RT1", at: SampleReports.reportTime)
        let parsed = try HL7Message(parsing: built.er7)
        #expect(parsed.er7 == built.er7)
        #expect(parsed.controlID == "RT1")
        #expect(parsed.messageType == "ORU^R01^ORU_R01")
        #expect(parsed.segments.map(\.name) == built.segments.map(\.name))
    }

    @Test("MSH fields are numbered as in the standard")
    func headerNumbering() throws {
        let message = try HL7Message(parsing: "MSH|^~\\&|APP|FAC|||20250102||ACK^R01^ACK|ID9|P|2.5.1\rMSA|AA|X1\r")
        let msh = try #require(message.segment(named: "MSH"))
        #expect(msh.field(1) == "|")
        #expect(msh.field(2) == "^~\\&")
        #expect(msh.value(2) == "^~\\&")
        #expect(msh.field(3) == "APP")
        #expect(msh.field(10) == "ID9")
        #expect(msh.value(9, component: 3) == "ACK")
        #expect(message.segment(named: "MSA")?.field(2) == "X1")
        #expect(message.segment(named: "MSA")?.field(7) == "")
    }

    @Test("other delimiters declared in MSH-1/2 are used")
    func customDelimiters() throws {
        let message = try HL7Message(parsing: "MSH#!*$%#APP##\rOBX#1#TX#A!B#1#x$F$y*second#\r")
        #expect(message.delimiters == HL7Delimiters(field: "#", component: "!", repetition: "*", escape: "$", subcomponent: "%"))
        let obx = try #require(message.segment(named: "OBX"))
        #expect(obx.value(3, component: 2) == "B")
        #expect(obx.value(5) == "x#y")
        #expect(obx.value(5, repetition: 2) == "second")
        #expect(message.er7 == "MSH#!*$%#APP\rOBX#1#TX#A!B#1#x$F$y*second\r")
    }

    @Test("LF and CRLF segment endings are accepted, blank lines ignored")
    func lineEndings() throws {
        let message = try HL7Message(parsing: "\nMSH|^~\\&|A\r\nPID|1\n\nPV1|1|O\n")
        #expect(message.segments.map(\.name) == ["MSH", "PID", "PV1"])
    }

    @Test(
        "malformed input gives a clear error",
        arguments: [
            ("", HL7Error.emptyMessage),
            ("\r\n  \r", .emptyMessage),
            ("PID|1||X\r", .missingHeader),
            ("MS", .missingHeader),
            ("MSH|^~\\", .invalidEncodingCharacters),
            ("MSH|^~\\|A\r", .invalidEncodingCharacters),
            ("MSH|^^\\&|A\r", .invalidEncodingCharacters),
            ("MSH|^~a&|A\r", .invalidEncodingCharacters),
            ("MSH|^~\\&|A\rpid|1\r", .invalidSegmentName),
            ("MSH|^~\\&|A\rPIDX|1\r", .invalidSegmentName),
            ("MSH|^~\\&|A\rPID|1\rMSH|^~\\&|B\r", .multipleMessages),
        ]
    )
    func malformed(text: String, expected: HL7Error) {
        #expect(throws: expected) { try HL7Message(parsing: text) }
    }

    @Test("errors name the segment but never its content")
    func errorDescription() throws {
        let secret = "Testperson"
        do {
            _ = try HL7Message(parsing: "MSH|^~\\&|A\rPID|1||\(secret)\r\(secret)|x\r")
            Issue.record("expected an error")
        } catch let error as HL7Error {
            #expect(error == .invalidSegmentName)
            #expect(error.segmentNumber == 3)
            #expect(error.description == "HL7 segment has an invalid name (segment 3)")
            #expect(!error.description.contains(secret))
        }
    }
}
