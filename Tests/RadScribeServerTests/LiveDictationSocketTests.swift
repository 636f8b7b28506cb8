import AudioCapture
import Foundation
import HummingbirdTesting
import HummingbirdWebSocket
import HTTPTypes
import HummingbirdWSTesting
import HummingbirdWSClient
import NIOCore
import RadScribeCore
import ReportStore
import SpeechRecognition
import Testing
import TestSupport

@testable import RadScribeCLI
@testable import RadScribeServer

/// Live dictation through the WebSocket with the real recognizer: synthesized speech in 100 ms PCM frames, as the
/// browser sends it.
@Suite("Live dictation over WebSocket", .serialized, .integration, .tags(.speech))
struct LiveDictationSocketTests {
    static let utterances = [
        "findings", "no pneumothorax period", "go to impression", "no acute cardiopulmonary process period",
    ]

    static func speech(in directory: URL) throws -> [Int16] {
        var samples: [Int16] = Array(repeating: 0, count: 8_000)
        for (index, text) in utterances.enumerated() {
            let file = directory.appendingPathComponent("utterance-\(index).wav")
            try SpeechSynthesizer.synthesize(text, voice: .fliteSLT, to: file)
            samples += try WAVReader.read(contentsOf: file).samples
            samples += Array(repeating: 0, count: 14_000)
        }
        return samples + Array(repeating: 0, count: 16_000)
    }

    static func engine(_ fixture: WorkstationFixture) throws -> RecognizerDictationEngine {
        RecognizerDictationEngine(store: fixture.database, models: try ModelOptions.defaults(), device: "default")
    }

    static func frames(_ samples: [Int16]) -> [ByteBuffer] {
        stride(from: 0, to: samples.count, by: 1_600).map { start in
            var buffer = ByteBuffer()
            for sample in samples[start..<min(start + 1_600, samples.count)] {
                buffer.writeInteger(sample, endianness: .little)
            }
            return buffer
        }
    }

