import Foundation
import RadScribeCore

/// The RadLex Playbook procedure codes that resolve to a bundled template (`Templates/playbook-procedures.tsv`, made
/// by `scripts/map-playbook.py` from RSNA's Playbook): each code the template is written for (`served`), and the
/// codes that differ from one of those only in contrast, laterality, population, views or extent (`region`: same
/// modality and body region, so the same report).
public struct PlaybookProcedures: Sendable {
    public enum Match: String, Sendable {
        case served
        case region
    }

    public struct Entry: Sendable, Hashable {
        public var rpid: String
        public var shortCode: String
        public var name: String
        public var template: String
        public var match: Match
    }

    public let entries: [Entry]
    private let byCode: [String: Entry]
    private let byName: [String: Entry]

    public init(entries: [Entry]) {
        self.entries = entries
        byCode = Dictionary(entries.map { ($0.rpid, $0) }, uniquingKeysWith: { first, _ in first })
        var names: [String: Entry] = [:]
        for entry in entries {
            names[Self.normalized(entry.name)] = names[Self.normalized(entry.name)] ?? entry
            names[Self.normalized(entry.shortCode)] = names[Self.normalized(entry.shortCode)] ?? entry
        }
        byName = names
    }

    /// Reads the table; a malformed line is an error naming it.
    public init(contentsOf url: URL) throws {
        var entries: [Entry] = []
        let text = try String(contentsOf: url, encoding: .utf8)
        for (index, line) in text.split(separator: "\n").enumerated() where !line.hasPrefix("#") && !line.hasPrefix("rpid\t") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 5, TemplateCode.isPlaybookCode(fields[0]), let match = Match(rawValue: fields[4]) else {
                throw TemplateError.unreadableFile(
                    url.path, "line \(index + 1) is not RPID, short code, name, template, served|region"
                )
            }
            entries.append(Entry(rpid: fields[0], shortCode: fields[1], name: fields[2], template: fields[3], match: match))
        }
        self.init(entries: entries)
    }

    /// The bundled table beside the templates.
    public static func bundled(templatesDirectory: URL) throws -> PlaybookProcedures {
        try PlaybookProcedures(contentsOf: templatesDirectory.appendingPathComponent("playbook-procedures.tsv"))
    }

    public func entry(rpid: String) -> Entry? { byCode[rpid.uppercased()] }

    /// The Playbook code of an order: its procedure code when that is one (sent by the RIS, or given to `order
    /// add`), else the code whose Playbook name or short code is the order's procedure name.
    public func code(for order: ImagingOrder) -> Entry? {
        if TemplateCode.isPlaybookCode(order.procedureCode.uppercased()) {
            return entry(rpid: order.procedureCode) ?? Entry(
                rpid: order.procedureCode.uppercased(), shortCode: "", name: order.procedureName, template: "", match: .served
            )
        }
        return byName[Self.normalized(order.procedureName)]
    }

    static func normalized(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: " ")
    }
}

/// Which template an order's report uses, and why: by its RadLex Playbook code first (a template that states it
/// serves the code), then by the code's modality and body region (a template serving a code that differs only in
/// contrast, views or extent), then by the site's own table of procedure codes. Nothing is guessed from words.
public struct TemplateChoice: Sendable, Hashable, CustomStringConvertible {
    public var slug: String
    /// Why, in a sentence.
    public var reason: String

    public var description: String { "\(slug): \(reason)" }

    /// - Parameters:
    ///   - templates: the templates available (slug → template), for the codes they state.
    ///   - siteTable: procedure code → template slug, the site's own mapping.
    /// - Returns: the choice, or nil when nothing maps the order.
    public static func choose(
        for order: ImagingOrder, templates: [String: ReportTemplate], playbook: PlaybookProcedures,
        siteTable: [String: String]
    ) -> TemplateChoice? {
        if let code = playbook.code(for: order) {
            let how = TemplateCode.isPlaybookCode(order.procedureCode.uppercased())
                ? "the order's Playbook code \(code.rpid)" : "\(code.rpid) (the Playbook code of \"\(order.procedureName)\")"
            if let slug = templates.keys.sorted().first(where: { slug in
                templates[slug]?.playbookProcedures.contains { $0.value == code.rpid } == true
            }) {
                return TemplateChoice(slug: slug, reason: "\(how) is served by this template (\(code.name))")
            }
            if code.match == .region, templates[code.template] != nil {
                return TemplateChoice(
                    slug: code.template,
                    reason: "\(how) (\(code.name)) has no template of its own; this template serves the same "
                        + "modality and body region"
                )
            }
        }
        if let slug = siteTable[order.procedureCode], templates[slug] != nil {
            return TemplateChoice(slug: slug, reason: "the site's table maps procedure code \(order.procedureCode) to it")
        }
        return nil
    }
}
