import AudioCapture
import Dictation
import Foundation
import RadScribeApp
import RadScribeCore
import RadScribeServer
import ReportStore
import ReportTemplates
import SpeechRecognition
import Synchronization

/// Live dictation for the web workstation, built from the same parts as `radscribe dictate`: the radiology
/// recognizer with the speaker's profile and the user lexicon, field grammars switched by the cursor, the dictation
/// session, and the capture journal (a crash loses at most the last second of audio).
struct RecognizerDictationEngine: DictationEngine {
    let store: ReportDatabase
    let models: ModelOptions
    /// The reading-room microphone for the `server` source (`serve --audio-device`).
    let device: String
    /// Seconds of silence after speech that end a server-captured dictation.
    var endSilence = 3.0

    func open(_ request: DictationRequest) throws -> any DictationStream {
        let prepared = try DictationSetup.prepare(
            store: store, accession: request.accession, templateSlug: request.templateSlug
        ) {
            NewOrderOptions.order(
                accession: request.accession, template: $0, mrn: nil, patientName: nil, birthDate: nil, sex: nil
            )
        }
        // The worklist shows the exam as being dictated (an existing order only; a new one is created on saving).
        if prepared.existing != nil {
            _ = try store.beginDictation(accession: request.accession, by: request.author)
        }
        let recognizer = try models.recognizer(speaker: request.author)
        let journal = try CaptureJournal.start(
            store: store, accession: request.accession, templateSlug: request.templateSlug, author: request.author,
            device: request.source == .server ? device : "browser", orderIfNew: prepared.newOrder
        )
        return try RecognizerDictationStream(
            request: request, storedTemplate: prepared.storedTemplate, template: prepared.template,
            newOrder: prepared.newOrder, existing: prepared.existing, recognizer: recognizer,
            lexicon: UserLexicon(database: store), journal: journal, store: store, device: device, endSilence: endSilence
        )
    }
}

/// One live dictation. The connection serializes calls; the lock guards against ``stop()`` from another thread and
/// against a late call after ``finish()``.
final class RecognizerDictationStream: DictationStream, @unchecked Sendable {
    let templateSlug: String
    let templateVersion: Int
    let template: ReportTemplate
    private let request: DictationRequest
    private let newOrder: ImagingOrder
    /// The draft as it stood before this dictation: what this dictation does not hear stays as it was.
    private let existing: StoredReport?
    let recognizer: Recognizer
    private let lexicon: UserLexicon
    private let journal: CaptureJournal
    private let store: ReportDatabase
    private let device: String
    private let endSilence: Double
    private let lock = NSLock()
    private let stopRequested = Atomic<Bool>(false)
    private var session: DictationSession
    private var samples: [Int16] = []
    /// Utterances the session has taken, and the commands it applied, to report only what is new.
    private var reportedUtterances = 0
    private var reportedCommands = 0
    private var lastPartial = ""
    private var pendingUtterances: [Utterance] = []
    /// The session as it was before provisional words (shown at a pause inside the recognizer's utterance) were
    /// dictated into it; restored when the final words, or newer provisional ones, arrive.
    private var sessionBeforeProvisional: DictationSession?
    private var shownProvisionalRevision = 0

    init(
        request: DictationRequest, storedTemplate: StoredTemplate, template: ReportTemplate, newOrder: ImagingOrder,
        existing: StoredReport?, recognizer: Recognizer, lexicon: UserLexicon, journal: CaptureJournal, store: ReportDatabase, device: String,
        endSilence: Double
    ) throws {
        self.request = request
        templateSlug = storedTemplate.slug
        templateVersion = storedTemplate.version
        self.template = template
        self.newOrder = newOrder
        self.existing = existing
        self.recognizer = recognizer
        self.lexicon = lexicon
        self.journal = journal
        self.store = store
        self.device = device
        self.endSilence = endSilence
        session = DictationSession(template: template)
        try lexicon.teach(recognizer)
        let switcher = FieldGrammarSwitcher(template: template, slug: storedTemplate.slug, recognizer: recognizer)
        try recognizer.useSearch(switcher.search(for: session))
        // Called between utterances, inside feed(): the session takes the utterance, the cursor picks the next search.
        // The recognizer keeps this closure, so it must not keep the recognizer (or the switcher, which holds it):
        // that cycle kept every dictation's decoder, about 22 MB, alive for the life of the server.
        self.switcher = switcher
        recognizer.searchAfterUtterance = { [unowned self] utterances in
            // The final words replace any provisional ones the session took at a pause.
            restoreSessionBeforeProvisional()
            for utterance in utterances { session.dictate(utterance) }
            pendingUtterances += utterances
            lexicon.refresh(self.recognizer)
            return self.switcher?.search(for: session)
        }
        try recognizer.beginStream()
    }

