import Foundation
import Logging
import MLLP
import ReportStore
import TestSupport
import Testing

/// Delivery against the python-hl7 peer on 127.0.0.1 with injected faults. Each test counts what the receiver
/// accepted after de-duplication by MSH-10: every message, in queue order, exactly once.
@Suite("MLLP delivery to a python-hl7 peer", .serialized, .integration, .tags(.validators))
struct DeliveryTests {
    static let fast = DeliveryPolicy(
        ackTimeout: 1.5, connectTimeout: 1.5, initialBackoff: 0.05, maximumBackoff: 0.2, maximumFailures: 40,
        stopsWhenDrained: true, pollInterval: 0.05
    )

    private func service(_ fixture: OutboxFixture, port: Int, policy: DeliveryPolicy = fast) -> MLLPDeliveryService {
        MLLPDeliveryService(
            database: fixture.database, endpoint: MLLPEndpoint(host: "127.0.0.1", port: port), policy: policy,
            logger: {
                var logger = Logger(label: "test")
                logger.logLevel = .warning
                return logger
            }()
        )
    }

    @Test("every message is acknowledged and arrives once, in order")
    func happyPath() async throws {
        let fixture = try OutboxFixture("mllp-aa")
        let expected = try fixture.enqueue(25)
        let peer = try PythonPeer.start(in: fixture.directory)
        let report = try await service(fixture, port: peer.port).deliver().get()
        #expect(report.sent == 25)
        #expect(peer.accepted() == expected)
        // A retry happens only if a loaded machine stalls (connect or ACK timeout); a resend that reached the
        // peer is de-duplicated there, one that never left is simply not counted.
        #expect((25...(25 + report.retries)).contains(peer.receptions().count))
        #expect(try fixture.states() == ["sent": 25])
        #expect(Set(expected).count == 25)
    }

    @Test("a connection dropped before the ACK: the identical message is resent and de-duplicated")
    func droppedBeforeAck() async throws {
        let fixture = try OutboxFixture("mllp-drop")
        let expected = try fixture.enqueue(12)
        let peer = try PythonPeer.start(in: fixture.directory, mode: "drop", faultAt: [2, 6, 7])
        let report = try await service(fixture, port: peer.port).deliver().get()
        #expect(report.sent == 12)
        #expect(report.retries >= 3)
        #expect(peer.accepted() == expected)
        let receptions = peer.receptions()
        // A retry whose connection failed on a loaded machine delivers nothing; every other one is a duplicate.
        #expect((15...(12 + report.retries)).contains(receptions.count))
        #expect(receptions.filter { $0.status == "dup" }.count == receptions.count - 12)
        #expect(try fixture.states() == ["sent": 12])
    }

    @Test("an ACK slower than the timeout: resent on a new connection, de-duplicated")
    func slowAck() async throws {
        let fixture = try OutboxFixture("mllp-slow")
        let expected = try fixture.enqueue(8)
        let peer = try PythonPeer.start(in: fixture.directory, mode: "slow", faultAt: [3], delay: 3)
        let report = try await service(fixture, port: peer.port).deliver().get()
        #expect(report.sent == 8)
        #expect(report.retries >= 1)
        #expect(peer.accepted() == expected)
        #expect((9...(8 + report.retries)).contains(peer.receptions().count))
        #expect(try fixture.states() == ["sent": 8])
    }

    @Test("AE stops the queue with MSA-3 as the reason; retry resends it where it was")
    func applicationError() async throws {
        let fixture = try OutboxFixture("mllp-ae")
        let expected = try fixture.enqueue(10)
        let peer = try PythonPeer.start(in: fixture.directory, mode: "ae", faultAt: [4])
        let outcome = try await service(fixture, port: peer.port).deliver()
        guard case .failure(let error) = outcome else {
            Issue.record("expected a rejection")
            return
        }
        #expect(error.code == .rejected)
        #expect(error.description.contains("rejected by test peer"))
        let rows = try fixture.database.resultMessages()
        #expect(rows.map(\.state) == Array(repeating: OutboxState.sent, count: 3) + [.failed] + Array(repeating: .pending, count: 6))
        #expect(rows[3].lastError?.contains("AE") == true)
        #expect(peer.accepted() == Array(expected.prefix(3)))

        // Still blocked: nothing behind the failed message moves.
        guard case .failure = try await service(fixture, port: peer.port).deliver() else {
            Issue.record("a stopped queue must stay stopped")
            return
        }
        #expect(peer.receptions().count == 4)

        _ = try fixture.database.retryOutbox(id: error.outboxID)
        let report = try await service(fixture, port: peer.port).deliver().get()
        #expect(report.sent == 7)
        #expect(peer.accepted() == expected)
        #expect(try fixture.states() == ["sent": 10])
    }

    @Test("AR stops the queue; skip lets the rest go, the rejected one never arrives")
    func applicationReject() async throws {
        let fixture = try OutboxFixture("mllp-ar")
        let expected = try fixture.enqueue(6)
        let peer = try PythonPeer.start(in: fixture.directory, mode: "ar", faultAt: [2])
        guard case .failure(let error) = try await service(fixture, port: peer.port).deliver() else {
            Issue.record("expected a rejection")
            return
        }
        #expect(error.code == .rejected)
        #expect(throws: ReportStoreError.self) { try fixture.database.retryOutbox(id: error.outboxID - 1) }  // sent
        _ = try fixture.database.skipOutbox(id: error.outboxID)
        let report = try await service(fixture, port: peer.port).deliver().get()
        #expect(report.sent == 4)
        var withoutRejected = expected
        withoutRejected.remove(at: 1)
        #expect(peer.accepted() == withoutRejected)
        #expect(try fixture.states() == ["sent": 5, "skipped": 1])
    }

