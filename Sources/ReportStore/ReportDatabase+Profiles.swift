import Foundation
import GRDB
import RadScribeCore

/// A speaker profile as registered in the database (the adapted model itself lives in the profile directory).
public struct StoredSpeakerProfile: Sendable, Hashable {
    public var user: String
    /// The profile directory holding `profile.json`, `mllr_matrix` or `model/`, and the adaptation data.
    public var directory: String
    /// `mllr` or `map`.
    public var method: String
    public var sentenceCount: Int
    public var audioSeconds: Double
    public var enrollmentSentences: Int
    public var correctionSentences: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        user: String, directory: String, method: String, sentenceCount: Int, audioSeconds: Double,
        enrollmentSentences: Int, correctionSentences: Int, createdAt: Date, updatedAt: Date
    ) {
        self.user = user
        self.directory = directory
        self.method = method
        self.sentenceCount = sentenceCount
        self.audioSeconds = audioSeconds
        self.enrollmentSentences = enrollmentSentences
        self.correctionSentences = correctionSentences
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A dictation by one speaker that a transcriptionist corrected: audio, what was recognized, what it became.
public struct CorrectedDictation: Sendable, Hashable {
    public var accession: String
    /// The dictated version (the one the audio belongs to).
    public var dictatedVersion: Int
    /// The transcriptionist's newest version before any later dictation.
    public var correctedVersion: Int
    public var audio: DictationAudio
    /// Spoken words with timings, per section key, as recognized.
    public var spokenWords: [String: [RecognizedWord]]
    /// Written text per section as recognized and formatted.
    public var dictatedSections: [ReportSection]
    /// Written text per section after correction.
    public var correctedSections: [ReportSection]
}

struct SpeakerProfileRecord: SnakeCaseRecord, Sendable {
    static let databaseTableName = "speaker_profiles"
    var id: Int64?
    var userName: String
    var directory: String
    var method: String
    var sentenceCount: Int
    var audioSeconds: Double
    var enrollmentSentences: Int
    var correctionSentences: Int
    var createdAt: Date
    var updatedAt: Date

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    var stored: StoredSpeakerProfile {
        StoredSpeakerProfile(
            user: userName, directory: directory, method: method, sentenceCount: sentenceCount,
            audioSeconds: audioSeconds, enrollmentSentences: enrollmentSentences,
            correctionSentences: correctionSentences, createdAt: createdAt, updatedAt: updatedAt
        )
    }
}

extension ReportDatabase {
    /// One row per speaker with an adapted acoustic model (`radscribe profile enroll|adapt`).
    static func migrateSpeakerProfiles(_ db: Database) throws {
        try db.create(table: "speaker_profiles") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("user_name", .text).notNull().unique()
            t.column("directory", .text).notNull()
            t.column("method", .text).notNull()
            t.column("sentence_count", .integer).notNull()
            t.column("audio_seconds", .double).notNull()
            t.column("enrollment_sentences", .integer).notNull()
            t.column("correction_sentences", .integer).notNull()
            t.column("created_at", .datetime).notNull()
            t.column("updated_at", .datetime).notNull()
        }
    }

    /// Registers a speaker's profile, replacing an earlier registration of the same user (keeping its creation time).
    public func saveSpeakerProfile(_ profile: StoredSpeakerProfile) throws {
        try write { db in
            var record = SpeakerProfileRecord(
                id: nil, userName: profile.user, directory: profile.directory, method: profile.method,
                sentenceCount: profile.sentenceCount, audioSeconds: profile.audioSeconds,
                enrollmentSentences: profile.enrollmentSentences, correctionSentences: profile.correctionSentences,
                createdAt: profile.createdAt, updatedAt: profile.updatedAt
            )
            if let existing = try SpeakerProfileRecord.filter(Column("user_name") == profile.user).fetchOne(db) {
                record.id = existing.id
                record.createdAt = existing.createdAt
                try record.update(db)
            } else {
                try record.insert(db)
            }
        }
    }

    /// The registered profile of a user, if any.
    public func speakerProfile(user: String) throws -> StoredSpeakerProfile? {
        try read { db in try SpeakerProfileRecord.filter(Column("user_name") == user).fetchOne(db)?.stored }
    }

    /// Every registered profile, by user name.
    public func speakerProfiles() throws -> [StoredSpeakerProfile] {
        try read { db in try SpeakerProfileRecord.order(Column("user_name")).fetchAll(db).map(\.stored) }
    }

    /// Dictations by `author` (versions with audio) that a transcriptionist then corrected, oldest first.
    ///
    /// Each reading is audited as an `export` by `author` with detail `speaker-adaptation`.
    public func correctedDictations(author: String) throws -> [CorrectedDictation] {
        try write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.report_id, a.sample_rate, a.sample_count, a.wav, v.number, v.spoken_json, v.sections_json,
                           o.accession
                    FROM dictation_audio a
                    JOIN report_versions v ON v.id = a.version_id
                    JOIN reports r ON r.id = a.report_id
                    JOIN orders o ON o.id = r.order_id
                    WHERE v.author = ?
                    ORDER BY a.id
                    """,
                arguments: [author]
            )
            var result: [CorrectedDictation] = []
            for row in rows {
                let reportID: Int64 = row["report_id"]
                let dictated: Int = row["number"]
                // The next dictation with audio (if any) bounds which corrections belong to this one.
                let nextDictation = try Int.fetchOne(
                    db,
                    sql: """
                        SELECT MIN(v.number) FROM dictation_audio a JOIN report_versions v ON v.id = a.version_id
                        WHERE a.report_id = ? AND v.number > ?
                        """,
                    arguments: [reportID, dictated]
                ) ?? Int.max
                guard let corrected = try ReportVersionRecord.fetchOne(
                    db,
                    sql: """
                        SELECT * FROM report_versions
                        WHERE report_id = ? AND number > ? AND number < ? AND source = 'transcriptionist'
                        ORDER BY number DESC LIMIT 1
                        """,
                    arguments: [reportID, dictated, nextDictation]
                ) else { continue }
                let accession: String = row["accession"]
                result.append(
                    CorrectedDictation(
                        accession: accession,
                        dictatedVersion: dictated,
                        correctedVersion: corrected.number,
                        audio: DictationAudio(sampleRate: row["sample_rate"], sampleCount: row["sample_count"], wav: row["wav"]),
                        spokenWords: try JSON.decode([String: [RecognizedWord]].self, from: row["spoken_json"]),
                        dictatedSections: try JSON.decode([ReportSection].self, from: row["sections_json"]),
                        correctedSections: try JSON.decode([ReportSection].self, from: corrected.sectionsJson)
                    )
                )
                try Self.audit(
                    db, user: ActingUser(name: author, role: nil), action: "export", reportID: reportID,
                    accession: accession, detail: "speaker-adaptation v\(dictated)/v\(corrected.number)", at: Date()
                )
            }
            return result
        }
    }
}
