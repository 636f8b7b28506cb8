import Foundation
import HL7
import HTTPTypes
import Hummingbird
import NIOCore
import RadScribeCore
import ReportStore
import ReportTemplates

extension WorkstationAPI {
    // MARK: What the CLI's fhir, hl7 oru, stats and template import/export do

    func registerExports(on routes: inout APIRouteBuilder) {
        let database = database
        routes.add(.get, "/api/reports/:accession/fhir", roles: RouteAccess.everyone) { _, context in
            let (user, accession) = try Self.caller(context, RouteAccess.everyone)
            let report = try await Blocking.run { try database.report(accession: accession, action: .export, by: user.name) }
            return Response(
                status: .ok, headers: [.contentType: "application/fhir+json; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: try FHIRDiagnosticReport.json(for: report.snapshot)))
            )
        }
        routes.add(.get, "/api/reports/:accession/oru", roles: RouteAccess.everyone) { _, context in
            let (user, accession) = try Self.caller(context, RouteAccess.everyone)
            guard let encoder = database.resultEncoder else {
                throw APIError(.serviceUnavailable, "this server builds no HL7 messages (no result encoder configured)")
            }
            let report = try await Blocking.run { try database.report(accession: accession, action: .export, by: user.name) }
            // A preview with a fresh MSH-10, as `radscribe hl7 oru` prints it; what goes to the RIS is the outbox's.
            let message = try encoder.encode(report.snapshot, destination: "", at: Date())
            return Response(
                status: .ok, headers: [.contentType: "application/hl7-v2; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: message.payload))
            )
        }
        let statsReaders: Set<UserRole> = [.radiologist, .administrator]
        routes.add(.get, "/api/stats", roles: statsReaders) { request, _ in
            let days = request.uri.queryParameters["days"].map { Int($0) } ?? 30
            guard let days, (1...3650).contains(days) else { throw APIError(.badRequest, "days must be 1…3650") }
            let since = Date().addingTimeInterval(-Double(days) * 86_400)
            let figures = try await Blocking.run { try database.turnaround(since: since) }
            return try JSONResponse.make(StatsBody(days: days, turnaround: figures))
        }
        routes.add(.get, "/api/templates/:slug/mrrt", roles: RouteAccess.readers) { _, context in
            let slug = try context.parameters.require("slug")
            guard let stored = try await Blocking.run({ try database.template(slug: slug) }) else {
                throw APIError(.notFound, "no template '\(slug)'")
            }
            return Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: stored.html))
            )
        }
        routes.add(.post, "/api/templates", roles: RouteAccess.administration) { request, context in
            let body = try await request.decode(as: TemplateImportBody.self, context: context)
            guard body.slug.range(of: #"^[a-z0-9]+(-[a-z0-9]+)*$"#, options: .regularExpression) != nil else {
                throw APIError(.badRequest, "a template id is lowercase letters and digits separated by single dashes, e.g. ct-head")
            }
            // Parsed before anything is stored: a broken template leaves no trace.
            let parsed: TemplateParseResult
            do {
                parsed = try ReportTemplate.parse(html: body.html)
            } catch let error as TemplateError {
                throw APIError(.badRequest, "template rejected: \(error)")
            }
            // The bundled templates are the product's own: an import under their id would fork them.
            if let resources = try? ResourceLocator.discover(),
                let bundled = try? String(
                    contentsOf: resources.templatesDirectory.appendingPathComponent("\(body.slug).html"), encoding: .utf8
                ), bundled != body.html
            {
                throw APIError(.conflict, "'\(body.slug)' is a bundled template; import under another id")
            }
            let result = try await Blocking.run {
                try database.storeTemplate(
                    slug: body.slug, identifier: parsed.template.identifier, title: parsed.template.title, html: body.html
                )
            }
            return try JSONResponse.make(
                TemplateImportResult(
                    slug: result.template.slug, version: result.template.version, title: result.template.title,
                    isNewVersion: result.isNewVersion, notes: parsed.notes
                ),
                status: result.isNewVersion ? .created : .ok
            )
        }
    }
}

struct TemplateImportBody: Decodable {
    var slug: String
    var html: String
}

struct TemplateImportResult: Encodable {
    var slug: String
    var version: Int
    var title: String
    var isNewVersion: Bool
    /// What the lenient parser repaired.
    var notes: [String]
}

struct StatsBody: Encodable {
    var days: Int
    /// Median minutes per signing radiologist and modality, over reports signed final in the period.
    var turnaround: [TurnaroundFigure]
}
