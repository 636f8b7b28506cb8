import Foundation
import RadScribeCore
import Testing

@Suite("Risk flags of recognized words")
struct WordRiskTests {
    private func word(_ text: String, _ confidence: Double = 1) -> RecognizedWord {
        RecognizedWord(text: text, start: 0, end: 0.3, confidence: confidence)
    }

    @Test("word classes are always risky, whatever the confidence", arguments: [
        ("no", WordRisk.negation), ("without", .negation), ("not", .negation), ("negative", .negation),
        ("left", .laterality), ("right", .laterality), ("bilateral", .laterality),
        ("two", .number), ("point", .number), ("hundred", .number), ("third", .number),
        ("effusion", []), ("the", []), ("period", []),
    ] as [(String, WordRisk)])
    func classes(text: String, risk: WordRisk) {
        #expect(WordRiskPolicy().risk(of: word(text)) == risk)
    }

    @Test("confidence under the threshold is low-confidence", arguments: [
        (0.49, 0.5, true), (0.5, 0.5, false), (0.95, 0.99, true), (1.0, 1.0, false), (0.0, 0.01, true),
    ])
    func threshold(confidence: Double, threshold: Double, flagged: Bool) {
        let risk = WordRiskPolicy(threshold: threshold).risk(of: word("effusion", confidence))
        #expect(risk.contains(.lowConfidence) == flagged)
    }

    @Test("a negation or side that opens the speech or follows a pause of 0.3 s or more is after-pause too")
    func afterPause() {
        func at(_ text: String, _ start: Double, _ end: Double) -> RecognizedWord {
            RecognizedWord(text: text, start: start, end: end, confidence: 1)
        }
        let words = [
            at("no", 0.0, 0.2), at("acute", 0.25, 0.6), at("impression", 0.7, 1.2),  // "no" opens the stretch
            at("left", 2.0, 2.3),  // after a 0.8 s pause
            at("no", 2.35, 2.5),  // straight after a word: a plain negation
            at("effusion", 3.5, 3.9),  // after a pause, but neither a negation nor a side
        ]
        let risks = WordRiskPolicy().risks(of: words)
        #expect(risks[0] == [.negation, .afterPause])
        #expect(risks[3] == [.laterality, .afterPause])
        #expect(risks[4] == [.negation])
        #expect(risks[5] == [])
        #expect(risks[1] == [] && risks[2] == [])
        #expect(WordRisk.afterPause.reasons == ["after-pause"])
    }

    @Test("reasons combine and encode as names, in a fixed order")
    func encoding() throws {
        let risk = WordRiskPolicy().risk(of: word("no", 0.1))
        #expect(risk == [.negation, .lowConfidence])
        #expect(risk.reasons == ["negation", "low-confidence"])
        let data = try JSONEncoder().encode(AssessedWord(word("left", 0.2), policy: WordRiskPolicy()))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(object?["risks"] as? [String] == ["laterality", "low-confidence"])
        #expect(object?["text"] as? String == "left")
        #expect(object?["confidence"] as? Double == 0.2)
        let decoded = try JSONDecoder().decode(WordRisk.self, from: Data(#"["number","negation"]"#.utf8))
        #expect(decoded == [.number, .negation])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(WordRisk.self, from: Data(#"["odd"]"#.utf8)) }
    }

    @Test("the default threshold is the measured one")
    func defaultThreshold() {
        #expect(WordRiskPolicy().threshold == 0.5)
    }
}
