import Foundation
import HTTPTypes
import Hummingbird
import Logging
import HummingbirdTesting
import NIOCore
import RadScribeCore
import ReportStore
import Testing
import TestSupport

@testable import RadScribeCLI
@testable import RadScribeServer

/// What an attacker and a careless client found (issue 18), each answered the way it must be.
@Suite("Hardening of the HTTP API", .integration, .tags(.validators))
struct HardeningTests {
    @Test("failed logins from one address are throttled (429, Retry-After) before the account can be locked")
    func loginThrottle() async throws {
        let fixture = try WorkstationFixture.make(label: "ws-throttle")
        try await fixture.server().makeApplication().test(.live) { client in
            let wrong = #"{"name":"radiologist","password":"not-the-password"}"#
            for _ in 0..<5 {
                let answer = try await client.call(.post, "/api/login", as: nil, tokens: [:], json: wrong)
                #expect(answer.status == .unauthorized)
            }
            let right = #"{"name":"radiologist","password":"\#(WorkstationFixture.password)"}"#
            let throttled = try await client.call(.post, "/api/login", as: nil, tokens: [:], json: right)
            #expect(throttled.status == .tooManyRequests)
            #expect(throttled.headers[.retryAfter].flatMap(Int.init) ?? 0 > 0)
            #expect(throttled.body.json["error"] is String)
        }
        // Five failures from one address do not lock the account: the store needs more.
        #expect(try fixture.database.user(named: "radiologist")?.lockedUntil == nil)
    }

