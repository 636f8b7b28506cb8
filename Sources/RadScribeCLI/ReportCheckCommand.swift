import ArgumentParser
import Foundation
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

/// The checks before signing, as the CLI runs them on a stored report.
enum SigningChecks {
    /// Checks a stored report against its order and template.
    static func results(accession: String, store: ReportDatabase, fieldValues: [String: String]? = nil) throws -> [CheckResult] {
        let report = try store.existingReport(accession: accession)
        let template = try store.template(slug: report.templateSlug).map(BundledTemplates.parse)
        return ReportChecker().check(
            ReportCheckInput(order: report.order, template: template, sections: report.sections, fieldValues: fieldValues)
        )
    }

    static func print(_ results: [CheckResult], to write: (String) -> Void) {
        for result in results { write("\(result)") }
    }

    /// Runs the checks and throws (exit 1) when one blocks and `force` is off; prints every result to stderr.
    static func gate(accession: String, store: ReportDatabase, force: Bool, fieldValues: [String: String]? = nil) throws {
        let results = try results(accession: accession, store: store, fieldValues: fieldValues)
        print(results, to: Console.error)
        guard ReportChecker.blocksSigning(results) else { return }
        if force {
            Console.error("signing despite blocking problems (--force)")
            return
        }
        throw CLIError(
            description: "not signed: \(results.filter { $0.severity == .blocking }.count) blocking problem(s); fix them, "
                + "or sign with --force to override",
            exitCode: ExitStatus.refused
        )
    }
}
