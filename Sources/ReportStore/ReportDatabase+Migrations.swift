import GRDB
import RadScribeCore

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
        migrator.registerMigration("v2-lifecycle-users-audit", migrate: migrateLifecycle)
        migrator.registerMigration("v2-search", migrate: migrateSearch)
        migrator.registerMigration("v3-hl7-delivery", migrate: migrateHL7Delivery)
        migrator.registerMigration("v3-capture-journal", migrate: migrateCaptureJournal)
        migrator.registerMigration("v3-worklist-order-index", migrate: migrateWorklistIndex)
        migrator.registerMigration("v3-speaker-profiles", migrate: migrateSpeakerProfiles)
        migrator.registerMigration("v3-hl7-inbound-orders", migrate: migrateInboundOrders)
        migrator.registerMigration("v3-lexicon-words", migrate: migrateLexiconWords)
        migrator.registerMigration("v3-api-sessions", migrate: migrateSessions)
        migrator.registerMigration("v3-hl7-wire-format", migrate: migrateHL7WireFormat)
        migrator.registerMigration("v3-version-findings", migrate: migrateVersionFindings)
        migrator.registerMigration("v4-procedure-templates", migrate: migrateProcedureTemplates)
        return migrator
    }

    /// Lifecycle, worklist, users, audit and the HL7 outbox.
    ///
    /// - `reports` is rebuilt (SQLite cannot relax NOT NULL) so that a scheduled report has no template yet, and gains
    ///   who signed it preliminary and when it was first dictated (for turnaround figures).
    /// - `orders` gain priority, scheduled time and the assigned radiologist: the worklist.
    /// - `report_versions` gain the author's role, the action and the diff to the previous version.
    /// - `audit_log` is append-only: triggers refuse UPDATE and DELETE.
    /// - `hl7_outbox` holds one row per transition the RIS must hear of, written in the transition's transaction;
    ///   `payload` stays NULL and `state` 'pending' until the HL7 delivery builds and sends the message.
    private static func migrateLifecycle(_ db: Database) throws {
        try db.create(table: "reports_v2") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("order_id", .integer).notNull().unique().references("orders")
            t.column("template_id", .integer).references("templates")
            t.column("status", .text).notNull()
            t.column("created_at", .datetime).notNull()
            t.column("updated_at", .datetime).notNull()
            t.column("dictated_at", .datetime)
            t.column("preliminary_by", .text)
            t.column("preliminary_at", .datetime)
            t.column("signed_by", .text)
            t.column("signed_at", .datetime)
        }
        try db.execute(
            sql: """
                INSERT INTO reports_v2 (id, order_id, template_id, status, created_at, updated_at, dictated_at,
                                        signed_by, signed_at)
                SELECT id, order_id, template_id, status, created_at, updated_at, created_at, signed_by, signed_at
                FROM reports;
                DROP TABLE reports;
                ALTER TABLE reports_v2 RENAME TO reports;
                """
        )
        try db.create(index: "reports_on_status", on: "reports", columns: ["status"])
        // Every order has a report from now on: orders without one are scheduled.
        try db.execute(
            sql: """
                INSERT INTO reports (order_id, template_id, status, created_at, updated_at)
                SELECT id, NULL, 'scheduled', created_at, created_at FROM orders
                WHERE id NOT IN (SELECT order_id FROM reports)
                """
        )
        try db.alter(table: "orders") { t in
            t.add(column: "priority", .text).notNull().defaults(to: "ROUTINE")
            t.add(column: "scheduled_at", .datetime)
            t.add(column: "assigned_to", .text)
        }
        try db.create(index: "orders_on_modality", on: "orders", columns: ["modality"])
        try db.create(index: "orders_on_scheduled_at", on: "orders", columns: ["scheduled_at"])
        try db.alter(table: "report_versions") { t in
            t.add(column: "role", .text).notNull().defaults(to: "")
            t.add(column: "action", .text).notNull().defaults(to: "")
            t.add(column: "diff", .text).notNull().defaults(to: "")
        }
        try db.create(table: "users") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("name", .text).notNull().unique()
            t.column("role", .text).notNull()
            t.column("password_hash", .text)
            t.column("failed_attempts", .integer).notNull().defaults(to: 0)
            t.column("locked_until", .datetime)
            t.column("created_at", .datetime).notNull()
        }
        // No foreign keys: the log outlives whatever it names, and a cascade would be an UPDATE or DELETE.
        try db.create(table: "audit_log") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("at", .datetime).notNull()
            t.column("user_name", .text).notNull()
            t.column("user_role", .text).notNull()
            t.column("action", .text).notNull()
            t.column("report_id", .integer).indexed()
            t.column("accession", .text)
            t.column("detail", .text).notNull().defaults(to: "")
        }
        try db.execute(
            sql: """
                CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
                CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
                """
        )
        try db.create(table: "hl7_outbox") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("report_id", .integer).notNull().indexed().references("reports")
            t.column("version_id", .integer).references("report_versions")
            t.column("event", .text).notNull()
            t.column("result_status", .text).notNull()
            t.column("created_at", .datetime).notNull()
            t.column("state", .text).notNull().defaults(to: "pending").indexed()
            t.column("payload", .text)
        }
    }

    /// Full-text search over the newest text of each report (FTS5; rowid = report id), filled for existing reports.
    private static func migrateSearch(_ db: Database) throws {
        try db.execute(sql: "CREATE VIRTUAL TABLE report_text USING fts5(body, tokenize = 'porter unicode61')")
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT v.report_id, v.sections_json FROM report_versions v
                WHERE v.number = (SELECT MAX(number) FROM report_versions WHERE report_id = v.report_id)
                """
        )
        for row in rows {
            let sections = try JSON.decode([ReportSection].self, from: row["sections_json"])
            try indexText(db, reportID: row["report_id"], sections: sections)
        }
    }
}
