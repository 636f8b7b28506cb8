/// Why an HL7 message could not be read. Descriptions never contain message content (patient data).
///
/// Errors compare equal by kind: `error == .missingHeader` holds whatever the segment number.
public struct HL7Error: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case emptyMessage
        case missingHeader
        case invalidEncodingCharacters
        case invalidSegmentName
        case multipleMessages
        case missingAcknowledgment
    }

    private let code: Code
    /// The 1-based number of the offending segment, when the error concerns one.
    public let segmentNumber: Int?

    private init(_ code: Code, segmentNumber: Int? = nil) {
        self.code = code
        self.segmentNumber = segmentNumber
    }

    /// The input holds no segment at all.
    public static let emptyMessage = HL7Error(.emptyMessage)
    /// The first segment is not an MSH header.
    public static let missingHeader = HL7Error(.missingHeader)
    /// MSH-1/MSH-2 do not declare five distinct, non-alphanumeric delimiters.
    public static let invalidEncodingCharacters = HL7Error(.invalidEncodingCharacters)
    /// A segment name is not three upper-case letters or digits.
    public static let invalidSegmentName = HL7Error(.invalidSegmentName)
    /// A second MSH segment was found: the input holds more than one message.
    public static let multipleMessages = HL7Error(.multipleMessages)

    /// The message has no MSA segment with a known acknowledgment code.
    public static let missingAcknowledgment = HL7Error(.missingAcknowledgment)

    static func invalidSegmentName(at number: Int) -> HL7Error { HL7Error(.invalidSegmentName, segmentNumber: number) }
    static func multipleMessages(at number: Int) -> HL7Error { HL7Error(.multipleMessages, segmentNumber: number) }

    public static func == (lhs: HL7Error, rhs: HL7Error) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public var description: String {
        let text: String
        switch code {
        case .emptyMessage: text = "HL7 message is empty"
        case .missingHeader: text = "HL7 message does not start with an MSH segment"
        case .invalidEncodingCharacters: text = "HL7 message declares invalid delimiters in MSH-1/MSH-2"
        case .invalidSegmentName: text = "HL7 segment has an invalid name"
        case .multipleMessages: text = "HL7 input holds more than one message (a second MSH segment)"
        case .missingAcknowledgment: text = "HL7 message has no MSA segment with a known acknowledgment code"
        }
        guard let segmentNumber else { return text }
        return "\(text) (segment \(segmentNumber))"
    }
}
