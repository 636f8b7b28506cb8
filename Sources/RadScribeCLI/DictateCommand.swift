import ArgumentParser
import AudioCapture
import Dictation
import Foundation
import RadScribeCore
import ReportStore
import ReportTemplates
import SpeechRecognition

struct DictateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dictate",
        abstract: "Dictate a report: recognize audio, fill the template, store the draft.",
        discussion: """
            Give exactly one source: --audio FILE.wav, --device [PCM] (ALSA capture until the speaker stops \
            or Ctrl-C; PCM defaults to `default`), or --script FILE (spoken-form text, one utterance per line, \
            for tests and demos). An accession that has no order yet gets one, and the command says so.
            """
    )

    @Option(help: "Accession number of the exam.")
    var accession: String

    @Option(
        name: .customLong("template"),
        help: ArgumentHelp("Template id (see `radscribe template list`); with --resume, the interrupted one's.", valueName: "template")
    )
    var templateOption: String?

    /// The template id: required, except with `--resume`, which takes the interrupted dictation's.
    var template: String { templateOption ?? "" }

    @Option(help: "Dictation recorded as a WAV file.")
    var audio: String?

    @Option(help: "ALSA capture device; `--device` alone means `default`.")
    var device: String?

    @Option(help: "Spoken-form text file, one utterance per line.")
    var script: String?

    @Flag(help: "Recover the interrupted live dictation of --accession (crash, kill): its kept audio becomes the draft; with --device, recording goes on after it.")
    var resume = false

    @Option(help: "Seconds of silence after speech that end a live dictation.")
    var endSilence: Double = 3.0

    @Option(help: "Longest live dictation in seconds.")
    var maxSeconds: Double = DictationLimits.maximumSeconds

    @Option(help: "Who dictates (user id stored with the version); their speaker profile is used when there is one.")
    var author: String = NSUserName()

    @Option(
        name: .customLong("as"),
        help: "Radiologist who signs when the dictation says \"sign report\" (after the checks pass); without it the draft is kept."
    )
    var signer: String?

    @OptionGroup var order: NewOrderOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var models: ModelOptions

    static let defaultDevice = "default"

    func validate() throws {
        let sources = [audio, device, script].compactMap { $0 }
        if resume, audio != nil || script != nil {
            throw ValidationError("--resume recognizes the kept audio, then records on from --device [PCM] if given; not --audio or --script")
        }
        if !resume, templateOption == nil { throw ValidationError("missing --template TEMPLATE (see `radscribe template list`)") }
        guard sources.count == 1 || (resume && sources.isEmpty) else {
            throw ValidationError("give exactly one of --audio FILE.wav, --device [PCM] or --script FILE")
        }
        guard !accession.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("--accession must not be empty")
        }
        guard endSilence > 0, maxSeconds > 0 else { throw ValidationError("--end-silence and --max-seconds must be positive") }
    }

    /// `--device` may stand alone; argument-parser options need a value, so supply `default`.
    static func normalizeDeviceOption(_ arguments: [String]) -> [String] {
        var result: [String] = []
        for (index, argument) in arguments.enumerated() {
            result.append(argument)
            let next = index + 1 < arguments.count ? arguments[index + 1] : nil
            if argument == "--device", next == nil || next!.hasPrefix("-") {
                result.append(defaultDevice)
            }
        }
        return result
    }

    func run() throws {
        try reportingErrors {
            // Check everything that can be wrong before a radiologist speaks a word.
            let store = try database.open()
            if resume, templateOption == nil { return try resumed(store: store).run() }
            let prepared = try DictationSetup.prepare(store: store, accession: accession, templateSlug: template) {
                order.order(accession: accession, template: $0)
            }
            let (newOrder, reportTemplate) = (prepared.newOrder, prepared.template)

            let session = DictationSessionBox(DictationSession(template: reportTemplate))
            let captured = try capture(into: session, template: reportTemplate, store: store)
            let commands = session.value.commandLog.filter(\.applied).count

            let receipt = try store.saveDictation(
                DictatedDraft(
                    accession: accession,
                    templateSlug: template,
                    sections: session.value.sections,
                    spokenWords: session.value.spokenWords,
                    audio: captured.audio.map {
                        DictationAudio(sampleRate: $0.sampleRate, sampleCount: $0.samples.count, wav: $0.wavData())
                    },
                    author: author,
                    source: captured.source,
                    orderIfNew: newOrder
                ),
                completingCapture: captured.captureID
            )
            if receipt.createdOrder {
                Console.error(
                    "note: accession \(accession) had no order; created one from the template (no order from the RIS yet)"
                )
            }
            let report = receipt.report
            let words = session.value.spokenWords.values.map(\.count).reduce(0, +)
            Console.error(
                "stored draft \(accession) version \(report.versionNumber) (template \(report.templateSlug) "
                    + "v\(report.templateVersion)): \(words) words"
                    + (commands > 0 ? ", \(commands) voice command(s)" : "")
                    + (captured.audio.map { String(format: ", %.1f s of audio kept", $0.duration) } ?? "")
            )
            Console.write(PlainTextReportRenderer(template: reportTemplate).render(report.sections) + "\n")
            if session.value.events.contains(.signReport) {
                try signOnRequest(store: store, fieldValues: session.value.fieldValues)
            }
        }
    }

    private struct Captured {
        var transcript: Transcript
        var audio: PCMAudio?
        var source: String
        /// The journal of a live dictation, retired when the draft is saved.
        var captureID: Int64? = nil
    }

    /// "sign report" was dictated: run the checks, then sign with `--as`, or say how to sign.
    private func signOnRequest(store: ReportDatabase, fieldValues: [String: String]) throws {
        guard let signer else {
            let results = try SigningChecks.results(accession: accession, store: store, fieldValues: fieldValues)
            SigningChecks.print(results, to: Console.error)
            Console.error(
                "the dictation said \"sign report\": draft kept; sign with `radscribe report sign \(accession) --as RADIOLOGIST` "
                    + "(or dictate again with --as)"
            )
            return
        }
        let signed = try SigningChecks.sign(
            accession: accession, by: signer, force: false, store: store, fieldValues: fieldValues
        )
        Console.error("signed \(accession) as \(signed.status.rawValue) by \(signer) (version \(signed.versionNumber))")
    }

    /// Feeds the session from the script, the file or the device. With a recognizer, the session chooses the
    /// search of each next utterance: the field grammar under the cursor, else the language model.
    /// - Parameter store: the command's one database (GRDB: one pool per file and process).
    private func capture(into session: DictationSessionBox, template reportTemplate: ReportTemplate, store: ReportDatabase)
        throws -> Captured
    {
        if script == nil {
            let recognizer = try models.recognizer(speaker: author)
            // The user's words (`radscribe lexicon add`); one added during the dictation serves the next utterance.
            let lexicon = UserLexicon(database: store)
            try lexicon.teach(recognizer)
            let switcher = FieldGrammarSwitcher(template: reportTemplate, slug: template, recognizer: recognizer)
            try recognizer.useSearch(switcher.search(for: session.value))
            recognizer.searchAfterUtterance = { utterances in
                for utterance in utterances { session.value.dictate(utterance) }
                lexicon.refresh(recognizer)
                return switcher.search(for: session.value)
            }
            return try capture(with: recognizer, template: reportTemplate, store: store)
        }
        let captured = try capture(with: nil, store: store)
        session.value.dictate(captured.transcript)
        return captured
    }

    private func capture(with recognizer: Recognizer?, template reportTemplate: ReportTemplate? = nil, store: ReportDatabase)
        throws -> Captured
    {
        if let script {
            let text: String
            do {
                text = try String(contentsOfFile: script, encoding: .utf8)
            } catch {
                throw CLIError(description: "cannot read script \(script): \(error.localizedDescription)", exitCode: ExitStatus.notFound)
            }
            return Captured(transcript: ScriptedDictation.transcript(from: text), audio: nil, source: "script")
        }
        guard let recognizer else { throw CLIError(description: "no recognizer", exitCode: ExitStatus.software) }
        if let audio {
            let pcm = try WAVReader.read(contentsOf: URL(fileURLWithPath: audio))
            return Captured(transcript: try recognizer.transcribe(pcm), audio: pcm, source: "recognizer")
        }
        if device == nil {  // --resume alone: the kept audio is the whole dictation
            let journal = try openJournal(template: reportTemplate, store: store)
            let pcm = PCMAudio(samples: journal.keptSamples)
            return Captured(transcript: try recognizer.transcribe(pcm), audio: pcm, source: "recognizer", captureID: journal.captureID)
        }
        var journal: CaptureJournal?
        var live = LiveDictation(device: device ?? Self.defaultDevice, endSilence: endSilence, maxSeconds: maxSeconds)
        live.openJournal = {
            journal = try openJournal(template: reportTemplate, store: store)
            return journal!
        }
        let (transcript, pcm) = try live.record(with: recognizer)
        return Captured(transcript: transcript, audio: pcm, source: "recognizer", captureID: journal?.captureID)
    }
}

