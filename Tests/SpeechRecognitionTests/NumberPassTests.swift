import AudioCapture
import Foundation
import RadScribeCore
@testable import SpeechRecognition
import Testing
import TestSupport

/// Where the first pass heard a number, and what is decoded again (issue 16: measurement-grade numbers).
@Suite("Number-like stretches of a first pass")
struct NumberSpanTests {
    static func spans(_ text: String) -> [String] {
        let words = text.split(separator: " ").map(String.init)
        return NumberSpans.find(in: words).map { words[$0].joined(separator: " ") }
    }

    @Test("numbers, decimals, dimensions and units are one stretch each")
    func plainNumbers() {
        #expect(Self.spans("measuring two point five centimeters period") == ["two point five centimeters"])
        #expect(Self.spans("four point two by three point one by two centimeters") == ["four point two by three point one by two centimeters"])
        #expect(Self.spans("a fourteen millimeter nodule") == ["fourteen millimeter"])
        #expect(Self.spans("two to three millimeters") == ["two to three millimeters"])
        #expect(Self.spans("there is no effusion") == [])
    }

    @Test("a stray word between number words, and a homophone before it, belong to the number")
    func misheardNumbers() {
        #expect(Self.spans("one blind eight centimeters") == ["one blind eight centimeters"])
        #expect(Self.spans("measures to plan five centimeters") == ["to plan five centimeters"])
    }

    @Test("only doubtful stretches are decided again, and never a vertebral level")
    func doubtfulOnly() {
        func words(_ text: String, doubtful: Set<String> = []) -> [RecognizedWord] {
            text.split(separator: " ").enumerated().map { index, word in
                RecognizedWord(
                    text: String(word), start: Double(index), end: Double(index) + 0.5,
                    confidence: doubtful.contains(String(word)) ? 0.1 : 0.95
                )
            }
        }
        #expect(NumberSpans.toDecide(in: words("series seven image")).isEmpty, "a confident number stays")
        #expect(NumberSpans.toDecide(in: words("series seven image", doubtful: ["seven"])) == [1..<2])
        #expect(NumberSpans.toDecide(in: words("one blind eight centimeters")) == [0..<4], "a stray word is doubtful")
        #expect(NumberSpans.toDecide(in: words("at c six seven", doubtful: ["six"])).isEmpty, "a level")
        #expect(NumberSpans.toDecide(in: words("l five s one", doubtful: ["five", "one"])).isEmpty, "levels")
    }

    @Test("ordinary words around numbers stay text")
    func wordsStayText() {
        #expect(Self.spans("up to five lymph nodes") == ["five"])
        #expect(Self.spans("one of two nodules") == ["one", "two"])
        #expect(Self.spans("ten by the") == ["ten"])
        #expect(Self.spans("series two image forty") == ["two", "forty"])
        #expect(Self.spans("series two image four") == ["two image four"], "a decimal's stray word: decided by the grammar")
    }
}

/// The second pass decodes the audio of a number again with a grammar of numbers only.
@Suite("Second pass over spoken numbers", .serialized, .integration, .tags(.speech))
struct NumberPassTests {
    static let configuration = RecognizerConfiguration.radiology(
        languageModel: ProjectPaths.root.appendingPathComponent("Lexicon/radiology.lm.bin"),
        dictionary: ProjectPaths.root.appendingPathComponent("Lexicon/radscribe.dict")
    )

    /// What the recognizer with its number pass hears of `text` spoken by `voice`.
    static func heardWithNumberPass(_ text: String, voice: TestVoice) throws -> String {
        let recognizer = try Recognizer(configuration: configuration)
        try recognizer.useNumberPass()
        return try recognizer.transcribe(try speak(text, voice: voice)).spokenText
    }

    static func speak(_ text: String, voice: TestVoice) throws -> PCMAudio {
        let directory = try ProjectPaths.temporaryDirectory("number-pass")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try SpeechSynthesizer.synthesize(text, voice: voice, to: directory.appendingPathComponent("n.wav"))
        return try WAVReader.read(contentsOf: file)
    }

