import Dictation
import RadScribeCore
import ReportStore
import ReportTemplates

/// Where the audio of a live dictation comes from.
public enum DictationSource: String, Sendable, Codable {
    /// The browser's microphone: 16 kHz mono 16-bit PCM in binary WebSocket frames.
    case browser
    /// The reading-room microphone on the server's ALSA capture device.
    case server
}

public struct DictationRequest: Sendable {
    public var accession: String
    public var templateSlug: String
    /// The signed-in radiologist; their speaker profile and lexicon are used.
    public var author: String
    public var source: DictationSource
    /// The longest this dictation may record (``ServerConfiguration/maximumDictationSeconds``).
    public var maximumSeconds: Double = DictationLimits.maximumSeconds
}

/// Opens live dictations: recognizer, field grammars, dictation session and capture journal, as `radscribe
/// dictate` uses them. The CLI supplies the implementation (it owns the model and profile options); the server's own
/// tests can run without models.
public protocol DictationEngine: Sendable {
    /// Checks everything that can be wrong before the radiologist speaks (template, report status, device) and opens
    /// the dictation.
    func open(_ request: DictationRequest) throws -> any DictationStream
}

/// One live dictation. Calls come from one connection at a time; ``stop()`` may come from any thread.
public protocol DictationStream: AnyObject, Sendable {
    var templateSlug: String { get }
    var templateVersion: Int { get }
    /// The template with merge fields filled from the order.
    var template: ReportTemplate { get }
    var cursor: DictationSession.Position { get }
    /// Decodes browser audio (16 kHz mono); returns what changed.
    func feed(_ samples: [Int16]) throws -> [DictationUpdate]
    /// Records from the server's capture device until ``stop()`` or the end-of-speech silence, reporting what changes
    /// as it is heard. Blocks; run it on a thread of its own.
    func record(updates: @escaping @Sendable ([DictationUpdate]) -> Void) throws
    /// Asks ``record(updates:)`` to end; safe from any thread.
    func stop()
    /// Decodes what is left and stores the draft (with its audio and spoken words); nil, storing nothing, when no
    /// word was heard: an empty dictation must not replace a draft.
    func finish() throws -> DictationOutcome?
    /// Ends without storing; the journaled audio stays recoverable (`radscribe dictation recover`).
    func abandon()
}

public enum DictationUpdate: Sendable {
    /// The words of the utterance in progress.
    case partial(String)
    case utterance(UtteranceUpdate)
}

/// A finished (or provisional) utterance and the report as it stands after it.
public struct UtteranceUpdate: Sendable {
    public var words: [RecognizedWord]
    /// Seconds into the dictation's audio where the utterance's last word ends.
    public var end: Double
    /// The voice command the utterance was, if any ("next field", "scratch that", …).
    public var command: String?
    public var sections: [ReportSection]
    public var cursor: DictationSession.Position
    public var fieldValues: [String: String]
    /// Words shown at a pause inside the recognizer's utterance: the next update (provisional or final) replaces
    /// them and the report state sent with them.
    public var provisional: Bool

    public init(
        words: [RecognizedWord], end: Double, command: String?, sections: [ReportSection],
        cursor: DictationSession.Position, fieldValues: [String: String], provisional: Bool = false
    ) {
        self.provisional = provisional
        self.words = words
        self.end = end
        self.command = command
        self.sections = sections
        self.cursor = cursor
        self.fieldValues = fieldValues
    }
}

public struct DictationOutcome: Sendable {
    public var report: StoredReport
    /// Updates from the audio decoded at the end.
    public var updates: [DictationUpdate]
    /// The radiologist said "sign report": the page shows the checks and offers to sign.
    public var signRequested: Bool
    public var fieldValues: [String: String]

    public init(report: StoredReport, updates: [DictationUpdate], signRequested: Bool, fieldValues: [String: String]) {
        self.report = report
        self.updates = updates
        self.signRequested = signRequested
        self.fieldValues = fieldValues
    }
}
