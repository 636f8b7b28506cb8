/// Why speech could not be recognized. Descriptions name the file or setting to fix.
public struct RecognitionError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case modelMissing
        case configurationRejected
        case decoderFailed
        case grammarWordsMissing
        case unknownSearch
        case wordRejected
    }

    private let code: Code
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func modelMissing(_ what: String, path: String) -> RecognitionError {
        RecognitionError(
            .modelMissing,
            "\(what) not found at \(path); install pocketsphinx-en-us, or set RADSCRIBE_HOME to the RadScribe data folder"
        )
    }

    public static func configurationRejected(_ detail: String) -> RecognitionError {
        RecognitionError(.configurationRejected, "PocketSphinx rejected its configuration: \(detail)")
    }

    public static func decoderFailed(_ operation: String, code: Int32) -> RecognitionError {
        RecognitionError(.decoderFailed, "PocketSphinx \(operation) failed (code \(code))")
    }

    /// A grammar uses words the pronunciation dictionary lacks (PocketSphinx would refuse it with -1).
    public static func grammarWordsMissing(_ grammar: String, words: [String], dictionary: String) -> RecognitionError {
        RecognitionError(
            .grammarWordsMissing,
            "grammar \(grammar) uses \(words.count) word(s) missing from \(dictionary): \(words.joined(separator: ", ")); "
                + "add them to the corpus and run `bash scripts/build-language-model.sh`"
        )
    }

    public static func unknownSearch(_ name: String) -> RecognitionError {
        RecognitionError(.unknownSearch, "no search named \(name); add its grammar first")
    }

    /// PocketSphinx refused to add a word to the dictionary (a phone the acoustic model lacks).
    public static func wordRejected(_ word: String, phones: String) -> RecognitionError {
        RecognitionError(.wordRejected, "PocketSphinx refused the word \(word) (\(phones)): check its phones")
    }

    public static func == (lhs: RecognitionError, rhs: RecognitionError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
