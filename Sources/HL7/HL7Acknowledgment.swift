import Foundation

/// An HL7 acknowledgment (ACK): the accept/error/reject code, the control ID it answers, a text and an error.
///
/// Build one with ``message(respondingTo:sendingApplication:sendingFacility:controlID:at:timeZone:)`` to answer a
/// received message, or read one a peer sent with ``init(parsing:)``.
public struct HL7Acknowledgment: Sendable, Hashable {
    /// MSA-1 (HL7 table 0008); RadScribe answers in original mode (AA, AE, AR).
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// Application accept: the message was processed (or was a duplicate of one that was).
        case accept = "AA"
        /// Application error: the message was understood but its content is wrong; resending it will not help.
        case error = "AE"
        /// Application reject: the message cannot be processed (type, version, structure).
        case reject = "AR"
        /// Enhanced-mode commit codes, read from peers but never sent.
        case commitAccept = "CA"
        case commitError = "CE"
        case commitReject = "CR"

        /// AA or CA.
        public var isAccept: Bool { self == .accept || self == .commitAccept }
    }

    /// MSA-1.
    public var code: Code
    /// MSA-2: MSH-10 of the message acknowledged.
    public var controlID: String
    /// MSA-3: a short text (at most 80 characters are sent).
    public var text: String
    /// The ERR segment, for AE and AR.
    public var error: HL7ErrorDetail?

    /// Creates an acknowledgment.
    public init(code: Code, controlID: String, text: String = "", error: HL7ErrorDetail? = nil) {
        self.code = code
        self.controlID = controlID
        self.text = text
        self.error = error
    }

    /// The ACK message answering `original`.
    ///
    /// MSH-9 is `ACK^<trigger>^ACK` with the original's trigger event (R01, O01, O23…); MSH-3/4 are RadScribe,
    /// MSH-5/6 the original's sender; MSH-11 echoes the original's processing ID (P when it had none).
    /// - Parameters:
    ///   - original: the received message, or nil when it could not be parsed at all.
    ///   - sendingApplication: MSH-3.
    ///   - sendingFacility: MSH-4.
    ///   - controlID: MSH-10 of the ACK itself.
    ///   - time: MSH-7.
    ///   - timeZone: the zone whose offset MSH-7 carries.
    /// - Returns: the ACK message.
    public func message(
        respondingTo original: HL7Message?,
        sendingApplication: String = "RADSCRIBE",
        sendingFacility: String = "",
        controlID ackControlID: String,
        at time: Date,
        timeZone: TimeZone = .current
    ) -> HL7Message {
        let msh = original?.segment(named: "MSH")
        let trigger = msh?.value(9, component: 2) ?? ""
        let processing = msh?.value(11, component: 1) ?? ""
        var header = Array(repeating: "", count: 12)
        header[2] = HL7Escaping.escape(sendingApplication)
        header[3] = HL7Escaping.escape(sendingFacility)
        header[4] = msh.map { HL7Escaping.escape($0.value(3)) } ?? ""
        header[5] = msh.map { HL7Escaping.escape($0.value(4)) } ?? ""
        header[6] = HL7Timestamp.format(time, in: timeZone)
        header[8] = Self.isPlainCode(trigger) ? "ACK^\(trigger)^ACK" : "ACK"
        header[9] = HL7Escaping.escape(ackControlID)
        header[10] = ["P", "T", "D"].contains(processing) ? processing : "P"
        header[11] = "2.5.1"
        var msa = [code.rawValue, HL7Escaping.escape(controlID)]
        if !text.isEmpty { msa.append(HL7Escaping.escape(String(text.prefix(80)))) }
        var segments = [HL7Segment("MSH", fields: header), HL7Segment("MSA", fields: msa)]
        if let error { segments.append(HL7Segment("ERR", fields: error.fields)) }
        return HL7Message(segments: segments)
    }

    /// Reads the acknowledgment in an ACK message (any message with an MSA segment).
    /// - Throws: ``HL7Error`` when the text is no HL7 message or has no MSA segment or an unknown MSA-1.
    public init(parsing text: String) throws {
        try self.init(message: try HL7Message(parsing: text))
    }

    /// Reads the acknowledgment in a parsed message.
    /// - Throws: ``HL7Error/missingAcknowledgment`` when there is no MSA segment with a known MSA-1.
    public init(message: HL7Message) throws {
        guard let msa = message.segment(named: "MSA"), let code = Code(rawValue: msa.value(1)) else {
            throw HL7Error.missingAcknowledgment
        }
        self.init(code: code, controlID: msa.value(2), text: msa.value(3))
        if let err = message.segment(named: "ERR") { error = HL7ErrorDetail(segment: err) }
    }

    private static func isPlainCode(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 3 && text.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }
}

