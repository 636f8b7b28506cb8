import AudioCapture
import Dictation
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MLLP
import NIOCore
import RadScribeCore
import ReportStore
import ReportTemplates
import TestSupport

@testable import RadScribeCLI
@testable import RadScribeServer

/// A real SQLite store with the bundled templates, one user of each role logged in, and one dictated draft.
struct WorkstationFixture {
    static let accession = "WS-1001"
    static let template = "chest-radiograph-2-views"
    static let password = "correct-horse-1"

    let directory: URL
    let database: ReportDatabase
    /// Session token by role; the users are named after their role.
    let tokens: [UserRole: String]

    static func make(label: String = "workstation") throws -> WorkstationFixture {
        let directory = try ProjectPaths.temporaryDirectory(label)
        var database = try ReportDatabase(path: directory.appendingPathComponent("db.sqlite").path)
        database.resultEncoder = ORUResultEncoder.bundled
        database.findingCoder = BundledOntology.reportFindings
        try BundledTemplates.sync(into: database, from: try ResourceLocator.discover())
        var tokens: [UserRole: String] = [:]
        for role in UserRole.allCases {
            try database.addUser(name: role.rawValue, role: role, password: password, cost: 4, by: "test")
            tokens[role] = try database.login(name: role.rawValue, password: password).token
        }
        return WorkstationFixture(directory: directory, database: database, tokens: tokens)
    }

    func server(
        dictation: (any DictationEngine)? = nil,
        configuration: ServerConfiguration = ServerConfiguration(host: "127.0.0.1", port: 0),
        concepts: (any ConceptLookup)? = nil
    ) -> RadScribeServer {
        var logger = Logger(label: "workstation-test")
        logger.logLevel = .warning
        return RadScribeServer(
            database: database, configuration: configuration, dictation: dictation, concepts: concepts, logger: logger
        )
    }

    /// A scheduled order for `accession` (no report text yet), as the RIS would send it.
    func scheduledOrder(_ accession: String) throws {
        let order = NewOrderOptions.order(
            accession: accession, template: try parsedTemplate(), mrn: "MRN-8", patientName: "ROE^RICHARD",
            birthDate: "19600101", sex: "M"
        )
        try database.addOrder(order, source: "test")
    }

    func parsedTemplate() throws -> ReportTemplate {
        guard let stored = try database.template(slug: Self.template) else {
            throw ProcessFailure(description: "bundled template \(Self.template) missing")
        }
        return try BundledTemplates.parse(stored)
    }

    /// A STAT order and its dictated draft (spoken words with times, and one second of audio).
    @discardableResult
    func dictatedDraft(accession: String = accession, script: String) throws -> StoredReport {
        let template = try parsedTemplate()
        var order = NewOrderOptions.order(
            accession: accession, template: template, mrn: "MRN-7", patientName: "DOE^JANE", birthDate: "19580214", sex: "F"
        )
        order.priority = .stat
        try database.addOrder(order, source: "test")
        var session = DictationSession(template: template.fillingMergeFields(from: order, examDate: Date()))
        session.dictate(ScriptedDictation.transcript(from: script))
        let audio = PCMAudio(samples: (0..<16_000).map { Int16(truncatingIfNeeded: $0 % 200 - 100) })
        return try database.saveDictation(
            DictatedDraft(
                accession: accession, templateSlug: Self.template, sections: session.sections,
                spokenWords: session.spokenWords,
                audio: DictationAudio(sampleRate: 16_000, sampleCount: audio.samples.count, wav: audio.wavData()),
                author: UserRole.radiologist.rawValue, source: "script", orderIfNew: order
            )
        ).report
    }
}

extension TestClientProtocol {
    /// A JSON request as `role` (nil: no session).
    func call(
        _ method: HTTPRequest.Method, _ path: String, as role: UserRole?, tokens: [UserRole: String],
        json: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> (status: HTTPResponse.Status, body: ByteBuffer, headers: HTTPFields) {
        var headers = extra
        if let role, let token = tokens[role] { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }) {
            ($0.status, $0.body, $0.headers)
        }
    }
}

extension ByteBuffer {
    /// The body as a JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(readableBytesView))) as? [String: Any] ?? [:]
    }
}
