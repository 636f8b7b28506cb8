import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A TCP address of an MLLP peer, written `HOST:PORT`.
public struct MLLPEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT` (`[v6addr]:PORT` for IPv6); nil when malformed.
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65535).contains(port)
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.init(host: host, port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Opens MLLP connections: one message out, one acknowledgement back, on the same socket; optionally over TLS.
public struct MLLPClient: Sendable {
    public var endpoint: MLLPEndpoint
    public var connectTimeout: TimeAmount
    public var maximumFrameSize: Int
    /// TLS for every connection (the handshake completes before ``withConnection(_:)`` runs its body); nil for
    /// plain TCP.
    public var tls: MLLPTLSContext?
    private let group: any EventLoopGroup

    public init(
        endpoint: MLLPEndpoint, connectTimeout: TimeAmount = .seconds(Int64(5)), maximumFrameSize: Int = 1 << 20,
        tls: MLLPTLSContext? = nil, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.endpoint = endpoint
        self.connectTimeout = connectTimeout
        self.maximumFrameSize = maximumFrameSize
        self.tls = tls
        self.group = group
    }

    /// Connects (and, with TLS, completes the handshake), runs `body` with the connection, then closes it (also
    /// when `body` throws).
    /// - Throws: ``MLLPError`` (`connectFailed`) when the peer cannot be reached or the TLS handshake fails (no
    ///   message bytes went out), or what `body` throws.
    public func withConnection<Result>(_ body: (inout MLLPConnection) async throws -> Result) async throws -> Result {
        let maximumFrameSize = maximumFrameSize
        let tls = tls
        let host = endpoint.host
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        let handshake: EventLoopFuture<Void>?
        do {
            (channel, handshake) = try await ClientBootstrap(group: group)
                .connectTimeout(connectTimeout)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(host: endpoint.host, port: endpoint.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        var handshake: EventLoopFuture<Void>?
                        if let tls {
                            let promise = channel.eventLoop.makePromise(of: Void.self)
                            try channel.pipeline.syncOperations.addHandler(try tls.clientHandler(host: host))
                            try channel.pipeline.syncOperations.addHandler(TLSHandshakeWaiter(promise: promise))
                            handshake = promise.futureResult
                        }
                        try channel.pipeline.syncOperations.addHandler(
                            ByteToMessageHandler(MLLPFrameDecoder(maximumFrameSize: maximumFrameSize))
                        )
                        try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(MLLPFrameEncoder()))
                        let wrapped = try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                        return (wrapped, handshake)
                    }
                }
        } catch {
            throw MLLPError.connectFailed(endpoint.description, Self.reason(error))
        }
        if let handshake {
            // A peer that accepts the connection but never finishes the handshake is given the connect timeout.
            let connection = channel.channel
            let timer = connection.eventLoop.scheduleTask(in: connectTimeout) { connection.close(promise: nil) }
            defer { timer.cancel() }
            do {
                try await handshake.get()
            } catch {
                try? await channel.channel.close()
                throw MLLPError.connectFailed(endpoint.description, "TLS handshake failed: \(Self.reason(error))")
            }
        }
        return try await channel.executeThenClose { inbound, outbound in
            var connection = MLLPConnection(
                channel: channel.channel, iterator: inbound.makeAsyncIterator(), outbound: outbound
            )
            return try await body(&connection)
        }
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? IOError { return error.description }
        if let error = error as? ChannelError, case .connectTimeout = error { return "connect timed out" }
        return String(describing: error)
    }
}

/// An open MLLP connection; confined to the task that opened it.
public struct MLLPConnection {
    let channel: any Channel
    var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    /// Sends one message and waits for the peer's reply frame.
    ///
    /// On a timeout the connection is closed (a late reply must never be taken for the next message's), so the
    /// caller reconnects before sending again.
    /// - Parameters:
    ///   - message: the message bytes, without framing.
    ///   - timeout: how long to wait for the reply.
    /// - Returns: the reply, without framing.
    /// - Throws: ``MLLPError`` `timeout`, `connectionClosed` or `frameTooLarge`.
    public mutating func exchange(_ message: ByteBuffer, timeout: TimeAmount) async throws -> ByteBuffer {
        let timedOut = NIOLockedValueBox(false)
        let channel = channel
        let timer = channel.eventLoop.scheduleTask(in: timeout) {
            timedOut.withLockedValue { $0 = true }
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        do {
            try await outbound.write(message)
            if let reply = try await iterator.next() { return reply }
        } catch let error as MLLPError {
            throw error
        } catch {
            if timedOut.withLockedValue({ $0 }) { throw MLLPError.timeout(seconds: timeout.seconds) }
            throw MLLPError(.connectionClosed, "connection lost before the acknowledgement: \(error)")
        }
        if timedOut.withLockedValue({ $0 }) { throw MLLPError.timeout(seconds: timeout.seconds) }
        throw MLLPError.connectionClosed
    }
}

extension TimeAmount {
    var seconds: Double { Double(nanoseconds) / 1e9 }

    /// A time amount from (fractional) seconds.
    public static func interval(_ seconds: Double) -> TimeAmount { .nanoseconds(Int64(seconds * 1e9)) }
}
