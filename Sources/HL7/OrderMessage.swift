import Foundation
import RadScribeCore

/// An inbound order message (ORM^O01 or OMI^O23), read and checked: the patient, the visit and one event per order.
///
/// ``init(parsing:)`` accepts only what the worklist can use and says precisely what is wrong otherwise (an
/// ``OrderMessageError`` naming the segment and field, with the ACK code to answer: AR for a message that cannot be
/// processed, AE for wrong content).
public struct OrderMessage: Sendable, Hashable {
    /// The two message types accepted.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// ORM^O01, general order (v2.3–2.5.1).
        case orm = "ORM^O01"
        /// OMI^O23, imaging order (v2.5+), with IPC segments.
        case omi = "OMI^O23"
    }

    /// The visit of PV1.
    public struct Visit: Sendable, Hashable {
        /// PV1-2, patient class (I, O, E…).
        public var patientClass: String
        /// PV1-3.1, the point of care.
        public var location: String
        /// PV1-8.1, the referring doctor's id.
        public var referringDoctor: String
        /// PV1-19.1, the visit number.
        public var visitNumber: String
    }

    public var kind: Kind
    /// MSH-10.
    public var controlID: String
    /// MSH-3.1 and MSH-4.1, the sender.
    public var sendingApplication: String
    public var sendingFacility: String
    /// MSH-12.1.
    public var version: String
    /// From PID; nil when the message has no PID (allowed for cancels and status changes only).
    public var patient: Patient?
    /// PID-3.4, the authority of the MRN.
    public var patientIDAuthority: String
    public var visit: Visit?
    /// One event per ORC group, in message order.
    public var events: [OrderEvent]
    /// The parsed message, for building the ACK.
    public var message: HL7Message
}

/// One order of an order message: what to do (ORC-1) and the order it concerns.
public struct OrderEvent: Sendable, Hashable {
    /// ORC-1, order control (HL7 table 0119): the four codes a RIS sends to a reporting system.
    public enum Control: String, Sendable, Hashable, CaseIterable {
        case new = "NW"
        case cancel = "CA"
        case change = "XO"
        case statusChange = "SC"
    }

    public var control: Control
    /// The order, with patient, procedure, priority and schedule. For a cancel, only the numbers and the accession
    /// are sure to be meaningful.
    public var order: ImagingOrder
    /// ORC-5, the order status (table 0038), e.g. `SC`, `IP`, `CM`; may be empty.
    public var orderStatus: String
    /// ORC-12.1, who entered or ordered it.
    public var orderingProviderID: String
    /// OBR-13, relevant clinical information.
    public var clinicalInfo: String
    /// OBR-19 (ORM, IHE) or IPC-2 (OMI).
    public var requestedProcedureID: String
    /// OBR-20 (ORM, IHE) or IPC-4 (OMI).
    public var scheduledStepID: String
    /// IPC-3 (OMI), else empty.
    public var studyInstanceUID: String
    /// Whether the message carried an OBR for this order.
    public var hasObservationRequest: Bool
    /// Which ORC this event came from (1 for the first), for error locations.
    public var orderControlSequence: Int
    /// Where the accession was read (`IPC`/`OBR`/`ORC`, occurrence, field), for error locations.
    public var accessionSegment: String
    public var accessionSequence: Int
    public var accessionField: Int

    /// An ERR detail pointing at this event's accession field.
    public func accessionError(_ condition: HL7ErrorDetail.Condition, _ message: String) -> HL7ErrorDetail {
        HL7ErrorDetail(
            condition: condition, segment: accessionSegment, sequence: accessionSequence, field: accessionField,
            message: message
        )
    }

    /// An ERR detail pointing at this event's ORC-1.
    public func orderControlError(_ condition: HL7ErrorDetail.Condition, _ message: String) -> HL7ErrorDetail {
        HL7ErrorDetail(condition: condition, segment: "ORC", sequence: orderControlSequence, field: 1, message: message)
    }
}

extension OrderMessage {
    /// The longest message accepted, in UTF-8 bytes: an order is a few kilobytes.
    public static let maximumLength = 1_048_576
    /// The most segments accepted in one message.
    public static let maximumSegments = 2_000

