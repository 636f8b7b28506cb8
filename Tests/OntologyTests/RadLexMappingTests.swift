import Foundation
import Ontology
import Testing
import TestSupport

/// The reviewed RadLex mapping (`Lexicon/ontology/radlex-mapping.tsv`, made by `scripts/map-radlex.py`): its rows, the
/// RIDs the ontology takes from it, and, when RSNA's term list is beside the repository
/// (`../shared/reference/radlex/radlex-terms.csv`), that every accepted RID exists there under a matching name.
@Suite struct RadLexMappingTests {
    static let mappingFile = OntologyFileTests.lexicon.appendingPathComponent("ontology/radlex-mapping.tsv")
    static let radLexTerms = ProjectPaths.shared.appendingPathComponent("reference/radlex/radlex-terms.csv")
    /// The `radlex_source` of the RIDs the ontology build takes from the mapping.
    static let mappingSource = "radlex-terms.csv"
    static let columns = ["concept_id", "preferred_term", "rid", "radlex_name", "decision", "match", "matched_term", "reason"]

    struct Row {
        let line: Int
        let conceptID: String
        let preferredTerm: String
        let rid: String
        let radLexName: String
        let decision: String
        let reason: String
    }

    static func rows() throws -> [Row] {
        let text = try String(contentsOf: mappingFile, encoding: .utf8)
        var rows: [Row] = []
        var sawHeader = false
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if !sawHeader {
                #expect(Array(fields.prefix(columns.count)) == columns, "radlex-mapping.tsv header")
                sawHeader = true
                continue
            }
            try #require(fields.count >= columns.count, "radlex-mapping.tsv line \(index + 1): \(fields.count) fields")
            rows.append(
                Row(
                    line: index + 1, conceptID: fields[0], preferredTerm: fields[1], rid: fields[2], radLexName: fields[3],
                    decision: fields[4], reason: fields[7]
                )
            )
        }
        #expect(sawHeader)
        return rows
    }

    static func accepted() throws -> [Row] { try rows().filter { $0.decision == "accepted" } }

    /// `name,RID,parent RID` per line; a name may hold commas (then it is quoted), a RID never does.
    static func radLexNames(_ text: String) -> [String: String] {
        var names: [String: String] = [:]
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let parts = rawLine.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 3 else { continue }
            let rid = parts[parts.count - 2]
            guard rid.hasPrefix("RID") else { continue }
            var name = parts.dropLast(2).joined(separator: ",")
            if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
                name = String(name.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
            }
            names[rid] = name
        }
        return names
    }

    @Test func rowsAreWellFormedAndDecided() throws {
        let rows = try Self.rows()
        #expect(rows.count >= 1000)
        var pairs: Set<String> = []
        for row in rows {
            let place = "radlex-mapping.tsv line \(row.line)"
            #expect(OntologyConcept.isValidID(row.conceptID), "\(place): concept id \(row.conceptID)")
            #expect(row.rid.hasPrefix("RID") && row.rid.dropFirst(3).allSatisfy(\.isNumber), "\(place): \(row.rid)")
            #expect(["accepted", "rejected", "deferred"].contains(row.decision), "\(place): decision \(row.decision)")
            if row.decision != "accepted" {
                #expect(!row.reason.trimmingCharacters(in: .whitespaces).isEmpty, "\(place): a \(row.decision) row needs a reason")
            }
            #expect(pairs.insert("\(row.conceptID) \(row.rid)").inserted, "\(place): \(row.conceptID) \(row.rid) listed twice")
        }
        let accepted = rows.filter { $0.decision == "accepted" }
        #expect(Set(accepted.map(\.conceptID)).count == accepted.count, "a concept has more than one accepted RID")
        #expect(Set(accepted.map(\.rid)).count == accepted.count, "a RID is accepted for more than one concept")
    }

    /// The ontology build attaches exactly the accepted RIDs, with the source `radlex-terms.csv`, and keeps
    /// the RIDs verified from the MRRT sources apart.
    @Test func ontologyCarriesTheAcceptedRIDs() throws {
        let ontology = try OntologyFileTests.bundled()
        let accepted = try Self.accepted()
        for row in accepted {
            let concept = try #require(ontology[row.conceptID], "\(row.conceptID) is not in the ontology")
            #expect(concept.preferredTerm == row.preferredTerm, "\(row.conceptID): the mapping names \(row.preferredTerm)")
            #expect(concept.radLex == RadLexReference(rid: row.rid, source: Self.mappingSource), "\(row.conceptID) \(row.rid)")
        }
        let acceptedIDs = Set(accepted.map(\.conceptID))
        for concept in ontology.concepts where concept.radLex?.source == Self.mappingSource {
            #expect(acceptedIDs.contains(concept.id), "\(concept.id) has a \(Self.mappingSource) RID without an accepted row")
        }
    }

    /// Every accepted RID is in RSNA's list, under the name the mapping records, and that name matches the concept's
    /// preferred term or a synonym. Skipped, with a notice, when the list is not beside the repository.
    @Test(.needsShared) func acceptedRIDsExistInRadLexWithMatchingNames() throws {
        let names = Self.radLexNames(try String(contentsOf: Self.radLexTerms, encoding: .utf8))
        #expect(names.count > 40_000)
        let ontology = try OntologyFileTests.bundled()
        for row in try Self.accepted() {
            let name = try #require(names[row.rid], "\(row.conceptID): \(row.rid) is not in radlex-terms.csv")
            #expect(name == row.radLexName, "\(row.rid) is '\(name)' in RadLex, '\(row.radLexName)' in the mapping")
            let concept = try #require(ontology[row.conceptID])
            let terms = [concept.preferredTerm] + concept.synonyms
            #expect(
                terms.contains { RadLexName.matches($0, name) },
                "\(row.conceptID) \(row.rid): RadLex '\(name)' matches neither '\(concept.preferredTerm)' nor a synonym"
            )
        }
    }

    @Test func nameMatchingRules() {
        #expect(RadLexName.matches("pleural effusion", "effusion, pleural"))
        #expect(RadLexName.matches("gallbladder fundus", "fundus of gallbladder"))
        #expect(RadLexName.matches("Intra-articular fracture", "intraarticular fracture"))
        #expect(RadLexName.matches("amorphous calcifications", "amorphous calcification"))
        #expect(RadLexName.matches("swimmer view", "swimmers view"))
        #expect(RadLexName.matches("normal pressure hydrocephalus", "normal-pressure hydrocephalus"))
        #expect(RadLexName.matches("Achilles tendon", "achilles tendon"))
        #expect(!RadLexName.matches("ganglion cyst", "ganglion"))
        #expect(!RadLexName.matches("liver", "kidney"))
        #expect(!RadLexName.matches("femoral head", "head of femur"))
    }
}

