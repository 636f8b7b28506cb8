extension FindingCoder {
    /// One sentence after cue and term matching: decides which cue covers a finding, and its side.
    struct Context {
        let tokens: [Token]
        let owners: [Owner?]
        let cues: [Cue]
        let matches: [Match]
        let window: Int
        let coded: Set<OntologyCategory>

        /// Words that do not count against a cue's reach.
        static let light: Set<String> = [
            "the", "a", "an", "any", "of", "and", "or", "nor", "to", "in", "on", "at", "is", "are", "wa", "was", "were",
            "be", "been", "ha", "has", "have", "had", "this", "that", "these", "those", "seen", "noted", "identified",
            "demonstrated", "visualized", "evident", "present", "appreciated", "within", "along", "into", "from",
            "either", "both", "its", "their", "there",
        ]
        static let conjunctions: Set<String> = ["and", "or", "nor", ","]

        func isCodedFinding(_ index: Int) -> Bool { coded.contains(matches[index].entry.category) }

        /// The cue that sets the finding's status, if any: the nearer of the cue before and the cue after.
        func assertionCue(for m: Int) -> Cue? {
            let match = matches[m]
            var before: (cue: Cue, gap: Int)?
            var gap = 0
            var i = match.start - 1
            scanBack: while i >= 0 {
                switch owners[i] {
                case .cue(let c):
                    let cue = cues[c]
                    if cue.kind == .pseudo {
                        i = cue.start - 1
                        continue
                    }
                    if cue.kind.isBefore { before = (cue, gap) }
                    break scanBack
                case .concept(let k):
                    i = matches[k].start - 1
                case nil:
                    if !tokens[i].isComma, !Self.light.contains(tokens[i].key) { gap += 1 }
                    if gap > window { break scanBack }
                    i -= 1
                }
            }
            var after: (cue: Cue, gap: Int)?
            gap = 0
            var listOnly = true
            i = match.end
            scanForward: while i < tokens.count {
                switch owners[i] {
                case .cue(let c):
                    let cue = cues[c]
                    if cue.kind.isAfter { after = (cue, gap) }
                    break scanForward
                case .concept(let k):
                    if isCodedFinding(k) {
                        if !listOnly { break scanForward }
                        listOnly = true
                    }
                    i = matches[k].end
                case nil:
                    let key = tokens[i].key
                    if !Self.conjunctions.contains(key) { listOnly = false }
                    if !tokens[i].isComma, !Self.light.contains(key) { gap += 1 }
                    if gap > window { break scanForward }
                    i += 1
                }
            }
            switch (before, after) {
            case (let b?, let a?): return a.gap < b.gap ? a.cue : b.cue
            case (let b?, nil): return b.cue
            case (nil, let a?): return a.cue
            case (nil, nil): return nil
            }
        }

        static func side(_ key: String) -> CodedFinding.Laterality? {
            switch key {
            case "left": .left
            case "right": .right
            case "bilateral", "bilaterally", "both": .bilateral
            default: nil
            }
        }

        private func sides(in match: Match) -> [CodedFinding.Laterality] {
            (match.start..<match.end).compactMap { Self.side(tokens[$0].key) }
        }

        /// Laterality, descriptor modifiers and anatomic site written with the finding.
        func attributes(of m: Int) -> (CodedFinding.Laterality?, [String], Entry?) {
            let match = matches[m]
            var sides: [CodedFinding.Laterality] = []
            var modifiers: [String] = []
            var site: Entry?
            var steps = 0
            var i = match.start - 1
            scanBack: while i >= 0, steps < 4 {
                if tokens[i].isComma { break }
                switch owners[i] {
                case .cue: break scanBack
                case .concept(let k):
                    let other = matches[k]
                    if isCodedFinding(k) { break scanBack }
                    let inner = self.sides(in: other)
                    sides += inner
                    if other.entry.category == .descriptor, inner.isEmpty { modifiers.insert(other.entry.preferredTerm, at: 0) }
                    if other.entry.category == .anatomy, site == nil { site = other.entry }
                    i = other.start - 1
                case nil:
                    let key = tokens[i].key
                    if let side = Self.side(key) { sides.append(side) }
                    if key == "and" || key == "or" {
                        // "right and left pleural effusions"
                        if !sides.isEmpty, i > 0, let side = Self.side(tokens[i - 1].key) { sides.append(side) }
                        break scanBack
                    }
                    i -= 1
                }
                steps += 1
            }
            if sides.isEmpty || site == nil {
                var afterSides: [CodedFinding.Laterality] = []
                steps = 0
                i = match.end
                scanForward: while i < tokens.count, steps < 6 {
                    if tokens[i].isComma { break }
                    switch owners[i] {
                    case .cue: break scanForward
                    case .concept(let k):
                        let other = matches[k]
                        if isCodedFinding(k) { break scanForward }
                        afterSides += self.sides(in: other)
                        if other.entry.category == .anatomy, site == nil { site = other.entry }
                        i = other.end
                    case nil:
                        let key = tokens[i].key
                        if let side = Self.side(key) { afterSides.append(side) }
                        if key == "and" || key == "but" { break scanForward }
                        i += 1
                    }
                    steps += 1
                }
                if sides.isEmpty { sides = afterSides }
            }
            let laterality: CodedFinding.Laterality? =
                if sides.contains(.bilateral) || (sides.contains(.left) && sides.contains(.right)) {
                    .bilateral
                } else {
                    sides.first
                }
            return (laterality, modifiers, site)
        }
    }
}
