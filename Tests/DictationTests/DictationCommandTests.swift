import Dictation
import Foundation
import RadScribeCore
import ReportTemplates
import Testing
import TestSupport

/// Shared helpers: the chest template and utterances from text.
enum ChestFixture {
    static let template: ReportTemplate = {
        let url = ProjectPaths.root.appendingPathComponent("Templates/chest-radiograph-2-views.html")
        return try! ReportTemplate.parse(contentsOf: url).template
    }()

    static func utterance(_ text: String, at start: Double = 0) -> Utterance {
        let words = text.split(separator: " ").enumerated().map { index, word in
            RecognizedWord(text: String(word), start: start + Double(index) * 0.3, end: start + Double(index) * 0.3 + 0.25,
                           confidence: 0.9)
        }
        return Utterance(words: words, start: start, end: words.last?.end ?? start)
    }

    static func session(_ lines: [String]) -> DictationSession {
        var session = DictationSession(template: template)
        for (index, line) in lines.enumerated() { session.dictate(utterance(line, at: Double(index) * 10)) }
        return session
    }

    static func text(_ session: DictationSession, _ key: String) -> String {
        session.sections.first { $0.key == key }?.text ?? ""
    }
}

@Suite("Voice commands in the dictation session")
struct DictationCommandTests {
    typealias F = ChestFixture

    @Test("next field walks the template's fields; previous field walks back")
    func nextPrevious() {
        var session = F.session(["findings", "next field"])
        #expect(session.position == .init(section: "findings", field: "findings-lungs"))
        session.dictate(F.utterance("next field"))
        #expect(session.position.field == "findings-pleura")
        session.dictate(F.utterance("previous field"))
        #expect(session.position.field == "findings-lungs")
        session.dictate(F.utterance("previous field"))
        #expect(session.position == .init(section: "technique", field: "technique-views"))
    }

    @Test("dictation into fields becomes labelled lines of the section")
    func fieldLines() {
        let session = F.session(["findings", "next field", "clear period", "next field", "small left pleural effusion period"])
        #expect(F.text(session, "findings") == "Lungs: Clear.\nPleura: Small left pleural effusion.")
        #expect(session.fieldValues["findings-pleura"] == "Small left pleural effusion.")
        #expect(session.spokenWords["findings"]?.map(\.text).first == "clear")
    }

    @Test("go to reaches sections by name and fields by label")
    func goTo() {
        var session = F.session(["go to impression"])
        #expect(session.position == .init(section: "impression"))
        session.dictate(F.utterance("go to heart and mediastinum"))
        #expect(session.position.field == "findings-heart-mediastinum")
        session.dictate(F.utterance("go to clinical information"))
        #expect(session.cursor == "clinical-information")
    }

    @Test("insert normal fills the field's default, or every field of the section")
    func insertNormal() {
        let section = F.session(["findings", "insert normal"])
        #expect(F.text(section, "findings") == F.template.section(forKey: "findings")!.normalText)
        let field = F.session(["go to pleura", "insert normal"])
        #expect(F.text(field, "findings") == "Pleura: No pleural effusion or pneumothorax.")
    }

    @Test("dictating into a field replaces its inserted normal")
    func dictationReplacesNormal() {
        let session = F.session(["findings", "insert normal", "go to pleura", "small right pleural effusion period"])
        #expect(session.fieldValues["findings-pleura"] == "Small right pleural effusion.")
        #expect(session.fieldValues["findings-lungs"] == "Clear. No consolidation, edema, or mass.")
    }

    @Test("select picks an option by its value or text; a bare option answer selects it too")
    func select() {
        var session = F.session(["go to heart and mediastinum", "select mildly enlarged"])
        #expect(session.fieldValues["findings-heart-mediastinum"] == "The heart is mildly enlarged.")
        session.dictate(F.utterance("wide mediastinum"))
        #expect(session.fieldValues["findings-heart-mediastinum"] == "The mediastinum is widened.")
        #expect(session.commandLog.last?.command == .select("The mediastinum is widened."))
    }