    /// The most repetitions accepted in one field: real orders carry a handful of patient identifiers, and a
    /// field of thousands is an attack or a broken sender, refused before anything reads it.
    public static let maximumRepetitions = 100
    /// The longest field accepted, in bytes of escaped ER7.
    public static let maximumFieldLength = 65_536

    /// Refuses (AR) a field with more than ``maximumRepetitions`` repetitions or ``maximumFieldLength`` bytes,
    /// naming the segment and field, in one pass over the message.
    static func checkFieldSizes(_ segments: [HL7Segment]) throws {
        var sequences: [String: Int] = [:]
        for segment in segments {
            sequences[segment.name, default: 0] += 1
            let firstSplitField = segment.name == "MSH" ? 3 : 1
            guard segment.fieldCount >= firstSplitField else { continue }
            for number in firstSplitField...segment.fieldCount {
                let text = segment.field(number)
                guard text.utf8.count <= maximumFieldLength else {
                    throw OrderMessageError.reject(
                        .dataTypeError, segment.name, sequences[segment.name], field: number,
                        "\(segment.name)-\(number) is longer than \(maximumFieldLength) bytes"
                    )
                }
                let separator = segment.delimiters.repetition
                let repetitions = 1 + text.unicodeScalars.lazy.filter { $0 == separator }.count
                guard repetitions <= maximumRepetitions else {
                    throw OrderMessageError.reject(
                        .dataTypeError, segment.name, sequences[segment.name], field: number,
                        "\(segment.name)-\(number) has \(repetitions) repetitions; at most \(maximumRepetitions) are accepted"
                    )
                }
            }
        }
    }

    /// Versions accepted per message type (MSH-12.1).
    static func acceptsVersion(_ version: String, for kind: Kind) -> Bool {
        switch kind {
        case .orm: ["2.3", "2.3.1", "2.4", "2.5", "2.5.1"].contains(version)
        case .omi: ["2.5", "2.5.1", "2.6", "2.7", "2.7.1", "2.8"].contains(version)
        }
    }

    /// Parses and checks an ORM^O01 or OMI^O23 message.
    /// - Parameter text: the message without MLLP framing (CR, LF or CRLF between segments).
    /// - Throws: ``OrderMessageError``: AR for what cannot be processed (not HL7, too large, wrong type or
    ///   version, segments out of order or unknown), AE for content the worklist cannot use.
    public init(parsing text: String) throws {
        guard text.utf8.count <= Self.maximumLength else {
            throw OrderMessageError.reject(
                .applicationInternalError, "", nil, "the message is larger than \(Self.maximumLength) bytes"
            )
        }
        let message: HL7Message
        do {
            message = try HL7Message(parsing: text)
        } catch let error as HL7Error {
            throw OrderMessageError.reject(.segmentSequenceError, "", nil, "\(error)")
        }
        try self.init(message: message)
    }