/// What every dictation checks and builds before the radiologist speaks, from the command line or the workstation.
enum DictationSetup {
    struct Prepared {
        var storedTemplate: StoredTemplate
        /// The template with merge fields filled from the order and selection options answering to synonyms.
        var template: ReportTemplate
        /// The order created on saving when the RIS has not sent one.
        var newOrder: ImagingOrder
        /// The report as it stands, when the accession has one.
        var existing: StoredReport?
    }

    /// - Parameter newOrder: the order to create for an accession without one, from the blank template.
    /// - Throws: ``CLIError`` when the template is unknown or the report is already signed.
    static func prepare(
        store: ReportDatabase, accession: String, templateSlug: String, newOrder: (ReportTemplate) -> ImagingOrder
    ) throws -> Prepared {
        guard let storedTemplate = try store.template(slug: templateSlug) else {
            let known = try store.templates().map(\.slug)
            throw CLIError(
                description: "no template '\(templateSlug)' (known: \(known.joined(separator: ", "))); "
                    + "see `radscribe template list`",
                exitCode: ExitStatus.notFound
            )
        }
        let existing = try store.report(accession: accession)
        if let existing, !existing.status.isDraft {
            throw CLIError(
                description: "report \(accession) is \(existing.status.rawValue); a signed report changes only by "
                    + "addendum or correction (`radscribe report addendum|correct`)",
                exitCode: ExitStatus.refused
            )
        }
        let blankTemplate = try BundledTemplates.parse(storedTemplate)
        let order = newOrder(blankTemplate)
        // Merge fields (reason for exam, procedure, exam date, …) come from the order the RIS sent.
        let template = OptionSynonyms.enrich(
            blankTemplate.fillingMergeFields(from: try store.order(accession: accession) ?? order, examDate: Date()),
            vocabulary: try OptionSynonyms.bundledVocabulary()
        )
        return Prepared(storedTemplate: storedTemplate, template: template, newOrder: order, existing: existing)
    }
}

