import Dictation
import Testing

@Suite("Spoken to written text")
struct SpokenTextFormatterTests {
    let formatter = SpokenTextFormatter()

    private func format(_ spoken: String) -> String {
        formatter.format(spoken.split(separator: " ").map(String.init))
    }

    @Test("spoken punctuation and sentence capitals", arguments: [
        ("the lungs are clear period no pneumothorax period", "The lungs are clear. No pneumothorax."),
        ("heart size normal comma mediastinum unremarkable period", "Heart size normal, mediastinum unremarkable."),
        ("findings colon no effusion period", "Findings: No effusion."),
        ("first line new paragraph second line", "First line\n\nSecond line"),
    ])
    func punctuation(spoken: String, written: String) {
        #expect(format(spoken) == written)
    }

    @Test("numbers, decimals, dimensions and units", arguments: [
        ("a two point five centimeter nodule", "A 2.5 cm nodule"),
        ("measures three by four millimeters", "Measures 3 x 4 mm"),
        ("twenty three millimeters", "23 mm"),
        ("one hundred and five hounsfield units", "105 HU"),
        ("point five centimeters", "0.5 cm"),
        ("a fourteen millimeter stone", "A 14 mm stone"),
    ])
    func numbers(spoken: String, written: String) {
        #expect(format(spoken) == written)
    }

    @Test("'one' as a pronoun stays a word")
    func pronounOne() {
        #expect(format("the larger one is on the left") == "The larger one is on the left")
    }

    @Test("negations are never dropped", arguments: [
        "no pneumothorax", "no evidence of pleural effusion", "without contrast", "negative for fracture",
    ])
    func negations(spoken: String) {
        let written = format(spoken).lowercased()
        let firstWord = String(spoken.split(separator: " ")[0])
        #expect(written.hasPrefix(firstWord))
    }
}
