import Foundation
import GRDB
import RadScribeCore

extension ReportDatabase {
    // MARK: Worklist

    /// Orders with their report status: STAT first, then URGENT, then ROUTINE; within a priority the earliest
    /// scheduled (else ordered) first. Every order has a report (scheduled until dictated), so the join is inner and a
    /// status filter can use `reports_on_status`; the order is the `orders_worklist_order` index.
    public func worklist(_ filter: WorklistFilter = WorklistFilter()) throws -> [WorklistItem] {
        try read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let statuses = filter.statuses, !statuses.isEmpty {
                let marks = databaseQuestionMarks(count: statuses.count)
                conditions.append("r.status IN (\(marks))")
                arguments += StatementArguments(statuses.map(\.rawValue))
            }
            if let modality = filter.modality {
                conditions.append("o.modality = ?")
                arguments += [modality]
            }
            if let priority = filter.priority {
                conditions.append("o.priority = ?")
                arguments += [priority.rawValue]
            }
            if let assignedTo = filter.assignedTo {
                conditions.append("o.assigned_to = ?")
                arguments += [assignedTo]
            }
            if let day = filter.day {
                conditions.append("date(COALESCE(o.scheduled_at, o.created_at)) = ?")
                arguments += [day]
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments += [filter.limit]
            // With a status filter, read the reports' copy of the worklist key in (status, key) order: the open
            // statuses hold a few thousand rows however many reports are final. Otherwise walk the orders' indexes.
            let sql =
                filter.statuses?.isEmpty == false
                ? """
                    SELECT o.*, r.status AS report_status, r.signed_at AS report_signed_at FROM reports r INDEXED BY reports_worklist_order
                    CROSS JOIN orders o ON o.id = r.order_id
                    \(whereClause)
                    ORDER BY r.worklist_rank, r.worklist_at, r.order_id
                    LIMIT ?
                    """
                : """
                    SELECT o.*, r.status AS report_status, r.signed_at AS report_signed_at FROM orders o
                    JOIN reports r ON r.order_id = o.id
                    \(whereClause)
                    ORDER BY CASE o.priority WHEN 'STAT' THEN 0 WHEN 'URGENT' THEN 1 ELSE 2 END,
                             COALESCE(o.scheduled_at, o.created_at), o.id
                    LIMIT ?
                    """
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            return try rows.map { row in
                let order = try OrderRecord(row: row)
                return WorklistItem(
                    order: order.order,
                    status: ReportStatus(rawValue: row["report_status"]) ?? .scheduled,
                    orderedAt: order.createdAt,
                    signedAt: row["report_signed_at"]
                )
            }
        }
    }

    // MARK: Full-text search

