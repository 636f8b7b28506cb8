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
