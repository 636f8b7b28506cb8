import Foundation
import RadScribeCore
import ReportStore
import Testing
import TestSupport

/// The lifecycle through the store's API, the one the CLI and the server use, on real SQLite files.
@Suite("Report store: lifecycle, roles, outbox, audit")
struct ReportStoreLifecycleTests {
    let path: String

    init() throws {
        path = try ProjectPaths.temporaryDirectory("lifecycle").appendingPathComponent("radscribe.sqlite").path
    }

    static func order(_ accession: String, modality: String = "CR", priority: OrderPriority = .routine,
                      scheduledAt: Date? = nil, assignedTo: String? = nil) -> ImagingOrder
    {
        ImagingOrder(
            accession: accession, placerOrderNumber: "PL-\(accession)", fillerOrderNumber: accession,
            patient: Patient(mrn: "MRN5", familyName: "Doe", givenName: "Jane", birthDate: "19600101", sex: .female),
            procedureCode: "XR-CHEST-2V", procedureName: "Chest radiograph, two views", procedureCodingSystem: "L",
            modality: modality, orderingPhysician: "", reasonForExam: "cough", priority: priority,
            scheduledAt: scheduledAt, assignedRadiologist: assignedTo
        )
    }

    static func sections(_ findings: String, impression: String = "Normal.") -> [ReportSection] {
        [
            ReportSection(key: "findings", title: "Findings", loincCode: "18782-3", loincName: nil, text: findings),
            ReportSection(key: "impression", title: "Impression", loincCode: "19005-8", loincName: nil, text: impression),
        ]
    }

    func draft(_ findings: String, accession: String = "ACC1", author: String = "drres") -> DictatedDraft {
        DictatedDraft(
            accession: accession, templateSlug: "chest", sections: Self.sections(findings),
            spokenWords: ["findings": [RecognizedWord(text: "no", start: 0.1, end: 0.3, confidence: 0.9)]],
            audio: DictationAudio(sampleRate: 16000, sampleCount: 16000, wav: Data(repeating: 1, count: 32_044)),
            author: author, source: "recognizer", orderIfNew: Self.order(accession)
        )
    }

    /// A database with a template and one user of each role.
    func open() throws -> ReportDatabase {
        let database = try ReportDatabase(path: path)
        try database.storeTemplate(slug: "chest", identifier: "urn:t:chest", title: "Chest", html: "<html>v1</html>")
        try database.addUser(name: "drsmith", role: .radiologist, password: nil)
        try database.addUser(name: "drres", role: .resident, password: nil)
        try database.addUser(name: "tina", role: .transcriptionist, password: nil)
        try database.addUser(name: "admin", role: .administrator, password: nil)
        try database.addUser(name: "ris", role: .interface, password: nil)
        return database
    }

    func sqlite(_ sql: String) throws -> ProcessResult {
        try ProcessRunner.run(tool: "sqlite3", [path, sql])
    }

    @Test("scheduled → dictating → draft → pending correction → corrected → preliminary → final → addended → corrected → cancelled")
    func fullLifecycle() throws {
        let database = try open()
        try database.addOrder(Self.order("ACC1"), source: "manual")
        #expect(try database.existingReport(accession: "ACC1").status == .scheduled)
        #expect(try database.beginDictation(accession: "ACC1", by: "drres").status == .dictating)
        #expect(try database.saveDictation(draft("Smal effusion.")).report.status == .draft)
        #expect(try database.requestCorrection(accession: "ACC1", by: "drres").status == .pendingCorrection)

        // Only the transcriptionist's correction moves it on; nobody signs it meanwhile.
        let early = try #require(throws: ReportStoreError.self) { try database.sign(accession: "ACC1", by: "drsmith") }
        #expect(early.code == .illegalTransition)
        let corrected = try database.edit(accession: "ACC1", sections: Self.sections("Small effusion."), by: "tina")
        #expect(corrected.status == .correctedDraft)

        let transcriptionistSigns = try #require(throws: ReportStoreError.self) {
            try database.sign(accession: "ACC1", by: "tina")
        }
        #expect(transcriptionistSigns.code == .notPermitted)
        #expect(transcriptionistSigns.description.contains("transcriptionist"))

        let preliminary = try database.sign(accession: "ACC1", by: "drres")
        #expect(preliminary.status == .preliminary && preliminary.preliminaryBy == "drres" && preliminary.signedBy == nil)
        #expect(preliminary.snapshot.signedBy == "drres")
        let residentAgain = try #require(throws: ReportStoreError.self) { try database.sign(accession: "ACC1", by: "drres") }
        #expect(residentAgain.code == .illegalTransition)

