import Foundation
import Hummingbird
import Logging
import NIOCore
import ReportStore
import ServiceLifecycle
import UnixSignals

/// The long-running RadScribe service: the HTTP API over the report database.
/// It grows with later issues (HL7 listener, outbox delivery, web workstation) as further services.
public struct RadScribeServer: Sendable {
    private let database: ReportDatabase
    private let configuration: ServerConfiguration
    private let logger: Logger

    public init(database: ReportDatabase, configuration: ServerConfiguration, logger: Logger) {
        self.database = database
        self.configuration = configuration
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
        let app = Application(
            router: makeRouter(),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "RadScribe"
            ),
            onServerRunning: { channel in
                await onListening(channel.localAddress?.port ?? 0)
            },
            logger: logger
        )
        let group = ServiceGroup(
            configuration: .init(services: [app] + services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        try await group.run()
    }

    /// The routes, separate from the listener so tests can drive them in process.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        let database = database
        router.get("/health") { _, _ -> Response in
            let health: Health
            do {
                try await database.ping()
                health = Health(status: "ok", database: "ok")
            } catch {
                health = Health(status: "unavailable", database: String(describing: error))
            }
            let body = try JSONEncoder().encode(health)
            return Response(
                status: health.status == "ok" ? .ok : .serviceUnavailable,
                headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: body))
            )
        }
        return router
    }
}

struct Health: Codable, Sendable {
    var status: String
    var database: String
}
