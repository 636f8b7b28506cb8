import AudioCapture
import Foundation
import RadScribeCore

/// Turns 16 kHz mono audio into utterances of timed, scored words, splitting on the pauses the
/// decoder's voice-activity detector finds.
///
/// Not thread-safe: one recognizer per dictation, used from one thread. Decoding is CPU-bound
/// blocking work; callers run it on a thread of their own, never on Swift's cooperative pool.
public final class Recognizer {
    /// Samples handed to the decoder at a time (128 ms): fine enough for end-of-speech decisions.
    static let chunkSize = 2_048

    let decoder: PocketSphinxDecoder
    private let dictionaryPath: String
    /// The language model file the recognizer started with (words added at runtime are built on it).
    let languageModel: URL
    /// Words added at runtime, and those waiting for the end of the current utterance.
    var vocabulary = RuntimeVocabulary()
    var utteranceOpen = false
    var heardSpeech = false
    private var processedSamples = 0
    private var finished: [Utterance] = []
    private var grammars: Set<String> = []
    var activeSearch: String?
    private var pendingSearch: String??
    /// Asked after each utterance for the search of the next one: a grammar name, or nil for the language model.
    ///
    /// The dictation session sets this so that a cursor on a selection or number field constrains recognition
    /// to that field's grammar. The switch happens between utterances, where PocketSphinx allows it.
    public var searchAfterUtterance: ((Utterance) -> String?)?
    /// Seconds from the decoder noticing end of speech to the final words, one per utterance in the transcript.
    public private(set) var finalizationLatencies: [Double] = []

    /// Loads the models. Takes tens of milliseconds with a domain dictionary, about a second with all of CMUdict.
    public init(configuration: RecognizerConfiguration) throws {
        decoder = try PocketSphinxDecoder(configuration)
        dictionaryPath = configuration.dictionary.path
        languageModel = configuration.languageModel
    }

    /// Adds a JSGF grammar as a named search, after checking every word is in the dictionary.
    /// - Throws: ``RecognitionError/grammarWordsMissing(_:words:dictionary:)`` naming the missing words.
    public func addGrammar(named name: String, jsgf: String) throws {
        let missing = Self.grammarWords(jsgf).filter { !decoder.hasWord($0) }.sorted()
        guard missing.isEmpty else {
            throw RecognitionError.grammarWordsMissing(name, words: missing, dictionary: dictionaryPath)
        }
        try decoder.setGrammar(named: name, jsgf: jsgf)
        grammars.insert(name)
    }

    /// The names of the grammars added so far.
    public var grammarNames: Set<String> { grammars }

    /// The active search: a grammar name, or nil for the language model.
    public var currentSearch: String? { pendingSearch ?? activeSearch }

    /// Recognizes the next utterance with a grammar (by name) or the language model (nil).
    ///
    /// Takes effect at once between utterances; when speech is under way, from the next utterance.
    public func useSearch(_ name: String?) throws {
        if let name, !grammars.contains(name) { throw RecognitionError.unknownSearch(name) }
        if utteranceOpen && !heardSpeech {
            // Nothing decoded yet in the open utterance: close it, switch, reopen.
            try decoder.endUtterance()
            try switchSearch(to: name)
            try decoder.startUtterance()
        } else if utteranceOpen {
            pendingSearch = .some(name)
        } else {
            try switchSearch(to: name)
        }
    }

    private func switchSearch(to name: String?) throws {
        pendingSearch = nil
        guard name != activeSearch else { return }
        try decoder.setSearch(name ?? decoder.defaultSearch)
        activeSearch = name
    }