    /// Checks an already parsed message; see ``init(parsing:)``.
    public init(message: HL7Message) throws {
        guard message.segments.count <= Self.maximumSegments else {
            throw OrderMessageError.reject(.segmentSequenceError, "", nil, "more than \(Self.maximumSegments) segments")
        }
        guard let msh = message.segments.first, msh.name == "MSH" else {
            throw OrderMessageError.reject(.segmentSequenceError, "MSH", nil, "the message does not start with MSH")
        }
        try Self.checkFieldSizes(message.segments)
        let type = msh.value(9, component: 1)
        let trigger = msh.value(9, component: 2)
        let kind: Kind
        switch (type, trigger) {
        case ("ORM", "O01"): kind = .orm
        case ("OMI", "O23"): kind = .omi
        case ("ORM", _), ("OMI", _):
            throw OrderMessageError.reject(
                .unsupportedEventCode, "MSH", 1, field: 9, "MSH-9 trigger event must be O01 (ORM) or O23 (OMI)"
            )
        default:
            throw OrderMessageError.reject(
                .unsupportedMessageType, "MSH", 1, field: 9, "MSH-9 must be ORM^O01 or OMI^O23"
            )
        }
        let controlID = msh.value(10)
        guard !controlID.isEmpty else {
            throw OrderMessageError.reject(.requiredFieldMissing, "MSH", 1, field: 10, "MSH-10 (control ID) is empty")
        }
        guard controlID.count <= 199 else {
            throw OrderMessageError.reject(.dataTypeError, "MSH", 1, field: 10, "MSH-10 (control ID) is too long")
        }
        let processing = msh.value(11)
        guard ["P", "T", "D"].contains(processing) else {
            throw OrderMessageError.reject(
                .unsupportedProcessingID, "MSH", 1, field: 11, "MSH-11 (processing ID) must be P, T or D"
            )
        }
        let version = msh.value(12)
        guard Self.acceptsVersion(version, for: kind) else {
            throw OrderMessageError.reject(
                .unsupportedVersionID, "MSH", 1, field: 12,
                "MSH-12 version \(version.isEmpty ? "(empty)" : String(version.prefix(10))) is not accepted for \(kind.rawValue)"
            )
        }
        try OrderMessageStructure.check(message.segments, kind: kind)

        self.kind = kind
        self.controlID = controlID
        self.sendingApplication = msh.value(3)
        self.sendingFacility = msh.value(4)
        self.version = version
        self.message = message

        var reader = OrderSegmentReader(segments: message.segments)
        let pid = reader.pid
        (patient, patientIDAuthority) = try pid.map { try Self.patient(from: $0) } ?? (nil, "")
        visit = reader.pv1.map { pv1 in
            Visit(
                patientClass: pv1.value(2), location: pv1.value(3), referringDoctor: pv1.value(8),
                visitNumber: pv1.value(19)
            )
        }
        var events: [OrderEvent] = []
        for (index, group) in reader.orderGroups().enumerated() {
            events.append(try Self.event(group, number: index + 1, kind: kind, patient: patient))
        }
        self.events = events
    }

    /// The patient of PID: the MR identifier of PID-3 (else its first), PID-5, PID-7, PID-8.
    private static func patient(from pid: HL7Segment) throws -> (Patient, String) {
        let identifiers = pid.repetitions(3)
        let chosen = identifiers.first { pid.value(ofRepetition: $0, component: 5) == "MR" } ?? identifiers.first ?? ""
        let mrn = pid.value(ofRepetition: chosen, component: 1)
        guard !mrn.isEmpty else {
            throw OrderMessageError.error(.requiredFieldMissing, "PID", 1, field: 3, "PID-3 (patient identifier) is empty")
        }
        let family = pid.value(5, component: 1)
        guard !family.isEmpty else {
            throw OrderMessageError.error(.requiredFieldMissing, "PID", 1, field: 5, "PID-5 (family name) is empty")
        }
        let birth = pid.value(7, component: 1)
        guard birth.isEmpty || OrderTime.isDate(birth) else {
            throw OrderMessageError.error(
                .dataTypeError, "PID", 1, field: 7, "PID-7 (birth date) is not an HL7 date (YYYYMMDD)"
            )
        }
        let sexCode = pid.value(8)
        let sex: AdministrativeSex
        switch sexCode {
        case "F": sex = .female
        case "M": sex = .male
        case "O", "A", "N": sex = .other
        case "U", "": sex = .unknown
        default:
            throw OrderMessageError.error(
                .tableValueNotFound, "PID", 1, field: 8, "PID-8 (sex) is not a table 0001 value"
            )
        }
        let patient = Patient(
            mrn: mrn, familyName: family, givenName: pid.value(5, component: 2), birthDate: String(birth.prefix(8)),
            sex: sex
        )
        return (patient, pid.value(ofRepetition: chosen, component: 4))
    }

