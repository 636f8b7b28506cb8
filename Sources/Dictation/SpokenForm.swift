import Foundation

/// Written names ("Heart and mediastinum", "BI-RADS 4", "L5-S1") in RadScribe's spoken form: lowercase words,
/// numbers and short capitalized abbreviations spelled out, punctuation dropped.
public enum SpokenForm {
    private static let ones = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ]
    private static let tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]

    /// The spoken words of a written name.
    public static func words(_ written: String) -> [String] {
        var result: [String] = []
        var token = ""
        func flush() {
            guard !token.isEmpty else { return }
            result += spokenToken(token)
            token = ""
        }
        for character in written.replacingOccurrences(of: "&", with: " and ") {
            if character.isLetter || character.isNumber || character == "'" {
                // A letter after digits (or digits after letters) starts a new token: "L5" → "l five".
                if let last = token.last, last.isNumber != character.isNumber, character != "'" { flush() }
                token.append(character)
            } else if character == ".", let last = token.last, last.isNumber {
                token.append(character)
            } else {
                flush()
            }
        }
        flush()
        return result
    }

    /// The spoken phrase of a written name, words joined by single spaces.
    public static func phrase(_ written: String) -> String { words(written).joined(separator: " ") }

    /// Cardinal numbers below a million as words; decimals as "point" and digits.
    public static func number(_ digits: String) -> [String] {
        let parts = digits.split(separator: ".", maxSplits: 1).map(String.init)
        guard let whole = Int(parts.first ?? "") else { return [] }
        var words = cardinal(whole)
        if parts.count == 2 {
            words.append("point")
            words += parts[1].compactMap { $0.wholeNumberValue }.map { ones[$0] }
        }
        return words
    }

    private static func cardinal(_ value: Int) -> [String] {
        if value < 20 { return [ones[value]] }
        if value < 100 { return [tens[value / 10]] + (value % 10 == 0 ? [] : [ones[value % 10]]) }
        if value < 1000 { return [ones[value / 100], "hundred"] + (value % 100 == 0 ? [] : cardinal(value % 100)) }
        if value < 1_000_000 {
            return cardinal(value / 1000) + ["thousand"] + (value % 1000 == 0 ? [] : cardinal(value % 1000))
        }
        return String(value).compactMap(\.wholeNumberValue).map { ones[$0] }
    }

    private static func spokenToken(_ token: String) -> [String] {
        if token.first?.isNumber == true { return number(token.hasSuffix(".") ? String(token.dropLast()) : token) }
        // Short all-capital abbreviations are spoken letter by letter ("CT" → "c t"), as the lexicon writes them.
        if token.count <= 3, token.count > 1, token.allSatisfy({ $0.isUppercase }), token != "BI" {
            return token.lowercased().map { String($0) }
        }
        return [token.lowercased().replacingOccurrences(of: "'", with: "")]
    }
}
