import ArgumentParser
import Foundation
import ReportStore

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Median turnaround (minutes) per radiologist and modality: order → dictated → signed final."
    )

    @Option(help: "Only reports signed in the last N days.")
    var days: Int?

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try reportingErrors {
            let since = days.map { Date().addingTimeInterval(-Double($0) * 86_400) }
            let figures = try database.open().turnaround(since: since)
            let format = { (value: Double?) in value.map { String(format: "%.1f", $0) } ?? "-" }
            Console.write("radiologist\tmodality\treports\torder→dictated\tdictated→signed\torder→signed\n")
            for figure in figures {
                let columns = [
                    figure.radiologist, figure.modality, String(figure.reports), format(figure.orderToDictatedMinutes),
                    format(figure.dictatedToSignedMinutes), format(figure.orderToSignedMinutes),
                ]
                Console.write(columns.joined(separator: "\t") + "\n")
            }
        }
    }
}
