import Foundation
import Synchronization

/// Live capture from an ALSA PCM. `snd_pcm_readi` runs on a thread of its own so that a slow consumer
/// (the recognizer) never makes the device overrun; chunks queue up until ``nextChunk()`` takes them.
public final class CaptureSession: Sendable {
    /// Frames per chunk: 100 ms at 16 kHz, the granularity of end-of-speech decisions.
    public static let chunkFrames = 1_600

    private struct State {
        var chunks: [[Int16]] = []
        var finished = false
        var error: AudioError?
        var overruns = 0
    }

    private let device: String
    private let state = Mutex(State())
    private let condition = NSCondition()
    private let stopRequested = Atomic<Bool>(false)

    private init(device: String) {
        self.device = device
    }

    /// Opens `device` and starts capturing.
    /// - Throws: ``AudioError`` at once when the device is missing, busy or cannot give 16 kHz mono.
    public static func start(device: String) throws -> CaptureSession {
        let pcm = try PCMDevice(name: device)
        let session = CaptureSession(device: device)
        let thread = Thread { session.captureLoop(pcm) }
        thread.name = "radscribe.alsa-capture"
        thread.start()
        return session
    }

    /// Waits for the next chunk of 16 kHz mono samples.
    /// - Returns: nil once capture has stopped and every chunk was taken.
    /// - Throws: the ``AudioError`` that ended capture, after the chunks before it were taken.
    public func nextChunk() throws -> [Int16]? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            let (chunk, done, error): ([Int16]?, Bool, AudioError?) = state.withLock { state in
                if !state.chunks.isEmpty { return (state.chunks.removeFirst(), false, nil) }
                return (nil, state.finished, state.error)
            }
            if let chunk { return chunk }
            if let error { throw error }
            if done { return nil }
            condition.wait()
        }
    }

    /// Asks the capture thread to stop after the read in progress; the device closes on that thread.
    public func stop() {
        stopRequested.store(true, ordering: .releasing)
    }

    /// Overruns recovered from so far (each lost some samples).
    public var overruns: Int { state.withLock { $0.overruns } }

    private func captureLoop(_ pcm: PCMDevice) {
        var buffer = [Int16](repeating: 0, count: Self.chunkFrames)
        var failure: AudioError?
        while !stopRequested.load(ordering: .acquiring) {
            do {
                let frames = try pcm.read(into: &buffer)
                let chunk = Array(buffer.prefix(frames))
                let overruns = pcm.overruns
                publish { state in
                    state.chunks.append(chunk)
                    state.overruns = overruns
                }
            } catch {
                failure = error
                break
            }
        }
        publish { state in
            state.finished = true
            state.error = failure
        }
    }

    private func publish(_ update: (inout State) -> Void) {
        condition.lock()
        state.withLock { update(&$0) }
        condition.signal()
        condition.unlock()
    }
}
