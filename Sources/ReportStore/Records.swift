import Foundation
import GRDB
import RadScribeCore

/// Columns are snake_case in SQL, camelCase in Swift.
protocol SnakeCaseRecord: Codable, FetchableRecord, MutablePersistableRecord {}

extension SnakeCaseRecord {
    static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
}

struct OrderRecord: SnakeCaseRecord, Sendable {
    static let databaseTableName = "orders"
    var id: Int64?
    var accession: String
    var placerNumber: String
    var fillerNumber: String
    var mrn: String
    var familyName: String
    var givenName: String
    var birthDate: String
    var sex: String
    var procedureCode: String
    var procedureName: String
    var procedureCodingSystem: String
    var modality: String
    var orderingPhysician: String
    var reason: String
    var source: String
    var createdAt: Date
    var priority: String
    var scheduledAt: Date?
    var assignedTo: String?

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    init(_ order: ImagingOrder, source: String, at time: Date) {
        accession = order.accession
        placerNumber = order.placerOrderNumber
        fillerNumber = order.fillerOrderNumber
        mrn = order.patient.mrn
        familyName = order.patient.familyName
        givenName = order.patient.givenName
        birthDate = order.patient.birthDate
        sex = order.patient.sex.rawValue
        procedureCode = order.procedureCode
        procedureName = order.procedureName
        procedureCodingSystem = order.procedureCodingSystem
        modality = order.modality
        orderingPhysician = order.orderingPhysician
        reason = order.reasonForExam
        self.source = source
        createdAt = time
        priority = order.priority.rawValue
        scheduledAt = order.scheduledAt
        assignedTo = order.assignedRadiologist
    }

    var order: ImagingOrder {
        ImagingOrder(
            accession: accession,
            placerOrderNumber: placerNumber,
            fillerOrderNumber: fillerNumber,
            patient: Patient(
                mrn: mrn,
                familyName: familyName,
                givenName: givenName,
                birthDate: birthDate,
                sex: AdministrativeSex(rawValue: sex) ?? .unknown
            ),
            procedureCode: procedureCode,
            procedureName: procedureName,
            procedureCodingSystem: procedureCodingSystem,
            modality: modality,
            orderingPhysician: orderingPhysician,
            reasonForExam: reason,
            priority: OrderPriority(rawValue: priority) ?? .routine,
            scheduledAt: scheduledAt,
            assignedRadiologist: assignedTo
        )
    }
}

struct TemplateRecord: SnakeCaseRecord, Sendable {
    static let databaseTableName = "templates"
    var id: Int64?
    var slug: String
    var identifier: String
    var version: Int
    var title: String
    var html: String
    var storedAt: Date

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

struct ReportRecord: SnakeCaseRecord, Sendable {
    static let databaseTableName = "reports"
    var id: Int64?
    var orderId: Int64
    var templateId: Int64?
    var status: String
    var createdAt: Date
    var updatedAt: Date
    var dictatedAt: Date?
    var preliminaryBy: String?
    var preliminaryAt: Date?
    var signedBy: String?
    var signedAt: Date?

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

struct ReportVersionRecord: SnakeCaseRecord, Sendable {
    static let databaseTableName = "report_versions"
    var id: Int64?
    var reportId: Int64
    var number: Int
    var status: String
    var sectionsJson: String
    var spokenJson: String
    var author: String
    var source: String
    var createdAt: Date
    var role: String
    var action: String
    var diff: String
    /// The version's coded findings (JSON `[ReportFinding]`); NULL when no coder was configured.
    var findingsJson: String? = nil

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    func findings() throws -> [ReportFinding] {
        try findingsJson.map { try JSON.decode([ReportFinding].self, from: $0) } ?? []
    }
}

struct UserRecord: SnakeCaseRecord, Sendable {
    static let databaseTableName = "users"
    var id: Int64?
    var name: String
    var role: String
    var passwordHash: String?
    var failedAttempts: Int
    var lockedUntil: Date?
    var createdAt: Date

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

struct AuditRecord: SnakeCaseRecord, Sendable {
    static let databaseTableName = "audit_log"
    var id: Int64?
    var at: Date
    var userName: String
    var userRole: String
    var action: String
    var reportId: Int64?
    var accession: String?
    var detail: String

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

struct OutboxRecord: SnakeCaseRecord, Sendable {
    static let databaseTableName = "hl7_outbox"
    var id: Int64?
    var reportId: Int64
    var versionId: Int64?
    var event: String
    var resultStatus: String
    var createdAt: Date
    var state: String
    var payload: String?

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

struct DictationAudioRecord: SnakeCaseRecord, Sendable {
    static let databaseTableName = "dictation_audio"
    var id: Int64?
    var reportId: Int64
    var versionId: Int64
    var sampleRate: Int
    var sampleCount: Int
    var wav: Data
    var createdAt: Date

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
