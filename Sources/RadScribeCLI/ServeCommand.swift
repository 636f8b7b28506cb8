import ArgumentParser
import Foundation
import HL7Inbound
import Logging
import MLLP
import NIOCore
import NIOPosix
import RadScribeCore
import RadScribeServer
import ReportStore
import ServiceLifecycle

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the RadScribe service (HTTP API; GET /health) until SIGTERM or Ctrl-C."
    )

    @Option(help: "Address to listen on. Any address but loopback needs --tls-cert (or --insecure-http).")
    var host: String = "127.0.0.1"

    @Option(help: "PEM certificate (chain, leaf first) for HTTPS; the session cookie is then Secure and HSTS is sent.")
    var tlsCert: String?

    @Option(help: "PEM private key of --tls-cert.")
    var tlsKey: String?

    @Flag(help: "Serve plain HTTP on a non-loopback --host: passwords and patient data then cross the network in clear.")
    var insecureHttp = false

    @Option(help: "Seconds a connection may stay silent, or take to send a request head, before it is closed.")
    var httpIdleTimeout: Int = 60

    @Option(help: "HTTP connections open at once; more are closed as they arrive.")
    var httpMaxConnections: Int = 512

    @Option(help: "Longest live dictation in seconds, as `dictate --max-seconds`.")
    var maxDictationSeconds: Double = DictationLimits.maximumSeconds

    @Option(help: "HTTP port (0 picks a free port; the port is printed once listening).")
    var port: Int = 8080

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    @Option(
        name: .customLong("ris"),
        help: ArgumentHelp(
            "Deliver HL7 results to this RIS over MLLP (repeatable): HOST:PORT[,tx|,ft][,ce|,cwe][,tls].",
            discussion: "ft sends report text as FT (\\.br\\ line breaks) instead of TX; cwe types coded findings CWE "
                + "(v2.6+) instead of CE (2.5.1); tls connects over TLS, "
                + "verified against --ris-ca."
        )
    )
    var risDestinations: [String] = []

    @Option(help: "PEM file of the certificates trusted for TLS RIS destinations (default: the system's roots).")
    var risCa: String?

    @Option(help: "Accept HL7 orders (ORM^O01, OMI^O23) over MLLP on this port (0 picks a free one).")
    var mllpPort: Int?

    @Option(help: "Address the MLLP listener binds to.")
    var mllpHost: String = "0.0.0.0"

    @Option(help: "Peers allowed to send orders: comma-separated addresses or CIDR ranges.")
    var mllpAllow: String = "127.0.0.1,::1"

    @Option(help: "PEM certificate (chain, leaf first) of the MLLP listener: orders are then accepted over TLS only.")
    var mllpTlsCert: String?

    @Option(help: "PEM private key of --mllp-tls-cert.")
    var mllpTlsKey: String?

    @Option(help: "Seconds an MLLP connection may send nothing before it is closed (the sender reconnects).")
    var mllpIdleTimeout: Int = 300

    @Option(help: "MLLP connections open at once; more are closed as they arrive.")
    var mllpMaxConnections: Int = 64

    @Option(help: "ALSA capture device of the reading-room microphone, for dictations the workstation starts with the server source.")
    var audioDevice: String = "default"

    @Flag(help: "Serve without live dictation (no speech models loaded); the WebSocket answers 503.")
    var noDictation = false

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var models: ModelOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535") }
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        if tlsCert == nil, !insecureHttp, !ServerConfiguration.isLoopback(host) {
            throw ValidationError(
                "--host \(host) would send passwords and patient data over the network in clear: give --tls-cert and "
                    + "--tls-key (HTTPS), or --insecure-http if a TLS proxy in front of RadScribe takes care of it"
            )
        }
        guard httpIdleTimeout > 0, mllpIdleTimeout > 0 else {
            throw ValidationError("--http-idle-timeout and --mllp-idle-timeout must be positive")
        }
        guard httpMaxConnections > 0, mllpMaxConnections > 0 else {
            throw ValidationError("--http-max-connections and --mllp-max-connections must be positive")
        }
        guard maxDictationSeconds > 0 else { throw ValidationError("--max-dictation-seconds must be positive") }
        for destination in risDestinations where MLLPDestination(parsing: destination) == nil {
            throw ValidationError("--ris must be HOST:PORT[,tx|,ft][,ce|,cwe][,tls], not '\(destination)'")
        }
        if risCa != nil, !risDestinations.contains(where: { MLLPDestination(parsing: $0)?.usesTLS == true }) {
            throw ValidationError("--ris-ca needs a --ris destination with ,tls")
        }
        if (mllpTlsCert == nil) != (mllpTlsKey == nil) {
            throw ValidationError("--mllp-tls-cert and --mllp-tls-key go together")
        }
        if mllpTlsCert != nil, mllpPort == nil { throw ValidationError("--mllp-tls-cert needs --mllp-port") }
        if let mllpPort, !(0...65535).contains(mllpPort) { throw ValidationError("--mllp-port must be 0…65535") }
        do {
            _ = try PeerAllowList(parsing: mllpAllow)
        } catch {
            throw ValidationError("--mllp-allow: \(error)")
        }
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
            if try store.users().allSatisfy({ !$0.hasPassword }) {
                Console.error(
                    "note: nobody can log in to the workstation yet; add a user with a password, e.g. "
                        + "`radscribe user add drsmith --role radiologist --password-stdin --db \(store.path)`"
                )
            }
            let server = RadScribeServer(
                database: store,
                configuration: ServerConfiguration(
                    host: host, port: port,
                    tls: tlsCert.map { ServerConfiguration.TLSFiles(certificateFile: $0, privateKeyFile: tlsKey ?? "") },
                    idleTimeout: .seconds(httpIdleTimeout), maximumConnections: httpMaxConnections,
                    maximumDictationSeconds: maxDictationSeconds
                ),
                dictation: noDictation ? nil : RecognizerDictationEngine(store: store, models: models, device: audioDevice),
                concepts: try BundledConceptLookup(),
                logger: logger
            )
            let host = host
            let destinations = risDestinations.compactMap(MLLPDestination.init(parsing:))
            let risTLS = try destinations.contains(where: \.usesTLS) ? MLLPTLSContext.client(trustRootsFile: risCa) : nil
            var services: [any Service] = try destinations.map { destination in
                try MLLPDeliveryService(database: store, destination: destination, tls: risTLS, logger: logger)
            }
            // Inbound orders get a thread of their own: however slow a message, the HTTP API's store calls never
            // wait behind it.
            let inboundThreads = NIOThreadPool(numberOfThreads: 1)
            inboundThreads.start()
            if let mllpPort {
                services.append(try orderListener(store: store, port: mllpPort, threads: inboundThreads, logger: logger))
            }
            let scheme = tlsCert == nil ? "http" : "https"
            do {
                try await server.run(services: services) { port in
                    Console.write("radscribe serving on \(scheme)://\(host):\(port)\n")
                }
            } catch {
                try? await inboundThreads.shutdownGracefully()
                throw error
            }
            try? await inboundThreads.shutdownGracefully()
            logger.info("shut down cleanly")
        }
    }

    /// The inbound order interface: ORM/OMI over MLLP into the worklist, answered with ACKs.
    private func orderListener(
        store: ReportDatabase, port: Int, threads: NIOThreadPool, logger: Logger
    ) throws -> MLLPListener {
        let processor = InboundOrderProcessor(database: store)
        let allowList = try PeerAllowList(parsing: mllpAllow)
        let hostText = mllpHost
        let tls = try mllpTlsCert.map { try MLLPTLSContext.server(certificateFile: $0, privateKeyFile: mllpTlsKey ?? "") }
        let scheme = tls == nil ? "mllp" : "mllps"
        let frameLimit = 1 << 20
        return MLLPListener(
            host: mllpHost,
            port: port,
            maximumFrameSize: frameLimit,
            maximumConnections: mllpMaxConnections,
            idleTimeout: .seconds(Int64(mllpIdleTimeout)),
            tls: tls,
            logger: logger,
            acceptsPeer: { allowList.allows($0) },
            onListening: { port in Console.write("radscribe accepting HL7 orders on \(scheme)://\(hostText):\(port)\n") },
            oversizedFrame: { head, _ in processor.rejectOversized(frameHead: head, limit: frameLimit) },
            handler: { message, _ in
                // Database writes block: keep them off the event loops, the cooperative pool and the HTTP API's threads.
                try? await threads.runIfActive { processor.process(bytes: message) }
            }
        )
    }
}
