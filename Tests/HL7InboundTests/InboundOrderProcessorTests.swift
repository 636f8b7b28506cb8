import Foundation
import HL7
import HL7Inbound
import RadScribeCore
import ReportStore
import Testing
import TestSupport

@Suite("Inbound orders applied to the worklist", .serialized, .integration, .tags(.validators))
struct InboundOrderProcessorTests {
    static func processor() throws -> InboundOrderProcessor {
        InboundOrderProcessor(database: try ReportDatabase.inMemory(), timeZone: TimeZone(secondsFromGMT: 3600)!)
    }

    /// Everything a refused message must leave alone.
    static func state(_ database: ReportDatabase) throws -> String {
        let counts = try database.rowCounts().sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let worklist = try database.worklist().map {
            "\($0.order.accession) \($0.status.rawValue) \($0.order.priority.rawValue) \($0.order.procedureCode)"
                + " \($0.order.patient.familyName) \(String(describing: $0.order.scheduledAt))"
        }
        return (counts + worklist + ["inbound=\(try database.inboundMessageCount())"]).joined(separator: "\n")
    }

    @Test("the valid corpus is applied in order, each answered AA; ACKs pass hl7apy")
    func validCorpus() throws {
        let processor = try Self.processor()
        var acks: [String] = []
        for (name, text) in try OrderCorpus.valid() {
            let result = processor.handle(text)
            #expect(result.outcome == .applied, "\(name): \(result.acknowledgment)")
            #expect(result.acknowledgment.code == .accept)
            #expect(result.acknowledgment.controlID == (try HL7Message(parsing: text)).controlID)
            acks.append(result.ack.er7)
        }
        let database = processor.database
        let items = Dictionary(uniqueKeysWithValues: try database.worklist().map { ($0.order.accession, $0) })
        #expect(items.count == 6)
        // 01 NW (STAT CT head), then 06 XO: procedure and priority changed, schedule moved.
        let head = try #require(items["ACC-1001"])
        #expect(head.order.procedureCode == "CTHEADC" && head.order.priority == .routine && head.status == .scheduled)
        #expect(head.order.scheduledAt.map { ISO8601DateFormatter().string(from: $0) } == "2027-01-15T10:30:00Z")
        #expect(head.order.patient.mrn == "MRN-4711")
        // 02 NW (v2.3) then 07 SC: priority now STAT.
        #expect(items["ACC-1002"]?.order.priority == .stat)
        // 03 two orders; 08 cancels the first.
        #expect(items["ACC-1003"]?.status == .cancelled)
        #expect(items["ACC-1004"]?.status == .scheduled && items["ACC-1004"]?.order.priority == .urgent)
        // 04 OMI NW then 10 XO; 05 OMI NW then 09 cancel.
        #expect(items["ACC-2001"]?.order.procedureCode == "MRBRAINC" && items["ACC-2001"]?.order.modality == "MR")
        #expect(items["ACC-2002"]?.status == .cancelled)
        #expect(try database.inboundMessageCount() == 10)

        let verdict = try HL7Validator.validate(acks.joined(), name: "acks")
        #expect(verdict.passed, "\(verdict.output)")
    }

    @Test("every invalid message is refused with its reason in MSA and ERR, and changes nothing")
    func invalidCorpus() throws {
        let processor = try Self.processor()
        // Some orders to refuse changes against.
        for (_, text) in try OrderCorpus.valid().prefix(3) { _ = processor.handle(text) }
        let before = try Self.state(processor.database)
        var acks: [String] = []
        for entry in try OrderCorpus.invalid() {
            let result = processor.handle(entry.text)
            let ack = try HL7Acknowledgment(parsing: result.ack.er7)
            #expect(ack.code.rawValue == entry.code, "\(entry.name): \(ack)")
            #expect(ack.error?.condition.rawValue == entry.condition, "\(entry.name): \(String(describing: ack.error))")
            let location = ack.error.map { $0.location.isEmpty ? "-" : $0.location }
            #expect(location == entry.location, "\(entry.name): \(String(describing: ack.error))")
            #expect(!ack.text.isEmpty, "\(entry.name): MSA-3 is empty")
            #expect(try Self.state(processor.database) == before, "\(entry.name) changed the database")
            if let original = try? HL7Message(parsing: entry.text), !original.controlID.isEmpty {
                #expect(ack.controlID == original.controlID)
                acks.append(result.ack.er7)
            }
        }
        // ACKs answering a message with an MSH-10 are strictly valid (MSA-2 is required).
        let verdict = try HL7Validator.validate(acks.joined(), name: "refusals")
        #expect(verdict.passed, "\(verdict.output)")
    }