    @Test("\"two point five centimeters\" mis-heard as \"to plan five\" is decided as two point five", arguments: [TestVoice.fliteSLT, .fliteRMS, .festivalSLT])
    func misheardDecimal(voice: TestVoice) throws {
        let audio = try Self.speak("the nodule measures two point five centimeters period", voice: voice)
        let first = try Recognizer(configuration: Self.configuration).transcribe(audio).utterances.flatMap(\.words)
        // The first pass's words before "five" carry the times of "two point five" (flite slt's are "tube line").
        let five = try #require(first.firstIndex { $0.text == "five" }, "first pass: \(first.map(\.text))")
        try #require(five >= 2)
        // The first pass as the issue saw it: the same audio and times, the words of a mis-hearing.
        var misheard = first
        misheard[five - 2].text = "to"
        misheard[five - 1].text = "plan"
        let refined = try NumberPass(configuration: Self.configuration).refine(misheard, audio: audio.samples, audioStart: 0)
        let text = refined.map(\.text).joined(separator: " ")
        #expect(text == "the nodule measures two point five centimeters period", "\(text)")
        // The words the grammar changed are marked for the transcriptionist.
        let changed = refined.filter { $0.text == "two" || $0.text == "point" }
        #expect(changed.allSatisfy { $0.confidence < WordRiskPolicy().threshold }, "\(changed)")
    }

    @Test("\"one blind eight\" is never written: the stretch is decided as a number", arguments: [TestVoice.fliteSLT, .fliteRMS, .festivalSLT])
    func strayWordInNumber(voice: TestVoice) throws {
        let audio = try Self.speak("measuring one point eight centimeters period", voice: voice)
        let first = try Recognizer(configuration: Self.configuration).transcribe(audio).utterances.flatMap(\.words)
        let eight = try #require(first.firstIndex { $0.text == "eight" }, "first pass: \(first.map(\.text))")
        var misheard = first
        misheard[eight - 1].text = "blind"
        let refined = try NumberPass(configuration: Self.configuration).refine(misheard, audio: audio.samples, audioStart: 0)
        let text = refined.map(\.text).joined(separator: " ")
        #expect(!text.contains("blind"), "\(text)")
        if voice == .fliteSLT {
            // flite slt's "point" is nearer "by" than "point" to this acoustic model, even alone among numbers: a
            // dimension is written, and marked low-confidence for the transcriptionist (BENCHMARKS.md).
            #expect(text.contains("one by eight centimeters") || text.contains("one point eight centimeters"), "\(text)")
            #expect(refined.contains { $0.confidence < WordRiskPolicy().threshold }, "changed words are flagged")
        } else {
            #expect(text.contains("one point eight centimeters"), "\(text)")
        }
    }

    @Test("a confident number is the first pass's: \"series seven image\" does not become seventy")
    func confidentNumberStays() throws {
        // On the development set the grammar alone heard "seventy" here (the "i" of "image" after "seven").
        let spoken = try Self.heardWithNumberPass("eight millimeters on series seven image twenty two period", voice: .fliteSLT)
        #expect(spoken.contains("series seven image twenty two"), "\(spoken)")
    }

    @Test("\"extends to within two centimeters\" stays: a homophone before a stray word must be a decimal's")
    func homophoneNeedsPoint() throws {
        // Found on the development set: the grammar made "two to one centimeters" of it.
        let spoken = try Self.heardWithNumberPass("the thrombus extends to within two centimeters of the knee period", voice: .fliteRMS)
        #expect(!spoken.contains("two to one"), "\(spoken)")
    }

    @Test("words that are not numbers pass untouched: \"up to five\" stays")
    func untouched() throws {
        let spoken = try Self.heardWithNumberPass("up to five lymph nodes period", voice: .fliteRMS)
        #expect(spoken.hasPrefix("up to five"), "\(spoken)")
    }
}
