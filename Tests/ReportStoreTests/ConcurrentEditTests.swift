import Foundation
import RadScribeCore
import ReportStore
import Testing
import TestSupport

/// Two editors on one report: an edit carries the version it was made on, and a stale one is refused, losing nothing.
@Suite("Report store: concurrent editors")
struct ConcurrentEditTests {
    let lifecycle: ReportStoreLifecycleTests

    init() throws { lifecycle = try ReportStoreLifecycleTests() }

    func draftReport() throws -> ReportDatabase {
        let database = try lifecycle.open()
        try database.addOrder(ReportStoreLifecycleTests.order("ACC1"), source: "manual")
        _ = try database.saveDictation(lifecycle.draft("Small left effusion."))
        return database
    }

    @Test("the second of two editors who loaded the same version is refused; the first one's text stays")
    func staleEditRefused() throws {
        let database = try draftReport()
        let loaded = try database.existingReport(accession: "ACC1")
        let first = try database.edit(
            accession: "ACC1", sections: ReportStoreLifecycleTests.sections("Small left effusion. No pneumothorax."),
            by: "drsmith", basedOn: loaded.versionNumber
        )
        #expect(first.versionNumber == loaded.versionNumber + 1)
        let second = try #require(throws: ReportStoreError.self) {
            try database.edit(
                accession: "ACC1", sections: ReportStoreLifecycleTests.sections("Large effusion."), by: "drres",
                basedOn: loaded.versionNumber
            )
        }
        #expect(second.code == .staleEdit)
        #expect(second.description.contains("version \(loaded.versionNumber)") && second.description.contains("nothing was saved"))
        let stored = try database.existingReport(accession: "ACC1")
        #expect(stored.versionNumber == first.versionNumber)
        #expect(stored.sections.first { $0.key == "findings" }?.text == "Small left effusion. No pneumothorax.")
    }

    @Test("editors racing on threads: exactly one edit per version wins, every other is refused, none is lost silently")
    func racingEditors() async throws {
        let database = try draftReport()
        let base = try database.existingReport(accession: "ACC1").versionNumber
        let outcomes = await withTaskGroup(of: Result<Int, any Error>.self) { group in
            for editor in 0..<8 {
                group.addTask {
                    Result {
                        try database.edit(
                            accession: "ACC1", sections: ReportStoreLifecycleTests.sections("Editor \(editor)."),
                            by: editor.isMultiple(of: 2) ? "drsmith" : "drres", basedOn: base
                        ).versionNumber
                    }
                }
            }
            var all: [Result<Int, any Error>] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        let saved = outcomes.compactMap { try? $0.get() }
        let refused = outcomes.compactMap { outcome -> ReportStoreError? in
            if case .failure(let error) = outcome { return error as? ReportStoreError } else { return nil }
        }
        #expect(saved == [base + 1], "one editor saves on version \(base): \(outcomes)")
        #expect(refused.count == 7 && refused.allSatisfy { $0.code == .staleEdit }, "\(refused)")
        #expect(try database.existingReport(accession: "ACC1").versionNumber == base + 1)
    }

    @Test("a merged edit reads the report in its own transaction: a change made on the newest version applies")
    func mergeInsideTheTransaction() throws {
        let database = try draftReport()
        _ = try database.edit(
            accession: "ACC1", sections: ReportStoreLifecycleTests.sections("Findings by the first editor.", impression: "First."),
            by: "drsmith"
        )
        let merged = try database.edit(accession: "ACC1", by: "drres") { current in
            current.sections.map { section in
                var section = section
                if section.key == "impression" { section.text = "Second." }
                return section
            }
        }
        #expect(merged.sections.first { $0.key == "findings" }?.text == "Findings by the first editor.")
        #expect(merged.sections.first { $0.key == "impression" }?.text == "Second.")
    }
}

