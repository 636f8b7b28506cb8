import Foundation
import Testing
import TestSupport

@Suite("radscribe lexicon, and risk flags in --json", .integration, .tags(.speech))
struct LexiconCommandTests {
    static let sentence = "there is a small bochdalek hernia period no pleural effusion period"

    @Test("--help works on the lexicon commands", arguments: [
        ["lexicon"], ["lexicon", "add"], ["lexicon", "list"], ["lexicon", "lookup"],
    ])
    func help(command: [String]) throws {
        let result = try ProcessRunner.radscribe(command + ["--help"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("USAGE"))
    }

    @Test("a word added with `lexicon add` is recognized by the next transcribe --db")
    func addedWordIsRecognized() throws {
        let cli = try CLIHarness("lexicon-e2e")
        let wav = try SpeechSynthesizer.synthesize(Self.sentence, to: cli.directory.appendingPathComponent("boch.wav"))
        let before = try cli.run(["transcribe", "--spoken", wav.path], withDatabase: false)
        #expect(before.exitCode == 0, "\(before.stderr)")
        #expect(!before.stdout.contains("bochdalek"), "not in the bundled lexicon: \(before.stdout)")

        let add = try cli.run(["lexicon", "add", "Bochdalek"])
        #expect(add.exitCode == 0, "\(add.stderr)")
        #expect(add.stdout.hasPrefix("added bochdalek\t"), "\(add.stdout)")
        #expect(add.stdout.contains("(espeak)"))

        let after = try cli.run(["transcribe", "--spoken", wav.path])
        #expect(after.exitCode == 0, "\(after.stderr)")
        #expect(after.stdout.contains("small bochdalek hernia"), "\(after.stdout)")
        #expect(after.stdout.contains("no pleural effusion"), "\(after.stdout)")
    }

    @Test("list, lookup and replacing a pronunciation")
    func listAndLookup() throws {
        let cli = try CLIHarness("lexicon-list")
        #expect(try cli.run(["lexicon", "add", "kommerell", "--pronunciation", "k aa1 m er0 eh2 l"]).exitCode == 0)
        #expect(try cli.run(["lexicon", "add", "morgagni", "--as", "drsmith"]).exitCode == 0)
        let list = try cli.run(["lexicon", "list"])
        #expect(list.stdout == "kommerell\tK AA M ER EH L\tuser\t\(NSUserName())\nmorgagni\t"
            + (list.stdout.split(separator: "\n").last?.split(separator: "\t")[1] ?? "") + "\tespeak\tdrsmith\n")
        let replaced = try cli.run(["lexicon", "add", "kommerell", "--pronunciation", "K AH M EH R EH L"])
        #expect(replaced.stdout.hasPrefix("replaced kommerell"))
        let lookup = try cli.run(["lexicon", "lookup", "Kommerell"])
        #expect(lookup.exitCode == 0)
        #expect(lookup.stdout.hasPrefix("kommerell\tK AH M EH R EH L\tuser"), "\(lookup.stdout)")
        let bundled = try cli.run(["lexicon", "lookup", "effusion"])
        #expect(bundled.exitCode == 0)
        #expect(bundled.stdout.contains("radscribe.dict"))
        let unknown = try cli.run(["lexicon", "lookup", "chilaiditi"])
        #expect(unknown.exitCode == 66)
        #expect(unknown.stdout.contains("espeak-ng (not in the lexicon)"))
        let json = try cli.run(["lexicon", "list", "--json"])
        let decoded = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(decoded?.map { $0["word"] as? String } == ["kommerell", "morgagni"])
    }

    @Test("words that cannot be pronounced are refused with exit 65", arguments: [
        ["t2"], ["c5-c6"], ["$tent"], ["42"], ["two words"],
    ])
    func unpronounceable(arguments: [String]) throws {
        let cli = try CLIHarness("lexicon-bad")
        let result = try cli.run(["lexicon", "add"] + arguments)
        #expect(result.exitCode == 65, "\(result.stderr)")
        #expect(result.stderr.contains("cannot be pronounced"), "\(result.stderr)")
        #expect(try cli.run(["lexicon", "list"]).stdout.isEmpty)
    }

