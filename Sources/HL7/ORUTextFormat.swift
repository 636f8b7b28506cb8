extension ORUBuilder.ObservationFormat {
    /// Reads `tx` or `ft` (any case), as destinations are configured.
    public init?(option: String) {
        switch option.lowercased() {
        case "tx": self = .text
        case "ft": self = .formattedText
        default: return nil
        }
    }
}

/// Renders a stored TX result as FT for a destination that wants formatted text.
///
/// Outbox messages are frozen once, in TX, when they are enqueued. A destination configured for FT is sent this
/// rendering of the stored bytes: a pure function of them (no clock, no configuration, no report data), so every
/// resend of a message to that destination is byte-identical and keeps its MSH-10.
///
/// Each narrative OBX (OBX-2 `TX`) becomes `FT`: its repetitions, one display line each, are joined with the
/// escape sequence `\.br\` (escape character taken from MSH-2) into values of at most `maxObservationLength` bytes,
/// split at line boundaries into further rows with the same OBX-3; OBX-1 is renumbered and the narrative rows'
/// OBX-4 sub-IDs recounted per OBX-3 (as ``ORUBuilder`` numbers them). The default, 199, is what strict 2.5.1
/// validators such as hl7apy accept in one OBX-5 (they read it as ST); a TX line is never longer (see
/// ``ORUBuilder/maxLineLength``), so no line is cut. FT itself allows 65,536 for receivers that want long rows.
/// Coded rows and every other segment are copied unchanged. The TX lines are display lines (long lines wrapped at
/// ``ORUBuilder/maxLineLength``), so the FT text breaks where the TX display does.
public enum ORUTextFormat {
    /// The message in `format`: unchanged for TX, else its FT rendering.
    public static func render(_ er7: String, as format: ORUBuilder.ObservationFormat, maxObservationLength: Int = 199)
        -> String
    {
        switch format {
        case .text: er7
        case .formattedText: formattedText(fromText: er7, maxObservationLength: maxObservationLength)
        }
    }

    /// The message as pinned for a destination: `TX` or `FT`, optionally `+CWE` (unknown parts leave it unchanged).
    public static func render(_ er7: String, wireFormat: String) -> String {
        let parts = wireFormat.uppercased().split(separator: "+").map(String.init)
        let format = parts.first.flatMap { ORUBuilder.ObservationFormat(option: $0) } ?? .text
        let rendered = render(er7, as: format)
        return parts.contains("CWE") ? codedType(rendered, as: .cwe) : rendered
    }

    /// The message with OBX-2 of its coded rows (`CE` or `CWE`) set to `type`; other segments and fields unchanged.
    /// CE and CWE share their first six components, so only the type name changes.
    public static func codedType(_ er7: String, as type: ORUBuilder.CodedValueType) -> String {
        let chars = Array(er7.prefix(4))
        guard chars.count == 4, er7.hasPrefix("MSH") else { return er7 }
        let field = chars[3]
        let coded: Set<String> = ["CE", "CWE"]
        return er7.split(separator: "\r", omittingEmptySubsequences: false).map { segment -> String in
            guard segment.hasPrefix("OBX\(field)") else { return String(segment) }
            var fields = segment.split(separator: field, omittingEmptySubsequences: false).map(String.init)
            guard fields.count > 2, coded.contains(fields[2]) else { return String(segment) }
            fields[2] = type.rawValue
            return fields.joined(separator: String(field))
        }.joined(separator: "\r")
    }

    /// The FT rendering of a TX message; see the type's documentation. A message that is not HL7 ER7 (no MSH with
    /// its delimiters) is returned as it is.
    public static func formattedText(fromText er7: String, maxObservationLength: Int = 199) -> String {
        let chars = Array(er7.prefix(8))
        guard chars.count >= 8, er7.hasPrefix("MSH") else { return er7 }
        let field = chars[3]
        let repetition = chars[5]
        let escape = chars[6]
        let lineBreak = "\(escape).br\(escape)"
        let limit = max(maxObservationLength, 64)

        var segments = er7.split(separator: "\r", omittingEmptySubsequences: false).map(String.init)
        // A trailing CR leaves one empty piece: kept, so the output ends as the input does.
        var output: [String] = []
        output.reserveCapacity(segments.count)
        var changed = false
        var observationNumber = 0
        var subIDs: [String: Int] = [:]
        for segment in segments {
            guard segment.hasPrefix("OBX\(field)") else {
                output.append(segment)
                continue
            }
            var fields = segment.split(separator: field, omittingEmptySubsequences: false).map(String.init)
            guard fields.count > 5, fields[2] == "TX" else {
                observationNumber += 1
                if fields.count > 1, fields[1] != String(observationNumber) {
                    fields[1] = String(observationNumber)
                    changed = true
                }
                output.append(fields.joined(separator: String(field)))
                continue
            }
            changed = true
            let lines = fields[5].split(separator: repetition, omittingEmptySubsequences: false).map(String.init)
            var values: [String] = []
            var current: String?
            for line in lines {
                if let text = current, text.utf8.count + lineBreak.utf8.count + line.utf8.count <= limit {
                    current = text + lineBreak + line
                } else {
                    if let text = current { values.append(text) }
                    current = line
                }
            }
            if let text = current { values.append(text) }
            for value in values {
                observationNumber += 1
                let code = fields[3]
                let subID = subIDs[code, default: 0] + 1
                subIDs[code] = subID
                var row = fields
                row[1] = String(observationNumber)
                row[2] = "FT"
                row[4] = String(subID)
                row[5] = value
                output.append(row.joined(separator: String(field)))
            }
        }
        segments = output
        return changed ? segments.joined(separator: "\r") : er7
    }
}
