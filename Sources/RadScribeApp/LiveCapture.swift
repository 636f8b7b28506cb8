import AudioCapture
import Foundation
import RadScribeCore
import SpeechRecognition

/// Records from an ALSA capture device until the speaker stops, a stop is asked for, or a limit is reached: the one
/// capture loop of `radscribe dictate --device` and of the workstation's reading-room microphone.
///
/// Blocks for the whole dictation: run it on a thread of its own, never on Swift's cooperative pool.
public struct LiveCapture: Sendable {
    /// The ALSA device name (`default`, `hw:1,0`, a file-backed PCM in tests).
    public var device: String
    /// Seconds of silence after speech that end the dictation.
    public var endSilence: Double
    /// The longest a dictation records (``DictationLimits/maximumSeconds`` unless a front end says otherwise).
    public var maximumSeconds: Double
    /// A device that delivers no speech for this long is more likely a muted microphone than a quiet radiologist.
    public var noSpeechTimeout: Double

    public init(
        device: String, endSilence: Double, maximumSeconds: Double = DictationLimits.maximumSeconds,
        noSpeechTimeout: Double = 30
    ) {
        self.device = device
        self.endSilence = endSilence
        self.maximumSeconds = maximumSeconds
        self.noSpeechTimeout = noSpeechTimeout
    }

    /// Why a recording ended.
    public enum Ending: Sendable, Hashable {
        /// The end-of-speech silence after the speaker had spoken.
        case speakerStopped
        /// The recording's `shouldStop` said so (Stop, Ctrl-C).
        case stopRequested
        /// ``maximumSeconds`` of audio.
        case limitReached
        /// The device delivered no more audio (a file-backed PCM at its end).
        case deviceEnded
    }

    public struct Summary: Sendable, Hashable {
        public var ending: Ending
        /// Times the device overran (audio lost): worth a warning.
        public var overruns: Int
    }

    /// Opens the device: a missing or busy device fails here, before anything (a journal, a recognizer stream) is
    /// started for the dictation.
    public func open() throws -> Recording {
        Recording(settings: self, session: try CaptureSession.start(device: device))
    }

    /// An open capture device; closed when the recording ends or the value is released.
    public final class Recording {
        let settings: LiveCapture
        let session: CaptureSession

        init(settings: LiveCapture, session: CaptureSession) {
            self.settings = settings
            self.session = session
        }

        deinit { session.stop() }

        /// Records, handing each captured chunk to `chunk` (which feeds the recognizer, the journal and the view).
        /// - Parameters:
        ///   - recognizer: read after each chunk for whether the speaker is talking.
        ///   - startingAt: seconds already recorded (a resumed dictation): they count towards the limits.
        ///   - shouldStop: asked before each chunk; true ends the recording.
        /// - Throws: ``NoSpeechHeard`` when no speech came within the no-speech timeout; the device's errors.
        public func record(
            listening recognizer: Recognizer, startingAt alreadyRecorded: Double = 0, shouldStop: () -> Bool,
            chunk: ([Int16]) throws -> Void
        ) throws -> Summary {
            defer { session.stop() }
            let rate = Double(PCMAudio.recognizerSampleRate)
            let (startedAt, paced) = (ContinuousClock.now, CapturePacing.isRealtime)
            var captured = 0
            var silence = 0.0
            var ending = Ending.deviceEnded
            while true {
                if shouldStop() {
                    ending = .stopRequested
                    break
                }
                guard let samples = try session.nextChunk() else { break }
                captured += samples.count
                if paced { CapturePacing.wait(until: Double(captured) / rate, since: startedAt) }
                try chunk(samples)
                if recognizer.isInSpeech {
                    silence = 0
                } else if recognizer.hasHeardSpeech {
                    silence += Double(samples.count) / rate
                    if silence >= settings.endSilence {
                        ending = .speakerStopped
                        break
                    }
                }
                let elapsed = alreadyRecorded + Double(captured) / rate
                if elapsed >= settings.maximumSeconds {
                    ending = .limitReached
                    break
                }
                if !recognizer.hasHeardSpeech, elapsed >= settings.noSpeechTimeout {
                    throw NoSpeechHeard(device: settings.device, seconds: settings.noSpeechTimeout)
                }
            }
            return Summary(ending: ending, overruns: session.overruns)
        }
    }
}

/// No speech came from the capture device within the no-speech timeout.
public struct NoSpeechHeard: Error, Sendable, Hashable, UserFacingError {
    public var device: String
    public var seconds: Double

    public var description: String {
        "no speech heard from '\(device)' in \(Int(seconds)) s; check the microphone is connected and not muted "
            + "(`alsamixer`), or choose another device"
    }
}

/// Test and benchmark pacing: with `RADSCRIBE_CAPTURE_PACE=realtime`, a file-backed capture device is read no faster
/// than it would be spoken, so live figures (end of speech → words) mean what they say.
public enum CapturePacing {
    public static var isRealtime: Bool { ProcessInfo.processInfo.environment["RADSCRIBE_CAPTURE_PACE"] == "realtime" }

    /// Sleeps until `seconds` of audio have had time to be spoken since `start`.
    public static func wait(until seconds: Double, since start: ContinuousClock.Instant) {
        let due = start + .milliseconds(Int64(seconds * 1000))
        let now = ContinuousClock.now
        if due > now {
            let remaining = due - now
            let microseconds = remaining.components.seconds * 1_000_000 + remaining.components.attoseconds / 1_000_000_000_000
            usleep(UInt32(clamping: microseconds))
        }
    }
}
