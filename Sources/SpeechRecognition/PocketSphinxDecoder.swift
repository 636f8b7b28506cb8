import CPocketSphinx
import Foundation
import RadScribeCore

/// One PocketSphinx decoder. Owns its `ps_decoder_t*` and `cmd_ln_t*` and frees them in `deinit`.
///
/// Not thread-safe (PocketSphinx has no locks inside): confine each decoder to one thread.
final class PocketSphinxDecoder {
    let decoder: OpaquePointer
    let config: OpaquePointer
    /// PocketSphinx's frame rate: word times are frame numbers at this rate.
    private let framesPerSecond = 100.0

    init(_ configuration: RecognizerConfiguration) throws(RecognitionError) {
        try configuration.validate()
        let arguments = ["radscribe"] + configuration.arguments
        var cStrings = arguments.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        // cmd_ln_init is variadic; cmd_ln_parse_r takes an argv and skips argv[0].
        guard let config = cmd_ln_parse_r(nil, ps_args(), Int32(cStrings.count), &cStrings, 1) else {
            throw .configurationRejected(configuration.arguments.joined(separator: " "))
        }
        guard let decoder = ps_init(config) else {
            cmd_ln_free_r(config)
            throw .configurationRejected("ps_init could not load the models in \(configuration.arguments.joined(separator: " "))")
        }
        self.config = config
        self.decoder = decoder
    }

    deinit {
        ps_free(decoder)
        cmd_ln_free_r(config)
    }

    /// The name of the search the decoder was configured with (the n-gram language model).
    lazy var defaultSearch: String = ps_get_search(decoder).map { String(cString: $0) } ?? "_default"

    /// Adds (or replaces) a named JSGF grammar search; every grammar word must be in the dictionary.
    func setGrammar(named name: String, jsgf: String) throws(RecognitionError) {
        _ = defaultSearch  // remember the LM search's name before any other search exists
        try check(ps_set_jsgf_string(decoder, name, jsgf), "ps_set_jsgf_string(\(name))")
    }

    /// Activates a named search. Only between utterances: PocketSphinx refuses mid-utterance.
    func setSearch(_ name: String) throws(RecognitionError) {
        _ = defaultSearch
        try check(ps_set_search(decoder, name), "ps_set_search(\(name))")
    }

    /// Whether the pronunciation dictionary has the word.
    func hasWord(_ word: String) -> Bool {
        guard let pronunciation = ps_lookup_word(decoder, word) else { return false }
        free(pronunciation)
        return true
    }

    /// Restarts frame numbering: word times count from here.
    func startStream() throws(RecognitionError) {
        try check(ps_start_stream(decoder), "ps_start_stream")
    }

    func startUtterance() throws(RecognitionError) {
        try check(ps_start_utt(decoder), "ps_start_utt")
    }

    func process(_ samples: UnsafeBufferPointer<Int16>) throws(RecognitionError) {
        guard let base = samples.baseAddress, !samples.isEmpty else { return }
        let result = ps_process_raw(decoder, base, samples.count, 0, 0)
        if result < 0 { throw .decoderFailed("ps_process_raw", code: result) }
    }

    /// Feature frames the open utterance has searched so far (silence the voice-activity detector dropped is not
    /// counted).
    var utteranceFrames: Int { Int(ps_get_n_frames(decoder)) }

    /// PocketSphinx's voice-activity flag for the audio processed so far.
    var inSpeech: Bool { ps_get_in_speech(decoder) != 0 }

    func endUtterance() throws(RecognitionError) {
        try check(ps_end_utt(decoder), "ps_end_utt")
    }

    /// The best hypothesis so far of the utterance in progress (cheap: no lattice, no confidences), for live display.
    func partialHypothesis() -> String {
        guard let hypothesis = ps_get_hyp(decoder, nil) else { return "" }
        return String(cString: hypothesis).split(separator: " ").compactMap { Self.spokenWord(String($0)) }
            .joined(separator: " ")
    }

    /// The words of the last utterance with stream-relative times and posterior confidences.
    func words() -> [RecognizedWord] {
        guard ps_get_hyp(decoder, nil) != nil else { return [] }
        let logmath = ps_get_logmath(decoder)
        var words: [RecognizedWord] = []
        var segment = ps_seg_iter(decoder)
        while let current = segment {
            if let word = ps_seg_word(current).map({ String(cString: $0) }), let text = Self.spokenWord(word) {
                var startFrame: Int32 = 0
                var endFrame: Int32 = 0
                ps_seg_frames(current, &startFrame, &endFrame)
                let logProbability = ps_seg_prob(current, nil, nil, nil)
                words.append(
                    RecognizedWord(
                        text: text,
                        start: Double(startFrame) / framesPerSecond,
                        end: Double(endFrame + 1) / framesPerSecond,
                        confidence: min(1, max(0, logmath_exp(logmath, logProbability)))
                    )
                )
            }
            segment = ps_seg_next(current)
        }
        return words
    }

    /// Drops silence and filler tokens and pronunciation-variant suffixes: `left(2)` → `left`.
    static func spokenWord(_ token: String) -> String? {
        // "(NULL)" marks a grammar's empty transitions (optional items of a JSGF search).
        if token.hasPrefix("<") || token.hasPrefix("[") || token.hasPrefix("++") || token.hasPrefix("(") { return nil }
        let base = token.split(separator: "(", maxSplits: 1).first.map(String.init) ?? token
        // Multi-word dictionary entries are joined with underscores ("new_paragraph").
        let text = base.replacingOccurrences(of: "_", with: " ").lowercased()
        return text.isEmpty ? nil : text
    }

    func check(_ result: Int32, _ operation: String) throws(RecognitionError) {
        if result < 0 { throw .decoderFailed(operation, code: result) }
    }
}
