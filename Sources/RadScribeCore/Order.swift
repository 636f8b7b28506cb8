import Foundation

/// How urgent an order is; the worklist sorts STAT first, then URGENT, then ROUTINE.
public enum OrderPriority: String, Sendable, Codable, CaseIterable, Comparable {
    case stat = "STAT"
    case urgent = "URGENT"
    case routine = "ROUTINE"

    /// 0 for STAT, the most urgent.
    public var rank: Int {
        switch self {
        case .stat: 0
        case .urgent: 1
        case .routine: 2
        }
    }

    public static func < (lhs: OrderPriority, rhs: OrderPriority) -> Bool { lhs.rank < rhs.rank }
}

/// Administrative sex as HL7 table 0001 spells it.
public enum AdministrativeSex: String, Sendable, Codable, CaseIterable {
    case female = "F"
    case male = "M"
    case other = "O"
    case unknown = "U"
}

/// The patient an order is for. Patient data: never log it, never put it in error messages.
public struct Patient: Sendable, Hashable, Codable {
    public var mrn: String
    public var familyName: String
    public var givenName: String
    /// Birth date as `YYYYMMDD` (HL7 DT), empty when unknown.
    public var birthDate: String
    public var sex: AdministrativeSex

    public init(mrn: String, familyName: String, givenName: String, birthDate: String, sex: AdministrativeSex) {
        self.mrn = mrn
        self.familyName = familyName
        self.givenName = givenName
        self.birthDate = birthDate
        self.sex = sex
    }
}

/// An imaging order (one accession) as the RIS placed it.
public struct ImagingOrder: Sendable, Hashable, Codable {
    public var accession: String
    /// Placer order number (ORC-2/OBR-2), echoed exactly as ordered.
    public var placerOrderNumber: String
    /// Filler order number (ORC-3/OBR-3), usually the accession.
    public var fillerOrderNumber: String
    public var patient: Patient
    public var procedureCode: String
    public var procedureName: String
    /// Coding system of `procedureCode` (HL7 CE.3), e.g. `L` for local or `LN` for LOINC.
    public var procedureCodingSystem: String
    public var modality: String
    public var orderingPhysician: String
    public var reasonForExam: String
    /// Worklist priority; STAT comes first.
    public var priority: OrderPriority
    /// When the exam is scheduled, nil when unknown.
    public var scheduledAt: Date?
    /// The radiologist the study is assigned to, by user name.
    public var assignedRadiologist: String?

    public init(
        accession: String,
        placerOrderNumber: String,
        fillerOrderNumber: String,
        patient: Patient,
        procedureCode: String,
        procedureName: String,
        procedureCodingSystem: String,
        modality: String,
        orderingPhysician: String,
        reasonForExam: String,
        priority: OrderPriority = .routine,
        scheduledAt: Date? = nil,
        assignedRadiologist: String? = nil
    ) {
        self.accession = accession
        self.placerOrderNumber = placerOrderNumber
        self.fillerOrderNumber = fillerOrderNumber
        self.patient = patient
        self.procedureCode = procedureCode
        self.procedureName = procedureName
        self.procedureCodingSystem = procedureCodingSystem
        self.modality = modality
        self.orderingPhysician = orderingPhysician
        self.reasonForExam = reasonForExam
        self.priority = priority
        self.scheduledAt = scheduledAt
        self.assignedRadiologist = assignedRadiologist
    }
}

/// What a result message needs to know of the patient, and which of it an order lacks. A strict HL7 receiver
/// refuses an ORU without PID-3 (identifier) or PID-5 (name); `UNKNOWN` is the identifier `radscribe dictate` gives
/// an order the RIS never sent, a placeholder no RIS can file a result under.
public enum PatientIdentity {
    /// The identifier written for a patient nobody named.
    public static let unknownIdentifier = "UNKNOWN"

    public enum Missing: Sendable, Hashable, CustomStringConvertible {
        case identifier
        case familyName

        public var description: String {
            switch self {
            case .identifier: "the order has no patient identifier (MRN, HL7 PID-3)"
            case .familyName: "the order has no patient name (HL7 PID-5)"
            }
        }
    }

    public static func missing(in patient: Patient) -> [Missing] {
        var missing: [Missing] = []
        let mrn = patient.mrn.trimmingCharacters(in: .whitespaces)
        if mrn.isEmpty || mrn == unknownIdentifier { missing.append(.identifier) }
        if patient.familyName.trimmingCharacters(in: .whitespaces).isEmpty { missing.append(.familyName) }
        return missing
    }
}
