import Foundation

/// Why a word could not be given a pronunciation. Descriptions say what to change.
public struct PronunciationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, for callers that map errors to exit codes.
    public enum Code: Hashable, Sendable {
        /// The word has characters that cannot be spoken (digits, symbols) or is empty.
        case unpronounceable
        /// A pronunciation uses phones the acoustic model does not have.
        case unknownPhones
        /// espeak-ng could not be initialized or gave no phonemes.
        case synthesizerUnavailable
        /// espeak-ng's IPA has a symbol the IPA → CMU table does not map.
        case unmappedSymbol
        /// The acoustic model's phone list could not be read.
        case modelUnreadable
    }

    public let code: Code
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func unpronounceable(_ word: String, characters: [Character]) -> PronunciationError {
        let shown = characters.map { "'\($0)'" }.joined(separator: ", ")
        return PronunciationError(
            .unpronounceable,
            characters.isEmpty
                ? "an empty word cannot be pronounced"
                : "'\(word)' cannot be pronounced: \(shown) \(characters.count == 1 ? "is not a letter" : "are not letters"); "
                    + "spell numbers and symbols out as words (\"t two\", not \"t2\"), or add each word on its own"
        )
    }

    public static func unknownPhones(_ phones: [String], known: [String]) -> PronunciationError {
        PronunciationError(
            .unknownPhones,
            "unknown phone(s) \(phones.joined(separator: " ")); the acoustic model has: \(known.joined(separator: " "))"
        )
    }

    public static func synthesizerUnavailable(_ detail: String) -> PronunciationError {
        PronunciationError(
            .synthesizerUnavailable,
            "espeak-ng could not give a pronunciation (\(detail)); install espeak-ng-data, or pass --pronunciation"
        )
    }

    public static func unmappedSymbol(_ symbol: Character, word: String, ipa: String) -> PronunciationError {
        let scalar = symbol.unicodeScalars.first.map { String(format: "U+%04X", $0.value) } ?? "?"
        return PronunciationError(
            .unmappedSymbol,
            "espeak-ng's IPA for '\(word)' (\(ipa)) has \(symbol) (\(scalar)) that RadScribe cannot map to a CMU phone; "
                + "pass --pronunciation"
        )
    }

    public static func modelUnreadable(_ path: String) -> PronunciationError {
        PronunciationError(.modelUnreadable, "cannot read the phone list of the acoustic model at \(path)")
    }

    public static func == (lhs: PronunciationError, rhs: PronunciationError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
