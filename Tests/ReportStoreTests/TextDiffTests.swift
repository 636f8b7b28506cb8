import ReportStore
import Testing

@Suite("Text diff")
struct TextDiffTests {
    @Test("the edit script is a shortest one and rebuilds both sides")
    func editScript() {
        let old = Array("ABCABBA")
        let new = Array("CBABAC")
        let edits = TextDiff.edits(from: old, to: new)
        var rebuiltOld: [Character] = []
        var rebuiltNew: [Character] = []
        var kept = 0
        for edit in edits {
            switch edit {
            case .keep(let c):
                rebuiltOld.append(c)
                rebuiltNew.append(c)
                kept += 1
            case .remove(let c): rebuiltOld.append(c)
            case .insert(let c): rebuiltNew.append(c)
            }
        }
        #expect(rebuiltOld == old && rebuiltNew == new)
        #expect(kept == 4, "LCS of ABCABBA and CBABAC has length 4")
    }

    @Test("identical texts have an empty diff; empty sides are pure additions or removals")
    func edges() {
        #expect(TextDiff.lines(from: "a\nb", to: "a\nb") == "")
        #expect(TextDiff.lines(from: "", to: "x") == "~ {+x+}")
        #expect(TextDiff.lines(from: "a", to: "a\nb") == "+ b")
        #expect(TextDiff.lines(from: "a\nb", to: "a") == "- b")
        #expect(TextDiff.edits(from: [Int](), to: []).isEmpty)
    }

    @Test("a changed line shows its word changes, git word-diff style")
    func words() {
        let old = "FINDINGS:\nThere is a small left pleural effusion.\n\nIMPRESSION:\nEffusion."
        let new = "FINDINGS:\nThere is a moderate left pleural effusion.\n\nIMPRESSION:\nEffusion.\nNo pneumothorax."
        #expect(
            TextDiff.lines(from: old, to: new)
                == "~ There is a [-small-]{+moderate+} left pleural effusion.\n+ No pneumothorax."
        )
        #expect(TextDiff.words(from: "no acute findings", to: "no findings seen") == "no [-acute-] findings {+seen+}")
    }
}
