import ArgumentParser
import Foundation
import RadScribeCore
import ReportStore
import ReportTemplates

struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Report templates (IHE MRRT): list, show, import, export.",
        subcommands: [List.self, Show.self, Import.self, Export.self, For.self, Map.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the templates in the database: id, newest version, number of versions, title."
        )

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reportingErrors {
                let store = try database.open()
                let counts = try store.templateVersionCounts()
                for template in try store.templates() {
                    let count = counts[template.slug] ?? 1
                    let versions = count == 1 ? "1 version" : "\(count) versions"
                    Console.write("\(template.slug)\tv\(template.version)\t\(versions)\t\(template.title)\n")
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a template's sections and fields: types, defaults, options, units, ranges, flags."
        )

        @Argument(help: "Template id, as `radscribe template list` prints it.")
        var id: String

        @Option(help: "Show this version instead of the newest.")
        var version: Int?

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            if let version, version < 1 { throw ValidationError("--version must be 1 or more") }
        }

        func run() throws {
            try reportingErrors {
                let store = try database.open()
                let stored = try TemplateLookup.stored(id, version: version, in: store)
                let template = try BundledTemplates.parse(stored)
                Console.write(TemplateDescription(stored: stored, template: template).text)
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import an MRRT template file as a new version; says what was repaired or skipped.",
            discussion: """
                Real templates deviate from MRRT (XML inside comments, <textarea> fields, unclosed elements, \
                old code spellings); these are read anyway and each repair is printed as a `note:` line. \
                A template that cannot be read (no sections, a section without a name, no identifier, …) is \
                rejected with the reason and line, exit code 65, and nothing is stored.
                """
        )

        @Argument(help: "The template's HTML file.")
        var file: String

        @Option(name: .customLong("id"), help: "Template id to store it under (default: from the file name).")
        var slug: String?

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            if let slug, !TemplateLookup.isValidSlug(slug) {
                throw ValidationError("--id must be lowercase letters and digits separated by single dashes, e.g. ct-head")
            }
        }

        func run() throws {
            try reportingErrors {
                let url = URL(fileURLWithPath: file)
                guard FileManager.default.fileExists(atPath: url.path) else {
                    throw CLIError(description: "no such template file: \(file)", exitCode: ExitStatus.notFound)
                }
                let html: String
                do {
                    html = String(decoding: try Data(contentsOf: url), as: UTF8.self)
                } catch {
                    throw CLIError(description: "cannot read \(file): \(error.localizedDescription)", exitCode: ExitStatus.notFound)
                }
                let slug = self.slug ?? TemplateLookup.slug(forFile: url)
                guard TemplateLookup.isValidSlug(slug) else {
                    throw CLIError(
                        description: "cannot make a template id from the file name \(url.lastPathComponent); give one with --id",
                        exitCode: ExitStatus.usage
                    )
                }
                // Parse before opening the database, so a broken template leaves no trace at all.
                let parsed: TemplateParseResult
                do {
                    parsed = try ReportTemplate.parse(html: html)
                } catch let error as TemplateError {
                    throw CLIError(description: "\(url.lastPathComponent) rejected: \(error)", exitCode: ExitStatus.badInput)
                }
                try TemplateCommand.refuseBundled(slug, unless: html)
                for note in parsed.notes { Console.write("note: \(note)\n") }
                let store = try database.open()
                let result = try store.storeTemplate(
                    slug: slug, identifier: parsed.template.identifier, title: parsed.template.title, html: html
                )
                let template = parsed.template
                let fieldCount = template.sections.reduce(0) { $0 + $1.allFields.count }
                let repairs = parsed.notes.isEmpty ? "no repairs" : "\(parsed.notes.count) note(s) above"
                if result.isNewVersion {
                    Console.write(
                        "imported \(slug) v\(result.template.version): \(template.title) "
                            + "(\(template.sections.count) sections, \(fieldCount) fields; \(repairs))\n"
                    )
                } else {
                    Console.write("unchanged: \(slug) v\(result.template.version) already holds this template\n")
                }
            }
        }
    }

    /// A bundled template's id is kept in step with `Templates/` on every run, so an import under it
    /// would be replaced again at once; refuse it unless the text is the bundled text.
    private static func refuseBundled(_ slug: String, unless html: String) throws {
        guard let resources = try? ResourceLocator.discover() else { return }
        let bundled = resources.templatesDirectory.appendingPathComponent("\(slug).html")
        guard let text = try? String(contentsOf: bundled, encoding: .utf8), text != html else { return }
        throw CLIError(
            description: "'\(slug)' is a bundled template (Templates/\(slug).html); import under another --id",
            exitCode: ExitStatus.usage
        )
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a stored template's HTML (the newest version unless --version)."
        )

        @Argument(help: "Template id, as `radscribe template list` prints it.")
        var id: String

        @Option(help: "Export this version instead of the newest.")
        var version: Int?

        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
        var output: String?

        @Flag(help: "Write the template as clean MRRT regenerated from what RadScribe read, not the stored text.")
        var canonical = false

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            if let version, version < 1 { throw ValidationError("--version must be 1 or more") }
        }

        func run() throws {
            try reportingErrors {
                let store = try database.open()
                let stored = try TemplateLookup.stored(id, version: version, in: store)
                let html = canonical ? try BundledTemplates.parse(stored).mrrtHTML() : stored.html
                guard let output else {
                    Console.write(html)
                    return
                }
                do {
                    try Data(html.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
                } catch {
                    throw CLIError(
                        description: "cannot write \(output): \(error.localizedDescription)", exitCode: ExitStatus.ioError
                    )
                }
                Console.error("wrote \(output) (\(stored.slug) v\(stored.version))")
            }
        }
    }
}