    @Test("a foreign Origin is refused on state-changing routes; bodies must be JSON")
    func originAndContentType() async throws {
        let fixture = try WorkstationFixture.make(label: "ws-origin")
        try await fixture.server().makeApplication().test(.live) { client in
            let newUser = #"{"name":"mallory","role":"administrator","password":"long-enough-1"}"#
            let foreign = try await client.call(
                .post, "/api/users", as: .administrator, tokens: fixture.tokens, json: newUser,
                headers: [.origin: "http://evil.example"]
            )
            #expect(foreign.status == .forbidden)
            #expect(try await client.execute(
                uri: "/api/users", method: .post,
                headers: [
                    .authorization: "Bearer \(fixture.tokens[.administrator] ?? "")", .contentType: "text/plain",
                ],
                body: ByteBuffer(string: newUser)
            ).status == .unsupportedMediaType)
            #expect(try fixture.database.user(named: "mallory") == nil)
            // The same request from the page's own origin goes through.
            let created = try await client.call(
                .post, "/api/users", as: .administrator, tokens: fixture.tokens, json: newUser,
                headers: [.origin: "http://localhost"]
            )
            #expect(created.status == .created, "\(String(buffer: created.body))")
        }
    }

    @Test("errors come as {\"error\": string} and never echo internals; NUL in a search or a page path")
    func errorShapes() async throws {
        let fixture = try WorkstationFixture.make(label: "ws-errors")
        try await fixture.server().makeApplication().test(.live) { client in
            let malformed = try await client.call(.post, "/api/login", as: nil, tokens: [:], json: "{not json")
            #expect(malformed.status == .badRequest)
            #expect(malformed.body.json["error"] is String, "\(String(buffer: malformed.body))")
            let search = try await client.call(.get, "/api/search?q=lung%00clear", as: .radiologist, tokens: fixture.tokens)
            #expect(search.status == .badRequest)
            let text = String(buffer: search.body)
            #expect(!text.contains("SELECT") && !text.contains("SQL"), "\(text)")
            for path in ["/index.html%00", "/js/api.js%00.html"] {
                #expect(try await client.execute(uri: path, method: .get).status == .notFound, "\(path)")
            }
        }
    }

    @Test("PATCH /api/orders completes a patient; until then the report cannot be signed, not even forced")
    func patientUpdateBeforeSigning() async throws {
        let fixture = try WorkstationFixture.make(label: "ws-patient")
        try fixture.dictatedDraft(script: "findings\nno pneumothorax period\ngo to impression\nnormal chest period")
        // The fixture's order is complete; make the identifier the placeholder `dictate` uses.
        let sql = try ProcessRunner.run(tool: "sqlite3", [
            fixture.directory.appendingPathComponent("db.sqlite").path,
            "UPDATE orders SET mrn = 'UNKNOWN' WHERE accession = '\(WorkstationFixture.accession)'",
        ])
        #expect(sql.exitCode == 0, "\(sql.stderr)")
        let path = "/api/reports/\(WorkstationFixture.accession)/sign"
        try await fixture.server().makeApplication().test(.router) { client in
            let refused = try await client.call(.post, path, as: .radiologist, tokens: fixture.tokens, json: #"{"force":true}"#)
            #expect(refused.status == .conflict, "\(String(buffer: refused.body))")
            #expect((refused.body.json["error"] as? String)?.contains("PID-3") == true, "\(String(buffer: refused.body))")
            let updated = try await client.call(
                .patch, "/api/orders/\(WorkstationFixture.accession)", as: .administrator, tokens: fixture.tokens,
                json: #"{"mrn":"MRN-55"}"#
            )
            #expect(updated.status == .ok, "\(String(buffer: updated.body))")
            let signed = try await client.call(.post, path, as: .radiologist, tokens: fixture.tokens, json: "{}")
            #expect(signed.status == .ok, "\(String(buffer: signed.body))")
        }
        let payloads = try fixture.database.resultMessages(accession: WorkstationFixture.accession).compactMap(\.payload)
        #expect(!payloads.isEmpty)
        let verdict = try StrictHL7.validate(payloads)
        #expect(verdict.passed, "\(verdict.output)")
    }

    @Test("GET /api/ontology finds concepts by term and by RadLex RID; without a query it is 400")
    func ontologyLookup() async throws {
        let fixture = try WorkstationFixture.make(label: "ws-ontology")
        try await fixture.server(concepts: try BundledConceptLookup()).makeApplication().test(.router) { client in
            let byRID = try await client.call(.get, "/api/ontology?q=RID5352", as: .transcriptionist, tokens: fixture.tokens)
            #expect(byRID.status == .ok)
            let first = (byRID.body.json["concepts"] as? [[String: Any]])?.first
            #expect(first?["preferredTerm"] as? String == "pneumothorax" && first?["radlexRID"] as? String == "RID5352")
            let byTerm = try await client.call(.get, "/api/ontology?q=pleural%20effusion", as: .radiologist, tokens: fixture.tokens)
            let terms = (byTerm.body.json["concepts"] as? [[String: Any]] ?? []).compactMap { $0["preferredTerm"] as? String }
            #expect(terms.first == "pleural effusion", "\(terms)")
            let empty = try await client.call(.get, "/api/ontology?q=", as: .radiologist, tokens: fixture.tokens)
            #expect(empty.status == .badRequest)
        }
    }

    @Test("the debug request log holds neither tokens nor search text")
    func requestLogIsRedacted() async throws {
        let lines = LogCapture()
        var logger = Logger(label: "redaction") { _ in lines }
        logger.logLevel = .debug
        let fixture = try WorkstationFixture.make(label: "ws-redact")
        let server = RadScribeServer(
            database: fixture.database, configuration: ServerConfiguration(host: "127.0.0.1", port: 0), logger: logger
        )
        try await server.makeApplication().test(.router) { client in
            _ = try await client.call(.get, "/api/search?q=PHISEARCHTEXT", as: .radiologist, tokens: fixture.tokens)
            _ = try await client.execute(uri: "/api/dictation?token=SECRET123", method: .get)
        }
        let log = lines.text
        #expect(log.contains("/api/search"), "the request was not logged at all")
        #expect(!log.contains("PHISEARCHTEXT") && !log.contains("SECRET123"))
    }
}

/// Collects log lines, for checking what a log would hold.
final class LogCapture: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lock.withLock { lines.append("\(event.message) \(event.metadata ?? [:]) \(metadata)") }
    }

    var text: String { lock.withLock { lines.joined(separator: "\n") } }
}
