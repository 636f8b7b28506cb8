import ArgumentParser
import Foundation
import Logging
import MLLP
import RadScribeCore
import ReportStore

extension HL7Command {
    /// `radscribe hl7 bench`: sustained delivery throughput and memory, against a loopback acknowledger.
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench",
            abstract: "Benchmark MLLP delivery: ORU messages per second with an ACK each, outbox in SQLite.",
            discussion: """
                Uses a scratch database (unless --db is given) holding one dictated report, queues --count copies \
                of its ORU^R01 per round (each frozen with its own MSH-10, as a status change would), then drains \
                them to --to, or to a built-in loopback acknowledger. Prints per-round rates and the process's \
                resident memory, so a long run (--rounds) shows whether memory grows.
                """
        )

        @Option(help: "Messages per round.")
        var count: Int = 20_000

        @Option(help: "Rounds (enqueue, then drain).")
        var rounds: Int = 3

        @Option(help: "Deliver to this HOST:PORT instead of the built-in acknowledger.")
        var to: String?

        @Option(name: .customLong("db"), help: "Database to use (default: a scratch file, removed afterwards).")
        var path: String?

        func validate() throws {
            guard count > 0, rounds > 0 else { throw ValidationError("--count and --rounds must be positive") }
            if let to, MLLPEndpoint(parsing: to) == nil { throw ValidationError("--to must be HOST:PORT") }
        }

        func run() async throws {
            try await reportingErrors {
                let scratch = FileManager.default.temporaryDirectory
                    .appendingPathComponent("radscribe-bench-\(ProcessInfo.processInfo.processIdentifier)")
                let dbPath = path ?? scratch.appendingPathComponent("bench.sqlite").path
                defer { if path == nil { try? FileManager.default.removeItem(at: scratch) } }
                var options = DatabaseOptions()
                options.path = dbPath
                let store = try options.open()
                let accession = "BENCH-\(Int(Date().timeIntervalSince1970))"
                try Self.makeReport(accession: accession, in: store)

                var responder: MLLPAckResponder?
                let endpoint: MLLPEndpoint
                if let to, let parsed = MLLPEndpoint(parsing: to) {
                    endpoint = parsed
                } else {
                    let started = try await MLLPAckResponder.start()
                    responder = started
                    endpoint = MLLPEndpoint(host: "127.0.0.1", port: started.port)
                }
                var logger = Logger(label: "radscribe.hl7.bench")
                logger.logLevel = .warning
                let service = MLLPDeliveryService(
                    database: store, endpoint: endpoint,
                    policy: DeliveryPolicy(ackTimeout: 5, maximumFailures: 5, stopsWhenDrained: true),
                    logger: logger
                )
                try store.registerDestination(service.destination)
                let payloadBytes = try ORUResultEncoder().encode(
                    try store.existingReport(accession: accession).snapshot, destination: "", at: Date()
                ).payload.utf8.count
                Console.write(
                    "bench: \(count) ORU^R01 (\(payloadBytes) bytes each) x \(rounds) rounds to \(endpoint), db \(dbPath)\n"
                )
                Console.write("start: rss \(Memory.residentMB()) MB\n")
                var totalSent = 0
                var totalSeconds = 0.0
                for round in 1...rounds {
                    let enqueueStart = ContinuousClock.now
                    try store.enqueueCurrentResult(accession: accession, copies: count)
                    let enqueueSeconds = (ContinuousClock.now - enqueueStart).seconds
                    let start = ContinuousClock.now
                    let outcome = try await service.deliver()
                    let seconds = (ContinuousClock.now - start).seconds
                    guard case .success(let report) = outcome else {
                        if case .failure(let error) = outcome { throw error }
                        return
                    }
                    totalSent += report.sent
                    totalSeconds += seconds
                    let line = String(
                        format: "round %d: enqueued %d in %.2f s (%.0f/s); delivered %d in %.2f s = %.0f msg/s "
                            + "(retries %d); rss %@ MB, peak %@ MB\n",
                        round, count, enqueueSeconds, Double(count) / enqueueSeconds, report.sent, seconds,
                        Double(report.sent) / seconds, report.retries, Memory.residentMB(), Memory.peakMB()
                    )
                    Console.write(line)
                }
                Console.write(
                    String(
                        format: "total: %d messages acknowledged in %.2f s = %.0f msg/s sustained\n", totalSent,
                        totalSeconds, Double(totalSent) / totalSeconds
                    )
                )
                try await responder?.stop()
            }
        }

        /// One dictated report with realistic section text.
        static func makeReport(accession: String, in store: ReportDatabase) throws {
            guard let slug = try store.templates().first?.slug else {
                throw CLIError(description: "no templates loaded", exitCode: ExitStatus.unavailable)
            }
            let order = ImagingOrder(
                accession: accession, placerOrderNumber: "P-\(accession)", fillerOrderNumber: accession,
                patient: Patient(mrn: "MRN-BENCH", familyName: "BENCH", givenName: "TEST", birthDate: "19700101", sex: .unknown),
                procedureCode: "CXR2V", procedureName: "XR Chest 2 Views", procedureCodingSystem: "L", modality: "CR",
                orderingPhysician: "ORDERING", reasonForExam: "cough"
            )
            let findings = String(
                repeating: "The lungs are clear without focal consolidation, effusion or pneumothorax. ", count: 10
            )
            let draft = DictatedDraft(
                accession: accession, templateSlug: slug,
                sections: [
                    ReportSection(
                        key: "findings", title: "Findings", loincCode: "18782-3", loincName: "Study observation",
                        text: findings
                    ),
                    ReportSection(
                        key: "impression", title: "Impression", loincCode: "19005-8", loincName: "Impression",
                        text: "No acute cardiopulmonary abnormality."
                    ),
                ],
                spokenWords: [:], audio: nil, author: "bench", source: "script", orderIfNew: order
            )
            _ = try store.saveDictation(draft)
        }
    }
}

/// This process's memory, from /proc/self/status.
enum Memory {
    static func residentMB() -> String { value("VmRSS:") }
    static func peakMB() -> String { value("VmHWM:") }

    private static func value(_ key: String) -> String {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key) }),
            let kb = Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return "?" }
        return String(format: "%.1f", kb / 1024)
    }
}

