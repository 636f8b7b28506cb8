import AudioCapture
import Foundation
import RadScribeApp
import RadScribeCore
import SpeechRecognition
import Synchronization

/// Set by SIGINT during a live dictation: Ctrl-C ends the recording and keeps what was said.
private let interruptRequested = Atomic<Bool>(false)

/// Records from an ALSA device into the recognizer until the speaker stops, Ctrl-C, or the time limit.
struct LiveDictation {
    var device: String
    var endSilence: Double
    var maxSeconds: Double
    /// A device that never delivers speech is more likely a muted microphone than a quiet radiologist.
    var noSpeechTimeout = 30.0
    /// Opens where captured audio is written as it arrives (see ``CaptureJournal``), once the device is open; a
    /// resumed journal's kept audio is recognized first.
    var openJournal: (() throws -> CaptureJournal)? = nil

    /// - Returns: the transcript and every captured sample (kept with the report for transcriptionists).
    func record(with recognizer: Recognizer) throws -> (Transcript, PCMAudio) {
        let recording = try LiveCapture(
            device: device, endSilence: endSilence, maximumSeconds: maxSeconds, noSpeechTimeout: noSpeechTimeout
        ).open()
        let journal = try openJournal?()
        let previousHandler = signal(SIGINT) { _ in interruptRequested.store(true, ordering: .relaxed) }
        defer { signal(SIGINT, previousHandler) }
        Console.error("recording from '\(device)': speak; stops after \(endSilence) s of silence, or press Ctrl-C")

        try recognizer.beginStream()
        var samples: [Int16] = journal?.keptSamples ?? []
        if !samples.isEmpty { try recognizer.feed(samples) }
        let resumed = Double(samples.count) / Double(PCMAudio.recognizerSampleRate)
        let summary: LiveCapture.Summary
        do {
            summary = try recording.record(
                listening: recognizer, startingAt: resumed,
                shouldStop: { interruptRequested.load(ordering: .relaxed) }
            ) { chunk in
                samples.append(contentsOf: chunk)
                try journal?.append(chunk)
                try recognizer.feed(chunk)
            }
        } catch let silent as NoSpeechHeard {
            throw CLIError(
                description: "no speech heard from '\(device)' in \(Int(silent.seconds)) s; check the microphone is "
                    + "connected and not muted (`alsamixer`), or name another device with --device",
                exitCode: ExitStatus.unavailable
            )
        }
        if summary.ending == .limitReached { Console.error("stopped at the --max-seconds limit of \(maxSeconds) s") }
        if summary.overruns > 0 {
            Console.error("warning: the audio device overran \(summary.overruns) time(s); some audio was lost")
        }
        try journal?.flush()
        let transcript = try recognizer.finishStream()
        return (transcript, PCMAudio(samples: samples))
    }
}
