import Foundation

extension ReportTemplate {
    /// The template written as IHE MRRT HTML that ``parse(html:)`` reads back to the same template.
    ///
    /// Everything the model holds is written: Dublin Core metadata, `<template_attributes>` (flags,
    /// coding schemes, template terms, coded content), sections with their headers and flags, and each
    /// field with its type, default, units, range, options, merge, required and signature-latitude
    /// attributes. What the model does not hold (styling, scripts, embedded templates) is not.
    /// Fields come before nested sections within a section.
    /// - Returns: the HTML document, ending in a newline.
    public func mrrtHTML() -> String {
        var writer = MRRTWriter(template: self)
        return writer.write()
    }
}

/// Writes one ``ReportTemplate`` as MRRT HTML.
private struct MRRTWriter {
    let template: ReportTemplate
    private var out = ""

    init(template: ReportTemplate) {
        self.template = template
    }

    mutating func write() -> String {
        out = "<!DOCTYPE html>\n<html lang=\"\(Self.attribute(template.metadata.language ?? "en"))\">\n<head>\n"
        out += "<meta charset=\"UTF-8\"/>\n"
        out += "<title>\(Self.text(template.title))</title>\n"
        writeMetadata()
        writeAttributes()
        out += "</head>\n<body>\n"
        for section in template.sections { writeSection(section, level: 1, indent: "") }
        out += "</body>\n</html>\n"
        return out
    }

    // MARK: - Head

    private static let metadataOrder = [
        "title", "description", "identifier", "type", "language", "publisher", "rights", "license", "date",
        "creator", "contributor",
    ]

    private mutating func writeMetadata() {
        let all = template.metadata.all
        let keys = Self.metadataOrder.filter { all[$0] != nil } + all.keys.filter { !Self.metadataOrder.contains($0) }.sorted()
        for key in keys {
            for value in all[key] ?? [] {
                out += "<meta name=\"dcterms.\(Self.attribute(key))\" content=\"\(Self.attribute(value))\"/>\n"
            }
        }
    }

    private mutating func writeAttributes() {
        out += "<script type=\"text/xml\">\n<template_attributes>\n"
        if let isTopLevel = template.metadata.isTopLevel {
            out += "  <top-level-flag>\(isTopLevel ? "true" : "false")</top-level-flag>\n"
        }
        if let status = template.metadata.status { out += "  <status>\(Self.text(status))</status>\n" }
        if !template.codingSchemes.isEmpty {
            out += "  <coding_schemes>\n"
            for scheme in template.codingSchemes {
                var tag = "    <coding_scheme name=\"\(Self.attribute(scheme.name))\""
                if let designator = scheme.designator { tag += " designator=\"\(Self.attribute(designator))\"" }
                out += tag + "/>\n"
            }
            out += "  </coding_schemes>\n"
        }
        for code in template.codes { writeTerm(code, indent: "  ") }
        let ids = codedContentOrder()
        if !ids.isEmpty {
            out += "  <coded_content>\n"
            for id in ids {
                out += "    <entry ORIGTXT=\"\(Self.attribute(id))\">\n"
                for code in template.codedContent[id] ?? [] { writeTerm(code, indent: "      ") }
                out += "    </entry>\n"
            }
            out += "  </coded_content>\n"
        }
        out += "</template_attributes>\n</script>\n"
    }

    private mutating func writeTerm(_ code: TemplateCode, indent: String) {
        out += "\(indent)<term>\n"
        out += "\(indent)  <code meaning=\"\(Self.attribute(code.meaning))\" value=\"\(Self.attribute(code.value))\""
        out += " scheme=\"\(Self.attribute(code.scheme))\"/>\n"
        out += "\(indent)</term>\n"
    }

    /// Coded-content ids in body order (sections, fields, options), then ids the body lacks, sorted.
    private func codedContentOrder() -> [String] {
        var ordered: [String] = []
        func visit(_ section: TemplateSection) {
            if let id = section.id { ordered.append(id) }
            for field in section.fields {
                if let id = field.id { ordered.append(id) }
                ordered += field.options.compactMap(\.id)
            }
            section.subsections.forEach(visit)
        }
        template.sections.forEach(visit)
        var seen: Set<String> = []
        var result: [String] = []
        for id in ordered where template.codedContent[id] != nil && seen.insert(id).inserted { result.append(id) }
        result += template.codedContent.keys.filter { !seen.contains($0) }.sorted()
        return result
    }

    // MARK: - Body

