/// The five ER7 delimiters a message declares in MSH-1 and MSH-2.
public struct HL7Delimiters: Sendable, Hashable {
    /// Separates fields (MSH-1), `|` by default.
    public var field: Unicode.Scalar
    /// Separates components, `^` by default.
    public var component: Unicode.Scalar
    /// Separates repetitions of a field, `~` by default.
    public var repetition: Unicode.Scalar
    /// Starts and ends escape sequences, `\` by default.
    public var escape: Unicode.Scalar
    /// Separates subcomponents, `&` by default.
    public var subcomponent: Unicode.Scalar

    /// Creates a delimiter set; the defaults are the standard `|^~\&`.
    public init(
        field: Unicode.Scalar = "|",
        component: Unicode.Scalar = "^",
        repetition: Unicode.Scalar = "~",
        escape: Unicode.Scalar = "\\",
        subcomponent: Unicode.Scalar = "&"
    ) {
        self.field = field
        self.component = component
        self.repetition = repetition
        self.escape = escape
        self.subcomponent = subcomponent
    }

    /// The standard delimiters `|^~\&`, the only ones RadScribe sends.
    public static let standard = HL7Delimiters()

    /// MSH-2 as it is written: component, repetition, escape and subcomponent characters.
    public var encodingCharacters: String {
        var text = String.UnicodeScalarView()
        text.append(contentsOf: [component, repetition, escape, subcomponent])
        return String(text)
    }

    /// All five delimiters, for checks that they are distinct.
    var all: [Unicode.Scalar] { [field, component, repetition, escape, subcomponent] }
}
