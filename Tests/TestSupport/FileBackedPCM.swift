import Foundation

/// An ALSA configuration naming a capture PCM that plays back a file of raw samples (see
/// shared/reference/alsa-testing.md): real `snd_pcm_readi` calls with no sound card.
public struct FileBackedPCM: Sendable {
    public var name: String
    /// The config file to append to `ALSA_CONFIG_PATH`.
    public var configFile: URL

    /// Writes a config that defines `pcm.NAME` reading from `rawFile` (16 kHz mono S16_LE).
    public init(name: String = "dictation", rawFile: URL, in directory: URL) throws {
        self.name = name
        configFile = directory.appendingPathComponent("asoundrc-\(name)")
        let config = """
            pcm.\(name) {
              type file
              slave.pcm null
              file "/dev/null"
              infile "\(rawFile.path)"
              format "raw"
            }

            """
        try config.write(to: configFile, atomically: true, encoding: .utf8)
    }

    /// Environment that makes ALSA load its own defaults and then this config.
    public var environment: [String: String] {
        ["ALSA_CONFIG_PATH": "/usr/share/alsa/alsa.conf:\(configFile.path)"]
    }
}