/// Finding stored templates by id and version, and ids for imported files.
enum TemplateLookup {
    static func stored(_ slug: String, version: Int?, in store: ReportDatabase) throws -> StoredTemplate {
        if let version {
            if let stored = try store.template(slug: slug, version: version) { return stored }
            let versions = try store.templateVersions(slug: slug).map(\.version)
            if !versions.isEmpty {
                let list = versions.map { "v\($0)" }.joined(separator: ", ")
                throw CLIError(
                    description: "template '\(slug)' has no version \(version) (it has \(list))",
                    exitCode: ExitStatus.notFound
                )
            }
        } else if let stored = try store.template(slug: slug) {
            return stored
        }
        let known = try store.templates().map(\.slug)
        throw CLIError(
            description: "no template '\(slug)' (known: \(known.joined(separator: ", "))); see `radscribe template list`",
            exitCode: ExitStatus.notFound
        )
    }

    /// Lowercase letters and digits in dash-separated runs: `ct-head`.
    static func isValidSlug(_ slug: String) -> Bool {
        !slug.isEmpty && slug.split(separator: "-", omittingEmptySubsequences: false).allSatisfy { part in
            !part.isEmpty && part.allSatisfy { ($0.isLetter && $0.isLowercase && $0.isASCII) || ($0.isNumber && $0.isASCII) }
        }
    }

    /// `CT_Brain.html` → `ct-brain`.
    static func slug(forFile url: URL) -> String {
        TemplateSection.key(forName: url.deletingPathExtension().lastPathComponent)
    }
}

/// The text `template show` prints.
struct TemplateDescription {
    var stored: StoredTemplate
    var template: ReportTemplate

    var text: String {
        var out = "\(stored.slug) v\(stored.version): \(template.title)\n"
        out += "identifier: \(template.identifier)\n"
        if let description = template.metadata.description { out += "description: \(description)\n" }
        if !template.codes.isEmpty {
            out += "codes: " + template.codes.map { "\($0.value) \($0.meaning) (\($0.scheme))" }.joined(separator: "; ") + "\n"
        }
        for section in template.sections { describe(section, depth: 0, into: &out) }
        return out
    }

    private func describe(_ section: TemplateSection, depth: Int, into out: inout String) {
        let indent = String(repeating: "  ", count: depth)
        var heading = "\n\(indent)\(section.name.uppercased())"
        var flags: [String] = []
        if let code = section.loincCode { flags.append("LOINC \(code)") }
        if section.isRequired { flags.append("required") }
        if let latitude = section.signatureLatitude { flags.append(latitude.rawValue) }
        if !flags.isEmpty { heading += " [\(flags.joined(separator: ", "))]" }
        out += heading + "\n"
        for field in section.fields { out += describe(field, indent: indent + "  ") }
        for subsection in section.subsections { describe(subsection, depth: depth + 1, into: &out) }
    }

