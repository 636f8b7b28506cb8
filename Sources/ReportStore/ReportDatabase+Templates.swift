import Foundation
import GRDB

extension ReportDatabase {
    /// One version of a template.
    /// - Parameters:
    ///   - slug: the template's short id, e.g. `ct-head`.
    ///   - version: the version number, from 1.
    /// - Returns: that version, nil when the slug or the version does not exist.
    public func template(slug: String, version: Int) throws -> StoredTemplate? {
        try read { db in
            try TemplateRecord.filter(Column("slug") == slug && Column("version") == version).fetchOne(db)?.stored
        }
    }

    /// Every stored version of a template, oldest first; empty when the slug is unknown.
    public func templateVersions(slug: String) throws -> [StoredTemplate] {
        try read { db in
            try TemplateRecord.filter(Column("slug") == slug).order(Column("version")).fetchAll(db).map(\.stored)
        }
    }

    /// How many versions each template slug has.
    public func templateVersionCounts() throws -> [String: Int] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT slug, COUNT(*) AS n FROM templates GROUP BY slug")
            var counts: [String: Int] = [:]
            for row in rows {
                let slug: String = row["slug"]
                let count: Int = row["n"]
                counts[slug] = count
            }
            return counts
        }
    }
}
