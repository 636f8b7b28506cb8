import Foundation
import HL7
import Logging
import NIOCore
import ReportStore
import ServiceLifecycle

/// How a destination is delivered to.
public struct DeliveryPolicy: Sendable, Hashable {
    /// How long to wait for each acknowledgement.
    public var ackTimeout: Double
    /// How long to wait for a connection.
    public var connectTimeout: Double
    /// The first pause after a failed attempt; it doubles after each failure up to ``maximumBackoff``.
    public var initialBackoff: Double
    public var maximumBackoff: Double
    /// Give up (``DeliveryError/unreachable``) after this many failed attempts in a row; nil retries for ever.
    public var maximumFailures: Int?
    /// Return when the queue is empty and throw when it is blocked (a command-line drain), instead of waiting.
    public var stopsWhenDrained: Bool
    /// How often an idle or blocked queue is looked at again.
    public var pollInterval: Double
    /// The largest acknowledgement accepted.
    public var maximumFrameSize: Int
    /// Register the destination for good, so every later result is copied to it (a configured RIS of
    /// `radscribe serve`); a one-off drain leaves the routing as it is.
    public var registersDestination: Bool

    public init(
        ackTimeout: Double = 10, connectTimeout: Double = 5, initialBackoff: Double = 0.5, maximumBackoff: Double = 30,
        maximumFailures: Int? = nil, stopsWhenDrained: Bool = false, pollInterval: Double = 1,
        maximumFrameSize: Int = 1 << 20, registersDestination: Bool = true
    ) {
        self.ackTimeout = ackTimeout
        self.connectTimeout = connectTimeout
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.maximumFailures = maximumFailures
        self.stopsWhenDrained = stopsWhenDrained
        self.pollInterval = pollInterval
        self.maximumFrameSize = maximumFrameSize
        self.registersDestination = registersDestination
    }

    /// The pause after `failures` failed attempts in a row (1, 2, …): exponential, capped.
    public func backoff(afterFailures failures: Int) -> Double {
        min(maximumBackoff, initialBackoff * pow(2, Double(max(failures - 1, 0))))
    }
}

/// Why a drain stopped.
public struct DeliveryError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        /// The destination answered AE/AR; its queue is stopped at that message.
        case rejected
        /// The destination could not be reached (or did not acknowledge) after the allowed attempts.
        case unreachable
    }

    public let code: Code
    public let message: String
    /// The outbox row concerned.
    public let outboxID: Int64

    public var description: String { message }
}

/// What a drain did.
public struct DeliveryReport: Sendable, Hashable {
    /// Messages acknowledged with AA.
    public var sent = 0
    /// Send attempts that failed (timeouts, lost connections) and were retried.
    public var retries = 0
}

/// Delivers one destination's outbox queue over MLLP: one message in flight, strict FIFO, each message's stored
/// bytes resent unchanged until acknowledged.
///
/// - AA (or CA) with MSA-2 equal to the message's MSH-10 marks it `sent`, in the transaction that picks the next.
/// - AE/AR (CE/CR) mark it `failed` with MSA-3 (or ERR) as the reason; the queue stops behind it until
///   `radscribe hl7 retry ID` or `radscribe hl7 skip ID`.
/// - A timeout, a lost connection or a reply for another message closes the connection; after a pause that doubles
///   up to ``DeliveryPolicy/maximumBackoff`` the same bytes are sent again on a new connection.
/// - All state lives in SQLite: a restart carries on with the first message not acknowledged. A message whose ACK
///   was lost with a crash is sent again (same MSH-10), so receivers de-duplicate by MSH-10; a message recorded as
///   sent is never sent again.
///
/// Text format: the outbox holds each message once, in TX. For an FT destination (``MLLPDestination/textFormat``)
/// the stored bytes are rendered to FT at send time by ``ORUTextFormat``, a pure function of them, so every resend
/// is byte-identical with the same MSH-10. The format is recorded with a message (``OutboxMessage/textFormat``) once a
/// connection is up and before its bytes first leave for that destination: reconfiguring a destination changes the
/// format of messages that never went out to it, never the bytes of one that may already have left.
public struct MLLPDeliveryService: Service {
    public let database: ReportDatabase
    public let destinationConfiguration: MLLPDestination
    public let policy: DeliveryPolicy
    private let tls: MLLPTLSContext?
    private let logger: Logger

    /// - Parameters:
    ///   - database: the store whose `hl7_outbox` is delivered; give it a ``ReportDatabase/resultEncoder`` so rows
    ///     enqueued without one get their message before they are sent.
    ///   - destination: where and how; its `HOST:PORT` text names its queue.
    ///   - tls: the client TLS context, required when the destination uses TLS.
    /// - Throws: ``MLLPError`` (`tlsConfiguration`) when the destination uses TLS and `tls` is nil.
    public init(
        database: ReportDatabase, destination: MLLPDestination, tls: MLLPTLSContext? = nil,
        policy: DeliveryPolicy = .init(), logger: Logger
    ) throws {
        guard !destination.usesTLS || tls != nil else {
            throw MLLPError.tlsConfiguration("\(destination) uses TLS but no trust roots were configured")
        }
        self.database = database
        self.destinationConfiguration = destination
        self.policy = policy
        self.tls = destination.usesTLS ? tls : nil
        var logger = logger
        logger[metadataKey: "hl7.destination"] = "\(destination)"
        self.logger = logger
    }

    /// A plain TCP destination that is sent TX.
    public init(database: ReportDatabase, endpoint: MLLPEndpoint, policy: DeliveryPolicy = .init(), logger: Logger) {
        self.database = database
        self.destinationConfiguration = MLLPDestination(endpoint: endpoint)
        self.policy = policy
        self.tls = nil
        var logger = logger
        logger[metadataKey: "hl7.destination"] = "\(endpoint)"
        self.logger = logger
    }

