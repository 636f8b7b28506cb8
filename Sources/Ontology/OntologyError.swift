/// A problem with the ontology file or the ontology tables.
public struct OntologyError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Code: Sendable, Hashable {
        /// The file is not the documented TSV (line number in `line`).
        case malformedFile
        /// The concepts break a rule: duplicate id, missing parent, cycle, invalid RID.
        case invalidOntology
        /// The ontology file could not be read.
        case fileUnreadable
        /// SQLite failed (disk full, read-only, locked).
        case storage
        /// No concept with that id.
        case conceptNotFound
    }

    public let code: Code
    public let description: String

    public init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}
