import Foundation
import MLLP
import Ontology
import RadScribeCore
import RadScribeServer

/// The bundled ontology, read once and only when a message needs coded findings.
enum BundledOntology {
    static let ontology: Ontology? = {
        guard let resources = try? ResourceLocator.discover() else { return nil }
        return try? OntologyFile.load(contentsOf: OntologyFile.bundledURL(in: resources))
    }()

    static let coder: FindingCoder? = ontology.map { FindingCoder(ontology: $0) }

    /// The coded findings of a report's sections (none when the ontology cannot be read).
    @Sendable static func reportFindings(_ sections: [ReportSection]) -> [ReportFinding] {
        guard let ontology, let coder else { return [] }
        return coder.reportFindings(for: sections, in: ontology)
    }
}

extension ORUResultEncoder {
    /// The result encoder with the bundled ontology coding findings into CE rows (for versions stored without them).
    static let bundled = ORUResultEncoder(codeFindings: BundledOntology.reportFindings)
}

/// The workstation's concept lookup: the bundled ontology in an in-memory database of its own, loaded once when the
/// server starts (the report database keeps its single owner).
struct BundledConceptLookup: ConceptLookup {
    let store: OntologyDatabase

    init() throws {
        store = try OntologyDatabase.inMemory()
        try store.sync(withFile: OntologyFile.bundledURL(in: try ResourceLocator.discover()))
    }

    func search(_ text: String, limit: Int) throws -> [ConceptHit] {
        try store.search(text, limit: limit).map { hit in
            ConceptHit(
                id: hit.concept.id, preferredTerm: hit.concept.preferredTerm, category: hit.concept.category.rawValue,
                radlexRID: hit.concept.radLex?.rid, matchedTerm: hit.matchedTerm
            )
        }
    }
}
