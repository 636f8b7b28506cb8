import AudioCapture
import Foundation

/// One sentence of adaptation data: what the speaker said, as spoken-form words, and the audio.
public struct AdaptationSample: Sendable, Hashable {
    /// A file-name-safe id, unique within one adaptation.
    public var name: String
    public var audio: PCMAudio
    public var words: [String]

    public init(name: String, audio: PCMAudio, words: [String]) {
        self.name = name
        self.audio = audio
        self.words = words
    }
}

/// How the acoustic model is adapted to a speaker.
public enum AdaptationMethod: String, Sendable, Codable, CaseIterable {
    /// One global MLLR transform of the Gaussian means (`mllr_matrix`, decoded with `-mllr`): robust with little data.
    case mllr
    /// MAP re-estimation of means, variances and mixture weights, in two passes (a new model directory, decoded with
    /// `-hmm`): needs more data.
    case map
}

/// What an adaptation produced.
public struct AdaptationOutcome: Sendable, Hashable {
    public var method: AdaptationMethod
    /// The MLLR transform, for ``AdaptationMethod/mllr``.
    public var mllrMatrix: URL?
    /// The adapted model directory, for ``AdaptationMethod/map``.
    public var adaptedModel: URL?
    public var sentenceCount: Int
    public var audioSeconds: Double
}

/// Adapts a PocketSphinx acoustic model to one speaker with Debian's sphinxtrain (the checked recipe in
/// shared/reference/pocketsphinx.md): `sendump` → `mixture_weights`, `sphinx_fe` features, `bw` statistics, then
/// `mllr_solve` or `map_adapt`.
///
/// Runs external programs and blocks the calling thread for as long as they take (seconds per minute of audio).
public struct SpeakerAdapter: Sendable {
    /// The speaker-independent model to adapt (a directory with `mdef`, `means`, `variances`, …).
    public var baseModel: URL
    /// Pronunciations for every transcript word (the recognizer's dictionary).
    public var dictionary: URL
    public var tools: SphinxTrainTools

    public init(baseModel: URL, dictionary: URL, tools: SphinxTrainTools = .standard()) {
        self.baseModel = baseModel
        self.dictionary = dictionary
        self.tools = tools
    }

    /// The programs a method needs.
    public static func requiredTools(for method: AdaptationMethod) -> [String] {
        ["pocketsphinx_mdef_convert", "sphinx_fe", "bw", method == .mllr ? "mllr_solve" : "map_adapt"]
    }

    /// Transcript words that have no pronunciation, each with the samples using it.
    public func missingWords(in samples: [AdaptationSample]) throws -> [String: [String]] {
        let known = try Self.dictionaryWords(dictionary)
        var missing: [String: [String]] = [:]
        for sample in samples {
            for word in Set(sample.words) where !known.contains(word) { missing[word, default: []].append(sample.name) }
        }
        return missing
    }

