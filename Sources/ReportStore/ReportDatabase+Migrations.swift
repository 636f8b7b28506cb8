import GRDB

extension ReportDatabase {
    /// The schema, one migration per released change. Never edit a shipped migration: add the next one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-walking-skeleton") { db in
            try db.create(table: "orders") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("accession", .text).notNull().unique()
                t.column("placer_number", .text).notNull()
                t.column("filler_number", .text).notNull()
                t.column("mrn", .text).notNull()
                t.column("family_name", .text).notNull()
                t.column("given_name", .text).notNull()
                t.column("birth_date", .text).notNull()
                t.column("sex", .text).notNull()
                t.column("procedure_code", .text).notNull()
                t.column("procedure_name", .text).notNull()
                t.column("procedure_coding_system", .text).notNull()
                t.column("modality", .text).notNull()
                t.column("ordering_physician", .text).notNull()
                t.column("reason", .text).notNull()
                t.column("source", .text).notNull()
                t.column("created_at", .datetime).notNull()
            }
            try db.create(table: "templates") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("slug", .text).notNull()
                t.column("identifier", .text).notNull()
                t.column("version", .integer).notNull()
                t.column("title", .text).notNull()
                t.column("html", .text).notNull()
                t.column("stored_at", .datetime).notNull()
                t.uniqueKey(["slug", "version"])
            }
            try db.create(table: "reports") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("order_id", .integer).notNull().unique().references("orders")
                t.column("template_id", .integer).notNull().references("templates")
                t.column("status", .text).notNull()
                t.column("created_at", .datetime).notNull()
                t.column("updated_at", .datetime).notNull()
                t.column("signed_by", .text)
                t.column("signed_at", .datetime)
            }
            try db.create(table: "report_versions") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("report_id", .integer).notNull().indexed().references("reports", onDelete: .cascade)
                t.column("number", .integer).notNull()
                t.column("status", .text).notNull()
                t.column("sections_json", .text).notNull()
                t.column("spoken_json", .text).notNull()
                t.column("author", .text).notNull()
                t.column("source", .text).notNull()
                t.column("created_at", .datetime).notNull()
                t.uniqueKey(["report_id", "number"])
            }
            try db.create(table: "dictation_audio") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("report_id", .integer).notNull().indexed().references("reports", onDelete: .cascade)
                t.column("version_id", .integer).notNull().indexed().references("report_versions", onDelete: .cascade)
                t.column("sample_rate", .integer).notNull()
                t.column("sample_count", .integer).notNull()
                t.column("wav", .blob).notNull()
                t.column("created_at", .datetime).notNull()
            }
        }
        return migrator
    }
}
