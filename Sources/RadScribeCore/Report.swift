import Foundation

/// Where a report stands. The walking skeleton knows draft and final; the lifecycle issue adds the rest.
public enum ReportStatus: String, Sendable, Codable, CaseIterable {
    case draft
    case preliminary
    case final

    /// HL7 result status (table 0123 for OBR-25, table 0085 for OBX-11).
    public var hl7ResultStatus: String {
        switch self {
        case .draft, .preliminary: "P"
        case .final: "F"
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

    public init(
        order: ImagingOrder,
        status: ReportStatus,
        sections: [ReportSection],
        signedBy: String?,
        statusChangedAt: Date,
        observedAt: Date
    ) {
        self.order = order
        self.status = status
        self.sections = sections
        self.signedBy = signedBy
        self.statusChangedAt = statusChangedAt
        self.observedAt = observedAt
    }
}
