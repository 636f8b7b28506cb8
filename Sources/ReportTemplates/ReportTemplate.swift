import Foundation

/// An IHE MRRT report template: its metadata, codes and the sections a report made from it has.
public struct ReportTemplate: Sendable, Hashable {
    /// `dcterms.identifier`, e.g. `urn:radscribe:template:chest-radiograph-2-views`.
    public var identifier: String
    /// `dcterms.title`, or the HTML `<title>` when the meta element is missing.
    public var title: String
    public var metadata: TemplateMetadata
    /// The `<coding_schemes>` declared in `<template_attributes>`.
    public var codingSchemes: [CodingScheme]
    /// Template-level terms (`<template_attributes><term>`), e.g. the modality and body region.
    public var codes: [TemplateCode]
    /// `<coded_content>`: body element id (`ORIGTXT`) → codes attached to it.
    public var codedContent: [String: [TemplateCode]]
    /// Top-level sections in template order; nested sections sit in ``TemplateSection/subsections``.
    public var sections: [TemplateSection]
    /// The HTML the template was parsed from, unchanged.
    public var sourceHTML: String

    public init(
        identifier: String,
        title: String,
        metadata: TemplateMetadata,
        codingSchemes: [CodingScheme],
        codes: [TemplateCode],
        codedContent: [String: [TemplateCode]],
        sections: [TemplateSection],
        sourceHTML: String
    ) {
        self.identifier = identifier
        self.title = title
        self.metadata = metadata
        self.codingSchemes = codingSchemes
        self.codes = codes
        self.codedContent = codedContent
        self.sections = sections
        self.sourceHTML = sourceHTML
    }

    /// The top-level section with this key, e.g. `findings`.
    public func section(forKey key: String) -> TemplateSection? {
        sections.first { $0.key == key }
    }
}

/// What a parse produced: the template and what had to be repaired or skipped to get it.
public struct TemplateParseResult: Sendable, Hashable {
    public var template: ReportTemplate
    /// Human-readable notes, one per repair or skipped construct, in the order they were found.
    public var notes: [String]

    public init(template: ReportTemplate, notes: [String]) {
        self.template = template
        self.notes = notes
    }
}

/// Dublin Core metadata from the template's `<meta name="dcterms.*">` elements plus template attributes.
public struct TemplateMetadata: Sendable, Hashable, Codable {
    public var title: String?
    public var identifier: String?
    public var description: String?
    /// `dcterms.type`; MRRT requires `IMAGE_REPORT_TEMPLATE`.
    public var type: String?
    public var language: String?
    public var publisher: String?
    public var rights: String?
    public var license: String?
    /// `dcterms.date` as written, e.g. `2012-07-16`.
    public var date: String?
    public var creators: [String]
    public var contributors: [String]
    /// Every `dcterms.*` element by its name without the prefix (`title`, `contributor`, …), in document order.
    public var all: [String: [String]]
    /// `<top-level-flag>` of the template attributes.
    public var isTopLevel: Bool?
    /// `<status>` of the template attributes, e.g. `ACTIVE`.
    public var status: String?

    public init(all: [String: [String]] = [:], isTopLevel: Bool? = nil, status: String? = nil) {
        self.all = all
        title = all["title"]?.first
        identifier = all["identifier"]?.first
        description = all["description"]?.first
        type = all["type"]?.first
        language = all["language"]?.first
        publisher = all["publisher"]?.first
        rights = all["rights"]?.first
        license = all["license"]?.first
        date = all["date"]?.first
        creators = all["creator"] ?? []
        contributors = all["contributor"] ?? []
        self.isTopLevel = isTopLevel
        self.status = status
    }
}

/// A `<coding_scheme name designator>` declaration.
public struct CodingScheme: Sendable, Hashable, Codable {
    public var name: String
    /// The scheme's OID, e.g. `2.16.840.1.113883.6.256` for RadLex.
    public var designator: String?

    public init(name: String, designator: String?) {
        self.name = name
        self.designator = designator
    }
}

/// One coded concept, e.g. RadLex `RID10345` "projection radiography" or LOINC `18782-3`.
public struct TemplateCode: Sendable, Hashable, Codable {
    public static let loincDesignator = "2.16.840.1.113883.6.1"
    public static let radLexDesignator = "2.16.840.1.113883.6.256"
    public static let snomedDesignator = "2.16.840.1.113883.6.96"

    public var value: String
    public var meaning: String
    /// The scheme name as the template wrote it, e.g. `RadLex`.
    public var scheme: String
    /// The scheme's OID from `<coding_schemes>`, when declared.
    public var schemeDesignator: String?

    public init(value: String, meaning: String, scheme: String, schemeDesignator: String? = nil) {
        self.value = value
        self.meaning = meaning
        self.scheme = scheme
        self.schemeDesignator = schemeDesignator
    }

    public var isLOINC: Bool {
        schemeDesignator == Self.loincDesignator || scheme.caseInsensitiveCompare("LOINC") == .orderedSame
    }
    public var isRadLex: Bool {
        schemeDesignator == Self.radLexDesignator || scheme.caseInsensitiveCompare("RadLex") == .orderedSame
    }
    /// A RadLex Playbook procedure code (`RPID…`): the Playbook is part of RadLex, under the same OID.
    public var isPlaybookProcedure: Bool { isRadLex && Self.isPlaybookCode(value) }

    /// `RPID` followed by digits.
    public static func isPlaybookCode(_ value: String) -> Bool {
        value.hasPrefix("RPID") && value.count > 4 && value.dropFirst(4).allSatisfy(\.isNumber)
    }
}

extension ReportTemplate {
    /// The RadLex Playbook procedures this template is written for, as its MRRT template attributes state them.
    public var playbookProcedures: [TemplateCode] { codes.filter(\.isPlaybookProcedure) }
}

/// `data-field-signature-latitude` / section signature latitude: may the report be signed with this empty?
public enum SignatureLatitude: String, Sendable, Hashable, Codable, CaseIterable {
    case prohibit = "PROHIBIT"
    case alert = "ALERT"
    case unrestricted = "UNRESTRICTED"
}
