import Foundation

/// Gives a word a pronunciation in the acoustic model's phones: a user's own (checked), or espeak-ng's
/// letter-to-sound rules mapped to CMU phones.
public struct Pronouncer: Sendable {
    /// The phones pronunciations are checked against.
    public let phoneSet: AcousticPhoneSet

    public init(phoneSet: AcousticPhoneSet) {
        self.phoneSet = phoneSet
    }

    /// The word as the dictionary keeps it: lower case, letters with inner apostrophes or hyphens only.
    /// - Throws: ``PronunciationError/unpronounceable(_:characters:)`` listing digits, symbols and spaces.
    public static func dictionaryWord(_ word: String) throws(PronunciationError) -> String {
        let trimmed = word.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .unpronounceable(word, characters: []) }
        var bad: [Character] = []
        for (offset, character) in trimmed.enumerated() {
            let inner = offset > 0 && offset < trimmed.count - 1
            if isLatinLetter(character) || (inner && (character == "'" || character == "-")) { continue }
            if !bad.contains(character) { bad.append(character) }
        }
        guard bad.isEmpty, trimmed.contains(where: isLatinLetter) else { throw .unpronounceable(trimmed, characters: bad) }
        return trimmed.lowercased()
    }

    /// Letters English letter-to-sound rules can read: a–z and accented Latin letters (é, ü, ç, …).
    private static func isLatinLetter(_ character: Character) -> Bool {
        guard character.isLetter, let scalar = character.unicodeScalars.first else { return false }
        return scalar.isASCII || (0xC0...0x24F).contains(scalar.value)
    }

    /// A pronunciation given by hand ("ih f y uw zh ah n" or "IH0 F Y UW1 ZH AH0 N"), checked against the model.
    /// - Throws: ``PronunciationError/unknownPhones(_:known:)`` naming the phones the model lacks.
    public func checked(_ pronunciation: String) throws(PronunciationError) -> [String] {
        let phones = AcousticPhoneSet.normalize(pronunciation)
        guard !phones.isEmpty else { throw .unknownPhones([], known: phoneSet.speechPhones) }
        let unknown = phoneSet.unknown(in: phones)
        guard unknown.isEmpty else { throw .unknownPhones(unknown, known: phoneSet.speechPhones) }
        return phones
    }

    /// espeak-ng's pronunciation of a word in CMU phones.
    /// - Throws: a ``PronunciationError`` if the word cannot be spoken, espeak-ng is unavailable or its IPA
    ///   cannot be mapped.
    public func generated(for word: String) throws(PronunciationError) -> [String] {
        let word = try Self.dictionaryWord(word)
        // espeak reads "word." as a word, not a letter name or abbreviation (the build script does the same).
        let ipa = try EspeakPhonemizer.shared.ipa(for: word.replacingOccurrences(of: "-", with: " ") + ".")
        let phones = try IPAToCMU.phones(ipa: ipa, word: word)
        let unknown = phoneSet.unknown(in: phones)
        guard unknown.isEmpty, !phones.isEmpty else { throw .unknownPhones(unknown, known: phoneSet.speechPhones) }
        return phones
    }
}

/// A CMUdict-format pronunciation dictionary file (`word PH ON ES`, variants `word(2)`).
public enum PronunciationDictionary {
    /// The pronunciations of a word in a dictionary file, variants in file order; empty when absent.
    public static func pronunciations(of word: String, in file: URL) -> [[String]] {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
        let word = word.lowercased()
        var result: [[String]] = []
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix(word) {
            let fields = line.split(whereSeparator: \.isWhitespace)
            guard let head = fields.first else { continue }
            let base = head.split(separator: "(", maxSplits: 1).first.map(String.init) ?? String(head)
            if base.lowercased() == word { result.append(fields.dropFirst().map(String.init)) }
        }
        return result
    }
}
