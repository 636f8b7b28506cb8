import Foundation
import Testing
import TestSupport

/// Runs `scripts/hl7_validate.py` (hl7apy, strict, warnings are failures) from the project's venv.
enum HL7Validator {
    struct Verdict {
        var passed: Bool
        var output: String
    }

    static func validate(_ er7: String, name: String) throws -> Verdict {
        let python = ProjectPaths.python
        try #require(FileManager.default.isExecutableFile(atPath: python.path), "no venv at \(python.path)")
        let dir = try ProjectPaths.temporaryDirectory("hl7-inbound")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("\(name).hl7")
        try Data(er7.utf8).write(to: file)
        let script = ProjectPaths.root.appendingPathComponent("scripts/hl7_validate.py")
        let result = try ProcessRunner.run(python, [script.path, file.path])
        return Verdict(passed: result.exitCode == 0, output: result.stdout + result.stderr)
    }
}
