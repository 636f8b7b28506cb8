import ArgumentParser
import Foundation
import Pronunciation
import RadScribeCore
import ReportStore
import SpeechRecognition

/// `radscribe lexicon`: the user's own words, added to recognition without a restart.
struct LexiconCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lexicon",
        abstract: "Add words to the pronunciation lexicon; list and look them up.",
        discussion: """
            Added words are kept in the database. `transcribe --db` and `dictate` load them at start-up, and a \
            dictation in progress picks a new word up at its next utterance.
            """,
        subcommands: [Add.self, List.self, Lookup.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a word; its pronunciation comes from espeak-ng unless given.",
            discussion: """
                A word is letters, with inner apostrophes or hyphens; digits and symbols are refused (exit 65): \
                spell them out as separate words. --pronunciation takes CMU phones (stress digits are dropped) and \
                checks them against the acoustic model. Adding a word again replaces its pronunciation.
                """
        )

        @Argument(help: "The word, e.g. bochdalek.")
        var word: String

        @Option(help: "CMU phones, e.g. \"B AA K D AH L EH K\" (default: espeak-ng's, mapped to CMU phones).")
        var pronunciation: String?

        @Option(name: .customLong("as"), help: "Who adds the word (default: the OS user).")
        var user: String = NSUserName()

        @OptionGroup var models: ModelOptions
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reportingErrors {
                let configuration = try models.configuration()
                let pronouncer = try UserLexicon.pronouncer(acousticModel: configuration.acousticModel)
                let word = try UserLexicon.cli { try Pronouncer.dictionaryWord(self.word) }
                let phones = try UserLexicon.cli {
                    if let pronunciation { return try pronouncer.checked(pronunciation) }
                    return try pronouncer.generated(for: word)
                }
                let store = try ReportDatabase(path: database.resolvedPath)
                if try store.lexiconWord(word) == nil,
                    let bundled = PronunciationDictionary.pronunciations(of: word, in: configuration.dictionary).first
                {
                    throw CLIError(
                        description: "'\(word)' is already in the lexicon (\(configuration.dictionary.lastPathComponent): "
                            + "\(bundled.joined(separator: " "))); to change a bundled pronunciation, edit "
                            + "Lexicon/pronunciation-overrides.dict and run `bash scripts/build-language-model.sh`",
                        exitCode: ExitStatus.refused
                    )
                }
                let source = pronunciation == nil ? "espeak" : "user"
                let isNew = try store.saveLexiconWord(
                    LexiconWord(word: word, pronunciation: phones.joined(separator: " "), source: source, addedBy: user)
                )
                Console.write("\(isNew ? "added" : "replaced") \(word)\t\(phones.joined(separator: " "))\t(\(source))\n")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the words users added.")

        @Flag(help: "Print JSON.")
        var json = false

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reportingErrors {
                let words = try ReportDatabase(path: database.resolvedPath).lexiconWords()
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                    encoder.dateEncodingStrategy = .iso8601
                    Console.write(String(decoding: try encoder.encode(words), as: UTF8.self) + "\n")
                    return
                }
                for word in words {
                    Console.write("\(word.word)\t\(word.pronunciation)\t\(word.source)\t\(word.addedBy)\n")
                }
            }
        }
    }

    struct Lookup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show how a word is pronounced: user lexicon, then the bundled dictionary.",
            discussion: "A word in neither exits 66 and prints what espeak-ng would give it (`lexicon add` adds it)."
        )

        @Argument(help: "The word.")
        var word: String

        @OptionGroup var models: ModelOptions
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reportingErrors {
                let configuration = try models.configuration()
                let word = try UserLexicon.cli { try Pronouncer.dictionaryWord(self.word) }
                let path = database.resolvedPath
                if FileManager.default.fileExists(atPath: path), let entry = try ReportDatabase(path: path).lexiconWord(word) {
                    Console.write("\(word)\t\(entry.pronunciation)\tuser (\(entry.source), added by \(entry.addedBy))\n")
                    return
                }
                let bundled = PronunciationDictionary.pronunciations(of: word, in: configuration.dictionary)
                if !bundled.isEmpty {
                    for phones in bundled {
                        Console.write("\(word)\t\(phones.joined(separator: " "))\t\(configuration.dictionary.lastPathComponent)\n")
                    }
                    return
                }
                let pronouncer = try UserLexicon.pronouncer(acousticModel: configuration.acousticModel)
                let suggestion = try UserLexicon.cli { try pronouncer.generated(for: word) }
                Console.write("\(word)\t\(suggestion.joined(separator: " "))\tespeak-ng (not in the lexicon)\n")
                throw CLIError(
                    description: "'\(word)' is not in the lexicon; `radscribe lexicon add \(word)` adds it",
                    exitCode: ExitStatus.notFound
                )
            }
        }
    }
}

/// The user's words (database table `lexicon_words`) taught to recognizers.
final class UserLexicon {
    private let database: ReportDatabase
    /// How many of the database's words the recognizer was given.
    private var taught = 0

    init(database: ReportDatabase) {
        self.database = database
    }

    /// Opens the database at `path` when the file exists; nil (no user words) otherwise.
    convenience init?(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        self.init(database: try ReportDatabase(path: path))
    }

    /// Gives the recognizer the words added since the last call. Nothing to do costs one small query, so a
    /// dictation calls it after every utterance: a word added meanwhile serves the next utterance.
    func teach(_ recognizer: Recognizer) throws {
        let words = try database.lexiconWords(after: taught)
        guard !words.isEmpty else { return }
        try recognizer.addWords(words.map { VocabularyWord(word: $0.word, phones: $0.pronunciation.split(separator: " ").map(String.init)) })
        taught += words.count
    }

    /// ``teach(_:)`` that reports a failure on stderr instead of stopping the dictation.
    func refresh(_ recognizer: Recognizer) {
        do {
            try teach(recognizer)
        } catch {
            Console.error("warning: could not add new lexicon words: \(error)")
        }
    }

    static func pronouncer(acousticModel: URL) throws -> Pronouncer {
        Pronouncer(phoneSet: try cli { try AcousticPhoneSet(acousticModel: acousticModel) })
    }

    /// Runs a pronunciation step, turning its error into the CLI's exit code.
    static func cli<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PronunciationError {
            let status: Int32
            switch error.code {
            case .unpronounceable, .unknownPhones, .unmappedSymbol: status = ExitStatus.badInput
            case .synthesizerUnavailable, .modelUnreadable: status = ExitStatus.unavailable
            }
            throw CLIError(description: error.description, exitCode: status)
        }
    }
}
