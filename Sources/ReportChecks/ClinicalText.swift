import Foundation

/// Sentences and words of written report text, with a small NegEx-style negation rule.
struct ClinicalText {
    /// One sentence: its text and its lowercase words (letters, digits, decimals).
    struct Sentence {
        var text: String
        var words: [String]
    }

    let sentences: [Sentence]

    init(_ text: String) {
        var sentences: [Sentence] = []
        var current = ""
        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            let next = index + 1 < characters.count ? characters[index + 1] : " "
            // A period ends a sentence unless it is a decimal point ("2.5").
            let isDecimal = character == "." && index > 0 && characters[index - 1].isNumber && next.isNumber
            if (".;?!\n".contains(character) && !isDecimal) {
                sentences.append(Self.sentence(current))
                current = ""
            } else {
                current.append(character)
            }
        }
        sentences.append(Self.sentence(current))
        self.sentences = sentences.filter { !$0.words.isEmpty }
    }

    private static func sentence(_ text: String) -> Sentence {
        var words: [String] = []
        var word = ""
        let characters = Array(text.lowercased())
        for (index, character) in characters.enumerated() {
            let next = index + 1 < characters.count ? characters[index + 1] : " "
            if character.isLetter || character.isNumber || (character == "." && word.last?.isNumber == true && next.isNumber) {
                word.append(character)
            } else {
                if !word.isEmpty { words.append(word) }
                word = ""
            }
        }
        if !word.isEmpty { words.append(word) }
        return Sentence(text: text.trimmingCharacters(in: .whitespacesAndNewlines), words: words)
    }

    /// Words that negate what follows them in the sentence ("no", "without", "negative for").
    static let preNegations: [[String]] = [
        ["no"], ["not"], ["without"], ["negative", "for"], ["free", "of"], ["absence", "of"], ["no", "evidence", "of"],
        ["resolution", "of"], ["resolved"], ["rule", "out"], ["ruled", "out"], ["r", "o"], ["evaluate", "for"],
        ["evaluation", "for"], ["exclude"], ["nor"], ["neither"], ["cannot", "be", "excluded"],
    ]
    /// Words after a finding that negate it ("pneumothorax has resolved", "is not seen").
    static let postNegations: [[String]] = [
        ["resolved"], ["not", "seen"], ["not", "identified"], ["is", "absent"], ["are", "absent"], ["excluded"],
        ["ruled", "out"], ["is", "not"], ["are", "not"], ["has", "resolved"], ["no", "longer"],
    ]
    /// Words that end a negation's scope ("no effusion, but a small pneumothorax").
    static let scopeBreaks: Set<String> = ["but", "however", "although", "except", "which", "whereas", "yet", "though"]

    /// Every occurrence of a phrase (given as lowercase words) in the text, with whether it is negated.
    func mentions(of phrase: [String]) -> [(sentence: Sentence, negated: Bool)] {
        var found: [(Sentence, Bool)] = []
        for sentence in sentences {
            let words = sentence.words
            guard phrase.count <= words.count else { continue }
            for start in 0...(words.count - phrase.count) where Array(words[start..<start + phrase.count]) == phrase {
                found.append((sentence, Self.isNegated(words, start: start, length: phrase.count)))
            }
        }
        return found
    }

    static func isNegated(_ words: [String], start: Int, length: Int) -> Bool {
        // Back from the mention to the sentence start or a scope break.
        var index = start - 1
        while index >= 0, !scopeBreaks.contains(words[index]) {
            for negation in preNegations where index + negation.count <= start {
                if Array(words[index..<index + negation.count]) == negation { return true }
            }
            index -= 1
        }
        let after = Array(words[(start + length)...].prefix(4))
        for negation in postNegations where after.count >= negation.count {
            for offset in 0...(after.count - negation.count) where Array(after[offset..<offset + negation.count]) == negation {
                return true
            }
        }
        return false
    }

    /// Lowercase words of a phrase as ``ClinicalText`` splits them.
    static func words(_ phrase: String) -> [String] { ClinicalText(phrase).sentences.flatMap(\.words) }
}
