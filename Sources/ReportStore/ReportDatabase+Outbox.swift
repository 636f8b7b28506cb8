import Foundation
import GRDB
import RadScribeCore

/// Where an HL7 outbox message stands.
public enum OutboxState: String, Sendable, Hashable, CaseIterable, Codable {
    /// Waiting to be sent (or resent: an unacknowledged attempt leaves it pending).
    case pending
    /// Acknowledged with AA.
    case sent
    /// Rejected (AE/AR): stops its destination's queue until retried or skipped.
    case failed
    /// Taken out of the queue by an administrator without being sent.
    case skipped

    /// A stored state; a value this version does not know counts as failed, which stops the queue visibly.
    init(stored: String) { self = OutboxState(rawValue: stored) ?? .failed }
}

/// One message of a destination's outbound queue, its bytes fixed at enqueue time.
public struct OutboxMessage: Sendable, Hashable {
    public var id: Int64
    public var destination: String
    /// MSH-10 of `payload`.
    public var controlID: String
    /// The message text, without MLLP framing; resent byte for byte.
    public var payload: String
    public var state: OutboxState
    /// Completed send attempts so far (acknowledged, rejected, timed out or cut off; an attempt interrupted by a
    /// crash is not counted).
    public var attempts: Int
    /// The text format (`TX`, `FT`) in which this message goes out to the destination that asked for it. It is
    /// pinned (recorded) before its bytes can first leave for that destination: on a live connection, in the
    /// transaction that hands it out after the previous ACK, or by ``ReportDatabase/pinTextFormat(_:destination:)``.
    /// A destination reconfigured while the message is unacknowledged still gets it resent byte for byte as first sent.
    public var textFormat: String = "TX"
    /// Whether ``textFormat`` is recorded for the destination that asked for the message.
    public var textFormatPinned: Bool = false
}

/// What a destination should do next.
public enum OutboxHead: Sendable, Hashable {
    /// Nothing left to send.
    case empty
    /// Send this message (the oldest unsent one).
    case next(OutboxMessage)
    /// The oldest unsent message was rejected; the queue waits for `hl7 retry` or `hl7 skip`.
    case blocked(OutboxMessage, reason: String)
}

extension ReportDatabase {
    /// HL7 delivery: the frozen message, its destination, and delivery bookkeeping.
    ///
    /// - `destination` routes a row to one receiver. A destination registered in `hl7_destinations` (the ones
    ///   `radscribe serve --ris` delivers to) gets its own copy (own MSH-10) of every later result. With none
    ///   registered a row stays on the default route `''`: any destination may deliver it (`radscribe hl7 deliver`),
    ///   and the one that gets an answer for it (AA, AE, AR) owns it from then on.
    /// - `control_id` is MSH-10 of `payload`, unique.
    /// - `attempts`, `last_error`, `last_attempt_at`, `sent_at`, `ack_code` record what delivery saw.
    static func migrateHL7Delivery(_ db: Database) throws {
        try db.alter(table: "hl7_outbox") { t in
            t.add(column: "destination", .text).notNull().defaults(to: "")
            t.add(column: "control_id", .text)
            t.add(column: "attempts", .integer).notNull().defaults(to: 0)
            t.add(column: "last_error", .text)
            t.add(column: "last_attempt_at", .datetime)
            t.add(column: "sent_at", .datetime)
            t.add(column: "ack_code", .text)
        }
        try db.execute(
            sql: """
                CREATE UNIQUE INDEX hl7_outbox_control_id ON hl7_outbox(control_id);
                CREATE INDEX hl7_outbox_queue ON hl7_outbox(destination, state, id);
                CREATE INDEX hl7_outbox_unbuilt ON hl7_outbox(id) WHERE payload IS NULL;
                """
        )
        try db.create(table: "hl7_destinations") { t in
            t.primaryKey("name", .text)
            t.column("created_at", .datetime).notNull()
        }
    }

    /// The format each message goes out in, pinned per destination when it is first handed out (see
    /// ``OutboxMessage/textFormat``): `wire_destination` and `wire_format` (`TX`, `FT`).
    static func migrateHL7WireFormat(_ db: Database) throws {
        try db.alter(table: "hl7_outbox") { t in
            t.add(column: "wire_destination", .text)
            t.add(column: "wire_format", .text)
        }
    }

    // MARK: Freezing messages at enqueue time

