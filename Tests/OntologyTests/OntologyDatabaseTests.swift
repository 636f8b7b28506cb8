import Foundation
import Ontology
import ReportStore
import Testing
import TestSupport

@Suite struct OntologyDatabaseTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ontology-\(UUID().uuidString)/radscribe.sqlite").path
    }

    @Test func loadsSearchesAndShows() throws {
        let store = try OntologyDatabase.inMemory()
        #expect(try store.sync(withFile: OntologyFileTests.file))
        #expect(try store.conceptCount() == OntologyFileTests.bundled().count)

        let effusion = try #require(try store.search("pleural effusion").first)
        #expect(effusion.concept.preferredTerm == "pleural effusion")
        #expect(effusion.matchKind == .exact)

        // abbreviation, synonym, word prefix, case and punctuation do not matter
        #expect(try store.search("PICC").first?.concept.preferredTerm == "peripherally inserted central catheter")
        #expect(try store.search("kidney stone").first?.concept.preferredTerm == "nephrolithiasis")
        #expect(try store.search("Hydroneph").first?.concept.preferredTerm == "hydronephrosis")
        #expect(try store.search("pneumo", category: .finding).allSatisfy { $0.concept.category == .finding })
        #expect(try store.search("pneumo", limit: 3).count == 3)
        #expect(try store.search("zzzz-not-a-term").isEmpty)
        #expect(try store.search("  ").isEmpty)
        #expect(try store.search("RID58").first?.concept.preferredTerm == "liver")

        let liver = try #require(try store.concept(id: "RID58"))
        #expect(liver.radLex?.rid == "RID58")
        let shown = try #require(try store.concept(id: liver.id))
        #expect(try shown == OntologyFileTests.bundled()[liver.id])
        #expect(try store.children(of: liver.id).contains { $0.preferredTerm == "right lobe of liver" })
        #expect(try store.concept(id: "RS:999999") == nil)
        #expect(try store.ontology().count == store.conceptCount())
    }

    @Test func reloadsOnlyWhenTheFileChanges() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ontology-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("o.tsv")
        let header = OntologyFile.header.joined(separator: "\t")
        try (header + "\nRS:000001\tmass\tfinding\t\t\t\t\t\n").write(to: file, atomically: true, encoding: .utf8)
        let store = try OntologyDatabase(path: directory.appendingPathComponent("db.sqlite").path)
        #expect(try store.sync(withFile: file))
        #expect(try !store.sync(withFile: file))
        try (header + "\nRS:000001\tmass\tfinding\t\t\t\t\t\nRS:000002\tnodule\tfinding\tRS:000001\t\t\t\t\n")
            .write(to: file, atomically: true, encoding: .utf8)
        #expect(try store.sync(withFile: file))
        #expect(try store.conceptCount() == 2)
        #expect(try store.concept(id: "RS:000002")?.parentIDs == ["RS:000001"])
        // a broken file leaves the loaded ontology alone
        try "broken".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: OntologyError.self) { try store.sync(withFile: file) }
        #expect(try store.conceptCount() == 2)
    }

    /// The ontology's migrator and the report store's share one file without disturbing each other.
    @Test func coexistsWithTheReportStore() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        _ = try ReportDatabase(path: path)
        let ontology = try OntologyDatabase(path: path)
        try ontology.sync(withFile: OntologyFileTests.file)
        _ = try ReportDatabase(path: path)  // reopening migrates again with the ontology's migration present
        let again = try OntologyDatabase(path: path)
        #expect(try !again.sync(withFile: OntologyFileTests.file))
        #expect(try again.conceptCount() >= 1500)
    }
}
