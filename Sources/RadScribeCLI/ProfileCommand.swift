import ArgumentParser
import AudioCapture
import Foundation
import RadScribeCore
import ReportStore
import SpeechRecognition

struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Speaker profiles: adapt the acoustic model to one radiologist's voice.",
        discussion: """
            A profile is a MAP-adapted acoustic model (or, with --method mllr, an MLLR transform) made with \
            Debian's sphinxtrain from the speaker's enrollment sentences and, with `profile adapt`, from dictations \
            a transcriptionist corrected. \
            `dictate` uses the author's profile when there is one; `transcribe --profile USER` uses it explicitly. \
            Profiles live in --profiles-dir (default: \(ProfilesDirectoryOption.defaultDescription)) and are \
            registered in the database.
            """,
        subcommands: [Enroll.self, Adapt.self, Show.self, List.self]
    )

    /// The models a profile adapts, and how.
    struct AdaptationOptions: ParsableArguments {
        @Option(
            help: ArgumentHelp(
                "map (a re-estimated model) or mllr (one transform of the model's means).",
                discussion: "MAP was better at every amount of speech measured, from the 38 enrollment sentences up (BENCHMARKS.md)."
            )
        )
        var method: AdaptationMethod = .map

        @Option(help: "Acoustic model to adapt (default: the en-us model of pocketsphinx-en-us).")
        var acousticModel: String?

        @Option(help: "Pronunciation dictionary holding every transcript word (default: the bundled Lexicon/radscribe.dict).")
        var dictionary: String?

        @OptionGroup var profiles: ProfilesDirectoryOption

        func adapter() throws -> SpeakerAdapter {
            let model = acousticModel.map { URL(fileURLWithPath: $0) }
                ?? ModelOptions.stockModelDirectory.appendingPathComponent("en-us")
            let dictionary = try self.dictionary.map { URL(fileURLWithPath: $0) } ?? ResourceLocator.discover().dictionary
            return SpeakerAdapter(baseModel: model, dictionary: dictionary)
        }

        /// Adapts on every sentence kept in the profile, then writes `profile.json` and registers it.
        func adapt(user: String, directory: URL, enrollment: Int, corrections: Int, database: ReportDatabase) throws
            -> SpeakerProfile
        {
            let adapter = try adapter()
            let samples =
                try loadKept("enrollment", prefix: "enroll-", in: directory)
                + loadKept("corrections", prefix: "", in: directory)
            let work = directory.appendingPathComponent(".work")
            try? FileManager.default.removeItem(at: work)
            let outcome: AdaptationOutcome
            do {
                outcome = try adapter.adapt(samples, method: method, output: directory, workDirectory: work) { line in
                    Console.error("profile \(user): \(line)")
                }
            } catch let error as AdaptationError {
                throw CLIError(error)
            }
            try? FileManager.default.removeItem(at: work)
            // Only the current method's output stays, so a profile is never decoded with a stale transform.
            let stale = method == .mllr ? SpeakerProfile.modelDirectory : SpeakerProfile.mllrFile
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(stale))

            let now = Date()
            let previous = try? SpeakerProfile.load(speaker: user, from: directory)
            let profile = SpeakerProfile(
                speaker: user, method: method, createdAt: previous?.createdAt ?? now, updatedAt: now,
                sentenceCount: outcome.sentenceCount, audioSeconds: outcome.audioSeconds,
                enrollmentSentences: enrollment, correctionSentences: corrections, baseModel: adapter.baseModel.path
            )
            try profile.save(to: directory)
            try database.saveSpeakerProfile(
                StoredSpeakerProfile(
                    user: user, directory: directory.path, method: method.rawValue,
                    sentenceCount: profile.sentenceCount, audioSeconds: profile.audioSeconds,
                    enrollmentSentences: enrollment, correctionSentences: corrections, createdAt: profile.createdAt,
                    updatedAt: now
                )
            )
            return profile
        }

        private func loadKept(_ kind: String, prefix: String, in directory: URL) throws -> [AdaptationSample] {
            let folder = SpeakerProfiles.dataDirectory(kind, in: directory)
            guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
            return try SpeakerProfiles.loadPairs(from: folder, prefix: prefix)
        }
    }

    struct Enroll: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enroll a speaker from recordings (NAME.wav + NAME.txt) or by reading a script aloud.",
            discussion: """
                --audio-dir DIR: each NAME.wav (any common WAV format) with NAME.txt holding the words exactly as \
                spoken (lowercase, numbers and punctuation as words). --device [PCM]: prompts each sentence of the \
                enrollment script (Lexicon/enrollment/script.txt, or --script) on stderr and records it from ALSA \
                until --end-silence seconds of silence. Every transcript word must be in the dictionary. Enrolling \
                again replaces the enrollment sentences and keeps those from corrected dictations.
                """
        )

        @Argument(help: "The speaker (a user name, as given to `dictate --author`).")
        var user: String

        @Option(help: "Folder of NAME.wav + NAME.txt (spoken-form transcript) pairs.")
        var audioDir: String?

        @Option(help: "ALSA capture device; `--device` alone means `default`.")
        var device: String?

        @Option(help: "Enrollment script for --device, one sentence per line (default: Lexicon/enrollment/script.txt).")
        var script: String?

        @Option(help: "Seconds of silence after speech that end one sentence (--device).")
        var endSilence: Double = 1.2

        @OptionGroup var adaptation: AdaptationOptions
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard (audioDir == nil) != (device == nil) else {
                throw ValidationError("give exactly one of --audio-dir DIR or --device [PCM]")
            }
            guard endSilence > 0 else { throw ValidationError("--end-silence must be positive") }
        }

        func run() throws {
            try reportingErrors {
                let directory = try SpeakerProfiles.directory(for: user, in: adaptation.profiles.resolved)
                let store = try database.open()
                try SpeakerAdapter.checkTools(for: adaptation.method)
                let samples = try audioDir.map { try SpeakerProfiles.loadPairs(from: URL(fileURLWithPath: $0)) }
                    ?? recordScript()
                guard !samples.isEmpty else {
                    throw CLIError(description: "no NAME.wav + NAME.txt pairs in \(audioDir ?? "")", exitCode: ExitStatus.badInput)
                }
                // Check the words before anything is written, so a typo costs nothing.
                let missing: [String: [String]]
                do {
                    missing = try adaptation.adapter().missingWords(in: samples)
                } catch let error as AdaptationError {
                    throw CLIError(error)
                }
                if !missing.isEmpty {
                    throw CLIError(AdaptationError.wordsMissing(missing, dictionary: try adaptation.adapter().dictionary))
                }
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try SpeakerProfiles.store(samples, in: SpeakerProfiles.dataDirectory("enrollment", in: directory))
                let corrections = SpeakerProfiles.count(in: SpeakerProfiles.dataDirectory("corrections", in: directory))
                let profile = try adaptation.adapt(
                    user: user, directory: directory, enrollment: samples.count, corrections: corrections, database: store
                )
                Console.write(ProfileCommand.summary(profile, directory: directory) + "\n")
            }
        }

        /// Prompts each script sentence and records it until the speaker stops.
        private func recordScript() throws -> [AdaptationSample] {
            let scriptURL = try script.map { URL(fileURLWithPath: $0) }
                ?? ResourceLocator.discover().lexiconDirectory.appendingPathComponent("enrollment/script.txt")
            guard let text = try? String(contentsOf: scriptURL, encoding: .utf8) else {
                throw CLIError(description: "cannot read the enrollment script \(scriptURL.path)", exitCode: ExitStatus.notFound)
            }
            let sentences = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") }
            let resources = try ResourceLocator.discover()
            let recognizer = try Recognizer(
                configuration: .radiology(
                    languageModel: resources.languageModel, dictionary: resources.dictionary,
                    acousticModel: try adaptation.adapter().baseModel
                )
            )
            let live = LiveDictation(device: device ?? DictateCommand.defaultDevice, endSilence: endSilence, maxSeconds: 60)
            var samples: [AdaptationSample] = []
            for (index, sentence) in sentences.enumerated() {
                Console.error("[\(index + 1)/\(sentences.count)] read aloud, then pause:\n    \(sentence)")
                let (transcript, audio) = try live.record(with: recognizer)
                Console.error(String(format: "    %.1f s recorded; heard: %@", audio.duration, transcript.spokenText))
                samples.append(
                    AdaptationSample(
                        name: String(format: "script-%03d", index + 1), audio: audio,
                        words: sentence.lowercased().split(separator: " ").map(String.init)
                    )
                )
            }
            return samples
        }
    }

    struct Adapt: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Adapt a speaker's profile further with dictations a transcriptionist corrected.",
            discussion: """
                Takes every dictation by USER (with its audio) that a transcriptionist then corrected (`report edit`). \
                Per section: if the transcriptionist kept the recognized text, the recognized spoken words are used; \
                otherwise the corrected text is turned back into spoken form and used only if formatting it \
                reproduces the correction exactly; other sections are skipped. Then the profile is adapted again on \
                these sentences plus the enrollment sentences. --audio-dir DIR takes corrected dictations from \
                NAME.wav + NAME.txt (spoken-form) pairs instead, e.g. exported from another system; sentences with \
                words outside the dictionary are skipped.
                """
        )

        @Argument(help: "The speaker: the dictations' author.")
        var user: String

        @Option(help: "Folder of corrected dictations as NAME.wav + NAME.txt (spoken-form) pairs, instead of the database.")
        var audioDir: String?

        @OptionGroup var adaptation: AdaptationOptions
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reportingErrors {
                let directory = try SpeakerProfiles.directory(for: user, in: adaptation.profiles.resolved)
                let store = try database.open()
                try SpeakerAdapter.checkTools(for: adaptation.method)
                let known: Set<String>
                do {
                    known = try SpeakerAdapter.dictionaryWords(adaptation.adapter().dictionary)
                } catch let error as AdaptationError {
                    throw CLIError(error)
                }
                let corrected: [AdaptationSample]
                if let audioDir {
                    let pairs = try SpeakerProfiles.loadPairs(from: URL(fileURLWithPath: audioDir))
                    corrected = pairs.filter { !$0.words.isEmpty && $0.words.allSatisfy(known.contains) }
                    Console.error(
                        "profile \(user): \(pairs.count) corrected sentence(s) in \(audioDir), "
                            + "\(pairs.count - corrected.count) skipped for words outside the dictionary"
                    )
                } else {
                    let dictations = try store.correctedDictations(author: user)
                    let outcome = try CorrectionSamples.samples(from: dictations, knownWords: known)
                    Console.error(
                        "profile \(user): \(dictations.count) corrected dictation(s): \(outcome.confirmed) section(s) "
                            + "confirmed as recognized, \(outcome.derived) derived from the correction, "
                            + "\(outcome.skipped) skipped"
                    )
                    corrected = outcome.samples
                }
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                let enrollment = SpeakerProfiles.count(in: SpeakerProfiles.dataDirectory("enrollment", in: directory))
                guard enrollment + corrected.count > 0 else {
                    throw CLIError(
                        description: "no adaptation data for \(user): no enrollment and no corrected dictations; "
                            + "enroll with `radscribe profile enroll \(user) …`",
                        exitCode: ExitStatus.notFound
                    )
                }
                try SpeakerProfiles.store(corrected, in: SpeakerProfiles.dataDirectory("corrections", in: directory))
                let profile = try adaptation.adapt(
                    user: user, directory: directory, enrollment: enrollment, corrections: corrected.count,
                    database: store
                )
                Console.write(ProfileCommand.summary(profile, directory: directory) + "\n")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a speaker's profile.")

        @Argument(help: "The speaker.")
        var user: String

        @OptionGroup var profiles: ProfilesDirectoryOption
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reportingErrors {
                let store = try database.open()
                let registered = try store.speakerProfile(user: user)
                let directory = try registered.map { URL(fileURLWithPath: $0.directory) }
                    ?? SpeakerProfiles.directory(for: user, in: profiles.resolved)
                let profile: SpeakerProfile
                do {
                    profile = try SpeakerProfile.load(speaker: user, from: directory)
                } catch let error as AdaptationError {
                    throw CLIError(error)
                }
                Console.write(ProfileCommand.summary(profile, directory: directory) + "\n")
                Console.write("registered in the database: \(registered == nil ? "no" : "yes")\n")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List registered speaker profiles: user, method, sentences, seconds of audio, updated."
        )

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reportingErrors {
                let formatter = ISO8601DateFormatter()
                for profile in try database.open().speakerProfiles() {
                    Console.write(
                        String(
                            format: "%@\t%@\t%d sentences\t%.1f s\t%@\n", profile.user, profile.method,
                            profile.sentenceCount, profile.audioSeconds, formatter.string(from: profile.updatedAt)
                        )
                    )
                }
            }
        }
    }

    static func summary(_ profile: SpeakerProfile, directory: URL) -> String {
        let formatter = ISO8601DateFormatter()
        let file = profile.method == .mllr ? SpeakerProfile.mllrFile : SpeakerProfile.modelDirectory + "/"
        return [
            "profile: \(profile.speaker)",
            "directory: \(directory.path)",
            "method: \(profile.method.rawValue) (\(file))",
            String(
                format: "adaptation data: %d sentences (%d enrollment, %d from corrected dictations), %.1f s of audio",
                profile.sentenceCount, profile.enrollmentSentences, profile.correctionSentences, profile.audioSeconds
            ),
            "base model: \(profile.baseModel)",
            "created: \(formatter.string(from: profile.createdAt))",
            "updated: \(formatter.string(from: profile.updatedAt))",
        ].joined(separator: "\n")
    }
}

extension AdaptationMethod: ExpressibleByArgument {}

extension SpeakerAdapter {
    /// Checks sphinxtrain's programs before any recording or writing.
    static func checkTools(for method: AdaptationMethod) throws {
        do {
            try SphinxTrainTools.standard().check(requiredTools(for: method))
        } catch let error as AdaptationError {
            throw CLIError(error)
        }
    }
}

extension SpeakerProfiles {
    /// How many sentences a data folder holds.
    static func count(in directory: URL) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".txt") }.count
    }
}
