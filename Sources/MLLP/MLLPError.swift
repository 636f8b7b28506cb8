/// Why an MLLP exchange failed. Descriptions carry ids and addresses only, never message text.
public struct MLLPError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        /// A frame grew past the decoder's limit.
        case frameTooLarge
        /// No acknowledgement within the timeout.
        case timeout
        /// The peer closed the connection (or it broke) before acknowledging.
        case connectionClosed
        /// The connection could not be made (refused, unreachable, DNS).
        case connectFailed
        /// The reply is not an acknowledgement of the message sent.
        case invalidAcknowledgement
        /// TLS could not be set up: unreadable or mismatched certificate, key or trust roots.
        case tlsConfiguration
    }

    public let code: Code
    public let message: String
    /// For `frameTooLarge`: the first bytes of the refused frame (its MSH), so a receiver can still answer AR with
    /// the sender's MSH-10.
    public let frameHead: [UInt8]

    init(_ code: Code, _ message: String, frameHead: [UInt8] = []) {
        self.code = code
        self.message = message
        self.frameHead = frameHead
    }

    public var description: String { message }

    static func frameTooLarge(limit: Int, head: [UInt8] = []) -> MLLPError {
        MLLPError(.frameTooLarge, "MLLP frame exceeds \(limit) bytes", frameHead: head)
    }

    static func timeout(seconds: Double) -> MLLPError {
        MLLPError(.timeout, "no acknowledgement within \(seconds) s")
    }

    static let connectionClosed = MLLPError(.connectionClosed, "connection closed before the acknowledgement")

    static func connectFailed(_ address: String, _ reason: String) -> MLLPError {
        MLLPError(.connectFailed, "cannot connect to \(address): \(reason)")
    }

    static func tlsConfiguration(_ reason: String) -> MLLPError {
        MLLPError(.tlsConfiguration, "TLS configuration: \(reason)")
    }

    static func invalidAcknowledgement(_ reason: String) -> MLLPError {
        MLLPError(.invalidAcknowledgement, "invalid acknowledgement: \(reason)")
    }
}
