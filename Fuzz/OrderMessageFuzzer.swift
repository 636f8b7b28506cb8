import Foundation

// libFuzzer entry point for the inbound order parser (ORM^O01 / OMI^O23) and the ACK it leads to.
// Built outside SwiftPM by scripts/fuzz-orders.sh, which compiles RadScribeCore and HL7 together with this file.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOrderMessage(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let original = try? HL7Message(parsing: text)
    do {
        let message = try OrderMessage(parsing: text)
        precondition(!message.controlID.isEmpty && !message.events.isEmpty)
    } catch let error as OrderMessageError {
        let ack = HL7Acknowledgment(
            code: error.acknowledgment, controlID: original?.controlID ?? "", text: error.detail.description,
            error: error.detail
        )
        let er7 = ack.message(respondingTo: original, controlID: "FUZZ", at: Date(timeIntervalSince1970: 0)).er7
        precondition((try? HL7Acknowledgment(parsing: er7))?.code == error.acknowledgment)
    } catch {
        preconditionFailure("unexpected error type \(type(of: error))")
    }
    return 0
}
