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

// MARK: The site's procedure → template table

extension ReportDatabase {
    /// The site's own procedure code → template table, consulted after the RadLex Playbook code of an order: for
    /// the RIS's local codes that name no Playbook procedure.
    public func procedureTemplates() throws -> [String: String] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT procedure_code, template_slug FROM procedure_templates")
            return Dictionary(rows.map { ($0["procedure_code"], $0["template_slug"]) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// Maps a procedure code to a stored template (replacing an earlier mapping), or removes the mapping (`slug` nil).
    /// - Throws: ``ReportStoreError`` when the template is unknown or the code empty.
    public func mapProcedure(_ code: String, toTemplate slug: String?, by user: String) throws {
        let code = code.trimmingCharacters(in: .whitespaces)
        guard !code.isEmpty else { throw ReportStoreError.invalidArgument("a procedure code cannot be empty") }
        try write { db in
            if let slug {
                guard try TemplateRecord.filter(Column("slug") == slug).fetchCount(db) > 0 else {
                    throw ReportStoreError.templateNotFound(slug, known: try String.fetchAll(db, sql: "SELECT DISTINCT slug FROM templates ORDER BY slug"))
                }
                try db.execute(
                    sql: "INSERT OR REPLACE INTO procedure_templates (procedure_code, template_slug) VALUES (?, ?)",
                    arguments: [code, slug]
                )
            } else {
                try db.execute(sql: "DELETE FROM procedure_templates WHERE procedure_code = ?", arguments: [code])
            }
            let acting = (try? ActingUser.registered(db, user)) ?? ActingUser(name: user, role: nil)
            try Self.audit(
                db, user: acting, action: "procedure-template", reportID: nil, accession: nil,
                detail: "\(code) -> \(slug ?? "(none)")", at: Date()
            )
        }
    }

    static func migrateProcedureTemplates(_ db: Database) throws {
        try db.create(table: "procedure_templates") { t in
            t.primaryKey("procedure_code", .text)
            t.column("template_slug", .text).notNull()
        }
    }
}
