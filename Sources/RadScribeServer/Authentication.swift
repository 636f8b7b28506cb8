import Foundation
import HTTPTypes
import Hummingbird
import NIOPosix
import RadScribeCore
import ReportStore
import Synchronization

/// Resolves the session token of a request (the `radscribe_session` cookie the login sets, or
/// `Authorization: Bearer TOKEN` for scripts) to its user. It never refuses: each route decides who may use it.
struct SessionAuthenticator: RouterMiddleware {
    typealias Context = APIRequestContext
    static let cookieName = "radscribe_session"

    let database: ReportDatabase

    func handle(
        _ request: Request, context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let token = Self.token(in: request) {
            context.token = token
            let database = database
            context.user = try? await Blocking.run { try database.authenticate(token: token) }
        }
        return try await next(request, context)
    }

    static func token(in request: Request) -> String? {
        if let authorization = request.headers[.authorization], authorization.lowercased().hasPrefix("bearer ") {
            return String(authorization.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        }
        if let cookie = request.cookies[cookieName]?.value, !cookie.isEmpty { return cookie }
        // Browsers cannot set headers on a WebSocket upgrade; the cookie covers them, `?token=` covers scripts there
        // only: elsewhere a token in the URL would end up in logs and browser history.
        guard request.uri.path == "/api/dictation" else { return nil }
        return request.uri.queryParameters["token"].map(String.init)
    }
}

/// Who may use a route: the roles named, after logging in. Checked before the handler runs, and listed in the
/// OpenAPI file as `x-roles` (a test compares the two).
struct RouteAccess: Sendable, Hashable {
    var method: HTTPRequest.Method
    var path: String
    /// nil: anyone, without logging in.
    var roles: Set<UserRole>?

    static let everyone = Set(UserRole.allCases)
    static let readers: Set<UserRole> = [.radiologist, .resident, .transcriptionist, .administrator]
    static let dictating: Set<UserRole> = [.radiologist, .resident]
    static let editing: Set<UserRole> = [.radiologist, .resident, .transcriptionist]
    static let administration: Set<UserRole> = [.administrator]
}

extension APIRequestContext {
    /// The signed-in user when their role is among `roles`; 401 without a session, 403 for another role.
    func requireUser(in roles: Set<UserRole>) throws -> StoredUser {
        guard let user else { throw APIError.unauthenticated }
        guard roles.contains(user.role) else {
            throw APIError(
                .forbidden,
                "a \(user.role.rawValue) may not use this; it takes "
                    + roles.map(\.rawValue).sorted().joined(separator: ", ")
            )
        }
        return user
    }
}

/// Store calls block on SQLite: run them on NIO's thread pool, off the event loops and the cooperative pool.
enum Blocking {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }
}

/// Failed password logins per client address: past ``limit`` within ``window`` that address's logins are refused
/// (429) before any password is looked at, so that one client can neither guess on nor lock a radiologist out (the
/// store's account lock-out needs more failures than this). An attempt in progress holds a place, so parallel
/// guesses from one address are counted too.
final class LoginThrottle: Sendable {
    let limit: Int
    let window: Duration
    /// Per address: when each failure (or attempt still running) happened.
    private let attempts = Mutex<[String: [ContinuousClock.Instant]]>([:])
    /// Addresses remembered at most; the oldest are forgotten first (a bound on memory, not on safety).
    private static let maximumAddresses = 10_000

    init(limit: Int, window: Duration) {
        self.limit = limit
        self.window = window
    }

    /// A place for one attempt, or the time to wait when `address` has used up its failures.
    struct Ticket: Sendable {
        let address: String
        let at: ContinuousClock.Instant
    }

    func begin(_ address: String, now: ContinuousClock.Instant = .now) -> Result<Ticket, RetryAfter> {
        attempts.withLock { attempts in
            let recent = (attempts[address] ?? []).filter { now - $0 < window }
            if recent.count >= limit {
                attempts[address] = recent
                return .failure(RetryAfter(seconds: max(1, Int(((recent.min() ?? now) + window - now).components.seconds))))
            }
            if attempts[address] == nil, attempts.count >= Self.maximumAddresses {
                attempts = attempts.filter { $0.value.contains { now - $0 < window } }
            }
            attempts[address] = recent + [now]
            return .success(Ticket(address: address, at: now))
        }
    }

    /// The attempt succeeded: it gives its place back.
    func succeeded(_ ticket: Ticket) {
        attempts.withLock { attempts in
            guard var list = attempts[ticket.address], let index = list.firstIndex(of: ticket.at) else { return }
            list.remove(at: index)
            attempts[ticket.address] = list.isEmpty ? nil : list
        }
    }

    struct RetryAfter: Error {
        let seconds: Int
    }
}
