import AudioCapture
import Dictation
import Foundation
import RadScribeCore
import ReportTemplates
import SpeechRecognition
import Testing
import TestSupport

/// Field-constrained recognition: synthesized answers to selection fields decoded twice from the same audio in
/// the same run, with the field's grammar and with the free-dictation language model. An answer counts as right
/// when the recognized words are exactly one of the intended option's spoken forms.
///
/// By default: the chest template with one voice (a regression check that the grammar is not worse). With
/// `RADSCRIBE_FIELD_BENCH=1`: every selection field of every template in Templates/, three voices; the figure is
/// printed (see BENCHMARKS.md).
@Suite("Field grammar benchmark", .integration, .tags(.speech))
struct FieldGrammarBenchmark {
    @Test("field grammar vs language model on synthesized selection answers")
    func grammarVersusLanguageModel() throws {
        let full = ProcessInfo.processInfo.environment["RADSCRIBE_FIELD_BENCH"] == "1"
        let templates: [(String, ReportTemplate)]
        if full {
            let directory = ProjectPaths.root.appendingPathComponent("Templates")
            templates = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "html" }.sorted { $0.path < $1.path }
                .compactMap { url in
                    (try? ReportTemplate.parse(contentsOf: url).template).map { (url.deletingPathExtension().lastPathComponent, $0) }
                }
        } else {
            templates = [(VoiceHarness.slug, ChestFixture.template)]
        }
        let voices: [TestVoice] = full ? [.fliteSLT, .fliteRMS, .festivalSLT] : [.fliteSLT]
        let recognizer = try VoiceHarness.recognizer()
        let directory = try ProjectPaths.temporaryDirectory("field-bench")
        var total = 0
        var grammarRight = 0
        var modelRight = 0
        var grammarSeconds = 0.0
        var modelSeconds = 0.0
        var misses: [String] = []
        for (slug, template) in templates {
            for grammar in FieldGrammar.grammars(for: template, slug: slug) {
                guard let field = template.sections.flatMap(\.allFields).first(where: { DictationSession.key(of: $0) == grammar.fieldKey }),
                    [.selection, .multipleSelection].contains(field.kind)
                else { continue }
                try recognizer.addGrammar(named: grammar.name, jsgf: grammar.jsgf)
                for option in field.options {
                    let phrases = DictationSession.optionPhrases(option).map { $0.joined(separator: " ") }
                    // What a radiologist says: the shorter spoken form (usually the value).
                    guard let answer = phrases.min(by: { $0.count < $1.count }), !answer.isEmpty else { continue }
                    for voice in voices {
                        let wav = directory.appendingPathComponent("a\(total).wav")
                        try SpeechSynthesizer.synthesize(answer, voice: voice, to: wav)
                        let audio = try WAVReader.read(contentsOf: wav)
                        total += 1
                        try recognizer.useSearch(grammar.name)
                        var start = ContinuousClock.now
                        let constrained = try recognizer.transcribe(audio).spokenText
                        grammarSeconds += Self.seconds(ContinuousClock.now - start)
                        try recognizer.useSearch(nil)
                        start = ContinuousClock.now
                        let free = try recognizer.transcribe(audio).spokenText
                        modelSeconds += Self.seconds(ContinuousClock.now - start)
                        if phrases.contains(Self.strip(constrained)) { grammarRight += 1 } else { misses.append("grammar \"\(answer)\" → \"\(constrained)\"") }
                        if phrases.contains(Self.strip(free)) { modelRight += 1 } else { misses.append("LM \"\(answer)\" → \"\(free)\"") }
                    }
                }
            }
        }
        try #require(total > 0)
        let figure = String(
            format: "field-constrained recognition: %d answers (%d template(s), %d voice(s)); field grammar %d/%d = %.1f%%, "
                + "language model %d/%d = %.1f%%; decode time grammar %.2f s, LM %.2f s",
            total, templates.count, voices.count, grammarRight, total, 100 * Double(grammarRight) / Double(total),
            modelRight, total, 100 * Double(modelRight) / Double(total), grammarSeconds, modelSeconds
        )
        print(figure)
        if full { print(misses.joined(separator: "\n")) }
        #expect(grammarRight >= modelRight, "\(figure)\n\(misses.joined(separator: "\n"))")
    }

    private static func strip(_ text: String) -> String {
        text.split(separator: " ").filter { $0 != "select" && $0 != "period" }.joined(separator: " ")
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
