import Foundation
import RadScribeCore

/// Reads the ontology file, `Lexicon/ontology/radscribe-ontology.tsv`.
///
/// Tab-separated, UTF-8, one concept per line after a header line
/// `id  preferred_term  category  parents  synonyms  abbreviations  radlex_rid  radlex_source`;
/// multi-valued columns (parents, synonyms, abbreviations) separate values with `|`. The format is documented
/// in `Lexicon/ontology/README.md`; `scripts/build-ontology.py` writes it from hand-written lists.
public enum OntologyFile {
    public static let header = [
        "id", "preferred_term", "category", "parents", "synonyms", "abbreviations", "radlex_rid", "radlex_source",
    ]

    /// Where the bundled ontology lives.
    public static func bundledURL(in resources: ResourceLocator) -> URL {
        resources.lexiconDirectory.appendingPathComponent("ontology/radscribe-ontology.tsv")
    }

    /// Parses and checks the file's text.
    /// - Throws: ``OntologyError`` with the line number for a malformed line, or the first broken rule.
    public static func parse(_ text: String) throws -> Ontology {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? $0.dropLast() : $0
        }
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard let first = lines.first, first.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) == header
        else {
            throw OntologyError(.malformedFile, "line 1: expected the header \(header.joined(separator: "<TAB>"))")
        }
        var concepts: [OntologyConcept] = []
        concepts.reserveCapacity(lines.count)
        for (offset, line) in lines.enumerated().dropFirst() {
            let number = offset + 1
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == header.count else {
                throw OntologyError(.malformedFile, "line \(number): \(fields.count) columns, expected \(header.count)")
            }
            guard let category = OntologyCategory(rawValue: fields[2]) else {
                throw OntologyError(.malformedFile, "line \(number): unknown category \(fields[2])")
            }
            guard !fields[1].isEmpty else {
                throw OntologyError(.malformedFile, "line \(number): empty preferred term")
            }
            if fields[6].isEmpty != fields[7].isEmpty {
                throw OntologyError(.malformedFile, "line \(number): a RadLex id needs its source, and a source its id")
            }
            concepts.append(
                OntologyConcept(
                    id: fields[0],
                    preferredTerm: fields[1],
                    category: category,
                    parentIDs: values(fields[3]),
                    synonyms: values(fields[4]),
                    abbreviations: values(fields[5]),
                    radLex: fields[6].isEmpty ? nil : RadLexReference(rid: fields[6], source: fields[7])
                )
            )
        }
        return try Ontology(concepts: concepts)
    }

    /// Reads and parses a file.
    public static func load(contentsOf url: URL) throws -> Ontology {
        try parse(try read(url))
    }

    static func read(_ url: URL) throws -> String {
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw OntologyError(.fileUnreadable, "cannot read the ontology file \(url.path): \(error.localizedDescription)")
        }
    }

    private static func values(_ field: String) -> [String] {
        field.isEmpty ? [] : field.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// A 64-bit FNV-1a hash of the file's bytes with their count, as 16+ hex digits: detects a changed file.
    public static func contentHash(of text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var count = 0
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            count += 1
        }
        return String(hash, radix: 16) + "-" + String(count)
    }
}