    @Test("phones the acoustic model lacks are refused with exit 65, bundled words with exit 1")
    func badPhonesAndDuplicates() throws {
        let cli = try CLIHarness("lexicon-phones")
        let phones = try cli.run(["lexicon", "add", "zorbax", "--pronunciation", "Z AO R B AE KS"])
        #expect(phones.exitCode == 65)
        #expect(phones.stderr.contains("unknown phone(s) KS"), "\(phones.stderr)")
        let bundled = try cli.run(["lexicon", "add", "pneumothorax"])
        #expect(bundled.exitCode == 1)
        #expect(bundled.stderr.contains("already in the lexicon"), "\(bundled.stderr)")
    }

    @Test("transcribe --json flags numbers, laterality, negations and low-confidence words")
    func transcribeRisks() throws {
        let cli = try CLIHarness("risks")
        let wav = try SpeechSynthesizer.synthesize(
            "there is a two centimeter left pleural effusion period no pneumothorax period",
            to: cli.directory.appendingPathComponent("risk.wav")
        )
        let result = try cli.run(["transcribe", "--json", wav.path], withDatabase: false)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let files = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] ?? []
        let utterances = files.first?["utterances"] as? [[String: Any]] ?? []
        let words = utterances.flatMap { $0["words"] as? [[String: Any]] ?? [] }
        try #require(!words.isEmpty)
        func risks(_ text: String) -> [String]? {
            words.first { $0["text"] as? String == text }?["risks"] as? [String]
        }
        #expect(risks("no")?.contains("negation") == true)
        #expect(risks("left")?.contains("laterality") == true)
        #expect(risks("two")?.contains("number") == true)
        #expect(risks("pleural")?.contains("negation") == false)
        for word in words {
            let confidence = word["confidence"] as? Double ?? 0
            let flagged = (word["risks"] as? [String] ?? []).contains("low-confidence")
            #expect(flagged == (confidence < 0.5), "\(word)")
        }
        let strict = try cli.run(["transcribe", "--json", "--risk-threshold", "1", wav.path], withDatabase: false)
        #expect(strict.exitCode == 0)
        let bad = try cli.run(["transcribe", "--json", "--risk-threshold", "2", wav.path], withDatabase: false)
        #expect(bad.exitCode == 64)
    }

    @Test("dictate uses the user's words, and report show --json carries the risks of each spoken word")
    func dictateWithUserWords() throws {
        let cli = try CLIHarness("lexicon-dictate")
        #expect(try cli.run(["lexicon", "add", "bochdalek"]).exitCode == 0)
        let wav = try SpeechSynthesizer.synthesize(
            "findings period there is a small left bochdalek hernia period there is no pneumothorax period "
                + "impression period small left bochdalek hernia period",
            to: cli.directory.appendingPathComponent("dictation.wav")
        )
        let dictate = try cli.run(["dictate", "--accession", "LEX1", "--template", "chest-radiograph-2-views", "--audio", wav.path])
        #expect(dictate.exitCode == 0, "\(dictate.stderr)")
        let report = try cli.reportJSON("LEX1")
        let findings = cli.sectionText(report, "findings").lowercased()
        #expect(findings.contains("bochdalek hernia"), "\(findings)")
        let spoken = (report["spokenWords"] as? [String: [[String: Any]]] ?? [:]).values.flatMap { $0 }
        try #require(!spoken.isEmpty)
        #expect(spoken.allSatisfy { $0["risks"] is [String] })
        #expect((spoken.first { $0["text"] as? String == "no" }?["risks"] as? [String])?.contains("negation") == true)
        #expect((spoken.first { $0["text"] as? String == "left" }?["risks"] as? [String])?.contains("laterality") == true)
    }
}