/// Patient and procedure of an order created by `dictate` for an accession the RIS has not sent yet.
struct NewOrderOptions: ParsableArguments {
    @Option(help: "Patient MRN, for an accession without an order.")
    var mrn: String?

    @Option(help: "Patient name as FAMILY^GIVEN, for an accession without an order.")
    var patientName: String?

    @Option(help: "Patient birth date YYYYMMDD, for an accession without an order.")
    var birthDate: String?

    @Option(help: "Patient sex F, M, O or U, for an accession without an order.")
    var sex: String?

    func validate() throws {
        if let birthDate, birthDate.count != 8 || !birthDate.allSatisfy(\.isNumber) {
            throw ValidationError("--birth-date must be YYYYMMDD, e.g. 19580214")
        }
        if let sex, AdministrativeSex(rawValue: sex.uppercased()) == nil {
            throw ValidationError("--sex must be one of F, M, O, U")
        }
    }

    func order(accession: String, template: ReportTemplate) -> ImagingOrder {
        Self.order(
            accession: accession, template: template, mrn: mrn, patientName: patientName, birthDate: birthDate, sex: sex
        )
    }

    /// The order of an accession the RIS has not sent, from the template and what the dictating user gave.
    static func order(
        accession: String, template: ReportTemplate, mrn: String?, patientName: String?, birthDate: String?, sex: String?
    ) -> ImagingOrder {
        let name = (patientName ?? "").split(separator: "^", omittingEmptySubsequences: false).map(String.init)
        return ImagingOrder(
            accession: accession,
            placerOrderNumber: accession,
            fillerOrderNumber: accession,
            patient: Patient(
                mrn: mrn ?? PatientIdentity.unknownIdentifier,
                familyName: name.first ?? "",
                givenName: name.count > 1 ? name[1] : "",
                birthDate: birthDate ?? "",
                sex: sex.flatMap { AdministrativeSex(rawValue: $0.uppercased()) } ?? .unknown
            ),
            procedureCode: template.soleProcedure?.value ?? template.procedureCode,
            procedureName: template.soleProcedure?.meaning ?? template.title,
            procedureCodingSystem: template.soleProcedure == nil ? "L" : "RADLEX",
            modality: template.modality,
            orderingPhysician: "",
            reasonForExam: ""
        )
    }
}

