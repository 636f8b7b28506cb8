import Foundation

/// Formats dates as HL7 DTM with seconds and a UTC offset, e.g. `20250102143000+0100`.
enum HL7Timestamp {
    /// The DTM text of `date` as a clock in `timeZone` shows it.
    static func format(_ date: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let offsetMinutes = timeZone.secondsFromGMT(for: date) / 60
        let sign = offsetMinutes < 0 ? "-" : "+"
        return pad(parts.year ?? 0, 4) + pad(parts.month ?? 0, 2) + pad(parts.day ?? 0, 2)
            + pad(parts.hour ?? 0, 2) + pad(parts.minute ?? 0, 2) + pad(parts.second ?? 0, 2)
            + sign + pad(abs(offsetMinutes) / 60, 2) + pad(abs(offsetMinutes) % 60, 2)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
