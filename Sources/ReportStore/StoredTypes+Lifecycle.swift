import Foundation
import RadScribeCore

/// One saved version of a report, as `report history` shows it.
public struct StoredVersion: Sendable, Hashable {
    public var number: Int
    public var status: ReportStatus
    /// The lifecycle action that produced it, e.g. `save-draft`, `sign-final`, `addendum`.
    public var action: String
    public var author: String
    /// The author's role when it was saved; empty for an unregistered dictation author.
    public var role: String
    /// What produced the text: `recognizer`, `script`, `transcriptionist`, `radiologist`, ….
    public var source: String
    public var createdAt: Date
    /// Changed lines against the previous version (see ``TextDiff/lines(from:to:)``); empty when unchanged.
    public var diff: String
    /// Seconds of dictation audio this version was recognized from.
    public var audioSeconds: Double
}

/// A user account. The password hash never leaves the store.
public struct StoredUser: Sendable, Hashable {
    public var name: String
    public var role: UserRole
    public var hasPassword: Bool
    public var failedAttempts: Int
    /// Set while the account is locked after repeated failed logins.
    public var lockedUntil: Date?
    public var createdAt: Date
}

/// One line of the append-only audit log: ids only, never report text or patient names.
public struct AuditEntry: Sendable, Hashable {
    public var at: Date
    public var user: String
    public var role: String
    /// `view`, `change`, `sign`, `export`, `search`, `user-add`, `login`, `login-failed`, `backup`, `restore`.
    public var action: String
    public var accession: String?
    public var detail: String
}

/// An HL7 result waiting in the outbox. The HL7 delivery fills `payload` and moves `state` on.
public struct OutboxEntry: Sendable, Hashable {
    public var id: Int64
    public var accession: String
    public var versionNumber: Int?
    /// The report status that caused it: `preliminary`, `final`, `addended`, `corrected`, `cancelled`.
    public var event: String
    /// HL7 result status: P, F, C or X.
    public var resultStatus: String
    public var state: String
    public var payload: String?
    public var createdAt: Date
}

/// Which worklist rows to show; nil means any.
public struct WorklistFilter: Sendable, Hashable {
    public var statuses: [ReportStatus]?
    public var modality: String?
    public var priority: OrderPriority?
    public var assignedTo: String?
    /// Scheduled (else ordered) on this calendar day, UTC, `YYYY-MM-DD`.
    public var day: String?
    public var limit: Int

    public init(
        statuses: [ReportStatus]? = nil, modality: String? = nil, priority: OrderPriority? = nil,
        assignedTo: String? = nil, day: String? = nil, limit: Int = 200
    ) {
        self.statuses = statuses
        self.modality = modality
        self.priority = priority
        self.assignedTo = assignedTo
        self.day = day
        self.limit = limit
    }
}

/// One row of the worklist. Holds the patient's name for display only: never log it.
public struct WorklistItem: Sendable, Hashable {
    public var order: ImagingOrder
    public var status: ReportStatus
    public var orderedAt: Date
    /// When the final signature was given; order → signature is the turnaround.
    public var signedAt: Date?
}

/// A report matching a full-text search.
public struct SearchHit: Sendable, Hashable {
    public var accession: String
    public var status: ReportStatus
    public var modality: String
    public var procedureName: String
    /// The matching words in context, marked with `[` `]`.
    public var snippet: String
}

/// Turnaround figures for one radiologist and modality, in minutes (medians).
public struct TurnaroundFigure: Sendable, Hashable, Encodable {
    public var radiologist: String
    public var modality: String
    public var reports: Int
    /// Order (or scheduled time) to the first dictated draft.
    public var orderToDictatedMinutes: Double?
    /// First dictated draft to the final signature.
    public var dictatedToSignedMinutes: Double?
    /// Order (or scheduled time) to the final signature.
    public var orderToSignedMinutes: Double?
}
