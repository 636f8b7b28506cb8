import ReportTemplates

/// JSGF grammars that constrain recognition while the cursor is on a selection or number field: the field's
/// options (text and value), numbers with the field's units, and the voice commands.
public struct FieldGrammar: Sendable, Hashable {
    /// Search name for the decoder, unique within a template: `<template slug>.<field key>`.
    public var name: String
    /// The field's key (``DictationSession/key(of:)``).
    public var fieldKey: String
    /// The JSGF text.
    public var jsgf: String
    /// Every word the grammar uses.
    public var words: Set<String>

    /// Grammars for every selection and number field of a template.
    /// - Parameter slug: the template id, used in grammar names.
    public static func grammars(for template: ReportTemplate, slug: String) -> [FieldGrammar] {
        let navigation = DictationSession.navigationPhrases(for: template)
        return template.sections.flatMap(\.allFields).compactMap { field in
            grammar(for: field, slug: slug, navigation: navigation)
        }
    }

    /// The grammar of one field, nil for fields recognized with the dictation language model.
    public static func grammar(for field: TemplateField, slug: String, navigation: [String]) -> FieldGrammar? {
        let key = DictationSession.key(of: field)
        var rules: [String] = []
        var answers: [String] = []
        switch field.kind {
        case .selection, .multipleSelection:
            var phrases: [String] = []
            for option in field.options {
                for words in DictationSession.optionPhrases(option) where !words.isEmpty {
                    let phrase = words.joined(separator: " ")
                    if !phrases.contains(phrase) { phrases.append(phrase) }
                }
            }
            guard !phrases.isEmpty else { return nil }
            rules.append("<option> = \(phrases.joined(separator: " | "));")
            answers.append("[select] <option>")
        case .number:
            rules += numberRules
            let units = unitWords(field.units)
            if units.isEmpty {
                answers.append("<number>")
            } else {
                rules.append("<unit> = \(units.joined(separator: " | "));")
                answers.append("<number> [<unit>]")
            }
        default:
            return nil
        }
        var commands = DictationCommand.fixedPhrases.map { $0.words.joined(separator: " ") }
        if !navigation.isEmpty { commands.append("go to ( \(navigation.joined(separator: " | ")) )") }
        rules.append("<command> = \(commands.joined(separator: " | "));")
        let grammarName = "\(slug).\(key)".map { $0.isLetter || $0.isNumber ? $0 : "_" }
        let jsgf = """
            #JSGF V1.0;
            grammar \(String(grammarName));
            public <utterance> = ( \(answers.joined(separator: " | ")) | <command> ) [period];
            \(rules.joined(separator: "\n"))

            """
        return FieldGrammar(name: "\(slug).\(key)", fieldKey: key, jsgf: jsgf, words: Self.words(in: jsgf))
    }

    /// The words of a grammar that are missing from a dictionary's vocabulary, sorted.
    public func missingWords(in vocabulary: Set<String>) -> [String] {
        words.subtracting(vocabulary).sorted()
    }

    static let numberRules = [
        "<digit> = zero | one | two | three | four | five | six | seven | eight | nine;",
        "<teen> = ten | eleven | twelve | thirteen | fourteen | fifteen | sixteen | seventeen | eighteen | nineteen;",
        "<tens> = twenty | thirty | forty | fifty | sixty | seventy | eighty | ninety;",
        "<below_hundred> = <digit> | <teen> | <tens> [<digit>];",
        "<whole> = <below_hundred> | <digit> hundred [[and] <below_hundred>];",
        "<number> = <whole> [point <digit> [<digit>]] | point <digit> [<digit>];",
    ]

    /// Spoken unit words for a field's `data-field-units`.
    static func unitWords(_ units: String?) -> [String] {
        switch units?.lowercased() {
        case "mm": ["millimeters", "millimeter"]
        case "cm": ["centimeters", "centimeter"]
        case "ml", "cc": ["milliliters", "c c"]
        case "hu": ["hounsfield units"]
        case "%", "percent": ["percent"]
        case "mm/s", "cm/s": ["centimeters per second"]
        case "degrees", "°": ["degrees"]
        case "mmhg": ["millimeters of mercury"]
        case .none, "": []
        case let other?: [SpokenForm.phrase(other)]
        }
    }

    private static func words(in jsgf: String) -> Set<String> {
        var words = Set<String>()
        for line in jsgf.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("grammar") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            let body = line[line.index(after: equals)...]
            for token in body.split(whereSeparator: { " |[]();".contains($0) }) where !token.hasPrefix("<") {
                words.insert(String(token))
            }
        }
        return words
    }
}
