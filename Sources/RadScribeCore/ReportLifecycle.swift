/// What a user is allowed to do. The CLI's `--as USER` and the API's session carry the same role.
public enum UserRole: String, Sendable, Codable, CaseIterable {
    /// An attending radiologist: signs final reports, addenda and corrections.
    case radiologist
    /// A radiologist in training: signs preliminary reports that an attending must finalize.
    case resident
    /// Corrects and edits drafts; never signs.
    case transcriptionist
    /// Manages users and orders; may cancel a report.
    case administrator
    /// A system such as the RIS: places and cancels orders, fetches results.
    case interface

    /// Accepts `attending` as another name for `radiologist`.
    public init?(spelling: String) {
        let lowered = spelling.lowercased()
        if lowered == "attending" {
            self = .radiologist
        } else {
            self.init(rawValue: lowered)
        }
    }
}

/// Something a user does to a report.
public enum ReportAction: String, Sendable, Codable, CaseIterable {
    case view
    /// Sends the report out (HL7, print).
    case export
    /// Starts a dictation on a scheduled report or a draft.
    case beginDictation = "begin-dictation"
    /// Saves dictated or edited text of a draft.
    case saveDraft = "save-draft"
    /// Sends a draft to a transcriptionist.
    case requestCorrection = "request-correction"
    /// Saves a transcriptionist's correction of a draft.
    case correct
    case signPreliminary = "sign-preliminary"
    case signFinal = "sign-final"
    /// Adds an addendum to a finalized report: a new version, the old text unchanged.
    case addendum
    /// Replaces the text of a finalized report: a new version, HL7 result status C.
    case correction
    case cancel
}

/// Why ``ReportLifecycle`` refused an action. The reason names statuses and roles only.
public struct LifecycleRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The user's role may not take this action.
        case notPermitted
        /// The report's status does not allow this action.
        case illegalTransition
    }

    public let kind: Kind
    public let reason: String

    public init(kind: Kind, reason: String) {
        self.kind = kind
        self.reason = reason
    }

    public var description: String { reason }
}

/// The report lifecycle: the one table of allowed moves and the one authorization function, used by the store
/// (and through it by the CLI and the server).
///
///     scheduled → dictating → draft → pending-correction → corrected-draft → preliminary → final
///     final → addended | corrected | cancelled
public enum ReportLifecycle {
    /// status → action → next status. Absent pairs are illegal. `view` and `export` are allowed in every status.
    static let table: [ReportStatus: [ReportAction: ReportStatus]] = [
        .scheduled: [.beginDictation: .dictating, .saveDraft: .draft, .cancel: .cancelled],
        .dictating: [.beginDictation: .dictating, .saveDraft: .draft, .cancel: .cancelled],
        .draft: [
            .beginDictation: .dictating, .saveDraft: .draft, .requestCorrection: .pendingCorrection,
            .signPreliminary: .preliminary, .signFinal: .final, .cancel: .cancelled,
        ],
        .pendingCorrection: [.correct: .correctedDraft, .cancel: .cancelled],
        .correctedDraft: [
            .correct: .correctedDraft, .saveDraft: .draft, .requestCorrection: .pendingCorrection,
            .signPreliminary: .preliminary, .signFinal: .final, .cancel: .cancelled,
        ],
        .preliminary: [.saveDraft: .preliminary, .signFinal: .final, .cancel: .cancelled],
        .final: [.addendum: .addended, .correction: .corrected, .cancel: .cancelled],
        .addended: [.addendum: .addended, .correction: .corrected, .cancel: .cancelled],
        .corrected: [.addendum: .addended, .correction: .corrected, .cancel: .cancelled],
        .cancelled: [:],
    ]

    /// Roles allowed to take each action (before the status is considered).
    static let roles: [ReportAction: Set<UserRole>] = [
        .view: Set(UserRole.allCases),
        .export: Set(UserRole.allCases),
        .beginDictation: [.radiologist, .resident],
        .saveDraft: [.radiologist, .resident, .transcriptionist],
        .requestCorrection: [.radiologist, .resident],
        .correct: [.radiologist, .resident, .transcriptionist],
        .signPreliminary: [.radiologist, .resident],
        .signFinal: [.radiologist],
        .addendum: [.radiologist],
        .correction: [.radiologist],
        .cancel: [.radiologist, .administrator, .interface],
    ]

