import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle

/// An MLLP server: each frame received is handed to `handler`, and its answer goes back framed on the
/// same connection. A malformed frame closes that one connection; an oversized one is first answered through
/// `oversizedFrame` (AR to its MSH-10). Nothing else is affected.
///
/// Limits: at most `maximumConnections` open at once (more are closed on arrival), and a connection that sends
/// nothing for `idleTimeout` (idle, or stalled inside a frame) is closed. An interface engine reconnects on its own.
public struct MLLPListener: Service {
    /// Answers one message (the ACK text), or nil to close the connection without answering. The message is the
    /// frame's bytes: their character set is the handler's business (MSH-18).
    public typealias Handler = @Sendable (_ message: [UInt8], _ peer: String) async -> String?
    /// Answers a frame refused for its size, from its first bytes; nil closes without answering.
    public typealias OversizedFrameHandler = @Sendable (_ frameHead: [UInt8], _ peer: String) async -> String?

    public var host: String
    /// TCP port; 0 picks a free one, reported through `onListening`.
    public var port: Int
    public var maximumFrameSize: Int
    /// Connections open at once; more are closed as they arrive.
    public var maximumConnections: Int
    /// A connection that sends nothing for this long is closed.
    public var idleTimeout: TimeAmount
    /// TLS on every connection (certificate and key of this listener); nil for plain TCP.
    public var tls: MLLPTLSContext?
    private let acceptsPeer: @Sendable (String) -> Bool
    private let handler: Handler
    private let oversizedFrame: OversizedFrameHandler
    private let onListening: @Sendable (Int) async -> Void
    private let logger: Logger

    public init(
        host: String,
        port: Int,
        maximumFrameSize: Int = 1 << 20,
        maximumConnections: Int = 64,
        idleTimeout: TimeAmount = .seconds(300),
        tls: MLLPTLSContext? = nil,
        logger: Logger,
        acceptsPeer: @escaping @Sendable (String) -> Bool = { _ in true },
        onListening: @escaping @Sendable (Int) async -> Void = { _ in },
        oversizedFrame: @escaping OversizedFrameHandler = { _, _ in nil },
        handler: @escaping Handler
    ) {
        self.host = host
        self.port = port
        self.maximumFrameSize = maximumFrameSize
        self.maximumConnections = maximumConnections
        self.idleTimeout = idleTimeout
        self.tls = tls
        self.logger = logger
        self.acceptsPeer = acceptsPeer
        self.onListening = onListening
        self.oversizedFrame = oversizedFrame
        self.handler = handler
    }

    public func run() async throws {
        let (maximumFrameSize, tls, idleTimeout) = (maximumFrameSize, tls, idleTimeout)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: idleTimeout))
                    try channel.pipeline.syncOperations.addHandler(CloseWhenIdle())
                    if let tls { try channel.pipeline.syncOperations.addHandler(tls.serverHandler()) }
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(MLLPFrameDecoder(maximumFrameSize: maximumFrameSize))
                    )
                    try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(MLLPFrameEncoder()))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let boundPort = server.channel.localAddress?.port ?? port
        logger.info("MLLP listener open", metadata: ["mllp.port": "\(boundPort)", "mllp.tls": "\(tls != nil)"])
        await onListening(boundPort)
        let open = NIOLockedValueBox(0)
        let maximumConnections = maximumConnections
        try await withGracefulShutdownHandler {
            try await server.executeThenClose { connections in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in connections {
                        let admitted = open.withLockedValue { count in
                            guard count < maximumConnections else { return false }
                            count += 1
                            return true
                        }
                        guard admitted else {
                            logger.notice(
                                "MLLP connection refused: \(maximumConnections) connections are open",
                                metadata: ["mllp.peer": "\(connection.channel.remoteAddress?.ipAddress ?? "unknown")"]
                            )
                            // Closed through the async channel, which must finish its writer before it goes.
                            group.addTask { try? await connection.executeThenClose { _, _ in } }
                            continue
                        }
                        group.addTask {
                            await serve(connection)
                            open.withLockedValue { $0 -= 1 }
                        }
                    }
                }
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
        }
    }

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        let peer = connection.channel.remoteAddress?.ipAddress ?? "unknown"
        guard acceptsPeer(peer) else {
            logger.notice("MLLP connection refused: peer not on the allow-list", metadata: ["mllp.peer": "\(peer)"])
            try? await connection.channel.close()
            return
        }
        do {
            try await connection.executeThenClose { inbound, outbound in
                do {
                    for try await frame in inbound {
                        guard let answer = await handler(Array(frame.readableBytesView), peer) else { return }
                        try await outbound.write(ByteBuffer(string: answer))
                    }
                } catch let error as MLLPError where error.code == .frameTooLarge {
                    // Answer the refusal, then close: the rest of the stream is the refused frame's tail.
                    logger.notice("MLLP frame refused: too large", metadata: ["mllp.peer": "\(peer)"])
                    if let answer = await oversizedFrame(error.frameHead, peer) {
                        try await outbound.write(ByteBuffer(string: answer))
                    }
                }
            }
        } catch {
            // A broken frame or a peer that hung up ends its own connection only.
            logger.info("MLLP connection closed", metadata: ["mllp.peer": "\(peer)", "mllp.reason": "\(error)"])
        }
    }
}

/// Closes a connection when ``IdleStateHandler`` reports that it has been quiet too long.
private final class CloseWhenIdle: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
