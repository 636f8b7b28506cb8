import Foundation

/// The ORM/OMI corpus in `Tests/HL7Tests/Fixtures/orders` (excluded from the bundle; read from the source tree),
/// shared by the HL7 and HL7Inbound tests.
public enum OrderCorpus {
    public static var folder: URL { ProjectPaths.root.appendingPathComponent("Tests/HL7Tests/Fixtures/orders") }

    /// Valid messages, in the order they are applied (create, then change, then cancel).
    public static func valid() throws -> [(name: String, text: String)] {
        try files(in: "valid")
    }

    /// Invalid messages with the expected MSA-1, ERR-3 condition and ERR-2 location ("-" for none).
    public static func invalid() throws -> [(name: String, text: String, code: String, condition: String, location: String)] {
        let manifest = try String(contentsOf: folder.appendingPathComponent("invalid/expected.txt"), encoding: .utf8)
        return try manifest.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let parts = line.split(separator: " ").map(String.init)
            let text = try String(contentsOf: folder.appendingPathComponent("invalid/\(parts[0])"), encoding: .utf8)
            return (parts[0], text, parts[1], parts[2], parts[3])
        }
    }

    private static func files(in subfolder: String) throws -> [(name: String, text: String)] {
        let dir = folder.appendingPathComponent(subfolder)
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".hl7") }.sorted()
            .map { ($0, try String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8)) }
    }
}
