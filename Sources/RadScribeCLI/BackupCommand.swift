import ArgumentParser
import Foundation
import ReportStore

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Copy the database to a file with SQLite's online backup (safe while in use)."
    )

    @Argument(help: "The backup file to write.")
    var file: String

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try reportingErrors {
            try ReportDatabase(path: database.resolvedPath).backup(to: file)
            Console.write("backed up to \(file)\n")
        }
    }
}

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Replace the database with a backup (SQLite's online backup), then migrate it."
    )

    @Argument(help: "The backup file to read.")
    var file: String

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try reportingErrors {
            try ReportDatabase(path: database.resolvedPath).restore(from: file)
            Console.write("restored from \(file)\n")
        }
    }
}