    /// The event of one ORC group.
    private static func event(
        _ group: OrderSegmentReader.OrderGroup, number: Int, kind: Kind, patient: Patient?
    ) throws -> OrderEvent {
        let orc = group.orc
        let orcNumber = group.orcSequence
        let controlCode = orc.value(1)
        guard !controlCode.isEmpty else {
            throw OrderMessageError.error(.requiredFieldMissing, "ORC", orcNumber, field: 1, "ORC-1 (order control) is empty")
        }
        guard let control = OrderEvent.Control(rawValue: controlCode) else {
            throw OrderMessageError.error(
                .tableValueNotFound, "ORC", orcNumber, field: 1,
                "ORC-1 order control \(controlCode.prefix(2)) is not supported (NW, CA, XO, SC)"
            )
        }
        guard let obr = group.obr else {
            throw OrderMessageError.error(.segmentSequenceError, "ORC", orcNumber, "order \(number) has no OBR segment")
        }
        let obrNumber = group.obrSequence
        if control == .new || control == .change, patient == nil {
            throw OrderMessageError.error(
                .segmentSequenceError, "ORC", orcNumber, "a new or changed order needs a PID segment"
            )
        }
        // Placer and filler numbers: ORC-2/3 and OBR-2/3 must agree when both are present.
        var numbers: [String] = []
        for field in [2, 3] {
            let fromORC = orc.value(field)
            let fromOBR = obr.value(field)
            if !fromORC.isEmpty, !fromOBR.isEmpty, fromORC != fromOBR {
                throw OrderMessageError.error(
                    .dataTypeError, "OBR", obrNumber, field: field,
                    "OBR-\(field) differs from ORC-\(field) (\(field == 2 ? "placer" : "filler") order number)"
                )
            }
            numbers.append(fromORC.isEmpty ? fromOBR : fromORC)
        }
        let ipc = group.ipcs.first
        let accession: String
        var accessionAt = (segment: "IPC", sequence: group.ipcSequence, field: 1)
        switch kind {
        case .omi:
            accession = ipc?.value(1) ?? ""
            guard !accession.isEmpty else {
                throw OrderMessageError.error(
                    .requiredFieldMissing, "IPC", group.ipcSequence, field: 1, "IPC-1 (accession identifier) is empty"
                )
            }
        case .orm:
            // IHE RAD-4: OBR-18 carries the accession; a RIS without it uses the filler order number.
            let field18 = obr.value(18)
            accession = field18.isEmpty ? numbers[1] : field18
            accessionAt = field18.isEmpty
                ? (orc.value(3).isEmpty ? ("OBR", obrNumber, 3) : ("ORC", orcNumber, 3)) : ("OBR", obrNumber, 18)
            guard !accession.isEmpty else {
                throw OrderMessageError.error(
                    .requiredFieldMissing, "OBR", obrNumber, field: 18,
                    "no accession: OBR-18 and the filler order number (ORC-3/OBR-3) are empty"
                )
            }
        }
        guard accession.count <= 64, !accession.contains(where: { $0.isNewline }) else {
            throw OrderMessageError.error(
                .dataTypeError, accessionAt.segment, accessionAt.sequence, field: accessionAt.field,
                "the accession is longer than 64 characters"
            )
        }
        let procedureCode = obr.value(4, component: 1)
        if procedureCode.isEmpty, control == .new || control == .change {
            throw OrderMessageError.error(
                .requiredFieldMissing, "OBR", obrNumber, field: 4, component: 1,
                "OBR-4 (universal service identifier) is empty"
            )
        }
        let priority = try Self.priority(group, orcNumber: orcNumber, obrNumber: obrNumber)
        let scheduled = try Self.scheduledTime(group, orcNumber: orcNumber, obrNumber: obrNumber)

        let modality: String
        if kind == .omi, let ipc {
            modality = ipc.value(5, component: 1)
        } else {
            modality = obr.value(24)
        }
        guard modality.count <= 16 else {
            throw OrderMessageError.error(.dataTypeError, "OBR", obrNumber, field: 24, "the modality is too long")
        }
        let reasonText = obr.value(31, component: 2).isEmpty ? obr.value(31, component: 1) : obr.value(31, component: 2)
        let ordering = Self.personName(obr, field: 16)
        let order = ImagingOrder(
            accession: accession,
            placerOrderNumber: numbers[0],
            fillerOrderNumber: numbers[1].isEmpty ? accession : numbers[1],
            patient: patient ?? Patient(mrn: "", familyName: "", givenName: "", birthDate: "", sex: .unknown),
            procedureCode: procedureCode,
            procedureName: obr.value(4, component: 2),
            procedureCodingSystem: obr.value(4, component: 3),
            modality: modality,
            orderingPhysician: ordering.isEmpty ? Self.personName(orc, field: 12) : ordering,
            reasonForExam: reasonText.isEmpty ? obr.value(13) : reasonText,
            priority: priority,
            scheduledAt: scheduled
        )
        return OrderEvent(
            control: control,
            order: order,
            orderStatus: orc.value(5),
            orderingProviderID: orc.value(12),
            clinicalInfo: obr.value(13),
            requestedProcedureID: kind == .omi ? (ipc?.value(2) ?? "") : obr.value(19),
            scheduledStepID: kind == .omi ? (ipc?.value(4) ?? "") : obr.value(20),
            studyInstanceUID: kind == .omi ? (ipc?.value(3) ?? "") : "",
            hasObservationRequest: true,
            orderControlSequence: orcNumber,
            accessionSegment: accessionAt.segment,
            accessionSequence: accessionAt.sequence,
            accessionField: accessionAt.field
        )
    }

