import CEspeak
import Foundation
import Synchronization

/// espeak-ng's letter-to-sound rules (libespeak-ng) as IPA: "effusion" → "ɪfjˈuːʒən".
///
/// libespeak-ng keeps its state in globals, so there is one engine per process: ``shared`` initializes it
/// once (no audio output) and every call is serialized by a lock. Safe to use from any thread.
public final class EspeakPhonemizer: Sendable {
    /// The process's engine, initialized on first use with the `en-us` voice.
    public static let shared = EspeakPhonemizer()

    private let state: Mutex<Result<Void, PronunciationError>>

    private init() {
        // espeakINITIALIZE_DONT_EXIT: report a missing data folder instead of exiting the process.
        let rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nil, Int32(espeakINITIALIZE_DONT_EXIT))
        if rate < 0 {
            state = Mutex(.failure(.synthesizerUnavailable("espeak_Initialize returned \(rate)")))
        } else if espeak_SetVoiceByName("en-us") != EE_OK {
            state = Mutex(.failure(.synthesizerUnavailable("no en-us voice")))
        } else {
            state = Mutex(.success(()))
        }
    }

    deinit { espeak_Terminate() }

    /// The IPA of one word, stress marks included.
    /// - Throws: ``PronunciationError/synthesizerUnavailable(_:)`` when espeak-ng cannot run.
    public func ipa(for word: String) throws(PronunciationError) -> String {
        let result: Result<String, PronunciationError> = state.withLock { state in
            if case .failure(let error) = state { return .failure(error) }
            var pieces: [String] = []
            word.withCString { text in
                var pointer: UnsafeRawPointer? = UnsafeRawPointer(text)
                while pointer != nil {
                    // phonememode bit 1: IPA as UTF-8.
                    guard let phonemes = espeak_TextToPhonemes(&pointer, espeakCHARS_UTF8, 0x02) else { break }
                    pieces.append(String(cString: phonemes))
                }
            }
            let ipa = pieces.joined(separator: " ").trimmingCharacters(in: .whitespacesAndNewlines)
            return ipa.isEmpty ? .failure(.synthesizerUnavailable("no phonemes for '\(word)'")) : .success(ipa)
        }
        return try result.get()
    }
}
