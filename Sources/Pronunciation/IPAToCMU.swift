/// espeak-ng's IPA (en-us) mapped to CMU (ARPAbet) phones, longest match first: r-coloured vowels and
/// diphthongs before their parts. Ported from `scripts/build-lexicon.py`, which builds the bundled lexicon the
/// same way, so a word added at runtime is spelled as the build would have spelled it.
public enum IPAToCMU {
    static let table: [String: [String]] = [
        // r-coloured vowels
        "ɑːɹ": ["AA", "R"], "ɔːɹ": ["AO", "R"], "oːɹ": ["AO", "R"], "oɹ": ["AO", "R"],
        "ɛɹ": ["EH", "R"], "eɹ": ["EH", "R"], "ɪɹ": ["IH", "R"], "iəɹ": ["IH", "R"],
        "ʊɹ": ["UH", "R"], "aɪɚ": ["AY", "ER"], "aɪə": ["AY", "AH"], "aʊɚ": ["AW", "ER"],
        "ɜːɹ": ["ER"], "ɚɹ": ["ER"], "ɜː": ["ER"], "ɜ": ["ER"], "ɚ": ["ER"], "ɝ": ["ER"], "əɹ": ["ER"],
        // diphthongs
        "eɪ": ["EY"], "aɪ": ["AY"], "aʊ": ["AW"], "ɔɪ": ["OY"], "oʊ": ["OW"], "əʊ": ["OW"],
        "iə": ["IY", "AH"], "uə": ["UW", "AH"],
        // affricates
        "tʃ": ["CH"], "t͡ʃ": ["CH"], "dʒ": ["JH"], "d͡ʒ": ["JH"],
        // syllabic consonants (CMUdict writes button = B AH T AH N)
        "n̩": ["AH", "N"], "l̩": ["AH", "L"], "m̩": ["AH", "M"],
        // monophthongs
        "ɑː": ["AA"], "ɑ": ["AA"], "ɒ": ["AA"], "æ": ["AE"], "a": ["AE"], "ʌ": ["AH"],
        "ə": ["AH"], "ɐ": ["AH"], "ɔː": ["AO"], "ɔ": ["AO"], "oː": ["AO"], "o": ["OW"],
        "ɛ": ["EH"], "e": ["EY"], "ɪ": ["IH"], "ᵻ": ["IH"], "ɨ": ["IH"], "iː": ["IY"],
        "i": ["IY"], "ʊ": ["UH"], "uː": ["UW"], "u": ["UW"], "ʉ": ["UW"], "y": ["UW"],
        // consonants
        "b": ["B"], "d": ["D"], "ð": ["DH"], "f": ["F"], "ɡ": ["G"], "g": ["G"], "h": ["HH"],
        "k": ["K"], "l": ["L"], "ɫ": ["L"], "ɬ": ["L"], "m": ["M"], "n": ["N"], "ŋ": ["NG"],
        "p": ["P"], "ɹ": ["R"], "r": ["R"], "ɾ": ["T"], "s": ["S"], "ʃ": ["SH"], "t": ["T"],
        "θ": ["TH"], "v": ["V"], "w": ["W"], "ʍ": ["W"], "j": ["Y"], "z": ["Z"], "ʒ": ["ZH"],
        "ʔ": ["T"], "x": ["K"], "ç": ["HH"], "ɣ": ["G"], "β": ["V"],
    ]

    /// Stress and length marks, syllable and word separators, ties: dropped.
    static let ignored: Set<Unicode.Scalar> = Set("ˈˌː.-_ ‿͡'|\n\t".unicodeScalars).union(["\u{0329}"])

    /// Keys as unicode-scalar arrays, longest first. Matching is on scalars: combining marks (the syllabic
    /// stroke, the tie) would otherwise merge with their base letter into one `Character`.
    private static let keys: [(scalars: [Unicode.Scalar], phones: [String])] = table
        .map { (Array($0.key.unicodeScalars), $0.value) }
        .sorted { $0.scalars.count > $1.scalars.count }

    /// The CMU phones of espeak-ng IPA.
    /// - Parameters:
    ///   - ipa: espeak-ng's IPA for `word`.
    ///   - word: the spelling, used to tell a flap spelled with d ("D") from one spelled with t ("T").
    /// - Throws: ``PronunciationError/unmappedSymbol(_:word:ipa:)`` naming the first symbol without a mapping.
    public static func phones(ipa: String, word: String) throws(PronunciationError) -> [String] {
        let scalars = Array(ipa.unicodeScalars)
        var phones: [String] = []
        var index = 0
        scan: while index < scalars.count {
            if ignored.contains(scalars[index]) {
                index += 1
                continue
            }
            for key in keys where index + key.scalars.count <= scalars.count {
                if Array(scalars[index..<index + key.scalars.count]) == key.scalars {
                    var mapped = key.phones
                    if key.scalars == ["ɾ"], !word.contains("t"), word.contains("d") { mapped = ["D"] }
                    phones += mapped
                    index += key.scalars.count
                    continue scan
                }
            }
            throw .unmappedSymbol(Character(scalars[index]), word: word, ipa: ipa)
        }
        // Collapse doubled identical consonants espeak sometimes emits ("ll").
        var collapsed: [String] = []
        for phone in phones where !(collapsed.last == phone && !["AH", "IY", "IH"].contains(phone)) {
            collapsed.append(phone)
        }
        return collapsed
    }
}
