/// Number words of RadScribe's spoken form read back as values: cardinals ("one hundred and five"), decimal
/// digits ("point seven five"), ordinals ("twenty third") and years ("twenty twenty four", "two thousand five").
///
/// Each parser takes the words and a start index and returns the value with the count of words it used, or nil.
enum SpokenNumbers {
    static let ones: [String: Int] = [
        "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
        "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
        "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    ]

    static let tens: [String: Int] = [
        "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90,
    ]

    static let ordinalOnes: [String: Int] = [
        "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
        "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
        "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
        "twentieth": 20, "thirtieth": 30,
    ]

    /// Whether the word is a number word on its own (a cardinal, not "oh", "and" or "point").
    static func isNumberWord(_ word: String) -> Bool {
        (ones[word] != nil && word != "oh") || tens[word] != nil || word == "hundred" || word == "thousand"
    }

    /// A cardinal up to 999,999 followed optionally by "point" and digits, as written digits ("2.5", "105").
    static func number(_ words: [String], at start: Int) -> (String, Int)? {
        guard start < words.count else { return nil }
        guard let (whole, used) = cardinal(words, at: start) else {
            // "point five" with no whole part.
            if words[start] == "point", let (digits, used) = digits(words, at: start + 1) {
                return ("0.\(digits)", used + 1)
            }
            return nil
        }
        let index = start + used
        if index < words.count, words[index] == "point", let (digits, digitCount) = digits(words, at: index + 1) {
            return ("\(whole).\(digits)", used + 1 + digitCount)
        }
        return (String(whole), used)
    }

    /// Single digits spoken one by one ("seven five" → "75"), as after "point".
    static func digits(_ words: [String], at start: Int) -> (String, Int)? {
        var digits = ""
        var index = start
        while index < words.count, let value = ones[words[index]], value < 10 {
            digits += String(value)
            index += 1
        }
        return digits.isEmpty ? nil : (digits, index - start)
    }

    /// A cardinal number: "twenty three", "one hundred and five", "two thousand five".
    static func cardinal(_ words: [String], at start: Int) -> (Int, Int)? {
        var index = start
        var total = 0
        var current = 0
        var sawAny = false
        while index < words.count {
            let word = words[index]
            if word == "oh", !sawAny { break }  // "oh" alone is an exclamation, not zero
            if let value = ones[word] {
                if sawAny, current % 10 != 0 || (10..<20).contains(current % 100) || current == 0 && total == 0 { break }
                current += value
            } else if let value = tens[word] {
                if sawAny, current % 100 != 0 { break }
                current += value
            } else if word == "hundred", sawAny, current > 0, current < 10 {
                current *= 100
            } else if word == "thousand", sawAny, current > 0, total == 0 {
                total += current * 1000
                current = 0
            } else if word == "and", sawAny, current >= 100 || total > 0, index + 1 < words.count,
                ones[words[index + 1]] != nil || tens[words[index + 1]] != nil
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

    /// A small cardinal (1…99) spoken as one or two words: "five", "twenty three".
    static func small(_ words: [String], at start: Int) -> (Int, Int)? {
        guard start < words.count else { return nil }
        if let tensValue = tens[words[start]] {
            if start + 1 < words.count, let unit = ones[words[start + 1]], (1...9).contains(unit), words[start + 1] != "oh" {
                return (tensValue + unit, 2)
            }
            return (tensValue, 1)
        }
        if let value = ones[words[start]], value > 0, words[start] != "oh" { return (value, 1) }
        return nil
    }

    /// An ordinal day 1…31: "third", "twenty third", "thirty first".
    static func ordinal(_ words: [String], at start: Int) -> (Int, Int)? {
        guard start < words.count else { return nil }
        if let value = ordinalOnes[words[start]] { return (value, 1) }
        if let tensValue = tens[words[start]], start + 1 < words.count, let unit = ordinalOnes[words[start + 1]],
            unit < 10
        {
            return (tensValue + unit, 2)
        }
        return nil
    }

    /// A year 1900…2099 as said aloud: "twenty twenty four", "nineteen ninety nine", "twenty oh five",
    /// "two thousand five", "two thousand and twelve".
    static func year(_ words: [String], at start: Int) -> (Int, Int)? {
        guard start < words.count else { return nil }
        let century = ["nineteen": 19, "twenty": 20][words[start]]
        if let century {
            var index = start + 1
            if index < words.count, words[index] == "oh", index + 1 < words.count,
                let digit = ones[words[index + 1]], (1...9).contains(digit)
            {
                return (century * 100 + digit, 3)
            }
            if index < words.count, words[index] == "hundred" { return (century * 100, 2) }
            if let (rest, used) = small(words, at: index), rest >= 10 {
                index += used
                return (century * 100 + rest, index - start)
            }
        }
        if let (value, used) = cardinal(words, at: start), (1900...2099).contains(value), words[start] != "nineteen" {
            return (value, used)
        }
        return nil
    }
}
