import Foundation

extension ReportTemplate {
    /// Parses an IHE MRRT template leniently, reporting every repair.
    ///
    /// Real templates deviate from the profile (XML inside a comment, unclosed `<code>` and `<p>`,
    /// `<textarea>` fields, inputs without `data-field-type`); these are read anyway and described in
    /// ``TemplateParseResult/notes``.
    /// - Parameter html: the template's HTML text.
    /// - Returns: the template and the notes of what was repaired or skipped.
    /// - Throws: ``TemplateError`` when the input is empty, not HTML, has no sections, has a section
    ///   without `data-section-name`, or lacks a title or identifier.
    public static func parse(html: String) throws -> TemplateParseResult {
        var parser = TemplateParser(html: html)
        return try parser.parse()
    }

    /// Reads and parses a template file.
    /// - Parameter url: a local file URL.
    /// - Returns: the template and the repair notes.
    /// - Throws: ``TemplateError`` when the file cannot be read or the template is rejected.
    public static func parse(contentsOf url: URL) throws -> TemplateParseResult {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TemplateError.unreadableFile(url.path, "\(error.localizedDescription)")
        }
        return try parse(html: String(decoding: data, as: UTF8.self))
    }
}

/// One parse of one template. Holds the libxml2 document for the duration of the parse only.
struct TemplateParser {
    private let html: String
    private var notes: [String] = []
    private var attributes = TemplateAttributes()
    private var labels: [String: String] = [:]
    private var elementIDs: Set<String> = []
    private var textareaIDs: [String] = []
    private var untypedIDs: [String] = []

    init(html: String) {
        self.html = html
    }

    mutating func parse() throws -> TemplateParseResult {
        guard !html.allSatisfy(\.isWhitespace) else { throw TemplateError.emptyInput }
        let markup = "<\\s*(!doctype\\s+html|html|head|body|section)[\\s>/]"
        guard html.range(of: markup, options: [.regularExpression, .caseInsensitive]) != nil else {
            throw TemplateError.notHTML("the input has no <html>, <body> or <section> tag")
        }
        guard let document = HTMLDocument(parsing: html), let root = document.rootElement else {
            throw TemplateError.notHTML("libxml2 could not build a document from the input")
        }
        for diagnostic in document.diagnostics where !HTMLDiagnostics.isBenign(diagnostic) {
            notes.append("line \(diagnostic.line): \(diagnostic.message); repaired by the HTML parser")
        }
        notes += Self.unclosedParagraphs(in: html)

        let metadataValues = readMetadata(root)
        let titleElement = root.firstDescendant(named: "title")?.textContent.collapsingWhitespace
        let title: String
        if let value = metadataValues["title"]?.first, !value.isEmpty {
            title = value
        } else if let titleElement, !titleElement.isEmpty {
            notes.append("no dcterms.title meta element; the <title> element was used")
            title = titleElement
        } else {
            throw TemplateError.missingTitle(line: Self.headLine(root))
        }
        guard let identifier = metadataValues["identifier"]?.first, !identifier.isEmpty else {
            throw TemplateError.missingIdentifier(line: Self.headLine(root))
        }
        let type = metadataValues["type"]?.first
        if type != "IMAGE_REPORT_TEMPLATE" {
            notes.append(
                "dcterms.type is \(type.map { "'\($0)'" } ?? "missing"), not IMAGE_REPORT_TEMPLATE; read anyway"
            )
        }

        readTemplateAttributes(root)
        for label in root.descendants(where: { $0.name == "label" }) {
            guard let target = label.attribute("for"), labels[target] == nil else { continue }
            labels[target] = Self.labelText(label)
        }
        elementIDs = Set(root.descendants(where: { $0.attribute("id") != nil }).compactMap { $0.attribute("id") })

        let body = root.firstDescendant(named: "body") ?? root
        let sectionElements = Self.topLevelSections(in: body)
        guard !sectionElements.isEmpty else {
            throw TemplateError.noSections("the template body has no <section> elements", line: body.line)
        }
        var sections = try sectionElements.map { try parseSection($0) }
        disambiguateKeys(&sections)
        reportSummaries()

        var metadata = TemplateMetadata(
            all: metadataValues,
            isTopLevel: attributes.isTopLevel,
            status: attributes.status
        )
        metadata.title = title
        let template = ReportTemplate(
            identifier: identifier,
            title: title,
            metadata: metadata,
            codingSchemes: attributes.codingSchemes,
            codes: attributes.codes,
            codedContent: attributes.codedContent,
            sections: sections,
            sourceHTML: html
        )
        return TemplateParseResult(template: template, notes: notes)
    }

    // MARK: - Head

