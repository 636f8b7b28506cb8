public import RadScribeCore

extension ReportTemplate {
    /// The report sections of this template with no text: top-level sections in template order, LOINC codes filled.
    ///
    /// Nested sections belong to their top-level section (their text is written into it).
    public func emptyReport() -> [ReportSection] {
        sections.map { section in
            ReportSection(
                key: section.key,
                title: section.name,
                loincCode: section.loincCode,
                loincName: section.loincName,
                text: ""
            )
        }
    }

    /// The report sections filled with the template's normal defaults (``TemplateSection/normalText``).
    public func normalReport() -> [ReportSection] {
        zip(sections, emptyReport()).map { section, empty in
            var filled = empty
            filled.text = section.normalText
            return filled
        }
    }
}
