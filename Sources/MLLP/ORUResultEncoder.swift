import Foundation
import HL7
import RadScribeCore

/// Builds the ORU^R01 of an outbox row with a fresh MSH-10: what ``ReportDatabase`` freezes into the outbox.
public struct ORUResultEncoder: ResultMessageEncoder {
    public var builder: ORUBuilder
    /// Codes the report's findings (ontology concepts with presence and side) when the snapshot carries none.
    public var codeFindings: @Sendable ([ReportSection]) -> [ReportFinding]

    public init(
        builder: ORUBuilder = ORUBuilder(receivingApplication: "RIS"),
        codeFindings: @escaping @Sendable ([ReportSection]) -> [ReportFinding] = { _ in [] }
    ) {
        self.builder = builder
        self.codeFindings = codeFindings
    }

    /// The snapshot with its coded findings filled in.
    public func coded(_ report: ReportSnapshot) -> ReportSnapshot {
        guard report.findings.isEmpty else { return report }
        var report = report
        report.findings = codeFindings(report.sections)
        return report
    }

    public func encode(_ report: ReportSnapshot, destination: String, at time: Date) throws -> EncodedResultMessage {
        if let missing = PatientIdentity.missing(in: report.order.patient).first {
            throw ResultMessageRefusal(
                "the result of \(report.order.accession) cannot be sent: \(missing.description); nothing was queued"
            )
        }
        let controlID = MessageControlID.generate(at: time)
        let message = builder.build(coded(report), controlID: controlID, at: time)
        return EncodedResultMessage(controlID: controlID, payload: message.er7)
    }
}

