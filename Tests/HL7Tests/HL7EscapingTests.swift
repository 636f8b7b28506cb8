import HL7
import Testing

@Suite("HL7 escaping")
struct HL7EscapingTests {
    @Test(
        "each special character has its escape sequence",
        arguments: [("|", "\\F\\"), ("^", "\\S\\"), ("&", "\\T\\"), ("~", "\\R\\"), ("\\", "\\E\\")]
    )
    func specialCharacter(plain: String, escaped: String) {
        #expect(HL7Escaping.escape(plain) == escaped)
        #expect(HL7Escaping.unescape(escaped) == plain)
        #expect(HL7Escaping.escape("a\(plain)b") == "a\(escaped)b")
    }

    @Test(
        "round trips",
        arguments: [
            "",
            "plain text",
            "|^~\\&",
            "\\F\\ is not a field separator",
            "back\\\\slashes\\",
            "C:\\path\\to\\file",
            "a|b^c&d~e\\f",
            "  leading spaces kept",
            "line one\nline two\r\nline three\rend",
            "Ünïcödé — 肺 ✓",
            "\\X0D\\ literally",
            "\\",
            "\\\\\\",
        ]
    )
    func roundTrip(text: String) {
        let escaped = HL7Escaping.escape(text)
        #expect(HL7Escaping.unescape(escaped) == text)
        for forbidden in ["|", "^", "~", "&", "\r", "\n"] {
            #expect(!escaped.contains(forbidden))
        }
    }

    @Test("backslash is escaped first, so escapes are not double-read")
    func backslashFirst() {
        #expect(HL7Escaping.escape("\\F\\") == "\\E\\F\\E\\")
        #expect(HL7Escaping.unescape("\\E\\F\\E\\") == "\\F\\")
    }

    @Test("line breaks become hex escapes, never raw CR or LF")
    func lineBreaks() {
        #expect(HL7Escaping.escape("a\r\nb\nc\rd") == "a\\X0D\\\\X0A\\b\\X0A\\c\\X0D\\d")
        #expect(HL7Escaping.unescape("a\\X0D0A\\b") == "a\r\nb")
    }

    @Test("unescape reads formatting and hex sequences, keeps unknown ones")
    func unescapeOthers() {
        #expect(HL7Escaping.unescape("one\\.br\\two") == "one\ntwo")
        #expect(HL7Escaping.unescape("\\H\\bold\\N\\") == "bold")
        #expect(HL7Escaping.unescape("\\XC3A9\\") == "é")
        #expect(HL7Escaping.unescape("\\Zabc\\ and \\XZZ\\") == "\\Zabc\\ and \\XZZ\\")
        #expect(HL7Escaping.unescape("dangling \\") == "dangling \\")
    }

    @Test("custom delimiters are honoured")
    func customDelimiters() {
        let delimiters = HL7Delimiters(field: "#", component: "!", repetition: "*", escape: "$", subcomponent: "%")
        let text = "a#b!c*d$e%f|^~\\&"
        let escaped = HL7Escaping.escape(text, delimiters: delimiters)
        #expect(escaped == "a$F$b$S$c$R$d$E$e$T$f|^~\\&")
        #expect(HL7Escaping.unescape(escaped, delimiters: delimiters) == text)
    }
}
