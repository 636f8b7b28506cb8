import Foundation
import ReportStore
import Testing

@Suite("User lexicon words in the database")
struct LexiconWordTests {
    @Test("words are added in order, replaced by word, and read after a count")
    func addReplaceRead() throws {
        let store = try ReportDatabase.inMemory()
        #expect(try store.lexiconWords().isEmpty)
        #expect(try store.saveLexiconWord(LexiconWord(word: "bochdalek", pronunciation: "B AA K", source: "espeak", addedBy: "a")))
        #expect(try store.saveLexiconWord(LexiconWord(word: "kommerell", pronunciation: "K AA M", source: "user", addedBy: "b")))
        let replaced = try store.saveLexiconWord(
            LexiconWord(word: "bochdalek", pronunciation: "B AA K D AH L EH K", source: "user", addedBy: "c")
        )
        #expect(!replaced)
        let words = try store.lexiconWords()
        #expect(words.map(\.word) == ["bochdalek", "kommerell"], "a replaced word keeps its place")
        #expect(words[0].pronunciation == "B AA K D AH L EH K")
        #expect(words[0].source == "user")
        #expect(try store.lexiconWords(after: 1).map(\.word) == ["kommerell"])
        #expect(try store.lexiconWords(after: 2).isEmpty)
        #expect(try store.lexiconWord("kommerell")?.addedBy == "b")
        #expect(try store.lexiconWord("missing") == nil)
    }
}
