import Foundation
import Hummingbird
import HummingbirdWebSocket
import ReportStore

/// The request context of every route: the user the session token belongs to, once ``SessionAuthenticator`` checked
/// it. The same context serves WebSocket upgrades, so live dictation is authenticated like any other route.
public struct APIRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>
    /// The signed-in user; nil when the request carried no valid session.
    public var user: StoredUser?
    /// The session token the request carried, for logout.
    var token: String?

    /// The client's IP address, for per-address limits (failed logins).
    var clientAddress: String?

    public init(source: Source) {
        coreContext = .init(source: source)
        webSocket = .init()
        clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Dates in request bodies are ISO 8601, as in responses.
    public var requestDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// Bodies are JSON edits of report text, never uploads: 1 MiB is ample.
    public var maxUploadSize: Int { 1 << 20 }
}
