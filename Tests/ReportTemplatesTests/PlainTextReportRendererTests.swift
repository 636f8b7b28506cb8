import RadScribeCore
import ReportTemplates
import Testing

@Suite("Plain-text report renderer")
struct PlainTextReportRendererTests {
    let template: ReportTemplate

    init() throws {
        template = try ReportTemplate.parse(html: try TemplateFixtures.chestTemplateHTML()).template
    }

    @Test func normalReportRendersInTemplateOrderWithoutEmptySections() {
        let text = PlainTextReportRenderer(template: template).render(template.normalReport())
        #expect(
            text == """
                COMPARISON:
                None.

                TECHNIQUE:
                Frontal and lateral views of the chest.

                FINDINGS:
                Lungs: Clear. No consolidation, edema, or mass.
                Pleura: No pleural effusion or pneumothorax.
                Heart and mediastinum: Normal heart size and mediastinal contours.
                Bones and soft tissues: No acute bone or soft tissue abnormality.
                Lines and tubes: None.

                IMPRESSION:
                No acute disease in the chest.

                """
        )
    }

    @Test func ordersByTemplateAndKeepsUnknownSectionsLast() {
        var sections = template.emptyReport()
        sections.reverse()
        sections[0].text = "Small left pleural effusion.  \n"  // impression
        sections[4].text = "\n  Cough and fever."  // clinical information
        sections.append(
            ReportSection(
                key: "addendum",
                title: "Addendum",
                loincCode: "55107-7",
                loincName: nil,
                text: "Discussed with the ward."
            )
        )
        let text = PlainTextReportRenderer(template: template).render(sections)
        #expect(
            text == """
                CLINICAL INFORMATION:
                  Cough and fever.

                IMPRESSION:
                Small left pleural effusion.

                ADDENDUM:
                Discussed with the ward.

                """
        )
    }

    @Test func emptyReportRendersNothing() {
        #expect(PlainTextReportRenderer(template: template).render(template.emptyReport()) == "")
        #expect(PlainTextReportRenderer(template: template).render([]) == "")
    }
}
