import Foundation
import RadScribeCore
import ReportTemplates

/// A dictation state machine fed by recognized utterances: a cursor on a section and (with a template) a
/// field, dictated text, in-line voice commands, and the events the owner acts on.
///
/// A spoken section heading ("findings", "impression colon", …) at the start of a sentence moves the cursor
/// to that section; the words after it are dictated there. Words before any heading go to the findings.
/// Commands (``DictationCommand``) are recognized at phrase boundaries only. The session keeps every spoken
/// word with its timing: dictated words per section (``spokenWords``), and every heard word (``heardWords``).
public struct DictationSession: Sendable {
    /// Where the next words go: a section, and optionally one of its fields (by ``TemplateField`` key).
    public struct Position: Sendable, Hashable, CustomStringConvertible {
        public var section: String
        public var field: String?

        public init(section: String, field: String? = nil) {
            self.section = section
            self.field = field
        }

        public var description: String { field.map { "\(section)/\($0)" } ?? section }
    }

    /// Spoken headings and the template section keys they select, longest first.
    static let headings: [([String], [String])] = [
        (["clinical", "information"], ["clinical-information", "history", "indication"]),
        (["clinical", "history"], ["clinical-information", "history", "indication"]),
        (["history"], ["clinical-information", "history", "indication"]),
        (["indication"], ["clinical-information", "indication", "history"]),
        (["comparison"], ["comparison"]),
        (["technique"], ["technique", "procedure"]),
        (["procedure"], ["procedure", "technique"]),
        (["findings"], ["findings"]),
        (["impression"], ["impression", "conclusion"]),
        (["conclusion"], ["impression", "conclusion"]),
        (["recommendation"], ["recommendation", "recommendations", "impression"]),
        (["recommendations"], ["recommendation", "recommendations", "impression"]),
    ]

    private static let headingPunctuation: Set<String> = ["colon", "period", "comma"]
    /// Words after which "cap" is a noun ("the cap of the femoral head"), not a command.
    private static let determiners: Set<String> = ["the", "a", "an", "this", "that", "its", "femoral", "knee"]

    /// What undo and scratch restore.
    struct State: Sendable, Hashable {
        var position: Position
        var sectionWords: [String: [RecognizedWord]] = [:]
        var fields: [String: FieldValue] = [:]
        var events: [DictationEvent] = []
    }

    struct FieldValue: Sendable, Hashable {
        /// Written text put there by "insert normal" or "select".
        var written: [String] = []
        var words: [RecognizedWord] = []
    }

    private struct Edit: Sendable {
        enum Kind: Sendable { case dictation, content, navigation, event, scratch(Int) }
        var kind: Kind
        var before: State
        var scratched = false
        var isContent: Bool {
            switch kind {
            case .dictation, .content: true
            default: false
            }
        }
    }

    /// The report sections with their written text.
    public private(set) var sections: [ReportSection]
    /// Dictated spoken words per section key (words of the section's fields included), in field order.
    public private(set) var spokenWords: [String: [RecognizedWord]] = [:]
    /// Written value per field key, for every field that has one.
    public private(set) var fieldValues: [String: String] = [:]
    /// Every recognized word fed to the session, commands included, in order.
    public private(set) var heardWords: [RecognizedWord] = []
    /// Commands recognized so far, in order.
    public private(set) var commandLog: [AppliedCommand] = []
    /// The template the fields come from, when the session was started from one.
    public let template: ReportTemplate?

    private let initialSections: [ReportSection]
    private var state: State
    private var history: [Edit] = []
    private let targets: [([String], Position)]
    private let formatter = SpokenTextFormatter()

    /// Starts a session over report sections without fields (headings and commands, no field cursor).
    public init(sections: [ReportSection]) {
        self.init(sections: sections, template: nil)
    }

    /// Starts a session over a template's empty report: the cursor can also visit its fields.
    public init(template: ReportTemplate) {
        self.init(sections: template.emptyReport(), template: template)
    }

