import Foundation
import Testing
import TestSupport

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("radscribe serve")
struct ServeTests {
    @Test("serves GET /health on the configured port and stops cleanly on SIGTERM")
    func healthAndShutdown() async throws {
        let directory = try ProjectPaths.temporaryDirectory("serve")
        let output = directory.appendingPathComponent("stdout")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = ProjectPaths.radscribeBinary
        process.arguments = ["serve", "--port", "0", "--db", directory.appendingPathComponent("db.sqlite").path]
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        try process.run()

        var port: Int?
        for _ in 0..<200 where port == nil {
            try await Task.sleep(for: .milliseconds(50))
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"http://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                port = Int(text[range].split(separator: ":").last ?? "")
            }
        }
        let boundPort = try #require(port, "serve never reported its port")

        let (body, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(boundPort)/health")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let health = try JSONSerialization.jsonObject(with: body) as? [String: String]
        #expect(health?["status"] == "ok")
        #expect(health?["database"] == "ok")

        process.terminate()  // SIGTERM
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }
}
