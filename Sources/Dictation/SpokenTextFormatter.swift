import Foundation

/// Turns spoken-form words into written report text: spoken punctuation, sentence capitals, numbers
/// with units ("two point five centimeters" → "2.5 cm", "three by four millimeters" → "3 x 4 mm").
///
/// Every word the radiologist said survives: a word that is not punctuation, number or unit is copied
/// as spoken, so a negation such as "no" can never be dropped here.
public struct SpokenTextFormatter: Sendable {
    public init() {}

    private static let punctuation: [String: String] = [
        "period": ".", "full stop": ".", "comma": ",", "colon": ":", "semicolon": ";",
        "question mark": "?", "hyphen": "-", "open paren": "(", "close paren": ")",
        "new paragraph": "\n\n", "new line": "\n", "next line": "\n",
    ]

    private static let units: [String: String] = [
        "millimeter": "mm", "millimeters": "mm", "centimeter": "cm", "centimeters": "cm",
        "meter": "m", "meters": "m", "milliliter": "mL", "milliliters": "mL", "cc": "mL", "ccs": "mL",
        "hounsfield units": "HU", "hounsfield unit": "HU", "percent": "%", "degrees": "°", "degree": "°",
        "millimeters of mercury": "mmHg", "centimeters per second": "cm/s", "milligrams": "mg",
        "milligram": "mg", "kilograms": "kg", "millisieverts": "mSv", "milligray": "mGy",
    ]

    private static let ones: [String: Int] = [
        "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
        "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
        "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    ]

    private static let tens: [String: Int] = [
        "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90,
    ]

    /// Formats spoken words (as recognized, lowercase) into written text.
    public func format(_ spokenWords: [String]) -> String {
        var tokens: [Token] = []
        var index = 0
        let words = spokenWords.map { $0.lowercased() }
        while index < words.count {
            if let (mark, used) = match(Self.punctuation, in: words, at: index) {
                tokens.append(.punctuation(mark))
                index += used
            } else if let (number, used) = parseNumber(words, at: index), !isPronounOne(words, at: index, used: used) {
                tokens.append(.number(number))
                index += used
            } else if words[index] == "by", case .number = tokens.last, index + 1 < words.count,
                parseNumber(words, at: index + 1) != nil
            {
                tokens.append(.word("x"))
                index += 1
            } else if case .number = tokens.last, let (unit, used) = match(Self.units, in: words, at: index) {
                tokens.append(.unit(unit))
                index += used
            } else if case .word("x") = tokens.last, tokens.count >= 2, let (unit, used) = match(Self.units, in: words, at: index) {
                tokens.append(.unit(unit))
                index += used
            } else {
                // As spoken, keeping capitals a "cap"/"all caps" command put there.
                tokens.append(.word(spokenWords[index]))
                index += 1
            }
        }
        return render(tokens)
    }

    /// "one" on its own is usually a pronoun ("the larger one"); it is a number only before a unit or "by".
    private func isPronounOne(_ words: [String], at index: Int, used: Int) -> Bool {
        guard used == 1, words[index] == "one" else { return false }
        let next = index + 1 < words.count ? words[index + 1] : ""
        return next != "by" && match(Self.units, in: words, at: index + 1) == nil
    }

    private enum Token {
        case word(String)
        case number(String)
        case unit(String)
        case punctuation(String)
    }

    private func match(_ table: [String: String], in words: [String], at index: Int) -> (String, Int)? {
        // Longest phrase first, so "millimeters of mercury" wins over "millimeters".
        for length in stride(from: 3, through: 1, by: -1) where index + length <= words.count {
            let phrase = words[index..<index + length].joined(separator: " ")
            if let value = table[phrase] { return (value, length) }
        }
        return nil
    }

    /// Parses a cardinal (up to 999,999) optionally followed by "point" and digits.
    private func parseNumber(_ words: [String], at start: Int) -> (String, Int)? {
        var index = start
        guard let (whole, used) = parseCardinal(words, at: index) else {
            // "point five" with no whole part.
            if words[start] == "point", let (digits, used) = parseDigits(words, at: start + 1) {
                return ("0.\(digits)", used + 1)
            }
            return nil
        }
        index += used
        if index < words.count, words[index] == "point", let (digits, digitCount) = parseDigits(words, at: index + 1) {
            return ("\(whole).\(digits)", index + 1 + digitCount - start)
        }
        return (String(whole), index - start)
    }

    private func parseDigits(_ words: [String], at start: Int) -> (String, Int)? {
        var digits = ""
        var index = start
        while index < words.count, let value = Self.ones[words[index]], value < 10 {
            digits += String(value)
            index += 1
        }
        return digits.isEmpty ? nil : (digits, index - start)
    }

    private func parseCardinal(_ words: [String], at start: Int) -> (Int, Int)? {
        var index = start
        var total = 0
        var current = 0
        var sawAny = false
        while index < words.count {
            let word = words[index]
            if word == "oh", !sawAny { break }  // "oh" alone is an exclamation, not zero
            if let value = Self.ones[word] {
                if sawAny, current % 10 != 0 || current == 0 && total == 0 && sawAny { break }
                current += value
            } else if let value = Self.tens[word] {
                if sawAny, current % 100 != 0 { break }
                current += value
            } else if word == "hundred", sawAny, current > 0, current < 10 {
                current *= 100
            } else if word == "thousand", sawAny, current > 0 {
                total += current * 1000
                current = 0
            } else if word == "and", sawAny, current >= 100, index + 1 < words.count,
                Self.ones[words[index + 1]] != nil || Self.tens[words[index + 1]] != nil
            {
                // "one hundred and five"
            } else {
                break
            }
            sawAny = true
            index += 1
        }
        return sawAny ? (total + current, index - start) : nil
    }

    private func render(_ tokens: [Token]) -> String {
        var output = ""
        var capitalizeNext = true
        for token in tokens {
            switch token {
            case .punctuation(let mark):
                if mark.hasPrefix("\n") {
                    while output.hasSuffix(" ") { output.removeLast() }
                    output += mark
                    capitalizeNext = true
                } else if mark == "(" {
                    appendSeparated(&output, mark)
                } else {
                    while output.hasSuffix(" ") { output.removeLast() }
                    output += mark
                    if [".", "?", ":"].contains(mark) { capitalizeNext = true }
                }
            case .word(let word), .number(let word), .unit(let word):
                let text = capitalizeNext ? word.prefix(1).uppercased() + word.dropFirst() : word
                capitalizeNext = false
                appendSeparated(&output, text)
            }
        }
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func appendSeparated(_ output: inout String, _ text: String) {
        if let last = output.last, !last.isWhitespace, last != "(" { output += " " }
        output += text
    }
}
