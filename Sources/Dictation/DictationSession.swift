import RadScribeCore

/// Fills a report's sections from recognized utterances, in the order they were spoken.
///
/// A spoken section heading ("findings", "impression", "clinical history", …) at the start of a
/// sentence moves the cursor to that section; the words after it are dictated there. Words before any
/// heading go to the findings. The session keeps every spoken word with its timing, per section.
public struct DictationSession: Sendable {
    /// Spoken headings and the template section keys they select, longest first.
    static let headings: [([String], [String])] = [
        (["clinical", "information"], ["clinical-information", "history", "indication"]),
        (["clinical", "history"], ["clinical-information", "history", "indication"]),
        (["history"], ["clinical-information", "history", "indication"]),
        (["indication"], ["clinical-information", "indication", "history"]),
        (["comparison"], ["comparison"]),
        (["technique"], ["technique", "procedure"]),
        (["procedure"], ["procedure", "technique"]),
        (["findings"], ["findings"]),
        (["impression"], ["impression", "conclusion"]),
        (["conclusion"], ["impression", "conclusion"]),
        (["recommendation"], ["recommendation", "recommendations", "impression"]),
        (["recommendations"], ["recommendation", "recommendations", "impression"]),
    ]

    private static let headingPunctuation: Set<String> = ["colon", "period", "comma"]
    private static let sentenceBreaks: Set<String> = ["period", "colon", "paragraph", "line"]

    public private(set) var sections: [ReportSection]
    /// Spoken words dictated into each section, keyed by section key.
    public private(set) var spokenWords: [String: [RecognizedWord]] = [:]
    /// The section the next words go to.
    public private(set) var cursor: String

    private let formatter = SpokenTextFormatter()

    /// Starts a session over a template's empty sections.
    public init(sections: [ReportSection]) {
        self.sections = sections
        let keys = sections.map(\.key)
        cursor = keys.first { $0 == "findings" } ?? keys.first ?? "findings"
    }

    /// Dictates one recognized utterance.
    public mutating func dictate(_ utterance: Utterance) {
        let words = utterance.words
        var index = 0
        while index < words.count {
            if atSentenceStart(index, in: words), let (key, used) = heading(in: words, at: index) {
                cursor = key
                index += used
                // "findings colon" is a heading, not punctuation to print.
                if index < words.count, Self.headingPunctuation.contains(words[index].text) { index += 1 }
                continue
            }
            spokenWords[cursor, default: []].append(words[index])
            index += 1
        }
        render()
    }

    /// Dictates a whole transcript, utterance by utterance.
    public mutating func dictate(_ transcript: Transcript) {
        for utterance in transcript.utterances { dictate(utterance) }
    }

    private func atSentenceStart(_ index: Int, in words: [RecognizedWord]) -> Bool {
        if index == 0 {
            guard let previous = spokenWords[cursor]?.last else { return true }
            return Self.sentenceBreaks.contains(previous.text)
        }
        return Self.sentenceBreaks.contains(words[index - 1].text)
    }

    private func heading(in words: [RecognizedWord], at index: Int) -> (String, Int)? {
        let available = Set(sections.map(\.key))
        for (phrase, keys) in Self.headings where index + phrase.count <= words.count {
            guard words[index..<index + phrase.count].map(\.text) == phrase else { continue }
            if let key = keys.first(where: available.contains) { return (key, phrase.count) }
        }
        return nil
    }

    private mutating func render() {
        for position in sections.indices {
            let key = sections[position].key
            guard let words = spokenWords[key] else { continue }
            sections[position].text = formatter.format(words.map(\.text))
        }
    }
}