    /// The status `action` leads to from `status`, or nil when the move is illegal.
    public static func target(of action: ReportAction, from status: ReportStatus) -> ReportStatus? {
        if action == .view || action == .export { return status }
        return table[status]?[action]
    }

    /// Decides whether a user with `role` may take `action` on a report in `status`: the one authorization
    /// function of RadScribe.
    /// - Returns: the report's status after the action.
    /// - Throws: ``LifecycleRefusal`` with the reason.
    public static func authorize(_ action: ReportAction, by role: UserRole, from status: ReportStatus) throws
        -> ReportStatus
    {
        guard isPermitted(action, for: role) else {
            throw LifecycleRefusal(kind: .notPermitted, reason: "a \(role.rawValue) may not \(action.phrase)")
        }
        // Editing a resident's preliminary report before finalizing it is the attending's job.
        if status == .preliminary, action == .saveDraft, role != .radiologist {
            throw LifecycleRefusal(
                kind: .notPermitted,
                reason: "a \(role.rawValue) may not edit a preliminary report; an attending finalizes it"
            )
        }
        return try transition(action, from: status)
    }

    /// The status rules alone, whoever acts: where `action` leads from `status`.
    /// - Throws: ``LifecycleRefusal`` `.illegalTransition` with the reason.
    public static func transition(_ action: ReportAction, from status: ReportStatus) throws -> ReportStatus {
        guard let next = target(of: action, from: status) else {
            throw LifecycleRefusal(kind: .illegalTransition, reason: illegalReason(action, from: status))
        }
        return next
    }

    /// Whether `role` may ever take `action` (in a status that allows it).
    public static func isPermitted(_ action: ReportAction, for role: UserRole) -> Bool {
        roles[action, default: []].contains(role)
    }

    /// The signing action for a role: a resident's signature is preliminary, an attending's final unless
    /// `preliminary` is asked for.
    public static func signingAction(for role: UserRole, preliminary: Bool) -> ReportAction {
        role == .radiologist && !preliminary ? .signFinal : .signPreliminary
    }

    /// Whether the RIS must hear of this action: it enqueues an HL7 result in the same transaction.
    public static func notifiesRIS(_ action: ReportAction) -> Bool {
        switch action {
        case .signPreliminary, .signFinal, .addendum, .correction, .cancel: true
        default: false
        }
    }

    private static func illegalReason(_ action: ReportAction, from status: ReportStatus) -> String {
        let allowed = table[status, default: [:]].keys.map(\.rawValue).sorted()
        let options = allowed.isEmpty ? "nothing more can be done" : "allowed: " + allowed.joined(separator: ", ")
        switch (status, action) {
        case (.cancelled, _):
            return "the report is cancelled; \(options)"
        case (_, .saveDraft) where status.isFinalized, (_, .correct) where status.isFinalized:
            return "the report is \(status.rawValue) and is never edited in place; add an addendum or a correction"
        case (_, .signFinal) where status.isFinalized, (_, .signPreliminary) where status.isFinalized:
            return "the report is already final (\(status.rawValue)); \(options)"
        case (.preliminary, .signPreliminary):
            return "the report is already preliminary; an attending must finalize it"
        case (.pendingCorrection, _):
            return "the report is with a transcriptionist for correction; \(options)"
        default:
            return "a \(status.rawValue) report cannot \(action.phrase); \(options)"
        }
    }
}

extension ReportAction {
    /// The action as a verb phrase, for refusals.
    var phrase: String {
        switch self {
        case .view: "view reports"
        case .export: "export reports"
        case .beginDictation: "start a dictation"
        case .saveDraft: "edit a draft"
        case .requestCorrection: "be sent for correction"
        case .correct: "save a correction of a draft"
        case .signPreliminary: "sign reports"
        case .signFinal: "sign a final report"
        case .addendum: "add an addendum"
        case .correction: "correct a final report"
        case .cancel: "cancel a report"
        }
    }
}
