import Foundation
import RadScribeCore
import ReportTemplates
import Testing
import TestSupport

/// The bundled template library in `Templates/`: every template is clean MRRT and survives a round trip.
@Suite("Template library")
struct TemplateLibraryTests {
    /// Slugs the issue asks for (one per exam).
    static let requiredSlugs = [
        "chest-radiograph-2-views", "ct-head", "ct-chest", "ct-abdomen-pelvis", "ct-pulmonary-angiogram",
        "mri-brain", "mri-knee", "mri-lumbar-spine", "ultrasound-abdomen", "renal-ultrasound",
        "screening-mammogram", "radiograph-extremity",
    ]

    /// Every `Templates/*.html`, by slug.
    static let slugs: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: ProjectPaths.templates.path)) ?? []
        return files.filter { $0.hasSuffix(".html") }.map { String($0.dropLast(5)) }.sorted()
    }()

    /// RadLex RIDs verified in shared/reference/mrrt-radlex.md, with their meanings.
    static let verifiedRadLex: [String: String] = [
        "RID3890": "cyst", "RID3892": "Baker cyst", "RID4757": "dextroscoliosis", "RID4872": "effusion",
        "RID5076": "osteophyte", "RID5172": "infarction", "RID5175": "infarction of spleen", "RID5227": "sclerosis",
        "RID5367": "intraarticular osseous body", "RID5388": "osteopenia", "RID5389": "osteoporosis",
        "RID5398": "chondrocalcinosis", "RID5824": "left", "RID5825": "right", "RID6120": "subchondral bone",
        "RID10523": "lateral projection", "RID28784": "anteroposterior projection", "RID29041": "disease progression",
        "RID39105": "improved", "RID39268": "unchanged", "RID58": "liver", "RID69": "left lobe of liver",
        "RID80": "porta hepatis", "RID81": "falciform ligament", "RID585": "internal carotid artery",
        "RID13203": "organ", "RID32954": "abdominal cavity", "RID33180": "mesentery", "RID10345": "projection radiography",
        "RID1243": "thorax", "RID10321": "computed tomography", "RID6434": "brain", "RID3874": "mass",
        "RID4866": "pulmonary edema", "RID5671": "mild", "RID5672": "moderate", "RID5673": "severe",
    ]

    static func html(_ slug: String) throws -> String {
        try String(contentsOf: ProjectPaths.templates.appendingPathComponent("\(slug).html"), encoding: .utf8)
    }

    static func parse(_ slug: String) throws -> TemplateParseResult {
        try ReportTemplate.parse(html: try html(slug))
    }

    static func allTemplates() throws -> [ReportTemplate] {
        try slugs.map { try parse($0).template }
    }

    @Test func libraryHasEveryRequiredExam() {
        #expect(Self.slugs.count >= 12)
        for slug in Self.requiredSlugs {
            #expect(Self.slugs.contains(slug), "Templates/\(slug).html is missing")
        }
    }

    @Test(arguments: slugs)
    func parsesWithoutNotes(_ slug: String) throws {
        let result = try Self.parse(slug)
        #expect(result.notes == [], "\(slug): \(result.notes)")
        let template = result.template
        #expect(template.identifier == "urn:radscribe:template:\(slug)")
        #expect(template.metadata.type == "IMAGE_REPORT_TEMPLATE")
        #expect(template.metadata.isTopLevel == true)
        #expect(template.metadata.status == "ACTIVE")
        #expect(template.metadata.description?.isEmpty == false)
    }

    @Test(arguments: slugs)
    func fiveSectionsWithLOINCCodes(_ slug: String) throws {
        let template = try Self.parse(slug).template
        #expect(
            template.sections.map(\.key) == ["clinical-information", "comparison", "technique", "findings", "impression"]
        )
        #expect(template.sections.map(\.loincCode) == ["55752-0", "18834-2", "55111-9", "18782-3", "19005-8"])
        #expect(template.section(forKey: "findings")?.isRequired == true)
        #expect(template.section(forKey: "impression")?.isRequired == true)
        // Findings and impression have a normal default; the impression can't be signed empty.
        #expect(template.section(forKey: "findings")?.normalText.isEmpty == false)
        #expect(template.section(forKey: "impression")?.normalText.isEmpty == false)
        let impressionFields = template.section(forKey: "impression")?.fields ?? []
        #expect(impressionFields.contains { $0.isRequired && $0.signatureLatitude == .prohibit })
    }

    @Test(arguments: slugs)
    func mergeFieldsFromTheOrder(_ slug: String) throws {
        let template = try Self.parse(slug).template
        let merges = Set(template.mergeFields.compactMap(\.mergeField))
        #expect(
            merges.isSuperset(of: [.patientName, .medicalRecordNumber, .procedure, .examDate, .orderingPhysician]),
            "\(slug): \(merges)"
        )
        #expect(template.mergeFields.allSatisfy { $0.mergeField != nil }, "every merge identifier is known")
    }

    @Test(arguments: slugs)
    func codesAreVerifiedRadLexOrSectionLOINC(_ slug: String) throws {
        let template = try Self.parse(slug).template
        let codes = template.codes + template.codedContent.values.flatMap { $0 }
        for code in codes where code.isRadLex && !code.isPlaybookProcedure {
            #expect(Self.verifiedRadLex[code.value] == code.meaning, "\(slug): \(code.value) \(code.meaning)")
        }
        // The Playbook procedures it states are the ones the Playbook table says it serves, with the Playbook's names.
        let playbook = try PlaybookProcedures.bundled(templatesDirectory: ProjectPaths.root.appendingPathComponent("Templates"))
        let served = playbook.entries.filter { $0.template == slug && $0.match == .served }
        #expect(!served.isEmpty, "\(slug) states no Playbook procedure")
        let stated = Dictionary(template.playbookProcedures.map { ($0.value, $0.meaning) }, uniquingKeysWith: { a, _ in a })
        #expect(stated == Dictionary(served.map { ($0.rpid, $0.name) }, uniquingKeysWith: { a, _ in a }))
        #expect(stated.count == template.playbookProcedures.count, "\(slug) states a Playbook code twice")
        let loinc = Set(codes.filter(\.isLOINC).map(\.value))
        #expect(loinc == ["55752-0", "18834-2", "55111-9", "18782-3", "19005-8"])
        #expect(codes.allSatisfy { $0.isRadLex || $0.isLOINC })
        // Every coded_content entry names an element the body has (the parser would note it otherwise).
    }

    @Test(arguments: slugs)
    func roundTripsThroughExportWithoutLoss(_ slug: String) throws {
        let original = try Self.parse(slug).template
        let exported = original.mrrtHTML()
        let reread = try ReportTemplate.parse(html: exported)
        #expect(reread.notes == [], "\(slug) export: \(reread.notes)")
        #expect(original.differences(from: reread.template) == [], "\(slug)")
        #expect(original.contentForm == reread.template.contentForm)
        // Exporting again gives the same text: the exporter is a fixed point after one pass.
        #expect(reread.template.mrrtHTML() == exported)
        // And the plain text of the normal report is the same.
        let renderer = PlainTextReportRenderer(template: original)
        #expect(
            renderer.render(original.normalReport())
                == PlainTextReportRenderer(template: reread.template).render(reread.template.normalReport())
        )
    }

    @Test(arguments: slugs)
    func normalTextUsesPlainWords(_ slug: String) throws {
        let text = try Self.parse(slug).template.normalReport().map(\.text).joined(separator: " ")
        let words = text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.lowercased() }
        #expect(!words.isEmpty)
        #expect(words.allSatisfy { $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } })
    }

    @Test func libraryUsesEveryFieldType() throws {
        let fields = try Self.allTemplates().flatMap { $0.sections.flatMap(\.allFields) }
        let kinds = Set(fields.map(\.kind))
        for kind: TemplateField.Kind in [.text, .number, .selection, .multipleSelection, .checkbox, .date] {
            #expect(kinds.contains(kind), "no \(kind) field in the library")
        }
        let numbers = fields.filter { $0.kind == .number }
        #expect(numbers.contains { $0.units == "mm" && $0.minimum != nil && $0.maximum != nil })
        #expect(numbers.allSatisfy { $0.minimum != nil && $0.maximum != nil })
        #expect(fields.contains { $0.isRequired && $0.signatureLatitude == .prohibit })
        #expect(fields.contains { $0.signatureLatitude == .alert })
        #expect(fields.contains { $0.kind == .checkbox && $0.defaultValue == "checked" })
        #expect(fields.contains { $0.kind == .multipleSelection && $0.options.filter(\.isSelected).count > 1 })
    }

    @Test func numberFieldRangesAndUnits() throws {
        let head = try Self.parse("ct-head").template
        let shift = try #require(head.section(forKey: "findings")?.fields.first { $0.id == "findings-midline-shift" })
        #expect(shift.kind == .number)
        #expect(shift.units == "mm")
        #expect(shift.minimum == 0 && shift.maximum == 30)
        #expect(shift.allows(4) && !shift.allows(31) && !shift.allows(-1))
        #expect(head.section(forKey: "findings")?.normalText.contains("Midline shift: 0 mm") == true)
        let ratio = try #require(
            try Self.parse("ct-pulmonary-angiogram").template.section(forKey: "findings")?.fields
                .first { $0.id == "findings-rv-lv-ratio" }
        )
        #expect(ratio.minimum == 0.2 && ratio.maximum == 5 && ratio.units == nil)
    }

    @Test func mammographyHasBIRADSAssessment() throws {
        let template = try Self.parse("screening-mammogram").template
        let birads = try #require(template.section(forKey: "impression")?.fields.first { $0.id == "impression-birads" })
        #expect(birads.kind == .selection)
        #expect(birads.options.map(\.value) == ["0", "1", "2"])
        #expect(birads.isRequired && birads.signatureLatitude == .prohibit)
        #expect(birads.defaultValue == "BI-RADS 1: negative.")
        let density = try #require(template.section(forKey: "findings")?.fields.first { $0.id == "findings-density" })
        #expect(density.options.count == 4)
    }

    @Test func fillsMergeFieldsFromAnOrder() throws {
        let order = ImagingOrder(
            accession: "ACC42",
            placerOrderNumber: "P42",
            fillerOrderNumber: "ACC42",
            patient: Patient(mrn: "MRN0042", familyName: "Testperson", givenName: "Alex", birthDate: "19700102", sex: .female),
            procedureCode: "CTHEAD",
            procedureName: "CT head without contrast",
            procedureCodingSystem: "L",
            modality: "CT",
            orderingPhysician: "Dr Example",
            reasonForExam: "Headache after a fall"
        )
        let examDate = try #require(ISO8601DateFormatter().date(from: "2026-03-04T10:00:00Z"))
        let template = try Self.parse("ct-head").template
        let filled = template.fillingMergeFields(from: order, examDate: examDate, timeZone: TimeZone(identifier: "UTC")!)
        let clinical = try #require(filled.section(forKey: "clinical-information"))
        #expect(
            clinical.normalText == """
                Indication: Headache after a fall
                Patient: Testperson, Alex
                Medical record number: MRN0042
                Ordering physician: Dr Example
                """
        )
        let technique = try #require(filled.section(forKey: "technique"))
        #expect(technique.normalText.hasPrefix("Procedure: CT head without contrast\nExam date: 2026-03-04\n"))
        // Only merge fields change.
        #expect(filled.section(forKey: "findings") == template.section(forKey: "findings"))
        // The rendered plain-text report carries them too.
        let text = PlainTextReportRenderer(template: filled).render(filled.normalReport())
        #expect(text.hasPrefix("CLINICAL INFORMATION:\nIndication: Headache after a fall\n"))
        // Without an exam date, the exam date field stays empty.
        let undated = template.fillingMergeFields(from: order)
        #expect(undated.section(forKey: "technique")?.fields.first { $0.mergeField == .examDate }?.defaultValue == "")
    }

    @Test func mergeIdentifiersAreReadLeniently() {
        #expect(MergeField(identifier: "PATIENT_NAME") == .patientName)
        #expect(MergeField(identifier: "patient-name") == .patientName)
        #expect(MergeField(identifier: "MRN") == .medicalRecordNumber)
        #expect(MergeField(identifier: "Referring Physician") == .orderingPhysician)
        #expect(MergeField(identifier: "study.date") == .examDate)
        #expect(MergeField(identifier: "shoe size") == nil)
    }
}

