import Foundation
import RadScribeCore
import ReportStore
import Testing
import TestSupport

@Suite("Schema migration")
struct MigrationTests {
    /// The walking skeleton's schema and one signed-off draft, as a v1 database on disk holds them.
    static let walkingSkeleton = """
        CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
        INSERT INTO grdb_migrations VALUES ('v1-walking-skeleton');
        CREATE TABLE "orders" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "accession" TEXT NOT NULL UNIQUE, "placer_number" TEXT NOT NULL, "filler_number" TEXT NOT NULL, "mrn" TEXT NOT NULL, "family_name" TEXT NOT NULL, "given_name" TEXT NOT NULL, "birth_date" TEXT NOT NULL, "sex" TEXT NOT NULL, "procedure_code" TEXT NOT NULL, "procedure_name" TEXT NOT NULL, "procedure_coding_system" TEXT NOT NULL, "modality" TEXT NOT NULL, "ordering_physician" TEXT NOT NULL, "reason" TEXT NOT NULL, "source" TEXT NOT NULL, "created_at" DATETIME NOT NULL);
        CREATE TABLE "templates" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "slug" TEXT NOT NULL, "identifier" TEXT NOT NULL, "version" INTEGER NOT NULL, "title" TEXT NOT NULL, "html" TEXT NOT NULL, "stored_at" DATETIME NOT NULL, UNIQUE ("slug", "version"));
        CREATE TABLE "reports" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "order_id" INTEGER NOT NULL UNIQUE REFERENCES "orders"("id"), "template_id" INTEGER NOT NULL REFERENCES "templates"("id"), "status" TEXT NOT NULL, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, "signed_by" TEXT, "signed_at" DATETIME);
        CREATE TABLE "report_versions" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "report_id" INTEGER NOT NULL REFERENCES "reports"("id") ON DELETE CASCADE, "number" INTEGER NOT NULL, "status" TEXT NOT NULL, "sections_json" TEXT NOT NULL, "spoken_json" TEXT NOT NULL, "author" TEXT NOT NULL, "source" TEXT NOT NULL, "created_at" DATETIME NOT NULL, UNIQUE ("report_id", "number"));
        CREATE INDEX "report_versions_on_report_id" ON "report_versions"("report_id");
        CREATE TABLE "dictation_audio" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "report_id" INTEGER NOT NULL REFERENCES "reports"("id") ON DELETE CASCADE, "version_id" INTEGER NOT NULL REFERENCES "report_versions"("id") ON DELETE CASCADE, "sample_rate" INTEGER NOT NULL, "sample_count" INTEGER NOT NULL, "wav" BLOB NOT NULL, "created_at" DATETIME NOT NULL);
        INSERT INTO orders VALUES (1, 'OLD1', 'PL1', 'OLD1', 'MRN1', 'Doe', 'Jane', '19600101', 'F', 'XR', 'Chest', 'L', 'CR', '', 'cough', 'dictate', '2026-01-02 03:04:05.000');
        INSERT INTO orders VALUES (2, 'OLD2', 'PL2', 'OLD2', 'MRN2', 'Roe', 'Ann', '', 'U', 'CT', 'Head', 'L', 'CT', '', '', 'manual', '2026-01-02 03:04:05.000');
        INSERT INTO templates VALUES (1, 'chest', 'urn:t:chest', 1, 'Chest', '<html>v1</html>', '2026-01-02 03:04:05.000');
        INSERT INTO reports VALUES (1, 1, 1, 'draft', '2026-01-02 03:04:05.000', '2026-01-02 03:04:05.000', NULL, NULL);
        INSERT INTO report_versions VALUES (1, 1, 1, 'draft', '[{"key":"findings","text":"Old pleural effusion.","title":"Findings"}]', '{}', 'drjones', 'recognizer', '2026-01-02 03:04:05.000');
        INSERT INTO dictation_audio VALUES (1, 1, 1, 16000, 16000, x'00', '2026-01-02 03:04:05.000');
        """

    @Test("a walking-skeleton database migrates with its reports, versions and audio intact, searchable and signable")
    func fromWalkingSkeleton() throws {
        let path = try ProjectPaths.temporaryDirectory("migrate").appendingPathComponent("v1.sqlite").path
        let made = try ProcessRunner.run(tool: "sqlite3", [path, Self.walkingSkeleton])
        #expect(made.exitCode == 0, "\(made.stderr)")

        let database = try ReportDatabase(path: path)
        let report = try database.existingReport(accession: "OLD1")
        #expect(report.status == .draft && report.templateSlug == "chest" && report.audioSeconds == 1)
        #expect(report.order.priority == .routine)
        #expect(try database.search("effusion", by: nil).map(\.accession) == ["OLD1"])
        #expect(try database.worklist().map(\.status) == [.draft, .scheduled])
        #expect(try database.existingReport(accession: "OLD2").status == .scheduled, "an order without a report")
        try database.addUser(name: "drsmith", role: .radiologist, password: nil)
        #expect(try database.sign(accession: "OLD1", by: "drsmith").status == .final)
        #expect(try database.history(accession: "OLD1", by: nil).map(\.number) == [1, 2])

        let check = try ProcessRunner.run(tool: "sqlite3", [path, "PRAGMA foreign_key_check; PRAGMA integrity_check;"])
        #expect(check.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "ok")
    }
}
