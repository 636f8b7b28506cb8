import ArgumentParser
import Foundation
import RadScribeCore
import ReportStore
import ReportTemplates

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Show and sign reports.",
        subcommands: [Show.self, Sign.self]
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a report with its status.")

        @Argument(help: "Accession number.")
        var accession: String

        @Flag(help: "Print JSON: sections, status, and the spoken words with timings and confidences.")
        var json = false

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reportingErrors {
                let store = try database.open()
                let report = try store.existingReport(accession: accession)
                if json {
                    Console.write(try ReportJSON(report).encoded() + "\n")
                    return
                }
                let template = try store.template(slug: report.templateSlug).map(BundledTemplates.parse)
                var header = "Accession: \(report.accession)\nStatus: \(report.status.rawValue)"
                header += "\nTemplate: \(report.templateSlug) v\(report.templateVersion)"
                header += "\nVersion: \(report.versionNumber)"
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
        static let configuration = CommandConfiguration(abstract: "Sign a draft report as final.")

        @Argument(help: "Accession number.")
        var accession: String

        @Option(name: .customLong("as"), help: "The signing radiologist's id (goes to OBR-32).")
        var radiologist: String

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            if radiologist.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("--as needs the radiologist's id")
            }
        }

        func run() throws {
            try reportingErrors {
                let store = try database.open()
                let report = try store.sign(accession: accession, by: radiologist)
                Console.write("signed \(report.accession) as final by \(radiologist) (version \(report.versionNumber))\n")
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
    var spokenWords: [String: [RecognizedWord]]
    var audioSeconds: Double

    init(_ report: StoredReport) {
        accession = report.accession
        status = report.status.rawValue
        template = report.templateSlug
        templateVersion = report.templateVersion
        version = report.versionNumber
        signedBy = report.signedBy
        signedAt = report.signedAt
        sections = report.sections
        spokenWords = report.spokenWords
        audioSeconds = report.audioSeconds
    }

    func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
