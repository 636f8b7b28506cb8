import Foundation
import GRDB
import RadScribeCore

/// Who takes an action: a registered user with a role, or (for dictations only) an author the store does not know.
struct ActingUser {
    var name: String
    var role: UserRole?

    /// The user named `name`.
    /// - Throws: ``ReportStoreError`` when there is no such user.
    static func registered(_ db: Database, _ name: String) throws -> ActingUser {
        guard let record = try UserRecord.filter(Column("name") == name).fetchOne(db),
            let role = UserRole(rawValue: record.role)
        else { throw ReportStoreError.userNotFound(name) }
        return ActingUser(name: record.name, role: role)
    }

    /// The default source of text a user saves.
    var source: String {
        switch role {
        case .radiologist, .resident: "radiologist"
        case .transcriptionist: "transcriptionist"
        case .administrator: "administrator"
        case .interface: "interface"
        case nil: "unregistered"
        }
    }
}

/// New text for a version.
struct VersionContent {
    var sections: [ReportSection]
    var spokenWords: [String: [RecognizedWord]]
    var source: String
}

extension ReportDatabase {
    // MARK: Lifecycle actions

    /// Stores a dictated draft: the order (if new), the report, a new version and its audio, in one transaction.
    ///
    /// When `draft.author` is a registered user, the save is held to that user's role; a dictation author the store
    /// does not know (the walking skeleton's OS user name) may still save a draft, recorded with an empty role.
    /// - Throws: ``ReportStoreError`` if the template is unknown or the report's status does not allow a draft.
    public func saveDictation(_ draft: DictatedDraft) throws -> DictationReceipt {
        try write { db in try Self.storeDictation(draft, in: db) }
    }

    /// The body of ``saveDictation(_:)``, inside the caller's transaction.
    static func storeDictation(_ draft: DictatedDraft, in db: Database) throws -> DictationReceipt {
        do {
            guard let template = try TemplateRecord.filter(Column("slug") == draft.templateSlug)
                .order(Column("version").desc).fetchOne(db), let templateID = template.id
            else {
                let known = try String.fetchAll(db, sql: "SELECT DISTINCT slug FROM templates ORDER BY slug")
                throw ReportStoreError.templateNotFound(draft.templateSlug, known: known)
            }
            let user = (try? ActingUser.registered(db, draft.author)) ?? ActingUser(name: draft.author, role: nil)
            let now = Date()
            var createdOrder = false
            var orderRecord = try OrderRecord.filter(Column("accession") == draft.accession).fetchOne(db)
            if orderRecord == nil {
                var record = OrderRecord(draft.orderIfNew, source: "dictate", at: now)
                try record.insert(db)
                orderRecord = record
                createdOrder = true
            }
            guard let orderID = orderRecord?.id else { throw ReportStoreError.orderNotFound(draft.accession) }
            var report = try ReportRecord.filter(Column("order_id") == orderID).fetchOne(db)
                ?? ReportRecord(
                    orderId: orderID, templateId: templateID, status: ReportStatus.scheduled.rawValue, createdAt: now,
                    updatedAt: now
                )
            if report.id != nil, let status = ReportStatus(rawValue: report.status), !status.isDraft {
                throw ReportStoreError.reportNotEditable(draft.accession, status: report.status)
            }
            report.templateId = templateID
            if report.id == nil { try report.insert(db) }
            let content = VersionContent(sections: draft.sections, spokenWords: draft.spokenWords, source: draft.source)
            let version = try Self.apply(
                .saveDraft, to: &report, accession: draft.accession, by: user, content: content, at: now, in: db
            )
            if let audio = draft.audio, let reportID = report.id, let versionID = version?.id {
                var record = DictationAudioRecord(
                    reportId: reportID,
                    versionId: versionID,
                    sampleRate: audio.sampleRate,
                    sampleCount: audio.sampleCount,
                    wav: audio.wav,
                    createdAt: now
                )
                try record.insert(db)
            }
            guard let stored = try Self.fetchReport(db, accession: draft.accession) else {
                throw ReportStoreError.reportNotFound(draft.accession)
            }
            return DictationReceipt(report: stored, createdOrder: createdOrder)
        }
    }

    /// Marks a scheduled report or a draft as being dictated.
    public func beginDictation(accession: String, by user: String) throws -> StoredReport {
        try act(.beginDictation, accession: accession, by: user)
    }

    /// Saves edited text of a draft as a new version. A transcriptionist's edit of a report sent for correction
    /// completes the correction (`corrected-draft`).
    /// - Parameter version: the version the editor started from. When another version was saved since, the edit is
    ///   refused (``ReportStoreError/Code/staleEdit``) and nothing changes: two editors cannot overwrite each other.
    public func edit(accession: String, sections: [ReportSection], by user: String, basedOn version: Int? = nil) throws
        -> StoredReport
    {
        try edit(accession: accession, by: user, basedOn: version) { [sections] _ in sections }
    }

