import Foundation
import RadScribeCore

/// Builds HL7 v2.5.1 ORU^R01 result messages from report snapshots.
///
/// The message is `MSH PID PV1 ORC OBR {OBX}`: one TX observation per non-empty section. Each line of a section is
/// one repetition of OBX-5 (leading spaces kept, blank lines kept as empty repetitions), so no line break ever
/// appears inside a field. Lines longer than ``maxLineLength`` are wrapped after a space (or between characters when
/// there is none); the pieces concatenated give back the line exactly. A section whose escaped OBX-5 would exceed
/// ``maxObservationLength`` continues in further OBX rows with the same OBX-3. OBX-4 (sub-ID) counts the rows that
/// share one OBX-3 code: 1, 2, …
///
/// Sections without a LOINC code are coded locally as `key^Title^L` (table 0396 `L`, local general code), so the
/// receiver still tells them apart; a section keyed `addendum` without a code is the addendum, `55107-7`. An addended
/// report goes out as a correction (result status `C`, v2.5.1 has no addendum status) carrying that section.
///
/// With ``ObservationFormat/formattedText`` each OBX-5 is one FT value whose lines are joined with `\.br\`; rows
/// are filled up to ``maxObservationLength`` at line boundaries (a longer line is cut into several rows).
///
/// Coded findings follow the narrative, each as a group of coded OBX rows sharing one OBX-4 sub-ID (see
/// ``findingRows(_:number:status:observed:)`` for the codes and why presence is expressed as it is).
///
/// Other choices: OBR-7 and every OBX-14 hold the exam time (`observedAt`), OBR-22 the status change; placer and
/// filler numbers are echoed as one escaped text value each (EI.1); OBR-32 names the signer as `ID&&&&&&` whenever
/// `signedBy` is set. Timestamps are DTM with seconds and the offset of ``timeZone``.
public struct ORUBuilder: Sendable {
    /// How section text is sent: TX (display lines as repetitions) or FT (`\.br\` line breaks).
    public enum ObservationFormat: String, Sendable, Hashable, CaseIterable {
        /// OBX-2 `TX`: one repetition of OBX-5 per display line; leading spaces are significant.
        case text = "TX"
        /// OBX-2 `FT`: one value per row, lines joined with the `\.br\` formatting command.
        case formattedText = "FT"
    }

    /// OBX-2 of coded-finding rows.
    public enum CodedValueType: String, Sendable, Hashable, CaseIterable {
        /// `CE`, the coded type of HL7 2.5.1 table 0125 (the default: strict 2.5.1 validators reject `CWE` there).
        case ce = "CE"
        /// `CWE`, the name v2.6+ uses; components 1–6 are the same as CE's.
        case cwe = "CWE"
    }

    /// The HL7 table 0211 character sets MSH-18 may name (empty means ASCII).
    public static let characterSets: Set<String> = [
        "ASCII", "8859/1", "8859/2", "8859/3", "8859/4", "8859/5", "8859/6", "8859/7", "8859/8", "8859/9", "8859/15",
        "UNICODE", "UNICODE UTF-8", "UNICODE UTF-16", "UNICODE UTF-32", "BIG-5", "CNS 11643-1992", "GB 18030-2000",
        "ISO IR14", "ISO IR159", "ISO IR87", "KS X 1001",
    ]

    /// MSH-11 processing ID (HL7 table 0103).
    public enum ProcessingID: String, Sendable, Hashable, CaseIterable {
        case production = "P"
        case training = "T"
        case debugging = "D"
    }

    /// MSH-3, the sending application.
    public var sendingApplication: String
    /// MSH-4, the sending facility.
    public var sendingFacility: String
    /// MSH-5, the receiving application (the RIS).
    public var receivingApplication: String
    /// MSH-6, the receiving facility.
    public var receivingFacility: String
    /// MSH-11, production, training or debugging.
    public var processingID: ProcessingID
    /// MSH-18, an HL7 table 0211 value such as `UNICODE UTF-8` or `8859/1`; empty means ASCII, which then requires
    /// ASCII-only report and patient text.
    public var characterSet: String
    /// PID-3.4, the authority that assigned the MRN; may be empty.
    public var patientIDAuthority: String
    /// The time zone whose offset timestamps carry.
    public var timeZone: TimeZone
    /// The longest OBX-5 repetition (one display line), in UTF-8 bytes of escaped text; at least 32.
    ///
    /// TX lines are display lines, and 80 columns suit every viewer. Keep it at most 199: strict validators such
    /// as hl7apy read each OBX-5 component as ST, whose limit is 199, and reject longer lines.
    public var maxLineLength: Int
    /// The longest OBX-5, in UTF-8 bytes of escaped text, before a section continues in another OBX row; at least 64.
    public var maxObservationLength: Int
    /// TX or FT for section text, chosen per destination (agree it with the RIS).
    public var observationFormat: ObservationFormat
    /// OBX-2 of coded-finding rows.
    public var codedValueType: CodedValueType