    private func describe(_ field: TemplateField, indent: String) -> String {
        if field.kind == .staticText { return "\(indent)(text) \(field.defaultValue ?? "")\n" }
        let name = field.label ?? field.name ?? field.id ?? "(unnamed)"
        var parts = [kindName(field.kind)]
        if let units = field.units, !units.isEmpty { parts.append(units) }
        if field.minimum != nil || field.maximum != nil {
            let low = field.minimum.map(Self.number) ?? "…"
            let high = field.maximum.map(Self.number) ?? "…"
            parts.append("\(low) to \(high)")
        }
        if field.isRequired { parts.append("required") }
        if let latitude = field.signatureLatitude { parts.append(latitude.rawValue) }
        if field.isMergeField { parts.append("merge \(field.mergeIdentifier ?? "(no identifier)")") }
        var line = "\(indent)\(name): \(parts.joined(separator: ", "))"
        if field.kind == .checkbox {
            line += field.defaultValue == "checked" ? " = checked" : " = unchecked"
        } else if let value = field.defaultValue, !value.isEmpty {
            line += " = \(value)"
        }
        line += "\n"
        for option in field.options {
            line += "\(indent)  [\(option.isSelected ? "x" : " ")] \(option.text)\n"
        }
        return line
    }

    private func kindName(_ kind: TemplateField.Kind) -> String {
        switch kind {
        case .text: "text"
        case .number: "number"
        case .date: "date"
        case .time: "time"
        case .checkbox: "checkbox"
        case .selection: "selection"
        case .multipleSelection: "multiple selection"
        case .longText: "long text"
        case .staticText: "fixed text"
        }
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

extension TemplateCommand {
    struct For: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "for",
            abstract: "Print the template an order's report uses, and why.",
            discussion: "By the order's RadLex Playbook code first (a template that states it serves the code), then "
                + "by the code's modality and body region, then by the site's own table (`radscribe template map`). "
                + "Exit 0 with `SLUG<TAB>why`; 66 when the order is unknown or nothing maps it."
        )

        @Argument(help: "Accession number.")
        var accession: String

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reportingErrors {
                let store = try database.open()
                guard let order = try store.order(accession: accession) else {
                    throw CLIError(description: "no order with accession \(accession)", exitCode: ExitStatus.notFound)
                }
                guard let choice = try TemplateSelection.choice(for: order, store: store) else {
                    throw CLIError(
                        description: "no template for \(accession) (procedure \(order.procedureCode) "
                            + "\"\(order.procedureName)\"): it has no Playbook code a template serves; map it with "
                            + "`radscribe template map \(order.procedureCode) SLUG`",
                        exitCode: ExitStatus.notFound
                    )
                }
                Console.write("\(choice.slug)\t\(choice.reason)\n")
            }
        }
    }

    struct Map: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The site's own procedure code → template table (for RIS codes that name no Playbook procedure).",
            discussion: "`template map CODE SLUG` maps a code, `template map CODE --remove` removes it, "
                + "`template map` lists the table."
        )

        @Argument(help: "The RIS's procedure code (OBR-4.1).")
        var code: String?

        @Argument(help: "Template id, as `radscribe template list` prints it.")
        var slug: String?

        @Flag(help: "Remove the mapping of CODE.")
        var remove = false

        @Option(name: .customLong("as"), help: "Who makes the change (a user name; default: the OS account).")
        var actingUser: String?

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            if remove, code == nil || slug != nil { throw ValidationError("--remove takes a CODE and no SLUG") }
            if !remove, code != nil, slug == nil { throw ValidationError("give CODE and SLUG, or CODE --remove") }
        }

        func run() throws {
            try reportingErrors {
                let store = try database.open()
                if let code {
                    try store.mapProcedure(code, toTemplate: remove ? nil : slug, by: actingUser ?? "os:" + NSUserName())
                    Console.write(remove ? "removed \(code)\n" : "mapped \(code) to \(slug ?? "")\n")
                } else {
                    for (code, slug) in try store.procedureTemplates().sorted(by: { $0.key < $1.key }) {
                        Console.write("\(code)\t\(slug)\n")
                    }
                }
            }
        }
    }
}

/// The template of an order, from the stored templates, the bundled Playbook table and the site's table.
enum TemplateSelection {
    static func choice(for order: ImagingOrder, store: ReportDatabase) throws -> TemplateChoice? {
        var templates: [String: ReportTemplate] = [:]
        for stored in try store.templates() {
            templates[stored.slug] = try BundledTemplates.parse(stored)
        }
        let playbook = try PlaybookProcedures.bundled(templatesDirectory: try ResourceLocator.discover().templatesDirectory)
        return TemplateChoice.choose(
            for: order, templates: templates, playbook: playbook, siteTable: try store.procedureTemplates()
        )
    }
}
