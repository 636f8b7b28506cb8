/// One word as the recognizer heard it, in spoken form ("period", "two", "left").
public struct RecognizedWord: Sendable, Hashable, Codable {
    /// The spoken-form word, lowercase, without pronunciation-variant suffixes such as `(2)`.
    public var text: String
    /// Start of the word in seconds from the beginning of the audio stream.
    public var start: Double
    /// End of the word in seconds from the beginning of the audio stream.
    public var end: Double
    /// Posterior probability of the word, 0…1.
    public var confidence: Double

    public init(text: String, start: Double, end: Double, confidence: Double) {
        self.text = text
        self.start = start
        self.end = end
        self.confidence = confidence
    }
}

/// A stretch of speech between two pauses, decoded as one unit.
public struct Utterance: Sendable, Hashable, Codable {
    public var words: [RecognizedWord]
    public var start: Double
    public var end: Double

    public init(words: [RecognizedWord], start: Double, end: Double) {
        self.words = words
        self.start = start
        self.end = end
    }

    /// The utterance spanning `words`, from the first one's start to the last one's end; nil when there are none.
    public init?(spanning words: [RecognizedWord]) {
        guard let first = words.first, let last = words.last else { return nil }
        self.init(words: words, start: first.start, end: last.end)
    }

    /// The words joined by single spaces.
    public var spokenText: String { words.map(\.text).joined(separator: " ") }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

/// Everything recognized in one audio stream.
public struct Transcript: Sendable, Hashable, Codable {
    public var utterances: [Utterance]
    /// Length of the audio that was decoded, in seconds.
    public var audioDuration: Double

    public init(utterances: [Utterance], audioDuration: Double) {
        self.utterances = utterances
        self.audioDuration = audioDuration
    }

    public var words: [RecognizedWord] { utterances.flatMap(\.words) }

    /// The spoken-form words of the whole stream joined by single spaces.
    public var spokenText: String { words.map(\.text).joined(separator: " ") }
}

/// What a recognizer's `endsUtteranceAtPause` is asked at a pause in speech.
public struct UtterancePause: Sendable, Hashable {
    /// The open utterance's words so far (the decoder's current best hypothesis), in spoken form.
    public var words: [String]
    /// Index in ``words`` of the first word spoken since the previous pause in this utterance (0 if none).
    public var phraseStart: Int

    public init(words: [String], phraseStart: Int) {
        self.words = words
        self.phraseStart = phraseStart
    }

    /// The words spoken since the previous pause.
    public var phrase: ArraySlice<String> { words[phraseStart...] }
}