    /// Adapts the base model to the speaker of `samples`.
    /// - Parameters:
    ///   - output: folder receiving `mllr_matrix` or `model/`; created if needed.
    ///   - workDirectory: scratch folder for features, statistics and logs (left for inspection on failure).
    ///   - progress: one line per step.
    /// - Returns: the files written and how much data they came from.
    /// - Throws: ``AdaptationError`` for a missing tool, a word without pronunciation, unusable data or a failed tool.
    public func adapt(
        _ samples: [AdaptationSample],
        method: AdaptationMethod,
        output: URL,
        workDirectory: URL,
        progress: (String) -> Void = { _ in }
    ) throws -> AdaptationOutcome {
        try tools.check(Self.requiredTools(for: method))
        guard FileManager.default.fileExists(atPath: baseModel.appendingPathComponent("mdef").path) else {
            throw AdaptationError.modelUnusable("no acoustic model at \(baseModel.path) (mdef missing)")
        }
        let usable = samples.filter { !$0.words.isEmpty && $0.audio.duration > 0.2 }
        guard !usable.isEmpty else {
            throw AdaptationError.badData("no adaptation data: every sentence needs audio and a non-empty transcript")
        }
        let missing = try missingWords(in: usable)
        guard missing.isEmpty else { throw AdaptationError.wordsMissing(missing, dictionary: dictionary) }

        let files = FileManager.default
        let wavDirectory = workDirectory.appendingPathComponent("wav")
        let featureDirectory = workDirectory.appendingPathComponent("feat")
        let accumDirectory = workDirectory.appendingPathComponent("accum")
        let model = workDirectory.appendingPathComponent("base-model")
        let logs = workDirectory.appendingPathComponent("logs")
        for directory in [wavDirectory, featureDirectory, accumDirectory, model, logs, output] {
            try files.createDirectory(at: directory, withIntermediateDirectories: true)
        }

        let seconds = usable.map(\.audio.duration).reduce(0, +)
        progress(String(format: "adaptation data: %d sentences, %.1f s of audio", usable.count, seconds))
        var ids: [String] = []
        var transcripts: [String] = []
        for sample in usable {
            let audio = try Self.recognizerRate(sample.audio)
            try audio.wavData().write(to: wavDirectory.appendingPathComponent(sample.name + ".wav"))
            ids.append(sample.name)
            transcripts.append("<s> \(sample.words.joined(separator: " ")) </s> (\(sample.name))")
        }
        let controlFile = workDirectory.appendingPathComponent("adapt.fileids")
        let transcriptFile = workDirectory.appendingPathComponent("adapt.transcription")
        try (ids.joined(separator: "\n") + "\n").write(to: controlFile, atomically: true, encoding: .utf8)
        try (transcripts.joined(separator: "\n") + "\n").write(to: transcriptFile, atomically: true, encoding: .utf8)

        progress("preparing the base model (mixture weights, text model definition)")
        try prepareBaseModel(at: model)
        let mdefText = workDirectory.appendingPathComponent("mdef.txt")
        try tools.run(
            "pocketsphinx_mdef_convert", ["-text", baseModel.appendingPathComponent("mdef").path, mdefText.path],
            log: logs.appendingPathComponent("mdef_convert.log"), in: workDirectory
        )

        progress("extracting features (sphinx_fe)")
        try tools.run(
            "sphinx_fe",
            [
                "-argfile", baseModel.appendingPathComponent("feat.params").path, "-samprate", "16000",
                "-c", controlFile.path, "-di", wavDirectory.path, "-do", featureDirectory.path,
                "-ei", "wav", "-eo", "mfc", "-mswav", "yes",
            ],
            log: logs.appendingPathComponent("sphinx_fe.log"), in: workDirectory
        )

        // bw retries a missing feature file for minutes: check them first.
        for id in ids where !files.fileExists(atPath: featureDirectory.appendingPathComponent(id + ".mfc").path) {
            throw AdaptationError.badData("sphinx_fe wrote no features for \(id); see \(logs.path)/sphinx_fe.log")
        }
        /// Baum-Welch statistics of the adaptation data aligned with `hmm`'s model.
        func collectStatistics(with hmm: URL, into accumulators: URL, pass: Int) throws {
            try files.createDirectory(at: accumulators, withIntermediateDirectories: true)
            try tools.run(
                "bw",
                [
                    "-hmmdir", hmm.path, "-moddeffn", mdefText.path, "-ts2cbfn", ".ptm.", "-feat", "1s_c_d_dd",
                    "-svspec", "0-12/13-25/26-38", "-cmn", "current", "-agc", "none", "-dictfn", dictionary.path,
                    "-fdictfn", model.appendingPathComponent("noisedict").path, "-ctlfn", controlFile.path,
                    "-lsnfn", transcriptFile.path, "-cepdir", featureDirectory.path, "-cepext", "mfc",
                    "-accumdir", accumulators.path,
                ],
                log: logs.appendingPathComponent("bw-\(pass).log"), in: workDirectory
            )
        }
        progress("collecting statistics (bw)")
        try collectStatistics(with: model, into: accumDirectory, pass: 1)

        var outcome = AdaptationOutcome(
            method: method, mllrMatrix: nil, adaptedModel: nil, sentenceCount: usable.count, audioSeconds: seconds
        )
        switch method {
        case .mllr:
            progress("solving the MLLR transform (mllr_solve)")
            let matrix = output.appendingPathComponent("mllr_matrix")
            try? files.removeItem(at: matrix)
            try tools.run(
                "mllr_solve",
                [
                    "-meanfn", model.appendingPathComponent("means").path,
                    "-varfn", model.appendingPathComponent("variances").path,
                    "-outmllrfn", matrix.path, "-accumdir", accumDirectory.path,
                ],
                log: logs.appendingPathComponent("mllr_solve.log"), in: workDirectory
            )
            outcome.mllrMatrix = matrix
        case .map:
            /// MAP-estimates a model in `directory` from the speaker-independent prior and `accumulators`.
            func reestimate(from accumulators: URL, into directory: URL, pass: Int) throws {
                try? files.removeItem(at: directory)
                try files.createDirectory(at: directory, withIntermediateDirectories: true)
                for name in ["mdef", "feat.params", "noisedict"] {
                    try files.copyItem(at: baseModel.appendingPathComponent(name), to: directory.appendingPathComponent(name))
                }
                try tools.run(
                    "map_adapt",
                    [
                        "-moddeffn", mdefText.path, "-ts2cbfn", ".ptm.",
                        "-meanfn", model.appendingPathComponent("means").path,
                        "-varfn", model.appendingPathComponent("variances").path,
                        "-mixwfn", model.appendingPathComponent("mixture_weights").path,
                        "-tmatfn", model.appendingPathComponent("transition_matrices").path,
                        "-accumdir", accumulators.path,
                        "-mapmeanfn", directory.appendingPathComponent("means").path,
                        "-mapvarfn", directory.appendingPathComponent("variances").path,
                        "-mapmixwfn", directory.appendingPathComponent("mixture_weights").path,
                        "-maptmatfn", directory.appendingPathComponent("transition_matrices").path,
                    ],
                    log: logs.appendingPathComponent("map_adapt-\(pass).log"), in: workDirectory
                )
            }
            // Two passes: the second aligns the data with the first pass's model, which fits the speaker better,
            // and re-estimates from the speaker-independent prior again (dev WER 4.53 → 4.29 %, BENCHMARKS.md).
            progress("re-estimating the model (map_adapt, pass 1 of 2)")
            let firstPass = workDirectory.appendingPathComponent("map-pass-1")
            try reestimate(from: accumDirectory, into: firstPass, pass: 1)
            progress("collecting statistics with the pass-1 model (bw)")
            let secondAccumulators = workDirectory.appendingPathComponent("accum-2")
            try collectStatistics(with: firstPass, into: secondAccumulators, pass: 2)
            progress("re-estimating the model (map_adapt, pass 2 of 2)")
            let adapted = output.appendingPathComponent("model")
            try reestimate(from: secondAccumulators, into: adapted, pass: 2)
            outcome.adaptedModel = adapted
        }
        progress("adaptation done (\(method.rawValue))")
        return outcome
    }

