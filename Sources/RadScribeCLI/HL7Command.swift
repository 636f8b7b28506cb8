import ArgumentParser
import Foundation
import HL7
import MLLP
import RadScribeCore
import ReportStore

struct HL7Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hl7",
        abstract: "HL7 v2.5.1 messages for the RIS.",
        subcommands: [ORU.self, Queue.self, Retry.self, Skip.self, Resend.self, Deliver.self, Bench.self]
    )

    struct ORU: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "oru",
            abstract: "Print the ORU^R01 result message of a report (segments separated by CR).",
            discussion: "OBR-25 and OBX-11 are P (draft, preliminary), F (final), C (addended, corrected) or X (cancelled). Audited as an export. Each call makes a new MSH-10."
        )

        @Argument(help: "Accession number.")
        var accession: String

        @Flag(help: "End segments with LF instead of CR, for reading in a terminal (not for sending).")
        var lf = false

        @Option(help: "Sending facility (MSH-4).")
        var sendingFacility: String = ""

        @Option(help: "Receiving application (MSH-5).")
        var receivingApplication: String = "RIS"

        @Option(help: "Receiving facility (MSH-6).")
        var receivingFacility: String = ""

        @OptionGroup var reader: ReaderOptions

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reportingErrors {
                let store = try database.open()
                let report = try store.report(accession: accession, action: .export, by: reader.user)
                let builder = ORUBuilder(
                    sendingFacility: sendingFacility,
                    receivingApplication: receivingApplication,
                    receivingFacility: receivingFacility
                )
                let now = Date()
                let snapshot = ORUResultEncoder.bundled.coded(report.snapshot)
                let message = builder.build(snapshot, controlID: MessageControlID.generate(at: now), at: now)
                let segments = message.segments.map(\.er7)
                let separator = lf ? "\n" : "\r"
                Console.write(segments.joined(separator: separator) + separator)
            }
        }
    }
}