    /// Chooses the search for the cursor's field (it holds the recognizer): reached through `self`, which the
    /// recognizer's callback does not own.
    private var switcher: FieldGrammarSwitcher?

    deinit {
        recognizer.searchAfterUtterance = nil
    }

    var cursor: DictationSession.Position { lock.withLock { session.position } }

    func feed(_ chunk: [Int16]) throws -> [DictationUpdate] {
        try lock.withLock {
            samples.append(contentsOf: chunk)
            try journal.append(chunk)
            try recognizer.feed(chunk)
            return updates()
        }
    }

    func record(updates report: @escaping @Sendable ([DictationUpdate]) -> Void) throws {
        // The same loop as `radscribe dictate --device`: end-of-speech silence, the length limit, and an error for a
        // microphone that delivers no speech at all.
        let recording = try LiveCapture(device: device, endSilence: endSilence, maximumSeconds: request.maximumSeconds).open()
        _ = try recording.record(listening: recognizer, shouldStop: { stopRequested.load(ordering: .relaxed) }) { chunk in
            let changes = try feed(chunk)
            if !changes.isEmpty { report(changes) }
        }
    }

    func stop() { stopRequested.store(true, ordering: .relaxed) }

    func finish() throws -> DictationOutcome? {
        try lock.withLock {
            try journal.flush()
            _ = try recognizer.finishStream()
            let final = updates()
            // Nothing heard: nothing to save, and an existing draft must not be replaced by an empty one.
            guard session.spokenWords.values.contains(where: { !$0.isEmpty }) else {
                try store.discardCapture(id: journal.captureID)
                return nil
            }
            let audio = PCMAudio(samples: samples)
            let receipt = try store.saveDictation(
                DictatedDraft(
                    accession: request.accession, templateSlug: templateSlug,
                    sections: DictationSession.keepingUnheardText(
                        of: existing?.sections ?? [], in: session.sections, heard: Set(session.spokenWords.keys)
                    ),
                    spokenWords: session.spokenWords,
                    audio: DictationAudio(sampleRate: audio.sampleRate, sampleCount: samples.count, wav: audio.wavData()),
                    author: request.author, source: "recognizer", orderIfNew: newOrder
                ),
                completingCapture: journal.captureID
            )
            return DictationOutcome(
                report: receipt.report, updates: final, signRequested: session.events.contains(.signReport),
                fieldValues: session.fieldValues
            )
        }
    }

    func abandon() {
        lock.withLock { try? journal.flush() }
    }

    /// What changed since the last call: finished utterances with the report as it now stands, else a new partial.
    private func updates() -> [DictationUpdate] {
        var result: [DictationUpdate] = []
        for utterance in pendingUtterances {
            let applied = session.commandLog.dropFirst(reportedCommands).last { $0.applied }
            reportedCommands = session.commandLog.count
            result.append(
                .utterance(
                    UtteranceUpdate(
                        words: utterance.words, end: utterance.end, command: applied.map { Self.describe($0.command) },
                        sections: session.sections, cursor: session.position, fieldValues: session.fieldValues
                    )
                )
            )
        }
        pendingUtterances.removeAll()
        if recognizer.provisionalRevision != shownProvisionalRevision {
            shownProvisionalRevision = recognizer.provisionalRevision
            let provisional = recognizer.provisionalUtterances
            if !provisional.isEmpty {
                restoreSessionBeforeProvisional()
                sessionBeforeProvisional = session
                for utterance in provisional { session.dictate(utterance) }
                result.append(
                    .utterance(
                        UtteranceUpdate(
                            words: provisional.flatMap(\.words), end: provisional.last?.end ?? 0, command: nil,
                            sections: session.sections, cursor: session.position, fieldValues: session.fieldValues,
                            provisional: true
                        )
                    )
                )
                lastPartial = ""
                return result
            }
        }
        let partial = recognizer.partialText
        if partial != lastPartial {
            lastPartial = partial
            result.append(.partial(partial))
        }
        return result
    }

    private func restoreSessionBeforeProvisional() {
        guard let before = sessionBeforeProvisional else { return }
        session = before
        sessionBeforeProvisional = nil
        reportedCommands = min(reportedCommands, session.commandLog.count)
    }

    static func describe(_ command: Dictation.DictationCommand) -> String {
        switch command {
        case .nextField: "next field"
        case .previousField: "previous field"
        case .goTo(let position): "go to \(position)"
        case .scratchThat: "scratch that"
        case .undoThat: "undo that"
        case .insertNormal: "insert normal"
        case .select(let option): "select \(option)"
        case .saveDraft: "save draft"
        case .signReport: "sign report"
        }
    }
}
