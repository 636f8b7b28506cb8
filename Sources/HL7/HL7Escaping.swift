/// Escapes and unescapes text placed in an HL7 field, component or subcomponent.
///
/// Delimiters become `\F\` `\S\` `\T\` `\R\` `\E\`; a carriage return or line feed becomes the hex escape `\X0D\` or
/// `\X0A\`, so escaped text never holds a raw segment terminator. Text that needs real line breaks (report text)
/// should be split into lines before escaping, as ``ORUBuilder`` does with field repetitions.
public enum HL7Escaping {
    /// Escapes `text` so that it can stand as one field component.
    /// - Parameters:
    ///   - text: plain text, which may contain delimiters and line breaks.
    ///   - delimiters: the message's delimiters.
    /// - Returns: ER7 text without any delimiter, CR or LF.
    public static func escape(_ text: String, delimiters: HL7Delimiters = .standard) -> String {
        var output = String.UnicodeScalarView()
        let e = delimiters.escape
        func append(_ code: String) {
            output.append(e)
            output.append(contentsOf: code.unicodeScalars)
            output.append(e)
        }
        for scalar in text.unicodeScalars {
            // The escape character first: every other escape sequence introduces one.
            switch scalar {
            case e: append("E")
            case delimiters.field: append("F")
            case delimiters.component: append("S")
            case delimiters.subcomponent: append("T")
            case delimiters.repetition: append("R")
            case "\r": append("X0D")
            case "\n": append("X0A")
            default: output.append(scalar)
            }
        }
        return String(output)
    }

    /// Turns escaped ER7 text back into plain text.
    ///
    /// Handles `\F\ \S\ \T\ \R\ \E\`, hex data `\Xhh…\` (read as UTF-8), `\.br\` (a line feed) and drops the
    /// highlighting markers `\H\` and `\N\`. Other or malformed sequences are kept as they are.
    /// - Parameters:
    ///   - text: escaped text of one component or subcomponent.
    ///   - delimiters: the message's delimiters.
    /// - Returns: the plain text.
    public static func unescape(_ text: String, delimiters: HL7Delimiters = .standard) -> String {
        let e = delimiters.escape
        let scalars = Array(text.unicodeScalars)
        guard scalars.contains(e) else { return text }
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == e, let end = scalars[(index + 1)...].firstIndex(of: e) else {
                output.append(scalar)
                index += 1
                continue
            }
            let code = String(String.UnicodeScalarView(scalars[(index + 1)..<end]))
            if let replacement = replacement(for: code, delimiters: delimiters) {
                output.append(contentsOf: replacement.unicodeScalars)
            } else {
                output.append(contentsOf: scalars[index...end])
            }
            index = end + 1
        }
        return String(output)
    }

    /// The plain text an escape sequence's code stands for, or nil to keep the sequence as it is.
    private static func replacement(for code: String, delimiters: HL7Delimiters) -> String? {
        switch code {
        case "F": return String(delimiters.field)
        case "S": return String(delimiters.component)
        case "T": return String(delimiters.subcomponent)
        case "R": return String(delimiters.repetition)
        case "E": return String(delimiters.escape)
        case ".br": return "\n"
        case "H", "N": return ""
        default:
            guard code.first == "X" else { return nil }
            return decodeHex(code.dropFirst())
        }
    }

    /// Decodes `hh…` hex digits as UTF-8, or nil when they are not whole, valid UTF-8 bytes.
    private static func decodeHex(_ digits: Substring) -> String? {
        guard !digits.isEmpty, digits.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        var index = digits.startIndex
        while index < digits.endIndex {
            let next = digits.index(index, offsetBy: 2)
            guard let byte = UInt8(digits[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
