import Foundation
import HL7
import HL7Inbound
import RadScribeCore
import ReportStore
import Testing
import TestSupport

/// Inbound orders an attacker or a broken sender could send (issue 18): refused with AR, nothing stored.
@Suite("Inbound orders: hostile and malformed bytes")
struct InboundHardeningTests {
    static let order = OrderCorpus.folder.appendingPathComponent("valid/01-orm-nw-ihe.hl7")

    static func text() throws -> String { try String(contentsOf: order, encoding: .utf8) }

    static func processor() throws -> InboundOrderProcessor {
        InboundOrderProcessor(database: try ReportDatabase.inMemory(), timeZone: TimeZone(secondsFromGMT: 0)!)
    }

    static func msa(_ ack: String) -> [Substring] {
        ack.split(separator: "\r").first { $0.hasPrefix("MSA|") }?.split(separator: "|", omittingEmptySubsequences: false) ?? []
    }

    @Test("a PID-3 of 20,000 repetitions is refused (AR naming PID-3), not parsed for minutes")
    func repetitionsAreBounded() throws {
        let processor = try Self.processor()
        let repeated = Array(repeating: "X^^^GH^MR", count: 20_000).joined(separator: "~")
        let message = try Self.text().replacingOccurrences(of: "MRN-4711^^^GH^MR~998877^^^SSA^SS", with: repeated)
        let ack = processor.process(bytes: Array(message.utf8))
        #expect(Self.msa(ack).dropFirst().first == "AR", "\(ack.prefix(300))")
        #expect(ack.contains("PID-3"))
        #expect(try processor.database.worklist().isEmpty)
        // A field with repetitions under the bound is still read, in one split: the MR identifier is chosen.
        let some = Array(repeating: "X^^^GH^PI", count: 99).joined(separator: "~") + "~MRN-9^^^GH^MR"
        let fine = try Self.text().replacingOccurrences(of: "MRN-4711^^^GH^MR~998877^^^SSA^SS", with: some)
        #expect(Self.msa(processor.process(bytes: Array(fine.utf8))).dropFirst().first == "AA")
        #expect(try processor.database.worklist().first?.order.patient.mrn == "MRN-9")
    }

    @Test("bytes that are not UTF-8 are refused (AR), never stored with replacement characters")
    func invalidUTF8() throws {
        let processor = try Self.processor()
        var bytes = Array(try Self.text().utf8)
        let accession = Array("ACC-1001".utf8)
        var index = 0
        var replaced: [UInt8] = []
        while index < bytes.count {
            if bytes[index...].starts(with: accession) {
                replaced += Array("ACC-".utf8) + [0xFF, 0xFE] + Array("1001".utf8)
                index += accession.count
            } else {
                replaced.append(bytes[index])
                index += 1
            }
        }
        bytes = replaced
        let ack = processor.process(bytes: bytes)
        #expect(Self.msa(ack).dropFirst().first == "AR", "\(ack)")
        #expect(Self.msa(ack).dropFirst(2).first == "ORM-0001")
        #expect(try processor.database.worklist().isEmpty)
    }

    @Test("MSH-18 8859/1 is read as ISO 8859-1")
    func latin1() throws {
        let processor = try Self.processor()
        let text = try Self.text()
            .replacingOccurrences(of: "ORM^O01^ORM_O01|ORM-0001|P|2.5.1", with: "ORM^O01^ORM_O01|ORM-0001|P|2.5.1||||||8859/1")
            .replacingOccurrences(of: "Testperson^Alex", with: "Testperson^\u{C9}mile")
        let bytes = text.unicodeScalars.map { UInt8($0.value) }  // every scalar here is below 256
        #expect(Self.msa(processor.process(bytes: bytes)).dropFirst().first == "AA")
        #expect(try processor.database.worklist().first?.order.patient.givenName == "\u{C9}mile")
    }

    @Test("a frame refused for its size is answered AR to its MSH-10")
    func oversized() throws {
        let processor = try Self.processor()
        let head = Array(try Self.text().utf8.prefix(200))
        let ack = processor.rejectOversized(frameHead: head, limit: 1 << 20)
        #expect(Self.msa(ack).dropFirst().first == "AR")
        #expect(Self.msa(ack).dropFirst(2).first == "ORM-0001")
    }
}
