import ArgumentParser
import AudioCapture
import Foundation
import RadScribeCore
import SpeechRecognition

/// `--profiles-dir DIR`: where speaker profiles live.
struct ProfilesDirectoryOption: ParsableArguments {
    static let defaultDescription = "$RADSCRIBE_PROFILES, else $XDG_DATA_HOME/radscribe/profiles (~/.local/share/…)"

    @Option(name: .customLong("profiles-dir"), help: "Speaker profiles folder (default: \(defaultDescription)).")
    var path: String?

    var resolved: URL { SpeakerProfiles.root(override: path) }
}

/// Finding, reading and applying speaker profiles; the adaptation data kept in each.
enum SpeakerProfiles {
    /// The profiles folder: `override`, else `$RADSCRIBE_PROFILES`, else `$XDG_DATA_HOME/radscribe/profiles`.
    static func root(override: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let override, !override.isEmpty { return URL(fileURLWithPath: override) }
        if let path = environment["RADSCRIBE_PROFILES"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() + "/.local/share")
        return URL(fileURLWithPath: dataHome).appendingPathComponent("radscribe/profiles")
    }

    /// A user's profile directory.
    static func directory(for user: String, in root: URL) throws -> URL {
        guard !user.isEmpty, user.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }), !user.hasPrefix(".")
        else {
            throw CLIError(
                description: "'\(user)' is not a usable profile name: letters, digits, '.', '_', '-'", exitCode: ExitStatus.usage
            )
        }
        return root.appendingPathComponent(user)
    }

    /// The configuration with a speaker's profile applied.
    /// - Parameters:
    ///   - explicit: `--profile USER`: an error when that user has no profile.
    ///   - implicit: the dictating author: used when a profile exists, silently skipped otherwise.
    static func apply(
        explicit: String?, implicit: String?, root: URL, to configuration: RecognizerConfiguration
    ) throws -> RecognizerConfiguration {
        guard let user = explicit ?? implicit else { return configuration }
        let directory = try self.directory(for: user, in: root)
        do {
            if explicit == nil,
                !FileManager.default.fileExists(atPath: directory.appendingPathComponent(SpeakerProfile.metadataFile).path)
            {
                return configuration
            }
            let profile = try SpeakerProfile.load(speaker: user, from: directory)
            let applied = try profile.applied(to: configuration, directory: directory)
            Console.error(
                String(
                    format: "using the speaker profile of %@ (%@, %.0f s of adaptation audio)", user,
                    profile.method.rawValue, profile.audioSeconds
                )
            )
            return applied
        } catch let error as AdaptationError {
            throw CLIError(error)
        }
    }

    // MARK: Adaptation data kept in the profile

    /// `data/enrollment` or `data/corrections` of a profile.
    static func dataDirectory(_ kind: String, in profile: URL) -> URL {
        profile.appendingPathComponent("data").appendingPathComponent(kind)
    }

    /// Reads `NAME.wav` + `NAME.txt` pairs (spoken-form words) from a folder, sorted by name.
    /// - Throws: ``CLIError`` for a missing folder, a WAV without transcript or unreadable audio.
    static func loadPairs(from directory: URL, prefix: String = "") throws -> [AdaptationSample] {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError(description: "no folder \(directory.path)", exitCode: ExitStatus.notFound)
        }
        let names = try files.contentsOfDirectory(atPath: directory.path).sorted()
        let wavs = names.filter { $0.lowercased().hasSuffix(".wav") }
        var samples: [AdaptationSample] = []
        var withoutTranscript: [String] = []
        for wav in wavs {
            let stem = String(wav.dropLast(4))
            let text = directory.appendingPathComponent(stem + ".txt")
            guard let transcript = try? String(contentsOf: text, encoding: .utf8) else {
                withoutTranscript.append(wav)
                continue
            }
            let audio = try WAVReader.read(contentsOf: directory.appendingPathComponent(wav))
            let words = transcript.lowercased().split(whereSeparator: { $0.isWhitespace }).map(String.init)
            samples.append(AdaptationSample(name: prefix + safeName(stem), audio: audio, words: words))
        }
        guard withoutTranscript.isEmpty else {
            throw CLIError(
                description: "\(withoutTranscript.count) WAV file(s) in \(directory.path) have no NAME.txt transcript: "
                    + withoutTranscript.prefix(5).joined(separator: ", "),
                exitCode: ExitStatus.badInput
            )
        }
        return samples
    }

    /// Replaces the contents of a data folder with `samples` (16 kHz WAV + spoken-form text).
    static func store(_ samples: [AdaptationSample], in directory: URL) throws {
        let files = FileManager.default
        try? files.removeItem(at: directory)
        try files.createDirectory(at: directory, withIntermediateDirectories: true)
        for sample in samples {
            try sample.audio.wavData().write(to: directory.appendingPathComponent(sample.name + ".wav"))
            try (sample.words.joined(separator: " ") + "\n").write(
                to: directory.appendingPathComponent(sample.name + ".txt"), atomically: true, encoding: .utf8
            )
        }
    }

    /// A sample name safe for sphinxtrain's control files.
    static func safeName(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }
}

extension CLIError {
    /// The CLI's view of an adaptation failure: 69 for a missing tool or model, 65 for bad data, 66 for no profile.
    init(_ error: AdaptationError) {
        let code: Int32 =
            switch error.code {
            case .toolMissing, .modelUnusable: ExitStatus.unavailable
            case .toolFailed: ExitStatus.software
            case .wordsMissing, .badData: ExitStatus.badInput
            case .profileNotFound: ExitStatus.notFound
            }
        self.init(description: error.description, exitCode: code)
    }
}