    /// The line of `<head>` (where the missing metadata belongs), else 1.
    private static func headLine(_ root: HTMLNode) -> Int {
        let line = root.firstDescendant(named: "head")?.line ?? 0
        return line > 0 ? line : 1
    }

    private func readMetadata(_ root: HTMLNode) -> [String: [String]] {
        var values: [String: [String]] = [:]
        for meta in root.descendants(where: { $0.name == "meta" }) {
            guard let name = meta.attribute("name"), name.lowercased().hasPrefix("dcterms.") else { continue }
            let key = String(name.dropFirst("dcterms.".count)).lowercased()
            let content = (meta.attribute("content") ?? "").collapsingWhitespace
            values[key, default: []].append(content)
        }
        return values
    }

    private mutating func readTemplateAttributes(_ root: HTMLNode) {
        let scripts = root.descendants(where: { $0.name == "script" })
        for script in scripts {
            let text = script.textContent
            guard text.range(of: "<template_attributes", options: .caseInsensitive) != nil else { continue }
            let type = script.attribute("type")?.lowercased() ?? ""
            if type != "text/xml" {
                notes.append(
                    "line \(script.line): template attributes found in a <script type=\"\(type)\">, not text/xml"
                )
            }
            if let parsed = TemplateAttributes.parse(scriptText: text, firstLine: script.line, notes: &notes) {
                attributes = parsed
                return
            }
        }
        notes.append("no <template_attributes> block; the template carries no codes")
    }

    // MARK: - Body

    /// The outermost `<section>` elements below `node`, in document order.
    private static func topLevelSections(in node: HTMLNode) -> [HTMLNode] {
        var result: [HTMLNode] = []
        for child in node.children {
            if child.name == "section" { result.append(child) } else { result += topLevelSections(in: child) }
        }
        return result
    }

    private mutating func parseSection(_ element: HTMLNode) throws -> TemplateSection {
        guard let name = element.attribute("data-section-name")?.collapsingWhitespace, !name.isEmpty else {
            let header = element.firstDescendant(named: "header")?.textContent.collapsingWhitespace
            let detail = header.map { "its header reads '\($0)'" } ?? "it has no header either"
            throw TemplateError.unnamedSection(line: element.line, detail: detail)
        }
        var section = TemplateSection(key: TemplateSection.key(forName: name), name: name, line: element.line)
        section.id = element.attribute("id")
        section.isRequired = element.attribute("data-section-required")?.lowercased() == "true"
        section.signatureLatitude = signatureLatitude(
            element.attribute("data-section-signature-latitude") ?? element.attribute("data-field-signature-latitude"),
            line: element.line
        )
        if key(section.key, isEmptyFor: name, line: element.line) { section.key = "section-\(element.line)" }
        try collect(in: element, into: &section)
        if let id = section.id { section.codes = attributes.codedContent[id] ?? [] }
        // The section's own codes first; RSNA files attach the LOINC code to the section's only field instead.
        let loinc =
            section.codes.first(where: \.isLOINC) ?? section.fields.lazy.flatMap(\.codes).first(where: \.isLOINC)
        section.loincCode = loinc?.value
        section.loincName = loinc?.meaning
        return section
    }

    private mutating func key(_ key: String, isEmptyFor name: String, line: Int) -> Bool {
        guard key.isEmpty else { return false }
        notes.append("line \(line): section name '\(name)' has no letters or digits; keyed section-\(line)")
        return true
    }

    /// Walks the children of a section (or of a container inside it), collecting fields and nested sections.
    private mutating func collect(in node: HTMLNode, into section: inout TemplateSection) throws {
        for child in node.children {
            switch child.name {
            case "section":
                section.subsections.append(try parseSection(child))
            case "header":
                if section.header == nil { section.header = child.textContent.collapsingWhitespace }
            case "script", "style", "option":
                continue
            case "input":
                if let field = inputField(child) { section.fields.append(field) }
            case "select":
                section.fields.append(selectField(child))
            case "textarea":
                section.fields.append(textareaField(child))
            case "embed":
                let source = child.attribute("src") ?? "no src"
                notes.append("line \(child.line): embedded template <embed> (\(source)) is not resolved; skipped")
            case "p" where !Self.containsControls(child):
                let text = Self.text(excludingLabels: child).collapsingWhitespace
                guard !text.isEmpty else { continue }
                var field = TemplateField(
                    id: child.attribute("id"),
                    kind: .staticText,
                    defaultValue: text,
                    line: child.line
                )
                decorate(&field, from: child)
                section.fields.append(field)
            default:
                try collect(in: child, into: &section)
            }
        }
    }

    private static func containsControls(_ node: HTMLNode) -> Bool {
        let controls: Set<String> = ["input", "select", "textarea", "section", "embed"]
        return !node.descendants(where: { controls.contains($0.name) }).isEmpty
    }

