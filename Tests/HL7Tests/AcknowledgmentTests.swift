import Foundation
import HL7
import Testing
import TestSupport

@Suite("ACK build and parse", .serialized, .integration, .tags(.validators))
struct AcknowledgmentTests {
    static let orm = try! HL7Message(
        parsing: "MSH|^~\\&|EHR|GH|RADSCRIBE|RAD|20250102100000+0100||ORM^O01^ORM_O01|ORM1|P|2.5.1\r"
            + "PID|1||MRN-1^^^GH^MR||Testperson^Alex\rORC|NW|P1|A1\rOBR|1|P1|A1|CT^CT^L\r"
    )
    static let oru = SampleReports.builder.build(SampleReports.finalReport, controlID: "ORU1", at: SampleReports.reportTime)

    static func ack(_ ack: HL7Acknowledgment, to original: HL7Message) -> HL7Message {
        ack.message(
            respondingTo: original, controlID: "ACK1", at: SampleReports.reportTime,
            timeZone: TimeZone(secondsFromGMT: 3600)!
        )
    }

    static let error = HL7ErrorDetail(
        condition: .requiredFieldMissing, segment: "PID", sequence: 1, field: 3, message: "PID-3 (patient identifier) is empty"
    )

    @Test("AA, AE and AR answer ACK^O01 and ACK^R01 with MSA-2 = MSH-10")
    func build() throws {
        let aa = Self.ack(HL7Acknowledgment(code: .accept, controlID: "ORM1"), to: Self.orm)
        #expect(aa.er7 == "MSH|^~\\&|RADSCRIBE||EHR|GH|20250102114500+0100||ACK^O01^ACK|ACK1|P|2.5.1\rMSA|AA|ORM1\r")
        let ae = Self.ack(HL7Acknowledgment(code: .error, controlID: "ORM1", text: Self.error.description, error: Self.error), to: Self.orm)
        #expect(ae.segment(named: "ERR")?.er7 == "ERR||PID^1^3|101^Required field missing|E||||PID-3 (patient identifier) is empty")
        let ar = Self.ack(HL7Acknowledgment(code: .reject, controlID: "ORU1", text: "no"), to: Self.oru)
        #expect(ar.messageType == "ACK^R01^ACK")
        #expect(ar.segment(named: "MSH")?.value(11) == "T")
    }

    @Test("ACKs pass hl7apy strict validation")
    func validates() throws {
        let messages = [
            Self.ack(HL7Acknowledgment(code: .accept, controlID: "ORM1"), to: Self.orm),
            Self.ack(HL7Acknowledgment(code: .error, controlID: "ORM1", text: Self.error.description, error: Self.error), to: Self.orm),
            Self.ack(HL7Acknowledgment(code: .reject, controlID: "ORU1", text: "unsupported", error: HL7ErrorDetail(condition: .unsupportedVersionID, segment: "MSH", sequence: 1, field: 12, message: "version")), to: Self.oru),
            Self.ack(HL7Acknowledgment(code: .accept, controlID: "ORU1"), to: Self.oru),
        ]
        let verdict = try HL7Validator.validate(messages.map(\.er7).joined(), name: "acks")
        #expect(verdict.passed, "\(verdict.output)")
        #expect(verdict.output.contains("4 message(s), all valid"))
    }

    @Test("parsing an ACK gives code, control ID, text and error")
    func parse() throws {
        let ae = Self.ack(HL7Acknowledgment(code: .error, controlID: "ORM1", text: "bad PID", error: Self.error), to: Self.orm)
        let parsed = try HL7Acknowledgment(parsing: ae.er7)
        #expect(parsed.code == .error)
        #expect(parsed.controlID == "ORM1")
        #expect(parsed.text == "bad PID")
        #expect(parsed.error == Self.error)
        #expect(parsed.error?.location == "PID-3")
        let peer = try HL7Acknowledgment(parsing: "MSH|^~\\&|RIS||||20250102||ACK|X|P|2.5.1\nMSA|CA|ORU9\n")
        #expect(peer.code == .commitAccept && peer.code.isAccept && peer.error == nil)
        #expect(throws: HL7Error.missingAcknowledgment) { try HL7Acknowledgment(parsing: Self.orm.er7) }
        #expect(throws: HL7Error.missingAcknowledgment) { try HL7Acknowledgment(parsing: "MSH|^~\\&|A\rMSA|ZZ|1\r") }
    }
}
