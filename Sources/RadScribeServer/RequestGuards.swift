import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Logs each request (debug level) by method and path only: query strings carry `?token=` on the dictation
/// WebSocket and search text (patient data) on `/api/search`, and neither belongs in a log.
struct RedactedRequestLog: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(
        _ request: Request, context: APIRequestContext, next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        context.logger.debug(
            "request", metadata: ["hb.request.method": "\(request.method)", "hb.request.path": "\(request.uri.path)"]
        )
        return try await next(request, context)
    }
}

/// Cross-site request forgery guard. A request that changes something (any method but GET, HEAD and OPTIONS) and
/// the dictation WebSocket upgrade must come from a page of this server: a browser's `Origin`, when sent, must name
/// the host the request was sent to (403 otherwise), and a body must be JSON (415 otherwise), which a foreign page
/// cannot send without a CORS preflight this server never grants. `SameSite=Strict` alone does not cover another
/// port of the same host. Scripts that send no `Origin` (curl, the CLI) are unaffected.
struct RequestOriginCheck: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(
        _ request: Request, context: APIRequestContext, next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        let changesState = ![.get, .head, .options].contains(request.method)
        let isDictation = request.uri.path == "/api/dictation"
        if changesState || isDictation {
            if let origin = request.headers[values: .origin].first(where: { !Self.isSameOrigin($0, as: request) }) {
                await Self.discardBody(request, context: context)
                throw APIError(.forbidden, "requests from another site are refused (Origin \(origin.prefix(100)))")
            }
        }
        if changesState, Self.hasBody(request), !Self.isJSON(request.headers[.contentType]) {
            await Self.discardBody(request, context: context)
            throw APIError(.unsupportedMediaType, "send the request body as application/json")
        }
        return try await next(request, context)
    }

    /// A browser's `Origin` is `http(s)://host[:port]` (or `null`); it must name the `Host` the request was sent to,
    /// port included: a page on another port of the same host is another origin. Other schemes (`ws://` from a
    /// WebSocket library) come from no browser, so from no page that could forge a request.
    static func isSameOrigin(_ origin: String, as request: Request) -> Bool {
        guard let separator = origin.range(of: "://") else { return false }  // "null" and garbage
        let scheme = origin[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return true }
        guard let host = request.head.authority, !host.isEmpty else { return false }
        return origin[separator.upperBound...].lowercased() == host.lowercased()
    }

    /// Reads a refused request's body to its end, so the next request on a kept-alive connection starts where it
    /// should (bounded by the upload limit; past it the connection is not worth keeping anyway).
    static func discardBody(_ request: Request, context: APIRequestContext) async {
        var request = request
        _ = try? await request.collectBody(upTo: context.maxUploadSize)
    }

    static func hasBody(_ request: Request) -> Bool {
        if let length = request.headers[.contentLength] { return Int(length).map { $0 > 0 } ?? true }
        return request.headers[.transferEncoding] != nil
    }

    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        return mediaType == "application/json"
    }
}

/// Paths with a NUL or another control character (`%00` decoded) are answered 404 before the static files are
/// looked up: a file name never contains one, and a path cut at the NUL would be served with the wrong type.
struct ControlCharacterPathGuard: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(
        _ request: Request, context: APIRequestContext, next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        let decoded = path.removingPercentEncoding ?? path
        if decoded.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw APIError(.notFound, "no such page")
        }
        return try await next(request, context)
    }
}
