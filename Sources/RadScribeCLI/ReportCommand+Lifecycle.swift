import ArgumentParser
import Foundation
import RadScribeCore
import ReportStore

/// `--as USER` for commands that only read: optional, so the local operator can still look (audited under the OS
/// account name).
struct ReaderOptions: ParsableArguments {
    @Option(
        name: .customLong("as"),
        help: "The user reading, held to that user's role (default: the OS account, audited)."
    )
    var user: String?
}

/// `--as USER` for commands that change a report: required, held to the user's role.
struct ActorOptions: ParsableArguments {
    @Option(name: .customLong("as"), help: "The user acting, held to that user's role (see `radscribe user list`).")
    var user: String
}

/// One section's new text, for `report edit` and `report correct`.
struct SectionTextOptions: ParsableArguments {
    @Option(help: "Key of the section to replace, e.g. findings or impression.")
    var section: String

    @Option(help: "The section's new written text.")
    var text: String

    /// `sections` with the chosen section's text replaced.
    func apply(to sections: [ReportSection]) throws -> [ReportSection] {
        guard let index = sections.firstIndex(where: { $0.key == section }) else {
            let keys = sections.map(\.key).joined(separator: ", ")
            throw CLIError(
                description: "the report has no section '\(section)' (sections: \(keys.isEmpty ? "none" : keys))",
                exitCode: ExitStatus.badInput
            )
        }
        var sections = sections
        sections[index].text = text
        return sections
    }
}

extension ReportCommand {
    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every version of a report: who, role, when, source and what changed."
        )

        @Argument(help: "Accession number.")
        var accession: String

        @OptionGroup var reader: ReaderOptions

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reportingErrors {
                let store = try database.open()
                let formatter = ISO8601DateFormatter()
                for version in try store.history(accession: accession, by: reader.user) {
                    let role = version.role.isEmpty ? "unregistered" : version.role
                    var line = "v\(version.number) \(version.status.rawValue) \(version.action) by \(version.author)"
                    line += " (\(role)) from \(version.source) at \(formatter.string(from: version.createdAt))"
                    if version.audioSeconds > 0 { line += String(format: ", audio %.1f s", version.audioSeconds) }
                    Console.write(line + "\n")
                    if !version.diff.isEmpty {
                        Console.write(version.diff.split(separator: "\n").map { "    \($0)\n" }.joined())
                    }
                }
            }
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace one section's text of a draft (a transcriptionist's edit completes a correction)."
        )

        @Argument(help: "Accession number.")
        var accession: String

        @OptionGroup var section: SectionTextOptions

        @Option(
            name: .customLong("based-on"),
            help: ArgumentHelp(
                "The version the edit was made on (`report show`); refused, exit 1, if another was saved since.",
                valueName: "version"
            )
        )
        var basedOn: Int?

        @OptionGroup var actor: ActorOptions

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reportingErrors {
                let store = try database.open()
                let report = try store.edit(accession: accession, by: actor.user, basedOn: basedOn) { current in
                    try section.apply(to: current.sections)
                }
                Console.write("saved \(report.accession) version \(report.versionNumber) (\(report.status.rawValue))\n")
            }
        }
    }

    struct SendForCorrection: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "send-for-correction", abstract: "Send a draft to a transcriptionist for correction."
        )

        @Argument(help: "Accession number.")
        var accession: String

        @OptionGroup var actor: ActorOptions

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reportingErrors {
                let report = try database.open().requestCorrection(accession: accession, by: actor.user)
                Console.write("\(report.accession) is \(report.status.rawValue)\n")
            }
        }
    }

    struct Addendum: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an addendum to a final report (a new version; the signed text is unchanged)."
        )

        @Argument(help: "Accession number.")
        var accession: String

        @Option(help: "The addendum's text.")
        var text: String

        @OptionGroup var actor: ActorOptions

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reportingErrors {
                let report = try database.open().addAddendum(accession: accession, text: text, by: actor.user)
                Console.write("addended \(report.accession) (version \(report.versionNumber))\n")
            }
        }
    }

    struct Correct: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Correct a final report: a new version sent to the RIS with result status C."
        )

        @Argument(help: "Accession number.")
        var accession: String

        @OptionGroup var section: SectionTextOptions

        @OptionGroup var actor: ActorOptions

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reportingErrors {
                let store = try database.open()
                let current = try store.existingReport(accession: accession)
                let report = try store.issueCorrection(
                    accession: accession, sections: try section.apply(to: current.sections), by: actor.user
                )
                Console.write("corrected \(report.accession) (version \(report.versionNumber))\n")
            }
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a report; the RIS hears of it.")

        @Argument(help: "Accession number.")
        var accession: String

        @OptionGroup var actor: ActorOptions

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reportingErrors {
                let report = try database.open().cancel(accession: accession, by: actor.user)
                Console.write("\(report.accession) is \(report.status.rawValue)\n")
            }
        }
    }

    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Full-text search over the newest text of every report.",
            discussion: "Every word must match (with stemming: effusions finds effusion); word* matches a prefix."
        )

        @Argument(help: "Words to find.")
        var query: String

        @Option(help: "Only reports in this status (repeatable).")
        var status: [ReportStatus] = []

        @Option(help: "Only this modality, e.g. CR, CT, MR.")
        var modality: String?

        @Option(help: "At most this many results.")
        var limit = 50

        @OptionGroup var reader: ReaderOptions

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reportingErrors {
                let hits = try database.open().search(
                    query, statuses: status.isEmpty ? nil : status, modality: modality, limit: limit, by: reader.user
                )
                for hit in hits {
                    Console.write("\(hit.accession)\t\(hit.status.rawValue)\t\(hit.modality)\t\(hit.snippet)\n")
                }
            }
        }
    }
}


