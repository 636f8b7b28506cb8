import AudioCapture
import Foundation
import RadScribeCore
@testable import SpeechRecognition
import Testing
import TestSupport

/// Words added to a running recognizer (`Recognizer.addWords`), past the dozen words that make a plain
/// `ps_add_word` into the small radiology trie LM crash the next decode.
@Suite("Runtime vocabulary", .integration, .tags(.speech))
struct RuntimeVocabularyTests {
    /// Eponyms and rare terms missing from the bundled dictionary, with hand-checked CMU phones.
    static let words: [VocabularyWord] = [
        ("bochdalek", "B AA CH D EY L AH K"), ("kommerell", "K AA M ER EH L"), ("morgagni", "M AO R G AE G N IY"),
        ("tornwaldt", "T AO R N W AO L T"), ("gerdy", "JH ER D IY"), ("klatskin", "K L AE T S K IH N"),
        ("krukenberg", "K R UW K AH N B ER G"), ("kager", "K AA G ER"), ("wormian", "W ER M IY AH N"),
        ("pancoast", "P AE N K OW S T"), ("hampton", "HH AE M P T AH N"), ("westermark", "W EH S T ER M AA R K"),
        ("chilaiditi", "CH IH L AY D IH T IY"), ("stener", "S T IY N ER"), ("pellegrini", "P EH L AH G R IY N IY"),
        ("stieda", "S T IY D AH"),
    ].map { VocabularyWord(word: $0.0, phones: $0.1.split(separator: " ").map(String.init)) }

    private func audio(_ text: String, _ directory: URL, voice: TestVoice = .fliteSLT) throws -> PCMAudio {
        let wav = try SpeechSynthesizer.synthesize(text, voice: voice, to: directory.appendingPathComponent("\(UUID()).wav"))
        return try WAVReader.read(contentsOf: wav)
    }

    @Test("sixteen words added at once, then decoding works and hears the new word")
    func manyWordsThenDecode() throws {
        let directory = try ProjectPaths.temporaryDirectory("vocabulary")
        let sentence = try audio("there is a small bochdalek hernia period no pleural effusion period", directory)
        let recognizer = try Recognizer(configuration: RecognizerTests.radiology)
        let before = try recognizer.transcribe(sentence).spokenText
        #expect(!before.contains("bochdalek"), "not in the bundled dictionary: \(before)")
        try #require(Self.words.count > 12)
        try recognizer.addWords(Self.words)
        #expect(recognizer.addedWords.count == Self.words.count)
        #expect(recognizer.pronunciation(of: "westermark") == ["W", "EH", "S", "T", "ER", "M", "AA", "R", "K"])
        let after = try recognizer.transcribe(sentence).spokenText
        #expect(after.contains("small bochdalek hernia"), "got: \(after)")
        #expect(after.contains("no pleural effusion"), "the rest still recognized: \(after)")
    }

    @Test("words added in several batches, one at a time past a dozen, keep decoding")
    func batches() throws {
        let directory = try ProjectPaths.temporaryDirectory("vocabulary-batches")
        let sentence = try audio("no pneumothorax period the heart size is normal period", directory)
        let recognizer = try Recognizer(configuration: RecognizerTests.radiology)
        let reference = try recognizer.transcribe(sentence).spokenText
        for word in Self.words {
            try recognizer.addWords([word])
            _ = try recognizer.transcribe(sentence)
        }
        try recognizer.addWords(Self.words)  // all known now: nothing to do
        #expect(recognizer.addedWords.count == Self.words.count)
        #expect(try recognizer.transcribe(sentence).spokenText == reference)
    }

