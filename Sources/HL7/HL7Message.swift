/// An HL7 v2 message: segments in order, written as ER7 text with CR after each segment.
public struct HL7Message: Sendable, Hashable {
    /// The segments, MSH first.
    public var segments: [HL7Segment]

    /// Creates a message from segments (the first should be MSH).
    public init(segments: [HL7Segment]) {
        self.segments = segments
    }

    /// The delimiters of the MSH segment, or the standard ones.
    public var delimiters: HL7Delimiters { segments.first?.delimiters ?? .standard }

    /// The message as ER7 text: every segment followed by a carriage return.
    public var er7: String {
        segments.map { $0.er7 + "\r" }.joined()
    }

    /// The first segment called `name`, if any.
    public func segment(named name: String) -> HL7Segment? {
        segments.first { $0.name == name }
    }

    /// Every segment called `name`, in message order.
    public func segments(named name: String) -> [HL7Segment] {
        segments.filter { $0.name == name }
    }

    /// MSH-10, the message control ID.
    public var controlID: String { segment(named: "MSH")?.value(10) ?? "" }

    /// MSH-9 components joined by `^`, e.g. `ORU^R01^ORU_R01`.
    public var messageType: String {
        guard let msh = segment(named: "MSH") else { return "" }
        return (1...3).map { msh.value(9, component: $0) }
            .reversed().drop { $0.isEmpty }.reversed()
            .joined(separator: "^")
    }
}

extension HL7Message {
    /// Parses one ER7 message, using the delimiters its MSH-1 and MSH-2 declare.
    ///
    /// Segments may end in CR (the standard), LF or CRLF; empty lines are ignored. Field contents are not checked
    /// here: validation against a message structure belongs to the caller.
    /// - Parameter text: the message, without MLLP framing.
    /// - Throws: ``HL7Error`` when the text is empty, does not start with a valid MSH, has a malformed segment name
    ///   or holds a second message.
    public init(parsing text: String) throws {
        let lines = text.unicodeScalars
            .split(omittingEmptySubsequences: true) { $0 == "\r" || $0 == "\n" }
            .map { Array($0) }
            .filter { line in line.contains { !$0.properties.isWhitespace } }
        guard let header = lines.first else { throw HL7Error.emptyMessage }
        let delimiters = try Self.delimiters(ofHeader: header)

        var segments: [HL7Segment] = []
        for (offset, line) in lines.enumerated() {
            let fields = line.split(separator: delimiters.field, omittingEmptySubsequences: false)
                .map { String(String.UnicodeScalarView($0)) }
            let name = fields[0]
            guard Self.isValidSegmentName(name) else { throw HL7Error.invalidSegmentName(at: offset + 1) }
            if name == "MSH" {
                guard offset == 0 else { throw HL7Error.multipleMessages(at: offset + 1) }
                // fields[1] is MSH-2; MSH-1 is the separator between "MSH" and it.
                segments.append(HL7Segment("MSH", fields: [""] + fields.dropFirst(), delimiters: delimiters))
            } else {
                segments.append(HL7Segment(name, fields: Array(fields.dropFirst()), delimiters: delimiters))
            }
        }
        self.init(segments: segments)
    }

    /// Reads MSH-1 and MSH-2 from the first segment.
    private static func delimiters(ofHeader header: [Unicode.Scalar]) throws -> HL7Delimiters {
        guard header.count >= 3, String(String.UnicodeScalarView(header[0..<3])) == "MSH" else {
            throw HL7Error.missingHeader
        }
        guard header.count >= 8 else { throw HL7Error.invalidEncodingCharacters }
        let encoding = header[4...].prefix { $0 != header[3] }
        // 2.5.1 declares four encoding characters; 2.7 adds a fifth (truncation), which is ignored here.
        guard encoding.count == 4 || encoding.count == 5 else { throw HL7Error.invalidEncodingCharacters }
        let chars = Array(encoding)
        let delimiters = HL7Delimiters(
            field: header[3],
            component: chars[0],
            repetition: chars[1],
            escape: chars[2],
            subcomponent: chars[3]
        )
        let all = delimiters.all + chars.dropFirst(4)
        let distinct = Set(all).count == all.count
        // Visible ASCII punctuation only: never a letter, digit, space or control character.
        let printable = all.allSatisfy { scalar in
            scalar.value > 32 && scalar.value < 127 && !scalar.properties.isAlphabetic
                && !("0"..."9").contains(scalar)
        }
        guard distinct, printable else { throw HL7Error.invalidEncodingCharacters }
        return delimiters
    }

    /// Segment names are three characters: an upper-case letter, then upper-case letters or digits.
    private static func isValidSegmentName(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard scalars.count == 3, ("A"..."Z").contains(scalars[0]) else { return false }
        return scalars.dropFirst().allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }
}