/// Export of templates RadScribe did not write: the real RSNA samples and single constructs.
@Suite("MRRT export of other templates")
struct TemplateExportTests {
    @Test(.needsShared, arguments: ["CT_Brain.html", "MR_Brain.html", "US_Abdomen_RSNA.html", "Chest_Xray-2_Views.html"])
    func rsnaSamplesRoundTrip(_ file: String) throws {
        let original = try ReportTemplate.parse(html: try TemplateFixtures.sampleHTML(file)).template
        let exported = original.mrrtHTML()
        let reread = try ReportTemplate.parse(html: exported)
        #expect(original.differences(from: reread.template) == [], "\(file)")
        // The export is clean MRRT except for what the model keeps on purpose (textarea fields, untyped fields).
        #expect(!reread.notes.contains { $0.contains("comment") || $0.contains("not closed") }, "\(reread.notes)")
    }

    @Test func specialCharactersAndEdgeCasesSurvive() throws {
        let html = TemplateFixtures.minimal(
            body: """
                <section id="s1" data-section-name="Findings &amp; notes" data-section-signature-latitude="ALERT">
                <header>Findings &lt;all&gt;</header>
                <p id="fixed">Fixed wording with "quotes" &amp; ampersands.</p>
                <label>Size:</label><input type="number" data-field-type="NUMERIC" data-field-units="cm" min="0.5" max="12.25" value="3"/>
                <input type="checkbox" id="cb" data-field-type="TEXT" checked/>
                <input type="text" id="odd" data-field-type="CHECKBOX" value="yes"/>
                <select id="sel" multiple data-field-type="SELECTION_LIST"><option>Alpha</option><option value="b" selected>Beta</option><option value="c"></option></select>
                <textarea id="ta" data-field-type="TEXT">Free text</textarea>
                <section data-section-name="Nested"><p><input type="time" id="t" data-field-type="TIME" value="10:30" required/></p></section>
                </section>
                """,
            attributes: """
                <term><code meaning="mass" value="RID3874" scheme="RadLex"/></term>
                <coded_content><entry ORIGTXT="sel"><term><code meaning="mass" value="RID3874" scheme="RadLex"/></term></entry>
                <entry ORIGTXT="gone"><term><code meaning="organ" value="RID13203" scheme="RadLex"/></term></entry></coded_content>
                """
        )
        let original = try ReportTemplate.parse(html: html).template
        let reread = try ReportTemplate.parse(html: original.mrrtHTML()).template
        #expect(original.differences(from: reread) == [])
        let section = try #require(reread.sections.first)
        #expect(section.name == "Findings & notes")
        #expect(section.header == "Findings <all>")
        #expect(section.signatureLatitude == .alert)
        #expect(section.fields.first?.defaultValue == "Fixed wording with \"quotes\" & ampersands.")
        let size = try #require(section.fields.first { $0.kind == .number })
        #expect(size.label == "Size" && size.minimum == 0.5 && size.maximum == 12.25 && size.units == "cm")
        #expect(section.fields.first { $0.id == "odd" }?.kind == .checkbox)
        #expect(section.fields.first { $0.id == "odd" }?.defaultValue == "yes")
        #expect(section.subsections.first?.fields.first?.isRequired == true)
        #expect(reread.codedContent["gone"]?.first?.value == "RID13203")
    }