    @Test("scratch that removes the last dictated phrase and keeps the cursor")
    func scratchThat() {
        let session = F.session([
            "findings", "the lungs are clear period", "there is a small left pleural effusion period", "scratch that",
        ])
        #expect(F.text(session, "findings") == "The lungs are clear.")
        let inline = F.session(["findings the lungs are clear period scratch that no pneumothorax period"])
        #expect(F.text(inline, "findings") == "No pneumothorax.")
    }

    @Test("scratch that after a move still removes the phrase where it went")
    func scratchAfterMove() {
        let session = F.session(["go to pleura", "small effusion period", "next field", "scratch that"])
        #expect(session.fieldValues["findings-pleura"] == nil)
        #expect(session.position.field == "findings-heart-mediastinum")
    }

    @Test("undo that undoes commands and edits, one at a time, including a scratch")
    func undoThat() {
        var session = F.session(["findings", "no pneumothorax period", "scratch that"])
        #expect(F.text(session, "findings").isEmpty)
        session.dictate(F.utterance("undo that"))
        #expect(F.text(session, "findings") == "No pneumothorax.")
        session.dictate(F.utterance("go to impression"))
        session.dictate(F.utterance("undo that"))
        #expect(session.cursor == "findings")
        session.dictate(F.utterance("undo that"))
        #expect(F.text(session, "findings").isEmpty)
    }

    @Test("save draft and sign report are events for the owner; undo takes them back")
    func events() {
        var session = F.session(["impression colon normal chest period", "save draft", "sign report"])
        #expect(session.events == [.saveDraft, .signReport])
        session.dictate(F.utterance("undo that"))
        #expect(session.events == [.saveDraft])
    }

    @Test("punctuation, new paragraph, new line, cap and all caps format the text")
    func formatting() {
        let session = F.session([
            "findings there is cap hampton hump colon all caps pa view comma no effusion period new paragraph stable period",
        ])
        #expect(F.text(session, "findings") == "There is Hampton hump: PA view, no effusion.\n\nStable.")
        let line = F.session(["findings first period new line second period"])
        #expect(F.text(line, "findings") == "First.\nSecond.")
    }

    @Test("command words inside ordinary dictation are dictation", arguments: [
        "the catheter tip is next to the field of view edge period",
        "patient unable to go to the bathroom period",
        "there is a scratch that the technologist marked period",
        "the cap of the femoral head is intact period",
        "please insert normal saline period",
    ])
    func commandWordsInDictation(_ line: String) {
        let session = F.session(["findings " + line])
        #expect(session.commandLog.isEmpty, "\(session.commandLog)")
        #expect(session.cursor == "findings" && session.position.field == nil)
        #expect(F.text(session, "findings").lowercased().hasPrefix(line.split(separator: " ").prefix(3).joined(separator: " ")))
    }

    @Test("a command after a sentence break fires inside an utterance")
    func commandAfterPeriod() {
        let session = F.session(["findings the lungs are clear period next field clear period"])
        #expect(F.text(session, "findings") == "Lungs: Clear.\nThe lungs are clear.")
    }

    @Test("the session API without a template keeps headings, scratch and undo")
    func withoutTemplate() {
        var session = DictationSession(sections: F.template.emptyReport())
        session.dictate(F.utterance("impression colon normal period"))
        session.dictate(F.utterance("extra words period"))
        session.dictate(F.utterance("scratch that"))
        #expect(F.text(session, "impression") == "Normal.")
        session.dictate(F.utterance("next field"))
        #expect(session.commandLog.last?.applied == false, "no fields without a template")
    }

    @Test("the command script fixture fills the chest template")
    func scriptFixture() throws {
        let url = ProjectPaths.root.appendingPathComponent("Tests/DictationTests/Fixtures/chest-commands.txt")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        let session = F.session(lines)
        #expect(F.text(session, "clinical-information") == "Cough and fever.")
        #expect(session.fieldValues["findings-pleura"] == "Small right pleural effusion.")
        #expect(session.fieldValues["findings-lungs"] == "Clear. No consolidation, edema, or mass.")
        #expect(session.fieldValues["findings-heart-mediastinum"] == "The heart is moderately enlarged.")
        #expect(F.text(session, "impression") == "Cardiomegaly with a small right pleural effusion.")
        #expect(session.events == [.saveDraft])
    }
}

