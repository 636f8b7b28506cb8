import AudioCapture
import Foundation
import RadScribeCore
import SpeechRecognition
import Testing
import TestSupport

@Suite("Speaker adaptation with sphinxtrain", .integration, .tags(.speech, .adaptation))
struct SpeakerAdaptationTests {
    static let baseModel = URL(fileURLWithPath: "/usr/share/pocketsphinx/model/en-us/en-us")
    static let dictionary = ProjectPaths.root.appendingPathComponent("Lexicon/radscribe.dict")

    static let sentences = [
        "the heart size is normal and the mediastinal contours are unremarkable period",
        "there is a small right pleural effusion with adjacent atelectasis period",
        "both kidneys are normal in size without hydronephrosis period",
        "the liver is enlarged and measures nineteen centimeters in length period",
    ]

    private func samples(voice: TestVoice = .fliteRMS) throws -> [AdaptationSample] {
        let directory = try ProjectPaths.temporaryDirectory("adapt-audio")
        defer { try? FileManager.default.removeItem(at: directory) }
        return try Self.sentences.enumerated().map { index, sentence in
            let wav = try SpeechSynthesizer.synthesize(
                sentence, voice: voice, to: directory.appendingPathComponent("s\(index).wav")
            )
            return AdaptationSample(
                name: "s\(index)", audio: try WAVReader.read(contentsOf: wav),
                words: sentence.split(separator: " ").map(String.init)
            )
        }
    }

    @Test("MLLR adaptation on a few sentences writes a transform that decodes a new sentence")
    func mllrProfileDecodes() throws {
        let output = try ProjectPaths.temporaryDirectory("adapt-out")
        defer { try? FileManager.default.removeItem(at: output) }
        var lines: [String] = []
        let adapter = SpeakerAdapter(baseModel: Self.baseModel, dictionary: Self.dictionary)
        let outcome = try adapter.adapt(
            try samples(), method: .mllr, output: output, workDirectory: output.appendingPathComponent("work")
        ) { lines.append($0) }
        let matrix = try #require(outcome.mllrMatrix)
        #expect(FileManager.default.fileExists(atPath: matrix.path))
        #expect(outcome.sentenceCount == Self.sentences.count)
        #expect(outcome.audioSeconds > 5)
        #expect(lines.contains { $0.contains("bw") } && lines.contains { $0.contains("mllr_solve") })

        let profile = SpeakerProfile(
            speaker: "drtest", method: .mllr, createdAt: Date(), updatedAt: Date(),
            sentenceCount: outcome.sentenceCount, audioSeconds: outcome.audioSeconds, enrollmentSentences: 4,
            correctionSentences: 0, baseModel: Self.baseModel.path
        )
        try profile.save(to: output)
        let loaded = try SpeakerProfile.load(speaker: "drtest", from: output)
        #expect(loaded.method == .mllr && loaded.sentenceCount == 4 && loaded.audioSeconds == outcome.audioSeconds)
        let configuration = try profile.applied(to: RecognizerTests.radiology, directory: output)
        #expect(configuration.extraOptions["-mllr"] == matrix.path)

        let directory = try ProjectPaths.temporaryDirectory("adapt-test")
        defer { try? FileManager.default.removeItem(at: directory) }
        let wav = try SpeechSynthesizer.synthesize(
            "no pneumothorax period the lungs are clear period", voice: .fliteRMS,
            to: directory.appendingPathComponent("t.wav")
        )
        let spoken = try Recognizer(configuration: configuration).transcribe(WAVReader.read(contentsOf: wav)).spokenText
        #expect(spoken.contains("no pneumothorax"), "got: \(spoken)")
        #expect(spoken.contains("lungs are clear"), "got: \(spoken)")
    }

