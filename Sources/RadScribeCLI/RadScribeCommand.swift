import ArgumentParser

/// `radscribe`: offline speech-driven radiology reporting.
public struct RadScribeCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "radscribe",
        abstract: "Offline speech-driven radiology reporting: dictate, correct, sign, send to the RIS.",
        discussion: """
            Data lives in one SQLite file: --db PATH, else $RADSCRIBE_DB, else \(DatabaseOptions.defaultPathDescription).

            Exit codes: \(ExitStatus.summary)
            """,
        version: "0.1.0",
        subcommands: [
            TranscribeCommand.self,
            DictateCommand.self,
            DictationCommand.self,
            ReportCommand.self,
            HL7Command.self,
            FHIRCommand.self,
            TemplateCommand.self,
            GrammarCommand.self,
            OntologyCommand.self,
            LexiconCommand.self,
            ProfileCommand.self,
            ServeCommand.self,
            UserCommand.self,
            OrderCommand.self,
            WorklistCommand.self,
            StatsCommand.self,
            BackupCommand.self,
            RestoreCommand.self,
            BenchCommand.self,
        ]
    )

    public init() {}

    /// Runs the command line, after normalizing options that take an optional value.
    public static func main(arguments: [String]) async {
        await main(DictateCommand.normalizeDeviceOption(arguments))
    }
}
