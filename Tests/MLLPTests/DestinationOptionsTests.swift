import Foundation
import HL7
import Logging
import MLLP
import Ontology
import RadScribeCore
import ReportStore
import TestSupport
import Testing

/// A store holding one report that a resident dictated, a transcriptionist corrected and an attending signed:
/// multi-line text, so TX and FT differ.
struct CorrectedReportFixture {
    let directory: URL
    let path: String
    let database: ReportDatabase
    static let accession = "ACC-FT"

    /// - Parameter codesFindings: code each version with the bundled ontology (coded OBX rows in the messages).
    init(_ label: String, transcriptionist: Bool = true, codesFindings: Bool = false) throws {
        directory = try ProjectPaths.temporaryDirectory(label)
        path = directory.appendingPathComponent("radscribe.sqlite").path
        var database = try ReportDatabase(path: path)
        database.resultEncoder = ORUResultEncoder()
        if codesFindings {
            let ontology = try OntologyFile.load(contentsOf: OntologyFile.bundledURL(in: try ResourceLocator.discover()))
            let coder = FindingCoder(ontology: ontology)
            database.findingCoder = { coder.reportFindings(for: $0, in: ontology) }
        }
        try database.storeTemplate(slug: "chest", identifier: "urn:t:chest", title: "Chest", html: "<html></html>")
        try database.addUser(name: "drres", role: .resident, password: nil)
        try database.addUser(name: "tina", role: .transcriptionist, password: nil)
        try database.addUser(name: "drsmith", role: .radiologist, password: nil)
        let order = ImagingOrder(
            accession: Self.accession, placerOrderNumber: "PL9", fillerOrderNumber: Self.accession,
            patient: Patient(mrn: "MRN9", familyName: "DOE", givenName: "JOHN", birthDate: "19500101", sex: .male),
            procedureCode: "CXR2V", procedureName: "XR Chest 2 Views", procedureCodingSystem: "L", modality: "CR",
            orderingPhysician: "REF", reasonForExam: "dyspnea"
        )
        func sections(_ findings: String) -> [ReportSection] {
            [
                ReportSection(key: "findings", title: "Findings", loincCode: "18782-3", loincName: nil, text: findings),
                ReportSection(
                    key: "impression", title: "Impression", loincCode: "19005-8", loincName: nil,
                    text: "1. Small left effusion.\n2. No pneumothorax."
                ),
            ]
        }
        _ = try database.saveDictation(
            DictatedDraft(
                accession: Self.accession, templateSlug: "chest", sections: sections("Small left pleural effusin."),
                spokenWords: [:], audio: nil, author: "drres", source: "recognizer", orderIfNew: order
            )
        )
        if transcriptionist {
            _ = try database.requestCorrection(accession: Self.accession, by: "drres")
            _ = try database.edit(
                accession: Self.accession,
                sections: sections("Lungs: small left pleural effusion.\n  Heart: normal size.\n\nBones: intact | a&b."),
                by: "tina"
            )
        }
        _ = try database.sign(accession: Self.accession, by: "drsmith")
        self.database = database
    }

    func payloads() throws -> [String] { try database.outbox(state: nil).compactMap(\.payload) }

    /// Queues `count` more messages of the current result; returns every queued MSH-10 in queue order.
    func enqueue(_ count: Int) throws -> [String] {
        try database.enqueueCurrentResult(accession: Self.accession, copies: count)
        return try database.resultMessages().compactMap(\.controlID)
    }
}

/// Fields of the first segment named `name` (field n at index n; MSH shifted so MSH-n is at index n too).
func fields(_ er7: String, _ name: String) -> [String] {
    guard let segment = er7.split(separator: "\r").first(where: { $0.hasPrefix(name + "|") }) else { return [] }
    let parts = segment.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
    return name == "MSH" ? ["MSH", "|"] + parts.dropFirst() : parts
}

/// `scripts/hl7_validate.py` (hl7apy strict, warnings count as failures); a missing venv fails the test.
func validateStrict(_ er7: String, in directory: URL, name: String) throws -> (passed: Bool, output: String) {
    let python = ProjectPaths.python
    try #require(FileManager.default.isExecutableFile(atPath: python.path), "no venv: run scripts/setup-python.sh")
    let file = directory.appendingPathComponent("\(name).hl7")
    try Data(er7.utf8).write(to: file)
    let result = try ProcessRunner.run(
        python, [ProjectPaths.root.appendingPathComponent("scripts/hl7_validate.py").path, file.path]
    )
    return (result.exitCode == 0, result.stdout + result.stderr)
}

