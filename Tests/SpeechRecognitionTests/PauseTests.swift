import AudioCapture
import Dictation
import Foundation
import RadScribeCore
import SpeechRecognition
import Testing
import TestSupport

/// Utterance splitting must not depend on how long a radiologist pauses (issue 16): the same phrases joined by short
/// or long silences give the same words, and a "no" after a long pause is kept.
@Suite("Pauses of every length", .serialized, .integration, .tags(.speech))
struct PauseTests {
    static let configuration = RecognizerConfiguration.radiology(
        languageModel: ProjectPaths.root.appendingPathComponent("Lexicon/radiology.lm.bin"),
        dictionary: ProjectPaths.root.appendingPathComponent("Lexicon/radscribe.dict")
    )

    /// The product's recognizer: utterances end only at a pause after a thought ends (`--utterance-end thought`).
    static func product() throws -> Recognizer {
        let recognizer = try Recognizer(configuration: configuration)
        recognizer.endsUtteranceAtPause = DictationCommand.pauseEndsUtterance
        return recognizer
    }

    /// Each phrase synthesized on its own, joined by `pause` seconds of a low noise floor (a room, not digital zero).
    static func joined(_ phrases: [String], voice: TestVoice, pause: Double, in directory: URL) throws -> PCMAudio {
        var samples: [Int16] = []
        var generator = SplitMix(seed: 7)
        for (index, phrase) in phrases.enumerated() {
            let file = directory.appendingPathComponent("\(voice.rawValue)-\(index).wav")
            try SpeechSynthesizer.synthesize(phrase, voice: voice, to: file)
            if index > 0 {
                samples += (0..<Int(pause * 16_000)).map { _ in Int16(Int(generator.next() % 61) - 30) }  // about -60 dBFS
            }
            samples += try WAVReader.read(contentsOf: file).samples
        }
        return PCMAudio(samples: samples)
    }

    static let dictation = [
        "findings colon", "there is a small left pleural effusion period", "no pneumothorax period",
        "impression colon", "no acute cardiopulmonary process period",
    ]

    @Test("the same phrases with 0.2 s and 2.5 s pauses give the same words", arguments: [TestVoice.fliteSLT, .festivalSLT])
    func pauseLengthDoesNotChangeWords(voice: TestVoice) throws {
        let directory = try ProjectPaths.temporaryDirectory("pauses")
        defer { try? FileManager.default.removeItem(at: directory) }
        let short = try Self.product()
            .transcribe(try Self.joined(Self.dictation, voice: voice, pause: 0.2, in: directory)).spokenText
        let long = try Self.product()
            .transcribe(try Self.joined(Self.dictation, voice: voice, pause: 2.5, in: directory)).spokenText
        #expect(long == short, "0.2 s: \(short)\n2.5 s: \(long)")
        #expect(long.contains("no pneumothorax") && long.contains("no acute"), "\(long)")
    }

    @Test("a long pause before \"no acute\" keeps the \"no\"", arguments: [0.6, 1.2, 2.5, 3.0])
    func noAfterLongPause(pause: Double) throws {
        let directory = try ProjectPaths.temporaryDirectory("pause-no")
        defer { try? FileManager.default.removeItem(at: directory) }
        for voice in [TestVoice.fliteSLT, .fliteRMS] {
            let audio = try Self.joined(
                ["impression colon", "no acute intracranial process period"], voice: voice, pause: pause, in: directory
            )
            let spoken = try Self.product().transcribe(audio).spokenText
            #expect(spoken.contains("no acute intracranial"), "\(voice.rawValue), \(pause) s: \(spoken)")
        }
    }
}

/// A pause kept inside the decoder's utterance (after "colon", mid-sentence) must not cost what a pause between
/// utterances gives: word times in the stream, one utterance per stretch of speech, words shown at the pause.
@Suite("Pauses kept inside an utterance", .serialized, .integration, .tags(.speech))
struct KeptPauseTests {
    static let phrases = ["impression colon", "no acute intracranial process period"]

