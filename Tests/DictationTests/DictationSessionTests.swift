import Dictation
import RadScribeCore
import Testing

@Suite("Dictation session")
struct DictationSessionTests {
    private let sections = [
        ReportSection(key: "clinical-information", title: "Clinical information", loincCode: "55752-0", loincName: nil, text: ""),
        ReportSection(key: "comparison", title: "Comparison", loincCode: "18834-2", loincName: nil, text: ""),
        ReportSection(key: "findings", title: "Findings", loincCode: "18782-3", loincName: nil, text: ""),
        ReportSection(key: "impression", title: "Impression", loincCode: "19005-8", loincName: nil, text: ""),
    ]

    private func utterance(_ text: String, at start: Double = 0) -> Utterance {
        let words = text.split(separator: " ").enumerated().map { index, word in
            RecognizedWord(text: String(word), start: start + Double(index) * 0.3, end: start + Double(index) * 0.3 + 0.25,
                           confidence: 0.9)
        }
        return Utterance(words: words, start: start, end: words.last?.end ?? start)
    }

    private func text(_ session: DictationSession, _ key: String) -> String {
        session.sections.first { $0.key == key }?.text ?? ""
    }

    @Test("spoken headings route the words to their sections")
    func headings() {
        var session = DictationSession(sections: sections)
        session.dictate(utterance("history colon cough period comparison none period findings period no pneumothorax period"))
        session.dictate(utterance("impression colon normal chest period", at: 10))
        #expect(text(session, "clinical-information") == "Cough.")
        #expect(text(session, "comparison") == "None.")
        #expect(text(session, "findings") == "No pneumothorax.")
        #expect(text(session, "impression") == "Normal chest.")
        #expect(session.spokenWords["impression"]?.first?.start == 10.6, "\"normal\" follows \"impression colon\"")
    }

    @Test("a heading word inside a sentence is dictation, not a heading")
    func headingInsideSentence() {
        var session = DictationSession(sections: sections)
        session.dictate(utterance("findings there is no change in the findings since comparison period"))
        #expect(text(session, "findings") == "There is no change in the findings since comparison.")
        #expect(text(session, "comparison").isEmpty)
    }

    @Test("words before any heading go to the findings")
    func defaultSection() {
        var session = DictationSession(sections: sections)
        session.dictate(utterance("small left pleural effusion period"))
        #expect(text(session, "findings") == "Small left pleural effusion.")
        #expect(session.cursor == "findings")
    }
}
