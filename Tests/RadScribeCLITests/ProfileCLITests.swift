import Foundation
import Testing
import TestSupport

@Suite("radscribe profile: speaker enrollment and adaptation", .integration, .tags(.speech, .adaptation))
struct ProfileCLITests {
    static let sentences = [
        "the heart size is normal and the mediastinal contours are unremarkable period",
        "there is a small right pleural effusion with adjacent atelectasis period",
        "both kidneys are normal in size without hydronephrosis period",
    ]

    /// NAME.wav + NAME.txt pairs spoken by one voice.
    private func enrollmentFolder(_ harness: CLIHarness, extraWord: String? = nil) throws -> URL {
        let folder = harness.directory.appendingPathComponent("enroll")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (index, sentence) in Self.sentences.enumerated() {
            try SpeechSynthesizer.synthesize(
                sentence, voice: .fliteRMS, to: folder.appendingPathComponent("s\(index).wav"), rate: 22050
            )
            let text = index == 1 && extraWord != nil ? sentence + " " + extraWord! : sentence
            try (text + "\n").write(to: folder.appendingPathComponent("s\(index).txt"), atomically: true, encoding: .utf8)
        }
        return folder
    }

    @Test("enroll --method mllr from an audio folder makes an MLLR profile, registers it, and transcribe --profile uses it")
    func enrollAndTranscribe() throws {
        let harness = try CLIHarness("profile-enroll")
        let profiles = harness.directory.appendingPathComponent("profiles")
        let folder = try enrollmentFolder(harness)
        let enroll = try harness.run(
            ["profile", "enroll", "drrms", "--method", "mllr", "--audio-dir", folder.path, "--profiles-dir", profiles.path]
        )
        #expect(enroll.exitCode == 0, "\(enroll.stderr)")
        #expect(enroll.stderr.contains("profile drrms: collecting statistics (bw)"), "\(enroll.stderr)")
        #expect(enroll.stdout.contains("adaptation data: 3 sentences (3 enrollment, 0 from corrected dictations)"))
        let directory = profiles.appendingPathComponent("drrms")
        for file in ["mllr_matrix", "profile.json", "data/enrollment/s0.wav", "data/enrollment/s0.txt"] {
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(file).path), "\(file)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent(".work").path))

        let list = try harness.run(["profile", "list"])
        #expect(list.exitCode == 0)
        #expect(list.stdout.hasPrefix("drrms\tmllr\t3 sentences"), "\(list.stdout)")
        let show = try harness.run(["profile", "show", "drrms"])
        #expect(show.stdout.contains("method: mllr (mllr_matrix)") && show.stdout.contains("registered in the database: yes"))

        let wav = try SpeechSynthesizer.synthesize(
            "no pneumothorax period the lungs are clear period", voice: .fliteRMS,
            to: harness.directory.appendingPathComponent("test.wav")
        )
        let transcribe = try harness.run(
            ["transcribe", "--spoken", "--profile", "drrms", "--profiles-dir", profiles.path, wav.path],
            withDatabase: false
        )
        #expect(transcribe.exitCode == 0, "\(transcribe.stderr)")
        #expect(transcribe.stderr.contains("using the speaker profile of drrms (mllr"))
        #expect(transcribe.stdout.contains("no pneumothorax period"), "\(transcribe.stdout)")

        let unknown = try harness.run(
            ["transcribe", "--profile", "nobody", "--profiles-dir", profiles.path, wav.path], withDatabase: false
        )
        #expect(unknown.exitCode == 66)
        #expect(unknown.stderr.contains("no speaker profile for 'nobody'"))
    }

