import Foundation

/// The words a recognizer learned at runtime.
struct RuntimeVocabulary {
    /// Words in the dictionary and the language model, in the order they were added.
    var added: [VocabularyWord] = []
    /// Words waiting for the current utterance to end.
    var pending: [VocabularyWord] = []
    /// The ARPA text of the starting language model, read on the first addition.
    var baseARPA: String?
    /// How many language models were built; names each new n-gram search.
    var generation = 0
}

extension Recognizer {
    /// Adds words to the dictionary and the language model of a running recognizer: no restart.
    ///
    /// Between utterances (or before any speech in the open one) the words take effect at once; while the speaker
    /// is talking they wait for the end of the utterance, so the next utterance can use them. Words the dictionary
    /// already has are skipped. Adding builds a new language model (the starting one plus every added word as a
    /// unigram) and takes a fraction of a second with the radiology model; see ``PocketSphinxDecoder`` for why the
    /// words are not simply added to the active model.
    /// - Parameter words: words with pronunciations in the acoustic model's phones (check them first, e.g. with
    ///   `Pronouncer`).
    /// - Throws: ``RecognitionError/wordRejected(_:phones:)`` if PocketSphinx refuses a pronunciation.
    public func addWords(_ words: [VocabularyWord]) throws {
        var seen = Set(vocabulary.pending.map(\.word))
        let new = words.filter { !decoder.hasWord($0.word) && seen.insert($0.word).inserted }
        guard !new.isEmpty else { return }
        vocabulary.pending += new
        if utteranceOpen && heardSpeech { return }
        if utteranceOpen {
            try decoder.endUtterance()
            try applyPendingWords()
            try decoder.startUtterance()
        } else {
            try applyPendingWords()
        }
    }

    /// The words added at runtime so far (not those still waiting for the utterance to end).
    public var addedWords: [VocabularyWord] { vocabulary.added }

    /// The pronunciation the dictionary has for a word, as CMU phones; nil when it has none.
    public func pronunciation(of word: String) -> [String]? {
        decoder.pronunciation(of: word).map { $0.split(separator: " ").map(String.init) }
    }

    /// Between utterances: puts the waiting words into the dictionary and a new language model.
    func applyPendingWords() throws {
        guard !vocabulary.pending.isEmpty else { return }
        let words = vocabulary.pending
        if vocabulary.baseARPA == nil { vocabulary.baseARPA = try decoder.arpaText(of: languageModel) }
        let arpa = ARPAText.addingUnigrams((vocabulary.added + words).map(\.word), to: vocabulary.baseARPA ?? "")
        vocabulary.generation += 1
        vocabulary.pending = []
        do {
            try decoder.addWords(words, languageModelARPA: arpa, searchName: "_radscribe_lm\(vocabulary.generation)")
        } catch {
            // The recognizer goes on with the words and model it had.
            if let activeSearch { try? decoder.setSearch(activeSearch) }
            throw error
        }
        vocabulary.added += words
        // A field grammar that was active stays active; the new model serves the next n-gram utterance.
        if let activeSearch { try decoder.setSearch(activeSearch) }
    }
}
