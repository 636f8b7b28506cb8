import Foundation
import HL7
import Testing

@Suite("Message control ID")
struct MessageControlIDTests {
    @Test("10,000 IDs are unique, 20 characters, alphanumeric")
    func unique() {
        let now = Date()
        var seen = Set<String>()
        for _ in 0..<10_000 {
            let id = MessageControlID.generate(at: now)
            #expect(id.count == MessageControlID.length)
            seen.insert(id)
        }
        #expect(seen.count == 10_000)
        #expect(seen.allSatisfy { $0.allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber) } })
    }

    @Test("IDs sort by creation time")
    func sortsByTime() {
        let earlier = MessageControlID.generate(at: Date(timeIntervalSince1970: 1_735_812_000))
        let later = MessageControlID.generate(at: Date(timeIntervalSince1970: 1_735_812_000.001))
        #expect(earlier < later)
        #expect(earlier.count <= 20 && later.count <= 20)
    }

    @Test("IDs from parallel tasks do not collide")
    func concurrent() async {
        let batches = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<4 {
                group.addTask { (0..<2_500).map { _ in MessageControlID.generate() } }
            }
            return await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(Set(batches).count == 10_000)
    }
}