    /// Creates a builder; the defaults suit a production feed in UTF-8.
    public init(
        sendingApplication: String = "RADSCRIBE",
        sendingFacility: String = "",
        receivingApplication: String = "",
        receivingFacility: String = "",
        processingID: ProcessingID = .production,
        characterSet: String = "UNICODE UTF-8",
        patientIDAuthority: String = "",
        timeZone: TimeZone = .current,
        maxLineLength: Int = 80,
        maxObservationLength: Int = 65_536,
        observationFormat: ObservationFormat = .text,
        codedValueType: CodedValueType = .ce
    ) {
        self.sendingApplication = sendingApplication
        self.sendingFacility = sendingFacility
        self.receivingApplication = receivingApplication
        self.receivingFacility = receivingFacility
        self.processingID = processingID
        self.characterSet = characterSet
        self.patientIDAuthority = patientIDAuthority
        self.timeZone = timeZone
        self.maxLineLength = maxLineLength
        self.maxObservationLength = maxObservationLength
        self.observationFormat = observationFormat
        self.codedValueType = codedValueType
    }

    /// Builds the ORU^R01 message for one report snapshot.
    /// - Parameters:
    ///   - report: the report; its status gives OBR-25 and every OBX-11.
    ///   - controlID: MSH-10, e.g. from ``MessageControlID/generate(at:)``.
    ///   - time: MSH-7, when the message is created.
    /// - Returns: the message; `er7` gives its wire text.
    public func build(_ report: ReportSnapshot, controlID: String, at time: Date) -> HL7Message {
        let order = report.order
        let status = report.status.hl7ResultStatus
        let observed = HL7Timestamp.format(report.observedAt, in: timeZone)
        let changed = HL7Timestamp.format(report.statusChangedAt, in: timeZone)

        var msh = Fields(count: 18)
        msh[3] = escape(sendingApplication)
        msh[4] = escape(sendingFacility)
        msh[5] = escape(receivingApplication)
        msh[6] = escape(receivingFacility)
        msh[7] = HL7Timestamp.format(time, in: timeZone)
        msh[9] = "ORU^R01^ORU_R01"
        msh[10] = escape(controlID)
        msh[11] = processingID.rawValue
        msh[12] = "2.5.1"
        msh[18] = escape(characterSet)

        let patient = order.patient
        var pid = Fields(count: 8)
        pid[1] = "1"
        pid[3] = components(patient.mrn, "", "", patientIDAuthority, "MR")
        pid[5] = components(patient.familyName, patient.givenName)
        pid[7] = escape(patient.birthDate)
        pid[8] = patient.sex.rawValue

        var pv1 = Fields(count: 2)
        pv1[1] = "1"
        pv1[2] = "O"

        var orc = Fields(count: 5)
        orc[1] = "RE"
        orc[2] = escape(order.placerOrderNumber)
        orc[3] = escape(order.fillerOrderNumber)
        orc[5] = "CM"

        var obr = Fields(count: 35)
        obr[1] = "1"
        obr[2] = escape(order.placerOrderNumber)
        obr[3] = escape(order.fillerOrderNumber)
        obr[4] = components(order.procedureCode, order.procedureName, Self.fixedFieldCodingSystem(order.procedureCodingSystem))
        obr[7] = observed
        obr[22] = changed
        obr[24] = "RAD"
        obr[25] = status
        if let radiologist = report.signedBy, !radiologist.isEmpty {
            // NDL.1 is a CNN whose parts are subcomponents: ID&family&given&middle&suffix&prefix&degree.
            obr[32] = escape(radiologist) + String(repeating: "&", count: 6)
        }
        if let transcriptionist = report.transcriptionist, !transcriptionist.isEmpty {
            obr[35] = escape(transcriptionist) + String(repeating: "&", count: 6)
        }

        var segments = [
            HL7Segment("MSH", fields: msh.values),
            HL7Segment("PID", fields: pid.values),
            HL7Segment("PV1", fields: pv1.values),
            HL7Segment("ORC", fields: orc.values),
            HL7Segment("OBR", fields: obr.values),
        ]

        var sections = report.sections
        if let addendum = report.addendum, !sections.contains(where: { $0.key == "addendum" }) {
            sections.append(ReportSection(key: "addendum", title: "Addendum", loincCode: nil, loincName: nil, text: addendum))
        }
        var subIDs: [String: Int] = [:]
        for section in sections {
            let code = observationIdentifier(for: section)
            let values = observationFormat == .text ? observationValues(section.text) : formattedValues(section.text)
            for value in values {
                let subID = subIDs[code, default: 0] + 1
                subIDs[code] = subID
                var obx = Fields(count: 14)
                obx[1] = String(segments.count - 4)
                obx[2] = observationFormat.rawValue
                obx[3] = code
                obx[4] = String(subID)
                obx[5] = value
                obx[11] = status
                obx[14] = observed
                segments.append(HL7Segment("OBX", fields: obx.values))
            }
        }
        for (index, finding) in report.findings.enumerated() {
            for var obx in findingRows(finding, number: index + 1, status: status, observed: observed) {
                obx[1] = String(segments.count - 4)
                segments.append(HL7Segment("OBX", fields: obx.values))
            }
        }
        return HL7Message(segments: segments)
    }

