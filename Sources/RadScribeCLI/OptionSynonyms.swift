import Dictation
import Foundation
import Ontology
import RadScribeCore
import ReportTemplates

/// Lets selection fields answer to the ontology's names for an option ("thigh bone" selects "femur"), so the
/// field grammars and the dictation session accept what radiologists actually say.
enum OptionSynonyms {
    /// The template with each option's ontology synonyms added, keeping only names whose every word the
    /// recognizer can pronounce (a grammar with an unknown word would be refused as a whole).
    static func enrich(_ template: ReportTemplate, vocabulary: Set<String>) -> ReportTemplate {
        guard let ontology = BundledOntology.ontology else { return template }
        var conceptsByName: [String: [OntologyConcept]] = [:]
        for concept in ontology.concepts {
            for name in [concept.preferredTerm] + concept.synonyms {
                conceptsByName[name.lowercased(), default: []].append(concept)
            }
        }
        var enriched = template
        enriched.sections = template.sections.map { enrich($0, conceptsByName, vocabulary) }
        return enriched
    }

    private static func enrich(
        _ section: TemplateSection, _ concepts: [String: [OntologyConcept]], _ vocabulary: Set<String>
    ) -> TemplateSection {
        var section = section
        section.fields = section.fields.map { field in
            var field = field
            field.options = field.options.map { option in
                var option = option
                let matches = [option.value, option.text.trimmingCharacters(in: CharacterSet(charactersIn: ". "))]
                    .flatMap { concepts[$0.lowercased()] ?? [] }
                let known = Set([option.value, option.text].map { $0.lowercased() })
                var seen = Set<String>()
                option.synonyms = matches.flatMap { [$0.preferredTerm] + $0.synonyms }
                    .filter { name in
                        let words = SpokenForm.words(name)
                        return !known.contains(name.lowercased()) && !words.isEmpty && words.allSatisfy(vocabulary.contains)
                            && seen.insert(name.lowercased()).inserted
                    }
                return option
            }
            return field
        }
        section.subsections = section.subsections.map { enrich($0, concepts, vocabulary) }
        return section
    }

    /// The words of the bundled runtime dictionary, read once per process (the server prepares every dictation
    /// with them).
    static func bundledVocabulary() throws -> Set<String> {
        try cachedBundledVocabulary.get()
    }

    private static let cachedBundledVocabulary = Result {
        try vocabulary(try ResourceLocator.discover().dictionary)
    }

    /// The words of a CMU-format pronunciation dictionary.
    static func vocabulary(_ dictionary: URL) throws -> Set<String> {
        let text = try String(contentsOf: dictionary, encoding: .utf8)
        return Set(text.split(whereSeparator: \.isNewline).compactMap { line in
            line.split(separator: " ").first.map { word in String(word.split(separator: "(").first ?? word) }
        })
    }
}
