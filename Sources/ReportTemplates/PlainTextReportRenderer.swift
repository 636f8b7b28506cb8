public import RadScribeCore

/// Renders a filled report as the plain text the RIS receives.
///
/// Each non-empty section becomes its heading in capitals with a colon, then its text; sections are
/// separated by one blank line and follow the template's order. Sections the template does not know
/// are kept, after the template's sections, in the order given, so no dictated text is lost.
public struct PlainTextReportRenderer: Sendable {
    public var template: ReportTemplate

    public init(template: ReportTemplate) {
        self.template = template
    }

    /// Renders `sections`.
    /// - Parameter sections: the report's sections, in any order; matched to the template by key.
    /// - Returns: the report text, ending in a newline; empty when every section is empty.
    public func render(_ sections: [ReportSection]) -> String {
        let order = Dictionary(
            template.sections.enumerated().map { ($1.key, $0) },
            uniquingKeysWith: { first, _ in first }
        )
        let sorted = sections.enumerated().sorted { lhs, rhs in
            let left = order[lhs.element.key] ?? order.count + lhs.offset
            let right = order[rhs.element.key] ?? order.count + rhs.offset
            return left < right
        }
        let blocks = sorted.compactMap { _, section -> String? in
            let text = Self.tidy(section.text)
            guard !text.isEmpty else { return nil }
            let title =
                section.title.isEmpty ? (template.section(forKey: section.key)?.name ?? section.key) : section.title
            return "\(title.uppercased()):\n\(text)"
        }
        return blocks.isEmpty ? "" : blocks.joined(separator: "\n\n") + "\n"
    }

    /// Trailing spaces removed from every line, blank lines at the ends dropped.
    private static func tidy(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var line = Substring(line)
            while let last = line.last, last.isWhitespace { line = line.dropLast() }
            return String(line)
        }
        while let first = lines.first, first.isEmpty { lines.removeFirst() }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}
