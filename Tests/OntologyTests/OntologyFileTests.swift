import Foundation
import Ontology
import Testing
import TestSupport

/// The bundled ontology file: format, size, ids, hierarchy, RadLex provenance, pronunciations.
@Suite struct OntologyFileTests {
    static let lexicon = ProjectPaths.root.appendingPathComponent("Lexicon")
    static let file = lexicon.appendingPathComponent("ontology/radscribe-ontology.tsv")

    static func bundled() throws -> Ontology { try OntologyFile.load(contentsOf: file) }

    @Test func parsesWithAtLeast1500ConceptsInEveryCategory() throws {
        let ontology = try Self.bundled()
        #expect(ontology.count >= 1500)
        let counts = Dictionary(grouping: ontology.concepts, by: \.category).mapValues(\.count)
        for category in [OntologyCategory.anatomy, .finding, .descriptor, .device, .procedure, .measurement, .unit] {
            #expect((counts[category] ?? 0) >= 20, "too few \(category) concepts: \(counts[category] ?? 0)")
        }
    }

    @Test func idsAreUniqueWellFormedAndParentsExist() throws {
        let ontology = try Self.bundled()
        #expect(Set(ontology.concepts.map(\.id)).count == ontology.count)
        for concept in ontology.concepts {
            #expect(OntologyConcept.isValidID(concept.id))
            for parent in concept.parentIDs { #expect(ontology[parent] != nil, "\(concept.id) -> \(parent)") }
        }
        #expect(ontology.roots.count < 20)
    }

    @Test func idsNeverReused() throws {
        // ids.tsv is append-only: every id in the ontology is registered for the same term, ids are distinct
        let text = try String(contentsOf: Self.lexicon.appendingPathComponent("ontology/ids.tsv"), encoding: .utf8)
        var termByID: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t").map(String.init)
            #expect(fields.count == 2)
            #expect(termByID.updateValue(fields[1], forKey: fields[0]) == nil, "id \(fields[0]) registered twice")
        }
        #expect(Set(termByID.values).count == termByID.count)
        for concept in try Self.bundled().concepts {
            #expect(termByID[concept.id] == concept.preferredTerm.lowercased(), "\(concept.id)")
        }
    }

    @Test func hierarchyIsRealRadiology() throws {
        let ontology = try Self.bundled()
        func id(_ term: String) throws -> String {
            try #require(ontology.concepts.first { $0.preferredTerm == term }?.id, "\(term) missing")
        }
        #expect(ontology.isA(try id("right lower lobe"), try id("lung")))
        #expect(ontology.isA(try id("L4-L5 intervertebral disc"), try id("spine")))
        #expect(ontology.isA(try id("pleural effusion"), try id("effusion")))
        #expect(ontology.isA(try id("subdural hematoma"), try id("hemorrhage")))
        #expect(ontology.isA(try id("peripherally inserted central catheter"), try id("medical device")))
        #expect(ontology.isA(try id("computed tomography"), try id("imaging modality")))
        #expect(ontology.isA(try id("millimeter"), try id("unit of measure")))
        #expect(ontology.isA(try id("mild"), try id("severity descriptor")))
        #expect(ontology.isA(try id("left"), try id("laterality descriptor")))
        #expect(ontology.isA(try id("possible"), try id("certainty descriptor")))
        #expect(!ontology.isA(try id("liver"), try id("clinical finding")))
        let axillary = try #require(ontology[try id("axillary lymph node")])
        #expect(axillary.parentIDs.count == 2)  // lymph node and axilla
    }

