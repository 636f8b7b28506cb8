import ArgumentParser
import Foundation
import ReportStore

/// `radscribe bench store`: store latencies on a generated database (see BENCHMARKS.md).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks.",
        subcommands: [Store.self]
    )

    struct Store: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate reports into a database (if it has none) and time worklist, search, open and sign.",
            discussion: "Use a database of its own: `radscribe bench store --reports 1000000 --db /tmp/bench.sqlite`."
        )

        @Option(help: "Reports to generate when the database holds none yet.")
        var reports: Int = 1_000_000

        @Option(help: "Runs of each timed operation.")
        var samples: Int = 200

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard reports > 0, samples > 0 else { throw ValidationError("--reports and --samples must be positive") }
        }

        func run() throws {
            try reportingErrors {
                let store = try database.open()
                let existing = try store.rowCounts()["orders"] ?? 0
                if existing == 0 {
                    let start = ContinuousClock.now
                    try store.generateBenchmarkReports(count: reports) { done in
                        let seconds = (ContinuousClock.now - start).components.seconds
                        Console.error("generated \(done) / \(reports) reports (\(seconds) s)")
                    }
                    let elapsed = ContinuousClock.now - start
                    Console.write("generated \(reports) reports in \(elapsed.components.seconds) s\n")
                } else {
                    Console.error("the database already holds \(existing) orders: timing them")
                }
                Console.write(String(format: "database size: %.1f MB\n", Double(store.fileSize()) / 1_000_000))
                Console.write("operation\tsamples\tp50 ms\tp95 ms\tmax ms\n")
                for figure in try store.measureBenchmark(samples: samples) {
                    Console.write(
                        String(format: "%@\t%d\t%.2f\t%.2f\t%.2f\n", figure.operation, figure.samples, figure.p50,
                               figure.p95, figure.max)
                    )
                }
            }
        }
    }
}
