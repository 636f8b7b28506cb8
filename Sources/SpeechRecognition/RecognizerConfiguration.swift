import Foundation

/// The files a recognizer is built from.
public struct RecognizerConfiguration: Sendable, Hashable {
    /// Acoustic model directory (`-hmm`).
    public var acousticModel: URL
    /// N-gram language model (`-lm`), ARPA or binary.
    public var languageModel: URL
    /// Pronunciation dictionary (`-dict`) covering every word of the language model.
    public var dictionary: URL
    /// Further PocketSphinx options, e.g. `["-mllr": "/path/mllr_matrix"]`.
    public var extraOptions: [String: String]

    public init(acousticModel: URL, languageModel: URL, dictionary: URL, extraOptions: [String: String] = [:]) {
        self.acousticModel = acousticModel
        self.languageModel = languageModel
        self.dictionary = dictionary
        self.extraOptions = extraOptions
    }

    /// Decoder settings for the radiology language model, chosen on `Benchmarks/dev` (never on the test set;
    /// the figures are in BENCHMARKS.md):
    /// - no second, flat-lexicon pass (`-fwdflat no`): it sometimes pruned every path of a long utterance
    ///   except its first words;
    /// - wider state and phone beams, a wider beam on words' last phones, and no cap on active HMMs
    ///   (`-maxhmmpf -1`: PocketSphinx checks the cap against a count that grows over the utterance, so long
    ///   dictations were pruned harder and harder). Most remaining errors were search errors: the right words
    ///   were pruned before the language model could vouch for them. The word-exit beam stays at its default:
    ///   widening it too made lattices, and so the wait for the final words, four times larger for no gain;
    /// - a language weight of 6 instead of 6.5 (on the 24-dictation dev set: 4 → 11.3 %, 5 → 10.7 %, 6 → 10.45 %,
    ///   7 → 10.5 % WER; 5 had been chosen on the first eight dictations alone). Commit 5ac706e put 5 back by
    ///   mistake, so the session 4 and 5 test figures were measured with 5;
    /// - an utterance ends after 0.3 s of silence instead of 0.5 s (`-vad_postspeech 30`): the same dev WER,
    ///   and the words reach the screen about 0.2 s sooner.
    public static let radiologyDecoderOptions: [String: String] = [
        "-fwdflat": "no", "-lw": "6", "-vad_postspeech": "30",
        "-beam": "1e-70", "-pbeam": "1e-70", "-lpbeam": "1e-45", "-maxhmmpf": "-1",
    ]

    /// The bundled radiology setup: the en-us acoustic model, the domain LM and its dictionary, tuned options.
    public static func radiology(
        languageModel: URL,
        dictionary: URL,
        acousticModel: URL = URL(fileURLWithPath: "/usr/share/pocketsphinx/model/en-us/en-us")
    ) -> RecognizerConfiguration {
        RecognizerConfiguration(
            acousticModel: acousticModel,
            languageModel: languageModel,
            dictionary: dictionary,
            extraOptions: radiologyDecoderOptions
        )
    }

    /// The stock general-English setup of Debian's pocketsphinx-en-us: the baseline RadScribe is measured against.
    public static func stockEnglish(modelDirectory: URL = URL(fileURLWithPath: "/usr/share/pocketsphinx/model/en-us"))
        -> RecognizerConfiguration
    {
        RecognizerConfiguration(
            acousticModel: modelDirectory.appendingPathComponent("en-us"),
            languageModel: modelDirectory.appendingPathComponent("en-us.lm.bin"),
            dictionary: modelDirectory.appendingPathComponent("cmudict-en-us.dict")
        )
    }

    func validate() throws(RecognitionError) {
        let files = FileManager.default
        guard files.fileExists(atPath: acousticModel.appendingPathComponent("mdef").path) else {
            throw .modelMissing("acoustic model", path: acousticModel.path)
        }
        guard files.fileExists(atPath: languageModel.path) else {
            throw .modelMissing("language model", path: languageModel.path)
        }
        guard files.fileExists(atPath: dictionary.path) else {
            throw .modelMissing("pronunciation dictionary", path: dictionary.path)
        }
    }

    /// False for a decoder whose only searches are grammars (the number pass): the language model is not loaded.
    var loadsLanguageModel = true

    var arguments: [String] {
        var options: [String: String] = [
            "-hmm": acousticModel.path,
            "-dict": dictionary.path,
            // Per decoder, unlike err_set_logfp, so one decoder's silence cannot hide another's errors.
            "-logfn": "/dev/null",
        ]
        if loadsLanguageModel { options["-lm"] = languageModel.path }
        options.merge(extraOptions) { _, new in new }
        return options.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] }
    }
}
