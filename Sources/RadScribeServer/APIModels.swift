import Dictation
import Foundation
import RadScribeCore
import ReportChecks
import ReportStore
import ReportTemplates

// The JSON shapes of the API (docs/web-api.md, openapi.yaml). Domain types stay free of presentation concerns;
// these structs translate.

struct LoginBody: Decodable {
    var name: String
    var password: String
}

struct UserBody: Codable {
    var name: String
    var role: UserRole
}

struct LoginResult: Encodable {
    var token: String
    var expiresAt: Date
    var user: UserBody
}

struct PatientBody: Codable {
    var mrn: String
    var name: String
    var familyName: String
    var givenName: String
    var birthDate: String
    var sex: String

    init(_ patient: Patient) {
        mrn = patient.mrn
        familyName = patient.familyName
        givenName = patient.givenName
        name = [patient.familyName, patient.givenName].filter { !$0.isEmpty }.joined(separator: ", ")
        birthDate = patient.birthDate
        sex = patient.sex.rawValue
    }
}

struct WorklistRow: Encodable {
    var accession: String
    var status: ReportStatus
    var priority: String
    var modality: String
    var procedureName: String
    var patient: PatientBody
    var orderedAt: Date
    var ageMinutes: Int
    var turnaroundMinutes: Int?
    var assignedTo: String?

    init(_ item: WorklistItem, now: Date) {
        accession = item.order.accession
        status = item.status
        priority = item.order.priority.rawValue
        modality = item.order.modality
        procedureName = item.order.procedureName
        patient = PatientBody(item.order.patient)
        orderedAt = item.orderedAt
        ageMinutes = max(0, Int(now.timeIntervalSince(item.orderedAt) / 60))
        turnaroundMinutes = item.signedAt.map { max(0, Int($0.timeIntervalSince(item.orderedAt) / 60)) }
        assignedTo = item.order.assignedRadiologist
    }
}

struct SectionBody: Codable {
    var key: String
    var title: String?
    var text: String
    var loincCode: String?
}

extension SectionBody {
    init(_ section: ReportSection) {
        self.init(key: section.key, title: section.title, text: section.text, loincCode: section.loincCode)
    }
}

struct SectionsBody: Decodable {
    var sections: [SectionBody]
    /// The version the edit was made on (`version` of the report as loaded). A newer stored version refuses the edit
    /// with 409 and saves nothing; absent, the edit applies to whatever is newest.
    var version: Int?
}

struct SignBody: Decodable {
    var preliminary: Bool?
    var force: Bool?
}

struct AddendumBody: Decodable {
    var text: String
}

struct ReportBody: Encodable {
    var accession: String
    var status: ReportStatus
    var version: Int
    var templateSlug: String
    var templateVersion: Int
    var order: ImagingOrder
    var sections: [SectionBody]
    var words: [String: [AssessedWord]]
    var signedBy: String?
    var signedAt: Date?
    var preliminaryBy: String?
    var updatedAt: Date
    var audioSeconds: Double
    /// Coded findings of this version: concept, presence (present, absent, uncertain) and side.
    var findings: [ReportFinding]
    /// What the caller's role may do to the report now: the pages show these buttons only.
    var allowedActions: [ReportAction]

    init(_ report: StoredReport, for role: UserRole?, policy: WordRiskPolicy = WordRiskPolicy()) {
        accession = report.accession
        status = report.status
        version = report.versionNumber
        templateSlug = report.templateSlug
        templateVersion = report.templateVersion
        order = report.order
        sections = report.sections.map(SectionBody.init)
        words = report.spokenWords.mapValues { AssessedWord.assess($0, policy: policy) }
        signedBy = report.signedBy
        signedAt = report.signedAt
        preliminaryBy = report.preliminaryBy
        updatedAt = report.updatedAt
        audioSeconds = report.audioSeconds
        findings = report.findings
        allowedActions =
            role.map { role in
                ReportAction.allCases.filter { action in
                    action != .view && action != .export
                        && (try? ReportLifecycle.authorize(action, by: role, from: report.status)) != nil
                }
            } ?? []
    }
}

