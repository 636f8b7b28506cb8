import Foundation
import Testing
import TestSupport

/// `radscribe serve --mllp-port`: orders from a real python-hl7 MLLP client become worklist entries.
@Suite("Inbound orders over MLLP", .integration, .tags(.validators))
struct OrderListenerTests {
    static let fixtures = ProjectPaths.root.appendingPathComponent("Tests/HL7Tests/Fixtures/orders")

    /// Starts `radscribe serve` and waits for the MLLP port it prints.
    private func startServer(_ cli: CLIHarness, allow: String? = nil) async throws -> (Process, Int) {
        let output = cli.directory.appendingPathComponent("serve.out")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = ProjectPaths.radscribeBinary
        process.arguments = ["serve", "--port", "0", "--mllp-port", "0", "--mllp-host", "127.0.0.1",
                             "--db", cli.database.path] + (allow.map { ["--mllp-allow", $0] } ?? [])
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<200 {
            try await Task.sleep(for: .milliseconds(50))
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"mllp://127\.0\.0\.1:(\d+)"#, options: .regularExpression),
                let port = Int(text[range].split(separator: ":").last ?? "")
            {
                return (process, port)
            }
        }
        process.terminate()
        throw ProcessFailure(description: "serve never reported its MLLP port")
    }

    private func send(_ port: Int, _ files: [URL]) throws -> ProcessResult {
        try ProcessRunner.run(
            ProjectPaths.python,
            [ProjectPaths.root.appendingPathComponent("scripts/mllp_send.py").path, "127.0.0.1", "\(port)"] + files.map(\.path)
        )
    }

    @Test("a valid order is acknowledged AA and appears on the worklist; a duplicate is acknowledged and ignored")
    func validAndDuplicate() async throws {
        let cli = try CLIHarness("mllp-in")
        let (server, port) = try await startServer(cli)
        defer { server.terminate() }
        let order = Self.fixtures.appendingPathComponent("valid/01-orm-nw-ihe.hl7")
        let first = try send(port, [order, order])
        #expect(first.exitCode == 0, "\(first.stderr)")
        let acks = first.stdout.components(separatedBy: "--\n").filter { !$0.isEmpty }
        #expect(acks.count == 2)
        #expect(acks.first?.contains("MSA|AA|") == true)
        #expect(acks.last?.contains("duplicate") == true)
        let worklist = try cli.run(["worklist"])
        #expect(worklist.stdout.contains("ACC-1001"), "\(worklist.stdout)")
        #expect(worklist.stdout.components(separatedBy: "ACC-1001").count == 2, "one order, not two")
        server.terminate()
        server.waitUntilExit()
        #expect(server.terminationStatus == 0, "clean shutdown on SIGTERM")
    }

    @Test("a malformed message gets AE or AR with a reason and changes nothing; the listener keeps serving")
    func malformed() async throws {
        let cli = try CLIHarness("mllp-bad")
        let (server, port) = try await startServer(cli)
        defer { server.terminate() }
        let invalid = try FileManager.default.contentsOfDirectory(
            at: Self.fixtures.appendingPathComponent("invalid"), includingPropertiesForKeys: nil
        ).filter { $0.pathExtension == "hl7" }.sorted { $0.path < $1.path }
        try #require(!invalid.isEmpty)
        let before = try cli.dump()
        for file in invalid.prefix(5) {
            let result = try send(port, [file])
            #expect(result.stdout.contains("MSA|AE|") || result.stdout.contains("MSA|AR|"), "\(file.lastPathComponent): \(result.stdout)")
        }
        #expect(try cli.dump() == before)
        let valid = try send(port, [Self.fixtures.appendingPathComponent("valid/01-orm-nw-ihe.hl7")])
        #expect(valid.stdout.contains("MSA|AA|"), "still serving after bad input")
    }

    @Test("a peer outside the allow-list is disconnected unanswered")
    func allowList() async throws {
        let cli = try CLIHarness("mllp-allow")
        let (server, port) = try await startServer(cli, allow: "10.9.8.0/24")
        defer { server.terminate() }
        let result = try send(port, [Self.fixtures.appendingPathComponent("valid/01-orm-nw-ihe.hl7")])
        #expect(result.exitCode == 3, "\(result.stdout) \(result.stderr)")
        #expect(try cli.run(["worklist"]).stdout.contains("ACC-1001") == false)
    }
}