    /// An XCN as readable text: `Family, Given (ID)`, or the ID alone.
    private static func personName(_ segment: HL7Segment, field: Int) -> String {
        let id = segment.value(field, component: 1)
        let family = segment.value(field, component: 2)
        let given = segment.value(field, component: 3)
        guard !family.isEmpty else { return id }
        let name = given.isEmpty ? family : "\(family), \(given)"
        return id.isEmpty ? name : "\(name) (\(id))"
    }

    /// Priority from TQ1-9, else OBR-27.6, else ORC-7.6 (table 0485: S stat, A asap, R routine, P preop, C callback,
    /// T timing critical). S is STAT; A and T are URGENT; the rest ROUTINE. Empty everywhere: ROUTINE.
    private static func priority(
        _ group: OrderSegmentReader.OrderGroup, orcNumber: Int, obrNumber: Int
    ) throws -> OrderPriority {
        var candidates: [(code: String, segment: String, sequence: Int, field: Int, component: Int)] = []
        if let tq1 = group.tq1 { candidates.append((tq1.value(9, component: 1), "TQ1", group.tq1Sequence, 9, 1)) }
        if let obr = group.obr { candidates.append((obr.value(27, component: 6), "OBR", obrNumber, 27, 6)) }
        candidates.append((group.orc.value(7, component: 6), "ORC", orcNumber, 7, 6))
        guard let found = candidates.first(where: { !$0.code.isEmpty }) else { return .routine }
        switch found.code.uppercased() {
        case "S", "STAT": return .stat
        case "A", "T", "ASAP", "URGENT": return .urgent
        case "R", "P", "C", "PRN", "ROUTINE": return .routine
        default:
            throw OrderMessageError.error(
                .tableValueNotFound, found.segment, found.sequence, field: found.field, component: found.component,
                "\(found.segment)-\(found.field) priority is not a table 0485 value"
            )
        }
    }

    /// The scheduled start: TQ1-7, else OBR-27.4, else ORC-7.4, else OBR-36; nil when none is given.
    private static func scheduledTime(
        _ group: OrderSegmentReader.OrderGroup, orcNumber: Int, obrNumber: Int
    ) throws -> Date? {
        var candidates: [(text: String, segment: String, sequence: Int, field: Int)] = []
        if let tq1 = group.tq1 { candidates.append((tq1.value(7, component: 1), "TQ1", group.tq1Sequence, 7)) }
        if let obr = group.obr { candidates.append((obr.value(27, component: 4), "OBR", obrNumber, 27)) }
        candidates.append((group.orc.value(7, component: 4), "ORC", orcNumber, 7))
        if let obr = group.obr { candidates.append((obr.value(36, component: 1), "OBR", obrNumber, 36)) }
        guard let found = candidates.first(where: { !$0.text.isEmpty }) else { return nil }
        guard let date = OrderTime.parse(found.text) else {
            throw OrderMessageError.error(
                .dataTypeError, found.segment, found.sequence, field: found.field,
                "\(found.segment)-\(found.field) is not an HL7 date/time (YYYYMMDD[HHMM[SS]][+/-ZZZZ])"
            )
        }
        return date
    }
}