/// The bytes the peer received, in reception order (`--dump`).
func dumped(_ directory: URL) throws -> [Data] {
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".hl7") }.sorted()
    return try files.map { try Data(contentsOf: directory.appendingPathComponent($0)) }
}

let quietLogger: Logger = {
    var logger = Logger(label: "test")
    logger.logLevel = .warning
    return logger
}()

@Suite("OBR-35 and TX/FT per destination, against the python-hl7 peer", .serialized, .integration, .tags(.validators))
struct DestinationOptionsTests {
    @Test("OBR-35 names the transcriptionist who corrected the draft, in the outbox payload; hl7apy strict passes")
    func transcriptionistInOutbox() throws {
        let fixture = try CorrectedReportFixture("obr35")
        let payload = try #require(try fixture.payloads().last)
        #expect(fields(payload, "OBR")[35] == "tina&&&&&&")
        #expect(fields(payload, "OBR")[32].hasPrefix("drsmith&"))
        #expect(fields(payload, "OBR")[25] == "F")
        #expect(try fixture.database.existingReport(accession: CorrectedReportFixture.accession).snapshot
            .transcriptionist == "tina")
        let verdict = try validateStrict(payload, in: fixture.directory, name: "obr35")
        #expect(verdict.passed, "\(verdict.output)")

        // An addendum by the attending keeps the transcriptionist who corrected the text.
        _ = try fixture.database.addAddendum(accession: CorrectedReportFixture.accession, text: "Seen.", by: "drsmith")
        let addended = try #require(try fixture.payloads().last)
        #expect(fields(addended, "OBR")[25] == "C")
        #expect(fields(addended, "OBR")[35] == "tina&&&&&&")

