import HL7

/// The parts of an HL7 ACK that delivery acts on.
public struct MLLPAcknowledgement: Sendable, Hashable {
    /// MSA-1: AA, AE or AR (original mode), CA, CE or CR (enhanced mode).
    public var code: String
    /// MSA-2: the MSH-10 of the acknowledged message.
    public var controlID: String
    /// MSA-3 text, else ERR-8 (user message), else ERR-3 (error code); empty when the peer gives no reason.
    public var reason: String

    /// Accepted: AA or CA.
    public var isAccepted: Bool { code == "AA" || code == "CA" }
    /// Rejected or in error: AE, AR, CE, CR.
    public var isRejected: Bool { ["AE", "AR", "CE", "CR"].contains(code) }

    /// Reads an ACK.
    /// - Throws: ``MLLPError`` (`invalidAcknowledgement`) when the text is no HL7 message or has no usable MSA.
    public init(parsing text: String) throws {
        let message: HL7Message
        do {
            message = try HL7Message(parsing: text)
        } catch {
            throw MLLPError.invalidAcknowledgement("not an HL7 message (\(error))")
        }
        guard let msa = message.segment(named: "MSA") else { throw MLLPError.invalidAcknowledgement("no MSA segment") }
        code = msa.value(1)
        controlID = msa.value(2)
        reason = ""
        guard isAccepted || isRejected else { throw MLLPError.invalidAcknowledgement("MSA-1 is '\(code)'") }
        var reason = msa.value(3)
        if reason.isEmpty, let err = message.segment(named: "ERR") {
            reason = err.value(8)
            if reason.isEmpty { reason = [err.value(3, component: 1), err.value(3, component: 2)]
                .filter { !$0.isEmpty }.joined(separator: " ") }
        }
        self.reason = reason
    }
}
