import Foundation
import HL7

/// A result destination as configured: where (`HOST:PORT`), how section text is sent (TX or FT) and whether the
/// connection uses TLS. Written `HOST:PORT[,tx|,ft][,tls]`, e.g. `ris.example:2575,ft,tls`.
///
/// Its queue in the outbox is named by the address alone (``MLLPEndpoint/description``), so changing the options
/// of a destination keeps its queue.
public struct MLLPDestination: Sendable, Hashable, CustomStringConvertible {
    public var endpoint: MLLPEndpoint
    /// OBX-2 of the report text: messages are stored in TX and rendered to FT for an FT destination
    /// (``ORUTextFormat``).
    public var textFormat: ORUBuilder.ObservationFormat
    /// Connect over TLS.
    public var usesTLS: Bool

    public init(endpoint: MLLPEndpoint, textFormat: ORUBuilder.ObservationFormat = .text, usesTLS: Bool = false) {
        self.endpoint = endpoint
        self.textFormat = textFormat
        self.usesTLS = usesTLS
    }

    /// Parses `HOST:PORT[,tx|,ft][,tls]` (options in any order, any case); nil when malformed, an option is unknown
    /// or given twice.
    public init?(parsing text: String) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard let address = parts.first, let endpoint = MLLPEndpoint(parsing: address) else { return nil }
        var format: ORUBuilder.ObservationFormat?
        var tls = false
        for option in parts.dropFirst() {
            if let parsed = ORUBuilder.ObservationFormat(option: option) {
                guard format == nil else { return nil }
                format = parsed
            } else if option.lowercased() == "tls" {
                guard !tls else { return nil }
                tls = true
            } else {
                return nil
            }
        }
        self.init(endpoint: endpoint, textFormat: format ?? .text, usesTLS: tls)
    }

    public var description: String {
        var text = endpoint.description
        if textFormat == .formattedText { text += ",ft" }
        if usesTLS { text += ",tls" }
        return text
    }
}
