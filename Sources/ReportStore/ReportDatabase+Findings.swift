import Foundation
import GRDB
import RadScribeCore

extension ReportDatabase {
    /// Coded findings kept with each version: computed once when the version is written, read by HL7 (coded OBX
    /// rows), the API and the checks, so they always describe the text they came from.
    static func migrateVersionFindings(_ db: Database) throws {
        try db.alter(table: "report_versions") { t in
            t.add(column: "findings_json", .text)
        }
    }

    static func lastVersionID(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT IFNULL(MAX(id), 0) FROM report_versions") ?? 0
    }

    /// Codes the versions written after `versionID` in this transaction.
    /// - Returns: whether any version was coded.
    @discardableResult
    func codeFindings(_ db: Database, after versionID: Int64) throws -> Bool {
        guard let findingCoder else { return false }
        let rows = try Row.fetchAll(
            db, sql: "SELECT id, sections_json FROM report_versions WHERE id > ? AND findings_json IS NULL",
            arguments: [versionID]
        )
        for row in rows {
            let sections = try JSON.decode([ReportSection].self, from: row["sections_json"] as String)
            try db.execute(
                sql: "UPDATE report_versions SET findings_json = ? WHERE id = ?",
                arguments: [try JSON.encode(findingCoder(sections)), row["id"] as Int64]
            )
        }
        return !rows.isEmpty
    }

    /// A report a write returns was read before its new version was coded: read it again so callers see the
    /// findings the version now has. Other results pass through.
    static func withStoredFindings<T>(_ result: T, _ db: Database) throws -> T {
        if let report = result as? StoredReport, let fresh = try fetchReport(db, accession: report.accession) as? T {
            return fresh
        }
        if var receipt = result as? DictationReceipt, let fresh = try fetchReport(db, accession: receipt.report.accession) {
            receipt.report = fresh
            return receipt as? T ?? result
        }
        return result
    }

    /// The coded findings of every version of a report, oldest first (empty for versions written without a coder).
    public func versionFindings(accession: String) throws -> [(version: Int, findings: [ReportFinding])] {
        try read { db in
            guard let report = try Self.reportRecord(db, accession: accession), let reportID = report.id else {
                throw ReportStoreError.reportNotFound(accession)
            }
            return try ReportVersionRecord.filter(Column("report_id") == reportID).order(Column("number")).fetchAll(db)
                .map { ($0.number, try $0.findings()) }
        }
    }
}
