import AudioCapture
import Foundation
import RadScribeCore
import SpeechRecognition
import Testing
import TestSupport

@Suite("PocketSphinx recognizer", .integration, .tags(.speech))
struct RecognizerTests {
    static let radiology = RecognizerConfiguration(
        acousticModel: URL(fileURLWithPath: "/usr/share/pocketsphinx/model/en-us/en-us"),
        languageModel: ProjectPaths.root.appendingPathComponent("Lexicon/radiology.lm.bin"),
        dictionary: ProjectPaths.root.appendingPathComponent("Lexicon/radscribe.dict")
    )

    private func synthesize(_ text: String, voice: TestVoice = .fliteSLT, padSeconds: Double = 0) throws -> PCMAudio {
        let directory = try ProjectPaths.temporaryDirectory("asr")
        let wav = try SpeechSynthesizer.synthesize(text, voice: voice, to: directory.appendingPathComponent("d.wav"))
        return try WAVReader.read(contentsOf: wav)
    }

    @Test("radiology words missing from CMUdict are recognized with timings and confidences")
    func recognizesRadiology() throws {
        let audio = try synthesize("there is a small left pleural effusion period no pneumothorax period")
        let recognizer = try Recognizer(configuration: Self.radiology)
        let transcript = try recognizer.transcribe(audio)
        let spoken = transcript.spokenText
        #expect(spoken.contains("left pleural effusion"), "got: \(spoken)")
        #expect(spoken.contains("no pneumothorax"), "got: \(spoken)")
        let words = transcript.words
        for (previous, next) in zip(words, words.dropFirst()) {
            #expect(previous.end <= next.start + 0.011, "words in time order")
        }
        for word in words {
            #expect(word.start >= 0 && word.end <= audio.duration + 0.05 && word.start < word.end)
            #expect((0...1).contains(word.confidence))
        }
    }

    @Test("a long recording is split into utterances on silence, with stream-relative times")
    func splitsOnSilence() throws {
        let directory = try ProjectPaths.temporaryDirectory("asr-split")
        let first = try SpeechSynthesizer.synthesize("the heart size is normal period", to: directory.appendingPathComponent("a.wav"))
        let second = try SpeechSynthesizer.synthesize("no pleural effusion period", to: directory.appendingPathComponent("b.wav"))
        let joined = directory.appendingPathComponent("joined.wav")
        let sox = try ProcessRunner.run(tool: "sox", [first.path, second.path, joined.path, "pad", "0", "0"])
        #expect(sox.exitCode == 0)
        // Two seconds of silence between the sentences.
        let gap = directory.appendingPathComponent("gap.wav")
        _ = try ProcessRunner.run(tool: "sox", ["-n", "-r", "16000", "-c", "1", "-b", "16", gap.path, "trim", "0", "2"])
        let spaced = directory.appendingPathComponent("spaced.wav")
        _ = try ProcessRunner.run(tool: "sox", [first.path, gap.path, second.path, spaced.path])
        let audio = try WAVReader.read(contentsOf: spaced)
        let recognizer = try Recognizer(configuration: Self.radiology)
        let transcript = try recognizer.transcribe(audio)
        #expect(transcript.utterances.count >= 2, "got \(transcript.utterances.map(\.spokenText))")
        let last = try #require(transcript.utterances.last)
        #expect(last.start > 2.0, "second sentence starts after the gap: \(last.start)")
        #expect(recognizer.finalizationLatencies.count == transcript.utterances.count)
    }

    @Test("the same recognizer decodes several streams; each starts its clock at zero")
    func reusable() throws {
        let audio = try synthesize("no pneumothorax period")
        let recognizer = try Recognizer(configuration: Self.radiology)
        let first = try recognizer.transcribe(audio)
        let second = try recognizer.transcribe(audio)
        #expect(first.spokenText == second.spokenText)
        #expect(first.words.first?.start == second.words.first?.start)
    }

    @Test("missing model files are a clear error")
    func missingModel() throws {
        var configuration = Self.radiology
        configuration.languageModel = URL(fileURLWithPath: "/nonexistent/radiology.lm.bin")
        let error = try #require(throws: RecognitionError.self) { try Recognizer(configuration: configuration) }
        #expect(error.description.contains("/nonexistent/radiology.lm.bin"))
    }
}
