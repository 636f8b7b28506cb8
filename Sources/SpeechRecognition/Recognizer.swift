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
    /// Samples per decoder frame (100 frames a second at 16 kHz).
    static let samplesPerFrame = 160

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
    /// Given the utterances just finished (one per stretch of speech of the decoder's utterance, oldest first),
    /// asked for the search of the next one: a grammar name, or nil for the language model.
    ///
    /// The dictation session sets this so that a cursor on a selection or number field constrains recognition
    /// to that field's grammar. The switch happens between utterances, where PocketSphinx allows it.
    public var searchAfterUtterance: (([Utterance]) -> String?)?
    /// The words of the open utterance up to the pause the speaker is in, one utterance per stretch of speech,
    /// when a pause was kept inside it (see ``endsUtteranceAtPause``); empty otherwise.
    ///
    /// What a live view shows as final at once: the finished utterances that close the decoder's utterance later
    /// replace these, usually with the same words, sometimes revised by what was said after the pause.
    public private(set) var provisionalUtterances: [Utterance] = []
    /// Counts changes of ``provisionalUtterances``, so a live view can tell a new set from one it has shown.
    public private(set) var provisionalRevision = 0
    /// Decides, at each pause, whether the words heard so far end the utterance; nil: every pause does.
    ///
    /// An utterance is also the language model's context: each one starts afresh at `<s>`. Keeping one open
    /// across a pause that does not end a thought ("impression colon … no acute …") keeps that context; the
    /// decoder's voice-activity detector already leaves the silence itself out of the features.
    public var endsUtteranceAtPause: ((UtterancePause) -> Bool)?
    /// Speech (seconds) after which the next pause ends the utterance whatever ``endsUtteranceAtPause`` says:
    /// bounds the decoder's per-utterance memory and the wait for final words.
    public var maximumUtteranceSeconds = 30.0
    /// Set while the voice-activity detector hears a pause inside an utterance kept open.
    private var pausedInUtterance = false
    /// Words of the open utterance's hypothesis at its last pause: where the phrase now being spoken starts.
    private var wordsBeforeLastPause = 0
    private let configuration: RecognizerConfiguration
    /// The second pass over spoken numbers, once ``useNumberPass()`` was called.
    private var numberPass: NumberPass?
    /// Recent stream audio, from the start of the open utterance: what the number pass decodes again.
    private var recentAudio: [Int16] = []
    /// Stream sample index of `recentAudio`'s first sample.
    private var recentAudioStart = 0
    /// The most audio kept for the number pass (a minute): a number in an utterance longer than that is not re-decoded.
    static let maximumRecentSamples = 60 * 16_000
    /// Stream sample at which the open utterance's speech began.
    private var utteranceStartSample = 0
    /// The stretches of speech of the open utterance (more than one when pauses were kept inside it).
    private var stretches: [SpeechStretch] = []
    /// Seconds from the decoder noticing end of speech to the words shown for it: one per pause that ended an
    /// utterance (its final words) or was kept inside one (its provisional words).
    public private(set) var finalizationLatencies: [Double] = []

    /// Loads the models. Takes tens of milliseconds with a domain dictionary, about a second with all of CMUdict.
    public init(configuration: RecognizerConfiguration) throws {
        self.configuration = configuration
        decoder = try PocketSphinxDecoder(configuration)
        dictionaryPath = configuration.dictionary.path
        languageModel = configuration.languageModel
    }

    /// Decides every number the language model hears with a second pass constrained to numbers (see `NumberPass`).
    ///
    /// Loads a second decoder on the same acoustic model and speaker adaptation, without the language model.
    public func useNumberPass() throws {
        if numberPass == nil { numberPass = try NumberPass(configuration: configuration) }
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
        recentAudio = []
        recentAudioStart = 0
        finishedSinceAsked = 0
        provisionalUtterances = []
        finalizationLatencies = []
        processedSamples = 0
        heardSpeech = false
        pausedInUtterance = false
        wordsBeforeLastPause = 0
        stretches = []
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
            let framesBefore = decoder.utteranceFrames
            try array[offset..<end].withUnsafeBufferPointer { try decoder.process($0) }
            if numberPass != nil { keepRecentAudio(array[offset..<end]) }
            processedSamples += end - offset
            offset = end
            let speaking = decoder.inSpeech
            if speaking {
                if !heardSpeech || pausedInUtterance {
                    if !heardSpeech { utteranceStartSample = processedSamples }
                    stretches.append(SpeechStretch(
                        framesBefore: framesBefore, framesAfter: decoder.utteranceFrames,
                        streamFrame: processedSamples / Self.samplesPerFrame
                    ))
                }
                heardSpeech = true
                pausedInUtterance = false
            } else if heardSpeech && !pausedInUtterance {
                if pauseEndsUtterance() {
                    try closeUtterance()
                    try selectNextSearch()
                    try decoder.startUtterance()
                    utteranceOpen = true
                } else {
                    pausedInUtterance = true
                }
            }
        }
        return Array(finished[before...])
    }

    /// The words heard so far in the utterance still being spoken (empty between utterances): what a live view shows
    /// before the utterance is final.
    /// After a pause kept inside the utterance, only the words since it: those before are ``provisionalUtterances``.
    public var partialText: String {
        guard utteranceOpen && heardSpeech else { return "" }
        let text = decoder.partialHypothesis()
        guard wordsBeforeLastPause > 0 else { return text }
        return text.split(separator: " ").dropFirst(wordsBeforeLastPause).joined(separator: " ")
    }

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
        if let searchAfterUtterance, finishedSinceAsked < finished.count {
            let new = Array(finished[finishedSinceAsked...])
            finishedSinceAsked = finished.count
            let wanted = searchAfterUtterance(new)
            if let wanted, !grammars.contains(wanted) { throw RecognitionError.unknownSearch(wanted) }
            try switchSearch(to: wanted)
        } else if let pendingSearch {
            try switchSearch(to: pendingSearch)
        }
    }

    /// Index in `finished` of the first utterance ``searchAfterUtterance`` has not been given.
    private var finishedSinceAsked = 0

    private func keepRecentAudio(_ samples: ArraySlice<Int16>) {
        recentAudio += samples
        let excess = recentAudio.count - Self.maximumRecentSamples
        if excess > 0 {
            recentAudio.removeFirst(excess)
            recentAudioStart += excess
        }
    }

    /// After an utterance: keep only the last half second (the next utterance's first word may start in it).
    private func forgetRecentAudio() {
        let excess = recentAudio.count - PCMAudio.recognizerSampleRate / 2
        guard excess > 0 else { return }
        recentAudio.removeFirst(excess)
        recentAudioStart += excess
    }

    /// At a pause in speech: true to end the utterance here (and note where the next phrase starts otherwise).
    private func pauseEndsUtterance() -> Bool {
        guard let endsUtteranceAtPause, activeSearch == nil else { return true }
        let speech = Double(processedSamples - utteranceStartSample) / Double(PCMAudio.recognizerSampleRate)
        if speech >= maximumUtteranceSeconds { return true }
        let words = decoder.partialHypothesis().split(separator: " ").map(String.init)
        let pause = UtterancePause(words: words, phraseStart: min(wordsBeforeLastPause, words.count))
        if endsUtteranceAtPause(pause) { return true }
        wordsBeforeLastPause = words.count
        showProvisionalWords()
        return false
    }

    /// At a pause kept inside the utterance: its words so far, re-timed and grouped by stretch.
    private func showProvisionalWords() {
        let started = ContinuousClock.now
        let words = decoder.words()
        provisionalUtterances = SpeechStretch.split(words, into: stretches).compactMap(Utterance.init(spanning:))
        provisionalRevision += 1
        finalizationLatencies.append((ContinuousClock.now - started).seconds)
    }

    private func closeUtterance() throws {
        let started = ContinuousClock.now
        try decoder.endUtterance()
        utteranceOpen = false
        heardSpeech = false
        pausedInUtterance = false
        wordsBeforeLastPause = 0
        let words = decoder.words()
        let elapsed = ContinuousClock.now - started
        let kept = stretches
        stretches = []
        if !provisionalUtterances.isEmpty {
            provisionalUtterances = []
            provisionalRevision += 1
        }
        defer { forgetRecentAudio() }
        guard !words.isEmpty else { return }
        // One utterance per stretch of speech: what follows a pause opens a phrase (a command may start it, a
        // negation there is `after-pause`), wherever the language model's context ran.
        for stretch in SpeechStretch.split(words, into: kept) {
            // Only the language model's numbers: a field grammar already allows nothing else.
            let phrase = if let numberPass, activeSearch == nil {
                try numberPass.refine(stretch, audio: recentAudio, audioStart: recentAudioStart)
            } else {
                stretch
            }
            if let utterance = Utterance(spanning: phrase) { finished.append(utterance) }
        }
        finalizationLatencies.append(elapsed.seconds)
    }
}

