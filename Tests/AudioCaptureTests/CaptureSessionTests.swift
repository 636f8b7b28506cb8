import AudioCapture
import Foundation
import Testing
import TestSupport

@Suite("ALSA capture", .serialized)
struct CaptureSessionTests {
    @Test("a device that does not exist is a clear error, not a crash")
    func missingDevice() throws {
        let error = try #require(throws: AudioError.self) {
            try CaptureSession.start(device: "radscribe_no_such_device")
        }
        #expect(error.isSameKind(as: .deviceNotFound("", alsaMessage: "")))
        #expect(error.description.contains("radscribe_no_such_device"))
        #expect(error.description.contains("--device"))
    }

    @Test("samples captured from a file-backed PCM come back byte-identical")
    func fileBackedCapture() throws {
        let directory = try ProjectPaths.temporaryDirectory("alsa")
        let samples: [Int16] = (0..<16_000).map { Int16(truncatingIfNeeded: ($0 * 7919) % 30_000 - 15_000) }
        let raw = directory.appendingPathComponent("input.raw")
        try samples.withUnsafeBytes { Data($0) }.write(to: raw)
        let pcm = try FileBackedPCM(name: "radscribe_unit_capture", rawFile: raw, in: directory)
        // ALSA re-reads ALSA_CONFIG_PATH on every open, so setting it here reaches snd_pcm_open.
        setenv("ALSA_CONFIG_PATH", pcm.environment["ALSA_CONFIG_PATH"]!, 1)
        defer { unsetenv("ALSA_CONFIG_PATH") }

        let session = try CaptureSession.start(device: pcm.name)
        var captured: [Int16] = []
        while captured.count < samples.count, let chunk = try session.nextChunk() {
            captured.append(contentsOf: chunk)
        }
        session.stop()
        #expect(Array(captured.prefix(samples.count)) == samples)
        #expect(session.overruns == 0)
    }
}
