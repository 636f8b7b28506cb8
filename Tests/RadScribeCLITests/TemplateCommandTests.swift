import Foundation
import Testing
import TestSupport

/// `radscribe template import / export / list / show` against a scratch database.
@Suite("Template import, export, list and show", .integration, .tags(.validators))
struct TemplateCommandTests {
    static let samples = ["CT_Brain.html", "MR_Brain.html", "US_Abdomen_RSNA.html", "Chest_Xray-2_Views.html"]

    static func sample(_ name: String) throws -> URL {
        let url = ProjectPaths.mrrtSamples.appendingPathComponent(name)
        try #require(
            FileManager.default.fileExists(atPath: url.path),
            "MRRT sample \(url.path) is missing: these tests need the real RSNA templates (shared/mrrt-samples)"
        )
        return url
    }

    @Test(.needsShared, arguments: samples)
    func importsRealSampleAndReportsRepairs(_ name: String) throws {
        let cli = try CLIHarness("template-import")
        let file = try Self.sample(name)
        let slug = name.dropLast(5).lowercased().replacingOccurrences(of: "_", with: "-")
        let result = try cli.run(["template", "import", file.path])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let notes = result.stdout.split(separator: "\n").filter { $0.hasPrefix("note: ") }
        #expect(notes.contains { $0.contains("wrapped in an HTML comment") }, "\(result.stdout)")
        #expect(notes.contains { $0.contains("<code> element(s) are not closed") })
        #expect(notes.contains { $0.contains("<textarea> field(s)") })
        #expect(result.stdout.contains("imported \(slug) v1: "), "\(result.stdout)")

        let list = try cli.run(["template", "list"])
        #expect(list.stdout.split(separator: "\n").contains { $0.hasPrefix("\(slug)\tv1\t1 version\t") })

        // Export gives back exactly the imported text.
        let exported = try cli.run(["template", "export", slug])
        #expect(exported.exitCode == 0, "\(exported.stderr)")
        #expect(exported.stdout == (try String(contentsOf: file, encoding: .utf8)))

        let shown = try cli.run(["template", "show", slug])
        #expect(shown.exitCode == 0, "\(shown.stderr)")
        for heading in ["PROCEDURE", "CLINICAL INFORMATION", "COMPARISON", "FINDINGS", "IMPRESSION"] {
            #expect(shown.stdout.contains("\n\(heading)"), "\(heading) in \(shown.stdout)")
        }
    }

    @Test func brokenTemplateIsRejectedWithReasonAndLineAndNothingIsStored() throws {
        let cli = try CLIHarness("template-broken")
        let made = try cli.run(["template", "list"])
        #expect(made.exitCode == 0, "\(made.stderr)")
        let before = try cli.dump()

        let good = try String(contentsOf: ProjectPaths.templates.appendingPathComponent("ct-head.html"), encoding: .utf8)
        let lines = good.components(separatedBy: "\n")
        let findingsLine = try #require(lines.firstIndex { $0.contains("data-section-name=\"Findings\"") }) + 1
        let cases: [(name: String, html: String, phrase: String)] = [
            (
                "unnamed-section.html",
                good.replacingOccurrences(of: " data-section-name=\"Findings\"", with: ""),
                "line \(findingsLine): a <section> has no data-section-name"
            ),
            (
                "no-identifier.html",
                good.replacingOccurrences(of: "<meta name=\"dcterms.identifier\"", with: "<meta name=\"dcterms.other\""),
                "line 3: the template has no dcterms.identifier"
            ),
            (
                "no-sections.html",
                "<html><head><title>x</title><meta name=\"dcterms.identifier\" content=\"x\"/></head>\n<body><p>nothing</p></body></html>",
                "line 2: the template body has no <section> elements"
            ),
            ("plain.html", "just some words\n", "the input has no <html>, <body> or <section> tag"),
        ]
        for broken in cases {
            let file = cli.directory.appendingPathComponent(broken.name)
            try broken.html.write(to: file, atomically: true, encoding: .utf8)
            let result = try cli.run(["template", "import", file.path, "--id", "broken"])
            #expect(result.exitCode == 65, "\(broken.name): exit \(result.exitCode), \(result.stderr)")
            let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
            #expect(errors.count == 1, "\(broken.name): \(result.stderr)")
            #expect(result.stderr.contains("\(broken.name) rejected"), "\(result.stderr)")
            #expect(result.stderr.contains(broken.phrase), "\(broken.name): \(result.stderr)")
            #expect(!result.stdout.contains("imported"))
            #expect(try cli.dump() == before, "\(broken.name) changed the database")
        }
        let list = try cli.run(["template", "list"])
        #expect(!list.stdout.contains("broken"))
    }

    @Test func versionsAreKeptAndExportedByNumber() throws {
        let cli = try CLIHarness("template-versions")
        let original = try String(
            contentsOf: ProjectPaths.templates.appendingPathComponent("ct-chest.html"), encoding: .utf8
        )
        let file = cli.directory.appendingPathComponent("my-chest.html")
        try original.write(to: file, atomically: true, encoding: .utf8)

        let first = try cli.run(["template", "import", file.path])
        #expect(first.exitCode == 0, "\(first.stderr)")
        #expect(first.stdout.contains("imported my-chest v1: CT chest"), "\(first.stdout)")
        #expect(first.stdout.contains("no repairs"))
        #expect(!first.stdout.contains("note:"))

        let again = try cli.run(["template", "import", file.path])
        #expect(again.stdout.contains("unchanged: my-chest v1"), "\(again.stdout)")

        let changed = original.replacingOccurrences(of: "Clear. No consolidation or mass.", with: "Clear lungs.")
        try changed.write(to: file, atomically: true, encoding: .utf8)
        let second = try cli.run(["template", "import", file.path])
        #expect(second.stdout.contains("imported my-chest v2"), "\(second.stdout)")

        let list = try cli.run(["template", "list"])
        #expect(list.stdout.contains("my-chest\tv2\t2 versions\tCT chest"), "\(list.stdout)")
        #expect(try cli.run(["template", "export", "my-chest"]).stdout == changed)
        #expect(try cli.run(["template", "export", "my-chest", "--version", "1"]).stdout == original)
        let shown = try cli.run(["template", "show", "my-chest", "--version", "1"])
        #expect(shown.stdout.contains("Lungs: text, ALERT = Clear. No consolidation or mass."), "\(shown.stdout)")

        let output = cli.directory.appendingPathComponent("out.html")
        let written = try cli.run(["template", "export", "my-chest", "--output", output.path])
        #expect(written.exitCode == 0, "\(written.stderr)")
        #expect(try String(contentsOf: output, encoding: .utf8) == changed)

        let missing = try cli.run(["template", "export", "my-chest", "--version", "7"])
        #expect(missing.exitCode == 66)
        #expect(missing.stderr.contains("has no version 7 (it has v1, v2)"), "\(missing.stderr)")
        let unknown = try cli.run(["template", "export", "no-such-template"])
        #expect(unknown.exitCode == 66)
        #expect(unknown.stderr.contains("no template 'no-such-template'"))
        let absent = try cli.run(["template", "import", cli.directory.appendingPathComponent("absent.html").path])
        #expect(absent.exitCode == 66)
        let badID = try cli.run(["template", "import", file.path, "--id", "Bad Id"])
        #expect(badID.exitCode == 64)
        // A bundled template's id can't be taken over by an import (the bundled text would replace it).
        let bundled = try cli.run(["template", "import", file.path, "--id", "ct-chest"])
        #expect(bundled.exitCode == 64)
        #expect(bundled.stderr.contains("'ct-chest' is a bundled template"), "\(bundled.stderr)")
    }

    @Test func canonicalExportOfEveryBundledTemplateImportsCleanly() throws {
        let cli = try CLIHarness("template-canonical")
        let list = try cli.run(["template", "list"])
        let slugs = list.stdout.split(separator: "\n").compactMap { $0.split(separator: "\t").first.map(String.init) }
        #expect(slugs.count >= 12)
        for slug in slugs {
            let output = cli.directory.appendingPathComponent("\(slug)-copy.html")
            let exported = try cli.run(["template", "export", slug, "--canonical", "-o", output.path])
            #expect(exported.exitCode == 0, "\(slug): \(exported.stderr)")
            let imported = try cli.run(["template", "import", output.path])
            #expect(imported.exitCode == 0, "\(slug): \(imported.stderr)")
            #expect(imported.stdout.hasPrefix("imported \(slug)-copy v1: "), "\(imported.stdout)")
            #expect(imported.stdout.contains("no repairs"), "\(slug): \(imported.stdout)")
            // The copy shows the same sections and fields as the bundled template.
            let original = try cli.run(["template", "show", slug]).stdout
            let copy = try cli.run(["template", "show", "\(slug)-copy"]).stdout
            #expect(original.split(separator: "\n").dropFirst() == copy.split(separator: "\n").dropFirst())
        }
    }
}

