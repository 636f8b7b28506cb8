/// One segment of an HL7 message: a name and its fields as escaped ER7 text.
///
/// Fields are numbered as in the standard: `field(1)` is the first field after the name. In MSH, `field(1)` is the
/// field separator and `field(2)` the encoding characters, so `field(10)` is MSH-10 in every segment type.
public struct HL7Segment: Sendable, Hashable {
    /// Index 0 holds the name, index n field n (escaped ER7, repetitions and components included).
    private var storage: [String]
    /// The delimiters the fields are written with.
    public let delimiters: HL7Delimiters

    /// Creates a segment from escaped fields.
    /// - Parameters:
    ///   - name: the three-character segment name, e.g. `OBX`.
    ///   - fields: ER7 text of fields 1, 2, …; for MSH, fields 1 and 2 are replaced by `delimiters`.
    ///   - delimiters: the delimiters the fields use.
    public init(_ name: String, fields: [String], delimiters: HL7Delimiters = .standard) {
        var storage = [name] + fields
        if name == "MSH" {
            while storage.count < 3 { storage.append("") }
            storage[1] = String(delimiters.field)
            storage[2] = delimiters.encodingCharacters
        }
        self.storage = storage
        self.delimiters = delimiters
    }

    /// The segment name, e.g. `PID`.
    public var name: String { storage[0] }

    /// The number of the last field present.
    public var fieldCount: Int { storage.count - 1 }

    /// The escaped ER7 text of field `number` (1-based), or an empty string when absent.
    public func field(_ number: Int) -> String {
        number >= 1 && number < storage.count ? storage[number] : ""
    }

    /// The escaped repetitions of field `number`; empty when the field is empty.
    public func repetitions(_ number: Int) -> [String] {
        let text = field(number)
        if text.isEmpty { return [] }
        if isEncodingField(number) { return [text] }
        return split(text, by: delimiters.repetition)
    }

    /// The unescaped text at one position of field `number`; all positions are 1-based.
    /// - Parameters:
    ///   - number: the field number.
    ///   - repetition: which repetition of the field.
    ///   - component: which component of that repetition.
    ///   - subcomponent: which subcomponent of that component.
    /// - Returns: the plain text, or an empty string when the position is absent.
    public func value(_ number: Int, repetition: Int = 1, component: Int = 1, subcomponent: Int = 1) -> String {
        if isEncodingField(number) { return repetition == 1 && component == 1 && subcomponent == 1 ? field(number) : "" }
        let repetitions = repetitions(number)
        guard repetition >= 1, repetition <= repetitions.count else { return "" }
        return value(ofRepetition: repetitions[repetition - 1], component: component, subcomponent: subcomponent)
    }

    /// The unescaped text at one position of a repetition already taken from ``repetitions(_:)``: reading every
    /// repetition of a field this way splits the field once, where ``value(_:repetition:component:subcomponent:)``
    /// would split it again for each one.
    public func value(ofRepetition repetition: String, component: Int = 1, subcomponent: Int = 1) -> String {
        let components = split(repetition, by: delimiters.component)
        guard component >= 1, component <= components.count else { return "" }
        let subcomponents = split(components[component - 1], by: delimiters.subcomponent)
        guard subcomponent >= 1, subcomponent <= subcomponents.count else { return "" }
        return HL7Escaping.unescape(subcomponents[subcomponent - 1], delimiters: delimiters)
    }

    /// The segment as ER7 text, without a terminator; trailing empty fields are left out.
    public var er7: String {
        var fields = storage
        let minimum = name == "MSH" ? 3 : 1
        while fields.count > minimum, fields.last?.isEmpty == true { fields.removeLast() }
        let separator = String(delimiters.field)
        if name == "MSH" {
            return "MSH" + separator + fields[2...].joined(separator: separator)
        }
        return fields.joined(separator: separator)
    }

    /// MSH-1 and MSH-2 hold delimiters themselves and are never split.
    private func isEncodingField(_ number: Int) -> Bool { name == "MSH" && (number == 1 || number == 2) }

    private func split(_ text: String, by separator: Unicode.Scalar) -> [String] {
        text.unicodeScalars.split(separator: separator, omittingEmptySubsequences: false)
            .map { String(String.UnicodeScalarView($0)) }
    }
}
