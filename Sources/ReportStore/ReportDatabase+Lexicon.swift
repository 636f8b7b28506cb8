import Foundation
import GRDB

/// A word a user added to the pronunciation lexicon (`radscribe lexicon add`), kept so every recognizer
/// started with this database knows it.
public struct LexiconWord: Sendable, Hashable, Codable {
    /// The word as the dictionary keeps it, lower case.
    public var word: String
    /// CMU phones separated by spaces: `B AA K D AH L EH K`.
    public var pronunciation: String
    /// `espeak` (generated) or `user` (given with `--pronunciation`).
    public var source: String
    /// Who added it.
    public var addedBy: String
    public var createdAt: Date

    public init(word: String, pronunciation: String, source: String, addedBy: String, createdAt: Date = Date()) {
        self.word = word
        self.pronunciation = pronunciation
        self.source = source
        self.addedBy = addedBy
        self.createdAt = createdAt
    }
}

struct LexiconWordRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "lexicon_words"
    var id: Int64?
    var word: String
    var pronunciation: String
    var source: String
    var added_by: String
    var created_at: Date

    var stored: LexiconWord {
        LexiconWord(word: word, pronunciation: pronunciation, source: source, addedBy: added_by, createdAt: created_at)
    }
}

extension ReportDatabase {
    /// Adds a user's word, or replaces the pronunciation of one added before.
    /// - Returns: true when the word is new, false when an earlier pronunciation was replaced.
    @discardableResult
    public func saveLexiconWord(_ entry: LexiconWord) throws -> Bool {
        try write { db in
            let existing = try LexiconWordRecord.filter(Column("word") == entry.word).fetchOne(db)
            var record = LexiconWordRecord(
                id: existing?.id, word: entry.word, pronunciation: entry.pronunciation, source: entry.source,
                added_by: entry.addedBy, created_at: existing?.created_at ?? entry.createdAt
            )
            try record.save(db)
            return existing == nil
        }
    }

    /// Every user word, in the order added.
    public func lexiconWords() throws -> [LexiconWord] {
        try read { db in try LexiconWordRecord.order(Column("id")).fetchAll(db).map(\.stored) }
    }

    /// User words added after the `count` first ones: what a running recognizer has not seen yet.
    public func lexiconWords(after count: Int) throws -> [LexiconWord] {
        try read { db in
            try LexiconWordRecord.order(Column("id")).limit(Int.max, offset: count).fetchAll(db).map(\.stored)
        }
    }

    /// One user word, nil when no user added it.
    public func lexiconWord(_ word: String) throws -> LexiconWord? {
        try read { db in try LexiconWordRecord.filter(Column("word") == word).fetchOne(db)?.stored }
    }

    /// The `lexicon_words` table: one row per word a user added, unique by word.
    static func migrateLexiconWords(_ db: Database) throws {
        try db.create(table: "lexicon_words") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("word", .text).notNull().unique()
            t.column("pronunciation", .text).notNull()
            t.column("source", .text).notNull()
            t.column("added_by", .text).notNull()
            t.column("created_at", .datetime).notNull()
        }
    }
}
