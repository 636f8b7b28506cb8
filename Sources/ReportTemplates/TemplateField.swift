/// One fillable field (or fixed paragraph) of a template section.
public struct TemplateField: Sendable, Hashable {
    /// What kind of control the field is.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// `<input type=text>`.
        case text
        /// `<input type=number>`.
        case number
        case date
        case time
        case checkbox
        /// `<select>` without `multiple`.
        case selection
        /// `<select multiple>`.
        case multipleSelection
        /// `<textarea>` (older RSNA files; not part of MRRT).
        case longText
        /// A `<p>` holding only text: fixed wording that goes into the report as written.
        case staticText
    }

    public var id: String?
    /// The `name` attribute.
    public var name: String?
    /// The visible `<label>`, without a trailing colon.
    public var label: String?
    public var kind: Kind
    /// `data-field-type` as written (`TEXT`, `NUMERIC`, `SELECTION_LIST`, …), nil when absent.
    public var declaredType: String?
    /// `data-field-units`, e.g. `mm`.
    public var units: String?
    /// The `min` attribute of a number field: the smallest value allowed.
    public var minimum: Double?
    /// The `max` attribute of a number field: the largest value allowed.
    public var maximum: Double?
    /// The default value: `value`, the `<textarea>`/`<p>` text, the selected option text, or `checked`.
    public var defaultValue: String?
    /// Options of a selection field, in order.
    public var options: [TemplateOption]
    /// `data-field-merge-flag="true"`: the RIS fills the field (e.g. the reason for exam).
    public var isMergeField: Bool
    /// `data-field-merge-identifier`, naming what the RIS should merge in.
    public var mergeIdentifier: String?
    /// `data-field-required="true"` or the HTML `required` attribute.
    public var isRequired: Bool
    public var signatureLatitude: SignatureLatitude?
    /// Codes attached to the field id in `<coded_content>`.
    public var codes: [TemplateCode]
    /// 1-based source line of the element.
    public var line: Int

    public init(
        id: String? = nil,
        name: String? = nil,
        label: String? = nil,
        kind: Kind,
        declaredType: String? = nil,
        units: String? = nil,
        defaultValue: String? = nil,
        options: [TemplateOption] = [],
        isMergeField: Bool = false,
        mergeIdentifier: String? = nil,
        isRequired: Bool = false,
        signatureLatitude: SignatureLatitude? = nil,
        codes: [TemplateCode] = [],
        line: Int = 0,
        minimum: Double? = nil,
        maximum: Double? = nil
    ) {
        self.id = id
        self.name = name
        self.label = label
        self.kind = kind
        self.declaredType = declaredType
        self.units = units
        self.defaultValue = defaultValue
        self.options = options
        self.isMergeField = isMergeField
        self.mergeIdentifier = mergeIdentifier
        self.isRequired = isRequired
        self.signatureLatitude = signatureLatitude
        self.codes = codes
        self.line = line
        self.minimum = minimum
        self.maximum = maximum
    }

    /// The merge field the RIS order fills, when ``isMergeField`` is set and the identifier is one RadScribe knows.
    public var mergeField: MergeField? {
        guard isMergeField, let mergeIdentifier else { return nil }
        return MergeField(identifier: mergeIdentifier)
    }

    /// Whether `value` is within the field's `min`/`max` (an open end allows anything on that side).
    public func allows(_ value: Double) -> Bool {
        if let minimum, value < minimum { return false }
        if let maximum, value > maximum { return false }
        return true
    }

    /// The line this field contributes to its section's normal text, nil when it has no default.
    var normalLine: String? {
        guard var value = defaultValue?.collapsingWhitespace, !value.isEmpty else { return nil }
        if kind == .checkbox {
            guard value == "checked" else { return nil }
            return label ?? name
        }
        if let units, !units.isEmpty, kind == .number { value += " \(units)" }
        if let label, !label.isEmpty, kind != .staticText { return "\(label): \(value)" }
        return value
    }
}

/// One `<option>` of a selection field.
public struct TemplateOption: Sendable, Hashable, Codable {
    public var id: String?
    public var name: String?
    /// The `value` attribute (falls back to the text).
    public var value: String
    /// The displayed text, which is what goes into the report.
    public var text: String
    /// `selected` attribute present.
    public var isSelected: Bool
    public var codes: [TemplateCode]
    /// Other names the option answers to when spoken (ontology synonyms); not part of the MRRT file.
    public var synonyms: [String] = []

    public init(id: String?, name: String?, value: String, text: String, isSelected: Bool, codes: [TemplateCode] = []) {
        self.id = id
        self.name = name
        self.value = value
        self.text = text
        self.isSelected = isSelected
        self.codes = codes
    }
}

extension String {
    /// Whitespace runs (including newlines) collapsed to single spaces, trimmed at both ends.
    var collapsingWhitespace: String {
        split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
