import Foundation
import HL7
import Testing
import TestSupport

/// SplitMix64: a small seeded generator, so every run mutates the same way.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random mutations of valid order messages: byte flips towards delimiters and odd characters, deletions,
/// duplicated, swapped or dropped segments, truncation, huge fields.
enum OrderMutator {
    static let alphabet: [Character] = [
        "|", "^", "~", "\\", "&", "\r", "\n", "0", "9", "A", "Z", " ", "\u{0}", "é", "✓", "\u{1F600}", "-", "+", ".",
    ]

    static func mutate(_ text: String, using rng: inout SeededGenerator) -> String {
        var characters = Array(text)
        let rounds = Int.random(in: 1...4, using: &rng)
        for _ in 0..<rounds where !characters.isEmpty {
            let index = Int.random(in: 0..<characters.count, using: &rng)
            switch Int.random(in: 0..<9, using: &rng) {
            case 0, 1: characters[index] = alphabet.randomElement(using: &rng)!
            case 2: characters.removeSubrange(index..<min(characters.count, index + Int.random(in: 1...20, using: &rng)))
            case 3: characters.insert(alphabet.randomElement(using: &rng)!, at: index)
            case 4: characters = Array(characters.prefix(index))
            case 5: characters.insert(contentsOf: String(repeating: "X", count: Int.random(in: 100...20_000, using: &rng)), at: index)
            default:
                var segments = String(characters).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                guard segments.count > 1 else { continue }
                let a = Int.random(in: 0..<segments.count, using: &rng)
                let b = Int.random(in: 0..<segments.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: segments.swapAt(a, b)
                case 1: segments.insert(segments[a], at: b)
                default: segments.remove(at: a)
                }
                characters = Array(segments.joined(separator: Bool.random(using: &rng) ? "\n" : "\r"))
            }
        }
        return String(characters)
    }
}

@Suite("ORM/OMI parser fuzz")
struct OrderFuzzTests {
    @Test("20,000 mutated messages: no crash, no hang, every refusal answerable")
    func fuzz() throws {
        let corpus = try OrderCorpus.valid().map(\.text)
        var rng = SeededGenerator(state: 0x5EED_0006)
        let iterations = 20_000
        var accepted = 0
        var refused: [String: Int] = [:]
        var slowest: Double = 0
        var parsing: Double = 0
        let start = Date()
        for _ in 0..<iterations {
            let text = OrderMutator.mutate(corpus.randomElement(using: &rng)!, using: &rng)
            let began = Date()
            let original = try? HL7Message(parsing: text)
            let result = Result(catching: { try OrderMessage(parsing: text) })
            let parsed = Date().timeIntervalSince(began)
            parsing += parsed
            slowest = max(slowest, parsed)
            do {
                _ = try result.get()
                accepted += 1
            } catch let error as OrderMessageError {
                refused[error.acknowledgment.rawValue + " " + error.detail.condition.rawValue, default: 0] += 1
                let ack = HL7Acknowledgment(code: error.acknowledgment, controlID: original?.controlID ?? "", text: error.detail.description, error: error.detail)
                let er7 = ack.message(respondingTo: original, controlID: "F", at: began).er7
                #expect(try HL7Acknowledgment(parsing: er7).code == error.acknowledgment)
            }
        }
        let seconds = Date().timeIntervalSince(start)
        print(
            "fuzz: \(iterations) iterations in \(String(format: "%.2f", seconds)) s = \(Int(Double(iterations) / seconds)) per second"
                + " (mutation, parse, ACK); parsing alone \(String(format: "%.2f", parsing)) s ="
                + " \(Int(Double(iterations) / parsing)) messages per second;"
                + " slowest \(String(format: "%.1f", slowest * 1000)) ms; accepted \(accepted);"
                + " refused \(refused.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))"
        )
        #expect(slowest < 2, "one message took \(slowest) s")
        #expect(accepted > 0 && !refused.isEmpty)
    }
}