/// One stretch of speech inside an utterance, as the decoder's voice-activity detector delimited it.
///
/// PocketSphinx leaves the silence between stretches out of the features, and times every word of an utterance
/// from the start of its *last* stretch; a pause kept inside an utterance therefore shifts the times of the words
/// before it. Knowing where each stretch starts, in the utterance's frames and in the stream, puts them back.
struct SpeechStretch: Sendable, Hashable {
    /// The utterance's searched frames before the chunk in which this stretch was detected.
    var framesBefore: Int
    /// The utterance's searched frames after that chunk (the detector releases the stretch's first frames then).
    var framesAfter: Int
    /// Stream frames processed at the end of that chunk.
    var streamFrame: Int

    /// Utterance frame at which the stretch starts.
    var utteranceFrame: Int { framesBefore }
    /// Stream frame of the stretch's first frame: the frames released in the detecting chunk end where it ends.
    var streamStart: Int { streamFrame - (framesAfter - framesBefore) }

    /// The utterance's words, re-timed and grouped by stretch. A single stretch needs nothing: PocketSphinx's own
    /// times are right.
    static func split(_ words: [RecognizedWord], into stretches: [SpeechStretch]) -> [[RecognizedWord]] {
        guard stretches.count > 1, let last = stretches.last else { return [words] }
        let framesPerSecond = Double(PCMAudio.recognizerSampleRate / Recognizer.samplesPerFrame)
        // PocketSphinx's time for utterance frame f is (start of the last stretch) + f.
        let offset = Double(last.streamStart) / framesPerSecond
        var groups = Array(repeating: [RecognizedWord](), count: stretches.count)
        for word in words {
            let frame = Int(((word.start - offset) * framesPerSecond).rounded())
            let index = stretches.lastIndex { $0.utteranceFrame <= frame } ?? 0
            let shift = Double(stretches[index].streamStart - stretches[index].utteranceFrame) / framesPerSecond - offset
            var moved = word
            moved.start += shift
            moved.end += shift
            groups[index].append(moved)
        }
        return groups.filter { !$0.isEmpty }
    }
}