    /// The coded OBX rows of one finding, all with OBX-4 = `number` so a receiver groups them.
    ///
    /// 1. OBX-3 `121071^Finding^DCM` (the DICOM SR concept for a coded finding); OBX-5 the concept as
    ///    `RID…^term^RADLEX^id^term^L` when the RadLex mapping is verified, else `id^term^L`; OBX-8 `A` when the
    ///    finding is present, `N` when the report states it absent, empty when uncertain.
    /// 2. OBX-3 `FINDING-CONTEXT^Finding context^L`; OBX-5 the SNOMED CT finding context: `410515003^Known present`,
    ///    `410516002^Known absent` or `410590009^Known possible`.
    /// 3. When the side is known, OBX-3 `LATERALITY^Laterality^L`; OBX-5 SNOMED CT `7771000^Left`, `24028007^Right`
    ///    or `51440002^Right and left`.
    ///
    /// Why: a negated finding ("no pleural effusion") must never read as a positive code to a receiver that only
    /// looks at OBX-5, and table 0078 (OBX-8) has no value for "uncertain". The abnormal flag serves receivers
    /// that read flags only (absent → normal is the usual reading of a pertinent negative), and the finding-context
    /// row carries the exact assertion, uncertainty included, in a standard terminology. 2.5.1 OBX has no site field
    /// (OBX-20 came in 2.7), hence the laterality row. The row codes are local (`L`) because v2.5.1 table 0396 has
    /// no SNOMED CT mnemonic that strict validators accept in OBX-3; the values in OBX-5 name `SCT` and `RADLEX`
    /// as HL7's later tables do.
    private func findingRows(_ finding: ReportFinding, number: Int, status: String, observed: String) -> [Fields] {
        func row(_ code: String, _ value: String, flag: String = "") -> Fields {
            var obx = Fields(count: 14)
            obx[2] = codedValueType.rawValue
            obx[3] = code
            obx[4] = String(number)
            obx[5] = value
            obx[8] = flag
            obx[11] = status
            obx[14] = observed
            return obx
        }
        let local = components(finding.conceptID, finding.term, "L")
        let value: String
        if let rid = finding.radlexID, !rid.isEmpty {
            value = components(rid, finding.term, "RADLEX") + "^" + local
        } else {
            value = local
        }
        let (flag, context): (String, String) =
            switch finding.presence {
            case .present: ("A", "410515003^Known present^SCT")
            case .absent: ("N", "410516002^Known absent^SCT")
            case .uncertain: ("", "410590009^Known possible^SCT")
            }
        var rows = [
            row("121071^Finding^DCM", value, flag: flag),
            row("FINDING-CONTEXT^Finding context^L", context),
        ]
        if let laterality = finding.laterality {
            let side: String
            switch laterality {
            case .left: side = "7771000^Left^SCT"
            case .right: side = "24028007^Right^SCT"
            case .bilateral: side = "51440002^Right and left^SCT"
            }
            rows.append(row("LATERALITY^Laterality^L", side))
        }
        return rows
    }

