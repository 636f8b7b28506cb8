import Ontology
import Testing

@Suite struct FindingCoderTests {
    static let coder: FindingCoder = {
        // swift-format-ignore
        try! FindingCoder(ontology: OntologyFileTests.bundled())  // the bundled file is checked by OntologyFileTests
    }()

    struct Case: CustomTestStringConvertible, Sendable {
        var text: String
        var term: String
        var status: CodedFinding.Status
        var side: CodedFinding.Laterality?
        var testDescription: String { "\"\(text)\" → \(term): \(status)" }
        init(_ text: String, _ term: String, _ status: CodedFinding.Status, _ side: CodedFinding.Laterality? = nil) {
            self.text = text
            self.term = term
            self.status = status
            self.side = side
        }
    }

    static let cases: [Case] = [
        // negation before the finding
        Case("No pneumothorax.", "pneumothorax", .absent),
        Case("Pneumothorax.", "pneumothorax", .present),
        Case("There is a small right pneumothorax.", "pneumothorax", .present, .right),
        Case("No pleural effusion.", "pleural effusion", .absent),
        Case("No left pleural effusion.", "pleural effusion", .absent, .left),
        Case("The lungs are clear without focal consolidation.", "consolidation", .absent),
        Case("Negative for acute fracture.", "fracture", .absent),
        Case("No evidence of pulmonary embolism.", "pulmonary embolism", .absent),
        Case("The liver is free of focal lesions.", "focal lesion", .absent),
        Case("There is no evidence of acute intracranial hemorrhage.", "intracranial hemorrhage", .absent),
        Case("No pleural effusion, pneumothorax, or focal consolidation.", "consolidation", .absent),
        Case("No pleural effusion, pneumothorax, or focal consolidation.", "pneumothorax", .absent),
        Case("No new pleural effusion.", "pleural effusion", .absent),
        Case("No hydronephrosis bilaterally.", "hydronephrosis", .absent, .bilateral),
        // negation after the finding
        Case("Pneumothorax is not seen.", "pneumothorax", .absent),
        Case("Pleural effusion or pneumothorax is not identified.", "pleural effusion", .absent),
        Case("The previously seen left pneumothorax has resolved.", "pneumothorax", .absent, .left),
        // pseudo-negations: the finding is present
        Case("No change in the small left effusion.", "effusion", .present, .left),
        Case("No interval change in the right lower lobe nodule.", "nodule", .present, .right),
        Case("No significant interval increase in the size of the hepatic cyst.", "hepatic cyst", .present),
        Case("Unchanged small left pleural effusion.", "pleural effusion", .present, .left),
        // uncertainty
        Case("Possible pneumonia.", "pneumonia", .uncertain),
        Case("Findings may represent atelectasis.", "atelectasis", .uncertain),
        Case("Pneumonia cannot be excluded.", "pneumonia", .uncertain),
        Case("Cannot exclude a small pneumothorax.", "pneumothorax", .uncertain),
        Case("Suspicious for malignancy.", "malignant neoplasm", .uncertain),
        // the side of a finding named in an earlier clause is not carried over the comma
        Case("Opacity in the right lower lobe, likely atelectasis.", "atelectasis", .uncertain, nil),
        Case("Opacity in the right lower lobe, likely atelectasis.", "opacity", .present, .right),
        Case("Questionable nondisplaced fracture of the distal radius.", "nondisplaced fracture", .uncertain),
        Case("Consolidation concerning for pneumonia.", "pneumonia", .uncertain),
        Case("Consolidation concerning for pneumonia.", "consolidation", .present),
        // terminators end a cue's reach
        Case("No pneumothorax but there is a small left pleural effusion.", "pleural effusion", .present, .left),
        Case("No pneumothorax but there is a small left pleural effusion.", "pneumothorax", .absent),
        Case("No effusion; possible pneumonia.", "pneumonia", .uncertain),
        Case("Possible pneumonia, no effusion.", "effusion", .absent),
        Case("Possible pneumonia, no effusion.", "pneumonia", .uncertain),
        Case("A left effusion and the pneumothorax has resolved.", "effusion", .present, .left),
        // laterality
        Case("Bilateral pleural effusions.", "pleural effusion", .present, .bilateral),
        Case("Pleural effusions bilaterally.", "pleural effusion", .present, .bilateral),
        Case("Right and left pleural effusions.", "pleural effusion", .present, .bilateral),
        Case("Effusion on the left.", "effusion", .present, .left),
        Case("A 5 mm nodule in the right upper lobe.", "nodule", .present, .right),
        Case("Left lower lobe consolidation.", "consolidation", .present, .left),
        Case("Right-sided pneumothorax.", "pneumothorax", .present, .right),
        Case("Right effusion and left pneumothorax.", "pneumothorax", .present, .left),
        Case("Right effusion and left pneumothorax.", "effusion", .present, .right),
        Case("Small pleural effusion.", "pleural effusion", .present, nil),
        // plurals, abbreviations, hyphens
        Case("Multiple pulmonary nodules.", "pulmonary nodule", .present),
        Case("No DVT.", "deep venous thrombosis", .absent),
        Case("Non-displaced fracture of the fifth metatarsal.", "nondisplaced fracture", .present),
        Case("No hydroureteronephrosis or renal calculi.", "nephrolithiasis", .absent),
    ]

    @Test(arguments: cases)
    func codes(_ c: Case) throws {
        let findings = Self.coder.code(c.text)
        let finding = try #require(
            findings.first { $0.preferredTerm == c.term },
            "\(c.term) not found in \(findings.map(\.preferredTerm))"
        )
        #expect(finding.status == c.status, "cue: \(finding.cue ?? "none")")
        #expect(finding.laterality == c.side)
    }

    @Test func doesNotCodeWordsThatOnlyLookLikeFindings() {
        // "us"/"all"/"ms" are abbreviations only in capitals; section headers are not findings
        let findings = Self.coder.code("Findings: all of us reviewed the images in 3 ms.")
        #expect(findings.isEmpty, "\(findings.map(\.preferredTerm))")
    }

    @Test func keepsSentencesApartAndDecimalsTogether() {
        let findings = Self.coder.code("No pneumothorax. 2.5 cm right renal cyst.\nImpression: possible pneumonia")
        #expect(findings.map(\.preferredTerm) == ["pneumothorax", "renal cyst", "pneumonia"])
        #expect(findings.map(\.status) == [.absent, .present, .uncertain])
        #expect(findings.map(\.sentenceIndex) == [0, 1, 3])
        #expect(findings[1].laterality == .right)
    }

    @Test func recordsModifiersSiteAndCue() throws {
        let findings = Self.coder.code("No acute subdural hematoma. Mild right lower lobe atelectasis.")
        let hematoma = try #require(findings.first)
        #expect(hematoma.preferredTerm == "acute subdural hematoma")
        #expect(hematoma.cue == "no")
        let atelectasis = try #require(findings.last)
        #expect(atelectasis.modifiers == ["mild"])
        #expect(atelectasis.site == "right lower lobe")
        #expect(atelectasis.matchedText == "atelectasis")
    }
}
