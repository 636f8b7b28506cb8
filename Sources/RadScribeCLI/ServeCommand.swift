import ArgumentParser
import Foundation
import Logging
import RadScribeServer
import ReportStore

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the RadScribe service (HTTP API; GET /health) until SIGTERM or Ctrl-C."
    )

    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "HTTP port (0 picks a free port; the port is printed once listening).")
    var port: Int = 8080

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() async throws {
        try await reportingErrors {
            var logger = Logger(label: "radscribe")
            logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
            let store = try database.open()
            logger.info("database open", metadata: ["db.path": "\(store.path)"])
            let server = RadScribeServer(
                database: store,
                configuration: ServerConfiguration(host: host, port: port),
                logger: logger
            )
            let host = host
            try await server.run { port in
                Console.write("radscribe serving on http://\(host):\(port)\n")
            }
            logger.info("shut down cleanly")
        }
    }
}
