import Foundation

/// Where a report stands in its lifecycle (see ``ReportLifecycle`` for the moves between statuses).
///
/// `corrected-draft` is a draft a transcriptionist has corrected; `corrected` is a final report replaced by a
/// correction (HL7 result status C). The lifecycle names both "corrected"; they are kept apart because the
/// RIS must see them differently.
public enum ReportStatus: String, Sendable, Codable, CaseIterable {
    /// Ordered, nothing dictated yet.
    case scheduled
    /// A radiologist is dictating.
    case dictating
    case draft
    /// Sent to a transcriptionist for correction.
    case pendingCorrection = "pending-correction"
    /// Corrected by a transcriptionist, waiting for the radiologist's signature.
    case correctedDraft = "corrected-draft"
    /// Signed by a resident (or by an attending as preliminary); an attending must finalize it.
    case preliminary
    /// Signed by an attending.
    case final
    /// A final report with one or more addenda.
    case addended
    /// A final report replaced by a correction.
    case corrected
    case cancelled

    /// HL7 result status (table 0123 for OBR-25, table 0085 for OBX-11).
    public var hl7ResultStatus: String {
        switch self {
        case .scheduled, .dictating, .draft, .pendingCorrection, .correctedDraft, .preliminary: "P"
        case .final: "F"
        case .addended, .corrected: "C"
        case .cancelled: "X"
        }
    }

    /// Signed at least as final: the text is frozen and changes only by addendum or correction.
    public var isFinalized: Bool {
        switch self {
        case .final, .addended, .corrected: true
        default: false
        }
    }

    /// Not yet signed in any way: the text may be edited in place.
    public var isDraft: Bool {
        switch self {
        case .scheduled, .dictating, .draft, .pendingCorrection, .correctedDraft: true
        default: false
        }
    }
}

/// One section of a filled report, in written form.
public struct ReportSection: Sendable, Hashable, Codable {
    /// Stable key of the section within its template, e.g. `findings`.
    public var key: String
    /// Heading as printed, e.g. `Findings`.
    public var title: String
    /// LOINC code of the section, e.g. `18782-3` for findings.
    public var loincCode: String?
    /// LOINC display name of the section code.
    public var loincName: String?
    /// Written text of the section; paragraphs separated by blank lines.
    public var text: String

    public init(key: String, title: String, loincCode: String?, loincName: String?, text: String) {
        self.key = key
        self.title = title
        self.loincCode = loincCode
        self.loincName = loincName
        self.text = text
    }
}

/// A report at one moment: what the RIS would receive.
public struct ReportSnapshot: Sendable, Hashable, Codable {
    public var order: ImagingOrder
    public var status: ReportStatus
    public var sections: [ReportSection]
    /// The signing radiologist's id (OBR-32), nil until signed.
    public var signedBy: String?
    /// When the status last changed.
    public var statusChangedAt: Date
    /// When the exam was performed or dictated (OBR-7).
    public var observedAt: Date
    /// Addendum text to send (LOINC 55107-7) when no section keyed `addendum` already carries it; nil for none.
    public var addendum: String?
    /// The transcriptionist's id (OBR-35), when one corrected the text.
    public var transcriptionist: String?
    /// Coded findings, sent as coded OBX rows after the narrative sections.
    public var findings: [ReportFinding]

    public init(
        order: ImagingOrder,
        status: ReportStatus,
        sections: [ReportSection],
        signedBy: String?,
        statusChangedAt: Date,
        observedAt: Date,
        addendum: String? = nil,
        transcriptionist: String? = nil,
        findings: [ReportFinding] = []
    ) {
        self.order = order
        self.status = status
        self.sections = sections
        self.signedBy = signedBy
        self.statusChangedAt = statusChangedAt
        self.observedAt = observedAt
        self.addendum = addendum
        self.transcriptionist = transcriptionist
        self.findings = findings
    }

    private enum CodingKeys: String, CodingKey {
        case order, status, sections, signedBy, statusChangedAt, observedAt, addendum, transcriptionist, findings
    }

    /// Decodes a snapshot; the fields added later (addendum, transcriptionist, findings) may be missing.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        order = try container.decode(ImagingOrder.self, forKey: .order)
        status = try container.decode(ReportStatus.self, forKey: .status)
        sections = try container.decode([ReportSection].self, forKey: .sections)
        signedBy = try container.decodeIfPresent(String.self, forKey: .signedBy)
        statusChangedAt = try container.decode(Date.self, forKey: .statusChangedAt)
        observedAt = try container.decode(Date.self, forKey: .observedAt)
        addendum = try container.decodeIfPresent(String.self, forKey: .addendum)
        transcriptionist = try container.decodeIfPresent(String.self, forKey: .transcriptionist)
        findings = try container.decodeIfPresent([ReportFinding].self, forKey: .findings) ?? []
    }
}
