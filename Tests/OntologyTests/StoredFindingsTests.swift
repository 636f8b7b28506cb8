import Foundation
import Ontology
import RadScribeCore
import ReportStore
import Testing
import TestSupport

/// Coded findings are kept with each report version, coded by the real bundled ontology when the version is
/// written, and are what the HL7 snapshot carries.
@Suite("Coded findings stored per version")
struct StoredFindingsTests {
    static func section(_ key: String, _ text: String) -> ReportSection {
        ReportSection(key: key, title: key.capitalized, loincCode: nil, loincName: nil, text: text)
    }

    @Test("each version keeps the findings of its own text; the snapshot uses them")
    func findingsPerVersion() throws {
        let ontology = try OntologyFileTests.bundled()
        let coder = FindingCoder(ontology: ontology)
        let directory = try ProjectPaths.temporaryDirectory("stored-findings")
        var database = try ReportDatabase(path: directory.appendingPathComponent("db.sqlite").path)
        database.findingCoder = { coder.reportFindings(for: $0, in: ontology) }
        try database.addUser(name: "drsmith", role: .radiologist, password: nil, cost: 4)
        let html = try String(
            contentsOf: ProjectPaths.root.appendingPathComponent("Templates/chest-radiograph-2-views.html"), encoding: .utf8
        )
        try database.storeTemplate(slug: "chest", identifier: "urn:test:chest", title: "Chest", html: html)
        let order = ImagingOrder(
            accession: "F-1", placerOrderNumber: "F-1", fillerOrderNumber: "F-1",
            patient: Patient(mrn: "M1", familyName: "DOE", givenName: "JANE", birthDate: "", sex: .female),
            procedureCode: "CXR", procedureName: "Chest radiograph", procedureCodingSystem: "L", modality: "CR",
            orderingPhysician: "", reasonForExam: ""
        )
        _ = try database.saveDictation(
            DictatedDraft(
                accession: "F-1", templateSlug: "chest", sections: [
                    Self.section("findings", "No pleural effusion. Small left pneumothorax."),
                    Self.section("impression", "Possible pneumonia."),
                ], spokenWords: [:], audio: nil, author: "drsmith", source: "test", orderIfNew: order
            )
        )
        let draft = try database.existingReport(accession: "F-1")
        let byTerm = Dictionary(draft.findings.map { ($0.term.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byTerm["pleural effusion"]?.presence == .absent, "\(draft.findings)")
        #expect(byTerm["pneumothorax"]?.presence == .present)
        #expect(byTerm["pneumothorax"]?.laterality == .left)
        #expect(byTerm["pneumonia"]?.presence == .uncertain)
        #expect(draft.snapshot.findings == draft.findings)

        // An edit is a new version with its own findings; the first version keeps its own.
        let edited = try database.edit(
            accession: "F-1",
            sections: [Self.section("findings", "Small left pleural effusion."), Self.section("impression", "Effusion.")],
            by: "drsmith"
        )
        // What a write returns already carries the findings its version was coded with.
        #expect(edited.findings.contains { $0.term.lowercased() == "pleural effusion" && $0.presence == .present })
        let signed = try database.sign(accession: "F-1", by: "drsmith")
        #expect(signed.findings == edited.findings)
        let history = try database.versionFindings(accession: "F-1")
        #expect(history.count == 3)
        #expect(history[0].findings.contains { $0.term.lowercased() == "pneumothorax" })
        #expect(!history[1].findings.contains { $0.term.lowercased() == "pneumothorax" })
        #expect(history[2].findings == history[1].findings, "the signature keeps the signed text's findings")
        #expect(history[1].findings.contains { $0.term.lowercased() == "pleural effusion" && $0.presence == .present })

        // Without a coder (older databases, tools that do not load the ontology) versions simply keep none.
        let plain = try ReportDatabase(path: database.path)
        _ = try plain.addAddendum(accession: "F-1", text: "No pneumothorax.", by: "drsmith")
        #expect(try plain.existingReport(accession: "F-1").findings.isEmpty)
    }
}
