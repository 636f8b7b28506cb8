import Foundation
import GRDB
import RadScribeCore

/// RadScribe's SQLite database: orders, templates, reports with every version, and dictation audio.
///
/// Safe to share between tasks: GRDB serializes writes and runs reads concurrently (WAL).
public struct ReportDatabase: Sendable {
    let writer: any DatabaseWriter
    /// Where the database lives, for error messages.
    public let path: String
    /// Builds the HL7 result of each outbox row in the transaction that enqueues it (see `freezeOutbox`); without
    /// one, rows wait with no message until a delivery that has one starts.
    public var resultEncoder: (any ResultMessageEncoder)?
    /// Codes the findings of each report version in the transaction that writes it (the ontology's coder, which
    /// this module does not know); without one, versions keep no findings and HL7 codes them when it sends.
    public var findingCoder: (@Sendable ([ReportSection]) -> [ReportFinding])?

    /// Opens (creating if needed) the database at `path` in WAL mode and migrates it.
    /// - Parameters:
    ///   - readOnly: open without write access (SQLite `mode=ro`): every change fails with ``ReportStoreError``
    ///     `.readOnly`; the database must exist and be migrated already.
    ///   - maximumPageCount: caps the file at this many pages (`PRAGMA max_page_count`); a change that would grow it
    ///     further fails as a full disk does (``ReportStoreError`` `.storageFull`). For tests and quotas.
    public init(path: String, readOnly: Bool = false, maximumPageCount: Int? = nil) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.readonly = readOnly
        configuration.prepareDatabase { db in
            if !readOnly { try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            if let maximumPageCount { try db.execute(sql: "PRAGMA max_page_count = \(maximumPageCount)") }
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        if !readOnly { try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            if readOnly {
                guard try pool.read({ db in try Self.migrator.hasCompletedMigrations(db) }) else {
                    throw ReportStoreError(
                        .databaseUnusable, "\(path) needs migrating to this version of RadScribe; open it read-write once"
                    )
                }
            } else {
                try Self.migrator.migrate(pool)
            }
            self.init(writer: pool, path: path)
        } catch {
            throw ReportStoreError.wrap(error, path: path)
        }
    }

    /// The store's one connection (pool) to its file, for the store of another area kept in the same file (the
    /// ontology's tables): GRDB wants a file opened once per process, so such a store shares this one.
    public var sharedConnection: any DatabaseWriter { writer }

    /// An in-memory database, for tests.
    public static func inMemory() throws -> ReportDatabase {
        let queue = try DatabaseQueue()
        try migrator.migrate(queue)
        return ReportDatabase(writer: queue, path: ":memory:")
    }

    private init(writer: any DatabaseWriter, path: String) {
        self.writer = writer
        self.path = path
    }

    /// Runs `body` in a write transaction; with `freezing`, then builds the message of every outbox row it enqueued
    /// (see `freezeOutbox`), in the same transaction.
    func write<T: Sendable>(freezing: Bool = true, _ body: @Sendable (Database) throws -> T) throws -> T {
        do {
            return try writer.write { db in
                // Versions written by `body` are coded before their HL7 messages are built, so both agree.
                let lastVersion = freezing && findingCoder != nil ? try Self.lastVersionID(db) : nil
                var result = try body(db)
                if let lastVersion, try codeFindings(db, after: lastVersion) {
                    result = try Self.withStoredFindings(result, db)
                }
                if freezing { try freezeOutbox(db) }
                return result
            }
        } catch {
            throw ReportStoreError.wrap(error, path: path)
        }
    }

    func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        do {
            return try writer.read(body)
        } catch {
            throw ReportStoreError.wrap(error, path: path)
        }
    }

    // MARK: Templates

    /// Stores `html` as the newest version of `slug` unless it is identical to the newest one.
    /// - Returns: the stored template and whether a new version was written.
    @discardableResult
    public func storeTemplate(slug: String, identifier: String, title: String, html: String) throws
        -> (template: StoredTemplate, isNewVersion: Bool)
    {
        try write { db in
            let latest = try TemplateRecord.filter(Column("slug") == slug).order(Column("version").desc).fetchOne(db)
            if let latest, latest.html == html, latest.title == title, latest.identifier == identifier {
                return (latest.stored, false)
            }
            var record = TemplateRecord(
                slug: slug,
                identifier: identifier,
                version: (latest?.version ?? 0) + 1,
                title: title,
                html: html,
                storedAt: Date()
            )
            try record.insert(db)
            return (record.stored, true)
        }
    }

    /// The newest version of a template.
    public func template(slug: String) throws -> StoredTemplate? {
        try read { db in
            try TemplateRecord.filter(Column("slug") == slug).order(Column("version").desc).fetchOne(db)?.stored
        }
    }

    /// The newest version of every template, by slug.
    public func templates() throws -> [StoredTemplate] {
        try read { db in
            try TemplateRecord.fetchAll(
                db,
                sql: """
                    SELECT * FROM templates t
                    WHERE version = (SELECT MAX(version) FROM templates WHERE slug = t.slug)
                    ORDER BY slug
                    """
            ).map(\.stored)
        }
    }

