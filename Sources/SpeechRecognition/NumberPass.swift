import AudioCapture
import RadScribeCore

/// A second, constrained pass over the audio of spoken numbers.
///
/// The language model hears numbers the way it hears words: by what usually follows what. So "two point five"
/// can come out as "to plan five", "one point eight" as "one blind eight", and "fourteen" as "forty" when
/// "forty" is likelier there. After each utterance, every stretch of the first pass that looks like a number
/// (``NumberSpans``) is decoded again by a decoder whose only search is ``MeasurementGrammar``: acoustics alone,
/// among sequences that are numbers. Where the two passes disagree, the grammar's number is written and its words
/// marked with a low confidence, so the transcriptionist is pointed at them. Only doubtful stretches are decoded
/// again (``NumberSpans/isDoubtful(_:)``).
final class NumberPass {
    private let decoder: PocketSphinxDecoder
    static let grammarName = "radscribe_numbers"
    /// Audio kept either side of a stretch, so its first and last sounds are not cut.
    static let margin = 0.05
    /// The confidence given to words the grammar changed: below ``WordRiskPolicy``'s default threshold.
    static let changedConfidence = 0.2

    /// Uses the recognizer's acoustic model, dictionary and speaker adaptation, without its language model.
    init(configuration: RecognizerConfiguration) throws {
        var numbers = configuration
        numbers.loadsLanguageModel = false
        // The stretches are speech already: the voice-activity detector would hold back (or drop) their first frames.
        numbers.extraOptions["-remove_silence"] = "no"
        decoder = try PocketSphinxDecoder(numbers)
        try decoder.setGrammar(named: Self.grammarName, jsgf: MeasurementGrammar.jsgf)
        try decoder.setSearch(Self.grammarName)
    }

    /// The words with every number-like stretch decided by the grammar.
    /// - Parameters:
    ///   - audio: stream samples from `audioStart` on, covering the words.
    ///   - audioStart: the stream sample index of `audio`'s first sample.
    func refine(_ words: [RecognizedWord], audio: [Int16], audioStart: Int) throws -> [RecognizedWord] {
        var result = words
        // From the last stretch back, so earlier indices stay valid as stretches change length.
        for span in NumberSpans.toDecide(in: words).reversed() {
            let first = words[span.lowerBound]
            let last = words[span.upperBound - 1]
            let rate = Double(PCMAudio.recognizerSampleRate)
            let from = Int((first.start - Self.margin) * rate) - audioStart
            let to = Int((last.end + Self.margin) * rate) - audioStart
            guard from >= 0, to <= audio.count, from < to else { continue }  // audio no longer kept
            let heard = try decode(audio[from..<to], offset: Double(from + audioStart) / rate)
            let before = words[span].map { $0.text }
            guard !heard.isEmpty, heard.map({ $0.text }) != before else { continue }
            // The grammar must explain the same stretch, not a neighbour's sound forced into a number ("up to
            // five" → "two to five"): as many words, or one more or fewer where the first pass had a stray word.
            guard heard.count == before.count else { continue }
            // A stray word may only have been a number's "point" (or "by", "to"): anything else the grammar puts
            // there was forced into the number, and the first pass's words stand.
            guard zip(before, heard.map { $0.text }).allSatisfy(NumberSpans.mayBecome) else { continue }
            // "to plan five" is "two point five" or nothing: "extends to within two" must not become "two to one".
            if NumberSpans.homophones.contains(before[0]), heard.count > 1, heard[1].text != "point" { continue }
            let changed = heard.map { word in
                var word = word
                word.confidence = Self.changedConfidence
                return word
            }
            result.replaceSubrange(span, with: changed)
        }
        return result
    }

    private func decode(_ samples: ArraySlice<Int16>, offset: Double) throws -> [RecognizedWord] {
        try decoder.startStream()
        try decoder.startUtterance()
        var start = samples.startIndex
        while start < samples.endIndex {
            let end = min(start + Recognizer.chunkSize, samples.endIndex)
            try samples[start..<end].withUnsafeBufferPointer { try decoder.process($0) }
            start = end
        }
        try decoder.endUtterance()
        return decoder.words().map { word in
            var word = word
            word.start += offset
            word.end += offset
            return word
        }
    }
}

