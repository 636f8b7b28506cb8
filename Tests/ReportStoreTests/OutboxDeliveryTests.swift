import Foundation
import RadScribeCore
import ReportStore
import Testing
import TestSupport

/// A stand-in for the ORU builder: the store only needs control IDs and text.
private struct FakeEncoder: ResultMessageEncoder {
    func encode(_ report: ReportSnapshot, destination: String, at time: Date) throws -> EncodedResultMessage {
        let id = "C" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(19)
        let text = report.sections.map(\.text).joined(separator: "|")
        return EncodedResultMessage(
            controlID: String(id), payload: "\(id)|\(destination)|\(report.status.hl7ResultStatus)|\(text)\r"
        )
    }
}

@Suite("Report store: HL7 outbox messages frozen at enqueue, delivery queues")
struct OutboxDeliveryTests {
    let path: String

    init() throws {
        path = try ProjectPaths.temporaryDirectory("outbox").appendingPathComponent("radscribe.sqlite").path
    }

    func open(encoder: Bool = true) throws -> ReportDatabase {
        var database = try ReportDatabase(path: path)
        if encoder { database.resultEncoder = FakeEncoder() }
        try database.storeTemplate(slug: "chest", identifier: "urn:t:chest", title: "Chest", html: "<html>v1</html>")
        for (name, role) in [("drsmith", UserRole.radiologist), ("drres", .resident)] {
            if (try? database.users())?.contains(where: { $0.name == name }) != true {
                try database.addUser(name: name, role: role, password: nil)
            }
        }
        return database
    }

    func dictate(_ database: ReportDatabase, _ accession: String, _ findings: String) throws {
        _ = try database.saveDictation(
            DictatedDraft(
                accession: accession, templateSlug: "chest",
                sections: ReportStoreLifecycleTests.sections(findings), spokenWords: [:], audio: nil,
                author: "drres", source: "script", orderIfNew: ReportStoreLifecycleTests.order(accession)
            )
        )
    }

    @Test("signing freezes the message (payload and unique MSH-10) in the signature's transaction")
    func frozenAtSign() throws {
        let database = try open()
        try dictate(database, "ACC1", "No effusion.")
        _ = try database.sign(accession: "ACC1", by: "drsmith")
        let rows = try database.resultMessages()
        #expect(rows.count == 1)
        let entry = try #require(try database.outbox().first)
        let controlID = try #require(rows[0].controlID)
        #expect(entry.payload == "\(controlID)||F|No effusion.|Normal.\r")
        #expect(rows[0].state == .pending && rows[0].attempts == 0)

        // Injected failure while freezing: the signature rolls back with it.
        try dictate(database, "ACC2", "Small effusion.")
        let trigger = try ProcessRunner.run(
            tool: "sqlite3",
            [path, "CREATE TRIGGER fail_freeze BEFORE UPDATE OF payload ON hl7_outbox BEGIN SELECT RAISE(ABORT, 'x'); END;"]
        )
        #expect(trigger.exitCode == 0)
        let before = try database.rowCounts()
        #expect(throws: (any Error).self) { try database.sign(accession: "ACC2", by: "drsmith") }
        #expect(try database.rowCounts() == before)
        #expect(try database.existingReport(accession: "ACC2").status == .draft)
    }

    @Test("a message enqueued without an encoder is built later from its own version, not the newest")
    func frozenLaterFromItsVersion() throws {
        let plain = try open(encoder: false)
        try dictate(plain, "ACC1", "First text.")
        _ = try plain.sign(accession: "ACC1", by: "drsmith")
        _ = try plain.issueCorrection(
            accession: "ACC1", sections: ReportStoreLifecycleTests.sections("Corrected text."), by: "drsmith"
        )
        #expect(try plain.outbox().allSatisfy { $0.payload == nil })
        guard case .blocked = try plain.outboxHead(destination: "") else {
            Issue.record("an unbuilt message must not be sent")
            return
        }
        let database = try open()
        try database.freezePendingMessages()
        let payloads = try database.outbox().compactMap(\.payload)
        #expect(payloads.count == 2)
        #expect(payloads[0].hasSuffix("|F|First text.|Normal.\r"))
        #expect(payloads[1].hasSuffix("|C|Corrected text.|Normal.\r"))
    }

    @Test("registered destinations each get their own copy; the default route is adopted by the first")
    func destinations() throws {
        let database = try open()
        try dictate(database, "ACC1", "One.")
        _ = try database.sign(accession: "ACC1", by: "drsmith")
        try database.registerDestination("ris-a:2575")
        #expect(try database.resultMessages().map(\.destination) == ["ris-a:2575"])
        try database.registerDestination("ris-b:2575")
        try dictate(database, "ACC2", "Two.")
        _ = try database.sign(accession: "ACC2", by: "drsmith")
        let rows = try database.resultMessages()
        #expect(rows.map(\.destination) == ["ris-a:2575", "ris-a:2575", "ris-b:2575"])
        #expect(Set(rows.compactMap(\.controlID)).count == 3)
        #expect(try database.resultMessages(destination: "ris-b:2575").map(\.accession) == ["ACC2"])
    }

    @Test("a queue is FIFO; a rejection blocks it until retry (same bytes) or skip")
    func queueStates() throws {
        let database = try open()
        try database.registerDestination("ris")
        for index in 1...3 {
            try dictate(database, "ACC\(index)", "Text \(index).")
            _ = try database.sign(accession: "ACC\(index)", by: "drsmith")
        }
        guard case .next(let first) = try database.outboxHead(destination: "ris") else {
            Issue.record("expected a message")
            return
        }
        guard case .next(let second) = try database.markSent(id: first.id, ackCode: "AA", destination: "ris") else {
            Issue.record("expected a second message")
            return
        }
        #expect(second.id > first.id)
        try database.markRejected(id: second.id, ackCode: "AE", reason: "AE: unknown patient", destination: "ris")
        guard case .blocked(let blocked, let reason) = try database.outboxHead(destination: "ris") else {
            Issue.record("expected a blocked queue")
            return
        }
        #expect(blocked.id == second.id && reason == "AE: unknown patient")
        #expect(throws: ReportStoreError.self) { try database.retryOutbox(id: first.id) }
        _ = try database.retryOutbox(id: second.id)
        guard case .next(let again) = try database.outboxHead(destination: "ris") else {
            Issue.record("expected the retried message")
            return
        }
        #expect(again.payload == second.payload && again.controlID == second.controlID && again.attempts == 1)
        _ = try database.skipOutbox(id: second.id)
        guard case .next(let third) = try database.outboxHead(destination: "ris") else {
            Issue.record("expected the third message")
            return
        }
        #expect(third.id > second.id)
        #expect(try database.resultMessages().map(\.state) == [.sent, .skipped, .pending])
        #expect(throws: ReportStoreError.self) { try database.skipOutbox(id: 9999) }
    }
}
