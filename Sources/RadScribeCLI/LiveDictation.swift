import AudioCapture
import Foundation
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
        let session = try CaptureSession.start(device: device)
        defer { session.stop() }
        let journal = try openJournal?()
        let previousHandler = signal(SIGINT) { _ in interruptRequested.store(true, ordering: .relaxed) }
        defer { signal(SIGINT, previousHandler) }
        Console.error("recording from '\(device)': speak; stops after \(endSilence) s of silence, or press Ctrl-C")

        try recognizer.beginStream()
        var samples: [Int16] = journal?.keptSamples ?? []
        if !samples.isEmpty { try recognizer.feed(samples) }
        let (resumedAt, startedAt, paced) = (samples.count, ContinuousClock.now, CapturePacing.isRealtime)
        var silence = 0.0
        while !interruptRequested.load(ordering: .relaxed), let chunk = try session.nextChunk() {
            samples.append(contentsOf: chunk)
            try journal?.append(chunk)
            if paced { CapturePacing.wait(until: Double(samples.count - resumedAt) / 16_000, since: startedAt) }
            try recognizer.feed(chunk)
            let chunkSeconds = Double(chunk.count) / Double(PCMAudio.recognizerSampleRate)
            if recognizer.isInSpeech {
                silence = 0
            } else if recognizer.hasHeardSpeech {
                silence += chunkSeconds
                if silence >= endSilence { break }
            }
            let elapsed = Double(samples.count) / Double(PCMAudio.recognizerSampleRate)
            if elapsed >= maxSeconds {
                Console.error("stopped at the --max-seconds limit of \(maxSeconds) s")
                break
            }
            if !recognizer.hasHeardSpeech, elapsed >= noSpeechTimeout {
                throw CLIError(
                    description: "no speech heard from '\(device)' in \(Int(noSpeechTimeout)) s; check the microphone is "
                        + "connected and not muted (`alsamixer`), or name another device with --device",
                    exitCode: ExitStatus.unavailable
                )
            }
        }
        if session.overruns > 0 {
            Console.error("warning: the audio device overran \(session.overruns) time(s); some audio was lost")
        }
        try journal?.flush()
        let transcript = try recognizer.finishStream()
        return (transcript, PCMAudio(samples: samples))
    }
}
