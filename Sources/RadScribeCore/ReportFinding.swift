/// A finding coded from report text, as the RIS receives it: the concept, whether the report asserts it, and its side.
///
/// A plain value so that the HL7 module (which does not depend on the ontology) can send coded findings; the
/// ontology's `CodedFinding` converts to it.
public struct ReportFinding: Sendable, Hashable, Codable {
    /// Whether the report asserts the finding.
    public enum Presence: String, Sendable, Hashable, Codable, CaseIterable {
        case present
        case absent
        case uncertain
    }

    /// The side of the body the finding concerns.
    public enum Laterality: String, Sendable, Hashable, Codable, CaseIterable {
        case left
        case right
        case bilateral
    }

    /// The project's own concept id (code system `L`, local), always set.
    public var conceptID: String
    /// The RadLex id (`RID…`) when the mapping has been verified, else nil.
    public var radlexID: String?
    /// The preferred term of the concept.
    public var term: String
    public var presence: Presence
    public var laterality: Laterality?

    public init(conceptID: String, radlexID: String? = nil, term: String, presence: Presence, laterality: Laterality? = nil) {
        self.conceptID = conceptID
        self.radlexID = radlexID
        self.term = term
        self.presence = presence
        self.laterality = laterality
    }
}