/// The ERR segment of an acknowledgment: what went wrong, where, how badly.
public struct HL7ErrorDetail: Sendable, Hashable, CustomStringConvertible {
    /// ERR-3, HL7 table 0357 (message error condition codes).
    public enum Condition: String, Sendable, Hashable, CaseIterable {
        case segmentSequenceError = "100"
        case requiredFieldMissing = "101"
        case dataTypeError = "102"
        case tableValueNotFound = "103"
        case unsupportedMessageType = "200"
        case unsupportedEventCode = "201"
        case unsupportedProcessingID = "202"
        case unsupportedVersionID = "203"
        case unknownKeyIdentifier = "204"
        case duplicateKeyIdentifier = "205"
        case applicationRecordLocked = "206"
        case applicationInternalError = "207"

        /// The table's text for the code.
        public var text: String {
            switch self {
            case .segmentSequenceError: "Segment sequence error"
            case .requiredFieldMissing: "Required field missing"
            case .dataTypeError: "Data type error"
            case .tableValueNotFound: "Table value not found"
            case .unsupportedMessageType: "Unsupported message type"
            case .unsupportedEventCode: "Unsupported event code"
            case .unsupportedProcessingID: "Unsupported processing id"
            case .unsupportedVersionID: "Unsupported version id"
            case .unknownKeyIdentifier: "Unknown key identifier"
            case .duplicateKeyIdentifier: "Duplicate key identifier"
            case .applicationRecordLocked: "Application record locked"
            case .applicationInternalError: "Application internal error"
            }
        }
    }

    /// ERR-4, HL7 table 0516.
    public enum Severity: String, Sendable, Hashable, CaseIterable {
        case error = "E"
        case warning = "W"
        case information = "I"
    }

    /// ERR-3.
    public var condition: Condition
    /// ERR-4.
    public var severity: Severity
    /// ERR-2.1: the segment at fault (e.g. `PID`), empty when the fault is not in one segment.
    public var segment: String
    /// ERR-2.2: which occurrence of that segment, from 1.
    public var sequence: Int?
    /// ERR-2.3: the field position.
    public var field: Int?
    /// ERR-2.5: the component position.
    public var component: Int?
    /// ERR-8: the reason in words (never patient data).
    public var message: String

    /// Creates an error detail.
    public init(
        condition: Condition, severity: Severity = .error, segment: String = "", sequence: Int? = nil,
        field: Int? = nil, component: Int? = nil, message: String
    ) {
        self.condition = condition
        self.severity = severity
        self.segment = segment
        self.sequence = sequence
        self.field = field
        self.component = component
        self.message = message
    }

    /// `PID-3`, `OBR-4.1`, or the segment name alone.
    public var location: String {
        guard !segment.isEmpty else { return "" }
        guard let field else { return segment }
        return "\(segment)-\(field)" + (component.map { ".\($0)" } ?? "")
    }

    public var description: String {
        location.isEmpty ? "\(condition.text): \(message)" : "\(condition.text) at \(location): \(message)"
    }

    /// ERR fields 1…8. ERR-3 carries code and text without a coding system: `HL70357` is the right name by table
    /// 0396's `HL7nnnn` rule, but strict validators (hl7apy 1.3.5) read that rule literally and warn.
    var fields: [String] {
        var location: [String] = []
        if !segment.isEmpty {
            location = [HL7Escaping.escape(segment), String(sequence ?? 1)]
            if let field {
                location.append(String(field))
                if let component {
                    location += ["1", String(component)]
                }
            }
        }
        return [
            "", location.joined(separator: "^"), "\(condition.rawValue)^\(condition.text)", severity.rawValue, "", "",
            "", HL7Escaping.escape(message),
        ]
    }

    init(segment err: HL7Segment) {
        condition = Condition(rawValue: err.value(3, component: 1)) ?? .applicationInternalError
        severity = Severity(rawValue: err.value(4)) ?? .error
        segment = err.value(2, component: 1)
        sequence = Int(err.value(2, component: 2))
        field = Int(err.value(2, component: 3))
        component = Int(err.value(2, component: 5))
        let userMessage = err.value(8)
        message = userMessage.isEmpty ? err.value(7) : userMessage
    }
}