    @Test func numberRangeProblemsAreNoted() throws {
        let html = TemplateFixtures.minimal(
            body: """
                <section data-section-name="Findings">
                <input type="number" id="a" data-field-type="NUMBER" min="ten" max="20" value="25"/>
                <input type="number" id="b" data-field-type="NUMBER" min="9" max="2"/>
                <input type="number" id="c" data-field-type="NUMBER" value="several"/>
                <input type="text" id="d" data-field-type="TEXT" data-field-merge-flag="true" data-field-merge-identifier="SHOE_SIZE"/>
                </section>
                """
        )
        let result = try ReportTemplate.parse(html: html)
        #expect(result.notes.contains { $0.contains("min='ten' of a number field is not a number") })
        #expect(result.notes.contains { $0.contains("default 25 of a number field is outside its allowed range") })
        #expect(result.notes.contains { $0.contains("min 9.0 is above max 2.0") })
        #expect(result.notes.contains { $0.contains("default 'several' of a number field is not a number") })
        #expect(result.notes.contains { $0.contains("merge identifier 'SHOE_SIZE'") })
        let fields = result.template.sections[0].fields
        #expect(fields[0].minimum == nil && fields[0].maximum == 20)
        #expect(fields[1].minimum == nil && fields[1].maximum == nil)
    }
}