    private init(sections: [ReportSection], template: ReportTemplate?) {
        self.sections = sections
        initialSections = sections
        self.template = template
        let keys = sections.map(\.key)
        state = State(position: Position(section: keys.first { $0 == "findings" } ?? keys.first ?? "findings"))
        targets = Self.navigationTargets(sections: sections, template: template)
    }

    // MARK: - What the owner reads

    /// The section the next words go to.
    public var cursor: String { state.position.section }
    /// The section and field the next words go to.
    public var position: Position { state.position }
    /// The field under the cursor, if any.
    public var currentField: TemplateField? { state.position.field.flatMap { field(forKey: $0) } }
    /// Events emitted by commands ("save draft", "sign report"), oldest first; undo removes them.
    public var events: [DictationEvent] { state.events }

    /// The stable key of a template field: its id, else its name, else its label.
    public static func key(of field: TemplateField) -> String {
        field.id ?? field.name.map(TemplateSection.key(forName:)) ?? field.label.map(TemplateSection.key(forName:)) ?? "field"
    }

    /// Fields the cursor visits, by top-level section, in document order (fixed text and merge fields skipped).
    public var fieldStops: [Position] {
        sections.flatMap { section -> [Position] in
            let fields = fillableFields(in: section.key)
            return fields.isEmpty ? [Position(section: section.key)] : fields.map { Position(section: section.key, field: Self.key(of: $0)) }
        }
    }

    // MARK: - Feeding

    /// Dictates a whole transcript, utterance by utterance.
    public mutating func dictate(_ transcript: Transcript) {
        for utterance in transcript.utterances { dictate(utterance) }
    }

    /// Dictates one recognized utterance: commands are applied, other words are dictated at the cursor.
    public mutating func dictate(_ utterance: Utterance) {
        let words = utterance.words
        heardWords += words
        var chunk: [RecognizedWord] = []
        var afterCommand = true  // an utterance starts after a pause: a command may open it
        var index = 0
        while index < words.count {
            let atBoundary = chunk.isEmpty ? afterCommand || atSentenceStart : DictationCommand.sentenceBreaks.contains(chunk.last!.text)
            if atBoundary, let (command, used) = command(in: words, at: index) {
                flush(&chunk)
                apply(command, words: Array(words[index..<index + used]))
                index += used
                afterCommand = true
                continue
            }
            let headingBoundary = chunk.isEmpty ? atSentenceStart || (afterCommand && index > 0) : atBoundary
            if headingBoundary, let (key, used) = heading(in: words, at: index) {
                flush(&chunk)
                move(to: Position(section: key), words: Array(words[index..<index + used]))
                index += used
                // "findings colon" is a heading, not punctuation to print.
                if index < words.count, Self.headingPunctuation.contains(words[index].text) { index += 1 }
                afterCommand = true
                continue
            }
            afterCommand = false
            if let (word, used) = capitalized(words, at: index, previous: chunk.last) {
                chunk.append(word)
                index += used
                continue
            }
            chunk.append(words[index])
            index += 1
        }
        flush(&chunk)
        render()
    }

    // MARK: - Commands

    private func command(in words: [RecognizedWord], at index: Int) -> (DictationCommand, Int)? {
        let rest = words[index...].map(\.text)
        for (phrase, command) in DictationCommand.fixedPhrases where rest.starts(with: phrase) {
            return (command, phrase.count)
        }
        if rest.starts(with: ["go", "to"]) {
            let after = Array(rest.dropFirst(2))
            for (phrase, target) in targets where after.starts(with: phrase) {
                return (.goTo(target), 2 + phrase.count)
            }
        }
        if rest.first == "select", let field = currentField, let (option, used) = option(of: field, in: Array(rest.dropFirst())) {
            return (.select(option.text), 1 + used)
        }
        return nil
    }

