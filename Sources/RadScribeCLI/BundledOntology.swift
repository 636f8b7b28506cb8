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
