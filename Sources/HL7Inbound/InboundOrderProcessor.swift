import Foundation
import HL7
import RadScribeCore
import ReportStore

/// Applies inbound ORM^O01 / OMI^O23 messages to the worklist and answers each with an ACK.
///
/// Every message gets an answer and none can crash it: malformed, wrong type or version, out-of-order or unknown
/// segments, oversized → AR; content the worklist cannot use (missing patient id, unknown order, an order that
/// exists already) → AE; both with MSA-3 and an ERR naming the segment and field. A refused message changes nothing
/// in the database. A message applied before (same sender MSH-3/MSH-4 and MSH-10) is acknowledged AA and ignored.
/// The transport (MLLP listener) calls ``process(_:)`` once per frame.
public struct InboundOrderProcessor: Sendable {
    /// What happened to one message.
    public enum Outcome: Sendable, Hashable {
        /// Applied to the worklist (AA).
        case applied
        /// A duplicate of a message applied before (AA, nothing changed).
        case duplicate
        /// Refused (AE or AR, nothing changed), with the reason.
        case refused(HL7ErrorDetail)
    }

    /// The answer to one message.
    public struct Result: Sendable, Hashable {
        public var outcome: Outcome
        public var acknowledgment: HL7Acknowledgment
        /// The ACK message; `ack.er7` is what goes back to the sender.
        public var ack: HL7Message
    }

    public let database: ReportDatabase
    /// MSH-3 of the ACKs.
    public var sendingApplication: String
    /// MSH-4 of the ACKs.
    public var sendingFacility: String
    /// The zone whose offset ACK timestamps carry.
    public var timeZone: TimeZone

    /// Creates a processor writing to `database`.
    public init(
        database: ReportDatabase, sendingApplication: String = "RADSCRIBE", sendingFacility: String = "",
        timeZone: TimeZone = .current
    ) {
        self.database = database
        self.sendingApplication = sendingApplication
        self.sendingFacility = sendingFacility
        self.timeZone = timeZone
    }

    /// Processes one message and returns the ACK to send back (ER7, segments ended by CR, no framing).
    /// - Parameter message: the message text, without MLLP framing.
    /// - Returns: the ACK text: AA, AE or AR with MSA-2 = the message's MSH-10.
    public func process(_ message: String) -> String {
        handle(message).ack.er7
    }