    /// Reports whose newest text matches every word of `query` (FTS5, Porter stemming; `word*` matches a prefix),
    /// newest first. (Ranking by relevance, bm25, scores every match: a common term in a million reports matches a
    /// quarter of them and takes ~0.5 s; newest first reads only the `limit` newest matches.) Audited as one search by `user` (nil: the local operator), without the query text.
    public func search(
        _ query: String, statuses: [ReportStatus]? = nil, modality: String? = nil, limit: Int = 50, by user: String?
    ) throws -> [SearchHit] {
        // A NUL or another control character ends FTS5's query string early and makes the query fail.
        guard !query.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !$0.properties.isWhitespace })
        else {
            throw ReportStoreError.invalidArgument("the search text contains a control character")
        }
        let terms = query.split(whereSeparator: { $0.isWhitespace }).compactMap { word -> String? in
            let prefix = word.hasSuffix("*")
            let bare = word.filter { $0 != "\"" && $0 != "*" }
            guard bare.contains(where: { $0.isLetter || $0.isNumber }) else { return nil }
            return "\"\(bare)\"" + (prefix ? "*" : "")
        }
        guard !terms.isEmpty else { throw ReportStoreError.invalidArgument("the search needs at least one word") }
        return try write { db in
            let acting = try user.map { try ActingUser.registered(db, $0) }
                ?? ActingUser(name: "os:" + NSUserName(), role: nil)
            var sql = """
                SELECT o.accession, r.status, o.modality, o.procedure_name,
                       snippet(report_text, 0, '[', ']', '…', 12) AS snippet
                FROM report_text JOIN reports r ON r.id = report_text.rowid JOIN orders o ON o.id = r.order_id
                WHERE report_text MATCH ?
                """
            var arguments: StatementArguments = [terms.joined(separator: " ")]
            if let statuses, !statuses.isEmpty {
                sql += " AND r.status IN (\(databaseQuestionMarks(count: statuses.count)))"
                arguments += StatementArguments(statuses.map(\.rawValue))
            }
            if let modality {
                sql += " AND o.modality = ?"
                arguments += [modality]
            }
            sql += " ORDER BY report_text.rowid DESC LIMIT ?"
            arguments += [limit]
            let hits = try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                SearchHit(
                    accession: row["accession"], status: ReportStatus(rawValue: row["status"]) ?? .draft,
                    modality: row["modality"], procedureName: row["procedure_name"],
                    snippet: (row["snippet"] as String).split(whereSeparator: \.isNewline).joined(separator: " / ")
                )
            }
            try Self.audit(
                db, user: acting, action: "search", reportID: nil, accession: nil, detail: "\(hits.count) hits",
                at: Date()
            )
            return hits
        }
    }

    /// Replaces a report's searchable text with its newest version's.
    static func indexText(_ db: Database, reportID: Int64, sections: [ReportSection]) throws {
        try db.execute(sql: "DELETE FROM report_text WHERE rowid = ?", arguments: [reportID])
        try db.execute(
            sql: "INSERT INTO report_text (rowid, body) VALUES (?, ?)", arguments: [reportID, renderedText(sections)]
        )
    }

    // MARK: Turnaround

    /// Median turnaround per signing radiologist and modality, over reports signed final since `since`.
    public func turnaround(since: Date? = nil) throws -> [TurnaroundFigure] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.signed_by, o.modality, COALESCE(o.scheduled_at, o.created_at) AS ordered_at,
                           r.dictated_at, r.signed_at
                    FROM reports r JOIN orders o ON o.id = r.order_id
                    WHERE r.signed_at IS NOT NULL AND r.signed_by IS NOT NULL AND r.signed_at >= ?
                    """,
                arguments: [since ?? Date.distantPast]
            )
            struct Key: Hashable {
                var radiologist: String
                var modality: String
            }
            var groups: [Key: [(ordered: Date, dictated: Date?, signed: Date)]] = [:]
            for row in rows {
                let key = Key(radiologist: row["signed_by"], modality: row["modality"])
                groups[key, default: []].append((row["ordered_at"], row["dictated_at"], row["signed_at"]))
            }
            let minutes = { (from: Date, to: Date) in to.timeIntervalSince(from) / 60 }
            return groups.map { key, reports in
                TurnaroundFigure(
                    radiologist: key.radiologist,
                    modality: key.modality,
                    reports: reports.count,
                    orderToDictatedMinutes: median(reports.compactMap { r in r.dictated.map { minutes(r.ordered, $0) } }),
                    dictatedToSignedMinutes: median(reports.compactMap { r in r.dictated.map { minutes($0, r.signed) } }),
                    orderToSignedMinutes: median(reports.map { minutes($0.ordered, $0.signed) })
                )
            }.sorted { ($0.radiologist, $0.modality) < ($1.radiologist, $1.modality) }
        }
    }

    // MARK: Backup and restore

    /// Copies the whole database to `path` with SQLite's online backup, while it stays in use.
    public func backup(to path: String, by user: String = "os:" + NSUserName()) throws {
        if URL(fileURLWithPath: path).standardizedFileURL == URL(fileURLWithPath: self.path).standardizedFileURL {
            throw ReportStoreError.invalidArgument("the backup file must not be the database itself")
        }
        do {
            try write { db in
                try Self.audit(
                    db, user: ActingUser(name: user, role: nil), action: "backup", reportID: nil, accession: nil,
                    detail: URL(fileURLWithPath: path).lastPathComponent, at: Date()
                )
            }
            let destination = try DatabaseQueue(path: path)
            try writer.backup(to: destination)
        } catch {
            throw ReportStoreError.wrap(error, path: path)
        }
    }

    /// Replaces the whole database with the backup at `path` (SQLite's online backup), then migrates it.
    /// - Throws: ``ReportStoreError`` when `path` is missing or is not a RadScribe database; nothing changes then.
    public func restore(from path: String, by user: String = "os:" + NSUserName()) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ReportStoreError.invalidArgument("no backup file at \(path)")
        }
        if URL(fileURLWithPath: path).standardizedFileURL == URL(fileURLWithPath: self.path).standardizedFileURL {
            throw ReportStoreError.invalidArgument("the backup file must not be the database itself")
        }
        do {
            let source = try DatabaseQueue(path: path)
            let isRadScribe = try source.read { db in
                try db.tableExists("grdb_migrations") && db.tableExists("reports") && db.tableExists("orders")
            }
            guard isRadScribe else {
                throw ReportStoreError.invalidArgument("\(path) is not a RadScribe database; nothing changed")
            }
            try source.backup(to: writer)
            try Self.migrator.migrate(writer)
        } catch let error as ReportStoreError {
            throw error
        } catch {
            throw ReportStoreError.wrap(error, path: path)
        }
        try write { db in
            try Self.audit(
                db, user: ActingUser(name: user, role: nil), action: "restore", reportID: nil, accession: nil,
                detail: URL(fileURLWithPath: path).lastPathComponent, at: Date()
            )
        }
    }
}

private func median(_ values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

extension OrderRecord {
    /// Decodes columns by name rather than through `Codable`: a worklist page decodes 50 orders, and the generic
    /// decoder costs about 0.15 ms an order in a debug build.
    init(row: Row) throws {
        id = row["id"]
        accession = row["accession"]
        placerNumber = row["placer_number"]
        fillerNumber = row["filler_number"]
        mrn = row["mrn"]
        familyName = row["family_name"]
        givenName = row["given_name"]
        birthDate = row["birth_date"]
        sex = row["sex"]
        procedureCode = row["procedure_code"]
        procedureName = row["procedure_name"]
        procedureCodingSystem = row["procedure_coding_system"]
        modality = row["modality"]
        orderingPhysician = row["ordering_physician"]
        reason = row["reason"]
        source = row["source"]
        createdAt = row["created_at"]
        priority = row["priority"]
        scheduledAt = row["scheduled_at"]
        assignedTo = row["assigned_to"]
    }
}