    @Test("a transcript word missing from the dictionary is refused before anything is written")
    func missingWord() throws {
        let harness = try CLIHarness("profile-missing")
        let profiles = harness.directory.appendingPathComponent("profiles")
        let folder = try enrollmentFolder(harness, extraWord: "zorbulation")
        let result = try harness.run(
            ["profile", "enroll", "drrms", "--audio-dir", folder.path, "--profiles-dir", profiles.path]
        )
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("missing from"), "\(result.stderr)")
        #expect(result.stderr.contains("zorbulation (in s1)"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: profiles.appendingPathComponent("drrms").path))
    }

    @Test("without sphinxtrain, enroll says what to install and exits 69")
    func missingSphinxTrain() throws {
        let harness = try CLIHarness("profile-notools")
        let result = try harness.run(
            ["profile", "enroll", "drrms", "--audio-dir", harness.directory.path],
            environment: ["RADSCRIBE_SPHINXTRAIN": harness.directory.appendingPathComponent("none").path]
        )
        #expect(result.exitCode == 69)
        #expect(result.stderr.contains("not found at") && result.stderr.contains("sphinxtrain"), "\(result.stderr)")
    }

    @Test("adapt uses a dictation a transcriptionist corrected, with its audio")
    func adaptFromCorrections() throws {
        let harness = try CLIHarness("profile-adapt")
        let profiles = harness.directory.appendingPathComponent("profiles")
        for (name, role) in [("drrms", "radiologist"), ("tina", "transcriptionist")] {
            #expect(try harness.run(["user", "add", name, "--role", role]).exitCode == 0)
        }
        let wav = try SpeechSynthesizer.synthesize(
            "findings the lungs are clear period there is no pleural effusion period impression no acute disease period",
            voice: .fliteRMS, to: harness.directory.appendingPathComponent("dictation.wav")
        )
        let dictate = try harness.run(
            [
                "dictate", "--accession", "ACC9", "--template", "chest-radiograph-2-views", "--audio", wav.path,
                "--author", "drrms", "--profiles-dir", profiles.path,
            ]
        )
        #expect(dictate.exitCode == 0, "\(dictate.stderr)")
        #expect(!dictate.stderr.contains("using the speaker profile"), "no profile yet")
        #expect(try harness.run(["report", "send-for-correction", "ACC9", "--as", "drrms"]).exitCode == 0)
        let edit = try harness.run(
            ["report", "edit", "ACC9", "--section", "findings", "--text", "The lungs are clear. There is no pleural effusion.",
             "--as", "tina"]
        )
        #expect(edit.exitCode == 0, "\(edit.stderr)")

        let adapt = try harness.run(["profile", "adapt", "drrms", "--method", "mllr", "--profiles-dir", profiles.path])
        #expect(adapt.exitCode == 0, "\(adapt.stderr)")
        #expect(adapt.stderr.contains("1 corrected dictation(s)"), "\(adapt.stderr)")
        #expect(adapt.stdout.contains("0 enrollment"), "\(adapt.stdout)")
        #expect(FileManager.default.fileExists(atPath: profiles.appendingPathComponent("drrms/mllr_matrix").path))

        // The author's profile is now used for dictation without naming it.
        let again = try harness.run(
            [
                "dictate", "--accession", "ACC10", "--template", "chest-radiograph-2-views", "--audio", wav.path,
                "--author", "drrms", "--profiles-dir", profiles.path,
            ]
        )
        #expect(again.exitCode == 0, "\(again.stderr)")
        #expect(again.stderr.contains("using the speaker profile of drrms"), "\(again.stderr)")
    }

    @Test("adapt --audio-dir takes corrected sentences from a folder, skips those with unknown words, and makes MAP by default")
    func adaptFromFolder() throws {
        let harness = try CLIHarness("profile-adapt-dir")
        let profiles = harness.directory.appendingPathComponent("profiles")
        let folder = try enrollmentFolder(harness, extraWord: "zorbulation")
        let adapt = try harness.run(
            ["profile", "adapt", "drrms", "--audio-dir", folder.path, "--profiles-dir", profiles.path]
        )
        #expect(adapt.exitCode == 0, "\(adapt.stderr)")
        #expect(adapt.stderr.contains("3 corrected sentence(s) in \(folder.path), 1 skipped"), "\(adapt.stderr)")
        #expect(adapt.stdout.contains("(0 enrollment, 2 from corrected dictations)"), "\(adapt.stdout)")
        #expect(adapt.stdout.contains("method: map (model/)"), "\(adapt.stdout)")
        let kept = profiles.appendingPathComponent("drrms/data/corrections")
        #expect(try FileManager.default.contentsOfDirectory(atPath: kept.path).filter { $0.hasSuffix(".wav") }.count == 2)
        #expect(FileManager.default.fileExists(atPath: profiles.appendingPathComponent("drrms/model/means").path))

        let missing = try harness.run(
            ["profile", "adapt", "drrms", "--audio-dir", harness.directory.appendingPathComponent("none").path,
             "--profiles-dir", profiles.path]
        )
        #expect(missing.exitCode == 66, "\(missing.stderr)")
    }
}