    @Test("words after a kept pause are timed in the stream, and open an utterance of their own")
    func timesAndStretches() throws {
        let directory = try ProjectPaths.temporaryDirectory("kept-pause")
        defer { try? FileManager.default.removeItem(at: directory) }
        let audio = try PauseTests.joined(Self.phrases, voice: .fliteSLT, pause: 2.5, in: directory)
        let first = try WAVReader.read(contentsOf: directory.appendingPathComponent("flite-slt-0.wav"))
        let firstSeconds = Double(first.samples.count) / 16_000
        let kept = try PauseTests.product().transcribe(audio)
        let split = try Recognizer(configuration: PauseTests.configuration).transcribe(audio)
        #expect(kept.utterances.map(\.spokenText) == ["impression colon", "no acute intracranial process period"])
        let no = try #require(kept.utterances.last?.words.first)
        // The second phrase starts 2.5 s after the first ends; the decoder itself would time it from the first.
        #expect(abs(no.start - (firstSeconds + 2.5)) < 0.25, "\"no\" at \(no.start) s, phrase at \(firstSeconds + 2.5) s")
        // Every-pause splitting times words exactly; the kept pause agrees with it to a few frames.
        let exact = split.utterances.flatMap(\.words)
        let retimed = kept.utterances.flatMap(\.words)
        try #require(exact.map(\.text) == retimed.map(\.text), "\(exact.map(\.text)) / \(retimed.map(\.text))")
        for (a, b) in zip(exact, retimed) {
            #expect(abs(a.start - b.start) < 0.06, "\(a.text): \(a.start) s split, \(b.start) s kept")
        }
    }

    @Test("at a kept pause the words so far are shown at once, then replaced by the final words")
    func provisionalWordsAtThePause() throws {
        let directory = try ProjectPaths.temporaryDirectory("kept-pause-live")
        defer { try? FileManager.default.removeItem(at: directory) }
        let audio = try PauseTests.joined(Self.phrases, voice: .fliteRMS, pause: 1.5, in: directory)
        let recognizer = try PauseTests.product()
        var finals: [[Utterance]] = []
        recognizer.searchAfterUtterance = { finals.append($0); return nil }
        try recognizer.beginStream()
        var shown: [String] = []
        var revision = 0
        for start in stride(from: 0, to: audio.samples.count, by: 1_600) {  // 100 ms at a time, as a microphone
            try recognizer.feed(audio.samples[start..<min(start + 1_600, audio.samples.count)])
            if recognizer.provisionalRevision != revision {
                revision = recognizer.provisionalRevision
                if !recognizer.provisionalUtterances.isEmpty {
                    shown.append(recognizer.provisionalUtterances.map(\.spokenText).joined(separator: " | "))
                }
            }
        }
        // The pause after "colon" was kept: the heading was shown during the pause, not held back to the end.
        #expect(shown == ["impression colon"], "\(shown)")
        #expect(finals.isEmpty, "nothing final before the thought ended: \(finals)")
        let transcript = try recognizer.finishStream()
        #expect(recognizer.provisionalUtterances.isEmpty)
        #expect(finals.count == 1 && finals[0].count == 2, "one close, two stretches: \(finals)")
        #expect(transcript.spokenText.hasPrefix("impression colon no acute"), "\(transcript.spokenText)")
    }

    @Test("a command after a pause ends the utterance, so the next one can use the field's grammar")
    func commandEndsTheUtterance() {
        #expect(DictationCommand.pauseEndsUtterance(UtterancePause(words: ["there", "is", "effusion", "period"], phraseStart: 0)))
        #expect(!DictationCommand.pauseEndsUtterance(UtterancePause(words: ["impression", "colon"], phraseStart: 0)))
        #expect(!DictationCommand.pauseEndsUtterance(UtterancePause(words: ["there", "is", "a"], phraseStart: 0)))
        #expect(DictationCommand.pauseEndsUtterance(UtterancePause(words: ["a", "b", "next", "field"], phraseStart: 2)))
        #expect(DictationCommand.pauseEndsUtterance(UtterancePause(words: ["x", "go", "to", "impression"], phraseStart: 1)))
        // "next field" inside a phrase that did not open with it is dictation ("next to the field of view").
        #expect(!DictationCommand.pauseEndsUtterance(UtterancePause(words: ["a", "next", "field"], phraseStart: 0)))
        #expect(DictationCommand.pauseEndsUtterance(UtterancePause(words: [], phraseStart: 0)))
    }
}

/// A small deterministic generator for the noise floor (the same samples on every run).
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