    private mutating func apply(_ command: DictationCommand, words: [RecognizedWord]) {
        var applied = true
        switch command {
        case .nextField, .previousField:
            let stops = fieldStops
            let current = state.position
            let forward = command == .nextField
            // From a section cursor, "next field" enters the section's first field.
            let index: Int?
            if let exact = stops.firstIndex(of: current) {
                index = forward ? exact + 1 : exact - 1
            } else if let first = stops.firstIndex(where: { $0.section == current.section }) {
                index = forward ? first : first - 1
            } else {
                index = nil
            }
            if let index, stops.indices.contains(index) {
                move(to: stops[index], words: words)
            } else {
                applied = false
            }
        case .goTo(let target):
            move(to: target, words: words)
        case .scratchThat:
            applied = scratch()
        case .undoThat:
            if let last = history.popLast() {
                state = last.before
                if case .scratch(let index) = last.kind, history.indices.contains(index) { history[index].scratched = false }
            } else {
                applied = false
            }
        case .insertNormal:
            applied = insertNormal()
        case .select(let text):
            guard let field = currentField else {
                applied = false
                break
            }
            let key = Self.key(of: field)
            record(.content)
            var value = state.fields[key] ?? FieldValue()
            if field.kind == .multipleSelection {
                if !value.written.contains(text) { value.written.append(text) }
            } else {
                value = FieldValue(written: [text])
            }
            state.fields[key] = value
        case .saveDraft, .signReport:
            record(.event)
            state.events.append(command == .saveDraft ? .saveDraft : .signReport)
        }
        commandLog.append(AppliedCommand(command: command, words: words, applied: applied))
        render()
    }

    private mutating func move(to position: Position, words: [RecognizedWord]) {
        guard position != state.position else { return }
        record(.navigation)
        state.position = position
    }

    private mutating func record(_ kind: Edit.Kind) {
        history.append(Edit(kind: kind, before: state))
    }

    /// Restores the content before the last dictated phrase, inserted normal or selection; the cursor stays.
    private mutating func scratch() -> Bool {
        guard let index = history.lastIndex(where: { $0.isContent && !$0.scratched }) else { return false }
        let target = history[index].before
        record(.scratch(index))
        history[index].scratched = true
        state.sectionWords = target.sectionWords
        state.fields = target.fields
        return true
    }

    private mutating func insertNormal() -> Bool {
        guard let template else { return false }
        let fields: [TemplateField]
        if let field = currentField {
            fields = [field]
        } else {
            fields = fillableFields(in: state.position.section)
        }
        let defaults = fields.compactMap { field -> (String, String)? in
            guard let value = Self.normalValue(of: field) else { return nil }
            return (Self.key(of: field), value)
        }
        guard template.section(forKey: state.position.section) != nil, !defaults.isEmpty else { return false }
        record(.content)
        for (key, value) in defaults { state.fields[key] = FieldValue(written: [value]) }
        return true
    }

    private static func normalValue(of field: TemplateField) -> String? {
        let value = (field.defaultValue ?? "").split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !value.isEmpty, field.kind != .checkbox || value == "checked" else { return nil }
        if field.kind == .checkbox { return field.label ?? field.name }
        return value
    }

    // MARK: - Dictation

    private var atSentenceStart: Bool {
        guard let previous = lastWordAtCursor else { return true }
        return DictationCommand.sentenceBreaks.contains(previous.text)
    }

    private var lastWordAtCursor: RecognizedWord? {
        if let field = state.position.field { return state.fields[field]?.words.last }
        return state.sectionWords[state.position.section]?.last
    }

    private mutating func flush(_ chunk: inout [RecognizedWord]) {
        guard !chunk.isEmpty else { return }
        defer { chunk = [] }
        if let field = currentField, [.selection, .multipleSelection].contains(field.kind) {
            // On a selection field, an answer that is exactly an option selects it.
            let spoken = chunk.map(\.text).filter { !["period", "comma"].contains($0) }
            if let (option, used) = option(of: field, in: spoken), used == spoken.count {
                apply(.select(option.text), words: chunk)
                return
            }
        }
        record(.dictation)
        if let field = state.position.field {
            var value = state.fields[field] ?? FieldValue()
            // The first words dictated into a field replace an inserted normal or a selection.
            if value.words.isEmpty { value.written = [] }
            value.words += chunk
            state.fields[field] = value
        } else {
            state.sectionWords[state.position.section, default: []] += chunk
        }
    }