    /// Builds the message of every outbox row that has none yet, inside the caller's transaction: called at the end
    /// of every write, so a status change and its frozen message commit together. A row on the default route is
    /// copied for each registered destination beyond the first. Does nothing without ``resultEncoder``.
    func freezeOutbox(_ db: Database) throws {
        guard let encoder = resultEncoder else { return }
        let rows = try Row.fetchAll(
            db, sql: "SELECT id, report_id, version_id, event, created_at, destination FROM hl7_outbox WHERE payload IS NULL"
        )
        if rows.isEmpty { return }
        let destinations = try String.fetchAll(db, sql: "SELECT name FROM hl7_destinations ORDER BY created_at, name")
        // Rows of one transaction usually share a report version: build its snapshot once.
        var snapshots: [String: ReportSnapshot] = [:]
        for row in rows {
            let id: Int64 = row["id"]
            let versionID: Int64? = row["version_id"]
            let createdAt: Date = row["created_at"]
            let event: String = row["event"]
            let key = "\(row["report_id"] as Int64)/\(versionID ?? 0)/\(event)/\(createdAt.timeIntervalSince1970)"
            let snapshot: ReportSnapshot
            if let cached = snapshots[key] {
                snapshot = cached
            } else {
                snapshot = try Self.snapshot(db, reportID: row["report_id"], versionID: versionID, event: event, at: createdAt)
                snapshots[key] = snapshot
            }
            let destination: String = row["destination"]
            var targets = [destination]
            if destination.isEmpty, !destinations.isEmpty { targets = destinations }
            let now = Date()
            for (index, target) in targets.enumerated() {
                let message = try encoder.encode(snapshot, destination: target, at: now)
                if index == 0 {
                    try db.execute(
                        sql: "UPDATE hl7_outbox SET destination = ?, control_id = ?, payload = ? WHERE id = ?",
                        arguments: [target, message.controlID, message.payload, id]
                    )
                } else {
                    try db.execute(
                        sql: """
                            INSERT INTO hl7_outbox (report_id, version_id, event, result_status, created_at, state,
                                                    destination, control_id, payload)
                            SELECT report_id, version_id, event, result_status, created_at, 'pending', ?, ?, ?
                            FROM hl7_outbox WHERE id = ?
                            """,
                        arguments: [target, message.controlID, message.payload, id]
                    )
                }
            }
        }
    }

    /// The report as the RIS must see it for one outbox row: the row's version and status.
    static func snapshot(_ db: Database, reportID: Int64, versionID: Int64?, event: String, at time: Date) throws
        -> ReportSnapshot
    {
        guard let report = try ReportRecord.fetchOne(db, key: reportID),
            let order = try OrderRecord.fetchOne(db, key: report.orderId)
        else { throw ReportStoreError.reportNotFound("report \(reportID)") }
        let version = try versionID.flatMap { try ReportVersionRecord.fetchOne(db, key: $0) }
            ?? latestVersion(db, reportID: reportID)
        let sections = try version.map { try JSON.decode([ReportSection].self, from: $0.sectionsJson) } ?? []
        return ReportSnapshot(
            order: order.order,
            status: ReportStatus(rawValue: event) ?? ReportStatus(rawValue: report.status) ?? .final,
            sections: sections,
            signedBy: report.signedBy ?? report.preliminaryBy,
            statusChangedAt: time,
            observedAt: report.createdAt,
            transcriptionist: try lastTranscriptionist(db, reportID: reportID, upTo: version?.number),
            findings: try version?.findings() ?? []
        )
    }

    /// OBR-35: the author of the newest version up to `number` (all when nil) saved by a user whose role was
    /// `transcriptionist` (a correction or an edit of the draft). Later versions by radiologists (the signature, an
    /// addendum, a correction of the final report) keep the transcriptionist who last corrected the text.
    static func lastTranscriptionist(_ db: Database, reportID: Int64, upTo number: Int?) throws -> String? {
        try String.fetchOne(
            db,
            sql: """
                SELECT author FROM report_versions
                WHERE report_id = ? AND role = 'transcriptionist' AND number <= ? ORDER BY number DESC LIMIT 1
                """,
            arguments: [reportID, number ?? Int.max]
        )
    }

    /// Builds the messages of rows enqueued without an encoder (e.g. before this version): a delivery calls it
    /// before sending, so nothing goes out that is not stored first.
    public func freezePendingMessages() throws {
        try write { _ in }
    }

