import Dictation
import Foundation
import Testing
import TestSupport

@Suite("Spoken to written text: measurements, levels, dates, abbreviations", .integration, .tags(.validators))
struct WrittenFormTests {
    let formatter = SpokenTextFormatter()

    private func format(_ spoken: String) -> String {
        formatter.format(spoken.split(separator: " ").map(String.init))
    }

    @Test("ranges and dimensions", arguments: [
        ("three by four millimeters", "3 x 4 mm"),
        ("three by four by five centimeters", "3 x 4 x 5 cm"),
        ("two to three millimeters", "2-3 mm"),
        ("two point five by one point two centimeters", "2.5 x 1.2 cm"),
        ("one to two centimeters", "1-2 cm"),
        ("two point five to three centimeters", "2.5-3 cm"),
        ("fifty percent stenosis", "50% stenosis"),
        ("ninety degrees", "90°"),
        ("an eleven by twelve millimeter nodule", "An 11 x 12 mm nodule"),
        ("one hundred twenty hounsfield units", "120 HU"),
        ("two thousand five hundred milliliters", "2500 mL"),
        ("a one point five tesla magnet", "A 1.5 T magnet"),
        ("forty two centimeters per second", "42 cm/s"),
    ])
    func measurements(spoken: String, written: String) {
        #expect(format(spoken) == written)
    }

    @Test("words near numbers stay words", arguments: [
        ("one of the nodules", "One of the nodules"),
        ("go to findings", "Go to findings"),
        ("two to three nodules", "2 to 3 nodules"),
        ("stable from two thousand twenty", "Stable from 2020"),
    ])
    func notMeasurements(spoken: String, written: String) {
        #expect(format(spoken) == written)
    }

    @Test("vertebral levels", arguments: [
        ("c five six", "C5-C6"),
        ("l four five", "L4-L5"),
        ("l five s one", "L5-S1"),
        ("t eight", "T8"),
        ("c seven t one", "C7-T1"),
        ("t twelve l one", "T12-L1"),
        ("c five to c seven", "C5-C7"),
        ("c three through c five", "C3-C5"),
        ("l five s one disc protrusion", "L5-S1 disc protrusion"),
        ("at c five six there is a disc osteophyte complex", "At C5-C6 there is a disc osteophyte complex"),
        ("there is a c five six disc bulge", "There is a C5-C6 disc bulge"),
        ("mild narrowing at l three four and l four five", "Mild narrowing at L3-L4 and L4-L5"),
        ("compression deformity of t eleven", "Compression deformity of T11"),
        ("c eight", "C 8"),
    ])
    func vertebralLevels(spoken: String, written: String) {
        #expect(format(spoken) == written)
    }

    @Test("dates", arguments: [
        ("march third twenty twenty four", "March 3, 2024"),
        ("comparison march third twenty twenty four period", "Comparison March 3, 2024."),
        ("january twenty first twenty twenty three", "January 21, 2023"),
        ("december thirty first nineteen ninety nine", "December 31, 1999"),
        ("june fifth two thousand five", "June 5, 2005"),
        ("october second twenty oh nine", "October 2, 2009"),
        ("compared to march third", "Compared to March 3"),
        ("since may twenty twenty two", "Since May 2022"),
        ("three slash fourteen slash twenty four", "3/14/24"),
        ("three slash fourteen slash twenty twenty four", "3/14/2024"),
        ("this may represent atelectasis", "This may represent atelectasis"),
    ])
    func dates(spoken: String, written: String) {
        #expect(format(spoken) == written)
    }

    @Test("abbreviations and scores", arguments: [
        ("c t of the chest", "CT of the chest"),
        ("m r i brain without contrast", "MRI brain without contrast"),
        ("t two hyperintense lesion", "T2 hyperintense lesion"),
        ("t one weighted images", "T1 weighted images"),
        ("bi rads four", "BI-RADS 4"),
        ("bi rads four a suspicious", "BI-RADS 4A suspicious"),
        ("bi rads category two period", "BI-RADS category 2."),
        ("ti rads three", "TI-RADS 3"),
        ("p a and lateral views", "PA and lateral views"),
        ("a p view", "AP view"),
        ("i v contrast", "IV contrast"),
        ("c t a of the chest", "CTA of the chest"),
        ("flair hyperintensity", "FLAIR hyperintensity"),
        ("chest x ray", "Chest X-ray"),
        ("the pick line tip", "The PICC line tip"),
        ("a small effusion", "A small effusion"),
        ("on a c t from march third", "On a CT from March 3"),
        ("a c l tear", "ACL tear"),
        ("i v c filter", "IVC filter"),
        ("a d c map", "ADC map"),
    ])
    func abbreviations(spoken: String, written: String) {
        #expect(format(spoken) == written)
    }