    /// Links the base model's files into `directory`, adding `mixture_weights` converted from `sendump` if needed.
    private func prepareBaseModel(at directory: URL) throws {
        let files = FileManager.default
        let names = (try? files.contentsOfDirectory(atPath: baseModel.path)) ?? []
        for name in names where name != "sendump" {
            let link = directory.appendingPathComponent(name)
            try? files.removeItem(at: link)
            try files.createSymbolicLink(at: link, withDestinationURL: baseModel.appendingPathComponent(name))
        }
        if !names.contains("mixture_weights") {
            guard names.contains("sendump") else {
                throw AdaptationError.modelUnusable("\(baseModel.path) has neither mixture_weights nor sendump")
            }
            try MixtureWeights.convert(
                sendump: baseModel.appendingPathComponent("sendump"),
                to: directory.appendingPathComponent("mixture_weights")
            )
        }
    }

    private static func recognizerRate(_ audio: PCMAudio) throws -> PCMAudio {
        if audio.sampleRate == PCMAudio.recognizerSampleRate { return audio }
        throw AdaptationError.badData(
            "adaptation audio must be \(PCMAudio.recognizerSampleRate) Hz (got \(audio.sampleRate) Hz); read it with WAVReader"
        )
    }

    /// The words of a PocketSphinx dictionary, without the `(2)` of alternative pronunciations.
    public static func dictionaryWords(_ url: URL) throws -> Set<String> {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw AdaptationError.modelUnusable("cannot read the dictionary \(url.path): \(error.localizedDescription)")
        }
        var words = Set<String>()
        for line in text.split(whereSeparator: \.isNewline) {
            guard var word = line.split(whereSeparator: \.isWhitespace).first.map(String.init) else { continue }
            if word.hasSuffix(")"), let open = word.lastIndex(of: "(") { word = String(word[..<open]) }
            words.insert(word)
        }
        return words
    }
}
