import Foundation
import MLLP
import Ontology
import RadScribeCore

/// The bundled ontology, read once and only when a message needs coded findings.
enum BundledOntology {
    static let ontology: Ontology? = {
        guard let resources = try? ResourceLocator.discover() else { return nil }
        return try? OntologyFile.load(contentsOf: OntologyFile.bundledURL(in: resources))
    }()

    static let coder: FindingCoder? = ontology.map { FindingCoder(ontology: $0) }
}

extension ORUResultEncoder {
    /// The result encoder with the bundled ontology coding findings into CE rows.
    static let bundled = ORUResultEncoder { sections in
        guard let ontology = BundledOntology.ontology, let coder = BundledOntology.coder else { return [] }
        return coder.reportFindings(for: sections, in: ontology)
    }
}
