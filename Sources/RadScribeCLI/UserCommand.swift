import ArgumentParser
import Foundation
import RadScribeCore
import ReportStore

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage users and their roles.",
        subcommands: [Add.self, List.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user.",
            discussion: """
                Roles: radiologist (attending; also `attending`), resident, transcriptionist, administrator, \
                interface (the RIS). A user without a password acts only through the local command line (--as); \
                the password, read from standard input, is stored as a bcrypt hash.
                """
        )

        @Argument(help: "Login name: letters, digits, '.', '_', '-'.")
        var name: String

        @Option(help: "radiologist, resident, transcriptionist, administrator or interface.")
        var role: UserRole

        @Flag(help: "Read the password from the first line of standard input.")
        var passwordStdin = false

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reportingErrors {
                var password: String?
                if passwordStdin {
                    guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                        throw CLIError(
                            description: "--password-stdin: standard input held no password", exitCode: ExitStatus.badInput
                        )
                    }
                    password = line
                }
                let user = try database.open().addUser(name: name, role: role, password: password)
                let passwordNote = user.hasPassword ? " with a password" : ""
                Console.write("added \(user.name) as \(user.role.rawValue)\(passwordNote)\n")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users: name, role, password, lock.")

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reportingErrors {
                let formatter = ISO8601DateFormatter()
                for user in try database.open().users() {
                    var line = "\(user.name)\t\(user.role.rawValue)\t\(user.hasPassword ? "password" : "no-password")"
                    if let until = user.lockedUntil, until > Date() {
                        line += "\tlocked until \(formatter.string(from: until))"
                    }
                    Console.write(line + "\n")
                }
            }
        }
    }
}

extension UserRole: ExpressibleByArgument {
    public init?(argument: String) { self.init(spelling: argument) }
}
