/// Maps written report text to ontology concepts, with negation, uncertainty and laterality (NegEx-style).
///
/// The text is split into sentences (`.` `;` `:` `!` `?` and line breaks; not the point of `2.5`). In each sentence,
/// cue phrases are found first (longest match): negation and uncertainty cues before the finding ("no",
/// "negative for", "cannot exclude") or after it ("is not seen", "cannot be excluded"); pseudo-negations that are
/// not negations ("no change in", "no interval increase"); and terminators that end a cue's reach ("but",
/// "however", "there is"). Then ontology terms are matched on the remaining words (longest match, simple plurals,
/// abbreviations only when written in capitals). A finding takes the nearest cue whose reach covers it: a cue
/// before it reaches over at most ``window`` other words (words inside other terms, articles and conjunctions do
/// not count) up to a terminator; a cue after it covers it and any findings listed before it with only commas
/// and conjunctions between ("effusion or pneumothorax is not seen").
/// Laterality is a side word just before the finding ("left pleural effusion", "right lower lobe consolidation")
/// or just after it ("effusion on the left", "effusions bilaterally"); "left and right" is bilateral.
public struct FindingCoder: Sendable {
    struct Entry: Sendable, Hashable {
        var conceptID: String
        var preferredTerm: String
        var category: OntologyCategory
        var isPreferred: Bool
    }

    /// How many ordinary words a cue reaches over.
    public var window = 5
    private let terms: [[String]: Entry]
    private let abbreviations: [[String]: Entry]
    private let longestTerm: Int
    private let codedCategories: Set<OntologyCategory>

    /// - Parameters:
    ///   - ontology: the concepts to find.
    ///   - categories: which concepts to report; other concepts are still recognized (as sites, modifiers, or
    ///     words that do not count against a cue's reach).
    public init(ontology: Ontology, coding categories: Set<OntologyCategory> = [.finding]) {
        var terms: [[String]: Entry] = [:]
        var abbreviations: [[String]: Entry] = [:]
        let skipped: Set<OntologyCategory> = [.unit, .measurement, .report]
        for concept in ontology.concepts where !skipped.contains(concept.category) {
            // grouping concepts ("clinical finding", "pulmonary finding") would code section headers
            if concept.parentIDs.isEmpty || concept.preferredTerm.hasSuffix("finding")
                || concept.preferredTerm.hasSuffix("process")
            {
                continue
            }
            for (position, term) in ([concept.preferredTerm] + concept.synonyms).enumerated() {
                let key = Self.tokens(term).map(\.key)
                guard !key.isEmpty else { continue }
                let entry = Entry(
                    conceptID: concept.id, preferredTerm: concept.preferredTerm, category: concept.category,
                    isPreferred: position == 0
                )
                if let existing = terms[key], existing.isPreferred || !entry.isPreferred { continue }
                terms[key] = entry
            }
            for abbreviation in concept.abbreviations {
                let key = Self.tokens(abbreviation).map { String($0.original) }
                guard !key.isEmpty, key.joined().count >= 2, abbreviations[key] == nil else { continue }
                abbreviations[key] = Entry(
                    conceptID: concept.id, preferredTerm: concept.preferredTerm, category: concept.category,
                    isPreferred: false
                )
            }
        }
        self.terms = terms
        self.abbreviations = abbreviations
        self.longestTerm = max(terms.keys.map(\.count).max() ?? 1, abbreviations.keys.map(\.count).max() ?? 1)
        self.codedCategories = categories
    }

    /// The findings named in `text`, in order of appearance.
    public func code(_ text: String) -> [CodedFinding] {
        var findings: [CodedFinding] = []
        for (index, sentence) in Self.sentences(text).enumerated() {
            findings += code(sentence: Self.tokens(sentence), index: index)
        }
        return findings
    }

    // MARK: Sentences and tokens

    struct Token {
        /// Lowercased, apostrophes removed, simple plural made singular; "," for a comma.
        var key: String
        /// As written.
        var original: Substring
        var isComma: Bool { key == "," }
    }

