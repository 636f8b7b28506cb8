extension ReportTemplate {
    /// The template without what depends on how its HTML was laid out: source lines and the source text.
    ///
    /// Two templates with equal content forms hold the same metadata, codes, sections, fields, options and
    /// defaults, which is what an import → export → import round trip must keep.
    public var contentForm: ReportTemplate {
        var copy = self
        copy.sourceHTML = ""
        copy.sections = sections.map(\.contentForm)
        return copy
    }

    /// What differs between this template's content and another's, one line per difference; empty when none.
    ///
    /// Source lines and the source HTML are not compared (see ``contentForm``).
    /// - Parameter other: the template to compare with, e.g. the one read back from ``mrrtHTML()``.
    public func differences(from other: ReportTemplate) -> [String] {
        let lhs = contentForm
        let rhs = other.contentForm
        guard lhs != rhs else { return [] }
        var result: [String] = []
        func compare<T: Equatable>(_ what: String, _ left: T, _ right: T) {
            if left != right { result.append("\(what): \(left) ≠ \(right)") }
        }
        compare("identifier", lhs.identifier, rhs.identifier)
        compare("title", lhs.title, rhs.title)
        compare("metadata", lhs.metadata, rhs.metadata)
        compare("coding schemes", lhs.codingSchemes, rhs.codingSchemes)
        compare("template codes", lhs.codes, rhs.codes)
        for id in Set(lhs.codedContent.keys).union(rhs.codedContent.keys).sorted() {
            compare("coded content \(id)", lhs.codedContent[id] ?? [], rhs.codedContent[id] ?? [])
        }
        compare("section keys", lhs.sections.map(\.key), rhs.sections.map(\.key))
        for (left, right) in zip(lhs.sections.flatMap(\.allSections), rhs.sections.flatMap(\.allSections)) {
            var leftHead = left
            var rightHead = right
            leftHead.fields = []
            rightHead.fields = []
            leftHead.subsections = []
            rightHead.subsections = []
            compare("section \(left.key)", leftHead, rightHead)
            compare("section \(left.key) field count", left.fields.count, right.fields.count)
            for (index, (a, b)) in zip(left.fields, right.fields).enumerated() {
                compare("section \(left.key) field \(a.id ?? "#\(index + 1)")", a, b)
            }
        }
        if result.isEmpty { result.append("the templates differ") }
        return result
    }
}

extension TemplateSection {
    var contentForm: TemplateSection {
        var copy = self
        copy.line = 0
        copy.fields = fields.map { field in
            var field = field
            field.line = 0
            return field
        }
        copy.subsections = subsections.map(\.contentForm)
        return copy
    }
}
