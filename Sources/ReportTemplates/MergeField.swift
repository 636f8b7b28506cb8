public import Foundation
public import RadScribeCore

/// What a merge field (`data-field-merge-flag="true"`) is filled with, named by `data-field-merge-identifier`.
///
/// MRRT leaves the identifiers to the RIS integration; RadScribe's templates use the raw values below and
/// ``init(identifier:)`` also accepts common spellings from other sources (`MRN`, `INDICATION`, `STUDY_DATE`).
public enum MergeField: String, Sendable, Hashable, Codable, CaseIterable {
    /// `Family, Given` from the order's patient.
    case patientName = "PATIENT_NAME"
    case medicalRecordNumber = "PATIENT_MRN"
    /// ISO 8601 (`YYYY-MM-DD`), as a date field holds it.
    case patientBirthDate = "PATIENT_BIRTH_DATE"
    /// `female`, `male`, `other` or `unknown`.
    case patientSex = "PATIENT_SEX"
    case accessionNumber = "ACCESSION_NUMBER"
    /// The ordered procedure's name.
    case procedure = "PROCEDURE"
    /// The exam date, ISO 8601; the order carries none, so the caller supplies it.
    case examDate = "EXAM_DATE"
    case orderingPhysician = "ORDERING_PHYSICIAN"
    case reasonForExam = "REASON_FOR_EXAM"

    /// Reads an identifier leniently: case, spaces, dashes and dots do not matter, and aliases are accepted.
    /// - Parameter identifier: the `data-field-merge-identifier` value.
    public init?(identifier: String) {
        let normalized = identifier.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
        let key = String(normalized).split(separator: "_").joined(separator: "_")
        if let field = MergeField(rawValue: key) {
            self = field
            return
        }
        let aliases: [String: MergeField] = [
            "PATIENT": .patientName, "NAME": .patientName, "PATIENT_FULL_NAME": .patientName,
            "MRN": .medicalRecordNumber, "PATIENT_ID": .medicalRecordNumber,
            "MEDICAL_RECORD_NUMBER": .medicalRecordNumber,
            "BIRTH_DATE": .patientBirthDate, "DATE_OF_BIRTH": .patientBirthDate, "DOB": .patientBirthDate,
            "SEX": .patientSex, "GENDER": .patientSex, "PATIENT_GENDER": .patientSex,
            "ACCESSION": .accessionNumber, "ACCESSION_NO": .accessionNumber,
            "PROCEDURE_NAME": .procedure, "EXAM": .procedure, "STUDY": .procedure, "PROCEDURE_DESCRIPTION": .procedure,
            "STUDY_DATE": .examDate, "EXAM_DATE_TIME": .examDate, "PROCEDURE_DATE": .examDate,
            "REFERRING_PHYSICIAN": .orderingPhysician, "ORDERING_PROVIDER": .orderingPhysician,
            "REASON": .reasonForExam, "INDICATION": .reasonForExam, "CLINICAL_HISTORY": .reasonForExam,
            "CLINICAL_INFORMATION": .reasonForExam,
        ]
        guard let field = aliases[key] else { return nil }
        self = field
    }

    /// The value this merge field takes from an order.
    /// - Parameters:
    ///   - order: the imaging order the report is for.
    ///   - examDate: when the exam was performed; only ``examDate`` uses it.
    ///   - timeZone: the zone the exam date is written in.
    /// - Returns: the text to put in the field, nil when the order has nothing for it.
    public func value(from order: ImagingOrder, examDate: Date? = nil, timeZone: TimeZone = .current) -> String? {
        let text: String
        switch self {
        case .patientName:
            let family = order.patient.familyName.trimmingCharacters(in: .whitespaces)
            let given = order.patient.givenName.trimmingCharacters(in: .whitespaces)
            text = [family, given].filter { !$0.isEmpty }.joined(separator: ", ")
        case .medicalRecordNumber: text = order.patient.mrn
        case .patientBirthDate: text = Self.isoDate(fromHL7: order.patient.birthDate) ?? ""
        case .patientSex:
            switch order.patient.sex {
            case .female: text = "female"
            case .male: text = "male"
            case .other: text = "other"
            case .unknown: text = "unknown"
            }
        case .accessionNumber: text = order.accession
        case .procedure: text = order.procedureName
        case .examDate:
            guard let examDate else { return nil }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let parts = calendar.dateComponents([.year, .month, .day], from: examDate)
            guard let year = parts.year, let month = parts.month, let day = parts.day else { return nil }
            text = String(format: "%04d-%02d-%02d", year, month, day)
        case .orderingPhysician: text = order.orderingPhysician
        case .reasonForExam: text = order.reasonForExam
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// `YYYYMMDD…` (HL7 DT/DTM) as `YYYY-MM-DD`; nil when it is not at least eight digits.
    static func isoDate(fromHL7 text: String) -> String? {
        let digits = Array(text.prefix(8))
        guard digits.count == 8, digits.allSatisfy(\.isNumber) else { return nil }
        return "\(String(digits[0..<4]))-\(String(digits[4..<6]))-\(String(digits[6..<8]))"
    }
}

extension ReportTemplate {
    /// Every merge field of the template (nested sections included), in document order.
    public var mergeFields: [TemplateField] {
        sections.flatMap(\.allFields).filter(\.isMergeField)
    }

    /// The template with its merge fields filled from an order, so the normal report carries them.
    ///
    /// A field whose identifier RadScribe does not know, or for which the order has no value, keeps its
    /// default. Nothing else changes.
    /// - Parameters:
    ///   - order: the imaging order.
    ///   - examDate: when the exam was performed (the order carries no date); nil leaves exam dates as they are.
    ///   - timeZone: the zone dates are written in.
    /// - Returns: the filled template.
    public func fillingMergeFields(
        from order: ImagingOrder,
        examDate: Date? = nil,
        timeZone: TimeZone = .current
    ) -> ReportTemplate {
        var filled = self
        filled.sections = sections.map { $0.fillingMergeFields(from: order, examDate: examDate, timeZone: timeZone) }
        return filled
    }
}

extension TemplateSection {
    func fillingMergeFields(from order: ImagingOrder, examDate: Date?, timeZone: TimeZone) -> TemplateSection {
        var filled = self
        filled.fields = fields.map { field in
            guard let merge = field.mergeField,
                let value = merge.value(from: order, examDate: examDate, timeZone: timeZone)
            else { return field }
            var field = field
            field.defaultValue = value
            return field
        }
        filled.subsections = subsections.map {
            $0.fillingMergeFields(from: order, examDate: examDate, timeZone: timeZone)
        }
        return filled
    }
}
