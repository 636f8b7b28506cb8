import ArgumentParser
import Dictation
import Foundation
import RadScribeCore
import ReportTemplates
import SpeechRecognition

/// `radscribe grammar build`: the JSGF grammars of every template's selection and number fields.
struct GrammarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grammar",
        abstract: "Field grammars (JSGF) that constrain recognition on selection and number fields.",
        subcommands: [Build.self]
    )

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write Grammars/<template>/<field>.gram for every template in Templates/.",
            discussion: """
                Each grammar holds the field's options (text and value) or numbers with the field's unit, and the \
                voice commands. Every grammar word must be in Lexicon/radscribe.dict (PocketSphinx refuses the \
                grammar otherwise): missing words are listed and the exit status is 65; add them to the corpus and \
                run `bash scripts/build-language-model.sh`. Old grammar files of each template are replaced.
                """
        )

        @Option(help: "Output folder (default: Grammars/ of the RadScribe data folder).")
        var output: String?

        func run() throws {
            try reportingErrors {
                let resources = try ResourceLocator.discover()
                let outputDirectory = output.map { URL(fileURLWithPath: $0) } ?? resources.grammarsDirectory
                let vocabulary = try OptionSynonyms.vocabulary(resources.dictionary)
                let files = try FileManager.default.contentsOfDirectory(at: resources.templatesDirectory, includingPropertiesForKeys: nil)
                    .filter { $0.pathExtension == "html" }
                    .sorted { $0.path < $1.path }
                var missingCount = 0
                var written = 0
                for file in files {
                    let slug = file.deletingPathExtension().lastPathComponent
                    let template: ReportTemplate
                    do {
                        template = OptionSynonyms.enrich(
                            try ReportTemplate.parse(contentsOf: file).template, vocabulary: vocabulary
                        )
                    } catch {
                        Console.error("skipped \(file.lastPathComponent): \(error)")
                        continue
                    }
                    let directory = outputDirectory.appendingPathComponent(slug)
                    if FileManager.default.fileExists(atPath: directory.path) { try FileManager.default.removeItem(at: directory) }
                    let grammars = FieldGrammar.grammars(for: template, slug: slug)
                    guard !grammars.isEmpty else { continue }
                    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                    for grammar in grammars {
                        try grammar.jsgf.write(
                            to: directory.appendingPathComponent("\(grammar.fieldKey).gram"), atomically: true, encoding: .utf8
                        )
                        written += 1
                        let missing = grammar.missingWords(in: vocabulary)
                        if !missing.isEmpty {
                            missingCount += missing.count
                            Console.error("\(grammar.name): \(missing.count) word(s) not in \(resources.dictionary.lastPathComponent): "
                                + missing.joined(separator: ", "))
                        }
                    }
                }
                Console.write("wrote \(written) grammar(s) to \(outputDirectory.path)\n")
                if missingCount > 0 {
                    throw CLIError(
                        description: "\(missingCount) grammar word(s) missing from the dictionary; add them to "
                            + "Lexicon/corpus/handwritten.txt and run `bash scripts/build-language-model.sh`",
                        exitCode: ExitStatus.badInput
                    )
                }
            }
        }

    }
}

/// Loads a template's field grammars into a recognizer and switches between them as the cursor moves.
struct FieldGrammarSwitcher {
    /// Grammar search name by field key.
    private(set) var searches: [String: String] = [:]

    /// Adds every field grammar of the template the dictionary can support; warns about the others.
    init(template: ReportTemplate, slug: String, recognizer: Recognizer) {
        for grammar in FieldGrammar.grammars(for: template, slug: slug) {
            do {
                try recognizer.addGrammar(named: grammar.name, jsgf: grammar.jsgf)
                searches[grammar.fieldKey] = grammar.name
            } catch {
                Console.error("warning: field \(grammar.fieldKey) is recognized with the language model: \(error)")
            }
        }
    }

    /// The search for the session's cursor: the field's grammar, or nil (the language model).
    func search(for session: DictationSession) -> String? {
        session.currentField.flatMap { searches[DictationSession.key(of: $0)] }
    }
}
