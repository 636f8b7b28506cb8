import Foundation
import Testing
import TestSupport

/// The reading-room web workstation in a real browser: `Tests/Browser/workstation_e2e.py` drives headless chromium
/// (Selenium, chromedriver) against `radscribe serve` — login, worklist, live dictation from a fake microphone fed
/// with a synthesized WAV, correction with word-synchronized audio, signing with the checks first, history, the HL7
/// ORU^R01 view, the admin page — and checks every API route's 401/403 answers with plain HTTP.
/// Missing tools are a failure, never a skip: `scripts/install-deps.sh --python` installs them.
@Suite("Web workstation in chromium", .serialized, .integration, .tags(.browser, .validators))
struct WorkstationBrowserTests {
    @Test("log in, dictate, correct, sign and read the HL7 message in the browser; every route refuses the wrong role")
    func workstationEndToEnd() throws {
        let python = ProjectPaths.python
        try #require(
            FileManager.default.isExecutableFile(atPath: python.path),
            "Python venv not found at \(python.path): run scripts/setup-python.sh"
        )
        let selenium = try ProcessRunner.run(python, ["-c", "import selenium"])
        try #require(selenium.exitCode == 0, "selenium is missing from the venv: run scripts/setup-python.sh")
        for tool in ["chromium", "chromedriver", "flite", "sox"] {
            let found = try ProcessRunner.run(tool: "sh", ["-c", "command -v \(tool)"])
            try #require(found.exitCode == 0, "\(tool) is missing: run scripts/install-deps.sh")
        }
        let binary = ProjectPaths.radscribeBinary
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "radscribe not built at \(binary.path)")

        let workdir = try ProjectPaths.temporaryDirectory("workstation-e2e")
        let screenshots = ProjectPaths.root.appendingPathComponent(".build/screenshots/workstation", isDirectory: true)
        try? FileManager.default.removeItem(at: screenshots)
        try FileManager.default.createDirectory(at: screenshots, withIntermediateDirectories: true)
        print("workstation e2e: work directory \(workdir.path); screenshots in \(screenshots.path)")

        let result = try ProcessRunner.run(
            python,
            [
                ProjectPaths.root.appendingPathComponent("Tests/Browser/workstation_e2e.py").path,
                "--binary", binary.path, "--workdir", workdir.path, "--screenshots", screenshots.path,
            ]
        )
        print(result.stdout)
        #expect(result.exitCode == 0, "workstation_e2e.py exit \(result.exitCode):\n\(result.stdout)\n\(result.stderr)")
        let pngs = (try? FileManager.default.contentsOfDirectory(atPath: screenshots.path))?.filter { $0.hasSuffix(".png") }
        #expect((pngs?.count ?? 0) >= 10, "screenshots of every page: \(pngs ?? [])")
        #expect(result.stdout.contains("latency_ms:"), "the dictation latencies are printed")
        if result.exitCode == 0 { try? FileManager.default.removeItem(at: workdir) }
    }
}