    /// Processes one message received as bytes (an MLLP frame) and returns the ACK text.
    ///
    /// The bytes are read in the character set MSH-18 declares: ISO 8859-1 for `8859/1`, else UTF-8 (of which
    /// ASCII, HL7's default, is a subset). Bytes that are not valid in that character set are refused with AR rather
    /// than stored with replacement characters: an accession or a name must arrive exactly as it was sent.
    public func process(bytes: [UInt8], at time: Date = Date()) -> String {
        if Self.declaresLatin1(bytes) {
            return handle(String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) })), at: time).ack.er7
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let detail = HL7ErrorDetail(
                condition: .dataTypeError,
                message: "the message is not valid UTF-8; declare its character set in MSH-18 (8859/1 is accepted)"
            )
            let lossy = String(decoding: bytes, as: UTF8.self)
            return answer(try? HL7Message(parsing: lossy), .refused(detail), code: .reject, at: time).ack.er7
        }
        return handle(text, at: time).ack.er7
    }

    /// The AR for a message refused for its size before it was read, from its first bytes (for MSH-10).
    public func rejectOversized(frameHead: [UInt8], limit: Int, at time: Date = Date()) -> String {
        let head = String(decoding: frameHead, as: UTF8.self)
        let header = head.split(omittingEmptySubsequences: true) { $0 == "\r" || $0 == "\n" }.first.map(String.init)
        let detail = HL7ErrorDetail(
            condition: .applicationInternalError, message: "the message is larger than \(limit) bytes"
        )
        return answer(header.flatMap { try? HL7Message(parsing: $0) }, .refused(detail), code: .reject, at: time).ack.er7
    }

    /// True when MSH-18 names ISO 8859-1 (read from the raw bytes of the first segment).
    static func declaresLatin1(_ bytes: [UInt8]) -> Bool {
        guard bytes.count > 8, bytes.starts(with: Array("MSH".utf8)) else { return false }
        let separator = bytes[3]
        let header = bytes.prefix { $0 != 0x0D && $0 != 0x0A }
        // MSH-1 is the separator itself, so MSH-18 is the 17th piece after "MSH".
        let pieces = header.split(separator: separator, omittingEmptySubsequences: false)
        guard pieces.count > 17 else { return false }
        let charset = String(decoding: pieces[17], as: UTF8.self)
        return charset.split(separator: Character(Unicode.Scalar(bytes[5]))).first == "8859/1"
    }

    /// Processes one message; see ``process(_:)``.
    public func handle(_ text: String, at time: Date = Date()) -> Result {
        let parsed = try? HL7Message(parsing: text)
        let order: OrderMessage
        do {
            order = try OrderMessage(parsing: text)
        } catch let error as OrderMessageError {
            return answer(parsed, .refused(error.detail), code: error.acknowledgment, at: time)
        } catch {
            let detail = HL7ErrorDetail(condition: .applicationInternalError, message: "the message could not be read")
            return answer(parsed, .refused(detail), code: .reject, at: time)
        }
        let changes = order.events.map(Self.change)
        let sender = order.sendingApplication + "^" + order.sendingFacility
        do {
            let outcome = try database.applyInboundOrders(
                changes, sender: sender, controlID: order.controlID, messageType: order.kind.rawValue, at: time
            )
            return answer(order.message, outcome == .applied ? .applied : .duplicate, code: .accept, at: time)
        } catch let refusal as InboundOrderRefusal {
            let event = order.events[refusal.index]
            let detail: HL7ErrorDetail
            switch refusal.error.code {
            case .orderNotFound:
                detail = event.accessionError(.unknownKeyIdentifier, "no order with this accession")
            case .orderExists:
                detail = event.accessionError(.duplicateKeyIdentifier, "an order with this accession exists")
            case .illegalTransition, .notPermitted, .reportNotEditable, .alreadySigned:
                detail = event.orderControlError(
                    .applicationRecordLocked, "the order's report no longer allows \(event.control.rawValue)"
                )
            default:
                detail = HL7ErrorDetail(condition: .applicationInternalError, message: "the order could not be stored")
                return answer(order.message, .refused(detail), code: .reject, at: time)
            }
            return answer(order.message, .refused(detail), code: .error, at: time)
        } catch {
            // Storage trouble (disk full, busy): AR, so the sender keeps the message and someone looks at it.
            let detail = HL7ErrorDetail(condition: .applicationInternalError, message: "the worklist could not be stored")
            return answer(order.message, .refused(detail), code: .reject, at: time)
        }
    }

    /// The store change an event asks for.
    static func change(_ event: OrderEvent) -> InboundOrderChange {
        switch event.control {
        case .new: .create(event.order)
        case .change: .update(event.order)
        case .cancel: .cancel(accession: event.order.accession)
        case .statusChange: .statusChange(event.order, orderStatus: event.orderStatus)
        }
    }

    private func answer(
        _ original: HL7Message?, _ outcome: Outcome, code: HL7Acknowledgment.Code, at time: Date
    ) -> Result {
        let text: String
        let error: HL7ErrorDetail?
        switch outcome {
        case .applied: (text, error) = ("", nil)
        case .duplicate: (text, error) = ("duplicate message, already processed; ignored", nil)
        case .refused(let detail): (text, error) = (detail.description, detail)
        }
        let acknowledgment = HL7Acknowledgment(
            code: code, controlID: original?.controlID ?? "", text: text, error: error
        )
        let ack = acknowledgment.message(
            respondingTo: original, sendingApplication: sendingApplication, sendingFacility: sendingFacility,
            controlID: MessageControlID.generate(at: time), at: time, timeZone: timeZone
        )
        return Result(outcome: outcome, acknowledgment: acknowledgment, ack: ack)
    }
}
