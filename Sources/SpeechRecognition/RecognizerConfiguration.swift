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

    /// Decoder settings for the radiology language model, chosen on `Benchmarks/dev` (never on the test set):
    /// the second, flat-lexicon pass (`-fwdflat`) sometimes prunes every path of a long utterance but its
    /// first words (a 27-second dictation came back as "clinical information"), and with a domain LM this
    /// strong a lower language weight lets the acoustics decide more. Dev-set WER: 13.4 % with PocketSphinx's
    /// defaults, 11.2 % without fwdflat, 9.0 % without fwdflat and `-lw 4` (see BENCHMARKS.md). An utterance ends
    /// after 0.3 s of silence instead of 0.5 s (`-vad_postspeech 30`): the same dev WER, and the words reach the
    /// screen about 0.2 s sooner.
    public static let radiologyDecoderOptions: [String: String] = [
        "-fwdflat": "no", "-lw": "4", "-vad_postspeech": "30",
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

    var arguments: [String] {
        var options: [String: String] = [
            "-hmm": acousticModel.path,
            "-lm": languageModel.path,
            "-dict": dictionary.path,
            // Per decoder, unlike err_set_logfp, so one decoder's silence cannot hide another's errors.
            "-logfn": "/dev/null",
        ]
        options.merge(extraOptions) { _, new in new }
        return options.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] }
    }
}
