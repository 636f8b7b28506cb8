/// Vertebral levels, MRI sequence names and dates in spoken form.
extension SpokenTextFormatter {
    /// Levels each region of the spine has: C1–C7, T1–T12, L1–L5, S1–S5.
    private static let regions: [String: ClosedRange<Int>] = ["c": 1...7, "t": 1...12, "l": 1...5, "s": 1...5]
    private static let regionOrder = ["c", "t", "l", "s"]

    /// "c five six" → "C5-C6", "l five s one" → "L5-S1", "t eight" → "T8", "c five to c seven" → "C5-C7".
    /// "t two" is T2 whether the spine or the MRI sequence was meant: both are written so.
    static func vertebralLevel(_ words: [String], at start: Int) -> (String, Int)? {
        guard start < words.count, let range = regions[words[start]],
            let (first, firstUsed) = SpokenNumbers.small(words, at: start + 1), range.contains(first)
        else { return nil }
        let letter = words[start]
        let written = letter.uppercased() + String(first)
        var index = start + 1 + firstUsed
        // A through-range: "c five to c seven", "c five through seven".
        if index < words.count, ["to", "through"].contains(words[index]) {
            var next = index + 1
            var secondLetter = letter
            if next < words.count, regions[words[next]] != nil {
                secondLetter = words[next]
                next += 1
            }
            if let (second, used) = SpokenNumbers.small(words, at: next), regions[secondLetter]!.contains(second),
                isAfter(letter, first, secondLetter, second), !isUnit(words, at: next + used)
            {
                return (written + "-" + secondLetter.uppercased() + String(second), next + used - start)
            }
        }
        // A disc level: the next level of the same region ("c five six"), or the first of the next region ("l five s one").
        if let (second, used) = SpokenNumbers.small(words, at: index), second == first + 1, range.contains(second),
            !isUnit(words, at: index + used)
        {
            return (written + "-" + letter.uppercased() + String(second), index + used - start)
        }
        if index < words.count, let nextRange = regions[words[index]], words[index] != letter,
            let (second, used) = SpokenNumbers.small(words, at: index + 1), nextRange.contains(second),
            isAdjacentAcrossRegions(letter, first, words[index], second)
        {
            index += 1 + used
            return (written + "-" + words[index - 1 - used].uppercased() + String(second), index - start)
        }
        if index < words.count, words[index] == letter, let (second, used) = SpokenNumbers.small(words, at: index + 1),
            second == first + 1, range.contains(second)
        {
            return (written + "-" + letter.uppercased() + String(second), index + 1 + used - start)
        }
        return (written, index - start)
    }

    private static func isUnit(_ words: [String], at index: Int) -> Bool {
        match(units, in: words, at: index) != nil || (index < words.count && words[index] == "by")
    }

    private static func isAfter(_ letter: String, _ first: Int, _ secondLetter: String, _ second: Int) -> Bool {
        guard let a = regionOrder.firstIndex(of: letter), let b = regionOrder.firstIndex(of: secondLetter) else {
            return false
        }
        return b > a || (b == a && second > first)
    }

    private static func isAdjacentAcrossRegions(_ letter: String, _ first: Int, _ next: String, _ second: Int) -> Bool {
        guard let a = regionOrder.firstIndex(of: letter), let b = regionOrder.firstIndex(of: next), b == a + 1 else {
            return false
        }
        return first == regions[letter]!.upperBound && second == 1
    }

    /// "march third twenty twenty four" → "March 3, 2024"; "march third" → "March 3";
    /// "march twenty twenty four" → "March 2024".
    static func date(_ words: [String], at start: Int) -> (String, Int)? {
        guard start < words.count, let month = months.firstIndex(of: words[start]) else { return nil }
        let name = months[month].prefix(1).uppercased() + months[month].dropFirst()
        var index = start + 1
        var day: Int?
        if let (value, used) = SpokenNumbers.ordinal(words, at: index) {
            day = value
            index += used
        } else if let (value, used) = SpokenNumbers.small(words, at: index), (1...31).contains(value),
            SpokenNumbers.year(words, at: index + used) != nil
        {
            day = value
            index += used
        }
        let year = SpokenNumbers.year(words, at: index)
        if let year { index += year.1 }
        switch (day, year) {
        case (let day?, let year?): return ("\(name) \(day), \(year.0)", index - start)
        case (let day?, nil): return ("\(name) \(day)", index - start)
        case (nil, let year?): return ("\(name) \(year.0)", index - start)
        case (nil, nil): return nil
        }
    }

    /// "three slash fourteen slash twenty four" → "3/14/24".
    static func slashDate(_ words: [String], at start: Int) -> (String, Int)? {
        guard let (month, monthUsed) = SpokenNumbers.small(words, at: start), (1...12).contains(month) else { return nil }
        var index = start + monthUsed
        guard index < words.count, words[index] == "slash",
            let (day, dayUsed) = SpokenNumbers.small(words, at: index + 1), (1...31).contains(day)
        else { return nil }
        index += 1 + dayUsed
        var written = "\(month)/\(day)"
        if index < words.count, words[index] == "slash" {
            if let (year, used) = SpokenNumbers.year(words, at: index + 1) {
                written += "/\(year)"
                index += 1 + used
            } else if let (year, used) = SpokenNumbers.small(words, at: index + 1) {
                written += year < 10 ? "/0\(year)" : "/\(year)"
                index += 1 + used
            }
        }
        return (written, index - start)
    }
}
