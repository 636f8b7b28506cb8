import Foundation
import GRDB

/// The ontology in SQLite, beside the reports in the same database file.
///
/// Has its own migrator (migrations named `ontology-…`, tables `ontology_*`), so it never touches the report
/// store's tables; both migrators record their steps in GRDB's `grdb_migrations` and ignore each other's.
/// Safe to share between tasks (GRDB serializes writes).
public struct OntologyDatabase: Sendable {
    private let writer: any DatabaseWriter
    public let path: String

    /// Opens (creating if needed) the database at `path` in WAL mode and migrates the ontology tables.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
            self.init(writer: pool, path: path)
        } catch {
            throw Self.wrap(error, path: path)
        }
    }

    /// The ontology tables in a database another store already holds open (the report store's
    /// `sharedConnection`): one pool per file and process, as GRDB asks. Migrates the ontology tables.
    public init(sharing connection: any DatabaseWriter, path: String) throws {
        do {
            try Self.migrator.migrate(connection)
        } catch {
            throw Self.wrap(error, path: path)
        }
        self.init(writer: connection, path: path)
    }

    /// An in-memory database, for tests.
    public static func inMemory() throws -> OntologyDatabase {
        let queue = try DatabaseQueue()
        try migrator.migrate(queue)
        return OntologyDatabase(writer: queue, path: ":memory:")
    }

    private init(writer: any DatabaseWriter, path: String) {
        self.writer = writer
        self.path = path
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("ontology-v1") { db in
            try db.create(table: "ontology_concept") { t in
                t.primaryKey("id", .text)
                t.column("preferred_term", .text).notNull()
                t.column("category", .text).notNull().indexed()
                t.column("radlex_rid", .text).indexed()
                t.column("radlex_source", .text)
            }
            try db.create(table: "ontology_parent") { t in
                t.column("concept_id", .text).notNull().references("ontology_concept", onDelete: .cascade)
                t.column("parent_id", .text).notNull().references("ontology_concept", onDelete: .cascade).indexed()
                t.column("position", .integer).notNull()
                t.primaryKey(["concept_id", "parent_id"])
            }
            try db.create(table: "ontology_term") { t in
                t.autoIncrementedPrimaryKey("rowid")
                t.column("concept_id", .text).notNull().references("ontology_concept", onDelete: .cascade).indexed()
                t.column("term", .text).notNull()
                t.column("kind", .text).notNull()  // preferred | synonym | abbreviation
                t.column("position", .integer).notNull()
                // lowercase words separated by single spaces, with a space at each end: "LIKE '% word%'" finds
                // word starts, and "LIKE ' words %'" whole-term matches use the index
                t.column("normalized", .text).notNull().indexed()
            }
            try db.create(table: "ontology_meta") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
        }
        return migrator
    }

    // MARK: Loading

    /// Loads the file into the tables when its content differs from what was loaded last.
    /// - Returns: whether the tables were (re)loaded.
    @discardableResult
    public func sync(withFile url: URL) throws -> Bool {
        let text = try OntologyFile.read(url)
        let hash = OntologyFile.contentHash(of: text)
        if try storedContentHash() == hash { return false }
        try load(try OntologyFile.parse(text), contentHash: hash)
        return true
    }

    /// The content hash of the file loaded last, if any.
    public func storedContentHash() throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM ontology_meta WHERE key = 'content_hash'") }
    }

    /// Replaces the ontology tables' contents with `ontology` in one transaction.
    public func load(_ ontology: Ontology, contentHash: String) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM ontology_term; DELETE FROM ontology_parent; DELETE FROM ontology_concept")
            let concept = try db.makeStatement(
                sql: "INSERT INTO ontology_concept (id, preferred_term, category, radlex_rid, radlex_source) VALUES (?, ?, ?, ?, ?)"
            )
            let parent = try db.makeStatement(
                sql: "INSERT INTO ontology_parent (concept_id, parent_id, position) VALUES (?, ?, ?)"
            )
            let term = try db.makeStatement(
                sql: "INSERT INTO ontology_term (concept_id, term, kind, position, normalized) VALUES (?, ?, ?, ?, ?)"
            )
            for c in ontology.concepts {
                try concept.execute(arguments: [c.id, c.preferredTerm, c.category.rawValue, c.radLex?.rid, c.radLex?.source])
            }
            for c in ontology.concepts {
                for (position, id) in c.parentIDs.enumerated() {
                    try parent.execute(arguments: [c.id, id, position])
                }
                let terms = [("preferred", c.preferredTerm)] + c.synonyms.map { ("synonym", $0) }
                    + c.abbreviations.map { ("abbreviation", $0) }
                for (position, (kind, text)) in terms.enumerated() {
                    try term.execute(arguments: [c.id, text, kind, position, Self.searchKey(text)])
                }
            }
            try db.execute(
                sql: "INSERT OR REPLACE INTO ontology_meta (key, value) VALUES ('content_hash', ?), ('concept_count', ?)",
                arguments: [contentHash, String(ontology.count)]
            )
        }
    }

    // MARK: Queries

    /// Number of concepts loaded.
    public func conceptCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ontology_concept") ?? 0 }
    }

    /// One concept by its `RS:` id or a RadLex `RID`.
    public func concept(id: String) throws -> OntologyConcept? {
        try read { db in
            let row = try Row.fetchOne(
                db, sql: "SELECT * FROM ontology_concept WHERE id = ? OR radlex_rid = ? ORDER BY id LIMIT 1",
                arguments: [id, id.uppercased()]
            )
            return try row.map { try Self.concept(from: $0, db) }
        }
    }

    /// Direct children of a concept, in id order.
    public func children(of id: String) throws -> [OntologyConcept] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT c.* FROM ontology_concept c JOIN ontology_parent p ON p.concept_id = c.id
                    WHERE p.parent_id = ? ORDER BY c.id
                    """,
                arguments: [id]
            ).map { try Self.concept(from: $0, db) }
        }
    }

    /// Every concept, as an in-memory ontology (for coding findings).
    public func ontology() throws -> Ontology {
        let concepts = try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM ontology_concept ORDER BY id").map { try Self.concept(from: $0, db) }
        }
        return try Ontology(concepts: concepts)
    }

    /// Concepts whose terms contain `text`, best first: exact term, then term start, then word start, then
    /// anywhere; a preferred term before a synonym; shorter terms first. An `RS:` id or a RID finds its concept.
    public func search(_ text: String, category: OntologyCategory? = nil, limit: Int = 20) throws -> [OntologySearchHit] {
        let key = Self.searchKey(text)
        let words = key.trimmingCharacters(in: .whitespaces)
        guard !words.isEmpty else { return [] }
        return try read { db in
            var hits: [OntologySearchHit] = []
            let byID = try Row.fetchOne(
                db, sql: "SELECT * FROM ontology_concept WHERE id = ? OR radlex_rid = ?",
                arguments: [text.trimmingCharacters(in: .whitespaces).uppercased(), text.trimmingCharacters(in: .whitespaces).uppercased()]
            )
            if let byID, category.map({ $0.rawValue == byID["category"] as String }) ?? true {
                let concept = try Self.concept(from: byID, db)
                hits.append(OntologySearchHit(concept: concept, matchedTerm: concept.preferredTerm, matchKind: .id))
            }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT t.concept_id, t.term, t.kind,
                        CASE WHEN t.normalized = ?1 THEN 0
                             WHEN t.normalized LIKE ' ' || ?2 || '%' THEN 1
                             WHEN t.normalized LIKE '% ' || ?2 || '%' THEN 2
                             ELSE 3 END AS rank
                    FROM ontology_term t JOIN ontology_concept c ON c.id = t.concept_id
                    WHERE t.normalized LIKE '%' || ?2 || '%' AND (?3 IS NULL OR c.category = ?3)
                    ORDER BY rank, t.kind = 'preferred' DESC, length(t.term), t.concept_id, t.position
                    """,
                arguments: [key, words, category?.rawValue]
            )
            var seen = Set(hits.map(\.concept.id))
            for row in rows {
                let id: String = row["concept_id"]
                guard hits.count < limit, seen.insert(id).inserted else { continue }
                guard let conceptRow = try Row.fetchOne(db, sql: "SELECT * FROM ontology_concept WHERE id = ?", arguments: [id])
                else { continue }
                let rank: Int = row["rank"]
                hits.append(
                    OntologySearchHit(
                        concept: try Self.concept(from: conceptRow, db),
                        matchedTerm: row["term"],
                        matchKind: [.exact, .prefix, .wordPrefix, .substring][rank]
                    )
                )
            }
            return Array(hits.prefix(limit))
        }
    }

    /// The key terms are searched by: lowercase ASCII letters and digits, words separated by one space, and one
    /// space at each end.
    static func searchKey(_ text: String) -> String {
        let words = text.lowercased().unicodeScalars.map { scalar -> Character in
            (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) ? Character(scalar) : " "
        }
        return " " + String(words).split(separator: " ").joined(separator: " ") + " "
    }

    private static func concept(from row: Row, _ db: Database) throws -> OntologyConcept {
        let id: String = row["id"]
        let parents = try String.fetchAll(
            db, sql: "SELECT parent_id FROM ontology_parent WHERE concept_id = ? ORDER BY position", arguments: [id]
        )
        let terms = try Row.fetchAll(
            db, sql: "SELECT term, kind FROM ontology_term WHERE concept_id = ? ORDER BY position", arguments: [id]
        )
        let rid: String? = row["radlex_rid"]
        let source: String? = row["radlex_source"]
        let categoryName: String = row["category"]
        guard let category = OntologyCategory(rawValue: categoryName) else {
            throw OntologyError(.storage, "concept \(id) has unknown category \(categoryName)")
        }
        return OntologyConcept(
            id: id,
            preferredTerm: row["preferred_term"],
            category: category,
            parentIDs: parents,
            synonyms: terms.filter { $0["kind"] == "synonym" }.map { $0["term"] },
            abbreviations: terms.filter { $0["kind"] == "abbreviation" }.map { $0["term"] },
            radLex: rid.map { RadLexReference(rid: $0, source: source ?? "") }
        )
    }

    // MARK: Access

    private func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        do {
            return try writer.write(body)
        } catch {
            throw Self.wrap(error, path: path)
        }
    }

    private func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        do {
            return try writer.read(body)
        } catch {
            throw Self.wrap(error, path: path)
        }
    }

    private static func wrap(_ error: any Error, path: String) -> any Error {
        if error is OntologyError { return error }
        if let error = error as? DatabaseError {
            return OntologyError(.storage, "ontology tables in \(path): SQLite error \(error.resultCode.rawValue): \(error.message ?? "")")
        }
        return OntologyError(.storage, "ontology tables in \(path): \(error)")
    }
}

/// One search result.
public struct OntologySearchHit: Sendable, Hashable {
    public enum MatchKind: String, Sendable, Hashable {
        case id, exact, prefix, wordPrefix = "word-prefix", substring
    }

    public var concept: OntologyConcept
    /// The term (preferred, synonym or abbreviation) that matched.
    public var matchedTerm: String
    public var matchKind: MatchKind
}
