import AudioCapture
import Dictation
import Foundation
import RadScribeCore
import ReportTemplates
import SpeechRecognition
import Testing
import TestSupport

/// Drives a dictation session from synthesized audio through PocketSphinx, switching to a field's grammar while
/// the cursor is on a selection or number field, as `radscribe dictate --audio` does.
enum VoiceHarness {
    static let slug = "chest-radiograph-2-views"

    /// The product's recognizer: radiology models and options, utterances ended only where a thought ends.
    static func recognizer() throws -> Recognizer {
        let recognizer = try Recognizer(
            configuration: .radiology(
                languageModel: ProjectPaths.root.appendingPathComponent("Lexicon/radiology.lm.bin"),
                dictionary: ProjectPaths.root.appendingPathComponent("Lexicon/radscribe.dict")
            )
        )
        recognizer.endsUtteranceAtPause = DictationCommand.pauseEndsUtterance
        return recognizer
    }

    /// Speaks each line as its own utterance, with a pause between lines.
    static func synthesize(_ lines: [String], voice: TestVoice, in directory: URL) throws -> PCMAudio {
        let gap = directory.appendingPathComponent("gap.wav")
        _ = try ProcessRunner.run(tool: "sox", ["-n", "-r", "16000", "-c", "1", "-b", "16", gap.path, "trim", "0", "1.2"])
        var parts: [String] = []
        for (index, line) in lines.enumerated() {
            let wav = try SpeechSynthesizer.synthesize(line, voice: voice, to: directory.appendingPathComponent("l\(index).wav"))
            parts += [wav.path, gap.path]
        }
        let joined = directory.appendingPathComponent("dictation.wav")
        let sox = try ProcessRunner.run(tool: "sox", parts + [joined.path])
        try #require(sox.exitCode == 0, "sox: \(sox.stderr)")
        return try WAVReader.read(contentsOf: joined)
    }

    final class Box {
        var session: DictationSession
        init(_ session: DictationSession) { self.session = session }
    }

    /// Decodes the audio into a session over the template, with field grammars.
    static func dictate(_ audio: PCMAudio, template: ReportTemplate) throws -> (DictationSession, [String?]) {
        let recognizer = try recognizer()
        var searches: [String: String] = [:]
        for grammar in FieldGrammar.grammars(for: template, slug: slug) {
            try recognizer.addGrammar(named: grammar.name, jsgf: grammar.jsgf)
            searches[grammar.fieldKey] = grammar.name
        }
        let box = Box(DictationSession(template: template))
        var used: [String?] = []
        recognizer.searchAfterUtterance = { utterances in
            used.append(recognizer.currentSearch)
            for utterance in utterances { box.session.dictate(utterance) }
            return box.session.currentField.flatMap { searches[DictationSession.key(of: $0)] }
        }
        _ = try recognizer.transcribe(audio)
        return (box.session, used)
    }
}

@Suite("Voice dictation with commands, end to end through the recognizer", .integration, .tags(.speech))
struct VoiceDictationAudioTests {
    @Test("synthesized dictation with commands fills the chest template", arguments: [TestVoice.fliteSLT, TestVoice.fliteRMS])
    func chestWithCommands(voice: TestVoice) throws {
        let url = ProjectPaths.root.appendingPathComponent("Tests/DictationTests/Fixtures/chest-commands.txt")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        let directory = try ProjectPaths.temporaryDirectory("voice-commands")
        let audio = try VoiceHarness.synthesize(lines, voice: voice, in: directory)
        let (session, searches) = try VoiceHarness.dictate(audio, template: ChestFixture.template)
        let heard = session.heardWords.map(\.text).joined(separator: " ")
        let commands = session.commandLog.map { "\($0.command)" }

        #expect(ChestFixture.text(session, "clinical-information").lowercased().contains("cough"), "heard: \(heard)")
        // insert normal at the findings section, then the pleura field dictated over it.
        #expect(session.fieldValues["findings-lungs"] == "Clear. No consolidation, edema, or mass.", "\(commands)")
        let pleura = session.fieldValues["findings-pleura"]?.lowercased() ?? ""
        #expect(pleura.contains("right pleural effusion"), "pleura: \(pleura); heard: \(heard)")
        #expect(!pleura.contains("left"), "scratch that removed the left effusion: \(pleura)")
        // The heart field was answered under its grammar.
        #expect(session.fieldValues["findings-heart-mediastinum"] == "The heart is moderately enlarged.", "\(commands); \(heard)")
        #expect(searches.contains("\(VoiceHarness.slug).findings-heart-mediastinum"), "searches: \(searches)")
        #expect(ChestFixture.text(session, "impression").lowercased().contains("effusion"), "heard: \(heard)")
        #expect(session.events == [.saveDraft], "\(commands)")
    }
}
