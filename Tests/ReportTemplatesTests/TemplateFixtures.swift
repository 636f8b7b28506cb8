import Foundation
import Testing
import TestSupport

/// Loads the templates the tests read.
enum TemplateFixtures {
    /// The bundled chest radiograph template's HTML.
    static func chestTemplateHTML() throws -> String {
        let url = ProjectPaths.templates.appendingPathComponent("chest-radiograph-2-views.html")
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// A real RSNA sample from `../shared/mrrt-samples`; fails the test plainly when the folder is missing.
    static func sampleHTML(_ name: String) throws -> String {
        let folder = ProjectPaths.mrrtSamples
        try #require(
            FileManager.default.fileExists(atPath: folder.path),
            "MRRT sample folder \(folder.path) is missing: these tests need the real RSNA templates (shared/mrrt-samples)"
        )
        let url = folder.appendingPathComponent(name)
        try #require(FileManager.default.fileExists(atPath: url.path), "MRRT sample \(url.path) is missing")
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// A minimal valid template around `body`, for tests of single constructs.
    static func minimal(body: String, head: String = "", attributes: String = "") -> String {
        """
        <!DOCTYPE html>
        <html>
        <head>
        <meta name="dcterms.title" content="Test template"/>
        <meta name="dcterms.identifier" content="urn:radscribe:template:test"/>
        <meta name="dcterms.type" content="IMAGE_REPORT_TEMPLATE"/>
        \(head)
        <script type="text/xml">
        <template_attributes>
        <coding_schemes>
        <coding_scheme name="RadLex" designator="2.16.840.1.113883.6.256"/>
        <coding_scheme name="LOINC" designator="2.16.840.1.113883.6.1"/>
        </coding_schemes>
        \(attributes)
        </template_attributes>
        </script>
        </head>
        <body>
        \(body)
        </body>
        </html>
        """
    }
}
