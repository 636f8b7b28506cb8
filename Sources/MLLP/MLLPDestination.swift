import Foundation
import HL7

/// A result destination as configured: where (`HOST:PORT`), how section text is sent (TX or FT), which type coded
/// findings carry (CE or CWE) and whether the connection uses TLS. Written `HOST:PORT[,tx|,ft][,ce|,cwe][,tls]`,
/// e.g. `ris.example:2575,ft,cwe,tls`.
///
/// Its queue in the outbox is named by the address alone (``MLLPEndpoint/description``), so changing the options
/// of a destination keeps its queue.
public struct MLLPDestination: Sendable, Hashable, CustomStringConvertible {
    public var endpoint: MLLPEndpoint
    /// OBX-2 of the report text: messages are stored in TX and rendered to FT for an FT destination
    /// (``ORUTextFormat``).
    public var textFormat: ORUBuilder.ObservationFormat
    /// OBX-2 of the coded-finding rows: stored as CE (HL7 2.5.1 table 0125), rendered as CWE for a receiver that
    /// wants the v2.6+ name (``ORUTextFormat/codedType(_:as:)``).
    public var codedType: ORUBuilder.CodedValueType
    /// Connect over TLS.
    public var usesTLS: Bool

    public init(
        endpoint: MLLPEndpoint, textFormat: ORUBuilder.ObservationFormat = .text,
        codedType: ORUBuilder.CodedValueType = .ce, usesTLS: Bool = false
    ) {
        self.endpoint = endpoint
        self.textFormat = textFormat
        self.codedType = codedType
        self.usesTLS = usesTLS
    }

    /// How messages to this destination are rendered, as pinned to each message in the outbox: `TX`, `FT`,
    /// `TX+CWE` or `FT+CWE` (see ``ORUTextFormat/render(_:wireFormat:)``).
    public var wireFormat: String {
        textFormat.rawValue + (codedType == .cwe ? "+CWE" : "")
    }

    /// Parses `HOST:PORT[,tx|,ft][,ce|,cwe][,tls]` (options in any order, any case); nil when malformed, an option is
    /// unknown or given twice.
    public init?(parsing text: String) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard let address = parts.first, let endpoint = MLLPEndpoint(parsing: address) else { return nil }
        var format: ORUBuilder.ObservationFormat?
        var coded: ORUBuilder.CodedValueType?
        var tls = false
        for option in parts.dropFirst() {
            if let parsed = ORUBuilder.ObservationFormat(option: option) {
                guard format == nil else { return nil }
                format = parsed
            } else if let parsed = ORUBuilder.CodedValueType(rawValue: option.uppercased()) {
                guard coded == nil else { return nil }
                coded = parsed
            } else if option.lowercased() == "tls" {
                guard !tls else { return nil }
                tls = true
            } else {
                return nil
            }
        }
        self.init(endpoint: endpoint, textFormat: format ?? .text, codedType: coded ?? .ce, usesTLS: tls)
    }

    public var description: String {
        var text = endpoint.description
        if textFormat == .formattedText { text += ",ft" }
        if codedType == .cwe { text += ",cwe" }
        if usesTLS { text += ",tls" }
        return text
    }
}