    @Test("a word added while the speaker talks serves the next utterance")
    func midUtterance() throws {
        let directory = try ProjectPaths.temporaryDirectory("vocabulary-live")
        let first = try SpeechSynthesizer.synthesize("no pleural effusion period", to: directory.appendingPathComponent("a.wav"))
        let second = try SpeechSynthesizer.synthesize(
            "there is a small bochdalek hernia period", to: directory.appendingPathComponent("b.wav")
        )
        let gap = directory.appendingPathComponent("gap.wav")
        _ = try ProcessRunner.run(tool: "sox", ["-n", "-r", "16000", "-c", "1", "-b", "16", gap.path, "trim", "0", "2"])
        let joined = directory.appendingPathComponent("joined.wav")
        let sox = try ProcessRunner.run(tool: "sox", [first.path, gap.path, second.path, gap.path, joined.path])
        try #require(sox.exitCode == 0, "\(sox.stderr)")
        let audio = try WAVReader.read(contentsOf: joined)

        let recognizer = try Recognizer(configuration: RecognizerTests.radiology)
        try recognizer.beginStream()
        // Feed the first sentence up to its middle: speech under way.
        let middle = Int(0.6 * Double(PCMAudio.recognizerSampleRate))
        try recognizer.feed(audio.samples[0..<middle])
        try #require(recognizer.isInSpeech || recognizer.hasHeardSpeech)
        try recognizer.addWords(Self.words)
        #expect(recognizer.addedWords.isEmpty, "waits for the end of the utterance")
        try recognizer.feed(audio.samples[middle...])
        let transcript = try recognizer.finishStream()
        #expect(recognizer.addedWords.count == Self.words.count)
        let texts = transcript.utterances.map(\.spokenText)
        #expect(texts.first?.contains("no pleural effusion") == true, "\(texts)")
        #expect(texts.last?.contains("bochdalek") == true, "\(texts)")
    }

    @Test("a grammar search still works after words were added, and the language model after it")
    func grammarAfterWords() throws {
        let directory = try ProjectPaths.temporaryDirectory("vocabulary-grammar")
        let recognizer = try Recognizer(configuration: RecognizerTests.radiology)
        try recognizer.addGrammar(named: "side", jsgf: "#JSGF V1.0;\ngrammar side;\npublic <side> = left | right | bilateral;\n")
        try recognizer.useSearch("side")
        try recognizer.addWords(Self.words)
        #expect(recognizer.currentSearch == "side")
        let side = try recognizer.transcribe(try audio("left", directory))
        #expect(side.spokenText == "left")
        try recognizer.useSearch(nil)
        let free = try recognizer.transcribe(try audio("there is a small bochdalek hernia period", directory))
        #expect(free.spokenText.contains("bochdalek"), "\(free.spokenText)")
    }

    @Test("a pronunciation with a phone the model lacks is refused")
    func rejected() throws {
        let recognizer = try Recognizer(configuration: RecognizerTests.radiology)
        #expect(throws: RecognitionError.wordRejected("", phones: "")) {
            try recognizer.addWords([VocabularyWord(word: "zzyzx", phones: ["Z", "QX", "Z"])])
        }
        // Still decodes with the model it had.
        let directory = try ProjectPaths.temporaryDirectory("vocabulary-rejected")
        #expect(try recognizer.transcribe(try audio("no pneumothorax period", directory)).spokenText.contains("no pneumothorax"))
    }
}

@Suite("ARPA text with added unigrams")
struct ARPATextTests {
    static let arpa = """
        \\data\\
        ngram 1=4
        ngram 2=1

        \\1-grams:
        -99.0000\t<s>\t-0.3000
        -1.0000\t</s>
        -2.0000\tno\t-0.2000
        -3.0000\teffusion\t-0.1000

        \\2-grams:
        -0.5000\tno effusion

        \\end\\
        """

    @Test("new words become unigrams with the upper-quartile probability; the count follows; known words are skipped")
    func adds() {
        let text = ARPAText.addingUnigrams(["bochdalek", "no", "kommerell", "bochdalek"], to: Self.arpa)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.contains("ngram 1=6"))
        #expect(lines.contains("-1.0000\tbochdalek\t0.0000"), "upper quartile of -3, -2, -1")
        #expect(lines.contains("-1.0000\tkommerell\t0.0000"))
        #expect(lines.filter { $0.contains("\tno\t") }.count == 1)
        let unigrams = lines.drop { $0 != "\\1-grams:" }.dropFirst().prefix { !$0.isEmpty }
        #expect(unigrams.count == 6, "added inside the 1-gram section")
        #expect(ARPAText.addingUnigrams(["no"], to: Self.arpa) == Self.arpa)
    }
}
