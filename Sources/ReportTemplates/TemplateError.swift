/// Why a template could not be read. Descriptions name the problem and, where known, the source line.
public struct TemplateError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case emptyInput
        case notHTML
        case noSections
        case unnamedSection
        case missingTitle
        case missingIdentifier
        case unreadableFile
    }

    private let code: Code
    /// Detail for the description (never report text or patient data).
    public let reason: String
    /// 1-based source line the problem was found at, when known.
    public let line: Int?

    private init(_ code: Code, _ reason: String, line: Int? = nil) {
        self.code = code
        self.reason = reason
        self.line = line
    }

    public var description: String {
        if let line, line > 0 { return "template error at line \(line): \(reason)" }
        return "template error: \(reason)"
    }

    /// Matches errors of the same kind, whatever their detail (`catch let e where e ~= .noSections`).
    public static func ~= (pattern: TemplateError, value: TemplateError) -> Bool { pattern.code == value.code }
    public static func == (lhs: TemplateError, rhs: TemplateError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public static let emptyInput = TemplateError(.emptyInput, "the template is empty")
    public static let notHTML = TemplateError(.notHTML, "the input is not an HTML document")
    public static let noSections = TemplateError(
        .noSections,
        "the template has no <section data-section-name> elements"
    )
    public static let unnamedSection = TemplateError(.unnamedSection, "a <section> has no data-section-name")
    public static let missingTitle = TemplateError(.missingTitle, "the template has neither dcterms.title nor <title>")
    public static let missingIdentifier = TemplateError(.missingIdentifier, "the template has no dcterms.identifier")
    public static let unreadableFile = TemplateError(.unreadableFile, "the template file could not be read")

    static func notHTML(_ reason: String) -> TemplateError { TemplateError(.notHTML, reason) }
    static func noSections(_ reason: String, line: Int? = nil) -> TemplateError {
        TemplateError(.noSections, reason, line: line)
    }
    static func missingTitle(line: Int) -> TemplateError {
        TemplateError(.missingTitle, missingTitle.reason, line: line)
    }
    static func missingIdentifier(line: Int) -> TemplateError {
        TemplateError(.missingIdentifier, missingIdentifier.reason + " (a <meta name=\"dcterms.identifier\">)", line: line)
    }
    static func unnamedSection(line: Int, detail: String) -> TemplateError {
        TemplateError(.unnamedSection, "a <section> has no data-section-name (\(detail))", line: line)
    }
    static func unreadableFile(_ path: String, _ underlying: String) -> TemplateError {
        TemplateError(.unreadableFile, "cannot read template file \(path): \(underlying)")
    }
}
