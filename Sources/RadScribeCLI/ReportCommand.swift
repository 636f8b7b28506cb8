import ArgumentParser
import Foundation
import RadScribeCore
import ReportStore
import ReportTemplates

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Show, edit, sign, amend and search reports.",
        subcommands: [
            Show.self, History.self, Edit.self, SendForCorrection.self, ReportCheckCommand.self, Sign.self, Addendum.self, Correct.self,
            Cancel.self, Search.self,
        ]
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a report with its status.")

        @Argument(help: "Accession number.")
        var accession: String

        @Flag(help: "Print JSON: sections, status, and the spoken words with timings, confidences and risks.")
        var json = false

        @Option(help: "With --json: words under this confidence (0…1) are flagged low-confidence in their `risks`.")
        var riskThreshold: Double = WordRiskPolicy.defaultThreshold

        func validate() throws {
            guard (0...1).contains(riskThreshold) else { throw ValidationError("--risk-threshold must be between 0 and 1") }
        }

        @OptionGroup var reader: ReaderOptions

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reportingErrors {
                let store = try database.open()
                let report = try store.report(accession: accession, by: reader.user)
                if json {
                    Console.write(try ReportJSON(report, riskPolicy: WordRiskPolicy(threshold: riskThreshold)).encoded() + "\n")
                    return
                }
                let template = try store.template(slug: report.templateSlug).map(BundledTemplates.parse)
                var header = "Accession: \(report.accession)\nStatus: \(report.status.rawValue)"
                if !report.templateSlug.isEmpty {
                    header += "\nTemplate: \(report.templateSlug) v\(report.templateVersion)"
                }
                header += "\nVersion: \(report.versionNumber)"
                if let preliminaryBy = report.preliminaryBy { header += "\nPreliminary by: \(preliminaryBy)" }
                if let signedBy = report.signedBy { header += "\nSigned by: \(signedBy)" }
                if report.audioSeconds > 0 { header += String(format: "\nAudio: %.1f s", report.audioSeconds) }
                let body = template.map { PlainTextReportRenderer(template: $0).render(report.sections) }
                    ?? report.sections.filter { !$0.text.isEmpty }.map { "\($0.title.uppercased()):\n\($0.text)" }
                    .joined(separator: "\n\n")
                Console.write(header + "\n\n" + body + "\n")
            }
        }
    }

    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign a report: a resident's signature makes it preliminary, an attending's final.",
            discussion: "The signer must be a user (`radscribe user add`) with the role radiologist or resident."
        )

        @Argument(help: "Accession number.")
        var accession: String

        @Option(name: .customLong("as"), help: "The signing user (goes to OBR-32).")
        var radiologist: String

        @Flag(help: "As an attending, sign as preliminary instead of final.")
        var preliminary = false

        @Flag(help: "Sign even if the checks before signing (`report check`) find blocking problems.")
        var force = false

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            if radiologist.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("--as needs the radiologist's id")
            }
        }

        func run() throws {
            try reportingErrors {
                let store = try database.open()
                let report = try SigningChecks.sign(
                    accession: accession, by: radiologist, preliminary: preliminary, force: force, store: store
                )
                Console.write(
                    "signed \(report.accession) as \(report.status.rawValue) by \(radiologist) (version \(report.versionNumber))\n"
                )
            }
        }
    }
}

/// The JSON shape of `report show --json`.
struct ReportJSON: Encodable {
    var accession: String
    var status: String
    var template: String
    var templateVersion: Int
    var version: Int
    var signedBy: String?
    var signedAt: Date?
    var sections: [ReportSection]
    /// Per section, the spoken words with their risks (numbers, laterality, negations, low confidence).
    var spokenWords: [String: [AssessedWord]]
    var audioSeconds: Double

    init(_ report: StoredReport, riskPolicy: WordRiskPolicy = WordRiskPolicy()) {
        accession = report.accession
        status = report.status.rawValue
        template = report.templateSlug
        templateVersion = report.templateVersion
        version = report.versionNumber
        signedBy = report.signedBy
        signedAt = report.signedAt
        sections = report.sections
        spokenWords = report.spokenWords.mapValues { AssessedWord.assess($0, policy: riskPolicy) }
        audioSeconds = report.audioSeconds
    }

    func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
