import Foundation
import RadScribeCore

/// A template as stored: each change to a template's HTML is a new version.
public struct StoredTemplate: Sendable, Hashable {
    /// Short id used on the command line, e.g. `chest-radiograph-2-views`.
    public var slug: String
    /// The template's own `dcterms.identifier`.
    public var identifier: String
    public var version: Int
    public var title: String
    public var html: String
}

/// Audio of one dictation as a WAV file (16 kHz mono 16-bit).
public struct DictationAudio: Sendable, Hashable {
    public var sampleRate: Int
    public var sampleCount: Int
    public var wav: Data

    public init(sampleRate: Int, sampleCount: Int, wav: Data) {
        self.sampleRate = sampleRate
        self.sampleCount = sampleCount
        self.wav = wav
    }

    public var duration: Double { Double(sampleCount) / Double(sampleRate) }
}

/// A new or re-dictated draft, ready to store in one transaction.
public struct DictatedDraft: Sendable {
    public var accession: String
    public var templateSlug: String
    public var sections: [ReportSection]
    /// Spoken words with timings, per section key.
    public var spokenWords: [String: [RecognizedWord]]
    public var audio: DictationAudio?
    public var author: String
    /// What produced this version: `recognizer`, `script`, `transcriptionist`, `radiologist`.
    public var source: String
    /// Used only when the accession has no order yet.
    public var orderIfNew: ImagingOrder

    public init(
        accession: String,
        templateSlug: String,
        sections: [ReportSection],
        spokenWords: [String: [RecognizedWord]],
        audio: DictationAudio?,
        author: String,
        source: String,
        orderIfNew: ImagingOrder
    ) {
        self.accession = accession
        self.templateSlug = templateSlug
        self.sections = sections
        self.spokenWords = spokenWords
        self.audio = audio
        self.author = author
        self.source = source
        self.orderIfNew = orderIfNew
    }
}

/// A report with its current version. A scheduled report has no template (empty slug, version 0) and no version
/// (number 0, no sections) yet.
public struct StoredReport: Sendable, Hashable {
    public var order: ImagingOrder
    public var templateSlug: String
    public var templateVersion: Int
    public var status: ReportStatus
    public var versionNumber: Int
    public var sections: [ReportSection]
    public var spokenWords: [String: [RecognizedWord]]
    public var createdAt: Date
    public var updatedAt: Date
    /// Who signed it preliminary (a resident, or an attending signing as preliminary), and when.
    public var preliminaryBy: String?
    public var preliminaryAt: Date?
    /// Who signed it final, and when.
    public var signedBy: String?
    public var signedAt: Date?
    /// Seconds of dictation audio kept for this report.
    public var audioSeconds: Double
    /// The transcriptionist who last corrected the text (the newest version saved by a user with that role): OBR-35.
    public var transcriptionist: String? = nil
    /// The coded findings of this version (ontology concepts with presence and side), kept for HL7 and the checks.
    public var findings: [ReportFinding] = []

    public var accession: String { order.accession }

    /// What the RIS would receive for this report now.
    public var snapshot: ReportSnapshot {
        ReportSnapshot(
            order: order,
            status: status,
            sections: sections,
            signedBy: signedBy ?? preliminaryBy,
            statusChangedAt: statusChangedAt,
            observedAt: createdAt,
            transcriptionist: transcriptionist,
            findings: findings
        )
    }
}

extension StoredReport {
    /// When the report last changed status.
    var statusChangedAt: Date {
        switch status {
        case .final: signedAt ?? updatedAt
        case .preliminary: preliminaryAt ?? updatedAt
        default: updatedAt
        }
    }
}

/// The outcome of storing a dictation.
public struct DictationReceipt: Sendable {
    public var report: StoredReport
    /// True when the accession was unknown and an order was created for it.
    public var createdOrder: Bool
}
