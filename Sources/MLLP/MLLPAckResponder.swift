import NIOCore
import NIOPosix

/// A minimal MLLP receiver that answers every frame with `AA` for its MSH-10, without parsing further: a fast
/// loopback peer for benchmarks (`radscribe hl7 bench`). Not an interface engine: it stores nothing.
public final class MLLPAckResponder: Sendable {
    private let channel: any Channel
    /// The bound port.
    public let port: Int

    private init(channel: any Channel) {
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
    }

    /// Starts listening on `host:port` (0 picks a free port).
    public static func start(
        host: String = "127.0.0.1", port: Int = 0, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> MLLPAckResponder {
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(MLLPFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(MLLPFrameEncoder()))
                    try channel.pipeline.syncOperations.addHandler(AckHandler())
                }
            }
            .bind(host: host, port: port).get()
        return MLLPAckResponder(channel: channel)
    }

    /// Stops listening.
    public func stop() async throws {
        try await channel.close()
    }

    /// The ACK text for a message: MSA-1 AA, MSA-2 its MSH-10 (read as the 10th `|` field of the first segment).
    public static func acknowledgement(for message: ByteBuffer) -> String {
        let bytes = message.readableBytesView
        var field = 1
        var start = bytes.startIndex
        var controlID = Substring("")
        for index in bytes.indices {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\r") { break }
            if byte == UInt8(ascii: "|") {
                if field == 10 {
                    controlID = Substring(String(decoding: bytes[start..<index], as: UTF8.self))
                    break
                }
                field += 1
                start = index + 1
            }
        }
        return "MSH|^~\\&|ACKER||RADSCRIBE||20270101000000||ACK^R01^ACK|A\(controlID)|P|2.5.1\rMSA|AA|\(controlID)\r"
    }
}

private final class AckHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        let ack = MLLPAckResponder.acknowledgement(for: message)
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: ack)), promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
