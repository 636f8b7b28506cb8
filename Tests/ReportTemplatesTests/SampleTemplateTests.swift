import RadScribeCore
import ReportTemplates
import Testing
import TestSupport

/// The four real RSNA RadReport templates in `../shared/mrrt-samples`, which deviate from MRRT in real ways.
@Suite("Real RSNA MRRT samples", .needsShared)
struct SampleTemplateTests {
    struct Sample: Sendable, CustomTestStringConvertible {
        var file: String
        var identifier: String
        var title: String
        var codeCount: Int
        var textareas: Int
        var testDescription: String { file }
    }

    static let samples: [Sample] = [
        Sample(
            file: "CT_Brain.html",
            identifier: "http://www.radreport.org/template/0000004",
            title: "CT Brain",
            codeCount: 26,
            textareas: 3
        ),
        Sample(
            file: "MR_Brain.html",
            identifier: "http://www.radreport.org/template/0000045",
            title: "MR Brain",
            codeCount: 32,
            textareas: 4
        ),
        Sample(
            file: "US_Abdomen_RSNA.html",
            identifier: "http://www.radreport.org/template/0000087",
            title: "US Abdomen",
            codeCount: 50,
            textareas: 3
        ),
        Sample(
            file: "Chest_Xray-2_Views.html",
            identifier: "http://www.radreport.org/template/0000144",
            title: "Chest Xray - 2 Views",
            codeCount: 3,
            textareas: 3
        ),
    ]

    static func parse(_ file: String) throws -> TemplateParseResult {
        try ReportTemplate.parse(html: try TemplateFixtures.sampleHTML(file))
    }

    @Test(arguments: samples)
    func parsesAndReportsRepairs(_ sample: Sample) throws {
        let result = try Self.parse(sample.file)
        let template = result.template
        #expect(template.identifier == sample.identifier)
        #expect(template.title == sample.title)
        #expect(template.metadata.publisher == "Radiological Society of North America (RSNA)")
        #expect(template.metadata.type == "IMAGE_REPORT_TEMPLATE")
        #expect(
            template.sections.map(\.name) == [
                "Procedure", "Clinical information", "Comparison", "Findings", "Impression",
            ]
        )
        #expect(
            template.sections.map(\.key) == [
                "procedure", "clinical-information", "comparison", "findings", "impression",
            ]
        )
        #expect(template.codingSchemes.map(\.name) == ["RadLex", "SNOMEDCT", "LOINC"])

        // Every deviation is reported, not silently absorbed.
        #expect(result.notes.contains { $0.contains("wrapped in an HTML comment") })
        #expect(result.notes.contains { $0.contains("\(sample.codeCount) <code> element(s) are not closed") })
        #expect(result.notes.contains { $0.hasPrefix("\(sample.textareas) <textarea> field(s)") })
        #expect(result.notes.contains { $0.contains("without data-field-type") })
        // libxml2 2.9 not knowing <section>/<header> is no repair and must not drown the notes.
        #expect(!result.notes.contains { $0.contains("invalid") || $0.contains("embeds close tag") })
    }

    @Test func chestSampleCodesAndFields() throws {
        let template = try Self.parse("Chest_Xray-2_Views.html").template
        #expect(template.codes.map(\.value) == ["RID10345", "RID1243"])
        #expect(template.codes.first { $0.value == "RID10345" }?.meaning == "projection radiography")
        #expect(template.codes.allSatisfy { $0.schemeDesignator == TemplateCode.radLexDesignator })
        // The LOINC code is attached to the textarea inside the section (T144_5), not the section.
        #expect(template.codedContent["T144_5"]?.map(\.value) == ["55752-0"])
        #expect(template.section(forKey: "clinical-information")?.loincCode == "55752-0")
        #expect(template.section(forKey: "findings")?.loincCode == nil)

        let findings = try #require(template.section(forKey: "findings"))
        // "Mediastinum:" is a <label> without `for`, found as the preceding sibling.
        #expect(findings.fields.map(\.label) == ["Lungs", "Heart", "Mediastinum"])
        #expect(findings.fields.map(\.kind) == [.selection, .selection, .selection])
        #expect(findings.fields.first?.options.count == 14)
        #expect(findings.fields.first?.options.first?.value == "Clear")
        #expect(template.section(forKey: "procedure")?.normalText == "PA and lateral views of the chest.")
        #expect(template.section(forKey: "impression")?.normalText == "No active disease.")
    }

    @Test func mrBrainUnclosedParagraphIsRepairedAndReported() throws {
        let result = try Self.parse("MR_Brain.html")
        #expect(result.notes.contains { $0.hasPrefix("line 226: <p> is not closed") })
        let findings = try #require(result.template.section(forKey: "findings"))
        #expect(findings.fields.count == 16)
        let ids = findings.fields.compactMap(\.id)
        #expect(ids.contains("T45_47") && ids.contains("T45_51"))
        #expect(findings.fields.first { $0.id == "T45_51" }?.label == "Cerebellum")
        #expect(result.template.section(forKey: "procedure")?.header == "MR Brain")
        #expect(result.template.codes.map(\.value) == ["RID6434", "RID9080", "RID10312"])
    }

    @Test func ctBrainDefaultsAndMultiCodeEntries() throws {
        let template = try Self.parse("CT_Brain.html").template
        #expect(template.metadata.date == "2012-03-28")
        #expect(template.metadata.contributors.count == 3)
        #expect(template.codes.map(\.value).contains("RID10321"))
        #expect(template.codedContent["T4_38"]?.map(\.value) == ["RID5826", "RID4738", "RID10445"])
        let findings = try #require(template.section(forKey: "findings"))
        #expect(findings.fields.count == 15)
        #expect(findings.normalText.hasPrefix("Extra-axial spaces: Normal.\nIntracranial hemorrhage: None.\n"))
        #expect(template.normalReport().last?.text == "Normal.")
    }

    @Test func usAbdomenNestedSectionsUnitsAndSNOMED() throws {
        let template = try Self.parse("US_Abdomen_RSNA.html").template
        let findings = try #require(template.section(forKey: "findings"))
        #expect(findings.fields.isEmpty)
        #expect(
            findings.subsections.map(\.name) == [
                "Liver", "Bile ducts", "Gallbladder", "Pancreas", "Spleen", "Right kidney", "Left kidney",
                "Abdominal aorta and IVC", "Ascites",
            ]
        )
        #expect(findings.subsections.map(\.key).contains("abdominal-aorta-and-ivc"))
        let liver = try #require(findings.subsections.first)
        let length = try #require(liver.fields.first { $0.id == "T87_19" })
        #expect(length.kind == .number)
        #expect(length.units == "cm")
        #expect(liver.fields.first?.codes.first?.scheme == "SNOMEDCT")
        #expect(liver.fields.first?.codes.first?.value == "246115007")
        #expect(template.codedContent["T87_101"]?.first?.meaning == "Murphy's sign (finding)")
        // Nested sections fold into their top-level section's normal text.
        #expect(findings.normalText.hasPrefix("Liver:\nSize: Normal.\n"))
        #expect(template.emptyReport().count == 5)
    }
}
