/// Why an order message was refused: the ACK code to answer and the ERR detail (segment, field, reason).
///
/// Descriptions name segments and fields, never their content (patient data).
public struct OrderMessageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// AR (cannot be processed: structure, type, version) or AE (content wrong).
    public var acknowledgment: HL7Acknowledgment.Code
    public var detail: HL7ErrorDetail

    public init(_ acknowledgment: HL7Acknowledgment.Code, _ detail: HL7ErrorDetail) {
        self.acknowledgment = acknowledgment
        self.detail = detail
    }

    public var description: String { "\(acknowledgment.rawValue): \(detail)" }

    static func reject(
        _ condition: HL7ErrorDetail.Condition, _ segment: String, _ sequence: Int?, field: Int? = nil,
        _ message: String
    ) -> OrderMessageError {
        OrderMessageError(
            .reject,
            HL7ErrorDetail(condition: condition, segment: segment, sequence: sequence, field: field, message: message)
        )
    }

    static func error(
        _ condition: HL7ErrorDetail.Condition, _ segment: String, _ sequence: Int, field: Int? = nil,
        component: Int? = nil, _ message: String
    ) -> OrderMessageError {
        OrderMessageError(
            .error,
            HL7ErrorDetail(
                condition: condition, segment: segment, sequence: sequence, field: field, component: component,
                message: message
            )
        )
    }
}
