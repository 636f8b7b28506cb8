import AudioCapture
import Foundation
import Testing
import TestSupport

@Suite("WAV reader")
struct WAVReaderTests {
    let directory: URL

    init() throws {
        directory = try ProjectPaths.temporaryDirectory("wav")
    }

    /// A 1 kHz tone made by sox in the given format.
    private func tone(_ name: String, rate: Int, channels: Int, bits: Int, encoding: String = "signed-integer",
                      seconds: Double = 1) throws -> URL
    {
        let url = directory.appendingPathComponent(name)
        let result = try ProcessRunner.run(
            tool: "sox",
            ["-R", "-D", "-n", "-r", "\(rate)", "-c", "\(channels)", "-b", "\(bits)", "-e", encoding, url.path,
             "synth", "\(seconds)", "sine", "1000", "vol", "0.5"]
        )
        #expect(result.exitCode == 0, "sox: \(result.stderr)")
        return url
    }

    /// Counts sign changes: a 1 kHz tone crosses zero 2,000 times a second at any sample rate.
    private func zeroCrossings(_ samples: [Int16]) -> Int {
        zip(samples, samples.dropFirst()).filter { ($0 < 0) != ($1 < 0) }.count
    }

    @Test("reads every supported PCM layout as 16 kHz mono", arguments: [
        (16000, 1, 16), (44100, 2, 16), (48000, 1, 24), (8000, 1, 8), (22050, 2, 32), (16000, 2, 24),
    ])
    func readsSupportedFormats(rate: Int, channels: Int, bits: Int) throws {
        let encoding = bits == 8 ? "unsigned-integer" : "signed-integer"
        let url = try tone("tone-\(rate)-\(channels)-\(bits).wav", rate: rate, channels: channels, bits: bits, encoding: encoding)
        let audio = try WAVReader.read(contentsOf: url)
        #expect(audio.sampleRate == 16000)
        #expect(abs(audio.duration - 1.0) < 0.01)
        let crossings = zeroCrossings(audio.samples)
        #expect((1990...2010).contains(crossings), "1 kHz tone kept its pitch: \(crossings) crossings")
        let peak = audio.samples.map { abs(Int($0)) }.max() ?? 0
        #expect((14000...18000).contains(peak), "amplitude about half scale, got \(peak)")
    }

    @Test("downsampling removes what 16 kHz cannot carry instead of folding it back as noise")
    func antiAliasing() throws {
        let url = directory.appendingPathComponent("high.wav")
        _ = try ProcessRunner.run(
            tool: "sox",
            ["-R", "-D", "-n", "-r", "48000", "-c", "1", "-b", "16", url.path, "synth", "1", "sine", "11000", "vol", "0.5"]
        )
        let audio = try WAVReader.read(contentsOf: url)
        let rms = sqrt(audio.samples.map { Double($0) * Double($0) }.reduce(0, +) / Double(audio.samples.count))
        #expect(rms < 300, "an 11 kHz tone is above 8 kHz Nyquist and must be filtered out, rms \(rms)")
    }

    @Test("a truncated file is an error that says so")
    func truncated() throws {
        let url = try tone("whole.wav", rate: 16000, channels: 1, bits: 16)
        let data = try Data(contentsOf: url)
        let cut = directory.appendingPathComponent("cut.wav")
        try data.prefix(data.count / 2).write(to: cut)
        let error = try #require(throws: AudioError.self) { try WAVReader.read(contentsOf: cut) }
        #expect(error.description.contains("truncated"))
        #expect(error.description.contains("cut.wav"))
    }

    @Test("8-bit µ-law is refused, naming the format found and how to convert")
    func muLaw() throws {
        let url = try tone("ulaw.wav", rate: 8000, channels: 1, bits: 8, encoding: "mu-law")
        let error = try #require(throws: AudioError.self) { try WAVReader.read(contentsOf: url) }
        #expect(error.description.contains("µ-law"))
        #expect(error.description.contains("sox"))
    }

    @Test("an empty file and a file that is not a WAV are refused")
    func emptyAndForeign() throws {
        let empty = directory.appendingPathComponent("empty.wav")
        try Data().write(to: empty)
        let emptyError = try #require(throws: AudioError.self) { try WAVReader.read(contentsOf: empty) }
        #expect(emptyError.description.contains("empty"))

        let text = directory.appendingPathComponent("notes.wav")
        try Data("findings period".utf8).write(to: text)
        let foreignError = try #require(throws: AudioError.self) { try WAVReader.read(contentsOf: text) }
        #expect(foreignError.description.contains("not a RIFF/WAVE"))
    }

    @Test("writing and reading back gives the same samples")
    func roundTrip() throws {
        let samples: [Int16] = (0..<1600).map { Int16(truncatingIfNeeded: $0 * 37) }
        let audio = PCMAudio(samples: samples)
        let back = try WAVReader.decode(audio.wavData())
        #expect(back.samples == samples)
    }
}
