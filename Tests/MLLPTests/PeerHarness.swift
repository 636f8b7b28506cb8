import Foundation
import MLLP
import NIOCore
import NIOPosix
import RadScribeCore
import ReportStore
import TestSupport

/// `scripts/mllp_peer.py` (python-hl7) run as a child process: the RIS stand-in with injected faults.
final class PythonPeer {
    let process: Process
    let port: Int
    let log: URL

    private init(process: Process, port: Int, log: URL) {
        self.process = process
        self.port = port
        self.log = log
    }

    /// Starts the peer and waits until it listens (or, with `listenAfter`, until it is running).
    static func start(
        in directory: URL, port: Int = 0, mode: String = "aa", faultAt: [Int] = [], delay: Double? = nil,
        listenAfter: Double? = nil, log: URL? = nil, dump: URL? = nil, tls: (certificate: URL, key: URL)? = nil
    ) throws -> PythonPeer {
        let log = log ?? directory.appendingPathComponent("peer.log")
        let portFile = directory.appendingPathComponent("peer-\(UUID().uuidString.prefix(6)).port")
        var arguments = [
            ProjectPaths.root.appendingPathComponent("scripts/mllp_peer.py").path,
            "--port", "\(port)", "--port-file", portFile.path, "--log", log.path, "--mode", mode,
        ]
        if !faultAt.isEmpty { arguments += ["--fault-at", faultAt.map(String.init).joined(separator: ",")] }
        if let delay { arguments += ["--delay", "\(delay)"] }
        if let listenAfter { arguments += ["--listen-after", "\(listenAfter)"] }
        if let dump { arguments += ["--dump", dump.path] }
        if let tls { arguments += ["--tls-cert", tls.certificate.path, "--tls-key", tls.key.path] }
        let process = Process()
        process.executableURL = ProjectPaths.python
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.standardError
        try process.run()
        if listenAfter != nil {
            return PythonPeer(process: process, port: port, log: log)
        }
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let bound = Int(text) {
                return PythonPeer(process: process, port: bound, log: log)
            }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        process.terminate()
        throw PeerError(description: "mllp_peer.py did not start (is the venv set up? scripts/setup-python.sh)")
    }

    /// Kills the peer (SIGKILL: a receiver crash) and waits for it.
    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { kill() }

    /// Every reception so far.
    func receptions() -> [PeerReception] {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 3 else { return nil }
            return PeerReception(controlID: String(parts[0]), status: String(parts[1]), action: String(parts[2]))
        }
    }

    /// MSH-10s accepted for the first time, in arrival order: what a de-duplicating receiver processed.
    func accepted() -> [String] { receptions().filter { $0.status == "new" }.map(\.controlID) }
}

struct PeerReception: Hashable {
    var controlID: String
    var status: String
    var action: String
}

struct PeerError: Error, CustomStringConvertible {
    var description: String
}

/// A scratch store with one report whose result can be queued many times.
struct OutboxFixture {
    let directory: URL
    let path: String
    let database: ReportDatabase
    static let accession = "ACC-MLLP"

    init(_ label: String) throws {
        directory = try ProjectPaths.temporaryDirectory(label)
        path = directory.appendingPathComponent("radscribe.sqlite").path
        var database = try ReportDatabase(path: path)
        database.resultEncoder = ORUResultEncoder()
        try database.addOrder(
            ImagingOrder(
                accession: Self.accession, placerOrderNumber: "PL1", fillerOrderNumber: Self.accession,
                patient: Patient(mrn: "MRN1", familyName: "DOE", givenName: "JANE", birthDate: "19700101", sex: .female),
                procedureCode: "CXR2V", procedureName: "XR Chest 2 Views", procedureCodingSystem: "L", modality: "CR",
                orderingPhysician: "REF", reasonForExam: "cough"
            ),
            source: "test"
        )
        self.database = database
    }

    /// Queues `count` messages; returns every queued MSH-10 in queue order.
    @discardableResult
    func enqueue(_ count: Int) throws -> [String] {
        try database.enqueueCurrentResult(accession: Self.accession, copies: count)
        return try controlIDs()
    }

    func controlIDs() throws -> [String] {
        try database.resultMessages().compactMap(\.controlID)
    }

    func states() throws -> [String: Int] {
        Dictionary(try database.resultMessages().map { ($0.state.rawValue, 1) }, uniquingKeysWith: +)
    }
}

/// A TCP port nothing listens on (bound, then released).
func freePort() async throws -> Int {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .bind(host: "127.0.0.1", port: 0).get()
    let port = channel.localAddress?.port ?? 0
    try await channel.close()
    return port
}

/// Polls `condition` until it holds or `seconds` pass.
func waitUntil(_ seconds: Double = 20, _ condition: () -> Bool) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
        if Date() > deadline { throw PeerError(description: "condition not met within \(seconds) s") }
        try await Task.sleep(for: .milliseconds(20))
    }
}
