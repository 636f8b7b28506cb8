import Foundation

/// Checks the segment order of ORM^O01 and OMI^O23 (HL7 2.5.1 ch. 4), which hl7apy does not do.
///
/// A small state machine: each state lists the segments that may follow it. Z-segments are skipped; any other
/// segment the structure does not allow at that point (an unknown segment, a second PID, an OBX before its OBR, an
/// OMI order without IPC) is an AR with error 100 naming the segment and its position.
enum OrderMessageStructure {
    private typealias Table = [String: [String: String]]

    /// ORM^O01: MSH [NTE] [PID [PD1] [NTE] [PV1 [PV2]] [IN1 [IN2] [IN3]] [GT1] [AL1]]
    /// {ORC [OBR [NTE] [CTD] [DG1] {OBX [NTE]}] [FT1] [CTI] [BLG]}.
    private static let orm: Table = {
        var table = patientStates
        table["MSH"] = ["NTE": "hNTE", "PID": "PID", "ORC": "ORC"]
        table["hNTE"] = ["NTE": "hNTE", "PID": "PID", "ORC": "ORC"]
        let next: [String: String] = ["FT1": "FT1", "CTI": "CTI", "BLG": "BLG", "ORC": "ORC"]
        table["ORC"] = next.merging(["OBR": "OBR"]) { a, _ in a }
        let detail = next.merging(["CTD": "CTD", "DG1": "DG1", "OBX": "OBX"]) { a, _ in a }
        table["OBR"] = detail.merging(["NTE": "oNTE"]) { a, _ in a }
        table["oNTE"] = detail.merging(["NTE": "oNTE"]) { a, _ in a }
        table["CTD"] = next.merging(["DG1": "DG1", "OBX": "OBX"]) { a, _ in a }
        table["DG1"] = next.merging(["DG1": "DG1", "OBX": "OBX"]) { a, _ in a }
        table["OBX"] = next.merging(["NTE": "xNTE", "OBX": "OBX"]) { a, _ in a }
        table["xNTE"] = next.merging(["NTE": "xNTE", "OBX": "OBX"]) { a, _ in a }
        table["FT1"] = ["FT1": "FT1", "CTI": "CTI", "BLG": "BLG", "ORC": "ORC"]
        table["CTI"] = ["CTI": "CTI", "BLG": "BLG", "ORC": "ORC"]
        table["BLG"] = ["ORC": "ORC"]
        return table
    }()
    private static let ormEnd: Set<String> = ["ORC", "OBR", "oNTE", "CTD", "DG1", "OBX", "xNTE", "FT1", "CTI", "BLG"]

    /// OMI^O23: MSH [SFT] [NTE] [PID …] {ORC [TQ1 [TQ2]] OBR [NTE] [CTD] [DG1] {OBX [NTE]} IPC {IPC}}.
    private static let omi: Table = {
        var table = patientStates
        table["MSH"] = ["SFT": "SFT", "NTE": "hNTE", "PID": "PID", "ORC": "ORC"]
        table["SFT"] = ["SFT": "SFT", "NTE": "hNTE", "PID": "PID", "ORC": "ORC"]
        table["hNTE"] = ["NTE": "hNTE", "PID": "PID", "ORC": "ORC"]
        table["ORC"] = ["TQ1": "TQ1", "OBR": "OBR"]
        table["TQ1"] = ["TQ2": "TQ2", "TQ1": "TQ1", "OBR": "OBR"]
        table["TQ2"] = ["TQ2": "TQ2", "TQ1": "TQ1", "OBR": "OBR"]
        let detail = ["CTD": "CTD", "DG1": "DG1", "OBX": "OBX", "IPC": "IPC"]
        table["OBR"] = detail.merging(["NTE": "oNTE"]) { a, _ in a }
        table["oNTE"] = detail.merging(["NTE": "oNTE"]) { a, _ in a }
        table["CTD"] = ["DG1": "DG1", "OBX": "OBX", "IPC": "IPC"]
        table["DG1"] = ["DG1": "DG1", "OBX": "OBX", "IPC": "IPC"]
        table["OBX"] = ["NTE": "xNTE", "OBX": "OBX", "IPC": "IPC"]
        table["xNTE"] = ["NTE": "xNTE", "OBX": "OBX", "IPC": "IPC"]
        table["IPC"] = ["IPC": "IPC", "ORC": "ORC"]
        return table
    }()
    private static let omiEnd: Set<String> = ["IPC"]

    /// The patient group, shared by both structures; every state may go on to ORC.
    private static let patientStates: Table = {
        let after: [String: String] = ["IN1": "IN1", "GT1": "GT1", "AL1": "AL1", "ORC": "ORC"]
        let visit = after.merging(["PV1": "PV1"]) { a, _ in a }
        return [
            "PID": visit.merging(["PD1": "PD1", "NTE": "pNTE"]) { a, _ in a },
            "PD1": visit.merging(["NTE": "pNTE"]) { a, _ in a },
            "pNTE": visit.merging(["NTE": "pNTE"]) { a, _ in a },
            "PV1": after.merging(["PV2": "PV2"]) { a, _ in a },
            "PV2": after,
            "IN1": after.merging(["IN1": "IN1", "IN2": "IN2", "IN3": "IN3"]) { a, _ in a },
            "IN2": after.merging(["IN1": "IN1", "IN3": "IN3"]) { a, _ in a },
            "IN3": after.merging(["IN1": "IN1"]) { a, _ in a },
            "GT1": ["AL1": "AL1", "ORC": "ORC"],
            "AL1": ["AL1": "AL1", "ORC": "ORC"],
        ]
    }()