/// Where the first pass heard a number: runs of number words, "point", "by" and units, with one stray word
/// allowed between number words ("one blind eight") and a digit's homophone before such a stray word ("to plan
/// five"). A lone "to" or "for" is left alone: "up to five" is not "up two five".
enum NumberSpans {
    static let numberWords: Set<String> = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty",
        "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "point",
    ]
    static let joiners: Set<String> = ["by", "and", "to"]
    /// What may follow a stray word: the digits of a decimal ("one blind eight" for "one point eight").
    static let digits: Set<String> = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    /// Words that are never a misheard part of a number: "one of two" is not "one two".
    static let functionWords: Set<String> = [
        "of", "the", "a", "an", "in", "or", "at", "on", "with", "is", "are", "was", "from", "over", "per", "times",
    ]
    static let homophones: Set<String> = ["to", "too", "for", "won", "ate"]

    /// Index ranges of number-like stretches, in order, not overlapping; each contains a number word.
    static func find(in words: [String]) -> [Range<Int>] {
        var spans: [Range<Int>] = []
        var index = 0
        while index < words.count {
            guard numberWords.contains(words[index]) else {
                index += 1
                continue
            }
            var start = index
            // "to plan five": a homophone, a stray word, then the number word.
            if start >= 2, digits.contains(words[start]), homophones.contains(words[start - 2]), !isNumberish(words[start - 1]),
                !functionWords.contains(words[start - 1]),
                spans.last.map({ $0.upperBound <= start - 2 }) ?? true
            {
                start -= 2
            }
            var end = index + 1
            while end < words.count {
                if isNumberish(words[end]) || MeasurementGrammar.units.contains(words[end]) {
                    end += 1
                } else if end + 1 < words.count, digits.contains(words[end + 1]), !joiners.contains(words[end - 1]),
                    !functionWords.contains(words[end])
                {
                    end += 2  // one stray word between number words
                } else {
                    break
                }
            }
            // A joiner is not a number's last word ("ten by" + "the"): leave it to the text.
            while end > index + 1, joiners.contains(words[end - 1]) { end -= 1 }
            spans.append(start..<end)
            index = end
        }
        return spans
    }

    /// Letters that name a vertebra ("c six seven", "l five s one"): levels, not measurements.
    static let vertebralLetters: Set<String> = ["c", "t", "l", "s"]
    /// Number words heard with less confidence than this are decided again.
    static let doubtfulConfidence = 0.5

    /// The stretches of a first pass to decode again: number-like (``find(in:)``), doubtful (``isDoubtful(_:)``),
    /// and not a vertebral level.
    static func toDecide(in words: [RecognizedWord]) -> [Range<Int>] {
        find(in: words.map { $0.text }).filter { span in
            if span.lowerBound > 0, vertebralLetters.contains(words[span.lowerBound - 1].text) { return false }
            return isDoubtful(words[span])
        }
    }

    /// Whether a stretch is worth deciding again: it has a stray word or a homophone (the first pass could not make
    /// a number of it), or a number word heard with low confidence. A confident number is the first pass's: on the
    /// development set the grammar, acoustics alone, turned "seven" into "seventy" and "two" into "eighteen" as
    /// readily as it turned "forty" into the "fourteen" that was said, and path scores did not tell them apart.
    static func isDoubtful(_ span: ArraySlice<RecognizedWord>) -> Bool {
        span.contains { word in
            let text = word.text
            if numberWords.contains(text) { return word.confidence < doubtfulConfidence }
            return !joiners.contains(text) && !MeasurementGrammar.units.contains(text)
        }
    }

    /// Whether the grammar may put `second` where the first pass heard `first`: any number word for a number-like
    /// word, only "point", "by" or "to" for a stray one.
    static func mayBecome(_ first: String, _ second: String) -> Bool {
        if numberWords.contains(first) || joiners.contains(first) || homophones.contains(first) { return true }
        if MeasurementGrammar.units.contains(first) { return true }
        return second == "point" || joiners.contains(second)
    }

    static func isNumberish(_ word: String) -> Bool { numberWords.contains(word) || joiners.contains(word) }
}

/// Numbers as radiologists dictate them: whole numbers to 999 with up to two decimals, ranges ("two to three"),
/// dimensions ("four point two by three point one by two centimeters") and units.
enum MeasurementGrammar {
    static let units: Set<String> = [
        "millimeter", "millimeters", "centimeter", "centimeters", "milliliters", "percent", "degrees",
    ]

    static let jsgf = """
        #JSGF V1.0;
        grammar radscribe_numbers;
        <digit> = zero | one | two | three | four | five | six | seven | eight | nine;
        <teen> = ten | eleven | twelve | thirteen | fourteen | fifteen | sixteen | seventeen | eighteen | nineteen;
        <tens> = twenty | thirty | forty | fifty | sixty | seventy | eighty | ninety;
        <below_hundred> = <digit> | <teen> | <tens> [<digit>];
        <whole> = <below_hundred> | <digit> hundred [[and] <below_hundred>];
        <number> = <whole> [point <digit> [<digit>]] | point <digit> [<digit>];
        <unit> = \(units.sorted().joined(separator: " | "));
        <value> = <number> [<unit>];
        public <measurement> = <value> [(by | to) <value>] [by <value>];
        """
}
