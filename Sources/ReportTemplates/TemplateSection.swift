/// One `<section data-section-name>` of a template, with its fields and nested sections.
public struct TemplateSection: Sendable, Hashable {
    /// Stable key: the name lowercased, runs of non-alphanumerics collapsed to `-` (`clinical-information`).
    public var key: String
    /// `data-section-name`, e.g. `Clinical information`.
    public var name: String
    /// The element id, when the section has one.
    public var id: String?
    /// Text of the section's `<header>`, which may differ from the name (RSNA: "MR Brain" on "Procedure").
    public var header: String?
    /// LOINC section code from `<coded_content>`, e.g. `18782-3`.
    public var loincCode: String?
    /// The code's meaning as the template gives it.
    public var loincName: String?
    /// All codes attached to the section element.
    public var codes: [TemplateCode]
    /// `data-section-required="true"`.
    public var isRequired: Bool
    /// `data-section-signature-latitude` or `data-field-signature-latitude` on the section element.
    public var signatureLatitude: SignatureLatitude?
    /// Fields directly in this section (not in nested sections), in document order.
    public var fields: [TemplateField]
    /// Nested `<section>`s, in document order.
    public var subsections: [TemplateSection]
    /// 1-based line of the `<section>` element in the source.
    public var line: Int

    public init(
        key: String,
        name: String,
        id: String? = nil,
        header: String? = nil,
        loincCode: String? = nil,
        loincName: String? = nil,
        codes: [TemplateCode] = [],
        isRequired: Bool = false,
        signatureLatitude: SignatureLatitude? = nil,
        fields: [TemplateField] = [],
        subsections: [TemplateSection] = [],
        line: Int = 0
    ) {
        self.key = key
        self.name = name
        self.id = id
        self.header = header
        self.loincCode = loincCode
        self.loincName = loincName
        self.codes = codes
        self.isRequired = isRequired
        self.signatureLatitude = signatureLatitude
        self.fields = fields
        self.subsections = subsections
        self.line = line
    }

    /// The key for a section name: lowercased, each run of non-alphanumerics becomes one `-`, none at the ends.
    public static func key(forName name: String) -> String {
        var key = ""
        var pendingDash = false
        for character in name.lowercased() {
            if character.isLetter || character.isNumber {
                if pendingDash && !key.isEmpty { key.append("-") }
                pendingDash = false
                key.append(character)
            } else {
                pendingDash = true
            }
        }
        return key
    }

    /// The section's text when everything is normal, assembled from the field defaults.
    ///
    /// Each field with a default gives one line, `Label: value` when the field has a label and the bare
    /// value otherwise. A nested section gives a paragraph headed `Name:`; paragraphs are separated by a
    /// blank line. Empty when no field has a default.
    public var normalText: String {
        var paragraphs: [String] = []
        let own = fields.compactMap(\.normalLine)
        if !own.isEmpty { paragraphs.append(own.joined(separator: "\n")) }
        for subsection in subsections {
            let text = subsection.normalText
            guard !text.isEmpty else { continue }
            paragraphs.append("\(subsection.name):\n\(text)")
        }
        return paragraphs.joined(separator: "\n\n")
    }

    /// This section and every nested section, depth first.
    public var allSections: [TemplateSection] { [self] + subsections.flatMap(\.allSections) }

    /// Every field of this section and its nested sections, in document order of sections.
    public var allFields: [TemplateField] { fields + subsections.flatMap(\.allFields) }
}
