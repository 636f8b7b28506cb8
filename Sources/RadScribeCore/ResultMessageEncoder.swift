import Foundation

/// Turns a report snapshot into the wire text of a result message for one destination.
///
/// The store (which knows nothing of HL7) calls it inside the transaction that enqueues a result, so the bytes a
/// destination receives are fixed at enqueue time and every resend is byte-identical.
public protocol ResultMessageEncoder: Sendable {
    /// A new message for `report`.
    /// - Parameters:
    ///   - report: the report as of the status change the RIS must hear of.
    ///   - destination: the destination's name (e.g. `host:port`); empty for the default route.
    ///   - time: when the message is made (MSH-7).
    /// - Returns: its control ID (MSH-10, unique per message) and its text (segments ended by CR, no framing).
    /// - Throws: when the report lacks what the message must carry (a patient name, an identifier): nothing that a
    ///   receiver's validator would refuse may be queued, so the status change is refused with it.
    func encode(_ report: ReportSnapshot, destination: String, at time: Date) throws -> EncodedResultMessage
}

/// A result message ready for the outbox.
public struct EncodedResultMessage: Sendable, Hashable {
    /// MSH-10: the receiver acknowledges with it (MSA-2) and de-duplicates by it.
    public var controlID: String
    /// The message text, without MLLP framing.
    public var payload: String

    public init(controlID: String, payload: String) {
        self.controlID = controlID
        self.payload = payload
    }
}

/// A result message that must not be made: a strict receiver would refuse it. The status change that needed it is
/// refused with it, and nothing is queued.
public struct ResultMessageRefusal: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// An error whose description is written for the person using RadScribe (what went wrong and what to do) and names
/// no internals: the server may show it as it is. Anything else is answered with a neutral message and logged.
public protocol UserFacingError: Error, CustomStringConvertible {}

extension ResultMessageRefusal: UserFacingError {}