    private mutating func writeSection(_ section: TemplateSection, level: Int, indent: String) {
        var tag = "\(indent)<section"
        if let id = section.id { tag += " id=\"\(Self.attribute(id))\"" }
        tag += " data-section-name=\"\(Self.attribute(section.name))\""
        if section.isRequired { tag += " data-section-required=\"true\"" }
        if let latitude = section.signatureLatitude {
            tag += " data-section-signature-latitude=\"\(latitude.rawValue)\""
        }
        out += tag + ">\n"
        if let header = section.header {
            out += "\(indent)  <header class=\"level\(level)\">\(Self.text(header))</header>\n"
        }
        for field in section.fields { writeField(field, indent: indent + "  ") }
        for subsection in section.subsections { writeSection(subsection, level: level + 1, indent: indent + "  ") }
        out += "\(indent)</section>\n"
    }

    private mutating func writeField(_ field: TemplateField, indent: String) {
        if field.kind == .staticText {
            out += "\(indent)<p\(commonAttributes(field))>\(Self.text(field.defaultValue ?? ""))</p>\n"
            return
        }
        out += "\(indent)<p>\n"
        if let label = field.label {
            if let id = field.id {
                out += "\(indent)  <label for=\"\(Self.attribute(id))\">\(Self.text(label)):</label>\n"
            } else {
                out += "\(indent)  <label>\(Self.text(label)):</label>\n"
            }
        }
        switch field.kind {
        case .selection, .multipleSelection:
            let multiple = field.kind == .multipleSelection ? " multiple=\"multiple\"" : ""
            out += "\(indent)  <select\(commonAttributes(field))\(multiple)>\n"
            for option in field.options {
                var tag = "\(indent)    <option"
                if let id = option.id { tag += " id=\"\(Self.attribute(id))\"" }
                if let name = option.name { tag += " name=\"\(Self.attribute(name))\"" }
                tag += " value=\"\(Self.attribute(option.value))\""
                if option.isSelected { tag += " selected=\"selected\"" }
                out += tag + ">\(Self.text(option.text))</option>\n"
            }
            out += "\(indent)  </select>\n"
        case .longText:
            out += "\(indent)  <textarea\(commonAttributes(field))>\(Self.text(field.defaultValue ?? ""))</textarea>\n"
        default:
            out += "\(indent)  <input\(inputAttributes(field))/>\n"
        }
        out += "\(indent)</p>\n"
    }

    /// `type`, the shared attributes, range and default of an `<input>`.
    private func inputAttributes(_ field: TemplateField) -> String {
        let checkedOrUnset = field.defaultValue == nil || field.defaultValue == "checked"
        let type: String
        switch field.kind {
        case .number: type = "number"
        case .date: type = "date"
        case .time: type = "time"
        // A checkbox whose default is some other text can only be kept as a typed text input.
        case .checkbox: type = checkedOrUnset ? "checkbox" : "text"
        default: type = "text"
        }
        var result = " type=\"\(type)\"" + commonAttributes(field)
        if let minimum = field.minimum { result += " min=\"\(Self.number(minimum))\"" }
        if let maximum = field.maximum { result += " max=\"\(Self.number(maximum))\"" }
        if type == "checkbox" {
            if field.defaultValue == "checked" { result += " checked=\"checked\"" }
        } else if let value = field.defaultValue {
            result += " value=\"\(Self.attribute(value))\""
        }
        return result
    }

    /// The attributes every field element carries: id, name, type, units, merge, required, latitude.
    private func commonAttributes(_ field: TemplateField) -> String {
        var result = ""
        if let id = field.id { result += " id=\"\(Self.attribute(id))\"" }
        if let name = field.name { result += " name=\"\(Self.attribute(name))\"" }
        if let declared = field.declaredType { result += " data-field-type=\"\(Self.attribute(declared))\"" }
        if let units = field.units { result += " data-field-units=\"\(Self.attribute(units))\"" }
        if field.isMergeField { result += " data-field-merge-flag=\"true\"" }
        if let merge = field.mergeIdentifier { result += " data-field-merge-identifier=\"\(Self.attribute(merge))\"" }
        if field.isRequired { result += " data-field-required=\"true\"" }
        if let latitude = field.signatureLatitude {
            result += " data-field-signature-latitude=\"\(latitude.rawValue)\""
        }
        return result
    }

    // MARK: - Escaping

    static func text(_ value: String) -> String {
        var result = ""
        for character in value {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            default: result.append(character)
            }
        }
        return result
    }

    static func attribute(_ value: String) -> String {
        text(value).replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// `30` rather than `30.0`; other values as Swift prints them (which read back exactly).
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