    /// Saves an edit computed from the report as stored, read in the same transaction as the write (so a section
    /// edit merged into the others cannot overwrite what was saved meanwhile).
    public func edit(
        accession: String, by user: String, basedOn version: Int? = nil,
        change: @Sendable (StoredReport) throws -> [ReportSection]
    ) throws -> StoredReport {
        try write { db in
            let acting = try ActingUser.registered(db, user)
            var report = try Self.existingRecord(db, accession: accession)
            let current = try Self.storedReport(db, accession: accession)
            try Self.requireCurrent(current, basedOn: version)
            let sections = try change(current)
            let status = ReportStatus(rawValue: report.status)
            let action: ReportAction =
                status == .pendingCorrection || (status == .correctedDraft && acting.role == .transcriptionist)
                ? .correct : .saveDraft
            let content = VersionContent(sections: sections, spokenWords: [:], source: acting.source)
            try Self.apply(action, to: &report, accession: accession, by: acting, content: content, at: Date(), in: db)
            return try Self.storedReport(db, accession: accession)
        }
    }

    static func requireCurrent(_ report: StoredReport, basedOn version: Int?) throws {
        guard let version, version != report.versionNumber else { return }
        throw ReportStoreError.staleEdit(report.accession, basedOn: version, current: report.versionNumber)
    }

    /// Sends a draft to a transcriptionist for correction.
    public func requestCorrection(accession: String, by user: String) throws -> StoredReport {
        try act(.requestCorrection, accession: accession, by: user)
    }

    /// Signs a report: a resident's signature (or an attending's with `preliminary`) makes it preliminary, an
    /// attending's makes it final. Enqueues the HL7 result in the same transaction.
    /// - Throws: ``ReportStoreError`` when the user is unknown or may not sign, the report is missing, or it is
    ///   already final.
    public func sign(accession: String, by user: String, preliminary: Bool = false, at time: Date = Date()) throws
        -> StoredReport
    {
        try write { db in
            let acting = try ActingUser.registered(db, user)
            var report = try Self.existingRecord(db, accession: accession)
            // A role that may not sign is refused by the role check, with the reason.
            let action = ReportLifecycle.signingAction(for: acting.role ?? .transcriptionist, preliminary: preliminary)
            try Self.apply(action, to: &report, accession: accession, by: acting, content: nil, at: time, in: db)
            return try Self.storedReport(db, accession: accession)
        }
    }

    /// Whether `user` may sign the report now, with the refusal ``sign(accession:by:preliminary:at:)`` would give;
    /// changes nothing. Callers ask before running the checks before signing, which would only distract otherwise.
    public func authorizeSigning(accession: String, by user: String, preliminary: Bool = false) throws {
        try read { db in
            let acting = try ActingUser.registered(db, user)
            let report = try Self.existingRecord(db, accession: accession)
            let action = ReportLifecycle.signingAction(for: acting.role ?? .transcriptionist, preliminary: preliminary)
            _ = try Self.authorize(action, on: report, accession: accession, by: acting)
        }
    }

    /// Adds an addendum to a finalized report: a new version whose `addendum` section gains `text`; the text
    /// signed before is unchanged.
    public func addAddendum(accession: String, text: String, by user: String) throws -> StoredReport {
        try write { db in
            let acting = try ActingUser.registered(db, user)
            var report = try Self.existingRecord(db, accession: accession)
            let current = try Self.storedReport(db, accession: accession)
            var sections = current.sections
            let now = Date()
            let entry = "\(ISO8601DateFormatter().string(from: now)) \(acting.name): \(text)"
            if let index = sections.firstIndex(where: { $0.key == "addendum" }) {
                sections[index].text += "\n\n" + entry
            } else {
                sections.append(
                    ReportSection(key: "addendum", title: "Addendum", loincCode: nil, loincName: nil, text: entry)
                )
            }
            let content = VersionContent(sections: sections, spokenWords: current.spokenWords, source: acting.source)
            try Self.apply(.addendum, to: &report, accession: accession, by: acting, content: content, at: now, in: db)
            return try Self.storedReport(db, accession: accession)
        }
    }

    /// Replaces the text of a finalized report with a correction: a new version, HL7 result status C.
    /// - Parameter version: as for ``edit(accession:sections:by:basedOn:)``.
    public func issueCorrection(accession: String, sections: [ReportSection], by user: String, basedOn version: Int? = nil)
        throws -> StoredReport
    {
        try issueCorrection(accession: accession, by: user, basedOn: version) { [sections] _ in sections }
    }

