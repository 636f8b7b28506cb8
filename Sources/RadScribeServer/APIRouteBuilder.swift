import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import RadScribeCore

/// Registers API routes with who may use them, so that every route checks its roles the same way and the table can
/// be compared with the OpenAPI file.
struct APIRouteBuilder {
    let router: Router<APIRequestContext>
    private(set) var access: [RouteAccess] = []

    init(router: Router<APIRequestContext>) {
        self.router = router
    }

    /// - Parameters:
    ///   - path: Hummingbird syntax (`/api/reports/:accession`).
    ///   - roles: who may call it after logging in; nil for a public route.
    mutating func add(
        _ method: HTTPRequest.Method, _ path: String, roles: Set<UserRole>?,
        _ handler: @escaping @Sendable (Request, APIRequestContext) async throws -> Response
    ) {
        access.append(RouteAccess(method: method, path: path, roles: roles))
        router.on(RouterPath(path), method: method) { request, context -> Response in
            if let roles { _ = try context.requireUser(in: roles) }
            do {
                return try await handler(request, context)
            } catch {
                throw APIError.from(error)
            }
        }
    }

    mutating func webSocket(
        _ path: String, roles: Set<UserRole>,
        shouldUpgrade: @escaping @Sendable (Request, APIRequestContext) async throws -> Void,
        onUpgrade: @escaping WebSocketDataHandler<WebSocketRouterContext<APIRequestContext>>
    ) {
        access.append(RouteAccess(method: .get, path: path, roles: roles))
        router.ws(
            RouterPath(path),
            shouldUpgrade: { request, context in
                _ = try context.requireUser(in: roles)
                try await shouldUpgrade(request, context)
                return .upgrade([:])
            },
            onUpgrade: onUpgrade
        )
    }
}
