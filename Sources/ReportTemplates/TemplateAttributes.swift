import Foundation

/// The `<template_attributes>` block of an MRRT template: coding schemes, template terms, coded content.
///
/// Real files wrap the XML in `<!-- -->` and leave `<code …>` unclosed, so the block is read with
/// libxml2's HTML parser in recover mode (which closes `<code>` at the enclosing `</term>`), not as XML.
struct TemplateAttributes {
    var isTopLevel: Bool?
    var status: String?
    var codingSchemes: [CodingScheme] = []
    var codes: [TemplateCode] = []
    var codedContent: [String: [TemplateCode]] = [:]

    /// Reads the attributes from the text of a `<script type="text/xml">` element.
    /// - Parameters:
    ///   - scriptText: the raw script content.
    ///   - firstLine: the source line the script content starts on, to report lines in the whole file.
    ///   - notes: receives what was repaired or skipped.
    /// - Returns: nil when the text holds no `<template_attributes>` element.
    static func parse(scriptText: String, firstLine: Int, notes: inout [String]) -> TemplateAttributes? {
        var text = scriptText
        guard let start = text.range(of: "<template_attributes", options: .caseInsensitive) else { return nil }
        if let comment = text.range(of: "<!--"), comment.lowerBound < start.lowerBound {
            notes.append(
                "template attributes: the XML is wrapped in an HTML comment <!-- -->; read it from inside the comment"
            )
            text = text.replacingOccurrences(of: "<!--", with: "").replacingOccurrences(of: "-->", with: "")
        }
        guard let document = HTMLDocument(parsing: text), let root = document.rootElement,
            let element = root.firstDescendant(named: "template_attributes")
        else {
            notes.append("template attributes: the block could not be parsed and was skipped")
            return nil
        }
        reportRepairs(document.diagnostics, scriptText: scriptText, firstLine: firstLine, notes: &notes)

        var attributes = TemplateAttributes()
        for child in element.children {
            switch child.name {
            case "top-level-flag", "top_level_flag":
                attributes.isTopLevel = child.textContent.collapsingWhitespace.lowercased() == "true"
            case "status":
                attributes.status = child.textContent.collapsingWhitespace
            case "coding_schemes":
                for scheme in child.descendants(where: { $0.name == "coding_scheme" }) {
                    guard let name = scheme.attribute("name")?.collapsingWhitespace, !name.isEmpty else {
                        notes.append("template attributes: a <coding_scheme> without a name was skipped")
                        continue
                    }
                    attributes.codingSchemes.append(
                        CodingScheme(name: name, designator: scheme.attribute("designator"))
                    )
                }
            default:
                break
            }
        }
        let schemes = attributes.codingSchemes
        for term in element.children where term.name == "term" {
            attributes.codes += codes(inTerm: term, schemes: schemes, notes: &notes)
        }
        for coded in element.children where coded.name == "coded_content" {
            for entry in coded.descendants(where: { $0.name == "entry" }) {
                guard let id = entry.attribute("ORIGTXT")?.collapsingWhitespace, !id.isEmpty else {
                    notes.append("template attributes: a coded_content <entry> without ORIGTXT was skipped")
                    continue
                }
                var entryCodes: [TemplateCode] = []
                for term in entry.descendants(where: { $0.name == "term" }) {
                    entryCodes += codes(inTerm: term, schemes: schemes, notes: &notes)
                }
                attributes.codedContent[id, default: []] += entryCodes
            }
        }
        return attributes
    }

    /// The codes in one `<term>`: `<code meaning value scheme>` or the `<code_value>/<code_meaning>` spelling.
    private static func codes(inTerm term: HTMLNode, schemes: [CodingScheme], notes: inout [String]) -> [TemplateCode] {
        var result: [TemplateCode] = []
        let codeElements = term.descendants(where: { $0.name == "code" })
        let carriers = codeElements.isEmpty ? [term] : codeElements
        for carrier in carriers {
            func child(_ names: String...) -> String? {
                carrier.descendants(where: { names.contains($0.name) }).first?.textContent.collapsingWhitespace
            }
            let value = carrier.attribute("value") ?? child("code_value", "value")
            let meaning = carrier.attribute("meaning") ?? child("code_meaning", "meaning") ?? ""
            let scheme =
                carrier.attribute("scheme") ?? carrier.attribute("scheme_designator")
                ?? child("coding_scheme_designator", "code_scheme", "scheme") ?? ""
            if carrier.attribute("value") == nil, value != nil {
                notes.append(
                    "template attributes: line \(carrier.line): code written as <code_value>/<code_meaning> elements"
                )
            }
            guard let value = value?.collapsingWhitespace, !value.isEmpty else {
                notes.append("template attributes: line \(carrier.line): a <code> without a value was skipped")
                continue
            }
            let declared = schemes.first { $0.name.caseInsensitiveCompare(scheme) == .orderedSame }
            result.append(
                TemplateCode(
                    value: value,
                    meaning: meaning.collapsingWhitespace,
                    scheme: scheme,
                    schemeDesignator: declared?.designator ?? (scheme.hasPrefix("2.16.") ? scheme : nil)
                )
            )
        }
        return result
    }

    /// Turns libxml2's complaints about the attribute XML into notes, and reports unclosed `<code>` elements.
    ///
    /// libxml2's HTML parser closes an open `<code>` at the enclosing `</term>` without complaint, so unclosed
    /// codes are counted in the text itself.
    private static func reportRepairs(
        _ diagnostics: [ParserDiagnostic],
        scriptText: String,
        firstLine: Int,
        notes: inout [String]
    ) {
        for diagnostic in diagnostics where !HTMLDiagnostics.isBenign(diagnostic) {
            let line = diagnostic.line > 0 ? firstLine + diagnostic.line - 1 : 0
            notes.append("template attributes: line \(line): \(diagnostic.message); repaired")
        }
        var openLines: [Int] = []
        var closed = 0
        var line = firstLine
        var index = scriptText.startIndex
        let pattern = "<(/?)code(\\s[^>]*)?>"
        while let match = scriptText.range(
            of: pattern,
            options: [.regularExpression, .caseInsensitive],
            range: index..<scriptText.endIndex
        ) {
            line += scriptText[index..<match.lowerBound].reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
            let tag = scriptText[match]
            if tag.hasPrefix("</") {
                closed += 1
            } else if !tag.hasSuffix("/>") {
                openLines.append(line)
            }
            line += tag.reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
            index = match.upperBound
        }
        let unclosed = openLines.count - closed
        if unclosed > 0, let first = openLines.first {
            notes.append(
                "template attributes: \(unclosed) <code> element(s) are not closed (the first at line \(first)); "
                    + "each was closed at its </term>"
            )
        }
    }
}

/// Helpers for telling real repairs from libxml2 2.9 not knowing HTML5 tags.
enum HTMLDiagnostics {
    /// Complaints that describe no repair: `XML_HTML_UNKNOWN_TAG` (libxml2 2.9 calls every HTML5 and MRRT
    /// XML tag invalid but keeps it) and "Element script embeds close tag" (the HTML 4 rule about `</` inside
    /// a script; the script text is kept whole).
    static func isBenign(_ diagnostic: ParserDiagnostic) -> Bool {
        diagnostic.code == 801 || (diagnostic.message.hasPrefix("Tag ") && diagnostic.message.hasSuffix(" invalid"))
            || diagnostic.message.hasSuffix("embeds close tag")
    }
}
