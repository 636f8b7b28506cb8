import Foundation

/// Generates MSH-10 message control IDs.
///
/// An ID is 20 upper-case base-36 characters: 9 encode the milliseconds since 1970 (so IDs sort by creation time
/// and never repeat across milliseconds), 11 are random (about 57 bits from the system's cryptographic generator).
/// No state is shared, so IDs are unique across threads, processes and machines: two IDs made in the same
/// millisecond collide with probability 2⁻⁵⁷. Receivers de-duplicate by MSH-10, so a resend keeps its ID and
/// every new message, including a correction, gets a new one.
public enum MessageControlID {
    /// The length of every generated ID; HL7 2.5.1 allows at most 20 characters in MSH-10.
    public static let length = 20

    private static let timeDigits = 9
    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".unicodeScalars)

    /// Returns a new control ID.
    /// - Parameter date: the creation time encoded in the first nine characters.
    public static func generate(at date: Date = Date()) -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(at: date, using: &generator)
    }

    /// Returns a new control ID drawing its random part from `generator`.
    public static func generate(at date: Date, using generator: inout some RandomNumberGenerator) -> String {
        var text = String.UnicodeScalarView()
        // 36⁹ ms ≈ 3,200 years: the time part never overflows its nine digits.
        var millis = UInt64(max(0, (date.timeIntervalSince1970 * 1000).rounded(.down)))
        var timeScalars: [Unicode.Scalar] = []
        for _ in 0..<timeDigits {
            timeScalars.append(alphabet[Int(millis % 36)])
            millis /= 36
        }
        text.append(contentsOf: timeScalars.reversed())
        for _ in timeDigits..<length {
            text.append(alphabet[Int(generator.next(upperBound: UInt64(36)))])
        }
        return String(text)
    }
}