    // MARK: Orders

    public func order(accession: String) throws -> ImagingOrder? {
        try read { db in try OrderRecord.filter(Column("accession") == accession).fetchOne(db)?.order }
    }

    /// Adds an order and its report, scheduled: the order appears on the worklist.
    /// - Throws: ``ReportStoreError`` when the accession exists.
    public func addOrder(_ order: ImagingOrder, source: String) throws {
        try write { db in
            if try OrderRecord.filter(Column("accession") == order.accession).fetchCount(db) > 0 {
                throw ReportStoreError.orderExists(order.accession)
            }
            let now = Date()
            var record = OrderRecord(order, source: source, at: now)
            try record.insert(db)
            guard let orderID = record.id else { throw ReportStoreError.orderNotFound(order.accession) }
            var report = ReportRecord(
                orderId: orderID, templateId: nil, status: ReportStatus.scheduled.rawValue, createdAt: now,
                updatedAt: now
            )
            try report.insert(db)
        }
    }

    // MARK: Reports

    /// The report for an accession with its newest version (not audited: for internal checks; readers use
    /// ``report(accession:action:by:)``).
    public func report(accession: String) throws -> StoredReport? {
        try read { db in try Self.fetchReport(db, accession: accession) }
    }

    /// The report for an accession (not audited).
    /// - Throws: ``ReportStoreError`` when the accession has no report.
    public func existingReport(accession: String) throws -> StoredReport {
        guard let report = try report(accession: accession) else { throw ReportStoreError.reportNotFound(accession) }
        return report
    }

    /// The dictation audio of a report's newest dictated version, as WAV.
    public func latestAudio(accession: String) throws -> DictationAudio? {
        try read { db in
            guard let record = try Self.reportRecord(db, accession: accession), let reportID = record.id else {
                return nil
            }
            return try DictationAudioRecord.filter(Column("report_id") == reportID)
                .order(Column("id").desc).fetchOne(db)
                .map { DictationAudio(sampleRate: $0.sampleRate, sampleCount: $0.sampleCount, wav: $0.wav) }
        }
    }

    /// Row counts per table, for tests and diagnostics.
    public func rowCounts() throws -> [String: Int] {
        try read { db in
            var counts: [String: Int] = [:]
            let tables = [
                "orders", "templates", "reports", "report_versions", "dictation_audio", "users", "audit_log",
                "hl7_outbox",
            ]
            for table in tables {
                counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
            }
            return counts
        }
    }

    static func nextVersionNumber(_ db: Database, reportID: Int64) throws -> Int {
        (try Int.fetchOne(db, sql: "SELECT MAX(number) FROM report_versions WHERE report_id = ?", arguments: [reportID])
            ?? 0) + 1
    }

    static func reportRecord(_ db: Database, accession: String) throws -> ReportRecord? {
        try ReportRecord.fetchOne(
            db,
            sql: "SELECT reports.* FROM reports JOIN orders ON orders.id = reports.order_id WHERE orders.accession = ?",
            arguments: [accession]
        )
    }

    static func fetchReport(_ db: Database, accession: String) throws -> StoredReport? {
        guard let order = try OrderRecord.filter(Column("accession") == accession).fetchOne(db),
            let report = try reportRecord(db, accession: accession), let reportID = report.id
        else { return nil }
        let template = try report.templateId.flatMap { try TemplateRecord.fetchOne(db, key: $0) }
        let version = try latestVersion(db, reportID: reportID)
        let audioSeconds = try Double.fetchOne(
            db,
            sql: "SELECT COALESCE(SUM(sample_count * 1.0 / sample_rate), 0) FROM dictation_audio WHERE report_id = ?",
            arguments: [reportID]
        )
        return StoredReport(
            order: order.order,
            templateSlug: template?.slug ?? "",
            templateVersion: template?.version ?? 0,
            status: ReportStatus(rawValue: report.status) ?? .draft,
            versionNumber: version?.number ?? 0,
            sections: try version.map { try JSON.decode([ReportSection].self, from: $0.sectionsJson) } ?? [],
            spokenWords: try version.map { try JSON.decode([String: [RecognizedWord]].self, from: $0.spokenJson) }
                ?? [:],
            createdAt: report.createdAt,
            updatedAt: report.updatedAt,
            preliminaryBy: report.preliminaryBy,
            preliminaryAt: report.preliminaryAt,
            signedBy: report.signedBy,
            signedAt: report.signedAt,
            audioSeconds: audioSeconds ?? 0,
            transcriptionist: try lastTranscriptionist(db, reportID: reportID, upTo: version?.number),
            findings: try version?.findings() ?? []
        )
    }
}

extension TemplateRecord {
    var stored: StoredTemplate {
        StoredTemplate(slug: slug, identifier: identifier, version: version, title: title, html: html)
    }
}

enum JSON {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

extension ReportDatabase {
    /// Checks that the database answers a query, without blocking the caller's thread: the health check.
    public func ping() async throws {
        do {
            _ = try await writer.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
        } catch {
            throw ReportStoreError.wrap(error, path: path)
        }
    }
}