    /// Enqueues the current result of a report again (a new message with a new MSH-10), `copies` times, in one
    /// transaction: for a manual resend, and for benchmarks.
    /// - Throws: ``ReportStoreError`` when the accession has no report.
    public func enqueueCurrentResult(accession: String, copies: Int = 1) throws {
        try write { db in
            let report = try Self.existingRecord(db, accession: accession)
            guard let reportID = report.id else { throw ReportStoreError.reportNotFound(accession) }
            let version = try Self.latestVersion(db, reportID: reportID)
            let status = ReportStatus(rawValue: report.status) ?? .draft
            let now = Date()
            for _ in 0..<max(copies, 0) {
                var outbox = OutboxRecord(
                    reportId: reportID, versionId: version?.id, event: status.rawValue,
                    resultStatus: status.hl7ResultStatus, createdAt: now, state: "pending", payload: nil
                )
                try outbox.insert(db)
            }
        }
    }

    // MARK: Destinations and queues

    /// Registers a destination for good (idempotent): every later result is copied to it, and it takes every row
    /// still on the default route. `radscribe serve --ris` does this; a one-off drain does not.
    public func registerDestination(_ name: String) throws {
        try write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO hl7_destinations (name, created_at) VALUES (?, ?)", arguments: [name, Date()]
            )
            try db.execute(
                sql: "UPDATE hl7_outbox SET destination = ? WHERE destination = '' AND state IN ('pending', 'failed')",
                arguments: [name]
            )
        }
    }

    /// The head of a destination's queue: the oldest row not yet sent or skipped, routed to it or on the default
    /// route.
    ///
    /// - Parameter textFormat: the format (`TX`, `FT`) the destination wants; pinned to the message handed out unless
    ///   it was pinned for this destination before (see ``OutboxMessage/textFormat``).
    public func outboxHead(destination: String, textFormat: String = "TX") throws -> OutboxHead {
        try write { db in try Self.head(db, destination: destination, textFormat: textFormat, pin: false) }
    }

    /// Records the format of a message handed out to `destination`, unless one is recorded for it already; call it
    /// once connected, before the message's bytes first go out.
    /// - Returns: the message with the format it must be sent in.
    public func pinTextFormat(_ message: OutboxMessage, destination: String) throws -> OutboxMessage {
        if message.textFormatPinned { return message }
        return try write(freezing: false) { db in
            try db.cachedStatement(
                sql: """
                    UPDATE hl7_outbox SET wire_destination = ?, wire_format = ?
                    WHERE id = ? AND (wire_destination IS NOT ? OR wire_format IS NULL)
                    """
            ).execute(arguments: [destination, message.textFormat, message.id, destination])
            var pinned = message
            pinned.textFormat = try String.fetchOne(
                db.cachedStatement(sql: "SELECT wire_format FROM hl7_outbox WHERE id = ?"), arguments: [message.id]
            ) ?? message.textFormat
            pinned.textFormatPinned = true
            return pinned
        }
    }

    /// Records a successful delivery (AA) of an attempt and returns the next head in the same transaction (one
    /// write transaction per acknowledged message, with cached statements; no outbox row is enqueued here, so the
    /// freezing pass is skipped).
    public func markSent(id: Int64, ackCode: String, destination: String, textFormat: String = "TX") throws
        -> OutboxHead
    {
        try write(freezing: false) { db in
            let now = Date()
            let statement = try db.cachedStatement(
                sql: """
                    UPDATE hl7_outbox SET state = 'sent', sent_at = ?, ack_code = ?, last_error = NULL,
                                          attempts = attempts + 1, last_attempt_at = ?, destination = ?
                    WHERE id = ? AND state = 'pending'
                    """
            )
            try statement.execute(arguments: [now, ackCode, now, destination, id])
            // The connection is live: the next message is pinned as it is handed out.
            return try Self.head(db, destination: destination, textFormat: textFormat, pin: true)
        }
    }

    /// Records a rejection (AE/AR) of an attempt: the row is `failed` and its destination's queue stops behind it.
    public func markRejected(id: Int64, ackCode: String, reason: String, destination: String) throws {
        try write(freezing: false) { db in
            try db.execute(
                sql: """
                    UPDATE hl7_outbox SET state = 'failed', ack_code = ?, last_error = ?, attempts = attempts + 1,
                                          last_attempt_at = ?, destination = ?
                    WHERE id = ? AND state = 'pending'
                    """,
                arguments: [ackCode, reason, Date(), destination, id]
            )
        }
    }

    /// Records why a delivery try failed (timeout, connection lost, refused); the row stays pending and is resent.
    /// - Parameter sent: whether the bytes went out (counted as an attempt) or the connection was never made.
    public func recordAttemptFailure(id: Int64, error: String, sent: Bool) throws {
        try write(freezing: false) { db in
            try db.execute(
                sql: """
                    UPDATE hl7_outbox SET last_error = ?, attempts = attempts + ?, last_attempt_at = ? WHERE id = ?
                    """,
                arguments: [error, sent ? 1 : 0, Date(), id]
            )
        }
    }

    /// Puts a rejected (or skipped) message back in its queue, where it was: it is sent next, with the same bytes.
    /// - Throws: ``ReportStoreError`` when there is no such row, or it was already sent.
    public func retryOutbox(id: Int64) throws -> ResultMessage {
        try changeState(id: id, from: [.failed, .skipped], to: .pending)
    }

    /// Takes a message out of its queue without sending it, so the messages behind it can go.
    /// - Throws: ``ReportStoreError`` when there is no such row, or it was already sent.
    public func skipOutbox(id: Int64) throws -> ResultMessage {
        try changeState(id: id, from: [.failed, .pending], to: .skipped)
    }

    private func changeState(id: Int64, from states: Set<OutboxState>, to state: OutboxState) throws -> ResultMessage {
        try write { db in
            guard let stored = try String.fetchOne(db, sql: "SELECT state FROM hl7_outbox WHERE id = ?", arguments: [id])
            else { throw ReportStoreError.outboxMessageNotFound(id) }
            let current = OutboxState(stored: stored)
            guard states.contains(current) else {
                throw ReportStoreError.outboxStateConflict(id, state: current.rawValue, wanted: state.rawValue)
            }
            try db.execute(sql: "UPDATE hl7_outbox SET state = ? WHERE id = ?", arguments: [state.rawValue, id])
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT o.*, orders.accession FROM hl7_outbox o
                        JOIN reports r ON r.id = o.report_id JOIN orders ON orders.id = r.order_id WHERE o.id = ?
                        """,
                    arguments: [id]
                )
            else { throw ReportStoreError.outboxMessageNotFound(id) }
            return Self.resultMessage(row)
        }
    }

    private static func head(_ db: Database, destination: String, textFormat: String, pin: Bool) throws -> OutboxHead {
        let query = try db.cachedStatement(
            sql: """
                SELECT id, destination, control_id, payload, state, attempts, last_error, wire_destination, wire_format
                FROM hl7_outbox WHERE destination IN (?, '') AND state IN ('pending', 'failed') ORDER BY id LIMIT 1
                """
        )
        guard let row = try Row.fetchOne(query, arguments: [destination]) else { return .empty }
        guard let payload: String = row["payload"], let controlID: String = row["control_id"] else {
            // Not frozen: no encoder was configured when it was enqueued, nor since.
            let message = OutboxMessage(
                id: row["id"], destination: row["destination"], controlID: "", payload: "",
                state: OutboxState(stored: row["state"]),
                attempts: row["attempts"]
            )
            return .blocked(message, reason: "message not built (no HL7 encoder configured)")
        }
        let pinnedFor: String? = row["wire_destination"]
        let pinnedFormat: String? = pinnedFor == destination ? row["wire_format"] : nil
        var message = OutboxMessage(
            id: row["id"], destination: row["destination"], controlID: controlID, payload: payload,
            state: OutboxState(stored: row["state"]),
            attempts: row["attempts"], textFormat: pinnedFormat ?? textFormat, textFormatPinned: pinnedFormat != nil
        )
        if message.state == .failed {
            return .blocked(message, reason: row["last_error"] ?? "rejected")
        }
        if pin, pinnedFormat == nil {
            try db.cachedStatement(sql: "UPDATE hl7_outbox SET wire_destination = ?, wire_format = ? WHERE id = ?")
                .execute(arguments: [destination, textFormat, message.id])
            message.textFormatPinned = true
        }
        return .next(message)
    }
}

extension ReportStoreError {
    static func outboxMessageNotFound(_ id: Int64) -> ReportStoreError {
        ReportStoreError(.outboxMessageNotFound, "no HL7 outbox message \(id)", subject: String(id))
    }

    static func outboxStateConflict(_ id: Int64, state: String, wanted: String) -> ReportStoreError {
        ReportStoreError(.illegalTransition, "HL7 outbox message \(id) is \(state) and cannot become \(wanted); nothing changed")
    }
}
