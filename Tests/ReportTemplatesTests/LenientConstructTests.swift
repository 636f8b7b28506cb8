import ReportTemplates
import Testing

@Suite("Lenient reading of single constructs")
struct LenientConstructTests {
    @Test func codeValueSpellingAndCommentWrapping() throws {
        let html = """
            <html><head>
            <meta name="dcterms.title" content="T"/><meta name="dcterms.identifier" content="urn:t"/>
            <meta name="dcterms.type" content="IMAGE_REPORT_TEMPLATE"/>
            <script type="text/xml">
            <!--
            <template_attributes>
            <coding_schemes><coding_scheme name="LOINC" designator="2.16.840.1.113883.6.1"/></coding_schemes>
            <coded_content>
            <entry ORIGTXT="imp"><term><code><code_value>19005-8</code_value><code_meaning>Impression</code_meaning>
            <coding_scheme_designator>LOINC</coding_scheme_designator></code></term></entry>
            </coded_content>
            </template_attributes>
            -->
            </script></head>
            <body><section id="imp" data-section-name="Impression"><p><input type="text" id="x" value=""/></p></section></body></html>
            """
        let result = try ReportTemplate.parse(html: html)
        let section = try #require(result.template.sections.first)
        #expect(section.loincCode == "19005-8")
        #expect(section.loincName == "Impression")
        #expect(section.codes.first?.schemeDesignator == TemplateCode.loincDesignator)
        #expect(result.notes.contains { $0.contains("<code_value>/<code_meaning>") })
        #expect(result.notes.contains { $0.contains("wrapped in an HTML comment") })
    }

    @Test func fieldKindsDefaultsAndFlags() throws {
        let html = TemplateFixtures.minimal(
            body: """
                <section data-section-name="Technique" data-section-required="true">
                <header class="level1">Technique</header>
                <p>Two views of the chest.</p>
                <p><label for="d">Exam date:</label><input type="date" id="d" data-field-type="DATE" data-field-merge-flag="true"/></p>
                <p><label for="t">Time</label><input type="time" id="t" data-field-type="TIME"/></p>
                <p><label for="n">Dose:</label><input type="number" id="n" data-field-type="NUMERIC" data-field-units="mGy" value="2"/></p>
                <p><label><input type="checkbox" id="c" checked="checked"/> Portable</label></p>
                <p><label for="m">Views:</label><select id="m" multiple="multiple">
                <option value="pa" selected="selected">PA</option><option value="lat" selected="selected">lateral</option>
                <option value="ap">AP</option></select></p>
                <p><input type="hidden" id="h" value="x"/></p>
                <embed src="other-template.html"/>
                </section>
                """
        )
        let result = try ReportTemplate.parse(html: html)
        let section = try #require(result.template.sections.first)
        #expect(section.isRequired)
        #expect(section.fields.map(\.kind) == [.staticText, .date, .time, .number, .checkbox, .multipleSelection])
        #expect(section.fields[1].isMergeField)
        #expect(section.fields[1].label == "Exam date")
        #expect(section.fields[3].units == "mGy")
        #expect(section.fields[3].declaredType == "NUMERIC")
        #expect(section.fields[4].label == "Portable")
        #expect(section.fields[5].defaultValue == "PA lateral")
        #expect(section.normalText == "Two views of the chest.\nDose: 2 mGy\nPortable\nViews: PA lateral")
        #expect(result.notes.contains { $0.contains("<input type=hidden> is not a report field") })
        #expect(result.notes.contains { $0.contains("<embed>") && $0.contains("other-template.html") })
        #expect(result.notes.contains { $0.contains("without data-field-type") && $0.contains("c, m") })
    }

    @Test func unknownSignatureLatitudeAndDuplicateKeysAreNoted() throws {
        let html = TemplateFixtures.minimal(
            body: """
                <section data-section-name="Findings"><p><input type="text" id="a" data-field-type="TEXT"
                data-field-signature-latitude="SOMETIMES" value="x"/></p></section>
                <section data-section-name="findings!"><p><input type="text" id="b" data-field-type="TEXT" value="y"/></p></section>
                """
        )
        let result = try ReportTemplate.parse(html: html)
        #expect(result.template.sections.map(\.key) == ["findings", "findings-2"])
        #expect(result.template.sections.first?.fields.first?.signatureLatitude == nil)
        #expect(result.notes.contains { $0.contains("unknown signature latitude 'SOMETIMES'") })
        #expect(result.notes.contains { $0.contains("keyed 'findings-2'") })
    }

    @Test func danglingCodedContentIsNoted() throws {
        let html = TemplateFixtures.minimal(
            body: "<section id=\"f\" data-section-name=\"Findings\"></section>",
            attributes: """
                <coded_content><entry ORIGTXT="nowhere"><term><code meaning="thorax" value="RID1243" scheme="RadLex"/></term></entry>
                </coded_content>
                """
        )
        let result = try ReportTemplate.parse(html: html)
        #expect(result.template.codedContent["nowhere"]?.first?.value == "RID1243")
        #expect(result.notes.contains { $0.contains("coded_content names element id(s)") && $0.contains("nowhere") })
    }

    @Test(arguments: [
        ("Clinical information", "clinical-information"),
        ("  Abdominal aorta and IVC ", "abdominal-aorta-and-ivc"),
        ("Lines/tubes -- devices", "lines-tubes-devices"),
        ("Impression", "impression"),
    ])
    func sectionKeys(_ name: String, _ key: String) {
        #expect(TemplateSection.key(forName: name) == key)
    }
}