    /// "cap left" → "Left", "all caps pa" → "PA".
    private func capitalized(_ words: [RecognizedWord], at index: Int, previous: RecognizedWord?) -> (RecognizedWord, Int)? {
        let text = words[index].text
        if text == "all", index + 2 < words.count, words[index + 1].text == "caps" {
            var word = words[index + 2]
            word.text = word.text.uppercased()
            return (word, 3)
        }
        if text == "cap", index + 1 < words.count, !Self.determiners.contains(previous?.text ?? "") {
            var word = words[index + 1]
            word.text = word.text.prefix(1).uppercased() + word.text.dropFirst()
            return (word, 2)
        }
        return nil
    }

    private func heading(in words: [RecognizedWord], at index: Int) -> (String, Int)? {
        let available = Set(sections.map(\.key))
        for (phrase, keys) in Self.headings where index + phrase.count <= words.count {
            guard words[index..<index + phrase.count].map(\.text) == phrase else { continue }
            if let key = keys.first(where: available.contains) { return (key, phrase.count) }
        }
        return nil
    }

    // MARK: - Template lookups

    private func field(forKey key: String) -> TemplateField? {
        template?.sections.lazy.flatMap(\.allFields).first { Self.key(of: $0) == key }
    }

    private func fillableFields(in sectionKey: String) -> [TemplateField] {
        guard let section = template?.section(forKey: sectionKey) else { return [] }
        return section.allFields.filter { $0.kind != .staticText && !$0.isMergeField }
    }

    /// The option whose spoken text or value the words start with, longest first.
    private func option(of field: TemplateField, in words: [String]) -> (TemplateOption, Int)? {
        var best: (TemplateOption, Int)?
        for option in field.options {
            for phrase in Self.optionPhrases(option) where !phrase.isEmpty && words.starts(with: phrase) {
                if phrase.count > best?.1 ?? 0 { best = (option, phrase.count) }
            }
        }
        return best
    }

    /// The spoken forms a selection option answers to: its text, its value and its synonyms.
    public static func optionPhrases(_ option: TemplateOption) -> [[String]] {
        var phrases = [SpokenForm.words(option.text)]
        for alternative in [option.value] + option.synonyms {
            let words = SpokenForm.words(alternative)
            if !words.isEmpty, !phrases.contains(words) { phrases.append(words) }
        }
        return phrases
    }

    /// Spoken names that "go to" understands: section names, headers and headings, field labels and names.
    static func navigationTargets(sections: [ReportSection], template: ReportTemplate?) -> [([String], Position)] {
        var targets: [([String], Position)] = []
        let keys = Set(sections.map(\.key))
        for section in sections {
            targets.append((SpokenForm.words(section.title), Position(section: section.key)))
            if let header = template?.section(forKey: section.key)?.header {
                targets.append((SpokenForm.words(header), Position(section: section.key)))
            }
        }
        for (phrase, candidates) in headings where keys.contains(candidates[0]) {
            targets.append((phrase, Position(section: candidates[0])))
        }
        for section in template?.sections ?? [] where keys.contains(section.key) {
            for field in section.allFields where field.kind != .staticText && !field.isMergeField {
                let position = Position(section: section.key, field: key(of: field))
                for name in [field.label, field.name].compactMap({ $0 }) {
                    let words = SpokenForm.words(name)
                    // A field named like its section ("Impression") is reached by the section name.
                    if !words.isEmpty, !targets.contains(where: { $0.0 == words }) { targets.append((words, position)) }
                }
            }
        }
        return targets.filter { !$0.0.isEmpty }.sorted { $0.0.count > $1.0.count }
    }