struct ChecksBody: Codable {
    var blocking: Bool
    var results: [CheckResult]

    init(_ results: [CheckResult]) {
        self.results = results
        blocking = ReportChecker.blocksSigning(results)
    }
}

struct VersionBody: Encodable {
    var number: Int
    var status: ReportStatus
    var action: String
    var author: String
    var role: String
    var source: String
    var createdAt: Date
    var diff: String
    var audioSeconds: Double

    init(_ version: StoredVersion) {
        number = version.number
        status = version.status
        action = version.action
        author = version.author
        role = version.role
        source = version.source
        createdAt = version.createdAt
        diff = version.diff
        audioSeconds = version.audioSeconds
    }
}

struct AuditBody: Encodable {
    var at: Date
    var user: String
    var role: String
    var action: String
    var accession: String?
    var detail: String

    init(_ entry: AuditEntry) {
        at = entry.at
        user = entry.user
        role = entry.role
        action = entry.action
        accession = entry.accession
        detail = entry.detail
    }
}

struct MessageBody: Encodable {
    var id: Int64
    var accession: String
    var event: String
    var resultStatus: String
    var state: String
    var destination: String
    var controlId: String?
    var payload: String?
    var ackCode: String?
    var attempts: Int
    var lastError: String?
    var createdAt: Date
    var sentAt: Date?

    init(_ message: ResultMessage) {
        id = message.id
        accession = message.accession
        event = message.event
        resultStatus = message.resultStatus
        state = message.state.rawValue
        destination = message.destination
        controlId = message.controlID
        payload = message.payload
        ackCode = message.ackCode
        attempts = message.attempts
        lastError = message.lastError
        createdAt = message.createdAt
        sentAt = message.sentAt
    }
}

struct TemplateSummary: Encodable {
    var slug: String
    var identifier: String
    var title: String
    var version: Int
}

/// A template as the dictation page lays it out: sections with the fields the cursor visits.
struct TemplateLayout: Encodable {
    struct Field: Encodable {
        var key: String
        var name: String
        var type: String
        var options: [String]
        var units: String?
    }

    struct Section: Encodable {
        var key: String
        var title: String
        var fields: [Field]
    }

    var slug: String
    var title: String
    var version: Int
    var sections: [Section]

    init(slug: String, version: Int, template: ReportTemplate) {
        self.slug = slug
        self.version = version
        title = template.title
        sections = template.sections.map { section in
            Section(
                key: section.key,
                title: section.header ?? section.name,
                fields: section.allFields.filter { !$0.isMergeField }.map { field in
                    Field(
                        key: DictationSession.key(of: field),
                        name: field.label ?? field.name ?? DictationSession.key(of: field),
                        type: field.kind.rawValue,
                        options: field.options.map(\.text),
                        units: field.units
                    )
                }
            )
        }
    }
}

struct NewUserBody: Decodable {
    var name: String
    var role: String
    var password: String
}

struct UserSummary: Encodable {
    var name: String
    var role: UserRole
    var locked: Bool
    var createdAt: Date
}

/// An order placed through the API: what a RIS or an administrator knows, with the usual defaults.
struct NewOrderBody: Decodable {
    var accession: String
    var placerOrderNumber: String?
    var fillerOrderNumber: String?
    var patient: Patient
    var procedureCode: String
    var procedureName: String
    var procedureCodingSystem: String?
    var modality: String
    var orderingPhysician: String?
    var reasonForExam: String?
    var priority: OrderPriority?
    var scheduledAt: Date?
    var assignedRadiologist: String?

    var order: ImagingOrder {
        ImagingOrder(
            accession: accession, placerOrderNumber: placerOrderNumber ?? accession,
            fillerOrderNumber: fillerOrderNumber ?? accession, patient: patient, procedureCode: procedureCode,
            procedureName: procedureName, procedureCodingSystem: procedureCodingSystem ?? "L", modality: modality,
            orderingPhysician: orderingPhysician ?? "", reasonForExam: reasonForExam ?? "", priority: priority ?? .routine,
            scheduledAt: scheduledAt, assignedRadiologist: assignedRadiologist
        )
    }
}
