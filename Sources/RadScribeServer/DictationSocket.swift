import Dictation
import Foundation
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import RadScribeApp
import RadScribeCore
import ReportChecks
import ReportStore
import ReportTemplates
import Synchronization

/// One live dictation over a WebSocket: `start`, audio frames (browser) or server capture, `stop`; partial words,
/// finished utterances, the saved draft and the checks before signing go back as JSON text frames.
struct DictationSocket {
    let engine: any DictationEngine
    /// Accessions being dictated on this server: one dictation per report at a time.
    let inProgress: DictationsInProgress
    let database: ReportDatabase
    let user: StoredUser
    let outbound: WebSocketOutboundWriter
    let logger: Logger
    /// The longest dictation; audio past it is not taken and the dictation is saved as it stands.
    var maximumSeconds = DictationLimits.maximumSeconds

    private struct ClientMessage: Decodable {
        var type: String
        var accession: String?
        var template: String?
        var source: DictationSource?
    }

    func run(_ inbound: WebSocketInboundStream) async throws {
        var stream: (any DictationStream)?
        var recording: Task<Void, any Error>?
        var claimed: String?
        defer { if let claimed { inProgress.release(claimed) } }
        // Finishing happens once: on "stop", when server capture ends by itself, or when the connection drops.
        let finishing = FinishGate()
        var receivedSamples = 0
        let sampleLimit = Int(maximumSeconds * 16_000)
        do {
            for try await message in inbound.messages(maxSize: 1 << 20) {
                switch message {
                case .text(let text):
                    guard let request = try? JSONDecoder().decode(ClientMessage.self, from: Data(text.utf8)) else {
                        try await send(["type": "error", "error": "a text frame must be JSON with a \"type\""])
                        continue
                    }
                    switch request.type {
                    case "start":
                        guard stream == nil else {
                            try await send(["type": "error", "error": "this dictation has already started"])
                            continue
                        }
                        guard let accession = request.accession, !accession.isEmpty, let template = request.template
                        else {
                            try await send(["type": "error", "error": "start needs \"accession\" and \"template\""])
                            continue
                        }
                        let dictation = DictationRequest(
                            accession: accession, templateSlug: template, author: user.name,
                            source: request.source ?? .browser, maximumSeconds: maximumSeconds
                        )
                        // Orders come from the RIS or an administrator: a dictation never creates one, whatever
                        // the dictating role (POST /api/orders refuses radiologists and residents).
                        guard try await Blocking.run({ [database] in try database.order(accession: accession) }) != nil
                        else {
                            try await fail(
                                "no order with accession \(accession): orders come from the RIS or an administrator"
                            )
                            return
                        }
                        guard inProgress.claim(accession, by: user.name) else {
                            try await fail(
                                "\(accession) is being dictated by \(inProgress.author(of: accession) ?? "another user") "
                                    + "right now; wait until that dictation is saved"
                            )
                            return
                        }
                        claimed = accession
                        let opened: any DictationStream
                        do {
                            opened = try await Blocking.run { [engine] in try engine.open(dictation) }
                        } catch {
                            try await fail("\(APIError.describe(error))")
                            return
                        }
                        stream = opened
                        try await sendStarted(opened)
                        if dictation.source == .server { recording = startRecording(opened, finishing: finishing) }
                    case "stop":
                        guard let opened = stream else {
                            try await fail("stop before start")
                            return
                        }
                        opened.stop()
                        try await recording?.value
                        if finishing.claim() { try await finish(opened) }
                        return
                    default:
                        try await send(["type": "error", "error": "unknown message type '\(request.type)'"])
                    }
                case .binary(var buffer):
                    guard let opened = stream, recording == nil else {
                        try await send(["type": "error", "error": "audio frames come after start, from the browser source"])
                        continue
                    }
                    var samples = Self.samples(from: &buffer)
                    let room = sampleLimit - receivedSamples
                    if samples.count > room { samples.removeLast(samples.count - max(0, room)) }
                    receivedSamples += samples.count
                    if !samples.isEmpty {
                        let updates = try await Blocking.run { [samples] in try opened.feed(samples) }
                        try await send(updates)
                    }
                    if receivedSamples >= sampleLimit {
                        try await send([
                            "type": "notice",
                            "message": "the dictation reached its limit of \(Int(maximumSeconds / 60)) minutes and is saved as it stands",
                        ])
                        opened.stop()
                        if finishing.claim() { try await finish(opened) }
                        return
                    }
                }
            }
        } catch {
            logger.warning("dictation connection failed", metadata: ["error": "\(error)"])
        }
        // The connection ended without "stop" (tab closed, network): keep what was said rather than lose it.
        if let stream {
            stream.stop()
            _ = try? await recording?.value
        }
        if let stream, finishing.claim() {
            do {
                if let outcome = try await Blocking.run({ try stream.finish() }) {
                    logger.notice(
                        "dictation connection closed before stop: draft kept",
                        metadata: ["accession": "\(outcome.report.accession)"]
                    )
                } else {
                    logger.notice("dictation connection closed before any speech: nothing saved")
                }
            } catch {
                stream.abandon()
                logger.warning("dictation ended without a draft; its audio is journaled", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Server capture on a thread of its own (it blocks for the whole dictation); updates are sent as they come.
    private func startRecording(_ stream: any DictationStream, finishing: FinishGate) -> Task<Void, any Error> {
        let (updates, continuation) = AsyncThrowingStream.makeStream(of: [DictationUpdate].self)
        let thread = Thread {
            do {
                try stream.record { continuation.yield($0) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        thread.name = "radscribe-capture"
        thread.start()
        return Task {
            var batches = updates.makeAsyncIterator()
            while true {
                let batch: [DictationUpdate]?
                do {
                    batch = try await batches.next()
                } catch {
                    try await fail("recording from the reading-room microphone failed: \(APIError.describe(error))")
                    stream.abandon()
                    _ = finishing.claim()
                    throw error
                }
                guard let batch else { break }
                try await send(batch)
            }
            // The speaker stopped (end-of-speech silence) or the device ended: save as `radscribe dictate` does.
            if finishing.claim() { try await finish(stream) }
        }
    }

    private func finish(_ stream: any DictationStream) async throws {
        let finished: DictationOutcome?
        do {
            finished = try await Blocking.run { try stream.finish() }
        } catch {
            try await fail(APIError.describe(error))
            return
        }
        guard let outcome = finished else {
            try await send(["type": "notice", "message": "nothing was heard; the report is unchanged"])
            try await outbound.close(.normalClosure, reason: "nothing heard")
            return
        }
        try await send(outcome.updates)
        let report = outcome.report
        let checks = try await Blocking.run { [database] in
            try SigningService(store: database).checks(for: report, fieldValues: outcome.fieldValues)
        }
        try await sendJSON(SavedMessage(report: ReportBody(report, for: user.role), signRequested: outcome.signRequested))
        try await sendJSON(ChecksMessage(checks: ChecksBody(checks)))
        try await outbound.close(.normalClosure, reason: "saved")
    }

    private func sendStarted(_ stream: any DictationStream) async throws {
        try await sendJSON(
            StartedMessage(
                template: TemplateLayout(slug: stream.templateSlug, version: stream.templateVersion, template: stream.template),
                cursor: CursorBody(stream.cursor)
            )
        )
    }

    private func send(_ updates: [DictationUpdate]) async throws {
        for update in updates {
            switch update {
            case .partial(let text): try await send(["type": "partial", "text": text])
            case .utterance(let utterance): try await sendJSON(UtteranceMessage(utterance))
            }
        }
    }

    private func send(_ fields: [String: String]) async throws {
        try await outbound.write(.text(String(decoding: try JSONEncoder().encode(fields), as: UTF8.self)))
    }

    private func sendJSON(_ value: some Encodable) async throws {
        try await outbound.write(.text(String(decoding: try JSONResponse.encoder().encode(value), as: UTF8.self)))
    }

    private func fail(_ message: String) async throws {
        try await send(["type": "error", "error": message])
        try await outbound.close(.unexpectedServerError, reason: String(message.prefix(100)))
    }

    /// 16-bit little-endian samples; an odd trailing byte is dropped.
    static func samples(from buffer: inout ByteBuffer) -> [Int16] {
        var samples: [Int16] = []
        samples.reserveCapacity(buffer.readableBytes / 2)
        while let sample = buffer.readInteger(endianness: .little, as: Int16.self) { samples.append(sample) }
        return samples
    }
}

/// The accessions with a live dictation on this server, and who dictates each.
final class DictationsInProgress: Sendable {
    private let authors = Mutex<[String: String]>([:])

    /// True when `accession` was free and is now held for `user`.
    func claim(_ accession: String, by user: String) -> Bool {
        authors.withLock { authors in
            guard authors[accession] == nil else { return false }
            authors[accession] = user
            return true
        }
    }

    func release(_ accession: String) {
        authors.withLock { _ = $0.removeValue(forKey: accession) }
    }

    func author(of accession: String) -> String? {
        authors.withLock { $0[accession] }
    }
}

/// Lets exactly one of several paths finish a dictation.
final class FinishGate: Sendable {
    private let claimed = Atomic<Bool>(false)

    func claim() -> Bool {
        claimed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
    }
}

struct CursorBody: Encodable {
    var section: String
    var field: String?

    init(_ position: DictationSession.Position) {
        section = position.section
        field = position.field
    }
}

private struct StartedMessage: Encodable {
    var type = "started"
    var template: TemplateLayout
    var cursor: CursorBody
}

private struct UtteranceMessage: Encodable {
    var type = "utterance"
    var words: [AssessedWord]
    var end: Double
    var command: String?
    var sections: [SectionBody]
    var cursor: CursorBody
    var fields: [String: String]
    /// True for words shown at a pause the recognizer kept inside its utterance: the next utterance message
    /// replaces them (and the sections sent with them).
    var provisional: Bool

    init(_ update: UtteranceUpdate) {
        provisional = update.provisional
        let policy = WordRiskPolicy()
        words = AssessedWord.assess(update.words, policy: policy)
        end = update.end
        command = update.command
        sections = update.sections.map(SectionBody.init)
        cursor = CursorBody(update.cursor)
        fields = update.fieldValues
    }
}

private struct SavedMessage: Encodable {
    var type = "saved"
    var report: ReportBody
    var signRequested: Bool
}

private struct ChecksMessage: Encodable {
    var type = "checks"
    var blocking: Bool
    var results: [CheckResult]

    init(checks: ChecksBody) {
        blocking = checks.blocking
        results = checks.results
    }
}

/// The checks before signing of a stored report, against its order and template.