        // Nobody corrected it: OBR-35 stays empty (and the segment ends before it).
        let plain = try CorrectedReportFixture("obr35-none", transcriptionist: false)
        let uncorrected = try #require(try plain.payloads().last)
        #expect(fields(uncorrected, "OBR").count <= 33)
        #expect(try plain.database.existingReport(accession: CorrectedReportFixture.accession).snapshot
            .transcriptionist == nil)
    }

    @Test("an FT destination gets the stored TX message rendered as FT, byte-identical when resent")
    func formattedTextDestination() async throws {
        let fixture = try CorrectedReportFixture("mllp-ft")
        let expected = try fixture.enqueue(5)
        let stored = try fixture.payloads()
        #expect(stored.allSatisfy { $0.contains("|TX|") && !$0.contains("|FT|") })
        let dump = fixture.directory.appendingPathComponent("received")
        let peer = try PythonPeer.start(in: fixture.directory, mode: "drop", faultAt: [2], dump: dump)
        let destination = try #require(MLLPDestination(parsing: "127.0.0.1:\(peer.port),ft"))
        let service = try MLLPDeliveryService(
            database: fixture.database, destination: destination, policy: DeliveryTests.fast, logger: quietLogger
        )
        let report = try await service.deliver().get()
        #expect(report.sent == 6)
        #expect(peer.accepted() == expected)
        let received = try dumped(dump).map { String(decoding: $0, as: UTF8.self) }
        // Every failed try is a retry; one whose connection failed (a loaded machine) delivered no bytes.
        #expect(received.count >= 7 && received.count <= 6 + report.retries)
        // Reception 2 was dropped before its ACK: reception 3 is its resend, the same bytes.
        #expect(received[1] == received[2])
        // What went out is exactly the FT rendering of the stored message with that MSH-10, every time.
        let storedByControlID = Dictionary(uniqueKeysWithValues: stored.map { (fields($0, "MSH")[10], $0) })
        for text in received {
            let payload = try #require(storedByControlID[fields(text, "MSH")[10]])
            #expect(text == ORUTextFormat.render(payload, as: .formattedText))
        }
        #expect(Set(received.map { fields($0, "MSH")[10] }) == Set(storedByControlID.keys))
        let message = received[0]
        #expect(!message.contains("|TX|"))
        let findings = try #require(message.split(separator: "\r").first { $0.contains("|FT|18782-3") })
        #expect(findings.contains("Lungs: small left pleural effusion.\\.br\\  Heart: normal size.\\.br\\\\.br\\Bones"))
        #expect(findings.contains("intact \\F\\ a\\T\\b."))
        #expect(fields(message, "OBR")[35] == "tina&&&&&&")
        let verdict = try validateStrict(message, in: fixture.directory, name: "ft")
        #expect(verdict.passed, "\(verdict.output)")
    }

    @Test("a message handed out in TX keeps TX when its destination is switched to FT before the ACK")
    func formatPinnedToMessage() async throws {
        let fixture = try CorrectedReportFixture("mllp-pin")
        let expected = try fixture.enqueue(2)
        let dump = fixture.directory.appendingPathComponent("received")
        let peer = try PythonPeer.start(in: fixture.directory, mode: "drop", faultAt: [1], dump: dump)
        var once = DeliveryTests.fast
        once.maximumFailures = 1
        let tx = try MLLPDeliveryService(
            database: fixture.database, destination: try #require(MLLPDestination(parsing: "127.0.0.1:\(peer.port)")),
            policy: once, logger: quietLogger
        )
        guard case .failure(let error) = try await tx.deliver() else {
            Issue.record("the dropped message must leave the drain unfinished")
            return
        }
        #expect(error.code == .unreachable)

        let ft = try MLLPDeliveryService(
            database: fixture.database,
            destination: try #require(MLLPDestination(parsing: "127.0.0.1:\(peer.port),ft")),
            policy: DeliveryTests.fast, logger: quietLogger
        )
        let report = try await ft.deliver().get()
        #expect(report.sent == 3)
        #expect(peer.accepted() == expected)
        let received = try dumped(dump)
        #expect(received.count == 4)
        #expect(received[0] == received[1], "the unacknowledged message is resent byte for byte, in TX")
        #expect(String(decoding: received[1], as: UTF8.self).contains("|TX|"))
        #expect(String(decoding: received[2], as: UTF8.self).contains("|FT|"))
        #expect(String(decoding: received[3], as: UTF8.self).contains("|FT|"))
    }

    @Test("a CWE destination gets the coded rows as CWE (FT text too), byte-identical when resent")
    func codedWithElementDestination() async throws {
        let fixture = try CorrectedReportFixture("mllp-cwe", codesFindings: true)
        let expected = try fixture.enqueue(3)
        let stored = try fixture.payloads()
        #expect(stored.allSatisfy { $0.contains("|CE|") && !$0.contains("|CWE|") })
        let dump = fixture.directory.appendingPathComponent("received")
        let peer = try PythonPeer.start(in: fixture.directory, mode: "drop", faultAt: [1], dump: dump)
        let destination = try #require(MLLPDestination(parsing: "127.0.0.1:\(peer.port),ft,cwe"))
        #expect(destination.wireFormat == "FT+CWE")
        let service = try MLLPDeliveryService(
            database: fixture.database, destination: destination, policy: DeliveryTests.fast, logger: quietLogger
        )
        let report = try await service.deliver().get()
        #expect(peer.accepted() == expected)
        let received = try dumped(dump).map { String(decoding: $0, as: UTF8.self) }
        #expect(received.count == report.sent + report.retries)
        #expect(received[0] == received[1], "the dropped message is resent byte for byte")
        for (text, payload) in zip(received.dropFirst(), stored) {
            #expect(text == ORUTextFormat.codedType(ORUTextFormat.render(payload, as: .formattedText), as: .cwe))
        }
        let coded = received[0].split(separator: "\r").filter { $0.hasPrefix("OBX|") && $0.contains("121071^Finding") }
        #expect(!coded.isEmpty && coded.allSatisfy { $0.split(separator: "|", omittingEmptySubsequences: false)[2] == "CWE" })
        #expect(!received[0].contains("|CE|"))
    }

    @Test("destination options parse: HOST:PORT[,tx|,ft][,ce|,cwe][,tls]")
    func parsing() throws {
        let plain = try #require(MLLPDestination(parsing: "ris.example:2575"))
        #expect(plain.textFormat == .text && !plain.usesTLS && plain.endpoint.port == 2575)
        let both = try #require(MLLPDestination(parsing: "ris.example:2575,FT,tls"))
        #expect(both.textFormat == .formattedText && both.usesTLS && both.description == "ris.example:2575,ft,tls")
        #expect(MLLPDestination(parsing: "[::1]:2575,tls,tx")?.endpoint.host == "::1")
        let cwe = try #require(MLLPDestination(parsing: "ris.example:2575,CWE,tls"))
        #expect(cwe.codedType == .cwe && cwe.description == "ris.example:2575,cwe,tls" && cwe.wireFormat == "TX+CWE")
        for bad in ["ris:2575,xml", "ris:2575,ft,tx", "ris:2575,tls,tls", "ris", "ris:2575,", "ris:2575,ce,cwe"] {
            #expect(MLLPDestination(parsing: bad) == nil, "\(bad)")
        }
    }
}