    /// Spoken names of every "go to" target of a template.
    public static func navigationPhrases(for template: ReportTemplate) -> [String] {
        var seen = Set<String>()
        return navigationTargets(sections: template.emptyReport(), template: template)
            .map { $0.0.joined(separator: " ") }
            .filter { seen.insert($0).inserted }
    }

    // MARK: - Rendering

    private mutating func render() {
        var words: [String: [RecognizedWord]] = [:]
        var values: [String: String] = [:]
        for position in sections.indices {
            let key = sections[position].key
            var lines: [String] = []
            var sectionWords: [RecognizedWord] = []
            for field in fillableFields(in: key) {
                let fieldKey = Self.key(of: field)
                guard let value = state.fields[fieldKey] else { continue }
                sectionWords += value.words
                let text = fieldText(value, field: field)
                guard !text.isEmpty else { continue }
                values[fieldKey] = text
                if let label = field.label, !label.isEmpty { lines.append("\(label): \(text)") } else { lines.append(text) }
            }
            if let free = state.sectionWords[key], !free.isEmpty {
                sectionWords = free + sectionWords
                let text = formatter.format(free.map(\.text))
                if !text.isEmpty { lines.append(text) }
            }
            if !sectionWords.isEmpty { words[key] = sectionWords }
            let touched = !lines.isEmpty || state.sectionWords[key] != nil
                || fillableFields(in: key).contains { state.fields[Self.key(of: $0)] != nil }
            let body = touched ? lines : [initialSections[position].text]
            sections[position].text = (mergedLines(in: key) + body).filter { !$0.isEmpty }.joined(separator: "\n")
        }
        spokenWords = words
        fieldValues = values
    }

    /// Values the order filled into the section's merge fields (reason for exam, procedure, …), as printed lines.
    private func mergedLines(in key: String) -> [String] {
        guard let section = template?.section(forKey: key) else { return [] }
        return section.allFields.filter(\.isMergeField).compactMap { field in
            guard let value = field.defaultValue?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            if let label = field.label, !label.isEmpty { return "\(label): \(value)" }
            return value
        }
    }

    private func fieldText(_ value: FieldValue, field: TemplateField) -> String {
        var parts = value.written
        if !value.words.isEmpty {
            var text = formatter.format(value.words.map(\.text))
            if field.kind == .number, let units = field.units, !units.isEmpty, !text.isEmpty, !text.hasSuffix(units) {
                if text.hasSuffix(".") { text.removeLast() }
                text += " \(units)"
            }
            parts.append(text)
        }
        return parts.filter { !$0.isEmpty }.joined(separator: field.kind == .multipleSelection ? "; " : " ")
    }
}

extension DictationSession {
    /// The sections to save when a dictation continues an existing draft: a dictation never replaces text it did
    /// not hear. Sections it heard nothing in keep the draft's text; a section it heard words in keeps the draft's
    /// text too, with the new lines after it.
    /// - Parameters:
    ///   - existing: the draft's sections before this dictation (empty for a first dictation).
    ///   - dictated: the session's sections.
    ///   - heard: keys of the sections the dictation heard words in.
    public static func keepingUnheardText(
        of existing: [ReportSection], in dictated: [ReportSection], heard: Set<String>
    ) -> [ReportSection] {
        let before = Dictionary(existing.map { ($0.key, $0.text) }, uniquingKeysWith: { first, _ in first })
        return dictated.map { section in
            guard let old = before[section.key]?.trimmingCharacters(in: .whitespacesAndNewlines), !old.isEmpty else {
                return section
            }
            var kept = section
            if !heard.contains(section.key) {
                kept.text = old
            } else {
                // Lines the draft already has (merge fields such as the procedure, or a repeat) are not doubled.
                let oldLines = Set(old.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
                let added = section.text.split(separator: "\n").map(String.init)
                    .filter { !oldLines.contains($0.trimmingCharacters(in: .whitespaces)) }
                kept.text = ([old] + added).joined(separator: "\n")
            }
            return kept
        }
    }
}
