import ArgumentParser
import Foundation
import HL7
import Logging
import MLLP
import ReportStore

extension HL7Command {
    /// `radscribe hl7 queue`: the outbox with delivery state.
    struct Queue: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "queue",
            abstract: "List the HL7 outbox: state, attempts and last error of each result message.",
            discussion: """
                States: pending (waiting or being retried), sent (acknowledged AA), failed (rejected AE/AR: its \
                destination's queue is stopped until `hl7 retry ID` or `hl7 skip ID`), skipped.
                """
        )

        @Option(help: "Only this state: pending, sent, failed, skipped.")
        var state: OutboxState?

        @Option(help: "Only this destination (HOST:PORT).")
        var destination: String?

        @Option(help: "At most this many rows.")
        var limit: Int = 1000

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reportingErrors {
                let store = try database.open()
                let rows = try store.resultMessages(state: state, destination: destination, limit: limit)
                var lines = ["ID\tSTATE\tATTEMPTS\tDESTINATION\tACCESSION\tEVENT\tMSH-10\tLAST ERROR"]
                for row in rows {
                    lines.append(
                        [
                            "\(row.id)", row.state.rawValue, "\(row.attempts)", row.destination.isEmpty ? "-" : row.destination,
                            row.accession, "\(row.event)/\(row.resultStatus)", row.controlID ?? "-",
                            row.lastError ?? "",
                        ].joined(separator: "\t")
                    )
                }
                Console.write(lines.joined(separator: "\n") + "\n")
            }
        }
    }

    /// `radscribe hl7 retry ID`.
    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retry",
            abstract: "Put a rejected (or skipped) message back at its place in its queue; it is resent unchanged."
        )

        @Argument(help: "Outbox id (see `radscribe hl7 queue`).")
        var id: Int64

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reportingErrors {
                let row = try database.open().retryOutbox(id: id)
                Console.write("message \(row.id) (MSH-10 \(row.controlID ?? "-")) is pending again\n")
            }
        }
    }

    /// `radscribe hl7 skip ID`.
    struct Skip: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "skip",
            abstract: "Take a rejected or pending message out of its queue without sending it, unblocking the rest."
        )

        @Argument(help: "Outbox id (see `radscribe hl7 queue`).")
        var id: Int64

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reportingErrors {
                let row = try database.open().skipOutbox(id: id)
                Console.write("message \(row.id) (MSH-10 \(row.controlID ?? "-")) skipped\n")
            }
        }
    }

    /// `radscribe hl7 resend ACCESSION`.
    struct Resend: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resend",
            abstract: "Queue the current result of a report again, as a new message (new MSH-10)."
        )

        @Argument(help: "Accession number.")
        var accession: String

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reportingErrors {
                try database.open().enqueueCurrentResult(accession: accession)
                Console.write("queued the current result of \(accession)\n")
            }
        }
    }

    /// `radscribe hl7 deliver --to HOST:PORT`.
    struct Deliver: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "deliver",
            abstract: "Send the outbox to one destination over MLLP and exit when it is empty.",
            discussion: """
                Sends the messages routed to HOST:PORT and those on the default route (when no destination is \
                configured with `serve --ris`). One message at a time in queue order, each acknowledged (MSA-2 = MSH-10) before the next. A timeout \
                or dropped connection resends the identical bytes after a pause that doubles up to --max-backoff. \
                Exit 0 when the queue is empty; 1 when the destination rejects a message (AE/AR: the queue stops \
                there, see `hl7 queue`, `hl7 retry`, `hl7 skip`); 75 when it stays unreachable after --attempts. \
                Messages are stored in TX; --text ft sends them rendered as FT, the same bytes on every resend (a \
                message keeps the format it was first handed out in to a destination).
                """
        )

        @Option(help: "Destination HOST:PORT.")
        var to: String

        @Option(help: "Report text as tx (display lines) or ft (formatted text, \\.br\\ line breaks).")
        var text: String = "tx"

        @Option(help: "OBX-2 of coded findings: ce (HL7 2.5.1) or cwe (the v2.6+ name some receivers want).")
        var coded: String = "ce"

        @Flag(help: "Connect over TLS, verifying the destination's certificate (see --ca).")
        var tls = false

        @Option(help: "PEM file of the certificates trusted with --tls (default: the system's roots).")
        var ca: String?

        @Option(help: "Seconds to wait for each acknowledgement.")
        var timeout: Double = 10

        @Option(help: "Give up after this many failed attempts in a row (exit 75).")
        var attempts: Int = 8

        @Option(help: "First pause after a failure, seconds (doubles after each one).")
        var backoff: Double = 0.5

        @Option(help: "Longest pause between attempts, seconds.")
        var maxBackoff: Double = 30

        @Flag(help: "Log each attempt on stderr.")
        var verbose = false

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard MLLPEndpoint(parsing: to) != nil else { throw ValidationError("--to must be HOST:PORT") }
            guard ORUBuilder.ObservationFormat(option: text) != nil else { throw ValidationError("--text must be tx or ft") }
            guard ORUBuilder.CodedValueType(rawValue: coded.uppercased()) != nil else {
                throw ValidationError("--coded must be ce or cwe")
            }
            if ca != nil, !tls { throw ValidationError("--ca needs --tls") }
            guard timeout > 0, backoff >= 0, maxBackoff >= backoff else {
                throw ValidationError("--timeout must be positive and --max-backoff at least --backoff")
            }
            guard attempts >= 1 else { throw ValidationError("--attempts must be at least 1") }
        }

        func run() async throws {
            try await reportingErrors {
                guard let endpoint = MLLPEndpoint(parsing: to), let format = ORUBuilder.ObservationFormat(option: text)
                else { throw ValidationError("--to must be HOST:PORT and --text tx or ft") }
                let destination = MLLPDestination(
                    endpoint: endpoint, textFormat: format,
                    codedType: ORUBuilder.CodedValueType(rawValue: coded.uppercased()) ?? .ce, usesTLS: tls
                )
                let tlsContext = try tls ? MLLPTLSContext.client(trustRootsFile: ca) : nil
                let store = try database.open()
                var logger = Logger(label: "radscribe.hl7")
                logger.logLevel = verbose ? .debug : .warning
                let service = try MLLPDeliveryService(
                    database: store, destination: destination, tls: tlsContext,
                    policy: DeliveryPolicy(
                        ackTimeout: timeout, connectTimeout: min(timeout, 5), initialBackoff: backoff,
                        maximumBackoff: maxBackoff, maximumFailures: attempts, stopsWhenDrained: true,
                        registersDestination: false
                    ),
                    logger: logger
                )
                switch try await service.deliver() {
                case .success(let report):
                    Console.write("delivered \(report.sent) message(s) to \(endpoint) (\(report.retries) retries)\n")
                case .failure(let error):
                    throw CLIError(
                        description: error.description,
                        exitCode: error.code == .rejected ? ExitStatus.refused : ExitStatus.tempFail
                    )
                }
            }
        }
    }
}

extension OutboxState: ExpressibleByArgument {}
