import Foundation
import HL7
import RadScribeCore
import Testing
import TestSupport

@Suite("ORM^O01 / OMI^O23 parsing", .serialized, .integration, .tags(.validators))
struct OrderMessageTests {
    @Test("the valid corpus passes hl7apy strict validation")
    func corpusValidates() throws {
        let corpus = try OrderCorpus.valid()
        #expect(corpus.count >= 10)
        let verdict = try HL7Validator.validate(corpus.map(\.text).joined(), name: "orders")
        #expect(verdict.passed, "\(verdict.output)")
        #expect(verdict.output.contains("\(corpus.count) message(s), all valid"), "\(verdict.output)")
    }

    @Test("every valid message parses")
    func corpusParses() throws {
        for (name, text) in try OrderCorpus.valid() {
            #expect(throws: Never.self, "\(name)") { try OrderMessage(parsing: text) }
        }
    }

    @Test("ORM NW per IHE: patient, visit, numbers, accession from OBR-18, procedure, priority, schedule, reason")
    func ormNew() throws {
        let text = try #require(try OrderCorpus.valid().first { $0.name.hasPrefix("01-") }?.text)
        let message = try OrderMessage(parsing: text)
        #expect(message.kind == .orm && message.controlID == "ORM-0001" && message.sendingApplication == "RIS")
        #expect(message.patient == Patient(mrn: "MRN-4711", familyName: "Testperson", givenName: "Alex", birthDate: "19700315", sex: .female))
        #expect(message.patientIDAuthority == "GH")
        #expect(message.visit?.patientClass == "O" && message.visit?.visitNumber == "V1001")
        let event = try #require(message.events.first)
        #expect(event.control == .new)
        #expect(event.order.accession == "ACC-1001")
        #expect(event.order.placerOrderNumber == "PLC-1001" && event.order.fillerOrderNumber == "ACC-1001")
        #expect(event.order.procedureCode == "CTHEAD" && event.order.procedureName == "CT Head without contrast")
        #expect(event.order.procedureCodingSystem == "L")
        #expect(event.order.modality == "CT")
        #expect(event.order.priority == .stat)
        #expect(event.order.scheduledAt.map { ISO8601DateFormatter().string(from: $0) } == "2027-01-15T08:00:00Z")
        #expect(event.order.reasonForExam == "Headache after fall")
        #expect(event.clinicalInfo == "Fall yesterday")
        #expect(event.order.orderingPhysician == "Orderer, Olga (DR12)")
        #expect(event.requestedProcedureID == "RP1001" && event.scheduledStepID == "SPS1001")
    }

    @Test("OMI NW: accession and modality from IPC, priority and start from TQ1")
    func omiNew() throws {
        let text = try #require(try OrderCorpus.valid().first { $0.name.hasPrefix("04-") }?.text)
        let message = try OrderMessage(parsing: text)
        #expect(message.kind == .omi)
        let event = try #require(message.events.first)
        #expect(event.order.accession == "ACC-2001")
        #expect(event.order.modality == "MR")
        #expect(event.order.priority == .stat)
        #expect(event.order.scheduledAt.map { ISO8601DateFormatter().string(from: $0) } == "2027-01-15T09:00:00Z")
        #expect(event.studyInstanceUID == "1.2.826.0.1.3680043.10.1.2001")
        #expect(event.order.reasonForExam == "Seizure")
    }

    @Test("several orders in one message, cancels without PID")
    func multipleAndCancel() throws {
        let corpus = try OrderCorpus.valid()
        let two = try OrderMessage(parsing: try #require(corpus.first { $0.name.hasPrefix("03-") }).text)
        #expect(two.events.map(\.order.accession) == ["ACC-1003", "ACC-1004"])
        #expect(two.events.map(\.order.priority) == [.routine, .urgent])
        let cancel = try OrderMessage(parsing: try #require(corpus.first { $0.name.hasPrefix("08-") }).text)
        #expect(cancel.patient == nil)
        #expect(cancel.events.first?.control == .cancel)
    }

    @Test("every invalid message is refused for its own reason", arguments: try! OrderCorpus.invalid().map(\.name))
    func invalid(name: String) throws {
        let entry = try #require(try OrderCorpus.invalid().first { $0.name == name })
        do {
            _ = try OrderMessage(parsing: entry.text)
            // Valid as a message: refused only against the worklist (unknown accession), see HL7InboundTests.
            #expect(entry.condition == "204", "\(name) was accepted")
        } catch let error as OrderMessageError {
            #expect(error.acknowledgment.rawValue == entry.code, "\(name): \(error)")
            #expect(error.detail.condition.rawValue == entry.condition, "\(name): \(error)")
            #expect((error.detail.location.isEmpty ? "-" : error.detail.location) == entry.location, "\(name): \(error)")
        }
    }

    @Test("HL7 dates and times")
    func times() throws {
        let utc = TimeZone(identifier: "UTC")!
        #expect(OrderTimeProbe.parse("20270115") != nil)
        #expect(OrderTimeProbe.parse("202701151030+0100").map { ISO8601DateFormatter().string(from: $0) } == "2027-01-15T09:30:00Z")
        #expect(OrderTimeProbe.parse("20270115103000.123-0500").map { ISO8601DateFormatter().string(from: $0) } == "2027-01-15T15:30:00Z")
        for bad in ["2027011", "20271315", "20270230", "2027-01-15", "20270115+01", "202701152560", "２０２７０１１５"] {
            #expect(OrderTimeProbe.parse(bad) == nil, "\(bad)")
        }
        _ = utc
    }
}

/// Reaches the scheduled-time parsing through a minimal OMI (the parser itself is internal).
enum OrderTimeProbe {
    static func parse(_ text: String) -> Date? {
        let message = "MSH|^~\\&|RIS|GH|RS|RAD|20270115||OMI^O23^OMI_O23|T1|P|2.5.1\rPID|1||M1||Doe\r"
            + "ORC|NW|P1|A1\rTQ1|1||||||\(text)\rOBR|1|P1|A1|CT^CT^L\rIPC|A1|R1|1.2|S1|CT\r"
        return (try? OrderMessage(parsing: message))?.events.first?.order.scheduledAt
    }
}
