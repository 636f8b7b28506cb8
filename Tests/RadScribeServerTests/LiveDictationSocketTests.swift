import AudioCapture
import Foundation
import HummingbirdTesting
import HummingbirdWebSocket
import HummingbirdWSTesting
import NIOCore
import RadScribeCore
import ReportStore
import Testing
import TestSupport

@testable import RadScribeCLI
@testable import RadScribeServer

/// Live dictation through the WebSocket with the real recognizer: synthesized speech in 100 ms PCM frames, as the
/// browser sends it.
@Suite("Live dictation over WebSocket", .serialized)
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

    @Test("a connection lost before stop keeps the draft; a transcriptionist cannot open one")
    func lostConnectionKeepsDraft() async throws {
        let fixture = try WorkstationFixture.make(label: "ws-lost")
        let accession = "WS-LOST-1"
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
