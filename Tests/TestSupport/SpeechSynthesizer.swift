import Foundation

/// Text-to-speech voices from Debian used to make test dictations at test time (never committed as binaries).
public enum TestVoice: String, Sendable, CaseIterable {
    /// flite's built-in female US voice.
    case fliteSLT = "flite-slt"
    /// flite's built-in male US voice.
    case fliteRMS = "flite-rms"
    /// festival with the HTS voice `cmu_us_slt_arctic_hts` (festvox-us-slt-hts).
    case festivalSLT = "festival-slt-hts"
}

/// Synthesizes dictations with flite or festival and converts them with sox to the format wanted.
public enum SpeechSynthesizer {
    /// Speaks `text` into a WAV file.
    /// - Parameters:
    ///   - rate: output sample rate in Hz.
    ///   - channels: 1 for mono, 2 for stereo (the mono signal duplicated).
    ///   - bits: sample size, 16 by default.
    ///   - encoding: sox encoding name (`signed-integer`, `mu-law`, `unsigned-integer`).
    /// - Returns: the written file.
    @discardableResult
    public static func synthesize(
        _ text: String,
        voice: TestVoice = .fliteSLT,
        to output: URL,
        rate: Int = 16000,
        channels: Int = 1,
        bits: Int = 16,
        encoding: String = "signed-integer"
    ) throws -> URL {
        let raw = output.deletingPathExtension().appendingPathExtension("tts.wav")
        defer { try? FileManager.default.removeItem(at: raw) }
        let result: ProcessResult
        switch voice {
        case .fliteSLT, .fliteRMS:
            let name = voice == .fliteSLT ? "slt" : "rms"
            result = try ProcessRunner.run(tool: "flite", ["-voice", name, "-t", text, "-o", raw.path])
        case .festivalSLT:
            let textFile = output.deletingPathExtension().appendingPathExtension("txt")
            try text.write(to: textFile, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: textFile) }
            result = try ProcessRunner.run(
                tool: "text2wave",
                ["-eval", "(voice_cmu_us_slt_arctic_hts)", textFile.path, "-o", raw.path]
            )
        }
        guard result.exitCode == 0 else {
            throw ProcessFailure(description: "\(voice.rawValue) failed: \(result.stderr)")
        }
        // -R -D: no random dither, so the same text always gives the same samples.
        let sox = try ProcessRunner.run(
            tool: "sox",
            ["-R", "-D", raw.path, "-r", "\(rate)", "-c", "\(channels)", "-b", "\(bits)", "-e", encoding, output.path]
        )
        guard sox.exitCode == 0 else { throw ProcessFailure(description: "sox failed: \(sox.stderr)") }
        return output
    }

    /// Converts any audio file sox reads to raw 16 kHz mono S16_LE samples (for a file-backed ALSA PCM).
    public static func rawSamples(from wav: URL, to output: URL) throws {
        let sox = try ProcessRunner.run(
            tool: "sox",
            ["-R", "-D", wav.path, "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "raw", output.path]
        )
        guard sox.exitCode == 0 else { throw ProcessFailure(description: "sox failed: \(sox.stderr)") }
    }
}
