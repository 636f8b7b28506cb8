import Foundation

/// Turns spoken-form words into written report text: spoken punctuation, sentence capitals, numbers
/// with units ("two point five centimeters" → "2.5 cm"), dimensions ("three by four by five centimeters" →
/// "3 x 4 x 5 cm"), ranges ("two to three millimeters" → "2-3 mm"), vertebral levels ("c five six" → "C5-C6"),
/// dates ("march third twenty twenty four" → "March 3, 2024"), abbreviations ("m r i" → "MRI",
/// "bi rads four" → "BI-RADS 4").
///
/// Every word the radiologist said survives: a word that is not punctuation, number, unit or part of an
/// abbreviation is copied as spoken, so a negation such as "no" can never be dropped here.
/// The spoken form itself (what `transcribe --spoken` prints and the benchmark compares) is left untouched;
/// `scripts/spoken_text.py` maps written text back to it, and the tests check the round trip.
public struct SpokenTextFormatter: Sendable {
    public init() {}

    /// Formats spoken words (as recognized, lowercase) into written text.
    public func format(_ spokenWords: [String]) -> String {
        render(tokens(spokenWords))
    }

    enum Token: Equatable {
        /// A word as spoken (its capitals kept).
        case word(String)
        case number(String)
        case unit(String)
        case punctuation(String)
        /// Written text made from several spoken words (an abbreviation, a level, a date).
        case written(String)
        /// Punctuation written without spaces on either side ("-", "/").
        case joiner(String)
    }

    func tokens(_ spokenWords: [String]) -> [Token] {
        var tokens: [Token] = []
        var index = 0
        let words = spokenWords.map { $0.lowercased() }
        while index < words.count {
            let afterNumber: Bool
            switch tokens.last {
            case .number: afterNumber = true
            case .word("x"): afterNumber = tokens.count >= 2
            default: afterNumber = false
            }
            if let (mark, used) = Self.match(Self.punctuation, in: words, at: index, longest: 2) {
                tokens.append(.punctuation(mark))
                index += used
            } else if afterNumber, let (unit, used) = Self.match(Self.units, in: words, at: index, longest: 3) {
                tokens.append(.unit(unit))
                index += used
            } else if let (date, used) = Self.date(words, at: index) ?? Self.slashDate(words, at: index) {
                tokens.append(.written(date))
                index += used
            } else if let (level, used) = Self.vertebralLevel(words, at: index) {
                tokens.append(.written(level))
                index += used
            } else if let (score, used) = scoringSystem(words, at: index) {
                tokens.append(.written(score))
                index += used
            } else if let (abbreviation, used) = Self.match(Self.abbreviations, in: words, at: index),
                !isArticleBeforeAbbreviation(words, at: index, used: used)
            {
                tokens.append(.written(abbreviation))
                index += used
            } else if let (number, used) = numberOrRange(words, at: index) {
                tokens.append(.number(number))
                index += used
            } else if words[index] == "by", afterNumber, SpokenNumbers.number(words, at: index + 1) != nil {
                tokens.append(.word("x"))
                index += 1
            } else if let joiner = Self.joiners[words[index]], !tokens.isEmpty, index + 1 < words.count {
                tokens.append(.joiner(joiner))
                index += 1
            } else {
                // As spoken, keeping capitals a "cap"/"all caps" command put there.
                tokens.append(.word(spokenWords[index]))
                index += 1
            }
        }
        return tokens
    }

    /// "a c t scan", "a c five six disc": the article "a" (or "i") before CT or C5-C6, not "AC".
    private func isArticleBeforeAbbreviation(_ words: [String], at index: Int, used: Int) -> Bool {
        guard ["a", "i"].contains(words[index]), used > 1 else { return false }
        if Self.vertebralLevel(words, at: index + 1) != nil { return true }
        if let (_, next) = Self.match(Self.abbreviations, in: words, at: index + 1), next > 1 { return true }
        return scoringSystem(words, at: index + 1) != nil
    }

    /// A number, or a range of two ("two to three millimeters" → "2-3") when a unit follows it.
    private func numberOrRange(_ words: [String], at index: Int) -> (String, Int)? {
        guard let (number, used) = SpokenNumbers.number(words, at: index) else { return nil }
        let next = index + used
        if next < words.count, ["to", "through"].contains(words[next]),
            let (upper, upperUsed) = SpokenNumbers.number(words, at: next + 1),
            Self.match(Self.units, in: words, at: next + 1 + upperUsed, longest: 3) != nil
        {
            return ("\(number)-\(upper)", used + 1 + upperUsed)
        }
        if isPronounOne(words, at: index, used: used) { return nil }
        return (number, used)
    }

    /// "one" on its own is usually a pronoun ("the larger one"); it is a number only before a unit or "by".
    private func isPronounOne(_ words: [String], at index: Int, used: Int) -> Bool {
        guard used == 1, words[index] == "one" else { return false }
        let next = index + 1 < words.count ? words[index + 1] : ""
        return next != "by" && Self.match(Self.units, in: words, at: index + 1, longest: 3) == nil
    }

    /// "bi rads four" → "BI-RADS 4", "bi rads four a" → "BI-RADS 4A", "bi rads" alone → "BI-RADS".
    private func scoringSystem(_ words: [String], at index: Int) -> (String, Int)? {
        guard let (name, used) = Self.match(Self.scoringSystems, in: words, at: index, longest: 2) else { return nil }
        var next = index + used
        var written = name
        if next < words.count, ["category", "score"].contains(words[next]), SpokenNumbers.cardinal(words, at: next + 1) != nil {
            written += " " + words[next]
            next += 1
        }
        if let category = SpokenNumbers.cardinal(words, at: next), category.0 <= 6 {
            next += category.1
            written += " \(category.0)"
            if next < words.count, ["a", "b", "c"].contains(words[next]), category.0 == 4,
                next + 1 == words.count || !SpokenNumbers.isNumberWord(words[next + 1])
            {
                written += words[next].uppercased()
                next += 1
            }
            return (written, next - index)
        }
        return (name, used)
    }

    private func render(_ tokens: [Token]) -> String {
        var output = ""
        var capitalizeNext = true
        var glueNext = false
        for token in tokens {
            switch token {
            case .punctuation(let mark):
                glueNext = false
                if mark.hasPrefix("\n") {
                    while output.hasSuffix(" ") { output.removeLast() }
                    output += mark
                    capitalizeNext = true
                } else if mark == "(" {
                    appendSeparated(&output, mark)
                } else {
                    while output.hasSuffix(" ") { output.removeLast() }
                    output += mark
                    if [".", "?", "!", ":"].contains(mark) { capitalizeNext = true }
                }
            case .joiner(let mark):
                while output.hasSuffix(" ") { output.removeLast() }
                output += mark
                glueNext = true
            case .unit(let unit) where ["%", "°"].contains(unit):
                output += unit
                capitalizeNext = false
            case .word(let word), .number(let word), .unit(let word), .written(let word):
                let text = capitalizeNext ? word.prefix(1).uppercased() + word.dropFirst() : word
                capitalizeNext = false
                if glueNext { output += text } else { appendSeparated(&output, text) }
                glueNext = false
            }
        }
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func appendSeparated(_ output: inout String, _ text: String) {
        if let last = output.last, !last.isWhitespace, last != "(" { output += " " }
        output += text
    }
}