    /// Words of a JSGF grammar's rule bodies (tokens that are not rule names or operators).
    static func grammarWords(_ jsgf: String) -> Set<String> {
        var words = Set<String>()
        for line in jsgf.split(whereSeparator: \.isNewline) {
            let text = line.trimmingCharacters(in: .whitespaces)
            guard !text.hasPrefix("#"), !text.hasPrefix("grammar"), !text.hasPrefix("//"), let equals = text.firstIndex(of: "=")
            else { continue }
            for token in text[text.index(after: equals)...].split(whereSeparator: { " \t|[]()*+;".contains($0) })
            where !token.hasPrefix("<") && !token.hasPrefix("/") {
                words.insert(String(token))
            }
        }
        return words
    }

    /// Decodes a whole recording.
    public func transcribe(_ audio: PCMAudio) throws -> Transcript {
        try beginStream()
        var offset = 0
        while offset < audio.samples.count {
            let end = min(offset + Self.chunkSize, audio.samples.count)
            try feed(audio.samples[offset..<end])
            offset = end
        }
        return try finishStream()
    }

    /// Starts a new audio stream: word times count from its first sample.
    public func beginStream() throws {
        finished = []
        finalizationLatencies = []
        processedSamples = 0
        heardSpeech = false
        try decoder.startStream()
        try decoder.startUtterance()
        utteranceOpen = true
    }

    /// Feeds captured samples.
    /// - Returns: utterances completed by this chunk (speech followed by a pause).
    @discardableResult
    public func feed<Samples: Collection<Int16>>(_ samples: Samples) throws -> [Utterance] {
        let before = finished.count
        let array = Array(samples)
        var offset = 0
        while offset < array.count {
            let end = min(offset + Self.chunkSize, array.count)
            try array[offset..<end].withUnsafeBufferPointer { try decoder.process($0) }
            processedSamples += end - offset
            offset = end
            let speaking = decoder.inSpeech
            if speaking { heardSpeech = true }
            if heardSpeech && !speaking {
                try closeUtterance()
                try selectNextSearch()
                try decoder.startUtterance()
                utteranceOpen = true
            }
        }
        return Array(finished[before...])
    }

    /// The words heard so far in the utterance still being spoken (empty between utterances): what a live view shows
    /// before the utterance is final.
    public var partialText: String { utteranceOpen && heardSpeech ? decoder.partialHypothesis() : "" }

    /// True while the speaker is talking, as the decoder's voice-activity detector sees it.
    public var isInSpeech: Bool { decoder.inSpeech }

    /// True once any speech was heard in this stream.
    public var hasHeardSpeech: Bool { !finished.isEmpty || heardSpeech }

    /// Seconds of audio fed into this stream.
    public var streamDuration: Double { Double(processedSamples) / Double(PCMAudio.recognizerSampleRate) }

    /// Ends the stream, decoding whatever speech is still open.
    public func finishStream() throws -> Transcript {
        if utteranceOpen {
            if heardSpeech {
                try closeUtterance()
            } else {
                try decoder.endUtterance()
                utteranceOpen = false
            }
        }
        // The owner sees the last utterance too; the switch it asks for applies to the next stream.
        try selectNextSearch()
        return Transcript(utterances: finished, audioDuration: streamDuration)
    }

    /// Between utterances: apply a pending switch, or ask ``searchAfterUtterance``.
    private func selectNextSearch() throws {
        try applyPendingWords()
        if let searchAfterUtterance, let last = finished.last, finishedSinceAsked {
            finishedSinceAsked = false
            let wanted = searchAfterUtterance(last)
            if let wanted, !grammars.contains(wanted) { throw RecognitionError.unknownSearch(wanted) }
            try switchSearch(to: wanted)
        } else if let pendingSearch {
            try switchSearch(to: pendingSearch)
        }
    }

    private var finishedSinceAsked = false

    private func closeUtterance() throws {
        let started = ContinuousClock.now
        try decoder.endUtterance()
        utteranceOpen = false
        heardSpeech = false
        let words = decoder.words()
        let elapsed = ContinuousClock.now - started
        guard let first = words.first, let last = words.last else { return }
        finished.append(Utterance(words: words, start: first.start, end: last.end))
        finishedSinceAsked = true
        finalizationLatencies.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}
