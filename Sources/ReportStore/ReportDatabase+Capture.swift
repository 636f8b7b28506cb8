import Foundation
import GRDB
import RadScribeCore

/// A live dictation whose audio is in the database but which has not become a version yet: either it is still
/// recording, or its process died (crash, `kill -9`, power cut after the last checkpoint) before it was saved.
public struct UnfinishedCapture: Sendable, Hashable {
    public var id: Int64
    public var accession: String
    public var templateSlug: String
    public var author: String
    public var device: String
    public var sampleRate: Int
    /// Samples kept so far.
    public var sampleCount: Int
    public var startedAt: Date
    /// When the last chunk was written.
    public var updatedAt: Date
    /// The order to create when the accession still has none at recovery.
    public var orderIfNew: ImagingOrder?

    public var duration: Double { Double(sampleCount) / Double(sampleRate) }
}

struct CaptureRecord: SnakeCaseRecord, Sendable {
    static let databaseTableName = "dictation_captures"
    var id: Int64?
    var accession: String
    var templateSlug: String
    var author: String
    var device: String
    var sampleRate: Int
    var orderJson: String
    var state: String
    var startedAt: Date
    var updatedAt: Date
    var sampleCount: Int
    var versionId: Int64?

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension ReportDatabase {
    // MARK: Durable live capture

    /// Starts journaling a live dictation: audio chunks appended with ``appendCapturedAudio(captureID:sequence:samples:)``
    /// survive a crash and can be recognized into a draft afterwards.
    /// - Returns: the capture id.
    public func beginCapture(
        accession: String, templateSlug: String, author: String, device: String, sampleRate: Int,
        orderIfNew: ImagingOrder?
    ) throws -> Int64 {
        let orderJson = try orderIfNew.map { try JSON.encode($0) } ?? ""
        return try write { db in
            let now = Date()
            var record = CaptureRecord(
                accession: accession, templateSlug: templateSlug, author: author, device: device,
                sampleRate: sampleRate, orderJson: orderJson, state: "recording", startedAt: now, updatedAt: now,
                sampleCount: 0, versionId: nil
            )
            try record.insert(db)
            guard let id = record.id else { throw ReportStoreError.invalidArgument("capture was not stored") }
            return id
        }
    }

    /// Appends one chunk (about a second) of 16-bit mono samples to a capture, in a transaction of its own: once this
    /// returns, the chunk survives the process being killed. Re-appending a sequence number already stored is ignored.
    public func appendCapturedAudio(captureID: Int64, sequence: Int, samples: [Int16]) throws {
        var bytes = Data(capacity: samples.count * 2)
        for sample in samples {
            withUnsafeBytes(of: sample.littleEndian) { bytes.append(contentsOf: $0) }
        }
        let blob = bytes
        try write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO dictation_capture_chunks (capture_id, sequence, samples) VALUES (?, ?, ?)",
                arguments: [captureID, sequence, blob]
            )
            guard db.changesCount > 0 else { return }
            try db.execute(
                sql: "UPDATE dictation_captures SET sample_count = sample_count + ?, updated_at = ? WHERE id = ?",
                arguments: [samples.count, Date(), captureID]
            )
        }
    }

    /// Captures that never became a version, newest first; only one accession's when `accession` is given.
    public func unfinishedCaptures(accession: String? = nil) throws -> [UnfinishedCapture] {
        try read { db in
            var request = CaptureRecord.filter(Column("state") == "recording").order(Column("id").desc)
            if let accession { request = request.filter(Column("accession") == accession) }
            return try request.fetchAll(db).map { record in
                UnfinishedCapture(
                    id: record.id ?? 0, accession: record.accession, templateSlug: record.templateSlug,
                    author: record.author, device: record.device, sampleRate: record.sampleRate,
                    sampleCount: record.sampleCount, startedAt: record.startedAt, updatedAt: record.updatedAt,
                    orderIfNew: record.orderJson.isEmpty
                        ? nil : try? JSON.decode(ImagingOrder.self, from: record.orderJson)
                )
            }
        }
    }

    /// Every sample kept for a capture, in order.
    public func capturedSamples(captureID: Int64) throws -> [Int16] {
        try read { db in
            var samples: [Int16] = []
            let blobs = try Data.fetchCursor(
                db, sql: "SELECT samples FROM dictation_capture_chunks WHERE capture_id = ? ORDER BY sequence",
                arguments: [captureID]
            )
            while let blob = try blobs.next() {
                blob.withUnsafeBytes { raw in
                    for index in stride(from: 0, to: raw.count - 1, by: 2) {
                        samples.append(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: Int16.self)))
                    }
                }
            }
            return samples
        }
    }

    /// The next chunk sequence number of a capture (to continue a resumed one).
    public func nextCaptureSequence(captureID: Int64) throws -> Int {
        try read { db in
            (try Int.fetchOne(
                db, sql: "SELECT MAX(sequence) FROM dictation_capture_chunks WHERE capture_id = ?",
                arguments: [captureID]
            ) ?? -1) + 1
        }
    }

    /// Stores a dictated draft and, in the same transaction, retires the capture it was recognized from: its chunks
    /// are deleted (the draft's ``DictationAudio`` now holds the audio) and it is marked saved. Either both happen
    /// or neither.
    public func saveDictation(_ draft: DictatedDraft, completingCapture captureID: Int64?) throws -> DictationReceipt {
        guard let captureID else { return try saveDictation(draft) }
        return try write { db in
            let receipt = try Self.storeDictation(draft, in: db)
            let versionID = try Int64.fetchOne(
                db,
                sql: """
                    SELECT v.id FROM report_versions v JOIN reports r ON r.id = v.report_id
                    JOIN orders o ON o.id = r.order_id WHERE o.accession = ? ORDER BY v.number DESC LIMIT 1
                    """,
                arguments: [draft.accession]
            )
            try Self.retireCapture(db, id: captureID, state: "saved", versionID: versionID)
            return receipt
        }
    }

    /// Gives up an unfinished capture: its audio is deleted.
    public func discardCapture(id: Int64) throws {
        try write { db in try Self.retireCapture(db, id: id, state: "discarded", versionID: nil) }
    }

    private static func retireCapture(_ db: Database, id: Int64, state: String, versionID: Int64?) throws {
        try db.execute(sql: "DELETE FROM dictation_capture_chunks WHERE capture_id = ?", arguments: [id])
        try db.execute(
            sql: "UPDATE dictation_captures SET state = ?, version_id = ?, updated_at = ? WHERE id = ?",
            arguments: [state, versionID, Date(), id]
        )
    }

    /// The journal of live captures: one row per dictation, its audio in chunks of about a second.
    static func migrateCaptureJournal(_ db: Database) throws {
        try db.create(table: "dictation_captures") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("accession", .text).notNull().indexed()
            t.column("template_slug", .text).notNull()
            t.column("author", .text).notNull()
            t.column("device", .text).notNull()
            t.column("sample_rate", .integer).notNull()
            t.column("order_json", .text).notNull().defaults(to: "")
            // recording (unfinished), saved (became a version), discarded
            t.column("state", .text).notNull().defaults(to: "recording")
            t.column("started_at", .datetime).notNull()
            t.column("updated_at", .datetime).notNull()
            t.column("sample_count", .integer).notNull().defaults(to: 0)
            t.column("version_id", .integer).references("report_versions", onDelete: .setNull)
        }
        try db.create(table: "dictation_capture_chunks") { t in
            t.column("capture_id", .integer).notNull().references("dictation_captures", onDelete: .cascade)
            t.column("sequence", .integer).notNull()
            t.column("samples", .blob).notNull()
            t.primaryKey(["capture_id", "sequence"])
        }
    }
}
