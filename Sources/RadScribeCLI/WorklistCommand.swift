import ArgumentParser
import Foundation
import RadScribeCore
import ReportStore

struct WorklistCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worklist",
        abstract: "List orders to report: STAT first, then URGENT, then ROUTINE, earliest first."
    )

    @Option(help: "Only this report status (repeatable), e.g. scheduled, draft, preliminary.")
    var status: [ReportStatus] = []

    @Option(help: "Only this modality.")
    var modality: String?

    @Option(help: "Only this priority: STAT, URGENT or ROUTINE.")
    var priority: OrderPriority?

    @Option(help: "Only orders assigned to this radiologist.")
    var assignedTo: String?

    @Option(help: "Only orders scheduled (else placed) on this day, YYYY-MM-DD (UTC).")
    var date: String?

    @Option(help: "At most this many rows.")
    var limit = 200

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try reportingErrors {
            let filter = WorklistFilter(
                statuses: status.isEmpty ? nil : status, modality: modality?.uppercased(), priority: priority,
                assignedTo: assignedTo, day: date, limit: limit
            )
            let formatter = ISO8601DateFormatter()
            for item in try database.open().worklist(filter) {
                let order = item.order
                let time = formatter.string(from: order.scheduledAt ?? item.orderedAt)
                let columns = [
                    order.priority.rawValue, order.accession, item.status.rawValue, order.modality, order.procedureName,
                    order.patient.mrn, "\(order.patient.familyName)^\(order.patient.givenName)", time,
                    order.assignedRadiologist ?? "-",
                ]
                Console.write(columns.joined(separator: "\t") + "\n")
            }
        }
    }
}

extension ReportStatus: ExpressibleByArgument {}