    @Test("connection refused until the receiver starts: retried with backoff, then delivered")
    func connectionRefused() async throws {
        let fixture = try OutboxFixture("mllp-refused")
        let expected = try fixture.enqueue(5)
        let port = try await freePort()
        let peer = try PythonPeer.start(in: fixture.directory, port: port, mode: "refuse", listenAfter: 1.0)
        let report = try await service(fixture, port: port).deliver().get()
        #expect(report.sent == 5)
        #expect(report.retries >= 1)
        #expect(peer.accepted() == expected)
        #expect(peer.receptions().count == 5)
    }

    @Test("a receiver that never comes up: unreachable after the allowed attempts, nothing lost")
    func unreachable() async throws {
        let fixture = try OutboxFixture("mllp-unreachable")
        try fixture.enqueue(3)
        var policy = Self.fast
        policy.maximumFailures = 3
        let outcome = try await service(fixture, port: try await freePort(), policy: policy).deliver()
        guard case .failure(let error) = outcome else {
            Issue.record("expected unreachable")
            return
        }
        #expect(error.code == .unreachable)
        let rows = try fixture.database.resultMessages()
        #expect(rows.map(\.state) == [OutboxState.pending, .pending, .pending])
        #expect(rows[0].attempts == 0)  // never connected: no bytes went out
        #expect(rows[0].lastError?.contains("cannot connect") == true)
    }

    @Test("the receiver crashes and restarts in the middle of a burst")
    func receiverRestart() async throws {
        let fixture = try OutboxFixture("mllp-restart")
        let expected = try fixture.enqueue(40)
        let peer = try PythonPeer.start(in: fixture.directory, mode: "slow", delay: 0.01)
        let port = peer.port
        let service = service(fixture, port: port)
        async let outcome = service.deliver()
        try await waitUntil { peer.receptions().count >= 10 }
        peer.kill()
        try await Task.sleep(for: .milliseconds(300))
        let restarted = try PythonPeer.start(in: fixture.directory, port: port, mode: "slow", delay: 0.01, log: peer.log)
        let report = try await outcome.get()
        #expect(report.sent == 40)
        #expect(restarted.accepted() == expected)
        let receptions = restarted.receptions()
        #expect(receptions.count <= 41)
        #expect(try fixture.states() == ["sent": 40])
    }

    @Test("radscribe hl7 deliver killed in the middle of a burst and run again: all arrive once, in order")
    func senderRestart() async throws {
        let fixture = try OutboxFixture("mllp-cli-restart")
        let expected = try fixture.enqueue(60)
        let peer = try PythonPeer.start(in: fixture.directory, mode: "slow", delay: 0.02)
        let arguments = ["hl7", "deliver", "--to", "127.0.0.1:\(peer.port)", "--db", fixture.path, "--backoff", "0.05"]

        let first = Process()
        first.executableURL = ProjectPaths.radscribeBinary
        first.arguments = arguments
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        try await waitUntil { peer.receptions().count >= 15 }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        #expect(first.terminationReason == .uncaughtSignal)
        let sentBefore = try fixture.states()["sent", default: 0]
        #expect(sentBefore >= 14 && sentBefore < 60)

        let second = try ProcessRunner.radscribe(arguments)
        #expect(second.exitCode == 0, "\(second.stderr)")
        #expect(peer.accepted() == expected)
        #expect(peer.accepted().count == 60)
        #expect(peer.receptions().count <= 61)  // at most the one in flight at the kill
        #expect(try fixture.states() == ["sent": 60])
    }

    @Test("radscribe hl7 deliver exit codes: 0 drained, 1 rejected, 75 unreachable; queue, retry and skip")
    func commandLine() async throws {
        let fixture = try OutboxFixture("mllp-cli")
        try fixture.enqueue(3)
        let db = ["--db", fixture.path]
        let unreachable = try ProcessRunner.radscribe(
            ["hl7", "deliver", "--to", "127.0.0.1:\(try await freePort())", "--attempts", "2", "--backoff", "0.05"] + db
        )
        #expect(unreachable.exitCode == 75)
        #expect(unreachable.stderr.contains("unreachable after 2 attempts"))

        let peer = try PythonPeer.start(in: fixture.directory, mode: "ar", faultAt: [2])
        let rejected = try ProcessRunner.radscribe(["hl7", "deliver", "--to", "127.0.0.1:\(peer.port)"] + db)
        #expect(rejected.exitCode == 1)
        #expect(rejected.stderr.contains("rejected by 127.0.0.1:\(peer.port)"))
        let queue = try ProcessRunner.radscribe(["hl7", "queue"] + db)
        #expect(queue.exitCode == 0)
        let failed = try #require(queue.stdout.split(separator: "\n").first { $0.contains("\tfailed\t") })
        #expect(failed.contains("AR: rejected by test peer"))
        let id = String(failed.split(separator: "\t")[0])
        #expect(try ProcessRunner.radscribe(["hl7", "skip", "1"] + db).exitCode == 1)  // already sent
        #expect(try ProcessRunner.radscribe(["hl7", "retry", "999"] + db).exitCode == 66)
        #expect(try ProcessRunner.radscribe(["hl7", "retry", id] + db).exitCode == 0)
        let drained = try ProcessRunner.radscribe(["hl7", "deliver", "--to", "127.0.0.1:\(peer.port)"] + db)
        #expect(drained.exitCode == 0, "\(drained.stderr)")
        #expect(drained.stdout.contains("delivered 2 message(s)"))
        #expect(peer.accepted().count == 3)
    }
}