    /// A correction computed from the report as stored, in the same transaction as the write.
    public func issueCorrection(
        accession: String, by user: String, basedOn version: Int? = nil,
        change: @Sendable (StoredReport) throws -> [ReportSection]
    ) throws -> StoredReport {
        try write { db in
            let acting = try ActingUser.registered(db, user)
            var report = try Self.existingRecord(db, accession: accession)
            let current = try Self.storedReport(db, accession: accession)
            try Self.requireCurrent(current, basedOn: version)
            let sections = try change(current)
            let content = VersionContent(sections: sections, spokenWords: [:], source: acting.source)
            try Self.apply(
                .correction, to: &report, accession: accession, by: acting, content: content, at: Date(), in: db
            )
            return try Self.storedReport(db, accession: accession)
        }
    }

    /// Cancels a report (and its order's reporting). The RIS hears of it.
    public func cancel(accession: String, by user: String) throws -> StoredReport {
        try act(.cancel, accession: accession, by: user)
    }

    /// A report, read by `user` (audited as viewed or exported). A nil user is the local operator, audited under
    /// the OS account name with no role.
    public func report(accession: String, action: ReportAction = .view, by user: String?) throws -> StoredReport {
        try write { db in
            var report = try Self.existingRecord(db, accession: accession)
            let acting = try user.map { try ActingUser.registered(db, $0) }
                ?? ActingUser(name: "os:" + NSUserName(), role: nil)
            try Self.apply(action, to: &report, accession: accession, by: acting, content: nil, at: Date(), in: db)
            return try Self.storedReport(db, accession: accession)
        }
    }

