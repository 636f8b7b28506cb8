/// A line diff with word-level detail, for showing what changed between two versions of a report.
///
/// Lines are compared by longest common subsequence; a run of removed lines followed by a run of added lines is
/// paired line by line and shown as one line with word changes marked the way `git diff --word-diff=plain` does:
/// `[-removed-]{+added+}`. Unchanged lines are left out; the result is empty when nothing changed.
public enum TextDiff {
    /// One step of an edit script.
    public enum Edit<Element: Equatable>: Equatable {
        case keep(Element)
        case remove(Element)
        case insert(Element)
    }

    /// The shortest edit script turning `old` into `new` (longest common subsequence, O(n·m)).
    public static func edits<Element: Equatable>(from old: [Element], to new: [Element]) -> [Edit<Element>] {
        let n = old.count
        let m = new.count
        // lengths[i][j]: LCS length of old[i...] and new[j...]
        var lengths = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lengths[i][j] = old[i] == new[j]
                    ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        var result: [Edit<Element>] = []
        var i = 0
        var j = 0
        while i < n || j < m {
            if i < n, j < m, old[i] == new[j] {
                result.append(.keep(old[i]))
                i += 1
                j += 1
            } else if i < n, j == m || lengths[i + 1][j] >= lengths[i][j + 1] {
                // Removals come before insertions in each changed run.
                result.append(.remove(old[i]))
                i += 1
            } else {
                result.append(.insert(new[j]))
                j += 1
            }
        }
        return result
    }

    /// The changed lines of `new` against `old`: `- line` removed, `+ line` added, `~ line` changed in place with
    /// word marks.
    public static func lines(from old: String, to new: String) -> String {
        let oldLines = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let newLines = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var output: [String] = []
        var removed: [String] = []
        var inserted: [String] = []
        func flush() {
            let paired = min(removed.count, inserted.count)
            for index in 0..<paired {
                output.append("~ " + words(from: removed[index], to: inserted[index]))
            }
            output += removed.dropFirst(paired).map { "- " + $0 }
            output += inserted.dropFirst(paired).map { "+ " + $0 }
            removed = []
            inserted = []
        }
        for edit in edits(from: oldLines, to: newLines) {
            switch edit {
            case .keep:
                flush()
            case .remove(let line):
                if !inserted.isEmpty { flush() }
                removed.append(line)
            case .insert(let line):
                inserted.append(line)
            }
        }
        flush()
        return output.joined(separator: "\n")
    }

    /// One line with its word changes marked: `[-old words-]{+new words+}`.
    public static func words(from old: String, to new: String) -> String {
        let oldWords = old.split(separator: " ").map(String.init)
        let newWords = new.split(separator: " ").map(String.init)
        var parts: [String] = []
        var removed: [String] = []
        var inserted: [String] = []
        func flush() {
            var change = ""
            if !removed.isEmpty { change += "[-" + removed.joined(separator: " ") + "-]" }
            if !inserted.isEmpty { change += "{+" + inserted.joined(separator: " ") + "+}" }
            if !change.isEmpty { parts.append(change) }
            removed = []
            inserted = []
        }
        for edit in edits(from: oldWords, to: newWords) {
            switch edit {
            case .keep(let word):
                flush()
                parts.append(word)
            case .remove(let word):
                if !inserted.isEmpty { flush() }
                removed.append(word)
            case .insert(let word):
                inserted.append(word)
            }
        }
        flush()
        return parts.joined(separator: " ")
    }
}
