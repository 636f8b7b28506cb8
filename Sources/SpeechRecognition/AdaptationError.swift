import Foundation

/// Why a speaker could not be enrolled or adapted. Descriptions name the file, word or tool to fix.
public struct AdaptationError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        /// A sphinxtrain or sphinxbase program is not installed where expected.
        case toolMissing
        /// A tool ran and failed.
        case toolFailed
        /// Transcript words without a pronunciation in the dictionary.
        case wordsMissing
        /// No usable audio/transcript pairs, or unreadable ones.
        case badData
        /// The base acoustic model cannot be read or converted.
        case modelUnusable
        /// No profile for that speaker.
        case profileNotFound
    }

    public let code: Code
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func toolMissing(_ name: String, path: String) -> AdaptationError {
        AdaptationError(
            .toolMissing,
            "\(name) not found at \(path); speaker adaptation needs Debian's sphinxtrain and sphinxbase-utils "
                + "(`apt-get install sphinxtrain sphinxbase-utils pocketsphinx`)"
        )
    }

    public static func toolFailed(_ name: String, status: Int32, log: URL, tail: String) -> AdaptationError {
        AdaptationError(
            .toolFailed, "\(name) failed with exit status \(status) (full log: \(log.path)):\n\(tail)"
        )
    }

    public static func wordsMissing(_ missing: [String: [String]], dictionary: URL) -> AdaptationError {
        let words = missing.keys.sorted()
        let listed = words.map { word in "\(word) (in \(missing[word]!.sorted().prefix(3).joined(separator: ", ")))" }
        return AdaptationError(
            .wordsMissing,
            "\(words.count) transcript word(s) missing from \(dictionary.path): \(listed.joined(separator: "; ")); "
                + "every word must have a pronunciation: correct the transcript, or add the word "
                + "(Lexicon/pronunciation-overrides.dict, then `bash scripts/build-language-model.sh`)"
        )
    }

    public static func badData(_ message: String) -> AdaptationError {
        AdaptationError(.badData, message)
    }

    public static func modelUnusable(_ message: String) -> AdaptationError {
        AdaptationError(.modelUnusable, message)
    }

    public static func profileNotFound(_ speaker: String, directory: URL) -> AdaptationError {
        AdaptationError(
            .profileNotFound,
            "no speaker profile for '\(speaker)' in \(directory.path); enroll with `radscribe profile enroll \(speaker) …`"
        )
    }
}
