/// Why audio could not be read or captured. Descriptions say what to do next.
public struct AudioError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case emptyFile
        case notWAV
        case truncated
        case unsupportedFormat
        case fileUnreadable
        case deviceNotFound
        case deviceBusy
        case deviceFormat
        case captureFailed
    }

    private let code: Code
    /// A sentence for the user: what went wrong and what to do about it.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func emptyFile(_ path: String) -> AudioError {
        AudioError(.emptyFile, "\(path) is empty: record or export the dictation again")
    }

    public static func notWAV(_ path: String, found: String) -> AudioError {
        AudioError(
            .notWAV,
            "\(path) is not a RIFF/WAVE file (\(found)); convert it with `sox INPUT -r 16000 -c 1 -b 16 OUTPUT.wav`"
        )
    }

    public static func truncated(_ path: String, detail: String) -> AudioError {
        AudioError(.truncated, "\(path) is truncated (\(detail)); the recording is incomplete, export it again")
    }

    public static func unsupportedFormat(_ path: String, found: String) -> AudioError {
        AudioError(
            .unsupportedFormat,
            "\(path) holds \(found); RadScribe reads linear PCM WAV (8, 16 or 24-bit, mono or stereo): "
                + "convert it with `sox INPUT -e signed-integer -b 16 OUTPUT.wav`"
        )
    }

    public static func fileUnreadable(_ path: String, reason: String) -> AudioError {
        AudioError(.fileUnreadable, "cannot read \(path): \(reason)")
    }

    public static func deviceNotFound(_ device: String, alsaMessage: String) -> AudioError {
        AudioError(
            .deviceNotFound,
            "audio device '\(device)' not found (\(alsaMessage)); list capture devices with `arecord -L` "
                + "and pass one with --device, or dictate from a file with --audio FILE.wav"
        )
    }

    public static func deviceBusy(_ device: String, alsaMessage: String) -> AudioError {
        AudioError(.deviceBusy, "audio device '\(device)' is busy (\(alsaMessage)); close the program using it")
    }

    public static func deviceFormat(_ device: String, alsaMessage: String) -> AudioError {
        AudioError(
            .deviceFormat,
            "audio device '\(device)' cannot deliver 16 kHz mono 16-bit samples (\(alsaMessage)); "
                + "use a `plug:` device such as plughw:0,0"
        )
    }

    public static func captureFailed(_ device: String, operation: String, alsaMessage: String) -> AudioError {
        AudioError(.captureFailed, "capture from '\(device)' failed in \(operation): \(alsaMessage)")
    }

    public static func == (lhs: AudioError, rhs: AudioError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// True when both errors are of the same kind, whatever their details.
    public func isSameKind(as other: AudioError) -> Bool { code == other.code }
}
