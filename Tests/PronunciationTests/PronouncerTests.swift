import Foundation
import Pronunciation
import Testing

@Suite("Pronunciations: espeak-ng IPA → CMU phones, checked against the acoustic model")
struct PronouncerTests {
    static let model = URL(fileURLWithPath: "/usr/share/pocketsphinx/model/en-us/en-us")

    @Test("the acoustic model's base phones are read from its binary mdef")
    func phoneSet() throws {
        let set = try AcousticPhoneSet(acousticModel: Self.model)
        #expect(set.speechPhones.count == 39)
        #expect(set.phones.contains("SIL"))
        #expect(set.unknown(in: ["AA", "QQ", "ZH"]) == ["QQ"])
    }

    @Test("a missing model is a clear error")
    func missingModel() {
        #expect(throws: PronunciationError.modelUnreadable("/nonexistent/mdef")) {
            try AcousticPhoneSet(acousticModel: URL(fileURLWithPath: "/nonexistent"))
        }
    }

    @Test("IPA maps with the longest match first", arguments: [
        ("ɪfjˈuːʒən", "effusion", "IH F Y UW ZH AH N"),
        ("kˈɑːɹ", "car", "K AA R"),
        ("bˈʌʔn̩", "button", "B AH T AH N"),
        ("tʃˈɜːtʃ", "church", "CH ER CH"),
        ("bˈaɪ", "bye", "B AY"),
        ("lˈædɚ", "ladder", "L AE D ER"),
        ("wˈɔːɾɚ", "water", "W AO T ER"),
        ("lˈæɾɚ", "ladder", "L AE D ER"),
    ])
    func mapping(ipa: String, word: String, phones: String) throws {
        #expect(try IPAToCMU.phones(ipa: ipa, word: word).joined(separator: " ") == phones)
    }

    @Test("an IPA symbol without a mapping is named")
    func unmapped() {
        let error = #expect(throws: PronunciationError.self) { try IPAToCMU.phones(ipa: "kʘa", word: "click") }
        #expect(error?.description.contains("ʘ") == true)
    }

    @Test("espeak-ng gives pronunciations in the model's phones", arguments: [
        ("effusion", ["F", "Y", "UW", "ZH"]), ("bochdalek", ["B", "D", "L"]), ("kommerell", ["K", "M", "L"]),
        ("Morgagni", ["M", "G"]),
    ])
    func generated(word: String, expectedPhones: [String]) throws {
        let pronouncer = Pronouncer(phoneSet: try AcousticPhoneSet(acousticModel: Self.model))
        let phones = try pronouncer.generated(for: word)
        for phone in expectedPhones { #expect(phones.contains(phone), "\(word): \(phones)") }
        #expect(pronouncer.phoneSet.unknown(in: phones).isEmpty)
    }

    @Test("words with digits or symbols are refused with the characters named", arguments: [
        ("t2", ["2"]), ("c-5", ["5"]), ("abc$", ["$"]), ("two words", [" "]), ("-dash", ["-"]), ("42", ["4", "2"]),
        ("", []), ("e=mc", ["="]),
    ])
    func unpronounceable(word: String, bad: [String]) {
        let error = #expect(throws: PronunciationError.self) { try Pronouncer.dictionaryWord(word) }
        #expect(error?.code == .unpronounceable)
        for character in bad where character != " " {
            #expect(error?.description.contains("'\(character)'") == true, "\(error?.description ?? "")")
        }
    }

    @Test("pronounceable spellings are kept, lower case", arguments: [
        ("Bochdalek", "bochdalek"), ("hill-sachs", "hill-sachs"), ("o'brien", "o'brien"), ("Ménétrier", "ménétrier"),
    ])
    func pronounceable(word: String, kept: String) throws {
        #expect(try Pronouncer.dictionaryWord(word) == kept)
    }

    @Test("hand-written pronunciations are normalized and checked")
    func checked() throws {
        let pronouncer = Pronouncer(phoneSet: try AcousticPhoneSet(acousticModel: Self.model))
        #expect(try pronouncer.checked("b aa k0 d ah1 l eh k") == ["B", "AA", "K", "D", "AH", "L", "EH", "K"])
        let error = #expect(throws: PronunciationError.self) { try pronouncer.checked("B OX K") }
        #expect(error?.code == .unknownPhones)
        #expect(error?.description.contains("OX") == true)
        #expect(throws: PronunciationError.self) { try pronouncer.checked("   ") }
    }
}
