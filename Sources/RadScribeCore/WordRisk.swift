/// Why a recognized word deserves a second look in the correction view: a misheard number, side or negation
/// changes the meaning of a report, and a word the recognizer was unsure of is likely wrong.
///
/// Encoded as an array of reason names: `["negation", "low-confidence"]`.
public struct WordRisk: OptionSet, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: Int

    public init(rawValue: Int) { self.rawValue = rawValue }

    /// A number word ("two", "point", "hundred", "third"): measurements and dates.
    public static let number = WordRisk(rawValue: 1 << 0)
    /// A side: "left", "right", "bilateral", …
    public static let laterality = WordRisk(rawValue: 1 << 1)
    /// A negation: "no", "not", "without", "negative", …
    public static let negation = WordRisk(rawValue: 1 << 2)
    /// The recognizer's posterior confidence is under the threshold.
    public static let lowConfidence = WordRisk(rawValue: 1 << 3)
    /// A negation or side that opens an utterance or follows a pause: where an utterance starts, the recognizer is
    /// likeliest to cut or lose a word, and a lost or wrong "no" or "left" reverses the sentence.
    public static let afterPause = WordRisk(rawValue: 1 << 4)

    private static let names: [(WordRisk, String)] = [
        (.number, "number"), (.laterality, "laterality"), (.negation, "negation"), (.lowConfidence, "low-confidence"),
        (.afterPause, "after-pause"),
    ]

    /// The reason names, in a fixed order.
    public var reasons: [String] { Self.names.filter { contains($0.0) }.map(\.1) }

    public var description: String { reasons.joined(separator: ",") }

    public init(from decoder: any Decoder) throws {
        let names = try decoder.singleValueContainer().decode([String].self)
        var risk = WordRisk()
        for name in names {
            guard let known = Self.names.first(where: { $0.1 == name }) else {
                throw DecodingError.dataCorrupted(
                    DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "unknown word risk \(name)")
                )
            }
            risk.insert(known.0)
        }
        self = risk
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(reasons)
    }
}

/// Decides which recognized words are risky: every number, laterality and negation word, and every word whose
/// confidence is under ``threshold``.
public struct WordRiskPolicy: Sendable, Hashable {
    /// The default confidence threshold, measured on 24 synthesized benchmark dictations (README, "Risk flags"):
    /// it flags 36 % of misrecognized words and 3.4 % of correct ones; above it each further error caught costs
    /// four to six false flags.
    public static let defaultThreshold = 0.5

    /// Words whose confidence is below this are flagged `low-confidence` (0…1).
    public var threshold: Double

    public init(threshold: Double = Self.defaultThreshold) {
        self.threshold = threshold
    }

    static let numberWords: Set<String> = [
        "zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty",
        "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "point", "half", "first", "second",
        "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth",
        "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth",
        "thirtieth",
    ]

    static let lateralityWords: Set<String> = [
        "left", "right", "bilateral", "bilaterally", "unilateral", "ipsilateral", "contralateral", "leftward",
        "rightward", "sinistra", "dextra",
    ]

    static let negationWords: Set<String> = [
        "no", "not", "without", "negative", "absent", "absence", "none", "nor", "neither", "never", "cannot", "non",
    ]

    /// The risks of one word.
    public func risk(of word: RecognizedWord) -> WordRisk {
        var risk = WordRisk()
        for part in word.text.lowercased().split(separator: " ").map(String.init) {
            if Self.numberWords.contains(part) { risk.insert(.number) }
            if Self.lateralityWords.contains(part) { risk.insert(.laterality) }
            if Self.negationWords.contains(part) { risk.insert(.negation) }
        }
        if word.confidence < threshold { risk.insert(.lowConfidence) }
        return risk
    }

    /// A silence at least this long before a word counts as a pause (seconds).
    public static let pause = 0.3

    /// The risks of each word of a stretch of speech, in order: as ``risk(of:)``, and a negation or laterality word
    /// that is the first of the stretch or follows a pause of at least ``pause`` seconds is `after-pause` too.
    public func risks(of words: [RecognizedWord]) -> [WordRisk] {
        var previousEnd: Double?
        return words.map { word in
            var risk = risk(of: word)
            let opens = previousEnd.map { word.start - $0 >= Self.pause } ?? true
            if opens, !risk.isDisjoint(with: [.negation, .laterality]) { risk.insert(.afterPause) }
            previousEnd = word.end
            return risk
        }
    }
}

/// A recognized word with the reasons it is risky, the shape `--json` outputs use.
public struct AssessedWord: Sendable, Hashable, Encodable {
    public var word: RecognizedWord
    public var risks: WordRisk

    public init(_ word: RecognizedWord, policy: WordRiskPolicy) {
        self.word = word
        self.risks = policy.risk(of: word)
    }

    public init(_ word: RecognizedWord, risks: WordRisk) {
        self.word = word
        self.risks = risks
    }

    /// The words of a stretch of speech (an utterance, a section's dictated words) with their risks in context.
    public static func assess(_ words: [RecognizedWord], policy: WordRiskPolicy) -> [AssessedWord] {
        zip(words, policy.risks(of: words)).map { AssessedWord($0, risks: $1) }
    }

    private enum CodingKeys: String, CodingKey { case text, start, end, confidence, risks }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(word.text, forKey: .text)
        try container.encode(word.start, forKey: .start)
        try container.encode(word.end, forKey: .end)
        try container.encode(word.confidence, forKey: .confidence)
        try container.encode(risks, forKey: .risks)
    }
}