/// How a RadLex name matches a concept's term, as `scripts/map-radlex.py --check` decides it: the same words after
/// lower-casing, dropping possessive 's, apostrophes and the word "the", and reading hyphens as spaces; or the same
/// letters without spaces (intra-articular / intraarticular); or another word order ("effusion, pleural",
/// "fundus of gallbladder"); or one word in the singular instead of the plural.
enum RadLexName {
    static func normalized(_ text: String) -> String {
        var s = text.lowercased().replacingOccurrences(of: "\u{2019}", with: "'")
        s = s.replacingOccurrences(of: "'s\\b", with: "", options: .regularExpression)
        s = s.replacingOccurrences(of: "'", with: "").replacingOccurrences(of: "-", with: " ")
        return s.split(whereSeparator: \.isWhitespace).filter { $0 != "the" }.joined(separator: " ")
    }

    /// "effusion, pleural" -> "pleural effusion" (one comma, no parentheses).
    static func commaInverted(_ text: String) -> String? {
        guard text.filter({ $0 == "," }).count == 1, !text.contains("(") else { return nil }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        let head = parts[0].trimmingCharacters(in: .whitespaces)
        let modifier = parts[1].trimmingCharacters(in: .whitespaces)
        guard !head.isEmpty, !modifier.isEmpty else { return nil }
        return "\(modifier) \(head)"
    }

    /// "root of spinal nerve" -> "spinal nerve root" (one " of ", one word before it).
    static func ofInverted(_ normalized: String) -> String? {
        let parts = normalized.components(separatedBy: " of ")
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !parts[0].contains(" ") else { return nil }
        return "\(parts[1]) \(parts[0])"
    }

    static func forms(_ text: String) -> Set<String> {
        var out: Set<String> = [normalized(text)]
        if let inverted = commaInverted(text) { out.insert(normalized(inverted)) }
        for form in out {
            if let inverted = ofInverted(form) { out.insert(inverted) }
        }
        return out
    }

    /// (singular ending, plural ending); a stem of at least two letters must remain.
    static let numberRules: [(String, String)] = [
        ("", "s"), ("", "es"), ("y", "ies"), ("us", "i"), ("um", "a"), ("a", "ae"), ("ix", "ices"), ("ex", "ices"),
        ("is", "es"), ("on", "a"),
    ]

    static func numberVariants(_ word: String) -> Set<String> {
        guard word.count >= 3, word.allSatisfy(\.isLetter) else { return [] }
        var out: Set<String> = []
        for (singular, plural) in numberRules {
            if singular.isEmpty || word.hasSuffix(singular) {
                let stem = String(word.dropLast(singular.count))
                if stem.count >= 2 { out.insert(stem + plural) }
            }
            if word.hasSuffix(plural) {
                let stem = String(word.dropLast(plural.count))
                if stem.count >= 2 { out.insert(stem + singular) }
            }
        }
        out.remove(word)
        return out
    }

    static func matches(_ a: String, _ b: String) -> Bool {
        let na = normalized(a)
        let nb = normalized(b)
        if na == nb || na.replacingOccurrences(of: " ", with: "") == nb.replacingOccurrences(of: " ", with: "") {
            return true
        }
        let fa = forms(a)
        let fb = forms(b)
        if !fa.isDisjoint(with: fb) { return true }
        for x in fa {
            for y in fb {
                let wx = x.split(separator: " ").map(String.init)
                let wy = y.split(separator: " ").map(String.init)
                guard wx.count == wy.count else { continue }
                let differing = zip(wx, wy).filter { $0 != $1 }
                if differing.count == 1, numberVariants(differing[0].0).contains(differing[0].1) { return true }
            }
        }
        return false
    }
}