    @Test("MAP adaptation re-estimates the model in two passes, and the adapted model decodes a new sentence")
    func mapProfileDecodes() throws {
        let output = try ProjectPaths.temporaryDirectory("adapt-map")
        defer { try? FileManager.default.removeItem(at: output) }
        let work = output.appendingPathComponent("work")
        var lines: [String] = []
        let adapter = SpeakerAdapter(baseModel: Self.baseModel, dictionary: Self.dictionary)
        let outcome = try adapter.adapt(try samples(), method: .map, output: output, workDirectory: work) {
            lines.append($0)
        }
        let model = try #require(outcome.adaptedModel)
        #expect(lines.contains("re-estimating the model (map_adapt, pass 2 of 2)"), "\(lines)")
        for pass in 1...2 {
            let log = try String(contentsOf: work.appendingPathComponent("logs/bw-\(pass).log"), encoding: .utf8)
            #expect(log.contains("overall>"), "bw pass \(pass) aligned the data")
        }
        for name in ["means", "variances", "mixture_weights", "transition_matrices", "mdef"] {
            #expect(FileManager.default.fileExists(atPath: model.appendingPathComponent(name).path), "\(name)")
        }
        // The second pass starts from the speaker-independent prior again, so its means differ from the first's.
        let first = try Data(contentsOf: work.appendingPathComponent("map-pass-1/means"))
        #expect(try Data(contentsOf: model.appendingPathComponent("means")) != first)

        let profile = SpeakerProfile(
            speaker: "drmap", method: .map, createdAt: Date(), updatedAt: Date(), sentenceCount: outcome.sentenceCount,
            audioSeconds: outcome.audioSeconds, enrollmentSentences: 4, correctionSentences: 0,
            baseModel: Self.baseModel.path
        )
        let configuration = try profile.applied(to: RecognizerTests.radiology, directory: output)
        #expect(configuration.acousticModel.standardizedFileURL.path == model.standardizedFileURL.path)
        #expect(configuration.extraOptions == RecognizerTests.radiology.extraOptions, "a MAP profile changes only the model")
        let wav = try SpeechSynthesizer.synthesize(
            "no pneumothorax period the lungs are clear period", voice: .fliteRMS,
            to: output.appendingPathComponent("t.wav")
        )
        let spoken = try Recognizer(configuration: configuration).transcribe(WAVReader.read(contentsOf: wav)).spokenText
        #expect(spoken.contains("no pneumothorax"), "got: \(spoken)")
        #expect(spoken.contains("lungs are clear"), "got: \(spoken)")
    }

    @Test("a transcript word missing from the dictionary is a clear error naming the word and the sentence")
    func missingWord() throws {
        var samples = try samples().prefix(1).map { $0 }
        samples[0].words.append("zorbulation")
        let output = try ProjectPaths.temporaryDirectory("adapt-missing")
        defer { try? FileManager.default.removeItem(at: output) }
        let adapter = SpeakerAdapter(baseModel: Self.baseModel, dictionary: Self.dictionary)
        #expect(try adapter.missingWords(in: samples) == ["zorbulation": ["s0"]])
        let error = try #require(throws: AdaptationError.self) {
            try adapter.adapt(samples, method: .mllr, output: output, workDirectory: output.appendingPathComponent("w"))
        }
        #expect(error.code == .wordsMissing)
        #expect(error.description.contains("zorbulation (in s0)"), "\(error)")
        #expect(error.description.contains("radscribe.dict"))
    }

    @Test("a missing sphinxtrain tool is a clear error naming the tool and the package")
    func missingTool() throws {
        let empty = try ProjectPaths.temporaryDirectory("no-sphinxtrain")
        defer { try? FileManager.default.removeItem(at: empty) }
        let tools = SphinxTrainTools.standard(environment: ["RADSCRIBE_SPHINXTRAIN": empty.path])
        let adapter = SpeakerAdapter(baseModel: Self.baseModel, dictionary: Self.dictionary, tools: tools)
        let sample = AdaptationSample(name: "x", audio: PCMAudio(samples: [Int16](repeating: 0, count: 16_000)), words: ["no"])
        let error = try #require(throws: AdaptationError.self) {
            try adapter.adapt([sample], method: .mllr, output: empty, workDirectory: empty.appendingPathComponent("w"))
        }
        #expect(error.code == .toolMissing)
        #expect(error.description.contains("bw not found at \(empty.path)/bw"), "\(error)")
        #expect(error.description.contains("apt-get install sphinxtrain"))
    }
}
