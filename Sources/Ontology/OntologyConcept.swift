/// What kind of thing a concept names; the `category` column of the ontology file.
public enum OntologyCategory: String, Sendable, Codable, CaseIterable, Hashable {
    case anatomy
    case finding
    case descriptor
    case device
    case procedure
    case measurement
    case unit
    case substance
    case report
}

/// A RadLex identifier attached to a concept, with where it was verified.
public struct RadLexReference: Sendable, Hashable, Codable {
    /// `RID` followed by digits, e.g. `RID58`.
    public var rid: String
    /// The source that showed this RID for this meaning (see `Lexicon/ontology/radlex-verified.tsv`).
    public var source: String

    public init(rid: String, source: String) {
        self.rid = rid
        self.source = source
    }
}

/// One concept of the RadScribe ontology (`RS:nnnnnn`).
public struct OntologyConcept: Sendable, Hashable, Codable, Identifiable {
    /// Stable id in RadScribe's namespace, `RS:` and six digits; never reused.
    public var id: String
    public var preferredTerm: String
    public var category: OntologyCategory
    /// Ids of the parent concepts; the first is the parent the concept is listed under.
    public var parentIDs: [String]
    public var synonyms: [String]
    public var abbreviations: [String]
    /// Present only where the RID was verified from a source.
    public var radLex: RadLexReference?

    public init(
        id: String,
        preferredTerm: String,
        category: OntologyCategory,
        parentIDs: [String] = [],
        synonyms: [String] = [],
        abbreviations: [String] = [],
        radLex: RadLexReference? = nil
    ) {
        self.id = id
        self.preferredTerm = preferredTerm
        self.category = category
        self.parentIDs = parentIDs
        self.synonyms = synonyms
        self.abbreviations = abbreviations
        self.radLex = radLex
    }

    /// The preferred term, then synonyms, then abbreviations.
    public var allTerms: [String] { [preferredTerm] + synonyms + abbreviations }

    /// Whether `id` has the form `RS:nnnnnn`.
    public static func isValidID(_ id: String) -> Bool {
        let digits = id.utf8.dropFirst(3)
        return id.hasPrefix("RS:") && digits.count == 6 && digits.allSatisfy { $0 >= 48 && $0 <= 57 }
    }
}
