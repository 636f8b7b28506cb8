import Foundation

/// hl7apy in strict mode (`scripts/hl7_validate.py`, warnings count as failures) over any number of messages at
/// once: what a strict RIS would say of every result RadScribe queued.
public enum StrictHL7 {
    public struct Verdict: Sendable {
        public var passed: Bool
        public var output: String
    }

    /// Validates `messages` (ER7, segments ended by CR). A missing venv is an error, not a pass.
    public static func validate(_ messages: [String]) throws -> Verdict {
        guard FileManager.default.isExecutableFile(atPath: ProjectPaths.python.path) else {
            throw ProcessFailure(description: "no venv with hl7apy at \(ProjectPaths.python.path): run scripts/setup-python.sh")
        }
        let directory = try ProjectPaths.temporaryDirectory("strict-hl7")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("messages.hl7")
        try Data(messages.joined().utf8).write(to: file)
        let script = ProjectPaths.root.appendingPathComponent("scripts/hl7_validate.py")
        let result = try ProcessRunner.run(ProjectPaths.python, [script.path, file.path])
        return Verdict(passed: result.exitCode == 0, output: result.stdout + result.stderr)
    }
}
