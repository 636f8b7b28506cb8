import Foundation

/// A speaker's adapted acoustic model, as kept in its profile directory.
///
/// Layout of `PROFILES/USER/`: `profile.json` (this metadata), `mllr_matrix` (MLLR) or `model/` (MAP), and
/// `data/enrollment/` and `data/corrections/` (16 kHz `NAME.wav` + spoken-form `NAME.txt`: every sentence the
/// profile was adapted on, so `profile adapt` can re-run on all of it).
public struct SpeakerProfile: Sendable, Hashable, Codable {
    public var speaker: String
    public var method: AdaptationMethod
    public var createdAt: Date
    public var updatedAt: Date
    public var sentenceCount: Int
    public var audioSeconds: Double
    /// Sentences from the enrollment script or folder.
    public var enrollmentSentences: Int
    /// Sentences from transcriptionist-corrected dictations.
    public var correctionSentences: Int
    /// The speaker-independent model it was adapted from.
    public var baseModel: String

    public init(
        speaker: String, method: AdaptationMethod, createdAt: Date, updatedAt: Date, sentenceCount: Int,
        audioSeconds: Double, enrollmentSentences: Int, correctionSentences: Int, baseModel: String
    ) {
        self.speaker = speaker
        self.method = method
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.sentenceCount = sentenceCount
        self.audioSeconds = audioSeconds
        self.enrollmentSentences = enrollmentSentences
        self.correctionSentences = correctionSentences
        self.baseModel = baseModel
    }

    public static let metadataFile = "profile.json"
    public static let mllrFile = "mllr_matrix"
    public static let modelDirectory = "model"

    /// Reads `profile.json` from a profile directory.
    /// - Throws: ``AdaptationError`` when there is no profile there.
    public static func load(speaker: String, from directory: URL) throws -> SpeakerProfile {
        let file = directory.appendingPathComponent(metadataFile)
        guard let data = try? Data(contentsOf: file) else {
            throw AdaptationError.profileNotFound(speaker, directory: directory.deletingLastPathComponent())
        }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(SpeakerProfile.self, from: data)
        } catch {
            throw AdaptationError.badData("the profile \(file.path) is damaged (\(error)); enroll again")
        }
    }

    /// Writes `profile.json` into a profile directory.
    public func save(to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(self).write(to: directory.appendingPathComponent(Self.metadataFile), options: .atomic)
    }

    /// A recognizer configuration decoding with this profile: `-mllr` for MLLR, `-hmm` for a MAP model. The language
    /// weight stays the radiology default: on dev, 7 helped a profile adapted on 16 minutes of speech by 0.1 point
    /// and hurt one adapted on an hour by as much (BENCHMARKS.md).
    /// - Throws: ``AdaptationError`` when the profile's files are gone.
    public func applied(to configuration: RecognizerConfiguration, directory: URL) throws -> RecognizerConfiguration {
        var configuration = configuration
        switch method {
        case .mllr:
            let matrix = directory.appendingPathComponent(Self.mllrFile)
            guard FileManager.default.fileExists(atPath: matrix.path) else {
                throw AdaptationError.badData("the profile of \(speaker) has no \(matrix.path); enroll again")
            }
            configuration.extraOptions["-mllr"] = matrix.path
        case .map:
            let model = directory.appendingPathComponent(Self.modelDirectory)
            guard FileManager.default.fileExists(atPath: model.appendingPathComponent("means").path) else {
                throw AdaptationError.badData("the profile of \(speaker) has no model in \(model.path); enroll again")
            }
            configuration.acousticModel = model
        }
        return configuration
    }
}
