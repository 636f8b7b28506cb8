import CPocketSphinx
import Foundation

/// Words added to a running decoder, without the crash `ps_add_word` causes in a small trie language model.
///
/// Adding about a dozen words with `ps_add_word` while a small trie n-gram LM is the active search makes the next
/// `ps_process_raw` crash (`bitarr_read_int25` ← `lm_trie_score`): the word is appended to the trie's unigrams,
/// whose arrays do not grow. The workaround (checked in `SpeechRecognitionTests`, more than twelve words then
/// decoding): make a keyword-spotting search active, add the words to the dictionary with `ps_add_word`, then load
/// a *new* language model that already holds the words as unigrams (ARPA text, built from the original LM) under a
/// new search name and switch to it. The old n-gram search, which `ps_add_word` also extended, is never scored again
/// and is dropped.
extension PocketSphinxDecoder {
    /// The pronunciation the dictionary has for a word ("IH F Y UW ZH AH N"), nil when absent.
    func pronunciation(of word: String) -> String? {
        guard let phones = ps_lookup_word(decoder, word) else { return nil }
        defer { free(phones) }
        return String(cString: phones)
    }

    /// The ARPA text of a language model file (binary or ARPA), read with sphinxbase.
    func arpaText(of languageModel: URL) throws(RecognitionError) -> String {
        guard let model = ngram_model_read(config, languageModel.path, NGRAM_AUTO, ps_get_logmath(decoder)) else {
            throw .configurationRejected("cannot read language model \(languageModel.path)")
        }
        defer { ngram_model_free(model) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("radscribe-\(UUID().uuidString).arpa")
        defer { try? FileManager.default.removeItem(at: file) }
        try check(ngram_model_write(model, file.path, NGRAM_ARPA), "ngram_model_write")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw .configurationRejected("cannot read back the ARPA text of \(languageModel.path)")
        }
        return text
    }

    /// Adds words to the dictionary and makes `arpa` (a language model holding them) the n-gram search.
    ///
    /// Only between utterances. The active search afterwards is the new language model, named `searchName`.
    /// - Throws: ``RecognitionError/wordRejected(_:phones:)`` when PocketSphinx refuses a word (an unknown phone).
    func addWords(_ words: [VocabularyWord], languageModelARPA arpa: String, searchName: String) throws(RecognitionError) {
        let previous = defaultSearch
        let spotter = "_radscribe_vocabulary"
        let anchor = ["period", "the", "a"].first(where: hasWord) ?? words[0].word
        try check(ps_set_keyphrase(decoder, spotter, anchor), "ps_set_keyphrase")
        try setSearch(spotter)
        for (index, word) in words.enumerated() where !hasWord(word.word) {
            let id = ps_add_word(decoder, word.word, word.phones.joined(separator: " "), index == words.count - 1 ? 1 : 0)
            if id < 0 {
                try? setSearch(previous)
                throw .wordRejected(word.word, phones: word.phones.joined(separator: " "))
            }
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("radscribe-\(UUID().uuidString).arpa")
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            try arpa.write(to: file, atomically: true, encoding: .utf8)
        } catch {
            throw .configurationRejected("cannot write a language model to \(file.path): \(error.localizedDescription)")
        }
        try check(ps_set_lm_file(decoder, searchName, file.path), "ps_set_lm_file(\(searchName))")
        try setSearch(searchName)
        defaultSearch = searchName
        // Free the superseded language model and the spotter; neither is used again.
        _ = ps_unset_search(decoder, previous)
        _ = ps_unset_search(decoder, spotter)
    }
}

/// A word and its pronunciation in the acoustic model's phones, for ``Recognizer/addWords(_:)``.
public struct VocabularyWord: Sendable, Hashable, Codable {
    /// The word as the dictionary keeps it, lower case.
    public var word: String
    /// CMU phones without stress digits: `["IH", "F", "Y", "UW", "ZH", "AH", "N"]`.
    public var phones: [String]

    public init(word: String, phones: [String]) {
        self.word = word
        self.phones = phones
    }
}

/// ARPA language-model text with words added as unigrams.
enum ARPAText {
    /// Adds each word not already a unigram, with the upper-quartile unigram log probability of the model and no
    /// back-off weight, and updates the `ngram 1=` count. Two thirds of the bundled model's unigrams are rare
    /// general-English backbone words, so its median is a rarity; a word a radiologist adds is one they mean to say,
    /// and the upper quartile is a typical radiology word's probability.
    static func addingUnigrams(_ words: [String], to arpa: String) -> String {
        var lines = arpa.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(of: "\\1-grams:") else { return arpa }
        var end = start + 1
        var existing = Set<String>()
        var probabilities: [Double] = []
        while end < lines.count, !lines[end].trimmingCharacters(in: .whitespaces).isEmpty, !lines[end].hasPrefix("\\") {
            let fields = lines[end].split(whereSeparator: { $0 == "\t" || $0 == " " })
            if fields.count >= 2 {
                existing.insert(String(fields[1]))
                if let probability = Double(fields[0]), probability > -98 { probabilities.append(probability) }
            }
            end += 1
        }
        var seen = existing
        let added = words.filter { seen.insert($0).inserted }
        guard !added.isEmpty else { return arpa }
        probabilities.sort()
        let probability = probabilities.isEmpty ? -4.0 : probabilities[probabilities.count * 3 / 4]
        lines.insert(contentsOf: added.map { String(format: "%.4f\t%@\t0.0000", probability, $0) }, at: end)
        if let header = lines.firstIndex(where: { $0.hasPrefix("ngram 1=") }),
            let count = Int(lines[header].dropFirst("ngram 1=".count))
        {
            lines[header] = "ngram 1=\(count + added.count)"
        }
        return lines.joined(separator: "\n")
    }
}