    /// The escaped FT values for a section's text: lines joined with `\.br\`, rows filled up to the length limit
    /// at line boundaries; a line longer than the limit is cut into rows of its own. Returns no value for blank text.
    private func formattedValues(_ text: String) -> [String] {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        let isBlank: (String) -> Bool = { $0.allSatisfy(\.isWhitespace) }
        while let first = lines.first, isBlank(first) { lines.removeFirst() }
        while let last = lines.last, isBlank(last) { lines.removeLast() }
        if lines.isEmpty { return [] }

        let limit = max(maxObservationLength, 64)
        let lineBreak = "\\.br\\"
        var values: [String] = []
        var current: String?
        for line in lines {
            let parts = pieces(of: line, limit: limit)
            if parts.count == 1, let part = parts.first {
                if let text = current, text.utf8.count + lineBreak.utf8.count + part.utf8.count <= limit {
                    current = text + lineBreak + part
                } else {
                    if let text = current { values.append(text) }
                    current = part
                }
            } else {
                if let text = current { values.append(text) }
                values.append(contentsOf: parts.dropLast())
                current = parts.last
            }
        }
        if let text = current { values.append(text) }
        return values
    }

    /// OBX-3: the LOINC code when the section has one, else a local code made of the section key.
    private func observationIdentifier(for section: ReportSection) -> String {
        if let code = section.loincCode, !code.isEmpty {
            return components(code, section.loincName ?? section.title, "LN")
        }
        if section.key == "addendum" {
            return components("55107-7", "Addendum", "LN")
        }
        return components(section.key.isEmpty ? section.title : section.key, section.title, "L")
    }

    /// The escaped OBX-5 values for a section's text: lines as repetitions, split to respect the length limit.
    /// Returns no value for blank text.
    private func observationValues(_ text: String) -> [String] {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        let isBlank: (String) -> Bool = { $0.allSatisfy(\.isWhitespace) }
        while let first = lines.first, isBlank(first) { lines.removeFirst() }
        while let last = lines.last, isBlank(last) { lines.removeLast() }
        if lines.isEmpty { return [] }

        let limit = max(maxObservationLength, 64)
        let lineLimit = min(max(maxLineLength, 32), limit)
        var values: [String] = []
        var current: [String] = []
        var currentLength = 0
        func flush() {
            if !current.isEmpty { values.append(current.joined(separator: "~")) }
            current = []
            currentLength = 0
        }
        for line in lines {
            for piece in pieces(of: line, limit: lineLimit) {
                let length = piece.utf8.count
                let added = current.isEmpty ? length : length + 1
                if currentLength + added > limit { flush() }
                currentLength += current.isEmpty ? length : length + 1
                current.append(piece)
            }
        }
        flush()
        return values
    }

    /// Escapes `line`, cutting it into pieces of at most `limit` escaped bytes, preferably after a space.
    private func pieces(of line: String, limit: Int) -> [String] {
        let escaped = escape(line)
        if escaped.utf8.count <= limit { return [escaped] }
        var pieces: [String] = []
        var piece = ""
        var length = 0
        // Escaped bytes of `piece` up to and including its last whitespace, where a cut reads best.
        var lastBreak: Int?
        for character in line {
            let part = escape(String(character))
            while length + part.utf8.count > limit, !piece.isEmpty {
                let cut = lastBreak ?? length
                pieces.append(String(decoding: piece.utf8.prefix(cut), as: UTF8.self))
                piece = String(decoding: piece.utf8.dropFirst(cut), as: UTF8.self)
                length -= cut
                lastBreak = nil
            }
            piece += part
            length += part.utf8.count
            if character.isWhitespace { lastBreak = length }
        }
        if !piece.isEmpty { pieces.append(piece) }
        return pieces
    }

    private func escape(_ text: String) -> String { HL7Escaping.escape(text) }

    /// Escapes each part and joins them as components, leaving out trailing empty ones.
    private func components(_ parts: String...) -> String {
        var escaped = parts.map(escape)
        while escaped.last?.isEmpty == true { escaped.removeLast() }
        return escaped.joined(separator: "^")
    }
}

/// Fields 1…count of a segment under construction, addressed by HL7 field number.
private struct Fields {
    var values: [String]
    init(count: Int) { values = Array(repeating: "", count: count) }
    subscript(number: Int) -> String {
        get { values[number - 1] }
        set { values[number - 1] = newValue }
    }
}

extension ORUBuilder {
    /// The coding system to write in a CE field whose table strict receivers check (OBR-4.3, table 0396). HL7 2.5.1's
    /// table 0396 has no RadLex entry (nor do the tables of 2.6 to 2.8.2 that hl7apy ships), so a RadLex Playbook
    /// procedure code goes as `RPID…^name^L`: the code stays RadLex's, recognizable by its `RPID` prefix, and a strict
    /// 2.5.1 receiver accepts the message. Coded findings in OBX-5 keep `RADLEX` beside the local code.
    static func fixedFieldCodingSystem(_ system: String) -> String {
        system.uppercased() == "RADLEX" ? "L" : system
    }
}
