import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOSSL
import ReportStore
import ServiceLifecycle
import UnixSignals

/// The long-running RadScribe service: the reading-room workstation (static pages, JSON API, live-dictation
/// WebSocket) over the report database, with further services (HL7 delivery, the order listener) beside it.
public struct RadScribeServer: Sendable {
    private let database: ReportDatabase
    private let configuration: ServerConfiguration
    private let dictation: (any DictationEngine)?
    private let concepts: (any ConceptLookup)?
    private let logger: Logger

    /// - Parameters:
    ///   - dictation: opens live dictations for the WebSocket; nil answers it with 503 (no models).
    ///   - concepts: the ontology lookup of `GET /api/ontology`; nil answers it with 503.
    public init(
        database: ReportDatabase, configuration: ServerConfiguration, dictation: (any DictationEngine)? = nil,
        concepts: (any ConceptLookup)? = nil, logger: Logger
    ) {
        self.database = database
        self.configuration = configuration
        self.dictation = dictation
        self.concepts = concepts
        self.logger = logger
    }

    /// Runs until SIGTERM or SIGINT, then shuts down gracefully.
    /// - Parameters:
    ///   - services: further long-running services (e.g. HL7 delivery per destination), run beside the HTTP app in
    ///     one `ServiceGroup`: started after it, shut down before it.
    ///   - onListening: called with the bound port once the server accepts connections.
    public func run(
        services: [any Service] = [], onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let app = try makeApplication(onListening: onListening)
        let group = ServiceGroup(
            configuration: .init(services: [app] + services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        try await group.run()
    }

    /// The HTTP application with WebSocket upgrades, not yet running (tests run it with HummingbirdTesting).
    /// - Throws: when the TLS certificate or key cannot be read.
    func makeApplication(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) throws -> some ApplicationProtocol {
        let router = makeRouter()
        let timeout = TimeAmount.seconds(configuration.idleTimeout.components.seconds)
        let server = HTTPServerBuilder.limited(
            webSocketRouter: router,
            configuration: .init(http1: .init(idleTimeout: timeout), ws: .init(maxFrameSize: 1 << 20)),
            tls: try configuration.tls.map(Self.tlsConfiguration),
            limits: ConnectionLimits(maximumConnections: configuration.maximumConnections, timeout: timeout)
        )
        return Application(
            router: router,
            server: server,
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "RadScribe"
            ),
            onServerRunning: { channel in
                await onListening(channel.localAddress?.port ?? 0)
            },
            logger: logger
        )
    }

    /// TLS 1.2 or newer with the certificate chain and key of `--tls-cert` / `--tls-key`.
    static func tlsConfiguration(_ files: ServerConfiguration.TLSFiles) throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(files.certificateFile)
            key = try NIOSSLPrivateKey(file: files.privateKeyFile, format: .pem)
        } catch {
            throw ServerSetupError(
                "cannot read the TLS certificate \(files.certificateFile) or key \(files.privateKeyFile): \(error)"
            )
        }
        guard !chain.isEmpty else { throw ServerSetupError("no PEM certificate in \(files.certificateFile)") }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key)
        )
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }

    /// The routes, separate from the listener so tests can drive them in process.
    public func makeRouter() -> Router<APIRequestContext> {
        makeRoutes().router
    }

    /// The router and who may use each API route (compared with openapi.yaml by the tests).
    func makeRoutes() -> (router: Router<APIRequestContext>, access: [RouteAccess]) {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: RedactedRequestLog())
        router.add(middleware: SecurityHeaders(strictTransportSecurity: configuration.tls != nil))
        router.add(middleware: RequestOriginCheck())
        router.add(middleware: ControlCharacterPathGuard())
        if let pages = Self.pagesDirectory {
            router.add(middleware: FileMiddleware(pages.path, searchForIndexHtml: true, logger: logger))
        }
        router.add(middleware: SessionAuthenticator(database: database))
        var routes = APIRouteBuilder(router: router)
        registerService(on: &routes)
        let throttle = LoginThrottle(
            limit: configuration.failedLoginsPerAddress, window: configuration.loginThrottleWindow
        )
        WorkstationAPI(database: database, loginThrottle: throttle, secureCookies: configuration.tls != nil)
            .register(on: &routes)
        registerDictation(on: &routes)
        registerOntology(on: &routes)
        return (router, routes.access)
    }

    /// The workstation's pages, bundled with this module.
    static var pagesDirectory: URL? {
        Bundle.module.resourceURL?.appendingPathComponent("Public", isDirectory: true)
    }

    private func registerService(on routes: inout APIRouteBuilder) {
        let database = database
        routes.add(.get, "/health", roles: nil) { _, _ in
            let health: Health
            do {
                try await database.ping()
                health = Health(status: "ok", database: "ok")
            } catch {
                health = Health(status: "unavailable", database: String(describing: error))
            }
            return try JSONResponse.make(health, status: health.status == "ok" ? .ok : .serviceUnavailable)
        }
        routes.add(.get, "/api/openapi.yaml", roles: nil) { _, _ in
            guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
                throw APIError(.notFound, "openapi.yaml is not bundled with this build")
            }
            return Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: try Data(contentsOf: url)))
            )
        }
    }

    private func registerOntology(on routes: inout APIRouteBuilder) {
        let concepts = concepts
        routes.add(.get, "/api/ontology", roles: RouteAccess.readers) { request, _ in
            guard let concepts else {
                throw APIError(.serviceUnavailable, "the ontology is not loaded on this server")
            }
            guard let text = request.uri.queryParameters["q"].map(String.init),
                !text.trimmingCharacters(in: .whitespaces).isEmpty
            else {
                throw APIError(.badRequest, "the lookup needs ?q=TERM, an id (RS:…) or a RadLex RID (RID…)")
            }
            let limit = min(max(request.uri.queryParameters["limit"].flatMap { Int($0) } ?? 20, 1), 200)
            let hits = try await Blocking.run { try concepts.search(text, limit: limit) }
            return try JSONResponse.make(["concepts": hits])
        }
    }

    private func registerDictation(on routes: inout APIRouteBuilder) {
        let (database, dictation, logger) = (database, dictation, logger)
        let maximumSeconds = configuration.maximumDictationSeconds
        let inProgress = DictationsInProgress()
        routes.webSocket(
            "/api/dictation", roles: RouteAccess.dictating,
            shouldUpgrade: { _, _ in
                guard dictation != nil else {
                    throw APIError(.serviceUnavailable, "live dictation is off: this server was started without speech models")
                }
            },
            onUpgrade: { inbound, outbound, context in
                guard let engine = dictation, let user = context.requestContext.user else { return }
                try await DictationSocket(
                    engine: engine, inProgress: inProgress, database: database, user: user, outbound: outbound,
                    logger: logger, maximumSeconds: maximumSeconds
                ).run(inbound)
            }
        )
    }
}

struct Health: Codable, Sendable {
    var status: String
    var database: String
}

/// Why the server could not start; the message says what to fix.
public struct ServerSetupError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// Offline pages from this server only: no inline scripts, no other origins. Every error, whoever threw it, is
/// answered as `{"error": "…"}`; under TLS every answer tells browsers to use HTTPS only (HSTS).
struct SecurityHeaders: RouterMiddleware {
    typealias Context = APIRequestContext
    var strictTransportSecurity = false

    func handle(
        _ request: Request, context: APIRequestContext, next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let failure = APIError.from(error)
            if let underlying = failure.underlying {
                context.logger.error("request failed", metadata: ["error": "\(underlying)", "path": "\(request.uri.path)"])
            }
            response = try failure.response(from: request, context: context)
        }
        if strictTransportSecurity {
            response.headers[HTTPField.Name("Strict-Transport-Security")!] = "max-age=31536000"
        }
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; "
            + "connect-src 'self'; frame-ancestors 'none'"
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return response
    }
}