    @Test("partials, utterances with voice commands, the saved draft and the checks come back")
    func dictateOverWebSocket() async throws {
        let fixture = try WorkstationFixture.make(label: "ws-live")
        let accession = "WS-LIVE-1"
        try fixture.scheduledOrder(accession)
        let samples = try Self.speech(in: fixture.directory)
        let token = try #require(fixture.tokens[.radiologist])
        let received = MessageLog()
        try await fixture.server(dictation: try Self.engine(fixture)).makeApplication().test(.live) { client in
            try await client.ws("/api/dictation?token=\(token)") { inbound, outbound, _ in
                try await outbound.write(
                    .text(#"{"type":"start","accession":"\#(accession)","template":"\#(WorkstationFixture.template)","source":"browser"}"#)
                )
                for frame in Self.frames(samples) { try await outbound.write(.binary(frame)) }
                try await outbound.write(.text(#"{"type":"stop"}"#))
                for try await message in inbound.messages(maxSize: 1 << 22) {
                    if case .text(let text) = message { received.append(text) }
                }
            }
        }
        let messages = received.objects
        let types = messages.compactMap { $0["type"] as? String }
        #expect(types.first == "started")
        #expect(types.contains("partial"))
        #expect(types.filter { $0 == "utterance" }.count >= 3)
        #expect(Array(types.suffix(2)) == ["saved", "checks"])
        let commands = messages.compactMap { $0["command"] as? String }
        #expect(commands.contains("go to impression"))
        let saved = try #require(messages.first { $0["type"] as? String == "saved" }?["report"] as? [String: Any])
        #expect(saved["status"] as? String == "draft")
        let sections = try #require(saved["sections"] as? [[String: Any]])
        let impression = sections.first { $0["key"] as? String == "impression" }?["text"] as? String ?? ""
        #expect(impression.lowercased().contains("acute"), "impression: \(impression)")
        let stored = try fixture.database.existingReport(accession: accession)
        #expect(abs(stored.audioSeconds - Double(samples.count) / 16_000) < 0.1)
        #expect(try fixture.database.unfinishedCaptures(accession: accession).isEmpty)
    }

    @Test("a pause after \"colon\" shows the words at once as provisional; the final words replace them and are saved")
    func provisionalWordsAtAPause() async throws {
        let fixture = try WorkstationFixture.make(label: "ws-provisional")
        let accession = "WS-PROVISIONAL-1"
        try fixture.scheduledOrder(accession)
        var speech: [Int16] = Array(repeating: 0, count: 8_000)
        for (index, text) in ["impression colon", "no acute cardiopulmonary process period"].enumerated() {
            let file = fixture.directory.appendingPathComponent("phrase-\(index).wav")
            try SpeechSynthesizer.synthesize(text, voice: .fliteRMS, to: file)
            speech += try WAVReader.read(contentsOf: file).samples
            speech += Array(repeating: 0, count: 32_000)  // 2 s
        }
        let messages = try await Self.dictate(fixture, accession: accession, samples: speech)
        let utterances = messages.filter { $0["type"] as? String == "utterance" }
        let words = { (message: [String: Any]) in
            ((message["words"] as? [[String: Any]]) ?? []).compactMap { $0["text"] as? String }.joined(separator: " ")
        }
        let provisional = utterances.filter { $0["provisional"] as? Bool == true }
        // The heading's pause did not end the utterance, and its words did not wait for the end of the thought.
        #expect(provisional.map(words).contains("impression colon"), "\(utterances.map(words))")
        #expect(utterances.last?["provisional"] as? Bool == false)
        #expect(utterances.filter { $0["provisional"] as? Bool == false }.map(words).joined(separator: " ")
            .hasPrefix("impression colon no acute"), "\(utterances.map(words))")
        let stored = try fixture.database.existingReport(accession: accession)
        let impression = stored.sections.first { $0.key == "impression" }?.text ?? ""
        #expect(impression.lowercased().hasPrefix("no acute"), "impression: \(impression)")
    }

    @Test("a connection lost before stop keeps the draft; a transcriptionist cannot open one")
    func lostConnectionKeepsDraft() async throws {
        let fixture = try WorkstationFixture.make(label: "ws-lost")
        let accession = "WS-LOST-1"
        try fixture.scheduledOrder(accession)
        let samples = try Self.speech(in: fixture.directory)
        let token = try #require(fixture.tokens[.radiologist])
        try await fixture.server(dictation: try Self.engine(fixture)).makeApplication().test(.live) { client in
            try await client.ws("/api/dictation?token=\(token)") { _, outbound, _ in
                try await outbound.write(
                    .text(#"{"type":"start","accession":"\#(accession)","template":"\#(WorkstationFixture.template)"}"#)
                )
                for frame in Self.frames(samples) { try await outbound.write(.binary(frame)) }
                // Returning closes the connection without "stop".
            }
            var kept: StoredReport?
            for _ in 0..<100 where kept == nil {
                try await Task.sleep(for: .milliseconds(100))
                kept = try fixture.database.report(accession: accession)
            }
            let report = try #require(kept, "the dictation was lost with its connection")
            #expect(report.spokenWords.values.joined().contains { $0.text == "pneumothorax" })

            let typist = try #require(fixture.tokens[.transcriptionist])
            await #expect(throws: (any Error).self) {
                try await client.ws("/api/dictation?token=\(typist)") { _, _, _ in }
            }
        }
    }
}

extension LiveDictationSocketTests {
    @Test("a second dictation of the same report is refused while the first goes on")
    func oneDictationPerReport() async throws {
        let fixture = try WorkstationFixture.make(label: "ws-twice")
        try fixture.scheduledOrder("WS-TWICE")
        let first = try #require(fixture.tokens[.radiologist])
        let second = try #require(fixture.tokens[.resident])
        let start = #"{"type":"start","accession":"WS-TWICE","template":"\#(WorkstationFixture.template)"}"#
        let refused = MessageLog()
        try await fixture.server(dictation: try Self.engine(fixture)).makeApplication().test(.live) { client in
            try await client.ws("/api/dictation?token=\(first)") { inbound, outbound, _ in
                try await outbound.write(.text(start))
                var messages = inbound.messages(maxSize: 1 << 22).makeAsyncIterator()
                _ = try await messages.next()  // started
                try await client.ws("/api/dictation?token=\(second)") { inbound, outbound, _ in
                    try await outbound.write(.text(start))
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        if case .text(let text) = message { refused.append(text) }
                    }
                }
                try await outbound.write(.text(#"{"type":"stop"}"#))
                while try await messages.next() != nil {}
            }
        }
        let answer = try #require(refused.objects.first)
        #expect(answer["type"] as? String == "error")
        #expect((answer["error"] as? String)?.contains("is being dictated by radiologist") == true, "\(answer)")
    }
}

final class MessageLog: @unchecked Sendable {
    private let lock = NSLock()
    private var texts: [String] = []

    func append(_ text: String) { lock.withLock { texts.append(text) } }

    var objects: [[String: Any]] {
        lock.withLock { texts }.compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }
}

extension LiveDictationSocketTests {
    /// Runs one WebSocket dictation: `start`, the frames, then `stop` unless `drop`; returns the JSON messages.
    static func dictate(
        _ fixture: WorkstationFixture, accession: String, role: UserRole = .radiologist, samples: [Int16],
        drop: Bool = false, configuration: ServerConfiguration = ServerConfiguration(host: "127.0.0.1", port: 0)
    ) async throws -> [[String: Any]] {
        let token = try #require(fixture.tokens[role])
        let received = MessageLog()
        let server = fixture.server(dictation: try Self.engine(fixture), configuration: configuration)
        try await server.makeApplication().test(.live) { client in
            try await client.ws("/api/dictation?token=\(token)") { inbound, outbound, _ in
                try await outbound.write(
                    .text(#"{"type":"start","accession":"\#(accession)","template":"\#(WorkstationFixture.template)"}"#)
                )
                for frame in Self.frames(samples) { try await outbound.write(.binary(frame)) }
                if drop { return }
                try await outbound.write(.text(#"{"type":"stop"}"#))
                for try await message in inbound.messages(maxSize: 1 << 22) {
                    if case .text(let text) = message { received.append(text) }
                }
            }
            if drop { try await Task.sleep(for: .seconds(2)) }  // the server finishes after the client left
        }
        return received.objects
    }

    @Test("a dictation on an accession with no order is refused, for a resident too, and creates no order")
    func unknownAccessionCreatesNoOrder() async throws {
        let fixture = try WorkstationFixture.make(label: "ws-no-order")
        let messages = try await Self.dictate(fixture, accession: "WS-NOBODY", role: .resident, samples: [])
        let error = try #require(messages.first { $0["type"] as? String == "error" }?["error"] as? String)
        #expect(error.contains("no order"), "\(error)")
        #expect(try fixture.database.order(accession: "WS-NOBODY") == nil)
    }

    @Test("a dictation that hears nothing, stopped or dropped, leaves the draft as it was")
    func nothingHeardSavesNothing() async throws {
        let fixture = try WorkstationFixture.make(label: "ws-silent")
        let draft = try fixture.dictatedDraft(script: "findings\nno pneumothorax period\ngo to impression\nnormal chest period")
        for drop in [false, true] {
            let messages = try await Self.dictate(
                fixture, accession: WorkstationFixture.accession, samples: Array(repeating: 0, count: 16_000), drop: drop
            )
            if !drop { #expect(messages.contains { ($0["message"] as? String)?.contains("nothing was heard") == true }) }
            let now = try fixture.database.existingReport(accession: WorkstationFixture.accession)
            #expect(now.sections == draft.sections, "drop: \(drop)")
            #expect(try fixture.database.history(accession: WorkstationFixture.accession, by: nil).count == 1)
        }
    }

    @Test("a new dictation over a draft keeps the text it did not hear")
    func unheardTextIsKept() async throws {
        let fixture = try WorkstationFixture.make(label: "ws-keep")
        let draft = try fixture.dictatedDraft(script: "findings\nthe heart is normal in size period\ngo to impression\nnormal chest period")
        let before = try #require(draft.sections.first { $0.key == "impression" }?.text)
        let samples = try Self.speech(in: fixture.directory)
        _ = try await Self.dictate(fixture, accession: WorkstationFixture.accession, samples: samples)
        let after = try fixture.database.existingReport(accession: WorkstationFixture.accession)
        let findings = after.sections.first { $0.key == "findings" }?.text ?? ""
        #expect(findings.contains("heart is normal in size"), "\(findings)")
        #expect(findings.lowercased().contains("pneumothorax"), "\(findings)")
        #expect(after.sections.first { $0.key == "impression" }?.text.contains(before) == true)
    }

    @Test("browser audio past the maximum length is not taken; the dictation is saved as it stands")
    func lengthLimit() async throws {
        let fixture = try WorkstationFixture.make(label: "ws-limit")
        try fixture.scheduledOrder("WS-LIMIT")
        let samples = try Self.speech(in: fixture.directory)
        #expect(samples.count > 6 * 16_000)
        let messages = try await Self.dictate(
            fixture, accession: "WS-LIMIT", samples: samples,
            configuration: ServerConfiguration(host: "127.0.0.1", port: 0, maximumDictationSeconds: 5)
        )
        #expect(messages.contains { ($0["message"] as? String)?.contains("limit") == true })
        #expect(messages.contains { $0["type"] as? String == "saved" })
        #expect(try fixture.database.existingReport(accession: "WS-LIMIT").audioSeconds <= 5.01)
    }

    @Test("a finished live dictation frees its recognizer (no reference cycle through its callback)")
    func recognizerIsFreed() throws {
        let fixture = try WorkstationFixture.make(label: "ws-free")
        try fixture.scheduledOrder("WS-FREE")
        let samples = try Self.speech(in: fixture.directory)
        weak var recognizer: Recognizer?
        try {
            let stream = try #require(
                try Self.engine(fixture).open(
                    DictationRequest(
                        accession: "WS-FREE", templateSlug: WorkstationFixture.template, author: "radiologist",
                        source: .browser
                    )
                ) as? RecognizerDictationStream
            )
            recognizer = stream.recognizer
            _ = try stream.feed(samples)
            #expect(try stream.finish() != nil)
        }()
        #expect(recognizer == nil, "the recognizer outlived its dictation")
    }
}

extension LiveDictationSocketTests {
    @Test("a page of another origin (another port of this host, too) cannot open a dictation")
    func foreignOriginCannotDictate() async throws {
        let fixture = try WorkstationFixture.make(label: "ws-origin")
        let token = try #require(fixture.tokens[.radiologist])
        try await fixture.server(dictation: try Self.engine(fixture)).makeApplication().test(.live) { client in
            for origin in ["http://evil.example", "http://localhost:1"] {
                await #expect(throws: (any Error).self, "Origin \(origin)") {
                    try await client.ws(
                        "/api/dictation?token=\(token)", configuration: .init(additionalHeaders: [.origin: origin])
                    ) { _, _, _ in }
                }
            }
            // The page's own origin is welcome.
            try await client.ws(
                "/api/dictation?token=\(token)",
                configuration: .init(additionalHeaders: [.origin: "http://localhost:\(client.port ?? 0)"])
            ) { _, _, _ in }
        }
    }
}

extension LiveDictationSocketTests {
    @Test("a reading-room microphone that does not exist is named in the error, not hidden behind a neutral one")
    func missingDeviceIsNamed() async throws {
        let fixture = try WorkstationFixture.make(label: "ws-nodevice")
        try fixture.scheduledOrder("WS-NODEV")
        let token = try #require(fixture.tokens[.radiologist])
        let engine = RecognizerDictationEngine(
            store: fixture.database, models: try ModelOptions.defaults(), device: "radscribe_missing_pcm"
        )
        let received = MessageLog()
        try await fixture.server(dictation: engine).makeApplication().test(.live) { client in
            try await client.ws("/api/dictation?token=\(token)") { inbound, outbound, _ in
                try await outbound.write(
                    .text(#"{"type":"start","accession":"WS-NODEV","template":"\#(WorkstationFixture.template)","source":"server"}"#)
                )
                for try await message in inbound.messages(maxSize: 1 << 22) {
                    if case .text(let text) = message { received.append(text) }
                }
            }
        }
        let error = try #require(received.objects.first { $0["type"] as? String == "error" }?["error"] as? String)
        #expect(error.contains("radscribe_missing_pcm"), "\(error)")
    }
}
