import Foundation
import MLLP
import NIOCore
import ReportStore
import TestSupport
import Testing

/// A self-signed certificate for 127.0.0.1 and localhost, made with the `openssl` CLI.
struct SelfSignedCertificate {
    let certificate: URL
    let key: URL

    init(in directory: URL, name: String = "peer") throws {
        certificate = directory.appendingPathComponent("\(name)-cert.pem")
        key = directory.appendingPathComponent("\(name)-key.pem")
        let result = try ProcessRunner.run(
            tool: "openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.path, "-out", certificate.path,
                "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            ]
        )
        try #require(result.exitCode == 0, "openssl: \(result.stderr)")
    }
}

@Suite("MLLP over TLS (swift-nio-ssl) on 127.0.0.1", .serialized, .integration, .tags(.validators))
struct TLSTests {
    @Test("delivery over TLS to the python-hl7 peer (Python ssl): every message once, in order")
    func deliversOverTLS() async throws {
        let fixture = try OutboxFixture("mllp-tls")
        let expected = try fixture.enqueue(12)
        let certificate = try SelfSignedCertificate(in: fixture.directory)
        let peer = try PythonPeer.start(
            in: fixture.directory, mode: "drop", faultAt: [3], tls: (certificate.certificate, certificate.key)
        )
        let destination = try #require(MLLPDestination(parsing: "127.0.0.1:\(peer.port),tls"))
        let service = try MLLPDeliveryService(
            database: fixture.database, destination: destination,
            tls: try MLLPTLSContext.client(trustRootsFile: certificate.certificate.path), policy: DeliveryTests.fast,
            logger: quietLogger
        )
        let report = try await service.deliver().get()
        #expect(report.sent == 12)
        #expect(report.retries >= 1)
        #expect(peer.accepted() == expected)
        #expect(try fixture.states() == ["sent": 12])
    }

