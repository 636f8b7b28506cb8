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

    private static let names: [(WordRisk, String)] = [
        (.number, "number"), (.laterality, "laterality"), (.negation, "negation"), (.lowConfidence, "low-confidence"),
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

    /// The risks of each word, in order.
    public func risks(of words: [RecognizedWord]) -> [WordRisk] { words.map(risk(of:)) }
}

/// A recognized word with the reasons it is risky, the shape `--json` outputs use.
public struct AssessedWord: Sendable, Hashable, Encodable {
    public var word: RecognizedWord
    public var risks: WordRisk

    public init(_ word: RecognizedWord, policy: WordRiskPolicy) {
        self.word = word
        self.risks = policy.risk(of: word)
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
