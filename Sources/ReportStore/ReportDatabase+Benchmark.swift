import Foundation
import GRDB
import RadScribeCore

/// Latencies of one store operation, measured by ``ReportDatabase/measureBenchmark(samples:user:)``.
public struct BenchmarkFigure: Sendable, Hashable {
    public var operation: String
    public var samples: Int
    /// Milliseconds.
    public var p50: Double
    public var p95: Double
    public var max: Double
}

extension ReportDatabase {
    /// Indexes in the worklist's order (STAT, URGENT, ROUTINE; then scheduled, else ordered, time; then id), so a page
    /// is read in index order and stops after `limit` rows instead of sorting every order:
    /// - `orders`: the order alone, and after modality or assigned radiologist (the expressions match
    ///   ``worklist(_:)``'s ORDER BY exactly);
    /// - `reports`: the same key copied into `worklist_rank` and `worklist_at` (kept by triggers), after the status,
    ///   so an unread-only page reads a few thousand index entries, not a million orders.
    static func migrateWorklistIndex(_ db: Database) throws {
        let rank = "(CASE priority WHEN 'STAT' THEN 0 WHEN 'URGENT' THEN 1 ELSE 2 END)"
        let at = "COALESCE(scheduled_at, created_at)"
        try db.execute(
            sql: """
                CREATE INDEX orders_worklist_order ON orders (\(rank), \(at), id);
                CREATE INDEX orders_worklist_by_modality ON orders (modality, \(rank), \(at), id);
                CREATE INDEX orders_worklist_by_assignee ON orders (assigned_to, \(rank), \(at), id);
                ALTER TABLE reports ADD COLUMN worklist_rank INTEGER;
                ALTER TABLE reports ADD COLUMN worklist_at DATETIME;
                UPDATE reports SET
                    worklist_rank = (SELECT \(rank) FROM orders WHERE orders.id = reports.order_id),
                    worklist_at = (SELECT \(at) FROM orders WHERE orders.id = reports.order_id);
                CREATE TRIGGER reports_worklist_key_on_insert AFTER INSERT ON reports BEGIN
                    UPDATE reports SET
                        worklist_rank = (SELECT \(rank) FROM orders WHERE orders.id = NEW.order_id),
                        worklist_at = (SELECT \(at) FROM orders WHERE orders.id = NEW.order_id)
                    WHERE id = NEW.id;
                END;
                CREATE TRIGGER reports_worklist_key_on_order_update
                AFTER UPDATE OF priority, scheduled_at, created_at ON orders BEGIN
                    UPDATE reports SET worklist_rank = \(rank.replacingOccurrences(of: "priority", with: "NEW.priority")),
                        worklist_at = COALESCE(NEW.scheduled_at, NEW.created_at)
                    WHERE order_id = NEW.id;
                END;
                CREATE INDEX reports_worklist_order ON reports (status, worklist_rank, worklist_at, order_id);
                """
        )
    }

    // MARK: Benchmark data

    /// Accession of the `n`th generated report (1-based).
    public static func benchmarkAccession(_ n: Int) -> String { String(format: "BENCH%07d", n) }