        let final = try database.sign(accession: "ACC1", by: "drsmith")
        #expect(final.status == .final && final.signedBy == "drsmith")

        let edit = try #require(throws: ReportStoreError.self) {
            try database.edit(accession: "ACC1", sections: Self.sections("Changed."), by: "drsmith")
        }
        #expect(edit.code == .illegalTransition && edit.description.contains("addendum"))
        let redictate = try #require(throws: ReportStoreError.self) { try database.saveDictation(draft("Changed.")) }
        #expect(redictate.code == .reportNotEditable)
        let residentAddendum = try #require(throws: ReportStoreError.self) {
            try database.addAddendum(accession: "ACC1", text: "x", by: "drres")
        }
        #expect(residentAddendum.code == .notPermitted)

        let addended = try database.addAddendum(accession: "ACC1", text: "Compared with prior.", by: "drsmith")
        #expect(addended.status == .addended)
        #expect(addended.sections.first?.text == "Small effusion.", "the signed text is unchanged")
        #expect(addended.sections.last?.key == "addendum" && addended.sections.last?.text.hasSuffix("Compared with prior.") == true)

        let correction = try database.issueCorrection(
            accession: "ACC1", sections: Self.sections("Moderate effusion."), by: "drsmith"
        )
        #expect(correction.status == .corrected && correction.snapshot.status.hl7ResultStatus == "C")

        let tinaCancels = try #require(throws: ReportStoreError.self) { try database.cancel(accession: "ACC1", by: "tina") }
        #expect(tinaCancels.code == .notPermitted)
        #expect(try database.cancel(accession: "ACC1", by: "admin").status == .cancelled)
        let afterCancel = try #require(throws: ReportStoreError.self) {
            try database.addAddendum(accession: "ACC1", text: "x", by: "drsmith")
        }
        #expect(afterCancel.code == .illegalTransition && afterCancel.description.contains("cancelled"))

        // Every save is a version; the final text was never overwritten.
        let history = try database.history(accession: "ACC1", by: "drsmith")
        #expect(history.map(\.action) == [
            "save-draft", "request-correction", "correct", "sign-preliminary", "sign-final", "addendum", "correction",
            "cancel",
        ])
        #expect(history.map(\.role) == [
            "resident", "resident", "transcriptionist", "resident", "radiologist", "radiologist", "radiologist",
            "administrator",
        ])
        #expect(history[0].source == "recognizer" && history[0].audioSeconds == 1)
        #expect(history[2].source == "transcriptionist" && history[2].diff == "~ [-Smal-]{+Small+} effusion.")
        #expect(history[4].diff.isEmpty, "signing changes no text")
        #expect(history[6].diff.contains("[-Small-]{+Moderate+}"))

        // The RIS hears of exactly the transitions it must know about, each tied to its version.
        let outbox = try database.outbox()
        #expect(outbox.map(\.event) == ["preliminary", "final", "addended", "corrected", "cancelled"])
        #expect(outbox.map(\.resultStatus) == ["P", "F", "C", "C", "X"])
        #expect(outbox.map(\.versionNumber) == [4, 5, 6, 7, 8])
        #expect(outbox.allSatisfy { $0.state == "pending" && $0.payload == nil && $0.accession == "ACC1" })
    }

    @Test("unknown users are refused and nothing is written")
    func unknownUser() throws {
        let database = try open()
        _ = try database.saveDictation(draft("No effusion."))
        let before = try database.rowCounts()
        let error = try #require(throws: ReportStoreError.self) { try database.sign(accession: "ACC1", by: "nobody") }
        #expect(error.code == .userNotFound)
        let view = try #require(throws: ReportStoreError.self) { try database.report(accession: "ACC1", by: "nobody") }
        #expect(view.code == .userNotFound)
        #expect(try database.rowCounts() == before)

        // An unregistered dictation author is still held to the status rules.
        _ = try database.requestCorrection(accession: "ACC1", by: "drres")
        let unregistered = try #require(throws: ReportStoreError.self) {
            try database.saveDictation(draft("Again.", author: "someone"))
        }
        #expect(unregistered.code == .illegalTransition && unregistered.description.contains("transcriptionist"))
    }

    @Test("the outbox row is written in the signature's transaction: a failure leaves neither")
    func outboxIsAtomic() throws {
        let database = try open()
        _ = try database.saveDictation(draft("No effusion."))
        let injected = try sqlite(
            "CREATE TRIGGER fail_outbox BEFORE INSERT ON hl7_outbox BEGIN SELECT RAISE(ABORT, 'injected failure'); END;"
        )
        #expect(injected.exitCode == 0, "\(injected.stderr)")
        let before = try database.rowCounts()

        #expect(throws: (any Error).self) { try database.sign(accession: "ACC1", by: "drsmith") }
        #expect(try database.rowCounts() == before, "no version, no outbox row, no audit row")
        let report = try database.existingReport(accession: "ACC1")
        #expect(report.status == .draft && report.signedBy == nil && report.versionNumber == 1)

        #expect(try sqlite("DROP TRIGGER fail_outbox;").exitCode == 0)
        let signed = try database.sign(accession: "ACC1", by: "drsmith")
        #expect(signed.status == .final)
        #expect(try database.outbox().map(\.versionNumber) == [2])
    }

    @Test("the audit log is append-only and holds ids, never patient names or report text")
    func auditLog() throws {
        let database = try open()
        _ = try database.saveDictation(draft("Left pleural effusion."))
        _ = try database.report(accession: "ACC1", by: "tina")
        _ = try database.report(accession: "ACC1", action: .export, by: "ris")
        _ = try database.sign(accession: "ACC1", by: "drsmith")
        let entries = try database.auditLog(accession: "ACC1")
        #expect(entries.map(\.action) == ["change", "view", "export", "sign"])
        #expect(entries.map(\.user) == ["drres", "tina", "ris", "drsmith"])

        let update = try sqlite("UPDATE audit_log SET user_name = 'someone';")
        #expect(update.exitCode != 0 && update.stderr.contains("append-only"))
        let delete = try sqlite("DELETE FROM audit_log;")
        #expect(delete.exitCode != 0 && delete.stderr.contains("append-only"))
        #expect(try database.auditLog(accession: "ACC1") == entries)

        let dump = try sqlite(".dump audit_log")
        #expect(dump.exitCode == 0)
        for secret in ["Doe", "Jane", "MRN5", "effusion"] {
            #expect(!dump.stdout.contains(secret), "audit_log holds \(secret)")
        }
    }

    @Test("full-text search finds the newest text, with stemming, prefixes and filters")
    func search() throws {
        let database = try open()
        _ = try database.saveDictation(draft("Small left pleural effusion.", accession: "S1"))
        _ = try database.saveDictation(draft("No pneumothorax.", accession: "S2"))
        #expect(try database.search("effusions", by: nil).map(\.accession) == ["S1"], "Porter stemming")
        #expect(try database.search("pneumo*", by: nil).map(\.accession) == ["S2"])
        #expect(try database.search("left effusion", by: "drsmith").first?.snippet.contains("[effusion]") == true)
        #expect(try database.search("effusion", statuses: [.final], by: nil).isEmpty)
        #expect(try database.search("effusion", modality: "CT", by: nil).isEmpty)
        #expect(try database.search("effusion) \"( - *", by: nil).map(\.accession) == ["S1"], "FTS5 syntax is quoted away")

        _ = try database.edit(accession: "S1", sections: Self.sections("Resolved."), by: "drsmith")
        #expect(try database.search("effusion", by: nil).isEmpty)
        #expect(try database.search("resolved", by: nil).map(\.accession) == ["S1"])
        let empty = try #require(throws: ReportStoreError.self) { try database.search(" * ", by: nil) }
        #expect(empty.code == .invalidArgument)
    }

    @Test("backup and restore round-trip through SQLite's online backup")
    func backupRestore() throws {
        let database = try open()
        _ = try database.saveDictation(draft("No effusion."))
        let backup = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("backup.sqlite").path
        try database.backup(to: backup)

        _ = try database.sign(accession: "ACC1", by: "drsmith")
        try database.addOrder(Self.order("LATER"), source: "manual")
        #expect(try database.existingReport(accession: "ACC1").status == .final)

        try database.restore(from: backup)
        #expect(try database.existingReport(accession: "ACC1").status == .draft)
        #expect(try database.order(accession: "LATER") == nil)
        #expect(try database.users().count == 5)
        #expect(try database.auditLog().last?.action == "restore")
        let reopened = try ReportDatabase(path: path)
        #expect(try reopened.existingReport(accession: "ACC1").sections.first?.text == "No effusion.")
        #expect(try reopened.search("effusion", by: nil).map(\.accession) == ["ACC1"])

        let junk = URL(fileURLWithPath: backup).deletingLastPathComponent().appendingPathComponent("junk.sqlite").path
        try Data("not a database".utf8).write(to: URL(fileURLWithPath: junk))
        let before = try reopened.rowCounts()
        #expect(throws: ReportStoreError.self) { try reopened.restore(from: junk) }
        #expect(throws: ReportStoreError.self) { try reopened.restore(from: junk + ".missing") }
        #expect(try reopened.rowCounts() == before)
    }

    @Test("passwords are bcrypt hashes; repeated failures lock the account")
    func lockout() throws {
        let database = try open()
        try database.addUser(name: "drpass", role: .radiologist, password: "correct horse", cost: 4)
        let short = try #require(throws: ReportStoreError.self) {
            try database.addUser(name: "x", role: .resident, password: "short", cost: 4)
        }
        #expect(short.code == .invalidArgument)
        #expect(throws: ReportStoreError.self) { try database.addUser(name: "drpass", role: .resident, password: nil) }
        let hash = try sqlite("SELECT password_hash FROM users WHERE name = 'drpass';").stdout
        #expect(hash.hasPrefix("$2b$04$") && !hash.contains("correct horse"))

        let now = Date()
        #expect(try database.authenticate(name: "drpass", password: "correct horse", at: now).role == .radiologist)
        for attempt in 1...ReportDatabase.maximumFailedLogins {
            let error = try #require(throws: ReportStoreError.self) {
                try database.authenticate(name: "drpass", password: "wrong", at: now)
            }
            // Every failure answers alike, the last one (which locks) included: nothing tells a guesser it locked.
            #expect(error.code == .authenticationFailed, "attempt \(attempt)")
        }
        let locked = try #require(throws: ReportStoreError.self) {
            try database.authenticate(name: "drpass", password: "correct horse", at: now.addingTimeInterval(60))
        }
        #expect(locked.code == .authenticationFailed)
        #expect(try database.user(named: "drpass")?.lockedUntil != nil)
        let later = now.addingTimeInterval(ReportDatabase.lockoutDuration + 1)
        #expect(try database.authenticate(name: "drpass", password: "correct horse", at: later).name == "drpass")
        let unknown = try #require(throws: ReportStoreError.self) {
            try database.authenticate(name: "ghost", password: "whatever", at: now)
        }
        #expect(unknown.code == .authenticationFailed)
    }

    @Test("the worklist puts STAT first and filters by status, modality, priority, radiologist and day")
    func worklist() throws {
        let database = try open()
        let day = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15
        try database.addOrder(Self.order("R1", scheduledAt: day), source: "manual")
        try database.addOrder(Self.order("S1", modality: "CT", priority: .stat, scheduledAt: day.addingTimeInterval(3600), assignedTo: "drsmith"), source: "manual")
        try database.addOrder(Self.order("U1", priority: .urgent, scheduledAt: day.addingTimeInterval(-86_400)), source: "manual")
        try database.addOrder(Self.order("S0", modality: "MR", priority: .stat, scheduledAt: day.addingTimeInterval(60)), source: "manual")
        _ = try database.saveDictation(draft("No effusion.", accession: "R1"))

        #expect(try database.worklist().map(\.order.accession) == ["S0", "S1", "U1", "R1"])
        #expect(try database.worklist(WorklistFilter(statuses: [.draft])).map(\.order.accession) == ["R1"])
        #expect(try database.worklist(WorklistFilter(statuses: [.scheduled])).map(\.order.accession) == ["S0", "S1", "U1"])
        #expect(try database.worklist(WorklistFilter(modality: "CT")).map(\.order.accession) == ["S1"])
        #expect(try database.worklist(WorklistFilter(priority: .urgent)).map(\.order.accession) == ["U1"])
        #expect(try database.worklist(WorklistFilter(assignedTo: "drsmith")).map(\.order.accession) == ["S1"])
        #expect(try database.worklist(WorklistFilter(day: "2027-01-15")).map(\.order.accession) == ["S0", "S1", "R1"])
        let item = try #require(try database.worklist(WorklistFilter(modality: "CT")).first)
        #expect(item.order.priority == .stat && item.order.scheduledAt == day.addingTimeInterval(3600))

        let duplicate = try #require(throws: ReportStoreError.self) { try database.addOrder(Self.order("R1"), source: "manual") }
        #expect(duplicate.code == .orderExists)
    }

    @Test("turnaround figures per radiologist and modality")
    func turnaround() throws {
        let database = try open()
        for accession in ["T1", "T2"] {
            _ = try database.saveDictation(draft("No effusion.", accession: accession))
            _ = try database.sign(accession: accession, by: "drsmith", at: Date().addingTimeInterval(600))
        }
        _ = try database.saveDictation(draft("Unsigned.", accession: "T3"))
        let figures = try database.turnaround()
        #expect(figures.count == 1)
        let figure = try #require(figures.first)
        #expect(figure.radiologist == "drsmith" && figure.modality == "CR" && figure.reports == 2)
        #expect(abs((figure.dictatedToSignedMinutes ?? 0) - 10) < 0.5)
        #expect(try database.turnaround(since: Date().addingTimeInterval(3600)).isEmpty)
    }
}
