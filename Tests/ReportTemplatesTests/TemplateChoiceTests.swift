import Foundation
import RadScribeCore
import ReportTemplates
import Testing
import TestSupport

/// Which template an order gets: by RadLex Playbook code, then modality and body region, then the site's table.
@Suite("Template choice by RadLex Playbook code", .integration, .tags(.validators))
struct TemplateChoiceTests {
    static let directory = ProjectPaths.root.appendingPathComponent("Templates")

    static func templates() throws -> [String: ReportTemplate] {
        var templates: [String: ReportTemplate] = [:]
        for file in try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        where file.pathExtension == "html" {
            templates[file.deletingPathExtension().lastPathComponent] =
                try ReportTemplate.parse(html: String(contentsOf: file, encoding: .utf8)).template
        }
        return templates
    }

    static func order(code: String, name: String, system: String = "L") -> ImagingOrder {
        ImagingOrder(
            accession: "A1", placerOrderNumber: "A1", fillerOrderNumber: "A1",
            patient: Patient(mrn: "M1", familyName: "Doe", givenName: "J", birthDate: "", sex: .unknown),
            procedureCode: code, procedureName: name, procedureCodingSystem: system, modality: "CT",
            orderingPhysician: "", reasonForExam: ""
        )
    }

    @Test("a served Playbook code, a code of the same modality and region, a Playbook name, the site's table, nothing")
    func choices() throws {
        let templates = try Self.templates()
        let playbook = try PlaybookProcedures.bundled(templatesDirectory: Self.directory)
        func choose(_ order: ImagingOrder, site: [String: String] = [:]) -> TemplateChoice? {
            TemplateChoice.choose(for: order, templates: templates, playbook: playbook, siteTable: site)
        }
        let served = try #require(choose(Self.order(code: "RPID16", name: "CT Chest wo", system: "RADLEX")))
        #expect(served.slug == "ct-chest" && served.reason.contains("served"), "\(served)")
        let region = try #require(choose(Self.order(code: "RPID2502", name: "XR Chest 1 View", system: "RADLEX")))
        #expect(region.slug == "chest-radiograph-2-views" && region.reason.contains("body region"), "\(region)")
        // A local code whose name is the Playbook's: the name maps to the code.
        let named = try #require(choose(Self.order(code: "CTCHEST", name: "CT Chest wo IV Contrast")))
        #expect(named.slug == "ct-chest" && named.reason.contains("RPID16"), "\(named)")
        // MRI brain is never given the CT head template because both say "head"/"brain".
        let brain = try #require(choose(Self.order(code: "MRBRAIN", name: "MR Head wo IV Contrast")))
        #expect(brain.slug == "mri-brain", "\(brain)")
        let site = try #require(choose(Self.order(code: "LOC-77", name: "Knee MRI"), site: ["LOC-77": "mri-knee"]))
        #expect(site.slug == "mri-knee" && site.reason.contains("site"), "\(site)")
        #expect(choose(Self.order(code: "LOC-78", name: "Something else")) == nil)
    }

    @Test("the share of Playbook codes of the templates' modalities that resolve to a template")
    func coverage() throws {
        let playbook = try PlaybookProcedures.bundled(templatesDirectory: Self.directory)
        let served = playbook.entries.filter { $0.match == .served }
        #expect(Set(served.map(\.template)).count == (try Self.templates()).count, "every template serves a code")
        #expect(playbook.entries.count >= 78)
    }

    @Test("the templates state the Playbook codes of the committed table (scripts/map-playbook.py --write-templates)")
    func templatesAreUpToDate() throws {
        let result = try ProcessRunner.run(
            tool: "python3",
            [ProjectPaths.root.appendingPathComponent("scripts/map-playbook.py").path, "--write-templates", "--check"]
        )
        #expect(result.exitCode == 0, "\(result.stderr)")
    }
}
