import ArgumentParser
import Foundation
import RadScribeApp
import RadScribeCore
import ReportChecks
import ReportStore
import ReportTemplates

/// `radscribe report check ACC`: the checks run before signing.
struct ReportCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run the checks before signing and print what they find.",
        discussion: """
            Checks: required fields (PROHIBIT blocks, ALERT warns), an impression present, laterality against the \
            ordered procedure, measurements implausible for the organ (mm vs cm), a finding negated in one section \
            and asserted in another, sex-specific anatomy against the patient's sex, and critical findings to \
            communicate. BLOCKING results make `report sign` refuse (exit 1) unless it is given --force; WARNING \
            and CRITICAL results are shown and do not stop signing. Exit status: 0 when nothing blocks, 1 otherwise.
            """
    )

    @Argument(help: "Accession number.")
    var accession: String

    @Flag(help: "Print the results as JSON.")
    var json = false

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try reportingErrors {
            let store = try database.open()
            let results = try SigningChecks.results(accession: accession, store: store)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                Console.write(String(decoding: try encoder.encode(results), as: UTF8.self) + "\n")
            } else {
                SigningChecks.print(results) { Console.write($0 + "\n") }
                if results.isEmpty { Console.write("\(accession): no problems found\n") }
            }
            if ReportChecker.blocksSigning(results) {
                throw CLIError(description: "\(accession) cannot be signed until the blocking problems are fixed", exitCode: ExitStatus.refused)
            }
        }
    }
}

/// The checks before signing as the CLI prints them; ``SigningService`` runs them (the same ones as the web API's).
enum SigningChecks {
    static func results(accession: String, store: ReportDatabase, fieldValues: [String: String]? = nil) throws -> [CheckResult] {
        try SigningService(store: store).checks(accession: accession, fieldValues: fieldValues)
    }

    static func print(_ results: [CheckResult], to write: (String) -> Void) {
        for result in results { write("\(result)") }
    }

    /// Signs through ``SigningService``, printing every check result to stderr; a blocking one refuses (exit 1)
    /// unless `force`.
    static func sign(
        accession: String, by user: String, preliminary: Bool = false, force: Bool, store: ReportDatabase,
        fieldValues: [String: String]? = nil
    ) throws -> StoredReport {
        do {
            let signed = try SigningService(store: store).sign(
                accession: accession, by: user, preliminary: preliminary, force: force, fieldValues: fieldValues
            )
            print(signed.checks, to: Console.error)
            if signed.forced { Console.error("signed despite blocking problems (--force)") }
            return signed.report
        } catch let refusal as SigningRefusal {
            print(refusal.results, to: Console.error)
            throw CLIError(
                description: "not signed: \(refusal.blocking.count) blocking problem(s); fix them, or sign with --force to override",
                exitCode: ExitStatus.refused
            )
        }
    }
}