@Suite("Field grammars")
struct FieldGrammarTests {
    @Test("selection fields get a grammar of their options, values and the commands")
    func selectionGrammar() throws {
        let grammars = FieldGrammar.grammars(for: ChestFixture.template, slug: "chest-radiograph-2-views")
        #expect(grammars.map(\.fieldKey) == ["findings-heart-mediastinum"])
        let jsgf = try #require(grammars.first).jsgf
        #expect(jsgf.contains("moderately enlarged | the heart is moderately enlarged") || jsgf.contains("the heart is moderately enlarged | moderately enlarged"))
        #expect(jsgf.contains("next field") && jsgf.contains("scratch that") && jsgf.contains("go to ("))
    }

    @Test("number fields get numbers with their units")
    func numberGrammar() throws {
        let field = TemplateField(id: "kidney-length", name: "Right kidney length", kind: .number, units: "cm")
        let grammar = try #require(FieldGrammar.grammar(for: field, slug: "us", navigation: ["impression"]))
        #expect(grammar.jsgf.contains("<number> [<unit>]"))
        #expect(grammar.words.isSuperset(of: ["centimeters", "point", "twenty", "hundred"]))
    }

    @Test("every word of the committed grammars is in the runtime dictionary, and the files are current")
    func committedGrammars() throws {
        let dictionary = try String(contentsOf: ProjectPaths.root.appendingPathComponent("Lexicon/radscribe.dict"), encoding: .utf8)
        let vocabulary = Set(dictionary.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) })
        for grammar in FieldGrammar.grammars(for: ChestFixture.template, slug: "chest-radiograph-2-views") {
            #expect(grammar.missingWords(in: vocabulary).isEmpty, "\(grammar.name): \(grammar.missingWords(in: vocabulary))")
        }
        // The committed files are what `radscribe grammar build` writes now (with ontology synonyms).
        let fresh = try ProjectPaths.temporaryDirectory("grammars")
        let build = try ProcessRunner.radscribe(["grammar", "build", "--output", fresh.path])
        #expect(build.exitCode == 0, "\(build.stderr)")
        let committedRoot = ProjectPaths.root.appendingPathComponent("Grammars")
        let files = FileManager.default.enumerator(atPath: fresh.path)?.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".gram") } ?? []
        #expect(files.count >= 10)
        for file in files {
            let committed = try? String(contentsOf: committedRoot.appendingPathComponent(file), encoding: .utf8)
            let current = try String(contentsOf: fresh.appendingPathComponent(file), encoding: .utf8)
            #expect(committed == current, "run `radscribe grammar build` to regenerate Grammars/\(file)")
        }
    }
}

@Suite("Option synonyms")
struct OptionSynonymTests {
    typealias F = ChestFixture

    @Test("an option's synonyms select it, spoken bare or after select; without them they are dictation")
    func synonymsSelect() {
        var template = F.template
        for index in template.sections.indices {
            for fieldIndex in template.sections[index].fields.indices {
                for optionIndex in template.sections[index].fields[fieldIndex].options.indices
                where template.sections[index].fields[fieldIndex].options[optionIndex].value == "normal" {
                    template.sections[index].fields[fieldIndex].options[optionIndex].synonyms = ["within normal limits"]
                }
            }
        }
        var session = DictationSession(template: template)
        session.dictate(F.utterance("go to heart and mediastinum"))
        session.dictate(F.utterance("select mildly enlarged", at: 5))
        session.dictate(F.utterance("within normal limits", at: 10))
        #expect(session.fieldValues["findings-heart-mediastinum"] == "Normal heart size and mediastinal contours.")

        var plain = DictationSession(template: F.template)
        plain.dictate(F.utterance("go to heart and mediastinum"))
        plain.dictate(F.utterance("select mildly enlarged", at: 5))
        plain.dictate(F.utterance("within normal limits", at: 10))
        #expect(plain.fieldValues["findings-heart-mediastinum"] != "Normal heart size and mediastinal contours.")
    }
}
