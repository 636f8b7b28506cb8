/// A finding named in report text, mapped to an ontology concept, with its assertion and side.
public struct CodedFinding: Sendable, Hashable, Codable {
    /// Whether the report asserts the finding.
    public enum Status: String, Sendable, Hashable, Codable {
        case present
        case absent
        case uncertain
    }

    public enum Laterality: String, Sendable, Hashable, Codable {
        case left
        case right
        case bilateral
    }

    public var conceptID: String
    public var preferredTerm: String
    public var status: Status
    public var laterality: Laterality?
    /// The words of the text that named the concept, as written.
    public var matchedText: String
    /// The negation or uncertainty cue that set `status` ("no", "cannot exclude"), if any.
    public var cue: String?
    /// Descriptor concepts written just before the finding ("small", "acute"), by preferred term.
    public var modifiers: [String]
    /// Anatomy written with the finding ("right lower lobe consolidation", "nodule in the liver"), if any.
    public var siteID: String?
    public var site: String?
    /// Index of the sentence in the coded text, from 0.
    public var sentenceIndex: Int

    public init(
        conceptID: String, preferredTerm: String, status: Status, laterality: Laterality? = nil,
        matchedText: String, cue: String? = nil, modifiers: [String] = [], siteID: String? = nil, site: String? = nil,
        sentenceIndex: Int = 0
    ) {
        self.conceptID = conceptID
        self.preferredTerm = preferredTerm
        self.status = status
        self.laterality = laterality
        self.matchedText = matchedText
        self.cue = cue
        self.modifiers = modifiers
        self.siteID = siteID
        self.site = site
        self.sentenceIndex = sentenceIndex
    }
}
