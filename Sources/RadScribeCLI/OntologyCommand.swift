import ArgumentParser
import Foundation
import Ontology
import RadScribeCore
import ReportStore

/// `radscribe ontology search|show|code`: the bundled RadLex-style ontology, kept in the database.
struct OntologyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ontology",
        abstract: "Search the radiology ontology and code findings in report text.",
        discussion: "The bundled Lexicon/ontology/radscribe-ontology.tsv is (re)loaded into the database whenever it changed.",
        subcommands: [Search.self, Show.self, Code.self]
    )

    /// Opens the ontology tables in the database, through the report store's connection (one pool per file), and
    /// loads the bundled file if it is new or changed.
    static func open(_ database: DatabaseOptions) throws -> (ontology: OntologyDatabase, reports: ReportDatabase) {
        let reports = try ReportDatabase(path: database.resolvedPath)
        let store = try OntologyDatabase(sharing: reports.sharedConnection, path: reports.path)
        try store.sync(withFile: OntologyFile.bundledURL(in: try ResourceLocator.discover()))
        return (store, reports)
    }

    static func line(_ concept: OntologyConcept) -> String {
        "\(concept.id)\t\(concept.preferredTerm)\t\(concept.category.rawValue)"
    }

    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find concepts by term, synonym or abbreviation (or by RS:/RID id).",
            discussion: "Prints one concept a line: id, preferred term, category, and the term that matched."
        )

        @Argument(help: "Words to look for, e.g. pleural effusion, PICC, RID58.")
        var words: [String]

        @Option(help: "Only this category (\(OntologyCategory.allCases.map(\.rawValue).joined(separator: ", "))).")
        var category: String?

        @Option(help: "At most this many results.")
        var limit = 20

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            if words.joined().trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("give a term to search for") }
            if let category, OntologyCategory(rawValue: category) == nil {
                throw ValidationError("unknown category \(category)")
            }
            if limit < 1 { throw ValidationError("--limit must be at least 1") }
        }

        func run() throws {
            try reportingErrors {
                let store = try OntologyCommand.open(database).ontology
                let hits = try store.search(
                    words.joined(separator: " "), category: category.flatMap(OntologyCategory.init(rawValue:)), limit: limit
                )
                if hits.isEmpty {
                    throw CLIError(description: "no concept matches \"\(words.joined(separator: " "))\"", exitCode: ExitStatus.notFound)
                }
                for hit in hits {
                    let matched = hit.matchedTerm == hit.concept.preferredTerm ? "" : "\t(\(hit.matchedTerm))"
                    Console.write(OntologyCommand.line(hit.concept) + matched + "\n")
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print one concept with its parents and children.")

        @Argument(help: "Concept id (RS:000123) or a RadLex RID.")
        var id: String

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reportingErrors {
                let store = try OntologyCommand.open(database).ontology
                guard let concept = try store.concept(id: id.trimmingCharacters(in: .whitespaces)) else {
                    throw CLIError(description: "no concept \(id)", exitCode: ExitStatus.notFound)
                }
                var text = "\(concept.id)  \(concept.preferredTerm)\nCategory: \(concept.category.rawValue)\n"
                if let radLex = concept.radLex { text += "RadLex: \(radLex.rid) (verified from \(radLex.source))\n" }
                if !concept.synonyms.isEmpty { text += "Synonyms: \(concept.synonyms.joined(separator: "; "))\n" }
                if !concept.abbreviations.isEmpty { text += "Abbreviations: \(concept.abbreviations.joined(separator: "; "))\n" }
                for parentID in concept.parentIDs {
                    if let parent = try store.concept(id: parentID) { text += "Parent: \(parent.id)  \(parent.preferredTerm)\n" }
                }
                for child in try store.children(of: concept.id) { text += "Child: \(child.id)  \(child.preferredTerm)\n" }
                Console.write(text)
            }
        }
    }

    struct Code: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Code the findings of report text or a stored report (negation, uncertainty, laterality).",
            discussion: """
                Prints one finding a line: id, preferred term, present|absent|uncertain, side (or -), the cue that \
                decided the status (or -), and the words that named it.
                """
        )

        @Argument(help: "Report text to code (omit with --accession).")
        var text: String?

        @Option(help: "Code the sections of the stored report with this accession number instead.")
        var accession: String?

        @Flag(help: "Print JSON.")
        var json = false

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            if (text == nil) == (accession == nil) { throw ValidationError("give either report text or --accession") }
        }

        func run() throws {
            try reportingErrors {
                let opened = try OntologyCommand.open(database)
                let coder = FindingCoder(ontology: try opened.ontology.ontology())
                var findings: [CodedFinding] = []
                if let text {
                    findings = coder.code(text)
                } else if let accession {
                    // read (and audited) as the local operator; throws not-found for an unknown accession
                    let report = try opened.reports.report(accession: accession, by: nil)
                    findings = report.sections.flatMap { coder.code($0.text) }
                }
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                    Console.write(String(decoding: try encoder.encode(findings), as: UTF8.self) + "\n")
                    return
                }
                for f in findings {
                    Console.write(
                        [f.conceptID, f.preferredTerm, f.status.rawValue, f.laterality?.rawValue ?? "-", f.cue ?? "-", f.matchedText]
                            .joined(separator: "\t") + "\n"
                    )
                }
            }
        }
    }
}
