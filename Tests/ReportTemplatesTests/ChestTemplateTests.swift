import RadScribeCore
import ReportTemplates
import Testing

@Suite("Bundled chest radiograph template")
struct ChestTemplateTests {
    let result: TemplateParseResult
    var template: ReportTemplate { result.template }

    init() throws {
        result = try ReportTemplate.parse(html: try TemplateFixtures.chestTemplateHTML())
    }

    @Test func parsesWithoutRepairs() {
        #expect(result.notes == [])
    }

    @Test func metadata() {
        #expect(template.identifier == "urn:radscribe:template:chest-radiograph-2-views")
        #expect(template.title == "Chest radiograph, two views")
        #expect(template.metadata.type == "IMAGE_REPORT_TEMPLATE")
        #expect(template.metadata.language == "en")
        #expect(template.metadata.date == "2026-11-29")
        #expect(template.metadata.creators == ["RadScribe project"])
        #expect(template.metadata.isTopLevel == true)
        #expect(template.metadata.status == "ACTIVE")
        #expect(template.codingSchemes.map(\.name) == ["RadLex", "LOINC"])
    }

    @Test func templateCodesAreVerifiedRadLexTerms() {
        #expect(template.codes.map(\.value) == ["RID10345", "RID1243", "RPID2503"])
        #expect(template.playbookProcedures.map(\.meaning) == ["XR Chest 2 Views"])
        #expect(template.codes.allSatisfy { $0.isRadLex })
        #expect(template.codes.first?.meaning == "projection radiography")
        #expect(template.codes.first?.schemeDesignator == TemplateCode.radLexDesignator)
    }

    @Test func sectionsInOrderWithLOINCCodes() {
        #expect(
            template.sections.map(\.key) == [
                "clinical-information", "comparison", "technique", "findings", "impression",
            ]
        )
        #expect(
            template.sections.map(\.name) == [
                "Clinical information", "Comparison", "Technique", "Findings", "Impression",
            ]
        )
        #expect(template.sections.map(\.loincCode) == ["55752-0", "18834-2", "55111-9", "18782-3", "19005-8"])
        #expect(template.section(forKey: "impression")?.loincName == "Radiology Imaging study [Impression] (narrative)")
        #expect(template.sections.map(\.isRequired) == [false, false, false, true, true])
        #expect(template.sections.allSatisfy { $0.header == $0.name })
    }

    @Test func findingsFields() throws {
        let findings = try #require(template.section(forKey: "findings"))
        #expect(
            findings.fields.map(\.label) == [
                "Lungs", "Pleura", "Heart and mediastinum", "Bones and soft tissues", "Lines and tubes",
            ]
        )
        #expect(findings.fields.map(\.kind) == [.text, .text, .selection, .text, .text])
        #expect(findings.fields.first?.signatureLatitude == .alert)
        let heart = findings.fields[2]
        #expect(heart.declaredType == "SELECTION_LIST")
        #expect(heart.options.count == 5)
        #expect(heart.options.filter(\.isSelected).map(\.value) == ["normal"])
        #expect(heart.defaultValue == "Normal heart size and mediastinal contours.")
        #expect(findings.fields.allSatisfy { $0.defaultValue?.isEmpty == false })
    }

    @Test func mergeAndSignatureFlags() throws {
        let clinical = try #require(template.section(forKey: "clinical-information")?.fields.first)
        #expect(clinical.isMergeField)
        #expect(clinical.defaultValue == nil || clinical.defaultValue == "")
        let impression = try #require(template.section(forKey: "impression")?.fields.first)
        #expect(impression.signatureLatitude == .prohibit)
    }

    @Test func normalTexts() {
        let texts = Dictionary(uniqueKeysWithValues: template.sections.map { ($0.key, $0.normalText) })
        #expect(texts["clinical-information"] == "")
        #expect(texts["comparison"] == "None.")
        #expect(texts["technique"] == "Frontal and lateral views of the chest.")
        #expect(
            texts["findings"] == """
                Lungs: Clear. No consolidation, edema, or mass.
                Pleura: No pleural effusion or pneumothorax.
                Heart and mediastinum: Normal heart size and mediastinal contours.
                Bones and soft tissues: No acute bone or soft tissue abnormality.
                Lines and tubes: None.
                """
        )
        #expect(texts["impression"] == "No acute disease in the chest.")
    }

    @Test func emptyAndNormalReports() {
        let empty = template.emptyReport()
        #expect(empty.map(\.key) == template.sections.map(\.key))
        #expect(empty.allSatisfy { $0.text.isEmpty })
        #expect(empty.map(\.loincCode) == ["55752-0", "18834-2", "55111-9", "18782-3", "19005-8"])
        #expect(empty.first?.title == "Clinical information")
        #expect(empty.first?.loincName == "Clinical information")

        let normal = template.normalReport()
        #expect(normal.map(\.key) == empty.map(\.key))
        #expect(normal.map(\.loincCode) == empty.map(\.loincCode))
        #expect(normal.last?.text == "No acute disease in the chest.")
        #expect(normal.first?.text == "")
    }

    /// Every word of the normal defaults must later get a pronunciation: keep them plain words.
    @Test func normalTextUsesPlainWords() {
        let text = template.normalReport().map(\.text).joined(separator: " ")
        let words = text.split(whereSeparator: { !$0.isLetter }).map { $0.lowercased() }
        #expect(!words.isEmpty)
        #expect(words.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isLetter } })
    }
}
