import Foundation
import RadScribeCore
import ReportStore
import Testing
import TestSupport

@Suite("Report database")
struct ReportDatabaseTests {
    let path: String

    init() throws {
        path = try ProjectPaths.temporaryDirectory("store").appendingPathComponent("radscribe.sqlite").path
    }

    static let order = ImagingOrder(
        accession: "ACC1001", placerOrderNumber: "PL-77", fillerOrderNumber: "ACC1001",
        patient: Patient(mrn: "MRN5", familyName: "Doe", givenName: "Jane", birthDate: "19600101", sex: .female),
        procedureCode: "XR-CHEST-2V", procedureName: "Chest radiograph, two views", procedureCodingSystem: "L",
        modality: "CR", orderingPhysician: "", reasonForExam: "cough"
    )

    private func draft(_ findings: String, accession: String = "ACC1001", template: String = "chest") -> DictatedDraft {
        DictatedDraft(
            accession: accession,
            templateSlug: template,
            sections: [
                ReportSection(key: "findings", title: "Findings", loincCode: "18782-3", loincName: nil, text: findings),
                ReportSection(key: "impression", title: "Impression", loincCode: "19005-8", loincName: nil, text: "Normal."),
            ],
            spokenWords: ["findings": [RecognizedWord(text: "no", start: 0.1, end: 0.3, confidence: 0.97)]],
            audio: DictationAudio(sampleRate: 16000, sampleCount: 32000, wav: Data(repeating: 1, count: 64_044)),
            author: "drjones",
            source: "recognizer",
            orderIfNew: Self.order
        )
    }

    private func openWithTemplate() throws -> ReportDatabase {
        let database = try ReportDatabase(path: path)
        try database.storeTemplate(slug: "chest", identifier: "urn:t:chest", title: "Chest", html: "<html>v1</html>")
        try database.addUser(name: "drsmith", role: .radiologist, password: nil)
        try database.addUser(name: "drother", role: .radiologist, password: nil)
        return database
    }

    @Test("a dictation creates order, report, version and audio; all survive reopening the file")
    func storesDictation() throws {
        let database = try openWithTemplate()
        let receipt = try database.saveDictation(draft("No pneumothorax."))
        #expect(receipt.createdOrder)
        #expect(receipt.report.status == .draft)
        #expect(receipt.report.versionNumber == 1)

        let reopened = try ReportDatabase(path: path)
        let report = try #require(try reopened.report(accession: "ACC1001"))
        #expect(report.sections.first?.text == "No pneumothorax.")
        #expect(report.spokenWords["findings"]?.first?.text == "no")
        #expect(report.order == Self.order)
        #expect(abs(report.audioSeconds - 2.0) < 0.001)
        #expect(try reopened.latestAudio(accession: "ACC1001")?.wav.count == 64_044)
    }

    @Test("dictating again makes a new version; the order is not duplicated")
    func redictation() throws {
        let database = try openWithTemplate()
        _ = try database.saveDictation(draft("First."))
        let second = try database.saveDictation(draft("Second."))
        #expect(!second.createdOrder)
        #expect(second.report.versionNumber == 2)
        #expect(second.report.sections.first?.text == "Second.")
        let counts = try database.rowCounts()
        #expect(counts["orders"] == 1 && counts["reports"] == 1 && counts["report_versions"] == 2)
        let history = try database.history(accession: "ACC1001", by: "drsmith")
        #expect(history.map(\.number) == [1, 2])
        #expect(history[1].diff == "~ [-First.-]{+Second.+}")
        #expect(history[1].source == "recognizer" && history[1].author == "drjones")
    }

    @Test("signing makes the report final once; a second signature is refused and changes nothing")
    func signing() throws {
        let database = try openWithTemplate()
        _ = try database.saveDictation(draft("No effusion."))
        let signed = try database.sign(accession: "ACC1001", by: "drsmith")
        #expect(signed.status == .final && signed.signedBy == "drsmith")
        let before = try database.rowCounts()
        let error = try #require(throws: ReportStoreError.self) { try database.sign(accession: "ACC1001", by: "drother") }
        #expect(error.code == .alreadySigned)
        #expect(try database.rowCounts() == before)
        #expect(try database.report(accession: "ACC1001")?.signedBy == "drsmith")

        let redictate = try #require(throws: ReportStoreError.self) { try database.saveDictation(draft("Changed.")) }
        #expect(redictate.code == .reportNotEditable)
        #expect(try database.report(accession: "ACC1001")?.sections.first?.text == "No effusion.")
    }

    @Test("unknown template and unknown accession are refused without writing")
    func refusals() throws {
        let database = try openWithTemplate()
        let before = try database.rowCounts()
        let template = try #require(throws: ReportStoreError.self) { try database.saveDictation(draft("x", template: "nope")) }
        #expect(template.code == .templateNotFound)
        let missing = try #require(throws: ReportStoreError.self) { try database.sign(accession: "NOPE", by: "drsmith") }
        #expect(missing.code == .reportNotFound)
        #expect(try database.rowCounts() == before)
    }

    @Test("a template is versioned only when its text changes")
    func templateVersions() throws {
        let database = try openWithTemplate()
        #expect(try database.storeTemplate(slug: "chest", identifier: "urn:t:chest", title: "Chest", html: "<html>v1</html>").isNewVersion == false)
        let changed = try database.storeTemplate(slug: "chest", identifier: "urn:t:chest", title: "Chest", html: "<html>v2</html>")
        #expect(changed.isNewVersion && changed.template.version == 2)
        #expect(try database.templates().map(\.version) == [2])
    }
}
