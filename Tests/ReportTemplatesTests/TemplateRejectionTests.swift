import Foundation
import ReportTemplates
import Testing

@Suite("Templates that must be rejected")
struct TemplateRejectionTests {
    @Test(arguments: ["", "   \n\t "])
    func emptyInput(_ html: String) {
        #expect(throws: TemplateError.emptyInput) { try ReportTemplate.parse(html: html) }
    }

    @Test func plainText() {
        #expect(throws: TemplateError.notHTML) {
            try ReportTemplate.parse(html: "Findings: the lungs are clear.\nImpression: normal chest.")
        }
    }

    @Test func htmlWithoutSections() throws {
        let html = TemplateFixtures.minimal(body: "<p>Findings: <input type=\"text\" id=\"f\" value=\"Normal.\"/></p>")
        let error = try #require(throws: TemplateError.self) { try ReportTemplate.parse(html: html) }
        #expect(error == .noSections)
        #expect(error.description.contains("no <section>"))
    }

    @Test func unnamedSectionNamesItsLine() throws {
        let html = TemplateFixtures.minimal(
            body: """
                <section data-section-name="Findings"><header>Findings</header></section>
                <section id="oops"><header>Impression</header>
                <p><input type="text" id="i" value="Normal."/></p></section>
                """
        )
        let error = try #require(throws: TemplateError.self) { try ReportTemplate.parse(html: html) }
        #expect(error == .unnamedSection)
        let line = try #require(error.line)
        let expected = html.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains("id=\"oops\"") }.map { $0 + 1 }
        #expect(line == expected)
        #expect(error.description.contains("line \(line)"))
        #expect(error.description.contains("Impression"))
    }

    @Test func missingIdentifier() {
        let html = TemplateFixtures.minimal(body: "<section data-section-name=\"Findings\"></section>")
            .replacingOccurrences(of: "dcterms.identifier", with: "dcterms.source")
        #expect(throws: TemplateError.missingIdentifier) { try ReportTemplate.parse(html: html) }
    }

    @Test func missingTitle() {
        let html = TemplateFixtures.minimal(body: "<section data-section-name=\"Findings\"></section>")
            .replacingOccurrences(of: "dcterms.title", with: "dcterms.subject")
        #expect(throws: TemplateError.missingTitle) { try ReportTemplate.parse(html: html) }
    }

    @Test func titleFallsBackToTitleElementWithNote() throws {
        let html = TemplateFixtures.minimal(
            body: "<section data-section-name=\"Findings\"></section>",
            head: "<title>Fallback title</title>"
        ).replacingOccurrences(of: "dcterms.title", with: "dcterms.subject")
        let result = try ReportTemplate.parse(html: html)
        #expect(result.template.title == "Fallback title")
        #expect(result.notes.contains { $0.contains("<title> element was used") })
    }
}