    @Test func rejectsCyclesMissingParentsAndDuplicates() {
        let a = OntologyConcept(id: "RS:000001", preferredTerm: "a", category: .finding, parentIDs: ["RS:000002"])
        let b = OntologyConcept(id: "RS:000002", preferredTerm: "b", category: .finding, parentIDs: ["RS:000001"])
        #expect(throws: OntologyError.self) { try Ontology(concepts: [a, b]) }
        let orphan = OntologyConcept(id: "RS:000003", preferredTerm: "c", category: .finding, parentIDs: ["RS:000009"])
        #expect(throws: OntologyError.self) { try Ontology(concepts: [orphan]) }
        #expect(throws: OntologyError.self) { try Ontology(concepts: [orphan, orphan]) }
        let badID = OntologyConcept(id: "RS:12", preferredTerm: "d", category: .finding)
        #expect(throws: OntologyError.self) { try Ontology(concepts: [badID]) }
        #expect(throws: OntologyError.self) { try OntologyFile.parse("id\tterm\n") }
        let header = OntologyFile.header.joined(separator: "\t")
        #expect(throws: OntologyError.self) { try OntologyFile.parse(header + "\nRS:000001\tx\tnot-a-category\t\t\t\t\t\n") }
        #expect(throws: OntologyError.self) { try OntologyFile.parse(header + "\nRS:000001\tx\tfinding\t\t\t\tRID1\t\n") }
        let ok = try? OntologyFile.parse(header + "\nRS:000001\tx\tfinding\t\ty|z\tX\tRID1\tsome source\n")
        #expect(ok?.concepts.first?.synonyms == ["y", "z"])
    }

    @Test func everyRadLexIDIsVerifiedWithItsSource() throws {
        let text = try String(contentsOf: Self.lexicon.appendingPathComponent("ontology/radlex-verified.tsv"), encoding: .utf8)
        var verified: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("RID") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            verified[fields[0]] = fields[2]
        }
        let withRID = try Self.bundled().concepts.filter { $0.radLex != nil }
        #expect(withRID.count >= 50)
        for concept in withRID {
            let radLex = try #require(concept.radLex)
            #expect(verified[radLex.rid] == radLex.source, "\(concept.id) \(radLex.rid) not in radlex-verified.tsv")
        }
        // each RID names one concept
        #expect(Set(withRID.map { $0.radLex!.rid }).count == withRID.count)
    }

    @Test(.needsShared) func verifiedRIDsFromTheRSNASamplesAreReallyThere() throws {
        let samples = ProjectPaths.mrrtSamples
        guard FileManager.default.fileExists(atPath: samples.path) else {
            Issue.record("shared MRRT samples missing at \(samples.path): cannot re-check RIDs attributed to them")
            return
        }
        let text = try String(contentsOf: Self.lexicon.appendingPathComponent("ontology/radlex-verified.tsv"), encoding: .utf8)
        for line in text.split(separator: "\n") where line.hasPrefix("RID") {
            let fields = line.split(separator: "\t").map(String.init)
            for source in fields[2].split(separator: ",") where source.hasPrefix("mrrt-samples/") {
                let html = try String(
                    contentsOf: samples.appendingPathComponent(String(source.dropFirst("mrrt-samples/".count))), encoding: .utf8
                )
                #expect(html.contains("value=\"\(fields[0])\" scheme=\"RadLex\""), "\(fields[0]) not in \(source)")
            }
        }
    }

    /// Every word of every preferred term and synonym is in the runtime pronunciation dictionary (the LM build
    /// puts the ontology into the corpus); abbreviations in capitals are spoken as letters, which all have one.
    @Test func everyOntologyWordHasAPronunciation() throws {
        let dictionary = try String(contentsOf: Self.lexicon.appendingPathComponent("radscribe.dict"), encoding: .utf8)
        var words: Set<Substring> = []
        for line in dictionary.split(separator: "\n") {
            if let word = line.split(separator: " ").first { words.insert(word.split(separator: "(").first ?? word) }
        }
        var missing: Set<String> = []
        for concept in try Self.bundled().concepts {
            for term in [concept.preferredTerm] + concept.synonyms {
                for token in term.split(whereSeparator: { !$0.isLetter && $0 != "'" }) {
                    let word = token.replacingOccurrences(of: "'", with: "")
                    guard word == word.lowercased(), word.count > 1 else { continue }  // capitals: spelled letters
                    if !words.contains(Substring(word)) { missing.insert(word) }
                }
            }
        }
        #expect(missing.isEmpty, "no pronunciation for: \(missing.sorted().prefix(40).joined(separator: ", "))")
    }
}
