import Foundation

/// The whole ontology in memory: concepts by id, with the hierarchy checked.
public struct Ontology: Sendable {
    /// Concepts in id order.
    public let concepts: [OntologyConcept]
    private let index: [String: Int]
    private let childIDs: [String: [String]]

    /// Builds and checks an ontology.
    /// - Throws: ``OntologyError`` (`invalidOntology`) on a duplicate or malformed id, a parent that does not
    ///   exist, a cycle, or a RadLex id that is not `RID` + digits.
    public init(concepts: [OntologyConcept]) throws {
        let sorted = concepts.sorted { $0.id < $1.id }
        var index: [String: Int] = [:]
        for (position, concept) in sorted.enumerated() {
            guard OntologyConcept.isValidID(concept.id) else {
                throw OntologyError(.invalidOntology, "malformed concept id \(concept.id) (expected RS:nnnnnn)")
            }
            if index.updateValue(position, forKey: concept.id) != nil {
                throw OntologyError(.invalidOntology, "concept id \(concept.id) is used twice")
            }
            if let rid = concept.radLex?.rid, !Self.isRadLexID(rid) {
                throw OntologyError(.invalidOntology, "\(concept.id): malformed RadLex id \(rid)")
            }
        }
        var children: [String: [String]] = [:]
        for concept in sorted {
            for parent in concept.parentIDs {
                guard index[parent] != nil else {
                    throw OntologyError(.invalidOntology, "\(concept.id) names parent \(parent), which does not exist")
                }
                children[parent, default: []].append(concept.id)
            }
        }
        self.concepts = sorted
        self.index = index
        self.childIDs = children
        if let cycle = findCycle() {
            throw OntologyError(.invalidOntology, "cycle in the hierarchy: " + cycle.joined(separator: " -> "))
        }
    }

    public subscript(id: String) -> OntologyConcept? {
        index[id].map { concepts[$0] }
    }

    public var count: Int { concepts.count }

    /// Direct children of a concept, in id order.
    public func children(of id: String) -> [OntologyConcept] {
        (childIDs[id] ?? []).compactMap { self[$0] }
    }

    /// Every ancestor of a concept (parents, their parents, …), nearest first, each once.
    public func ancestors(of id: String) -> [OntologyConcept] {
        var seen: Set<String> = []
        var queue = self[id]?.parentIDs ?? []
        var result: [OntologyConcept] = []
        while !queue.isEmpty {
            let next = queue.removeFirst()
            guard seen.insert(next).inserted, let concept = self[next] else { continue }
            result.append(concept)
            queue.append(contentsOf: concept.parentIDs)
        }
        return result
    }

    /// Whether `id` is `ancestorID` or one of its descendants.
    public func isA(_ id: String, _ ancestorID: String) -> Bool {
        id == ancestorID || ancestors(of: id).contains { $0.id == ancestorID }
    }

    /// Concepts without a parent.
    public var roots: [OntologyConcept] { concepts.filter { $0.parentIDs.isEmpty } }

    static func isRadLexID(_ rid: String) -> Bool {
        rid.hasPrefix("RID") && rid.count > 3 && rid.dropFirst(3).allSatisfy(\.isASCII) && rid.dropFirst(3).allSatisfy(\.isNumber)
    }

    /// A cycle as a list of ids, if any (iterative depth-first search over parent links).
    private func findCycle() -> [String]? {
        var state: [String: UInt8] = [:]  // 1 = on the current path, 2 = done
        for start in concepts where state[start.id] == nil {
            var stack: [(id: String, next: Int)] = [(start.id, 0)]
            state[start.id] = 1
            while let top = stack.last {
                let parents = self[top.id]?.parentIDs ?? []
                if top.next < parents.count {
                    stack[stack.count - 1].next += 1
                    let parent = parents[top.next]
                    switch state[parent] {
                    case 1:
                        let path = stack.map(\.id)
                        return Array(path[(path.firstIndex(of: parent) ?? 0)...]) + [parent]
                    case 2: continue
                    default:
                        state[parent] = 1
                        stack.append((parent, 0))
                    }
                } else {
                    state[top.id] = 2
                    stack.removeLast()
                }
            }
        }
        return nil
    }
}
