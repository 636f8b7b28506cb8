import ArgumentParser
import Foundation
import HL7
import RadScribeCore
import ReportStore

/// `radscribe fhir ACC`: the report as a FHIR R4 DiagnosticReport.
struct FHIRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fhir",
        abstract: "Print a report as a FHIR R4 DiagnosticReport (JSON), mapped per IHE IMR.",
        discussion: """
            status: preliminary, final, corrected, appended (addended) or cancelled; registered before signing.
            identifier is the accession, code LOINC 18748-4 plus the procedure, conclusion the impression, and
            presentedForm the whole text (base64). Audited as an export.
            """
    )

    @Argument(help: "Accession number.")
    var accession: String

    @Option(help: "URI of the MRN's assigning authority (Patient identifier system).")
    var patientIdSystem: String?

    @OptionGroup var reader: ReaderOptions

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try reportingErrors {
            let store = try database.open()
            let report = try store.report(accession: accession, action: .export, by: reader.user)
            Console.write(try FHIRDiagnosticReport.json(for: report.snapshot, patientIDSystem: patientIdSystem) + "\n")
        }
    }
}