    /// Throws an AR naming the first segment out of place, or the missing segments at the end.
    static func check(_ segments: [HL7Segment], kind: OrderMessage.Kind) throws {
        let table = kind == .orm ? orm : omi
        let end = kind == .orm ? ormEnd : omiEnd
        var state = "MSH"
        var seen: [String: Int] = [:]
        for segment in segments.dropFirst() where !segment.name.hasPrefix("Z") {
            let sequence = seen[segment.name, default: 0] + 1
            seen[segment.name] = sequence
            guard let next = table[state]?[segment.name] else {
                throw OrderMessageError.reject(
                    .segmentSequenceError, segment.name, sequence,
                    "segment \(segment.name) #\(sequence) is not allowed here in \(kind.rawValue)"
                )
            }
            state = next
        }
        guard end.contains(state) else {
            let missing = kind == .omi ? (state == "ORC" || state.hasPrefix("TQ") ? "OBR" : "IPC") : "ORC"
            throw OrderMessageError.reject(
                .segmentSequenceError, missing, nil, "\(kind.rawValue) ends without a required \(missing) segment"
            )
        }
    }
}

/// Reads the segments of a message whose order has been checked.
struct OrderSegmentReader {
    /// One ORC group: the ORC, its first TQ1, its OBR and IPCs, with their 1-based occurrence numbers.
    struct OrderGroup {
        var orc: HL7Segment
        var orcSequence: Int
        var tq1: HL7Segment?
        var tq1Sequence = 0
        var obr: HL7Segment?
        var obrSequence = 0
        var ipcs: [HL7Segment] = []
        var ipcSequence = 0
    }

    let segments: [HL7Segment]

    var pid: HL7Segment? { segments.first { $0.name == "PID" } }
    var pv1: HL7Segment? { segments.first { $0.name == "PV1" } }

    func orderGroups() -> [OrderGroup] {
        var groups: [OrderGroup] = []
        var counts: [String: Int] = [:]
        for segment in segments {
            let sequence = counts[segment.name, default: 0] + 1
            counts[segment.name] = sequence
            switch segment.name {
            case "ORC":
                groups.append(OrderGroup(orc: segment, orcSequence: sequence))
            case "TQ1" where groups.last?.tq1 == nil && groups.last?.obr == nil:
                groups[groups.count - 1].tq1 = segment
                groups[groups.count - 1].tq1Sequence = sequence
            case "OBR" where !groups.isEmpty:
                groups[groups.count - 1].obr = segment
                groups[groups.count - 1].obrSequence = sequence
            case "IPC" where !groups.isEmpty:
                if groups[groups.count - 1].ipcs.isEmpty { groups[groups.count - 1].ipcSequence = sequence }
                groups[groups.count - 1].ipcs.append(segment)
            default:
                break
            }
        }
        return groups
    }
}

/// HL7 DT and DTM values of incoming orders.
enum OrderTime {
    /// `YYYYMMDD` with a valid month and day (a DTM's date part is accepted too).
    static func isDate(_ text: String) -> Bool {
        let digits = Array(text.prefix(8))
        guard digits.count == 8, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return false }
        guard text.count == 8 || parse(text) != nil else { return false }
        let month = Int(String(digits[4...5])) ?? 0
        let day = Int(String(digits[6...7])) ?? 0
        return (1...12).contains(month) && (1...31).contains(day)
    }

    /// Parses `YYYYMMDD[HH[MM[SS[.S…]]]][+/-ZZZZ]`; without an offset the time is read in `timeZone`.
    static func parse(_ text: String, timeZone: TimeZone = .current) -> Date? {
        var body = Substring(text)
        var offsetSeconds: Int?
        if let signIndex = body.firstIndex(where: { $0 == "+" || $0 == "-" }) {
            let offset = body[body.index(after: signIndex)...]
            guard offset.count == 4, offset.allSatisfy({ $0.isASCII && $0.isNumber }),
                let hours = Int(offset.prefix(2)), let minutes = Int(offset.suffix(2)), hours <= 14, minutes < 60
            else { return nil }
            offsetSeconds = (hours * 3600 + minutes * 60) * (body[signIndex] == "-" ? -1 : 1)
            body = body[..<signIndex]
        }
        if let dot = body.firstIndex(of: ".") {
            let fraction = body[body.index(after: dot)...]
            guard !fraction.isEmpty, fraction.count <= 4, fraction.allSatisfy({ $0.isASCII && $0.isNumber }),
                body.distance(from: body.startIndex, to: dot) == 14
            else { return nil }
            body = body[..<dot]
        }
        guard [8, 10, 12, 14].contains(body.count), body.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let digits = Array(body)
        func number(_ range: Range<Int>) -> Int { range.upperBound <= digits.count ? Int(String(digits[range]))! : 0 }
        var parts = DateComponents()
        parts.year = number(0..<4)
        parts.month = number(4..<6)
        parts.day = number(6..<8)
        parts.hour = number(8..<10)
        parts.minute = number(10..<12)
        parts.second = number(12..<14)
        guard let month = parts.month, (1...12).contains(month), let day = parts.day, (1...31).contains(day),
            let hour = parts.hour, hour < 24, let minute = parts.minute, minute < 60, let second = parts.second,
            second < 60
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = offsetSeconds.flatMap { TimeZone(secondsFromGMT: $0) } ?? timeZone
        guard let date = calendar.date(from: parts),
            calendar.component(.day, from: date) == day, calendar.component(.month, from: date) == month
        else { return nil }
        return date
    }
}
