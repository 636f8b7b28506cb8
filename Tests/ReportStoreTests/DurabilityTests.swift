import Foundation
import RadScribeCore
import ReportStore
import TestSupport
import Testing

@Suite("Durability: capture journal, full disk, read-only database")
struct DurabilityTests {
    static let templateHTML = """
        <html><head><title>Test template</title><meta name="dcterms.identifier" content="test-1"></head>
        <body><section data-section-name="Findings"><header>Findings</header><p>x</p></section></body></html>
        """

    static func order(_ accession: String) -> ImagingOrder {
        ImagingOrder(
            accession: accession, placerOrderNumber: accession, fillerOrderNumber: accession,
            patient: Patient(mrn: "MRN1", familyName: "DOE", givenName: "JANE", birthDate: "19700101", sex: .female),
            procedureCode: "CT-HEAD", procedureName: "CT head", procedureCodingSystem: "L", modality: "CT",
            orderingPhysician: "", reasonForExam: ""
        )
    }

    static func draft(_ accession: String, audioSamples: Int = 16_000) -> DictatedDraft {
        let pcm = (0..<audioSamples).map { Int16(truncatingIfNeeded: $0 &* 7919) }
        var wav = Data("RIFF".utf8)
        pcm.withUnsafeBytes { wav.append(contentsOf: $0) }
        return DictatedDraft(
            accession: accession, templateSlug: "test", sections: [
                ReportSection(key: "findings", title: "Findings", loincCode: nil, loincName: nil, text: "No fracture.")
            ],
            spokenWords: [:], audio: DictationAudio(sampleRate: 16_000, sampleCount: audioSamples, wav: wav),
            author: "drsmith", source: "recognizer", orderIfNew: order(accession)
        )
    }

    static func fileDatabase(_ label: String) throws -> (ReportDatabase, String) {
        let directory = try ProjectPaths.temporaryDirectory(label)
        let path = directory.appendingPathComponent("radscribe.sqlite").path
        let store = try ReportDatabase(path: path)
        try store.storeTemplate(slug: "test", identifier: "test-1", title: "Test template", html: templateHTML)
        return (store, path)
    }

    /// `sqlite3 PATH .dump` (after a checkpoint-free read): equal dumps mean nothing changed.
    static func dump(_ path: String) throws -> String {
        try ProcessRunner.run(tool: "sqlite3", [path, ".dump"]).stdout
    }