    private static func text(excludingLabels node: HTMLNode) -> String {
        node.childNodes.reduce(into: "") { text, child in
            if child.isText {
                text += child.textContent
            } else if child.isElement, child.name != "label" {
                text += " " + Self.text(excludingLabels: child) + " "
            }
        }
    }

    private static func labelText(_ label: HTMLNode) -> String? {
        var text = label.textContent.collapsingWhitespace
        while text.hasSuffix(":") { text = String(text.dropLast()).collapsingWhitespace }
        return text.isEmpty ? nil : text
    }

    // MARK: - Fields

    private mutating func inputField(_ element: HTMLNode) -> TemplateField? {
        let type = element.attribute("type")?.lowercased() ?? "text"
        let kind: TemplateField.Kind
        switch type {
        case "text", "search", "": kind = .text
        case "number", "range": kind = .number
        case "date": kind = .date
        case "time": kind = .time
        case "checkbox", "radio": kind = .checkbox
        case "hidden", "submit", "button", "reset", "image", "file", "password":
            notes.append("line \(element.line): <input type=\(type)> is not a report field; skipped")
            return nil
        default:
            notes.append("line \(element.line): unknown <input type=\(type)>; read as a text field")
            kind = .text
        }
        var field = TemplateField(kind: kind, line: element.line)
        if kind == .checkbox {
            field.defaultValue = element.hasAttribute("checked") ? "checked" : nil
        } else {
            field.defaultValue = element.attribute("value")?.collapsingWhitespace
        }
        decorate(&field, from: element)
        field.kind = declaredKind(field.declaredType) ?? kind
        if field.kind == .number { readRange(of: &field, from: element) }
        return field
    }

    /// Reads `min`/`max` of a number field and notes values that are not numbers or defaults out of range.
    private mutating func readRange(of field: inout TemplateField, from element: HTMLNode) {
        func number(_ attribute: String) -> Double? {
            guard let text = element.attribute(attribute)?.collapsingWhitespace, !text.isEmpty else { return nil }
            guard let value = Double(text), value.isFinite else {
                notes.append("line \(element.line): \(attribute)='\(text)' of a number field is not a number; ignored")
                return nil
            }
            return value
        }
        field.minimum = number("min")
        field.maximum = number("max")
        if let minimum = field.minimum, let maximum = field.maximum, minimum > maximum {
            notes.append("line \(element.line): number field min \(minimum) is above max \(maximum); range ignored")
            field.minimum = nil
            field.maximum = nil
        }
        guard let text = field.defaultValue, !text.isEmpty else { return }
        if let value = Double(text) {
            if !field.allows(value) {
                notes.append("line \(element.line): default \(text) of a number field is outside its allowed range")
            }
        } else {
            notes.append("line \(element.line): default '\(text)' of a number field is not a number")
        }
    }

    private mutating func selectField(_ element: HTMLNode) -> TemplateField {
        let multiple = element.hasAttribute("multiple")
        var field = TemplateField(kind: multiple ? .multipleSelection : .selection, line: element.line)
        field.options = element.descendants(where: { $0.name == "option" }).map { option in
            let text = option.textContent.collapsingWhitespace
            let id = option.attribute("id")
            return TemplateOption(
                id: id,
                name: option.attribute("name"),
                value: option.attribute("value") ?? text,
                text: text.isEmpty ? (option.attribute("value") ?? "") : text,
                isSelected: option.hasAttribute("selected"),
                codes: id.flatMap { attributes.codedContent[$0] } ?? []
            )
        }
        let selected = field.options.filter(\.isSelected)
        if !selected.isEmpty {
            field.defaultValue = selected.map(\.text).joined(separator: " ")
        } else if !multiple, let first = field.options.first {
            // A single select shows its first option when none is selected, as browsers do.
            field.defaultValue = first.text
        }
        decorate(&field, from: element)
        return field
    }

    private mutating func textareaField(_ element: HTMLNode) -> TemplateField {
        var field = TemplateField(kind: .longText, line: element.line)
        let text = element.textContent.collapsingWhitespace
        field.defaultValue = text.isEmpty ? nil : text
        decorate(&field, from: element)
        textareaIDs.append(field.id ?? "line \(element.line)")
        return field
    }

