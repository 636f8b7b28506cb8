import AudioCapture
import Foundation
import RadScribeCore
import SpeechRecognition
import Testing
import TestSupport

/// Utterance splitting must not depend on how long a radiologist pauses (issue 16): the same phrases joined by short
/// or long silences give the same words, and a "no" after a long pause is kept.
@Suite("Pauses of every length", .serialized)
struct PauseTests {
    static let product = RecognizerConfiguration.radiology(
        languageModel: ProjectPaths.root.appendingPathComponent("Lexicon/radiology.lm.bin"),
        dictionary: ProjectPaths.root.appendingPathComponent("Lexicon/radscribe.dict")
    )

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
        let short = try Recognizer(configuration: Self.product)
            .transcribe(try Self.joined(Self.dictation, voice: voice, pause: 0.2, in: directory)).spokenText
        let long = try Recognizer(configuration: Self.product)
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
            let spoken = try Recognizer(configuration: Self.product).transcribe(audio).spokenText
            #expect(spoken.contains("no acute intracranial"), "\(voice.rawValue), \(pause) s: \(spoken)")
        }
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
