import Foundation
import GRDB

/// An HL7 result message (one outbox row) with what its delivery saw: for `radscribe hl7 queue` and the
/// workstation's HL7 view.
public struct ResultMessage: Sendable, Hashable {
    public var id: Int64
    public var accession: String
    public var event: String
    public var resultStatus: String
    public var state: OutboxState
    public var destination: String
    public var controlID: String?
    /// The frozen message (segments separated by CR); nil when no encoder built it.
    public var payload: String?
    /// MSA-1 of the receiver's acknowledgement (AA, AE, AR), once one came.
    public var ackCode: String?
    public var attempts: Int
    public var lastError: String?
    public var createdAt: Date
    public var sentAt: Date?
}

extension ReportDatabase {
    /// The HL7 messages enqueued for a report, oldest first, with their payloads and acknowledgements.
    public func resultMessages(accession: String, limit: Int = 200) throws -> [ResultMessage] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT o.*, orders.accession FROM hl7_outbox o
                    JOIN reports r ON r.id = o.report_id JOIN orders ON orders.id = r.order_id
                    WHERE orders.accession = ? ORDER BY o.id LIMIT ?
                    """,
                arguments: [accession, limit]
            ).map(Self.resultMessage)
        }
    }

    /// One HL7 result message by its outbox id, or nil when there is none.
    public func resultMessage(id: Int64) throws -> ResultMessage? {
        try read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT o.*, orders.accession FROM hl7_outbox o
                    JOIN reports r ON r.id = o.report_id JOIN orders ON orders.id = r.order_id
                    WHERE o.id = ?
                    """,
                arguments: [id]
            ).map(Self.resultMessage)
        }
    }

    /// Every outbox message, oldest first; optionally one delivery state or destination only.
    public func resultMessages(state: OutboxState? = nil, destination: String? = nil, limit: Int = 1000) throws
        -> [ResultMessage]
    {
        try read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let state {
                conditions.append("o.state = ?")
                arguments += [state.rawValue]
            }
            if let destination {
                conditions.append("o.destination = ?")
                arguments += [destination]
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments += [limit]
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT o.*, orders.accession FROM hl7_outbox o
                    JOIN reports r ON r.id = o.report_id JOIN orders ON orders.id = r.order_id
                    \(filter) ORDER BY o.id LIMIT ?
                    """,
                arguments: arguments
            ).map(Self.resultMessage)
        }
    }

    static func resultMessage(_ row: Row) -> ResultMessage {
        ResultMessage(
            id: row["id"], accession: row["accession"], event: row["event"], resultStatus: row["result_status"],
            state: OutboxState(stored: row["state"]), destination: row["destination"], controlID: row["control_id"],
            payload: row["payload"],
            ackCode: row["ack_code"], attempts: row["attempts"], lastError: row["last_error"],
            createdAt: row["created_at"], sentAt: row["sent_at"]
        )
    }
}
