import ArgumentParser
import Foundation
import ReportStore

/// `radscribe dictation`: live dictations interrupted before they became a draft (crash, `kill -9`, power cut).
struct DictationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dictation",
        abstract: "List, recover or discard interrupted live dictations.",
        discussion: """
            A live dictation (`dictate --device`) writes its audio to the database about once a second, so a crash \
            loses at most the last second. `recover` recognizes the kept audio into a draft, as \
            `radscribe dictate --resume --accession ACC` does (which can also record on from --device).
            """,
        subcommands: [List.self, Recover.self, Discard.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Interrupted dictations, newest first.")

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reportingErrors {
                let store = try ReportDatabase(path: database.resolvedPath)
                let formatter = ISO8601DateFormatter()
                for capture in try store.unfinishedCaptures() {
                    Console.write(
                        "\(capture.accession)\t\(capture.templateSlug)\t\(capture.author)\t"
                            + "\(formatter.string(from: capture.startedAt))\t"
                            + String(format: "%.1f s", capture.duration) + "\n"
                    )
                }
            }
        }
    }

    struct Recover: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recognize interrupted dictations into drafts (all of them, or one accession's)."
        )

        @Option(help: "Only this accession's interrupted dictation.")
        var accession: String?

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let captures = try reportingErrors {
                try ReportDatabase(path: database.resolvedPath).unfinishedCaptures(accession: accession)
            }
            if captures.isEmpty {
                Console.error("no interrupted dictation" + (accession.map { " of \($0)" } ?? ""))
                if accession != nil { throw ExitCode(ExitStatus.notFound) }
                return
            }
            // Oldest first, one per accession: resuming takes the newest of each.
            var seen: Set<String> = []
            for capture in captures.reversed() where seen.insert(capture.accession).inserted {
                var arguments = ["--resume", "--accession", capture.accession]
                if let path = database.path { arguments += ["--db", path] }
                let dictate = try DictateCommand.parse(arguments)
                try dictate.run()
            }
        }
    }

    struct Discard: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an accession's interrupted dictations.")

        @Argument(help: "Accession number.")
        var accession: String

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reportingErrors {
                let store = try ReportDatabase(path: database.resolvedPath)
                let captures = try store.unfinishedCaptures(accession: accession)
                guard !captures.isEmpty else {
                    throw CLIError(description: "no interrupted dictation of \(accession)", exitCode: ExitStatus.notFound)
                }
                for capture in captures { try store.discardCapture(id: capture.id) }
                Console.error("discarded \(captures.count) interrupted dictation(s) of \(accession)")
            }
        }
    }
}
