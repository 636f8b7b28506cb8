import ArgumentParser
import Dictation
import Foundation
import MLLP
import RadScribeCore
import ReportStore
import ReportTemplates
import SpeechRecognition

/// `--db PATH`, shared by every command that touches the database.
struct DatabaseOptions: ParsableArguments {
    static let defaultPathDescription = "~/.local/share/radscribe/radscribe.sqlite ($XDG_DATA_HOME/radscribe/radscribe.sqlite)"

    @Option(name: .customLong("db"), help: "SQLite database file (default: $RADSCRIBE_DB, else \(defaultPathDescription)).")
    var path: String?

    var resolvedPath: String {
        let environment = ProcessInfo.processInfo.environment
        if let path, !path.isEmpty { return path }
        if let path = environment["RADSCRIBE_DB"], !path.isEmpty { return path }
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() + "/.local/share")
        return dataHome + "/radscribe/radscribe.sqlite"
    }

    /// Opens the database and loads any bundled template that is new or changed.
    func open() throws -> ReportDatabase {
        var database = try ReportDatabase(path: resolvedPath)
        database.resultEncoder = ORUResultEncoder.bundled
        database.findingCoder = BundledOntology.reportFindings
        try BundledTemplates.sync(into: database, from: try ResourceLocator.discover())
        return database
    }
}

/// Which models to recognize with.
struct ModelOptions: ParsableArguments {
    @Flag(help: "Use stock PocketSphinx (general English LM and CMUdict) instead of the radiology models: the baseline.")
    var stock = false

    @Option(help: "Acoustic model directory (default: the en-us model of pocketsphinx-en-us).")
    var acousticModel: String?

    @Option(help: "Language model file (default: the bundled Lexicon/radiology.lm.bin).")
    var languageModel: String?

    @Option(help: "Pronunciation dictionary (default: the bundled Lexicon/radscribe.dict).")
    var dictionary: String?

    @Option(help: "Decode with this speaker's adapted acoustic model (see `radscribe profile`); an error if none.")
    var profile: String?

    @OptionGroup var profiles: ProfilesDirectoryOption

    @Option(
        name: .customLong("decoder-option"),
        help: ArgumentHelp(
            "Override one PocketSphinx decoder option, as NAME=VALUE without the leading dash (e.g. lw=6.5 or beam=1e-60); repeatable.",
            discussion: "For tuning and benchmarks; the defaults were chosen on Benchmarks/dev (BENCHMARKS.md).",
            valueName: "name=value"
        )
    )
    var decoderOptions: [String] = []

    @Option(
        name: .customLong("utterance-end"),
        help: ArgumentHelp(
            "What ends an utterance, the language model's unit of context: 'thought' (a pause after a sentence end or a voice command), 'paragraph' (after a new paragraph or line, or a command) or 'pause' (every pause).",
            discussion: "'pause' is PocketSphinx's own behaviour, kept for comparison; the default was chosen on Benchmarks/dev (BENCHMARKS.md)."
        )
    )
    var utteranceEnd: UtteranceEnd = .thought

    @Flag(
        name: .customLong("number-pass"), inversion: .prefixedNo,
        help: "Decide each number the language model hears with a second pass constrained to numbers (default: on)."
    )
    var numberPass = true

    enum UtteranceEnd: String, ExpressibleByArgument, CaseIterable {
        case thought, paragraph, pause
    }

    /// A recognizer for these options: the configuration, and the rule for ending utterances.
    func recognizer(speaker: String? = nil) throws -> Recognizer {
        let recognizer = try Recognizer(configuration: configuration(speaker: speaker))
        if numberPass && !stock { try recognizer.useNumberPass() }
        switch utteranceEnd {
        case .thought: recognizer.endsUtteranceAtPause = Dictation.DictationCommand.pauseEndsUtterance
        case .paragraph: recognizer.endsUtteranceAtPause = Dictation.DictationCommand.pauseEndsParagraph
        case .pause: recognizer.endsUtteranceAtPause = nil
        }
        return recognizer
    }

    /// The options as given with no flags: the radiology models (for callers outside the command line).
    static func defaults() throws -> ModelOptions { try parse([]) }

    private static func decoderOption(_ text: String) throws -> (name: String, value: String) {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let name = parts[0].trimmingCharacters(in: .whitespaces)
        guard parts.count == 2, !name.isEmpty, name != "-", !parts[1].isEmpty else {
            throw CLIError(
                description: "--decoder-option \"\(text)\" is not NAME=VALUE; write it like --decoder-option lw=6.5",
                exitCode: ExitStatus.usage
            )
        }
        return (name.hasPrefix("-") ? name : "-" + name, String(parts[1]))
    }

    static let stockModelDirectory = URL(fileURLWithPath: "/usr/share/pocketsphinx/model/en-us")

    /// - Parameter speaker: whose profile to use when there is one and `--profile` names none (the dictating author).
    func configuration(speaker: String? = nil) throws -> RecognizerConfiguration {
        var configuration: RecognizerConfiguration
        if stock {
            configuration = .stockEnglish(modelDirectory: Self.stockModelDirectory)
        } else {
            let resources = try ResourceLocator.discover()
            configuration = .radiology(
                languageModel: resources.languageModel,
                dictionary: resources.dictionary,
                acousticModel: Self.stockModelDirectory.appendingPathComponent("en-us")
            )
        }
        if let acousticModel { configuration.acousticModel = URL(fileURLWithPath: acousticModel) }
        if let languageModel { configuration.languageModel = URL(fileURLWithPath: languageModel) }
        if let dictionary { configuration.dictionary = URL(fileURLWithPath: dictionary) }
        configuration = try SpeakerProfiles.apply(
            explicit: profile, implicit: speaker, root: profiles.resolved, to: configuration
        )
        // After the profile, so an explicit --decoder-option wins over a profile's own settings.
        for option in decoderOptions {
            let (name, value) = try Self.decoderOption(option)
            configuration.extraOptions[name] = value
        }
        return configuration
    }
}

/// The templates shipped in `Templates/`, kept in the database so reports can name their version.
enum BundledTemplates {
    /// Stores each bundled template whose text is new to the database: a template shipped for the first time, or a
    /// new release of one. Text the database already holds in any version is not stored again: comparing with the
    /// newest version only, two binaries of different releases on one database (an upgrade in progress, an old
    /// command-line copy) each stored their own text again on every command, so the newest version flipped between
    /// them and reports were checked against whichever ran last.
    static func sync(into database: ReportDatabase, from resources: ResourceLocator) throws {
        let files = (try? FileManager.default.contentsOfDirectory(
            at: resources.templatesDirectory, includingPropertiesForKeys: nil
        )) ?? []
        for file in files.sorted(by: { $0.path < $1.path }) where file.pathExtension == "html" {
            let html = try String(contentsOf: file, encoding: .utf8)
            let slug = file.deletingPathExtension().lastPathComponent
            if try database.templateVersions(slug: slug).contains(where: { $0.html == html }) { continue }
            let parsed: TemplateParseResult
            do {
                parsed = try ReportTemplate.parse(html: html)
            } catch {
                throw CLIError(
                    description: "bundled template \(file.lastPathComponent) is broken: \(error)",
                    exitCode: ExitStatus.badInput
                )
            }
            try database.storeTemplate(
                slug: slug, identifier: parsed.template.identifier, title: parsed.template.title, html: html
            )
        }
    }

    /// Parses a stored template.
    static func parse(_ stored: StoredTemplate) throws -> ReportTemplate {
        try ReportTemplate.parse(html: stored.html).template
    }
}