    /// Fills the database with `count` generated orders and reports, in SQL, in transactions of `batchSize`:
    /// about 95 % final (a draft version and the signed version), the newest ones still unread (scheduled, draft,
    /// preliminary, …), each with searchable text built from a pool of radiology phrases. No audio.
    /// - Parameter progress: called after each batch with the number of reports written so far.
    /// - Throws: ``ReportStoreError`` when the database already holds generated reports or has no template.
    public func generateBenchmarkReports(
        count: Int, batchSize: Int = 50_000, progress: (Int) -> Void = { _ in }
    ) throws {
        let templateID: Int64 = try read { db in
            if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM orders WHERE accession LIKE 'BENCH%'") ?? 0 > 0 {
                throw ReportStoreError.invalidArgument("the database already holds benchmark reports; use a new file")
            }
            guard let id = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM templates") else {
                throw ReportStoreError.invalidArgument("the database has no template")
            }
            return id
        }
        // The newest `unread` reports are not final yet, as on a real worklist.
        let unread = Swift.max(1, Swift.min(count / 200, 5_000))
        var done = 0
        while done < count {
            let first = done + 1
            let last = Swift.min(count, done + batchSize)
            try write { db in
                try Self.generateBatch(db, first: first, last: last, total: count, unread: unread, templateID: templateID)
            }
            done = last
            progress(done)
        }
        try write { db in try db.execute(sql: "ANALYZE") }
    }

    private static func generateBatch(
        _ db: Database, first: Int, last: Int, total: Int, unread: Int, templateID: Int64
    ) throws {
        let sequence = "WITH RECURSIVE seq(n) AS (SELECT ? UNION ALL SELECT n + 1 FROM seq WHERE n < ?)"
        let base = 1_700_000_000  // 2023-11-14; one order every 90 s
        try db.execute(
            sql: """
                \(sequence)
                INSERT INTO orders (accession, placer_number, filler_number, mrn, family_name, given_name, birth_date,
                    sex, procedure_code, procedure_name, procedure_coding_system, modality, ordering_physician, reason,
                    source, created_at, priority, scheduled_at, assigned_to)
                SELECT printf('BENCH%07d', n), printf('P%07d', n), printf('BENCH%07d', n), printf('MRN%06d', n % 400000),
                    'FAMILY' || (n % 5000), 'GIVEN' || (n % 700), printf('19%02d%02d%02d', 30 + n % 70, 1 + n % 12, 1 + n % 28),
                    CASE n % 2 WHEN 0 THEN 'F' ELSE 'M' END,
                    'PROC-' || (n % 40), 'Procedure ' || (n % 40), 'L',
                    json_extract('["CR","CT","MR","US","CR","CT","MG","CR"]', '$[' || (n % 8) || ']'),
                    'DR' || (n % 300), 'reason ' || (n % 50), 'bench',
                    strftime('%Y-%m-%d %H:%M:%f', \(base) + n * 90, 'unixepoch'),
                    CASE WHEN n % 50 = 0 THEN 'STAT' WHEN n % 12 = 0 THEN 'URGENT' ELSE 'ROUTINE' END,
                    strftime('%Y-%m-%d %H:%M:%f', \(base) + n * 90 + 3600, 'unixepoch'),
                    'rad' || (n % 20)
                FROM seq
                """,
            arguments: [first, last]
        )
        // Status: final unless among the newest `unread`; those cycle through the unread statuses.
        let status = """
            CASE WHEN n <= \(total - unread) THEN 'final'
                 ELSE json_extract('["scheduled","scheduled","scheduled","draft","draft","preliminary",\
            "pending-correction","corrected-draft","scheduled","dictating"]', '$[' || (n % 10) || ']') END
            """
        let at = { (offset: Int) in "strftime('%Y-%m-%d %H:%M:%f', \(base) + n * 90 + \(offset), 'unixepoch')" }
        try db.execute(
            sql: """
                \(sequence)
                INSERT INTO reports (order_id, template_id, status, created_at, updated_at, dictated_at, preliminary_by,
                    preliminary_at, signed_by, signed_at)
                SELECT o.id, CASE WHEN s.status = 'scheduled' THEN NULL ELSE \(templateID) END, s.status,
                    \(at(0)), \(at(7200)),
                    CASE WHEN s.status IN ('scheduled', 'dictating') THEN NULL ELSE \(at(5400)) END,
                    CASE WHEN s.status = 'preliminary' THEN 'res' || (n % 10) END,
                    CASE WHEN s.status = 'preliminary' THEN \(at(6000)) END,
                    CASE WHEN s.status = 'final' THEN 'rad' || (n % 20) END,
                    CASE WHEN s.status = 'final' THEN \(at(7200)) END
                FROM (SELECT n, \(status) AS status FROM seq) s
                JOIN orders o ON o.accession = printf('BENCH%07d', s.n)
                """,
            arguments: [first, last]
        )
        // Text from phrase pools: ~13 × 11 × 7 × 9 distinct reports.
        let findings = """
            json_extract('["There is a small left pleural effusion.","There is a moderate right pleural effusion.",\
            "The lungs are clear.","No focal consolidation.","Patchy opacity in the right lower lobe.",\
            "Mild cardiomegaly.","Heart size is normal.","Degenerative changes of the thoracic spine.",\
            "A 6 mm nodule in the left upper lobe.","Atelectasis at the lung bases.","No pneumothorax.",\
            "Hyperinflated lungs compatible with emphysema.","Calcified granuloma in the right mid lung."]',
            '$[' || (n % 13) || ']')
            || ' ' || json_extract('["No pneumothorax.","No acute fracture.","The mediastinum is unremarkable.",\
            "Small hiatal hernia.","Vascular congestion.","Endotracheal tube 4 cm above the carina.",\
            "Surgical clips in the right upper quadrant.","Osteopenia.","No free air.","Aortic calcification.",\
            "Kerley B lines."]', '$[' || (n / 13 % 11) || ']')
            || ' ' || json_extract('["Bones are intact.","Soft tissues are normal.","Costophrenic angles are sharp.",\
            "Trachea is midline.","Hilar contours are normal.","Diaphragm is intact.","No lymphadenopathy."]',
            '$[' || (n / 143 % 7) || ']')
            """
        let impression = """
            json_extract('["No acute cardiopulmonary disease.","Small left pleural effusion.",\
            "Right lower lobe pneumonia.","Pulmonary edema.","Emphysema.","Pulmonary nodule; follow-up CT advised.",\
            "Cardiomegaly without edema.","Stable appearance.","Atelectasis."]', '$[' || (n / 1001 % 9) || ']')
            """
        let sections = """
            json_array(json_object('key', 'findings', 'title', 'Findings', 'text', t.findings),
                       json_object('key', 'impression', 'title', 'Impression', 'text', t.impression))
            """
        let text = "FINDINGS:\n' || t.findings || '\n\nIMPRESSION:\n' || t.impression || '"
        let source = """
            SELECT s.n, r.id AS report_id, r.status, \(findings) AS findings, \(impression) AS impression
            FROM seq s JOIN orders o ON o.accession = printf('BENCH%07d', s.n) JOIN reports r ON r.order_id = o.id
            WHERE r.status NOT IN ('scheduled', 'dictating')
            """
        try db.execute(
            sql: """
                \(sequence), t AS (\(source))
                INSERT INTO report_versions (report_id, number, status, sections_json, spoken_json, author, source,
                    created_at, role, action, diff)
                SELECT t.report_id, 1, CASE WHEN t.status = 'final' THEN 'draft' ELSE t.status END, \(sections), '{}',
                    'rad' || (t.n % 20), 'recognizer', strftime('%Y-%m-%d %H:%M:%f', \(base) + t.n * 90 + 5400, 'unixepoch'),
                    'radiologist', 'save-draft', '+ FINDINGS:'
                FROM t
                UNION ALL
                SELECT t.report_id, 2, 'final', \(sections), '{}', 'rad' || (t.n % 20), 'radiologist',
                    strftime('%Y-%m-%d %H:%M:%f', \(base) + t.n * 90 + 7200, 'unixepoch'), 'radiologist', 'sign-final', ''
                FROM t WHERE t.status = 'final'
                """,
            arguments: [first, last]
        )
        try db.execute(
            sql: """
                \(sequence), t AS (\(source))
                INSERT INTO report_text (rowid, body) SELECT t.report_id, '\(text)' FROM t
                """,
            arguments: [first, last]
        )
    }

    // MARK: Measuring

    /// Times the operations a reading room repeats, through the same API the CLI and server use: a worklist page
    /// (all orders, and the unread ones), a full-text query, opening a report with its history, and signing a draft.
    /// - Parameters:
    ///   - samples: runs of each operation.
    ///   - user: an attending (radiologist) who reads and signs; created if missing.
    public func measureBenchmark(samples: Int = 200, user: String = "bench-attending") throws -> [BenchmarkFigure] {
        if try self.user(named: user) == nil {
            try addUser(name: user, role: .radiologist, password: nil, cost: 4)
        }
        let total = try read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM orders WHERE accession LIKE 'BENCH%'") ?? 0
        }
        guard total > 0 else { throw ReportStoreError.invalidArgument("no benchmark reports; generate them first") }
        var generator = SystemRandomNumberGenerator()
        var figures: [BenchmarkFigure] = []
        func time(_ operation: String, _ body: (Int) throws -> Void) rethrows {
            var milliseconds: [Double] = []
            for index in 0..<samples {
                let start = ContinuousClock.now
                try body(index)
                let elapsed = ContinuousClock.now - start
                milliseconds.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3)
            }
            milliseconds.sort()
            let at = { (q: Double) in milliseconds[Swift.min(milliseconds.count - 1, Int(q * Double(milliseconds.count)))] }
            figures.append(
                BenchmarkFigure(operation: operation, samples: samples, p50: at(0.5), p95: at(0.95), max: milliseconds.last ?? 0)
            )
        }
        let modalities = ["CR", "CT", "MR", "US"]
        try time("worklist page (50, all)") { _ in _ = try worklist(WorklistFilter(limit: 50)) }
        try time("worklist page (50, unread)") { index in
            var filter = WorklistFilter(limit: 50)
            filter.statuses = [.scheduled, .dictating, .draft, .correctedDraft, .preliminary]
            if index % 2 == 1 { filter.modality = modalities[index / 2 % modalities.count] }
            _ = try worklist(filter)
        }
        try time("worklist page (50, assigned to one radiologist)") { index in
            var filter = WorklistFilter(limit: 50)
            filter.assignedTo = "rad\(index % 20)"
            _ = try worklist(filter)
        }
        let queries = ["pleural effusion", "pneumothorax", "nodule follow*", "emphysema", "kerley", "cardiomegaly edema"]
        try time("full-text search (50 newest)") { index in
            _ = try search(queries[index % queries.count], limit: 50, by: user)
        }
        try time("open report + history") { _ in
            let accession = Self.benchmarkAccession(Int.random(in: 1...total, using: &generator))
            _ = try report(accession: accession, by: user)
            _ = try history(accession: accession, by: user)
        }
        let drafts = try read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT o.accession FROM reports r JOIN orders o ON o.id = r.order_id
                    WHERE r.status IN ('draft', 'corrected-draft', 'preliminary') AND o.accession LIKE 'BENCH%'
                    ORDER BY o.id LIMIT ?
                    """,
                arguments: [samples]
            )
        }
        if !drafts.isEmpty {
            let signSamples = drafts.count
            var signFigures: [Double] = []
            for accession in drafts {
                let start = ContinuousClock.now
                _ = try sign(accession: accession, by: user)
                let elapsed = ContinuousClock.now - start
                signFigures.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3)
            }
            signFigures.sort()
            let at = { (q: Double) in signFigures[Swift.min(signFigures.count - 1, Int(q * Double(signFigures.count)))] }
            figures.append(
                BenchmarkFigure(operation: "sign a draft (final)", samples: signSamples, p50: at(0.5), p95: at(0.95),
                                max: signFigures.last ?? 0)
            )
        }
        return figures
    }

    /// Bytes of the database file and its WAL.
    public func fileSize() -> Int64 {
        [path, path + "-wal"].reduce(Int64(0)) { total, file in
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value ?? 0
            return total + size
        }
    }
}