    @Test("an untrusted certificate or a plain connection to a TLS peer: nothing is sent, the queue waits")
    func refusesUntrustedPeer() async throws {
        let fixture = try OutboxFixture("mllp-tls-untrusted")
        try fixture.enqueue(2)
        let certificate = try SelfSignedCertificate(in: fixture.directory)
        let other = try SelfSignedCertificate(in: fixture.directory, name: "other")
        let peer = try PythonPeer.start(in: fixture.directory, tls: (certificate.certificate, certificate.key))
        var policy = DeliveryTests.fast
        policy.maximumFailures = 2
        let untrusted = try MLLPDeliveryService(
            database: fixture.database, destination: try #require(MLLPDestination(parsing: "127.0.0.1:\(peer.port),tls")),
            tls: try MLLPTLSContext.client(trustRootsFile: other.certificate.path), policy: policy, logger: quietLogger
        )
        guard case .failure(let error) = try await untrusted.deliver() else {
            Issue.record("a peer whose certificate is not trusted must not be delivered to")
            return
        }
        #expect(error.code == .unreachable)
        #expect(error.description.contains("TLS handshake failed"))
        let rows = try fixture.database.resultMessages()
        #expect(rows.map(\.state) == [OutboxState.pending, .pending])
        #expect(rows[0].attempts == 0, "no message bytes went out")

        let plain = MLLPDeliveryService(
            database: fixture.database, endpoint: MLLPEndpoint(host: "127.0.0.1", port: peer.port), policy: policy,
            logger: quietLogger
        )
        guard case .failure = try await plain.deliver() else {
            Issue.record("a plain MLLP client must not get through to a TLS peer")
            return
        }
        #expect(peer.receptions().isEmpty)
        #expect(throws: (any Error).self) {
            try MLLPDeliveryService(
                database: fixture.database, destination: MLLPDestination(endpoint: .init(host: "h", port: 1), usesTLS: true),
                logger: quietLogger
            )
        }
    }

    @Test("radscribe hl7 deliver --tls --ca FILE --text ft")
    func commandLine() async throws {
        let fixture = try CorrectedReportFixture("mllp-tls-cli")
        let expected = try fixture.enqueue(3)
        let certificate = try SelfSignedCertificate(in: fixture.directory)
        let dump = fixture.directory.appendingPathComponent("received")
        let peer = try PythonPeer.start(in: fixture.directory, dump: dump, tls: (certificate.certificate, certificate.key))
        let to = ["hl7", "deliver", "--to", "127.0.0.1:\(peer.port)", "--db", fixture.path, "--attempts", "2"]
        let untrusted = try ProcessRunner.radscribe(to + ["--tls", "--backoff", "0.05"])  // system roots only
        #expect(untrusted.exitCode == 75, "\(untrusted.stderr)")
        #expect(untrusted.stderr.contains("TLS handshake failed"))
        #expect(try ProcessRunner.radscribe(to + ["--ca", certificate.certificate.path]).exitCode != 0)  // --ca needs --tls
        let result = try ProcessRunner.radscribe(to + ["--tls", "--ca", certificate.certificate.path, "--text", "ft"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("delivered 4 message(s)"))
        #expect(peer.accepted() == expected)
        #expect(try dumped(dump).allSatisfy { String(decoding: $0, as: UTF8.self).contains("|FT|18782-3") })
    }

    @Test("radscribe serve --ris HOST:PORT,ft,tls --ris-ca FILE drains the outbox to the RIS, then stops on SIGTERM")
    func serveDeliversOverTLS() async throws {
        let fixture = try CorrectedReportFixture("mllp-tls-serve")
        let expected = try fixture.enqueue(3)
        let certificate = try SelfSignedCertificate(in: fixture.directory)
        let dump = fixture.directory.appendingPathComponent("received")
        let peer = try PythonPeer.start(
            in: fixture.directory, mode: "drop", faultAt: [2], dump: dump, tls: (certificate.certificate, certificate.key)
        )
        defer { peer.kill() }
        let serve = Process()
        serve.executableURL = ProjectPaths.radscribeBinary
        serve.arguments = [
            "serve", "--port", "0", "--no-dictation", "--db", fixture.path,
            "--ris", "127.0.0.1:\(peer.port),ft,tls", "--ris-ca", certificate.certificate.path,
        ]
        serve.standardOutput = FileHandle.nullDevice
        serve.standardError = FileHandle.nullDevice
        try serve.run()
        defer { if serve.isRunning { serve.terminate() } }
        try await waitUntil(30) { peer.accepted().count >= expected.count }
        serve.terminate()  // SIGTERM: graceful shutdown
        serve.waitUntilExit()
        #expect(serve.terminationStatus == 0)
        #expect(peer.accepted() == expected, "each message once, in order, despite the dropped connection")
        #expect(try fixture.database.resultMessages().allSatisfy { $0.state == .sent })
        #expect(try dumped(dump).allSatisfy { String(decoding: $0, as: UTF8.self).contains("|FT|") })
    }

    @Test("the MLLP listener over TLS answers a TLS client and nothing else")
    func listenerOverTLS() async throws {
        let directory = try ProjectPaths.temporaryDirectory("mllp-tls-listener")
        let certificate = try SelfSignedCertificate(in: directory)
        let port = try await freePort()
        let listener = MLLPListener(
            host: "127.0.0.1", port: port,
            tls: try MLLPTLSContext.server(certificateFile: certificate.certificate.path, privateKeyFile: certificate.key.path),
            logger: quietLogger,
            handler: { message, _ in "ACK for " + String(decoding: message.prefix(3), as: UTF8.self) }
        )
        let task = Task { try await listener.run() }
        defer { task.cancel() }
        let trusted = try MLLPTLSContext.client(trustRootsFile: certificate.certificate.path)
        // Wait until it listens.
        var reply: String?
        let deadline = Date().addingTimeInterval(10)
        while reply == nil, Date() < deadline {
            reply = try? await MLLPClient(endpoint: .init(host: "127.0.0.1", port: port), tls: trusted).withConnection {
                String(buffer: try await $0.exchange(ByteBuffer(string: "MSH|^~\\&|X\r"), timeout: .seconds(5)))
            }
            if reply == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(reply == "ACK for MSH")

        // Same port, plain TCP: the TLS listener never answers an unencrypted frame.
        await #expect(throws: MLLPError.self) {
            try await MLLPClient(endpoint: .init(host: "127.0.0.1", port: port)).withConnection {
                _ = try await $0.exchange(ByteBuffer(string: "MSH|^~\\&|X\r"), timeout: .seconds(2))
            }
        }
        // Wrong trust roots: the handshake fails before anything is sent.
        let other = try SelfSignedCertificate(in: directory, name: "other")
        await #expect(throws: MLLPError.self) {
            try await MLLPClient(
                endpoint: .init(host: "127.0.0.1", port: port),
                tls: try MLLPTLSContext.client(trustRootsFile: other.certificate.path)
            ).withConnection { _ in }
        }
        #expect(throws: MLLPError.self) {
            try MLLPTLSContext.server(certificateFile: certificate.certificate.path, privateKeyFile: other.key.path)
        }
    }
}