    public var endpoint: MLLPEndpoint { destinationConfiguration.endpoint }

    /// The bytes to send for a message: its stored text in the format pinned to it.
    static func wireText(_ message: OutboxMessage) -> String {
        ORUTextFormat.render(message.payload, wireFormat: message.textFormat)
    }

    /// The queue name of this destination.
    public var destination: String { endpoint.description }

    /// Delivers until graceful shutdown (or, with ``DeliveryPolicy/stopsWhenDrained``, until the queue is empty).
    public func run() async throws {
        do {
            _ = try await deliver().get()
        } catch is CancellationError {}
    }

    /// Delivers the queue; see the type's documentation.
    /// - Returns: what was delivered, or the ``DeliveryError`` that stopped a drain.
    public func deliver() async throws -> Result<DeliveryReport, DeliveryError> {
        try await cancelWhenGracefulShutdown {
            try await deliverLoop()
        }
    }

    private func deliverLoop() async throws -> Result<DeliveryReport, DeliveryError> {
        let destination = destination
        let format = destinationConfiguration.wireFormat
        if policy.registersDestination { try database.registerDestination(destination) }
        try database.freezePendingMessages()
        var report = DeliveryReport()
        var failures = 0
        var head = try database.outboxHead(destination: destination, textFormat: format)
        var reportedBlock: Int64?
        let client = MLLPClient(
            endpoint: endpoint, connectTimeout: .interval(policy.connectTimeout),
            maximumFrameSize: policy.maximumFrameSize, tls: tls
        )
        while true {
            try Task.checkCancellation()
            switch head {
            case .empty:
                if policy.stopsWhenDrained { return .success(report) }
                try await Task.sleep(for: .seconds(policy.pollInterval))
                head = try database.outboxHead(destination: destination, textFormat: format)
                continue
            case .blocked(let message, let reason):
                let error = DeliveryError(
                    code: .rejected,
                    message: "message \(message.id) (MSH-10 \(message.controlID)) was rejected by \(destination): "
                        + "\(reason); its queue is stopped: `radscribe hl7 retry \(message.id)` resends it, "
                        + "`radscribe hl7 skip \(message.id)` passes it",
                    outboxID: message.id
                )
                if policy.stopsWhenDrained { return .failure(error) }
                if reportedBlock != message.id {
                    logger.warning(
                        "HL7 queue stopped by a rejected message",
                        metadata: ["hl7.outbox_id": "\(message.id)", "hl7.control_id": "\(message.controlID)"]
                    )
                    reportedBlock = message.id
                }
                try await Task.sleep(for: .seconds(policy.pollInterval))
                head = try database.outboxHead(destination: destination, textFormat: format)
                continue
            case .next:
                reportedBlock = nil
            }
            var current: OutboxMessage?
            do {
                try await client.withConnection { connection in
                    while case .next(var message) = head {
                        current = message
                        // Connected: the format is recorded before the message's bytes first leave.
                        message = try database.pinTextFormat(message, destination: destination)
                        let reply = try await connection.exchange(
                            ByteBuffer(string: Self.wireText(message)), timeout: .interval(policy.ackTimeout)
                        )
                        let ack = try MLLPAcknowledgement(parsing: String(buffer: reply))
                        guard ack.controlID == message.controlID else {
                            throw MLLPError.invalidAcknowledgement(
                                "MSA-2 \(ack.controlID) does not match MSH-10 \(message.controlID)"
                            )
                        }
                        failures = 0
                        if ack.isAccepted {
                            head = try database.markSent(
                                id: message.id, ackCode: ack.code, destination: destination, textFormat: format
                            )
                            report.sent += 1
                            logger.debug(
                                "HL7 message acknowledged",
                                metadata: ["hl7.outbox_id": "\(message.id)", "hl7.control_id": "\(message.controlID)"]
                            )
                        } else {
                            let reason = ack.reason.isEmpty ? ack.code : "\(ack.code): \(ack.reason)"
                            try database.markRejected(
                                id: message.id, ackCode: ack.code, reason: reason, destination: destination
                            )
                            head = try database.outboxHead(destination: destination, textFormat: format)
                        }
                    }
                }
            } catch let error where !(error is CancellationError) && !Task.isCancelled {
                guard let message = current ?? head.message else { throw error }
                guard error is MLLPError else { throw error }
                failures += 1
                report.retries += 1
                let connected = (error as? MLLPError)?.code != .connectFailed
                try database.recordAttemptFailure(id: message.id, error: String(describing: error), sent: connected)
                logger.info(
                    "HL7 delivery attempt failed",
                    metadata: [
                        "hl7.outbox_id": "\(message.id)", "hl7.control_id": "\(message.controlID)",
                        "hl7.failures": "\(failures)", "error": "\(error)",
                    ]
                )
                if let maximum = policy.maximumFailures, failures >= maximum {
                    return .failure(
                        DeliveryError(
                            code: .unreachable,
                            message: "\(destination) unreachable after \(failures) attempts (last: \(error)); "
                                + "message \(message.id) stays queued",
                            outboxID: message.id
                        )
                    )
                }
                try await Task.sleep(for: .seconds(policy.backoff(afterFailures: failures)))
                head = try database.outboxHead(destination: destination, textFormat: format)
            }
        }
    }
}

extension OutboxHead {
    var message: OutboxMessage? {
        switch self {
        case .empty: nil
        case .next(let message), .blocked(let message, _): message
        }
    }
}