    /// Fills the attributes every field kind shares.
    private mutating func decorate(_ field: inout TemplateField, from element: HTMLNode) {
        field.id = element.attribute("id")
        field.name = element.attribute("name")?.collapsingWhitespace
        field.declaredType = element.attribute("data-field-type")?.collapsingWhitespace
        if field.declaredType == nil, field.kind != .staticText {
            untypedIDs.append(field.id ?? "line \(element.line)")
        }
        field.units = element.attribute("data-field-units")?.collapsingWhitespace
        field.isMergeField = element.attribute("data-field-merge-flag")?.lowercased() == "true"
        field.mergeIdentifier = element.attribute("data-field-merge-identifier")?.collapsingWhitespace
        if field.isMergeField, let identifier = field.mergeIdentifier, MergeField(identifier: identifier) == nil {
            notes.append(
                "line \(element.line): merge identifier '\(identifier)' is not one the order fills; the field is left empty"
            )
        }
        field.isRequired =
            element.attribute("data-field-required")?.lowercased() == "true" || element.hasAttribute("required")
        field.signatureLatitude = signatureLatitude(
            element.attribute("data-field-signature-latitude"),
            line: element.line
        )
        field.codes = field.id.flatMap { attributes.codedContent[$0] } ?? []
        if field.kind != .staticText { field.label = label(for: element, id: field.id) }
    }

    /// The `<label for=id>`, else an enclosing `<label>`, else the nearest preceding `<label>` without `for`.
    private func label(for element: HTMLNode, id: String?) -> String? {
        if let id, let text = labels[id] { return text }
        var ancestor = element.parent
        while let node = ancestor, node.name != "section" {
            if node.name == "label" { return Self.labelText(node) }
            ancestor = node.parent
        }
        for sibling in element.previousElementSiblings {
            if ["input", "select", "textarea"].contains(sibling.name) { break }
            if sibling.name == "label", sibling.attribute("for") == nil { return Self.labelText(sibling) }
        }
        return nil
    }

    private func declaredKind(_ declared: String?) -> TemplateField.Kind? {
        switch declared?.uppercased() {
        case "TEXT": .text
        case "NUMBER", "NUMERIC", "INTEGER", "DECIMAL": .number
        case "DATE": .date
        case "TIME": .time
        case "CHECKBOX", "BOOLEAN": .checkbox
        default: nil
        }
    }

    private mutating func signatureLatitude(_ value: String?, line: Int) -> SignatureLatitude? {
        guard let value = value?.collapsingWhitespace, !value.isEmpty else { return nil }
        guard let latitude = SignatureLatitude(rawValue: value.uppercased()) else {
            notes.append("line \(line): unknown signature latitude '\(value)'; ignored")
            return nil
        }
        return latitude
    }

    // MARK: - Summaries

    private mutating func disambiguateKeys(_ sections: inout [TemplateSection]) {
        var seen: [String: Int] = [:]
        for index in sections.indices {
            let key = sections[index].key
            seen[key, default: 0] += 1
            guard let count = seen[key], count > 1 else { continue }
            sections[index].key = "\(key)-\(count)"
            notes.append("line \(sections[index].line): a second section keyed '\(key)'; keyed '\(key)-\(count)'")
        }
    }

    private mutating func reportSummaries() {
        if !textareaIDs.isEmpty {
            notes.append(
                "\(textareaIDs.count) <textarea> field(s), which MRRT does not define, read as free-text fields: "
                    + textareaIDs.joined(separator: ", ")
            )
        }
        if !untypedIDs.isEmpty {
            notes.append(
                "\(untypedIDs.count) field(s) without data-field-type; the type was taken from the HTML element: "
                    + untypedIDs.joined(separator: ", ")
            )
        }
        let dangling = attributes.codedContent.keys.filter { !elementIDs.contains($0) }.sorted()
        if !dangling.isEmpty {
            notes.append(
                "coded_content names element id(s) the body does not have; their codes attach to nothing: "
                    + dangling.joined(separator: ", ")
            )
        }
    }

    /// Notes for `<p>` elements left open until the next `<p>` or the end of their section (HTML closes them).
    static func unclosedParagraphs(in html: String) -> [String] {
        var notes: [String] = []
        var openLine: Int?
        var line = 1
        var index = html.startIndex
        let pattern = "</?(p|section|body)(\\s[^>]*)?/?>"
        while let match = html.range(
            of: pattern,
            options: [.regularExpression, .caseInsensitive],
            range: index..<html.endIndex
        ) {
            line += html[index..<match.lowerBound].reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
            let tag = html[match].lowercased()
            let closing = tag.hasPrefix("</")
            let isParagraph = tag.hasPrefix("<p") || tag.hasPrefix("</p")
            if let opened = openLine {
                if isParagraph && closing {
                    openLine = nil
                } else {
                    let next = isParagraph ? "the next <p>" : tag
                    notes.append("line \(opened): <p> is not closed before \(next) at line \(line); closed there")
                    openLine = isParagraph ? line : nil
                }
            } else if isParagraph && !closing && !tag.hasSuffix("/>") {
                openLine = line
            }
            line += html[match].reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
            index = match.upperBound
        }
        return notes
    }
}
