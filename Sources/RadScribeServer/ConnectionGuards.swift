import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// Limits on each HTTP connection, enforced on its raw bytes before anything parses them: Hummingbird's own idle
/// timeout only starts once a first request head is complete (the WebSocket upgrade reads that head first), so a
/// client that sends half a request, or nothing, would otherwise hold a connection forever.
struct ConnectionLimits: Sendable {
    /// Open connections at most; more are closed on arrival.
    var maximumConnections: Int
    /// Closed: a connection that sends nothing for this long, and one whose first response has not been written this
    /// long after it opened (a request head dripped byte by byte, or too large to parse).
    var timeout: TimeAmount

    /// Connections open now, shared by every connection of one server.
    let open = NIOLockedValueBox(0)
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with WebSocket upgrades through `router`, optionally under TLS, with ``ConnectionLimits`` in front of
    /// every connection (in front of TLS, too).
    static func limited<Router: HTTPResponderBuilder>(
        webSocketRouter router: Router, configuration: HTTP1WebSocketUpgradeChannel.Configuration,
        tls: TLSConfiguration?, limits: ConnectionLimits
    ) -> HTTPServerBuilder where Router.Responder.Context: WebSocketRequestContext {
        let webSocketResponder = router.buildResponder()
        return .init { responder in
            let http = HTTP1WebSocketUpgradeChannel(
                responder: responder, webSocketResponder: webSocketResponder, configuration: configuration
            )
            if let tls {
                return LimitedChannel(base: try TLSChannel(http, tlsConfiguration: tls), limits: limits)
            }
            return LimitedChannel(base: http, limits: limits)
        }
    }
}

private struct LimitedChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value
    let base: Base
    let limits: ConnectionLimits

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let admitted = limits.open.withLockedValue { count in
                guard count < limits.maximumConnections else { return false }
                count += 1
                return true
            }
            guard admitted else {
                logger.notice("connection refused: \(limits.maximumConnections) connections are open")
                channel.close(promise: nil)
                throw ConnectionRefused()
            }
            let open = limits.open
            channel.closeFuture.whenComplete { _ in open.withLockedValue { $0 -= 1 } }
            try channel.pipeline.syncOperations.addHandlers([
                IdleStateHandler(readTimeout: limits.timeout), FirstResponseDeadline(limits.timeout),
            ])
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }.flatMap { value in
            // A request the HTTP parser cannot read (headers over 80 KB, garbage) is never answered: close it now
            // rather than leave it to the timeout. Last in the pipeline, where the parser's error arrives.
            channel.pipeline.addHandler(CloseOnParserError()).map { value }
        }
    }

    func handle(value: Base.Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

/// Thrown from a child channel's setup to close a connection over the limit.
private struct ConnectionRefused: Error {}

/// Closes the connection when it has been quiet for the idle timeout (``IdleStateHandler``), or when nothing has been
/// written back within the timeout of its opening: a request head that never completes.
private final class FirstResponseDeadline: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny

    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?

    init(_ timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        deadline?.cancel()
        deadline = nil
        context.write(data, promise: promise)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}

/// Closes the connection when the HTTP parser fails.
private final class CloseOnParserError: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = NIOAny

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is HTTPParserError {
            context.close(promise: nil)
        } else {
            context.fireErrorCaught(error)
        }
    }
}
