import CALSA
import Foundation

/// An open ALSA capture PCM delivering 16 kHz mono S16_LE. Owns the `snd_pcm_t*` and closes it in `deinit`.
///
/// Not thread-safe: one thread reads at a time. ``CaptureSession`` hands the whole device to its capture
/// thread and never touches it again, which is why the type may cross threads once.
final class PCMDevice: @unchecked Sendable {
    let name: String
    private let handle: OpaquePointer
    private(set) var overruns = 0

    /// Opens `name` for capture and asks for 16 kHz mono 16-bit samples, resampled by ALSA if needed.
    init(name: String, sampleRate: Int = PCMAudio.recognizerSampleRate) throws(AudioError) {
        radscribe_alsa_silence_errors()
        var pcm: OpaquePointer?
        let openResult = snd_pcm_open(&pcm, name, SND_PCM_STREAM_CAPTURE, 0)
        guard openResult >= 0, let pcm else {
            let message = Self.message(openResult)
            if openResult == -EBUSY { throw AudioError.deviceBusy(name, alsaMessage: message) }
            throw AudioError.deviceNotFound(name, alsaMessage: message)
        }
        let setResult = snd_pcm_set_params(
            pcm, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1, UInt32(sampleRate), 1, 500_000
        )
        guard setResult >= 0 else {
            snd_pcm_close(pcm)
            throw AudioError.deviceFormat(name, alsaMessage: Self.message(setResult))
        }
        self.name = name
        self.handle = pcm
    }

    deinit {
        snd_pcm_close(handle)
    }

    /// Blocks until `buffer` is full of frames, recovering from overruns (counted in ``overruns``).
    /// - Returns: the number of frames read.
    func read(into buffer: inout [Int16]) throws(AudioError) -> Int {
        var filled = 0
        while filled < buffer.count {
            let want = buffer.count - filled
            let got = buffer.withUnsafeMutableBufferPointer { pointer in
                snd_pcm_readi(handle, pointer.baseAddress! + filled, snd_pcm_uframes_t(want))
            }
            if got >= 0 {
                filled += Int(got)
                continue
            }
            let code = Int32(got)
            if code == -EPIPE || code == -ESTRPIPE || code == -EINTR {
                // An overrun drops samples the reader was too slow for; recovering keeps the dictation going.
                if code == -EPIPE { overruns += 1 }
                let recovered = snd_pcm_recover(handle, code, 1)
                if recovered < 0 {
                    throw AudioError.captureFailed(name, operation: "snd_pcm_recover", alsaMessage: Self.message(recovered))
                }
                continue
            }
            throw AudioError.captureFailed(name, operation: "snd_pcm_readi", alsaMessage: Self.message(code))
        }
        return filled
    }

    static func message(_ code: Int32) -> String {
        String(cString: snd_strerror(code))
    }
}
