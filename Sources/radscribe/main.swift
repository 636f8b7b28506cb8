import Foundation
import Logging
import RadScribeCLI

LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = .info
    return handler
}
await RadScribeCommand.main(arguments: Array(CommandLine.arguments.dropFirst()))