@Suite("Orders by RadLex Playbook code and their templates", .integration, .tags(.validators))
struct PlaybookOrderTests {
    @Test("order add --procedure-code RPID16 → template for says ct-chest and why; the ORU carries RPID16 in OBR-4")
    func playbookOrder() throws {
        let cli = try CLIHarness("playbook-order")
        let added = try cli.run([
            "order", "add", "--accession", "PB1", "--mrn", "MRN-PB1", "--patient-name", "DOE^JANE",
            "--procedure-code", "RPID16", "--modality", "CT",
        ])
        #expect(added.exitCode == 0, "\(added.stderr)")
        let choice = try cli.run(["template", "for", "PB1"])
        #expect(choice.exitCode == 0, "\(choice.stderr)")
        #expect(choice.stdout.hasPrefix("ct-chest\t") && choice.stdout.contains("RPID16"), "\(choice.stdout)")

        // A local code with no Playbook name: nothing maps it until the site's table does.
        let local = try cli.run([
            "order", "add", "--accession", "PB2", "--mrn", "MRN-PB2", "--patient-name", "ROE^ANN",
            "--procedure-code", "KNEE-LOC", "--procedure-name", "Knee, our protocol", "--modality", "MR",
        ])
        #expect(local.exitCode == 0, "\(local.stderr)")
        #expect(try cli.run(["template", "for", "PB2"]).exitCode == 66)
        #expect(try cli.run(["template", "map", "KNEE-LOC", "mri-knee"]).exitCode == 0)
        let mapped = try cli.run(["template", "for", "PB2"])
        #expect(mapped.stdout.hasPrefix("mri-knee\t") && mapped.stdout.contains("site"), "\(mapped.stdout)")
        #expect(try cli.run(["template", "map"]).stdout.contains("KNEE-LOC\tmri-knee"))
        #expect(try cli.run(["template", "map", "KNEE-LOC", "no-such-template"]).exitCode == 66)

        let script = cli.directory.appendingPathComponent("script.txt")
        try "findings colon the lungs are clear period\nimpression colon no acute disease period\n"
            .write(to: script, atomically: true, encoding: .utf8)
        let dictated = try cli.run(["dictate", "--accession", "PB1", "--template", "ct-chest", "--script", script.path])
        #expect(dictated.exitCode == 0, "\(dictated.stderr)")
        #expect(try cli.run(["user", "add", "drsmith", "--role", "radiologist"]).exitCode == 0)
        let signed = try cli.run(["report", "sign", "PB1", "--as", "drsmith", "--force"])
        #expect(signed.exitCode == 0, "\(signed.stderr)")
        let oru = try cli.run(["hl7", "oru", "PB1"])
        let obr = try #require(oru.stdout.split(separator: "\r").first { $0.hasPrefix("OBR|") })
        // HL7 2.5.1's table 0396 has no RadLex entry: the RPID goes with `L`, which a strict receiver accepts.
        #expect(obr.split(separator: "|", omittingEmptySubsequences: false)[4] == "RPID16^CT Chest wo IV Contrast^L")
        try cli.expectFrozenResultsValid()
    }
}