    static func sentences(_ text: String) -> [Substring] {
        var result: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            var isBoundary = ";:!?\n\r".contains(character)
            if character == "." {
                let before = index > text.startIndex ? text[text.index(before: index)] : " "
                let afterIndex = text.index(after: index)
                let after = afterIndex < text.endIndex ? text[afterIndex] : " "
                isBoundary = !(before.isNumber && after.isNumber)
            }
            if isBoundary {
                if start < index { result.append(text[start..<index]) }
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        if start < text.endIndex { result.append(text[start...]) }
        return result.filter { !$0.allSatisfy(\.isWhitespace) }
    }

    static func tokens<S: StringProtocol>(_ text: S) -> [Token] where S.SubSequence == Substring {
        var tokens: [Token] = []
        var wordStart: S.Index?
        var index = text.startIndex
        func close(at end: S.Index) {
            guard let start = wordStart else { return }
            let original = text[start..<end]
            let key = singular(original.lowercased().filter { $0 != "'" && $0 != "\u{2019}" })
            // "non-displaced" reads like "nondisplaced"
            if let last = tokens.last, last.key == "non", last.original.endIndex < start {
                tokens[tokens.count - 1] = Token(key: "non" + key, original: text[last.original.startIndex..<end])
            } else {
                tokens.append(Token(key: key, original: original))
            }
            wordStart = nil
        }
        while index < text.endIndex {
            let character = text[index]
            if character.isLetter || character.isNumber || ((character == "'" || character == "\u{2019}") && wordStart != nil) {
                if wordStart == nil { wordStart = index }
            } else {
                close(at: index)
                if character == "," { tokens.append(Token(key: ",", original: text[index...index])) }
            }
            index = text.index(after: index)
        }
        close(at: text.endIndex)
        return tokens
    }

    /// Simple English and Latin plurals to singular; applied alike to terms and text.
    static func singular(_ word: String) -> String {
        guard word.count > 3, word.allSatisfy(\.isLetter) else { return word }
        if word.hasSuffix("ies"), word.count > 4 { return String(word.dropLast(3)) + "y" }
        if word.hasSuffix("sses") || word.hasSuffix("xes") || word.hasSuffix("uses") { return String(word.dropLast(2)) }
        if word.hasSuffix("ases") || (word.hasSuffix("oses") && word.count > 6) { return String(word.dropLast(2)) + "is" }
        if word.hasSuffix("ae") { return String(word.dropLast()) }
        if word.count >= 6, word.hasSuffix("i"), let previous = word.dropLast().last, "lbhc".contains(previous) {
            return String(word.dropLast()) + "us"
        }
        if word.hasSuffix("s"), !word.hasSuffix("ss"), !word.hasSuffix("us"), !word.hasSuffix("is"), !word.hasSuffix("ous") {
            return String(word.dropLast())
        }
        return word
    }

    // MARK: Matching

    enum CueKind {
        case negationBefore, negationAfter, negationEither, uncertainBefore, uncertainAfter, uncertainEither
        case pseudo, terminator

        var isBefore: Bool { [.negationBefore, .negationEither, .uncertainBefore, .uncertainEither].contains(self) }
        var isAfter: Bool { [.negationAfter, .negationEither, .uncertainAfter, .uncertainEither].contains(self) }
    }

    struct Cue {
        var kind: CueKind
        var start: Int
        var end: Int
        var text: String
    }

    struct Match {
        var entry: Entry
        var start: Int
        var end: Int
    }

    enum Owner {
        case cue(Int)
        case concept(Int)
    }

    private func code(sentence tokens: [Token], index sentenceIndex: Int) -> [CodedFinding] {
        var owners = [Owner?](repeating: nil, count: tokens.count)
        var cues: [Cue] = []
        var position = 0
        while position < tokens.count {
            if let (kind, length) = Cues.match(tokens, at: position) {
                let text = tokens[position..<position + length].map { String($0.original) }.joined(separator: " ")
                cues.append(Cue(kind: kind, start: position, end: position + length, text: text.lowercased()))
                for i in position..<position + length { owners[i] = .cue(cues.count - 1) }
                position += length
            } else {
                position += 1
            }
        }
        var matches: [Match] = []
        position = 0
        while position < tokens.count {
            guard owners[position] == nil, !tokens[position].isComma else {
                position += 1
                continue
            }
            var found: (Entry, Int)?
            var length = min(longestTerm, tokens.count - position)
            while length > 0, found == nil {
                let slice = tokens[position..<position + length]
                if !slice.contains(where: { $0.isComma }), (position..<position + length).allSatisfy({ owners[$0] == nil }) {
                    if let entry = terms[slice.map(\.key)] {
                        found = (entry, length)
                    } else if let entry = abbreviations[slice.map { String($0.original) }] {
                        found = (entry, length)
                    }
                }
                length -= 1
            }
            if let (entry, length) = found {
                matches.append(Match(entry: entry, start: position, end: position + length))
                for i in position..<position + length { owners[i] = .concept(matches.count - 1) }
                position += length
            } else {
                position += 1
            }
        }
        let context = Context(tokens: tokens, owners: owners, cues: cues, matches: matches, window: window, coded: codedCategories)
        return matches.indices.filter { codedCategories.contains(matches[$0].entry.category) }.map { m in
            let match = matches[m]
            let cue = context.assertionCue(for: m)
            let status: CodedFinding.Status =
                switch cue?.kind {
                case .negationBefore, .negationAfter, .negationEither: .absent
                case .uncertainBefore, .uncertainAfter, .uncertainEither: .uncertain
                default: .present
                }
            let (laterality, modifiers, site) = context.attributes(of: m)
            return CodedFinding(
                conceptID: match.entry.conceptID,
                preferredTerm: match.entry.preferredTerm,
                status: status,
                laterality: laterality,
                matchedText: tokens[match.start..<match.end].map { String($0.original) }.joined(separator: " "),
                cue: cue?.text,
                modifiers: modifiers,
                siteID: site?.conceptID,
                site: site?.preferredTerm,
                sentenceIndex: sentenceIndex
            )
        }
    }
}

/// The cue phrases, as normalized token sequences.
enum Cues {
    static let negationBefore = [
        "no", "not", "without", "negative for", "no evidence of", "no evidence for", "no sign of", "no signs of",
        "free of", "absence of", "absent", "there is no", "there are no", "there was no", "no definite", "no definitive",
        "no findings of", "no finding of", "no findings to suggest", "nor", "neither", "never", "resolution of",
        "resolved", "interval resolution of", "no longer", "rather than", "negative examination for", "ruled out for",
        "no radiographic evidence of", "no ct evidence of", "no sonographic evidence of", "no mri evidence of",
        "fails to reveal", "no suspicious", "no other",
    ]
    static let negationAfter = [
        "is absent", "are absent", "was absent", "not seen", "not identified", "not present", "not visualized",
        "not demonstrated", "not evident", "not appreciated", "not detected", "no longer seen", "no longer present",
        "no longer visualized", "has resolved", "have resolved", "resolved", "was ruled out", "were ruled out",
        "is ruled out", "ruled out", "is excluded", "are excluded", "was excluded", "unlikely", "is negative",
    ]
    static let uncertainBefore = [
        "possible", "possibly", "probable", "probably", "likely", "most likely", "more likely", "less likely",
        "may represent", "may reflect", "may be", "could represent", "could reflect", "could be", "might represent",
        "might be", "cannot exclude", "can not exclude", "cannot rule out", "can not rule out", "cannot be excluded",
        "can not be excluded", "not excluded", "cannot be ruled out", "not ruled out", "suspicious for", "suspected",
        "concerning for", "worrisome for", "suggestive of", "suggesting", "questionable", "question of", "equivocal",
        "equivocal for", "presumed", "presumably", "differential includes", "differential diagnosis includes",
        "differential diagnosis include", "rule out", "r o", "to rule out", "evaluate for", "assess for",
        "versus", "vs", "or less likely", "raising the possibility of", "borderline", "indeterminate",
        "consider", "considerations include", "cannot differentiate", "may relate to", "probable early",
    ]
    static let uncertainAfter = [
        "cannot be excluded", "can not be excluded", "not excluded", "cannot be ruled out", "can not be ruled out",
        "not ruled out", "is not excluded", "is possible", "is suspected", "are suspected", "is likely",
        "not entirely excluded", "is questioned", "is favored", "is not entirely excluded", "versus",
    ]
    static let pseudo = [
        "no change", "no interval change", "no significant change", "no significant interval change",
        "no appreciable change", "no substantial change", "no definite change", "no change in", "without change",
        "without interval change", "without significant change", "without significant interval change",
        "not changed", "not significantly changed", "no increase", "no interval increase", "no significant increase",
        "no significant interval increase", "no interval enlargement", "no significant enlargement",
        "no interval progression", "no significant interval decrease", "no change in size",
        "no decrease", "no interval decrease", "no further", "not only", "not necessarily", "gram negative",
        "without difficulty", "no increase in size", "not been changed", "no growth", "no interval growth",
        "no significant interval growth", "no evidence of change", "not well seen", "not well visualized",
        "no longer than",
    ]
    static let terminators = [
        "but", "however", "although", "though", "nevertheless", "yet", "except", "except for", "aside from",
        "apart from", "other than", "which", "whereas", "while", "there is", "there are", "there has been",
        "there have been", "secondary to", "due to", "cause of", "source of", "reason for",
    ]

