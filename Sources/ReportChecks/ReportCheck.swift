public import RadScribeCore
public import ReportTemplates

/// How much a check result holds up signing.
public enum CheckSeverity: String, Sendable, Hashable, Codable, Comparable {
    /// Shown; signing goes ahead.
    case warning
    /// A critical finding: signing goes ahead, and the result must be communicated to the referrer.
    case critical
    /// Signing is refused until fixed (or explicitly overridden).
    case blocking

    private var rank: Int {
        switch self {
        case .warning: 0
        case .critical: 1
        case .blocking: 2
        }
    }

    public static func < (lhs: CheckSeverity, rhs: CheckSeverity) -> Bool { lhs.rank < rhs.rank }
}

/// Which check produced a result.
public enum CheckKind: String, Sendable, Hashable, Codable, CaseIterable {
    case requiredField = "required-field"
    case impression
    case laterality
    case units
    case contradiction
    case sexSpecificAnatomy = "sex-specific-anatomy"
    case criticalFinding = "critical-finding"
    case patientIdentity = "patient-identity"
}

/// One problem (or critical finding) found in a report.
public struct CheckResult: Sendable, Hashable, Codable, CustomStringConvertible {
    public var kind: CheckKind
    public var severity: CheckSeverity
    /// What is wrong and what to do, for the radiologist (the report's own words may be quoted).
    public var message: String
    /// The section the problem is in, when there is one.
    public var section: String?

    public init(kind: CheckKind, severity: CheckSeverity, message: String, section: String? = nil) {
        self.kind = kind
        self.severity = severity
        self.message = message
        self.section = section
    }

    public var description: String {
        "\(severity.rawValue.uppercased()) [\(kind.rawValue)]" + (section.map { " \($0):" } ?? "") + " \(message)"
    }
}

/// What the checks look at: the order (procedure, patient sex), the template (required fields), the text.
public struct ReportCheckInput: Sendable {
    public var order: ImagingOrder
    public var template: ReportTemplate?
    public var sections: [ReportSection]
    /// Written value per field key, when the dictation session knows them; else fields are read from the text.
    public var fieldValues: [String: String]?

    public init(order: ImagingOrder, template: ReportTemplate?, sections: [ReportSection], fieldValues: [String: String]? = nil) {
        self.order = order
        self.template = template
        self.sections = sections
        self.fieldValues = fieldValues
    }

    /// Sections that describe the patient's images (not the history, which may quote the request).
    var bodySections: [ReportSection] {
        sections.filter { !Self.historyKeys.contains($0.key) && !$0.text.isEmpty }
    }

    static let historyKeys: Set<String> = ["clinical-information", "history", "indication", "comparison", "clinical-history"]
}

/// Runs every check before signing.
public struct ReportChecker: Sendable {
    public init() {}

    /// All results, most severe first.
    public func check(_ input: ReportCheckInput) -> [CheckResult] {
        var results: [CheckResult] = []
        results += PatientIdentityCheck().check(input)
        results += RequiredFieldCheck().check(input)
        results += ImpressionCheck().check(input)
        results += LateralityCheck().check(input)
        results += UnitPlausibilityCheck().check(input)
        results += ContradictionCheck().check(input)
        results += ImpressionPolarityCheck().check(input)
        results += SexSpecificAnatomyCheck().check(input)
        results += CriticalFindingCheck().check(input)
        return results.enumerated().sorted { ($0.element.severity, $1.offset) > ($1.element.severity, $0.offset) }.map(\.element)
    }

    /// True when a result blocks signing.
    public static func blocksSigning(_ results: [CheckResult]) -> Bool { results.contains { $0.severity == .blocking } }
}
