import Foundation
import HL7
import RadScribeCore

/// Builds the ORU^R01 of an outbox row with a fresh MSH-10: what ``ReportDatabase`` freezes into the outbox.
public struct ORUResultEncoder: ResultMessageEncoder {
    public var builder: ORUBuilder

    public init(builder: ORUBuilder = ORUBuilder(receivingApplication: "RIS")) {
        self.builder = builder
    }

    public func encode(_ report: ReportSnapshot, destination: String, at time: Date) -> EncodedResultMessage {
        let controlID = MessageControlID.generate(at: time)
        let message = builder.build(report, controlID: controlID, at: time)
        return EncodedResultMessage(controlID: controlID, payload: message.er7)
    }
}