    static func integrity(_ path: String) throws -> String {
        try ProcessRunner.run(tool: "sqlite3", [path, "PRAGMA integrity_check"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("captured chunks are kept in order, survive reopening, and become the version's audio on save")
    func captureJournal() throws {
        let (store, path) = try Self.fileDatabase("capture-journal")
        let id = try store.beginCapture(
            accession: "CAP1", templateSlug: "test", author: "drsmith", device: "dictation", sampleRate: 16_000,
            orderIfNew: Self.order("CAP1")
        )
        let chunks: [[Int16]] = (0..<3).map { chunk in (0..<16_000).map { Int16(truncatingIfNeeded: $0 + chunk * 3) } }
        for (sequence, chunk) in chunks.enumerated() {
            try store.appendCapturedAudio(captureID: id, sequence: sequence, samples: chunk)
        }
        try store.appendCapturedAudio(captureID: id, sequence: 1, samples: chunks[1])  // a retried chunk: ignored

        // A new process (a new pool) sees what the first wrote.
        let reopened = try ReportDatabase(path: path)
        let unfinished = try reopened.unfinishedCaptures(accession: "CAP1")
        #expect(unfinished.count == 1)
        #expect(unfinished.first?.sampleCount == 48_000)
        #expect(unfinished.first?.templateSlug == "test")
        #expect(unfinished.first?.orderIfNew?.patient.mrn == "MRN1")
        #expect(try reopened.capturedSamples(captureID: id) == chunks.flatMap { $0 })
        #expect(try reopened.nextCaptureSequence(captureID: id) == 3)

        let receipt = try reopened.saveDictation(Self.draft("CAP1", audioSamples: 48_000), completingCapture: id)
        #expect(receipt.report.status == .draft)
        #expect(try reopened.unfinishedCaptures().isEmpty)
        #expect(try reopened.capturedSamples(captureID: id).isEmpty, "the chunks are gone once the version holds them")
        #expect(try reopened.latestAudio(accession: "CAP1")?.sampleCount == 48_000)
    }

    @Test("a discarded capture leaves no audio behind")
    func discard() throws {
        let store = try ReportDatabase.inMemory()
        let id = try store.beginCapture(
            accession: "CAP2", templateSlug: "test", author: "a", device: "d", sampleRate: 16_000, orderIfNew: nil
        )
        try store.appendCapturedAudio(captureID: id, sequence: 0, samples: [1, 2, 3])
        try store.discardCapture(id: id)
        #expect(try store.unfinishedCaptures().isEmpty)
        #expect(try store.capturedSamples(captureID: id).isEmpty)
    }

    @Test("a full disk is a storageFull error and nothing is half-written")
    func fullDisk() throws {
        let (store, path) = try Self.fileDatabase("full-disk")
        _ = try store.saveDictation(Self.draft("FULL1"))
        let pages = try Int(
            ProcessRunner.run(tool: "sqlite3", [path, "PRAGMA page_count"]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
        ) ?? 0
        #expect(pages > 0)
        let capped = try ReportDatabase(path: path, maximumPageCount: pages + 4)
        let before = try capped.rowCounts()
        let dumpBefore = try Self.dump(path)

        // 10 s of audio (320 kB) cannot fit in 4 more pages.
        #expect {
            _ = try capped.saveDictation(Self.draft("FULL2", audioSamples: 160_000))
        } throws: { error in
            (error as? ReportStoreError)?.code == .storageFull
                && "\(error)".contains("full") && "\(error)".contains("nothing was saved")
        }
        // A journal chunk that does not fit fails the same way; the chunks before it stay.
        let id = try capped.beginCapture(
            accession: "FULL3", templateSlug: "test", author: "a", device: "d", sampleRate: 16_000, orderIfNew: nil
        )
        #expect(throws: ReportStoreError.self) {
            try capped.appendCapturedAudio(captureID: id, sequence: 0, samples: [Int16](repeating: 7, count: 160_000))
        }
        #expect(try capped.capturedSamples(captureID: id).isEmpty)
        #expect(try capped.unfinishedCaptures(accession: "FULL3").first?.sampleCount == 0)

        var after = try capped.rowCounts()
        after["dictation_captures"] = nil
        #expect(after == before, "no row of the failed save was kept")
        #expect(try capped.report(accession: "FULL2") == nil)
        #expect(try Self.integrity(path) == "ok")
        #expect(try Self.dump(path).contains("FULL1"))
        #expect(!(try Self.dump(path).contains("FULL2")))
        _ = dumpBefore
    }

    @Test("a read-only database is a readOnly error and nothing changes")
    func readOnly() throws {
        let (store, path) = try Self.fileDatabase("read-only")
        _ = try store.saveDictation(Self.draft("RO1"))
        let dumpBefore = try Self.dump(path)
        let readOnly = try ReportDatabase(path: path, readOnly: true)
        #expect(try readOnly.report(accession: "RO1")?.status == .draft, "reading works")
        #expect {
            _ = try readOnly.saveDictation(Self.draft("RO2"))
        } throws: { error in
            (error as? ReportStoreError)?.code == .readOnly && "\(error)".contains("read-only")
        }
        #expect {
            try readOnly.addOrder(Self.order("RO3"), source: "test")
        } throws: { error in (error as? ReportStoreError)?.code == .readOnly }
        #expect(try Self.dump(path) == dumpBefore)
        #expect(try Self.integrity(path) == "ok")
    }
}
