import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// An MLLP server: each frame received is handed to `handler`, and its answer goes back framed on the
/// same connection. Malformed or oversized frames close that one connection; nothing else is affected.
public struct MLLPListener: Service {
    /// Answers one message (the ACK text), or nil to close the connection without answering.
    public typealias Handler = @Sendable (_ message: String, _ peer: String) async -> String?

    public var host: String
    /// TCP port; 0 picks a free one, reported through `onListening`.
    public var port: Int
    public var maximumFrameSize: Int
    /// TLS on every connection (certificate and key of this listener); nil for plain TCP.
    public var tls: MLLPTLSContext?
    private let acceptsPeer: @Sendable (String) -> Bool
    private let handler: Handler
    private let onListening: @Sendable (Int) async -> Void
    private let logger: Logger

    public init(
        host: String,
        port: Int,
        maximumFrameSize: Int = 1 << 20,
        tls: MLLPTLSContext? = nil,
        logger: Logger,
        acceptsPeer: @escaping @Sendable (String) -> Bool = { _ in true },
        onListening: @escaping @Sendable (Int) async -> Void = { _ in },
        handler: @escaping Handler
    ) {
        self.host = host
        self.port = port
        self.maximumFrameSize = maximumFrameSize
        self.tls = tls
        self.logger = logger
        self.acceptsPeer = acceptsPeer
        self.onListening = onListening
        self.handler = handler
    }

    public func run() async throws {
        let maximumFrameSize = maximumFrameSize
        let tls = tls
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
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
        try await withGracefulShutdownHandler {
            try await server.executeThenClose { connections in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in connections {
                        group.addTask { await serve(connection) }
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
                for try await frame in inbound {
                    guard let answer = await handler(String(buffer: frame), peer) else { return }
                    try await outbound.write(ByteBuffer(string: answer))
                }
            }
        } catch {
            // A broken frame or a peer that hung up ends its own connection only.
            logger.info("MLLP connection closed", metadata: ["mllp.peer": "\(peer)", "mllp.reason": "\(error)"])
        }
    }
}
