import Foundation
import Testing
import TestSupport

@Suite("Dictation end to end", .integration, .tags(.speech))
struct DictationEndToEndTests {
    static let template = "chest-radiograph-2-views"

    @Test("synthesized dictation → dictate → stored report with findings and impression", arguments: [
        TestVoice.fliteSLT, TestVoice.festivalSLT,
    ])
    func dictateFromWAV(voice: TestVoice) throws {
        let cli = try CLIHarness("e2e-wav")
        let wav = try cli.synthesize("chest-left-effusion", voice: voice, rate: 44100, channels: 2)
        let result = try cli.run(["dictate", "--accession", "E2E1", "--template", Self.template, "--audio", wav.path])
        #expect(result.exitCode == 0, "dictate failed: \(result.stderr)")
        #expect(result.stderr.contains("had no order; created one"), "says it created the order")

        let report = try cli.reportJSON("E2E1")
        let findings = cli.sectionText(report, "findings").lowercased()
        let impression = cli.sectionText(report, "impression").lowercased()
        #expect(findings.contains("left pleural effusion"), "findings: \(findings)")
        #expect(findings.contains("no pneumothorax"), "findings: \(findings)")
        #expect(impression.contains("left pleural effusion"), "impression: \(impression)")
        #expect(impression.contains("no pneumothorax"), "impression: \(impression)")
        #expect(report["status"] as? String == "draft")
        #expect((report["audioSeconds"] as? Double ?? 0) > 5, "the dictation audio is kept")
        let spoken = report["spokenWords"] as? [String: [[String: Any]]] ?? [:]
        #expect(spoken["findings"]?.isEmpty == false, "spoken words with timings are kept")
    }

    @Test("live capture from a file-backed ALSA PCM gives the same text as the WAV path")
    func alsaMatchesWAV() throws {
        let cli = try CLIHarness("e2e-alsa")
        let wav = try cli.synthesize("chest-clear-lungs")
        let raw = cli.directory.appendingPathComponent("dictation.raw")
        try SpeechSynthesizer.rawSamples(from: wav, to: raw)
        let pcm = try FileBackedPCM(name: "dictation", rawFile: raw, in: cli.directory)

        let fromFile = try cli.run(["dictate", "--accession", "WAV1", "--template", Self.template, "--audio", wav.path])
        #expect(fromFile.exitCode == 0, "dictate --audio: \(fromFile.stderr)")
        let live = try cli.run(
            ["dictate", "--accession", "ALSA1", "--template", Self.template, "--device", pcm.name, "--end-silence", "1.5"],
            environment: pcm.environment
        )
        #expect(live.exitCode == 0, "dictate --device: \(live.stderr)")

        let wavReport = try cli.reportJSON("WAV1")
        let liveReport = try cli.reportJSON("ALSA1")
        for key in ["clinical-information", "findings", "impression"] {
            #expect(cli.sectionText(wavReport, key) == cli.sectionText(liveReport, key), "section \(key)")
        }
        #expect(cli.sectionText(liveReport, "impression").lowercased().contains("no acute cardiopulmonary disease"))
        #expect(cli.sectionText(liveReport, "clinical-information").lowercased().contains("cough"))
    }

    @Test("a microphone that delivers only room noise stops with a clear error after the no-speech timeout")
    func silentMicrophone() throws {
        let cli = try CLIHarness("e2e-silent-mic")
        // 40 s of a low noise floor (about -60 dBFS): a muted microphone in a quiet room.
        var state: UInt32 = 12_345
        let samples: [Int16] = (0..<(40 * 16_000)).map { _ in
            state = state &* 1_103_515_245 &+ 12_345
            return Int16(Int(state >> 16) % 61 - 30)
        }
        let raw = cli.directory.appendingPathComponent("silence.raw")
        try samples.withUnsafeBytes { Data($0) }.write(to: raw)
        let pcm = try FileBackedPCM(name: "dictation", rawFile: raw, in: cli.directory)
        let live = try cli.run(
            ["dictate", "--accession", "MUTE1", "--template", Self.template, "--device", pcm.name],
            environment: pcm.environment
        )
        #expect(live.exitCode == 69, "\(live.stderr)")
        #expect(live.stderr.contains("no speech heard from 'dictation' in 30 s"), "\(live.stderr)")
    }

    @Test("transcribe prints text, spoken form and JSON with timings")
    func transcribe() throws {
        let cli = try CLIHarness("e2e-transcribe")
        let first = try cli.synthesize("chest-left-effusion")
        let second = try cli.synthesize("chest-clear-lungs")

        let spoken = try cli.run(["transcribe", "--spoken", first.path, second.path], withDatabase: false)
        #expect(spoken.exitCode == 0, "\(spoken.stderr)")
        let lines = spoken.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 2, "one line per file: \(spoken.stdout)")
        #expect(lines[0].contains("no pneumothorax period"))
        #expect(lines[0] == lines[0].lowercased())

        let written = try cli.run(["transcribe", first.path], withDatabase: false)
        #expect(written.stdout.contains("No pneumothorax."), "\(written.stdout)")

        let json = try cli.run(["transcribe", "--json", first.path], withDatabase: false)
        let files = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]] ?? []
        let utterances = files.first?["utterances"] as? [[String: Any]] ?? []
        let word = (utterances.first?["words"] as? [[String: Any]])?.first ?? [:]
        #expect(word["text"] is String && word["start"] is Double && word["end"] is Double && word["confidence"] is Double)
        #expect((files.first?["realTimeFactor"] as? Double ?? 1) < 1)
    }

    @Test("--decoder-option reaches PocketSphinx; a malformed or unknown one is a clear error")
    func decoderOptions() throws {
        let cli = try CLIHarness("e2e-decoder-option")
        let wav = try cli.synthesize("chest-left-effusion")

        let tuned = try cli.run(["transcribe", "--spoken", "--decoder-option", "lw=6.5", wav.path], withDatabase: false)
        #expect(tuned.exitCode == 0, "\(tuned.stderr)")
        #expect(tuned.stdout.contains("no pneumothorax period"), "\(tuned.stdout)")

        let malformed = try cli.run(["transcribe", "--decoder-option", "lw", wav.path], withDatabase: false)
        #expect(malformed.exitCode == 64, "\(malformed.stderr)")
        #expect(malformed.stderr.contains("is not NAME=VALUE"), "\(malformed.stderr)")

        let unknown = try cli.run(["transcribe", "--decoder-option", "no-such-option=1", wav.path], withDatabase: false)
        #expect(unknown.exitCode != 0)
        #expect(unknown.stderr.contains("-no-such-option"), "the error names the option: \(unknown.stderr)")
        #expect(unknown.stdout.isEmpty)
    }

    @Test("the binary finds its bundled data from any working directory")
    func runsFromElsewhere() throws {
        let cli = try CLIHarness("e2e-cwd")
        let result = try cli.run(["template", "list"], currentDirectory: URL(fileURLWithPath: "/"))
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains(Self.template))
    }
}
