import ArgumentParser
import AudioCapture
import Dictation
import Foundation
import RadScribeCore
import SpeechRecognition

struct TranscribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcribe",
        abstract: "Print the recognized text of WAV files.",
        discussion: """
            Each file is decoded on its own (word times start at 0 for every file). A file that cannot be \
            read is reported on stderr and skipped; the exit code is then 65 (or 66 if it does not exist).
            """
    )

    @Argument(help: "WAV files (linear PCM, 8/16/24-bit, mono or stereo, any common rate).")
    var files: [String]

    @Flag(help: "Print the spoken-form words exactly as recognized: lowercase, one line per file, punctuation as words.")
    var spoken = false

    @Flag(help: "Print JSON: per file, utterances with words, start/end times and confidence, and timing figures.")
    var json = false

    @Flag(help: "Show progress on stderr (on by default when stderr is a terminal).")
    var progress = false

    @Option(
        help: ArgumentHelp(
            "Words under this confidence (0…1) are flagged low-confidence in --json `risks`.",
            discussion: "Numbers, laterality words and negations are always flagged."
        )
    )
    var riskThreshold: Double = WordRiskPolicy.defaultThreshold

    @Option(name: .customLong("db"), help: "Database whose user lexicon words (`radscribe lexicon add`) to recognize too.")
    var database: String?

    @OptionGroup var models: ModelOptions

    func validate() throws {
        if spoken && json { throw ValidationError("--spoken and --json cannot be combined: choose one output") }
        guard (0...1).contains(riskThreshold) else { throw ValidationError("--risk-threshold must be between 0 and 1") }
    }

    func run() throws {
        try reportingErrors {
            let recognizer = try models.recognizer()
            if let database {
                guard let lexicon = try UserLexicon(path: database) else {
                    throw CLIError(description: "no database at \(database)", exitCode: ExitStatus.notFound)
                }
                try lexicon.teach(recognizer)
            }
            let policy = WordRiskPolicy(threshold: riskThreshold)
            let formatter = SpokenTextFormatter()
            let showProgress = progress || Console.stderrIsTerminal
            var results: [FileTranscription] = []
            var firstFailure: (any Error)?
            for (index, file) in files.enumerated() {
                do {
                    let audio = try WAVReader.read(contentsOf: URL(fileURLWithPath: file))
                    let cpuStart = ThreadCPUClock.now()
                    let transcript = try recognizer.transcribe(audio)
                    let cpuSeconds = ThreadCPUClock.now() - cpuStart
                    let result = FileTranscription(
                        file: file,
                        transcript: transcript,
                        text: formatter.format(transcript.words.map(\.text)),
                        decodeCPUSeconds: cpuSeconds,
                        latencies: recognizer.finalizationLatencies,
                        riskPolicy: policy
                    )
                    if showProgress {
                        Console.error(
                            String(
                                format: "[%d/%d] %@: %.1f s audio, real-time factor %.3f",
                                index + 1, files.count, file, audio.duration, result.realTimeFactor
                            )
                        )
                    }
                    if json {
                        results.append(result)
                    } else if spoken {
                        Console.write(transcript.spokenText + "\n")
                    } else {
                        if files.count > 1 { Console.write("# \(file)\n") }
                        Console.write(result.text + "\n")
                    }
                } catch let error as AudioError {
                    Console.error("error: \(error)")
                    firstFailure = firstFailure ?? error
                    if spoken { Console.write("\n") }  // keep one line per file
                }
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                Console.write(String(decoding: try encoder.encode(results), as: UTF8.self) + "\n")
            }
            if let firstFailure { throw ExitCode(ExitStatus.code(for: firstFailure)) }
        }
    }
}

/// One file's result in `transcribe --json`.
struct FileTranscription: Encodable {
    var file: String
    var transcript: Transcript
    var text: String
    var decodeCPUSeconds: Double
    /// Seconds from each end of speech the decoder detected to the words shown for it: the final words of an utterance,
    /// or the provisional words at a pause kept inside one.
    var latencies: [Double]
    /// Flags numbers, laterality, negations and low-confidence words in each word's `risks`.
    var riskPolicy = WordRiskPolicy()

    var realTimeFactor: Double {
        transcript.audioDuration > 0 ? decodeCPUSeconds / transcript.audioDuration : 0
    }

    enum CodingKeys: String, CodingKey {
        case file, text, spoken, duration, decodeCPUSeconds, realTimeFactor, utterances, latencies
    }

    struct UtteranceOutput: Encodable {
        var start: Double
        var end: Double
        var words: [AssessedWord]
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(text, forKey: .text)
        try container.encode(transcript.spokenText, forKey: .spoken)
        try container.encode(transcript.audioDuration, forKey: .duration)
        try container.encode(decodeCPUSeconds, forKey: .decodeCPUSeconds)
        try container.encode(realTimeFactor, forKey: .realTimeFactor)
        let utterances = transcript.utterances.map { utterance in
            UtteranceOutput(
                start: utterance.start,
                end: utterance.end,
                words: AssessedWord.assess(utterance.words, policy: riskPolicy)
            )
        }
        try container.encode(utterances, forKey: .utterances)
        try container.encode(latencies, forKey: .latencies)
    }
}

/// CPU time of the calling thread: what decoding cost, whatever else the machine does.
enum ThreadCPUClock {
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
