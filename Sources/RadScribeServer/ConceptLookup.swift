/// Finds ontology concepts by term, synonym, abbreviation, RadScribe id or RadLex RID, for `GET /api/ontology` and
/// the workstation's terms page. The CLI supplies it (it owns the ontology), so this module needs no ontology code.
public protocol ConceptLookup: Sendable {
    func search(_ text: String, limit: Int) throws -> [ConceptHit]
}

/// One concept found.
public struct ConceptHit: Sendable, Hashable, Codable {
    public var id: String
    public var preferredTerm: String
    public var category: String
    /// The verified RadLex RID, when the concept has one.
    public var radlexRID: String?
    /// The term that matched (preferred, synonym or abbreviation), or the id.
    public var matchedTerm: String

    public init(id: String, preferredTerm: String, category: String, radlexRID: String?, matchedTerm: String) {
        self.id = id
        self.preferredTerm = preferredTerm
        self.category = category
        self.radlexRID = radlexRID
        self.matchedTerm = matchedTerm
    }
}
