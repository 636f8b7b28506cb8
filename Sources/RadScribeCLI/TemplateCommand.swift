import ArgumentParser
import Foundation
import ReportStore

struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Report templates (IHE MRRT).",
        subcommands: [List.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the templates in the database, newest versions.")

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reportingErrors {
                let store = try database.open()
                for template in try store.templates() {
                    Console.write("\(template.slug)\tv\(template.version)\t\(template.title)\n")
                }
            }
        }
    }
}
