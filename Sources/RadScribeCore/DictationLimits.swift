/// Limits every live dictation shares, whichever front end records it (`radscribe dictate --device`, the
/// workstation's WebSocket): one radiologist's microphone must not fill the disk or the memory of the server.
public enum DictationLimits {
    /// The longest dictation, in seconds (15 minutes: far beyond any report, short enough to bound one WAV at
    /// about 29 MB of 16 kHz audio).
    public static let maximumSeconds: Double = 900
}
