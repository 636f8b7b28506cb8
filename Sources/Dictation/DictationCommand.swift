import RadScribeCore

/// A voice command spoken inside the flow of dictation.
///
/// Commands are explicit multi-word phrases recognized only at a phrase boundary: the start of an
/// utterance, after a sentence break ("period", "colon", "new paragraph", "new line") or right after
/// another command. A command word in the middle of a sentence ("next to the field of view") is dictation.
/// Punctuation ("period", "comma", "colon"), "new paragraph", "new line" and "cap"/"all caps <word>" are
/// formatting: they are applied to the text wherever they are spoken.
public enum DictationCommand: Sendable, Hashable {
    case nextField
    case previousField
    /// Move to a section or field, by its name, label or spoken heading.
    case goTo(DictationSession.Position)
    /// Remove the last dictated phrase (or inserted normal / selected option), wherever it went.
    case scratchThat
    /// Undo the last command or edit, including cursor moves and a previous "scratch that".
    case undoThat
    /// The normal default of the current field, or of every field of the current section.
    case insertNormal
    /// Choose an option of the current selection field, by its text or value.
    case select(String)
    case saveDraft
    case signReport

    /// The fixed command phrases (without the open-ended "go to …" and "select …"), in spoken form.
    public static let fixedPhrases: [(words: [String], command: DictationCommand)] = [
        (["next", "field"], .nextField),
        (["previous", "field"], .previousField),
        (["scratch", "that"], .scratchThat),
        (["undo", "that"], .undoThat),
        (["insert", "normal"], .insertNormal),
        (["save", "draft"], .saveDraft),
        (["sign", "report"], .signReport),
    ]

    /// Every command prefix a grammar must contain: the fixed phrases plus "go to" and "select".
    public static let spokenPrefixes: [String] = fixedPhrases.map { $0.words.joined(separator: " ") } + ["go to", "select"]

    /// Spoken words that end a sentence: a command may start after them.
    static let sentenceBreaks: Set<String> = ["period", "colon", "paragraph", "line", "semicolon"]

    /// Spoken words after which a pause ends the thought: a sentence, a paragraph or a line is complete.
    ///
    /// "colon" is not among them: what follows "impression colon" is the impression, and the language model
    /// needs the heading to hear its first word right.
    static let thoughtEnds: Set<String> = ["period", "paragraph", "line", "mark"]

    /// The recognizer's question at a pause: does it end the utterance? Yes after a sentence, paragraph or line
    /// ends, and after a phrase that opened with a command (the cursor may have moved, and with it the field's
    /// grammar); otherwise the utterance, and the language model's context, carry on across the pause.
    public static func pauseEndsUtterance(_ pause: UtterancePause) -> Bool {
        guard let last = pause.words.last else { return true }
        return thoughtEnds.contains(last) || opensWithCommand(pause)
    }

    /// As ``pauseEndsUtterance(_:)``, but a sentence end alone does not end the utterance: only a new paragraph or
    /// line, or a command, does. Longer utterances keep more context, and cost more at their end.
    public static func pauseEndsParagraph(_ pause: UtterancePause) -> Bool {
        guard let last = pause.words.last else { return true }
        return last == "paragraph" || last == "line" || opensWithCommand(pause)
    }

    static func opensWithCommand(_ pause: UtterancePause) -> Bool {
        let phrase = Array(pause.phrase)
        return spokenPrefixes.contains { prefix in
            phrase.starts(with: prefix.split(separator: " ").map(String.init))
        }
    }
}

/// Something the session asks its owner to do.
public enum DictationEvent: Sendable, Hashable {
    /// "save draft": store what has been dictated so far.
    case saveDraft
    /// "sign report": run the checks before signing, then sign.
    case signReport
}

/// One command the session recognized and applied, with the words that spoke it.
public struct AppliedCommand: Sendable, Hashable {
    public var command: DictationCommand
    public var words: [RecognizedWord]
    /// False when the command could not apply (no next field, nothing to scratch, no option matched).
    public var applied: Bool

    public init(command: DictationCommand, words: [RecognizedWord], applied: Bool) {
        self.command = command
        self.words = words
        self.applied = applied
    }
}