    @Test("a duplicate MSH-10 is acknowledged and ignored; a new NW for an existing accession is AE 205")
    func duplicates() throws {
        let processor = try Self.processor()
        let text = try #require(try OrderCorpus.valid().first).text
        #expect(processor.handle(text).outcome == .applied)
        let before = try Self.state(processor.database)
        let again = processor.handle(text)
        #expect(again.outcome == .duplicate)
        #expect(again.acknowledgment.code == .accept)
        #expect(again.acknowledgment.text.contains("duplicate"))
        #expect(try Self.state(processor.database) == before)
        // The same order under a new control ID: refused, nothing changes.
        let renamed = text.replacingOccurrences(of: "|ORM-0001|", with: "|ORM-0001-RESENT|")
        let result = processor.handle(renamed)
        #expect(result.acknowledgment.code == .error)
        #expect(result.acknowledgment.error?.condition == .duplicateKeyIdentifier)
        #expect(result.acknowledgment.error?.location == "OBR-18")
        #expect(try Self.state(processor.database) == before)
    }

    @Test("a message refused in its second order applies none of it")
    func atomic() throws {
        let processor = try Self.processor()
        let corpus = try OrderCorpus.valid()
        _ = processor.handle(try #require(corpus.first { $0.name.hasPrefix("01-") }).text)
        let before = try Self.state(processor.database)
        // Two orders: the first new, the second an existing accession.
        let text = try #require(corpus.first { $0.name.hasPrefix("03-") }).text
            .replacingOccurrences(of: "ACC-1004", with: "ACC-1001")
        let result = processor.handle(text)
        #expect(result.acknowledgment.code == .error)
        #expect(result.acknowledgment.error?.location == "OBR-18")
        #expect(result.acknowledgment.error?.sequence == 2)
        #expect(try Self.state(processor.database) == before)
    }

    @Test("process(_:) returns the ACK text")
    func processText() throws {
        let processor = try Self.processor()
        let ack = processor.process("garbage")
        #expect(ack.hasPrefix("MSH|^~\\&|RADSCRIBE|"))
        #expect(ack.contains("\rMSA|AR|"))
        #expect(ack.hasSuffix("\r"))
    }

    @Test("fuzzed messages through the processor: no crash, and the database changes only on AA")
    func fuzz() throws {
        let processor = try Self.processor()
        let corpus = try OrderCorpus.valid().map(\.text)
        var rng = InboundRNG(state: 42)
        var codes: [String: Int] = [:]
        let start = Date()
        let iterations = 2_000
        for _ in 0..<iterations {
            var text = corpus[Int(rng.next() % UInt64(corpus.count))]
            var characters = Array(text)
            for _ in 0...(rng.next() % 3) where !characters.isEmpty {
                let index = Int(rng.next() % UInt64(characters.count))
                characters[index] = ["|", "^", "~", "&", "\\", "\n", "9", "X", "é"][Int(rng.next() % 9)]
            }
            text = String(characters)
            let before = try Self.state(processor.database)
            let result = processor.handle(text)
            codes[result.acknowledgment.code.rawValue, default: 0] += 1
            if result.acknowledgment.code != .accept {
                #expect(try Self.state(processor.database) == before)
            }
        }
        let seconds = Date().timeIntervalSince(start)
        print("inbound fuzz: \(iterations) messages in \(String(format: "%.2f", seconds)) s; \(codes.sorted { $0.key < $1.key })")
        #expect(codes["AR", default: 0] + codes["AE", default: 0] > 0)
    }
}

struct InboundRNG: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Peer allow-list")
struct PeerAllowListTests {
    @Test("addresses and CIDR ranges, IPv4 and IPv6")
    func matching() throws {
        let list = try PeerAllowList(parsing: "127.0.0.1, 10.1.0.0/16 192.168.5.0/24,::1, fd00::/8")
        #expect(list.allows("127.0.0.1"))
        #expect(!list.allows("127.0.0.2"))
        #expect(list.allows("10.1.255.3"))
        #expect(!list.allows("10.2.0.1"))
        #expect(list.allows("192.168.5.200"))
        #expect(list.allows("::1"))
        #expect(list.allows("[::1]"))
        #expect(list.allows("fd12:3456::1"))
        #expect(!list.allows("fe80::1%eth0"))
        #expect(list.allows("::ffff:10.1.2.3"))
        #expect(!list.allows("not an address"))
        #expect(!list.allows("10.1.2"))
        #expect(try PeerAllowList(parsing: "0.0.0.0/0").allows("8.8.8.8"))
        #expect(try !PeerAllowList([]).allows("127.0.0.1"))
    }

    @Test("bad entries are refused", arguments: ["10.0.0.0/33", "300.1.1.1", "1.2.3", "::1/129", "fd00:::1", "host.example", "10.0.0.0/"])
    func refuses(entry: String) {
        #expect(throws: PeerAllowList.ParseError.self) { try PeerAllowList([entry]) }
    }
}