    /// Every version of a report, oldest first (audited as a view).
    public func history(accession: String, by user: String?) throws -> [StoredVersion] {
        try write { db in
            var report = try Self.existingRecord(db, accession: accession)
            let acting = try user.map { try ActingUser.registered(db, $0) }
                ?? ActingUser(name: "os:" + NSUserName(), role: nil)
            try Self.apply(.view, to: &report, accession: accession, by: acting, content: nil, at: Date(), in: db)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT v.*, (SELECT COALESCE(SUM(a.sample_count * 1.0 / a.sample_rate), 0)
                                 FROM dictation_audio a WHERE a.version_id = v.id) AS audio_seconds
                    FROM report_versions v WHERE v.report_id = ? ORDER BY v.number
                    """,
                arguments: [report.id]
            )
            return try rows.map { row in
                let version = try ReportVersionRecord(row: row)
                return StoredVersion(
                    number: version.number,
                    status: ReportStatus(rawValue: version.status) ?? .draft,
                    action: version.action,
                    author: version.author,
                    role: version.role,
                    source: version.source,
                    createdAt: version.createdAt,
                    diff: version.diff,
                    audioSeconds: row["audio_seconds"] ?? 0
                )
            }
        }
    }

    /// The HL7 results waiting to be built and sent, oldest first.
    public func outbox(state: String? = "pending") throws -> [OutboxEntry] {
        try read { db in
            var sql = """
                SELECT o.*, orders.accession, v.number AS version_number FROM hl7_outbox o
                JOIN reports r ON r.id = o.report_id JOIN orders ON orders.id = r.order_id
                LEFT JOIN report_versions v ON v.id = o.version_id
                """
            var arguments: StatementArguments = []
            if let state {
                sql += " WHERE o.state = ?"
                arguments += [state]
            }
            sql += " ORDER BY o.id"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                let record = try OutboxRecord(row: row)
                return OutboxEntry(
                    id: record.id ?? 0, accession: row["accession"], versionNumber: row["version_number"],
                    event: record.event, resultStatus: record.resultStatus, state: record.state,
                    payload: record.payload, createdAt: record.createdAt
                )
            }
        }
    }

    // MARK: The one transition path

    private func act(_ action: ReportAction, accession: String, by user: String) throws -> StoredReport {
        try write { db in
            let acting = try ActingUser.registered(db, user)
            var report = try Self.existingRecord(db, accession: accession)
            try Self.apply(action, to: &report, accession: accession, by: acting, content: nil, at: Date(), in: db)
            return try Self.storedReport(db, accession: accession)
        }
    }

    /// Applies one action inside the caller's transaction: authorizes it with ``ReportLifecycle``, updates the
    /// report, writes a version with its diff (except for reads and the start of a dictation), the HL7 outbox row
    /// when the RIS must hear of it, and the audit row. Any failure rolls all of them back together.
    /// - Returns: the new version, if one was written.
    @discardableResult
    /// The status `action` leads to, or the store's refusal (already signed, not permitted, illegal transition).
    static func authorize(_ action: ReportAction, on report: ReportRecord, accession: String, by user: ActingUser) throws
        -> ReportStatus
    {
        let from = ReportStatus(rawValue: report.status) ?? .draft
        let mayAct = user.role.map { ReportLifecycle.isPermitted(action, for: $0) } ?? true
        if action == .signFinal || action == .signPreliminary, from.isFinalized, mayAct {
            throw ReportStoreError.alreadySigned(accession, by: report.signedBy ?? "unknown")
        }
        do {
            if let role = user.role {
                return try ReportLifecycle.authorize(action, by: role, from: from)
            } else if action == .view || action == .export || action == .saveDraft {
                // An unregistered dictation author or the local reader: the status rules only.
                return try ReportLifecycle.transition(action, from: from)
            } else {
                throw LifecycleRefusal(kind: .notPermitted, reason: "only a registered user may \(action.rawValue)")
            }
        } catch let refusal as LifecycleRefusal {
            throw ReportStoreError.refused(refusal, accession: accession, user: user.name)
        }
    }

    static func apply(
        _ action: ReportAction, to report: inout ReportRecord, accession: String, by user: ActingUser,
        content: VersionContent?, at time: Date, in db: Database
    ) throws -> ReportVersionRecord? {
        guard let reportID = report.id else { throw ReportStoreError.reportNotFound(accession) }
        let next = try authorize(action, on: report, accession: accession, by: user)

        var version: ReportVersionRecord?
        if action != .view, action != .export {
            report.status = next.rawValue
            report.updatedAt = time
            switch action {
            case .saveDraft, .correct:
                if report.dictatedAt == nil { report.dictatedAt = time }
            case .signPreliminary:
                report.preliminaryBy = user.name
                report.preliminaryAt = time
            case .signFinal:
                report.signedBy = user.name
                report.signedAt = time
            default: break
            }
            try report.update(db)
        }
        if action != .view, action != .export, action != .beginDictation {
            let previous = try latestVersion(db, reportID: reportID)
            let oldSections = try previous.map { try JSON.decode([ReportSection].self, from: $0.sectionsJson) } ?? []
            let sections = content?.sections ?? oldSections
            var record = ReportVersionRecord(
                reportId: reportID,
                number: (previous?.number ?? 0) + 1,
                status: next.rawValue,
                sectionsJson: try JSON.encode(sections),
                spokenJson: try content.map { try JSON.encode($0.spokenWords) } ?? previous?.spokenJson ?? "{}",
                author: user.name,
                source: content?.source ?? user.source,
                createdAt: time,
                role: user.role?.rawValue ?? "",
                action: action.rawValue,
                diff: TextDiff.lines(from: renderedText(oldSections), to: renderedText(sections))
            )
            try record.insert(db)
            if content != nil { try indexText(db, reportID: reportID, sections: sections) }
            version = record
        }
        if ReportLifecycle.notifiesRIS(action) {
            var outbox = OutboxRecord(
                reportId: reportID, versionId: version?.id, event: next.rawValue, resultStatus: next.hl7ResultStatus,
                createdAt: time, state: "pending", payload: nil
            )
            try outbox.insert(db)
        }
        try audit(
            db, user: user, action: auditVerb(action), reportID: reportID, accession: accession,
            detail: version.map { "\(action.rawValue) v\($0.number)" } ?? action.rawValue, at: time
        )
        return version
    }

    private static func auditVerb(_ action: ReportAction) -> String {
        switch action {
        case .view: "view"
        case .export: "export"
        case .signPreliminary, .signFinal: "sign"
        default: "change"
        }
    }

    /// A report's text as compared between versions: each section's heading, then its text.
    static func renderedText(_ sections: [ReportSection]) -> String {
        sections.filter { !$0.text.isEmpty }.map { "\($0.title.uppercased()):\n\($0.text)" }.joined(separator: "\n\n")
    }

    static func latestVersion(_ db: Database, reportID: Int64) throws -> ReportVersionRecord? {
        try ReportVersionRecord.filter(Column("report_id") == reportID).order(Column("number").desc).fetchOne(db)
    }

    static func existingRecord(_ db: Database, accession: String) throws -> ReportRecord {
        guard let record = try reportRecord(db, accession: accession) else {
            throw ReportStoreError.reportNotFound(accession)
        }
        return record
    }

    static func storedReport(_ db: Database, accession: String) throws -> StoredReport {
        guard let report = try fetchReport(db, accession: accession) else {
            throw ReportStoreError.reportNotFound(accession)
        }
        return report
    }
}
