import AudioCapture
import Foundation
import RadScribeCore
import ReportStore
import ReportTemplates

/// Writes a live dictation's audio to the database as it is captured, about once a second, each chunk in a small
/// transaction of its own (WAL): a crash or `kill -9` loses at most the last second. After a crash,
/// `radscribe dictate --resume --accession ACC` (or `radscribe dictation recover`) recognizes the kept audio into a
/// draft; with `--device` it goes on recording after it.
final class CaptureJournal {
    /// Samples per chunk written: one second at the recognizer's rate.
    static let chunkSamples = PCMAudio.recognizerSampleRate

    let store: ReportDatabase
    let captureID: Int64
    /// Audio kept from an interrupted dictation that this one resumes; empty for a new dictation.
    let keptSamples: [Int16]
    private var pending: [Int16] = []
    private var nextSequence: Int

    private init(store: ReportDatabase, captureID: Int64, keptSamples: [Int16], nextSequence: Int) {
        self.store = store
        self.captureID = captureID
        self.keptSamples = keptSamples
        self.nextSequence = nextSequence
    }

    /// Starts the journal of a new live dictation.
    static func start(
        store: ReportDatabase, accession: String, templateSlug: String, author: String, device: String,
        orderIfNew: ImagingOrder?
    ) throws -> CaptureJournal {
        if let earlier = try store.unfinishedCaptures(accession: accession).first {
            Console.error(
                "note: an interrupted dictation of \(accession) (\(String(format: "%.1f", earlier.duration)) s of audio) "
                    + "is kept; `radscribe dictate --resume --accession \(accession)` recovers it"
            )
        }
        let id = try store.beginCapture(
            accession: accession, templateSlug: templateSlug, author: author, device: device,
            sampleRate: PCMAudio.recognizerSampleRate, orderIfNew: orderIfNew
        )
        return CaptureJournal(store: store, captureID: id, keptSamples: [], nextSequence: 0)
    }

    /// Reopens the newest interrupted dictation of `accession`, to recognize its audio and (live) record on after it.
    /// - Throws: ``CLIError`` (not found) when the accession has no interrupted dictation.
    static func resume(store: ReportDatabase, accession: String) throws -> CaptureJournal {
        guard let capture = try unfinished(store: store, accession: accession) else {
            throw CLIError(
                description: "no interrupted dictation of \(accession) to resume (see `radscribe dictation list`)",
                exitCode: ExitStatus.notFound
            )
        }
        let samples = try store.capturedSamples(captureID: capture.id)
        let next = try store.nextCaptureSequence(captureID: capture.id)
        Console.error(
            String(format: "resuming the dictation of %@ started %@: %.1f s of audio kept", accession,
                   ISO8601DateFormatter().string(from: capture.startedAt), Double(samples.count) / 16_000)
        )
        return CaptureJournal(store: store, captureID: capture.id, keptSamples: samples, nextSequence: next)
    }

    /// The newest interrupted dictation of `accession`, if any.
    static func unfinished(store: ReportDatabase, accession: String) throws -> UnfinishedCapture? {
        try store.unfinishedCaptures(accession: accession).first
    }

    /// Queues captured samples; writes a chunk once a second of audio is waiting.
    func append(_ samples: [Int16]) throws {
        pending.append(contentsOf: samples)
        if pending.count >= Self.chunkSamples { try flush() }
    }

    /// Writes whatever is waiting.
    func flush() throws {
        guard !pending.isEmpty else { return }
        try store.appendCapturedAudio(captureID: captureID, sequence: nextSequence, samples: pending)
        nextSequence += 1
        pending.removeAll(keepingCapacity: true)
    }
}

extension DictateCommand {
    /// The journal a live dictation writes to: the interrupted one with `--resume`, else a new one.
    func openJournal(template reportTemplate: ReportTemplate?, store: ReportDatabase) throws -> CaptureJournal {
        if resume { return try CaptureJournal.resume(store: store, accession: accession) }
        return try CaptureJournal.start(
            store: store, accession: accession, templateSlug: template, author: author,
            device: device ?? Self.defaultDevice,
            orderIfNew: reportTemplate.map { order.order(accession: accession, template: $0) }
        )
    }

    /// This command with what `--resume` takes from the interrupted dictation: its template, its author unless
    /// `--author` names one, and the patient given for a new order.
    func resumed(store: ReportDatabase) throws -> DictateCommand {
        guard let capture = try CaptureJournal.unfinished(store: store, accession: accession) else {
            throw CLIError(
                description: "no interrupted dictation of \(accession) to resume (see `radscribe dictation list`)",
                exitCode: ExitStatus.notFound
            )
        }
        var command = self
        command.templateOption = capture.templateSlug
        if author == NSUserName() { command.author = capture.author }
        if let patient = capture.orderIfNew?.patient, order.mrn == nil, order.patientName == nil {
            command.order.mrn = patient.mrn
            command.order.patientName = patient.familyName + "^" + patient.givenName
            command.order.birthDate = patient.birthDate.isEmpty ? nil : patient.birthDate
            command.order.sex = patient.sex.rawValue
        }
        return command
    }
}
