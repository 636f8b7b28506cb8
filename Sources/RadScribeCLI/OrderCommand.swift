import ArgumentParser
import Foundation
import RadScribeCore
import ReportStore
import ReportTemplates

struct OrderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order",
        abstract: "Place orders by hand (the RIS places them over HL7).",
        subcommands: [Add.self, Update.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an order; its report is scheduled and appears on the worklist."
        )

        @Option(help: "Accession number.")
        var accession: String

        @Option(help: "Patient's medical record number.")
        var mrn: String

        @Option(help: "Patient's name as FAMILY^GIVEN.")
        var patientName: String

        @Option(help: "Patient's birth date, YYYYMMDD.")
        var birthDate: String = ""

        @Option(help: "Patient's sex: F, M, O or U.")
        var sex: String = "U"

        @Option(help: "Procedure code: the RIS's own, or a RadLex Playbook code such as RPID16 (coded RADLEX in HL7).")
        var procedureCode: String

        @Option(help: "Procedure name (default for a Playbook code a bundled template serves: the Playbook's name).")
        var procedureName: String?

        @Option(help: "Modality, e.g. CR, CT, MR, US.")
        var modality: String

        @Option(help: "Ordering physician.")
        var orderingPhysician: String = ""

        @Option(help: "STAT, URGENT or ROUTINE.")
        var priority: OrderPriority = .routine

        @Option(help: "Reason for the exam.")
        var reason: String = ""

        @Option(help: "Scheduled time, ISO 8601 (2026-11-29T14:30:00Z).")
        var scheduled: String?

        @Option(help: "The radiologist assigned to read it (a user name).")
        var assign: String?

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            if let scheduled, Self.parseTime(scheduled) == nil {
                throw ValidationError("--scheduled needs an ISO 8601 time such as 2026-11-29T14:30:00Z")
            }
            if AdministrativeSex(rawValue: sex.uppercased()) == nil {
                throw ValidationError("--sex must be F, M, O or U")
            }
            if !birthDate.isEmpty, birthDate.count != 8 || !birthDate.allSatisfy(\.isNumber) {
                throw ValidationError("--birth-date must be YYYYMMDD")
            }
            if accession.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("--accession must not be empty")
            }
            if procedureName == nil, !TemplateCode.isPlaybookCode(procedureCode.uppercased()) {
                throw ValidationError("--procedure-name is needed unless --procedure-code is a RadLex Playbook code (RPID…)")
            }
        }

        static func parseTime(_ text: String) -> Date? {
            let formatter = ISO8601DateFormatter()
            if let date = formatter.date(from: text) { return date }
            formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate]
            return formatter.date(from: text)
        }

        func run() throws {
            try reportingErrors {
                let parts = patientName.split(separator: "^", omittingEmptySubsequences: false).map(String.init)
                let isPlaybook = TemplateCode.isPlaybookCode(procedureCode.uppercased())
                let playbookName = isPlaybook
                    ? try PlaybookProcedures.bundled(templatesDirectory: try ResourceLocator.discover().templatesDirectory)
                        .entry(rpid: procedureCode)?.name : nil
                guard let name = procedureName ?? playbookName else {
                    throw CLIError(
                        description: "\(procedureCode) is not a Playbook code a bundled template serves; give --procedure-name",
                        exitCode: ExitStatus.badInput
                    )
                }
                let order = ImagingOrder(
                    accession: accession,
                    placerOrderNumber: accession,
                    fillerOrderNumber: accession,
                    patient: Patient(
                        mrn: mrn, familyName: parts.first ?? "", givenName: parts.count > 1 ? parts[1] : "",
                        birthDate: birthDate, sex: AdministrativeSex(rawValue: sex.uppercased()) ?? .unknown
                    ),
                    procedureCode: isPlaybook ? procedureCode.uppercased() : procedureCode,
                    procedureName: name,
                    // The Playbook is part of RadLex (one OID, 2.16.840.1.113883.6.256): OBR-4.3 RADLEX.
                    procedureCodingSystem: isPlaybook ? "RADLEX" : "L",
                    modality: modality.uppercased(),
                    orderingPhysician: orderingPhysician,
                    reasonForExam: reason,
                    priority: priority,
                    scheduledAt: scheduled.flatMap(Self.parseTime),
                    assignedRadiologist: assign
                )
                try database.open().addOrder(order, source: "manual")
                Console.write("added order \(accession) (\(priority.rawValue), \(modality.uppercased()))\n")
            }
        }
    }
}

extension OrderCommand {
    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Complete or correct an order's patient (identifier, name, birth date, sex) before signing.",
            discussion: "An order `radscribe dictate` made for an accession the RIS never sent has no patient name, "
                + "and its report cannot be signed until it has one: the RIS files results under the patient. "
                + "Options left out stay as they are. Exit 0 updated, 66 no such order, 1 the report is signed."
        )

        @Argument(help: "Accession number.")
        var accession: String

        @Option(help: "Patient's medical record number.")
        var mrn: String?

        @Option(help: "Patient's name as FAMILY^GIVEN.")
        var patientName: String?

        @Option(help: "Patient's birth date, YYYYMMDD.")
        var birthDate: String?

        @Option(help: "Patient's sex: F, M, O or U.")
        var sex: String?

        @Option(name: .customLong("as"), help: "Who makes the change (a user name; default: the OS account).")
        var actingUser: String?

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            if let sex, AdministrativeSex(rawValue: sex.uppercased()) == nil {
                throw ValidationError("--sex must be F, M, O or U")
            }
            if let birthDate, birthDate.count != 8 || !birthDate.allSatisfy(\.isNumber) {
                throw ValidationError("--birth-date must be YYYYMMDD")
            }
            if let patientName, patientName.split(separator: "^").first.map({ $0.trimmingCharacters(in: .whitespaces) })?.isEmpty ?? true {
                throw ValidationError("--patient-name needs a family name: FAMILY^GIVEN")
            }
            if mrn == nil, patientName == nil, birthDate == nil, sex == nil {
                throw ValidationError("give at least one of --mrn, --patient-name, --birth-date, --sex")
            }
        }

        func run() throws {
            try reportingErrors {
                let parts = patientName.map { $0.split(separator: "^", omittingEmptySubsequences: false).map(String.init) }
                let update = PatientUpdate(
                    mrn: mrn, familyName: parts?.first, givenName: parts.map { $0.count > 1 ? $0[1] : "" },
                    birthDate: birthDate, sex: sex.flatMap { AdministrativeSex(rawValue: $0.uppercased()) }
                )
                let order = try database.open().updatePatient(
                    accession: accession, update, by: actingUser ?? "os:" + NSUserName()
                )
                let missing = PatientIdentity.missing(in: order.patient)
                Console.write(
                    "updated order \(accession)"
                        + (missing.isEmpty ? "\n" : "; still missing: \(missing.map(\.description).joined(separator: "; "))\n")
                )
            }
        }
    }
}

extension OrderPriority: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.uppercased()) }
}