    private static let table: [[String]: FindingCoder.CueKind] = {
        var table: [[String]: FindingCoder.CueKind] = [:]
        func key(_ phrase: String) -> [String] { FindingCoder.tokens(phrase).map(\.key) }
        // later lists win for the same phrase: an uncertainty phrase beats a negation one, a pseudo-negation both
        let lists: [([String], FindingCoder.CueKind)] = [
            (terminators, .terminator), (negationAfter, .negationAfter), (negationBefore, .negationBefore),
            (uncertainAfter, .uncertainAfter), (uncertainBefore, .uncertainBefore), (pseudo, .pseudo),
        ]
        for (phrases, kind) in lists {
            for phrase in phrases { table[key(phrase)] = kind }
        }
        // phrases that work both before and after a finding ("resolved", "cannot be excluded", "versus")
        for phrase in Set(negationBefore).intersection(negationAfter) where table[key(phrase)] == .negationBefore {
            table[key(phrase)] = .negationEither
        }
        for phrase in Set(uncertainBefore).intersection(uncertainAfter) where table[key(phrase)] == .uncertainBefore {
            table[key(phrase)] = .uncertainEither
        }
        return table
    }()
    private static let longest = table.keys.map(\.count).max() ?? 1

    /// The longest cue starting at `position`, if any.
    static func match(_ tokens: [FindingCoder.Token], at position: Int) -> (FindingCoder.CueKind, Int)? {
        var length = min(longest, tokens.count - position)
        while length > 0 {
            if let kind = table[tokens[position..<position + length].map(\.key)] { return (kind, length) }
            length -= 1
        }
        return nil
    }
}
