import AudioCapture
import Foundation
import RadScribeCore

/// Turns 16 kHz mono audio into utterances of timed, scored words, splitting on the pauses the
/// decoder's voice-activity detector finds.
///
/// Not thread-safe: one recognizer per dictation, used from one thread. Decoding is CPU-bound
/// blocking work; callers run it on a thread of their own, never on Swift's cooperative pool.
public final class Recognizer {
    /// Samples handed to the decoder at a time (128 ms): fine enough for end-of-speech decisions.
    static let chunkSize = 2_048

    private let decoder: PocketSphinxDecoder
    private var utteranceOpen = false
    private var heardSpeech = false
    private var processedSamples = 0
    private var finished: [Utterance] = []
    /// Seconds from the decoder noticing end of speech to the final words, one per utterance in the transcript.
    public private(set) var finalizationLatencies: [Double] = []

    /// Loads the models. Takes tens of milliseconds with a domain dictionary, about a second with all of CMUdict.
    public init(configuration: RecognizerConfiguration) throws {
        decoder = try PocketSphinxDecoder(configuration)
    }

    /// Decodes a whole recording.
    public func transcribe(_ audio: PCMAudio) throws -> Transcript {
        try beginStream()
        var offset = 0
        while offset < audio.samples.count {
            let end = min(offset + Self.chunkSize, audio.samples.count)
            try feed(audio.samples[offset..<end])
            offset = end
        }
        return try finishStream()
    }

    /// Starts a new audio stream: word times count from its first sample.
    public func beginStream() throws {
        finished = []
        finalizationLatencies = []
        processedSamples = 0
        heardSpeech = false
        try decoder.startStream()
        try decoder.startUtterance()
        utteranceOpen = true
    }

    /// Feeds captured samples.
    /// - Returns: utterances completed by this chunk (speech followed by a pause).
    @discardableResult
    public func feed<Samples: Collection<Int16>>(_ samples: Samples) throws -> [Utterance] {
        let before = finished.count
        let array = Array(samples)
        var offset = 0
        while offset < array.count {
            let end = min(offset + Self.chunkSize, array.count)
            try array[offset..<end].withUnsafeBufferPointer { try decoder.process($0) }
            processedSamples += end - offset
            offset = end
            let speaking = decoder.inSpeech
            if speaking { heardSpeech = true }
            if heardSpeech && !speaking {
                try closeUtterance()
                try decoder.startUtterance()
                utteranceOpen = true
            }
        }
        return Array(finished[before...])
    }

    /// True while the speaker is talking, as the decoder's voice-activity detector sees it.
    public var isInSpeech: Bool { decoder.inSpeech }

    /// True once any speech was heard in this stream.
    public var hasHeardSpeech: Bool { !finished.isEmpty || heardSpeech }

    /// Seconds of audio fed into this stream.
    public var streamDuration: Double { Double(processedSamples) / Double(PCMAudio.recognizerSampleRate) }

    /// Ends the stream, decoding whatever speech is still open.
    public func finishStream() throws -> Transcript {
        if utteranceOpen {
            if heardSpeech {
                try closeUtterance()
            } else {
                try decoder.endUtterance()
                utteranceOpen = false
            }
        }
        return Transcript(utterances: finished, audioDuration: streamDuration)
    }

    private func closeUtterance() throws {
        let started = ContinuousClock.now
        try decoder.endUtterance()
        utteranceOpen = false
        heardSpeech = false
        let words = decoder.words()
        let elapsed = ContinuousClock.now - started
        guard let first = words.first, let last = words.last else { return }
        finished.append(Utterance(words: words, start: first.start, end: last.end))
        finalizationLatencies.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}