extension ReportTemplate {
    /// The RadLex Playbook procedure of a template written for exactly one (a chest radiograph, two views): the code
    /// an order made for it carries. A template serving several (CT chest with or without contrast) names none.
    var soleProcedure: TemplateCode? {
        playbookProcedures.count == 1 ? playbookProcedures[0] : nil
    }

    /// A local procedure code derived from the template id, until the RIS sends its own.
    var procedureCode: String {
        let tail = identifier.split(separator: ":").last.map(String.init) ?? identifier
        var words = tail.uppercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        // HL7 CE.1 holds 20 characters: shorten the longest words until the code fits.
        while words.joined(separator: "-").count > 20, let longest = words.indices.max(by: { words[$0].count < words[$1].count }),
            words[longest].count > 2
        {
            words[longest].removeLast()
        }
        return String(words.joined(separator: "-").prefix(20))
    }

    /// The DICOM modality the template's title suggests.
    var modality: String {
        let title = self.title.lowercased()
        if title.contains("mri") || title.contains("mr ") || title.hasPrefix("mr") { return "MR" }
        if title.contains("ct") { return "CT" }
        if title.contains("ultrasound") || title.hasPrefix("us") { return "US" }
        if title.contains("mammo") { return "MG" }
        return "CR"
    }
}

/// The session a recognizer callback feeds while audio is decoded.
final class DictationSessionBox {
    var value: DictationSession
    init(_ value: DictationSession) { self.value = value }
}

/// Text dictation: each non-empty line is one utterance of spoken-form words.
enum ScriptedDictation {
    static func transcript(from text: String) -> Transcript {
        var clock = 0.0
        let utterances = text.split(whereSeparator: \.isNewline).compactMap { line -> Utterance? in
            let words = line.lowercased().split(whereSeparator: \.isWhitespace).map(String.init)
            guard !words.isEmpty else { return nil }
            let start = clock
            let recognized = words.map { word -> RecognizedWord in
                defer { clock += 0.4 }
                return RecognizedWord(text: word, start: clock, end: clock + 0.35, confidence: 1)
            }
            clock += 0.6
            return Utterance(words: recognized, start: start, end: clock)
        }
        return Transcript(utterances: utterances, audioDuration: clock)
    }
}