    @Test("spoken punctuation and capitals", arguments: [
        ("well hyphen defined", "Well-defined"),
        ("and slash or", "And/or"),
        ("impression colon no acute process period", "Impression: No acute process."),
        ("see open paren series three close paren", "See (series 3)"),
        ("is this new question mark", "Is this new?"),
        ("findings new line heart normal", "Findings\nHeart normal"),
    ])
    func punctuation(spoken: String, written: String) {
        #expect(format(spoken) == written)
    }

    @Test("negations are kept whatever surrounds them", arguments: [
        "no c t evidence of hemorrhage", "no two by three millimeter stone", "no l five s one herniation",
        "no bi rads four lesion", "no change since march third twenty twenty four", "no period",
        "no", "no new nodule comma no effusion",
    ])
    func negationsKept(spoken: String) {
        let written = format(spoken)
        let spokenNos = spoken.split(separator: " ").filter { $0 == "no" }.count
        let writtenNos = written.lowercased().split(whereSeparator: { !$0.isLetter }).filter { $0 == "no" }.count
        #expect(spokenNos == writtenNos, "\(spoken) → \(written)")
    }

    /// What `spoken_text.py` cannot give back exactly, made equal on both sides: punctuation words (it drops a
    /// period after a digit, "T8."), paragraph marks, ordinal days ("March 3" → "march three"), singular units
    /// ("4 mm" → "millimeters") and the repeated letter of a level ("L4-L5" → "l four l five").
    static func comparable(_ spoken: String) -> [String] {
        let ordinals = [
            "first": "one", "second": "two", "third": "three", "fourth": "four", "fifth": "five", "sixth": "six",
            "seventh": "seven", "eighth": "eight", "ninth": "nine", "tenth": "ten", "eleventh": "eleven",
            "twelfth": "twelve", "thirteenth": "thirteen", "fourteenth": "fourteen", "fifteenth": "fifteen",
            "sixteenth": "sixteen", "seventeenth": "seventeen", "eighteenth": "eighteen", "nineteenth": "nineteen",
            "twentieth": "twenty", "thirtieth": "thirty", "millimeter": "millimeters", "centimeter": "centimeters",
        ]
        let dropped: Set<String> = ["period", "comma", "colon", "semicolon", "new", "paragraph", "line"]
        var words: [String] = []
        for word in spoken.split(separator: " ").map(String.init) where !dropped.contains(word) {
            let word = ordinals[word] ?? word
            // "l four l five" → "l four five"
            if words.count >= 2, word == words[words.count - 2], ["c", "t", "l", "s"].contains(word) { continue }
            words.append(word)
        }
        return words
    }

    /// The benchmark compares spoken-form words (`transcribe --spoken`); the formatter's written text must map
    /// back to the same spoken words with the project's written → spoken converter (`scripts/spoken_text.py`).
    @Test("written text maps back to the spoken form of every benchmark dictation")
    func roundTrip() throws {
        let folder = ProjectPaths.root.appendingPathComponent("Benchmarks/dictations")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".txt") }.sorted()
        try #require(files.count >= 40)
        var written: [String] = []
        var spoken: [String] = []
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
            spoken.append(line.split(separator: " ").joined(separator: " "))
            written.append(format(line).replacingOccurrences(of: "\n", with: " "))
        }
        let script = """
            import sys, json
            sys.path.insert(0, sys.argv[1])
            from spoken_text import to_spoken
            print(json.dumps([to_spoken(t) for t in json.load(sys.stdin)]))
            """
        let result = try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/python3"), ["-c", script, ProjectPaths.root.appendingPathComponent("scripts").path],
            stdin: try JSONEncoder().encode(written)
        )
        try #require(result.exitCode == 0, "\(result.stderr)")
        let back = try JSONDecoder().decode([String].self, from: Data(result.stdout.utf8))
        var exact = 0
        for (index, file) in files.enumerated() {
            if Self.comparable(back[index]) == Self.comparable(spoken[index]) {
                exact += 1
            } else {
                let a = spoken[index].split(separator: " ")
                let b = back[index].split(separator: " ")
                let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
                let expected = a[max(0, first - 3)..<min(a.count, first + 5)].joined(separator: " ")
                let got = b[max(0, min(b.count, first) - 3)..<min(b.count, first + 5)].joined(separator: " ")
                Issue.record("\(file): spoken … \(expected) … came back as … \(got) …")
            }
        }
        #expect(exact == files.count)
    }
}
