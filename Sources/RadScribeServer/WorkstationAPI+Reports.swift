import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RadScribeApp
import RadScribeCore
import ReportChecks
import ReportStore

extension WorkstationAPI {
    // MARK: Reports: view, edit, correct, sign, addendum, amend, cancel, history, audit, audio, HL7 messages

    func registerReports(on routes: inout APIRouteBuilder) {
        let database = database
        routes.add(.get, "/api/reports/:accession", roles: RouteAccess.everyone) { _, context in
            let (user, accession) = try Self.caller(context, RouteAccess.everyone)
            let report = try await Blocking.run { try database.report(accession: accession, by: user.name) }
            return try JSONResponse.make(ReportBody(report, for: user.role))
        }
        routes.add(.put, "/api/reports/:accession", roles: RouteAccess.dictating) { request, context in
            let (user, accession) = try Self.caller(context, RouteAccess.dictating)
            let body = try await request.decode(as: SectionsBody.self, context: context)
            let report = try await Blocking.run {
                try database.edit(accession: accession, by: user.name, basedOn: body.version) { current in
                    try Self.merge(body, into: current)
                }
            }
            return try JSONResponse.make(ReportBody(report, for: user.role))
        }
        routes.add(.post, "/api/reports/:accession/correction", roles: RouteAccess.editing) { request, context in
            let (user, accession) = try Self.caller(context, RouteAccess.editing)
            let body = try await request.decode(as: SectionsBody.self, context: context)
            let report = try await Blocking.run {
                let current = try database.existingReport(accession: accession)
                guard current.status == .pendingCorrection || current.status == .correctedDraft else {
                    throw APIError(
                        .conflict,
                        "report \(accession) is \(current.status.rawValue); only a report sent for correction is corrected"
                    )
                }
                return try database.edit(accession: accession, by: user.name, basedOn: body.version) { current in
                    try Self.merge(body, into: current)
                }
            }
            return try JSONResponse.make(ReportBody(report, for: user.role))
        }
        routes.add(.post, "/api/reports/:accession/send-for-correction", roles: RouteAccess.dictating) { _, context in
            let (user, accession) = try Self.caller(context, RouteAccess.dictating)
            let report = try await Blocking.run { try database.requestCorrection(accession: accession, by: user.name) }
            return try JSONResponse.make(ReportBody(report, for: user.role))
        }
        routes.add(.get, "/api/reports/:accession/checks", roles: RouteAccess.readers) { _, context in
            let (_, accession) = try Self.caller(context, RouteAccess.readers)
            let results = try await Blocking.run {
                try SigningService(store: database).checks(accession: accession)
            }
            return try JSONResponse.make(ChecksBody(results))
        }
        routes.add(.post, "/api/reports/:accession/sign", roles: RouteAccess.dictating) { request, context in
            let (user, accession) = try Self.caller(context, RouteAccess.dictating)
            let body = try await Self.optionalBody(SignBody.self, request, context) ?? SignBody()
            let report = try await Blocking.run {
                do {
                    return try SigningService(store: database).sign(
                        accession: accession, by: user.name, preliminary: body.preliminary ?? false, force: body.force == true
                    ).report
                } catch let refusal as SigningRefusal {
                    throw APIError(.conflict, refusal.description, checks: ChecksBody(refusal.results))
                }
            }
            return try JSONResponse.make(ReportBody(report, for: user.role))
        }
        routes.add(.post, "/api/reports/:accession/addendum", roles: [.radiologist]) { request, context in
            let (user, accession) = try Self.caller(context, [.radiologist])
            let body = try await request.decode(as: AddendumBody.self, context: context)
            guard !body.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw APIError(.badRequest, "an addendum needs text")
            }
            let report = try await Blocking.run { try database.addAddendum(accession: accession, text: body.text, by: user.name) }
            return try JSONResponse.make(ReportBody(report, for: user.role))
        }
        routes.add(.post, "/api/reports/:accession/amend", roles: [.radiologist]) { request, context in
            let (user, accession) = try Self.caller(context, [.radiologist])
            let body = try await request.decode(as: SectionsBody.self, context: context)
            let report = try await Blocking.run {
                try database.issueCorrection(accession: accession, by: user.name, basedOn: body.version) { current in
                    try Self.merge(body, into: current)
                }
            }
            return try JSONResponse.make(ReportBody(report, for: user.role))
        }
        let cancelling: Set<UserRole> = [.radiologist, .administrator, .interface]
        routes.add(.post, "/api/reports/:accession/cancel", roles: cancelling) { _, context in
            let (user, accession) = try Self.caller(context, cancelling)
            let report = try await Blocking.run { try database.cancel(accession: accession, by: user.name) }
            return try JSONResponse.make(ReportBody(report, for: user.role))
        }
        routes.add(.get, "/api/reports/:accession/versions", roles: RouteAccess.readers) { _, context in
            let (user, accession) = try Self.caller(context, RouteAccess.readers)
            let versions = try await Blocking.run { try database.history(accession: accession, by: user.name) }
            return try JSONResponse.make(["versions": versions.map(VersionBody.init)])
        }
        routes.add(.get, "/api/reports/:accession/audit", roles: RouteAccess.readers) { _, context in
            let (_, accession) = try Self.caller(context, RouteAccess.readers)
            let entries = try await Blocking.run {
                _ = try database.existingReport(accession: accession)
                return try database.auditLog(accession: accession)
            }
            return try JSONResponse.make(["entries": entries.map(AuditBody.init)])
        }
        routes.add(.get, "/api/reports/:accession/messages", roles: RouteAccess.everyone) { _, context in
            let (_, accession) = try Self.caller(context, RouteAccess.everyone)
            let messages = try await Blocking.run {
                _ = try database.existingReport(accession: accession)
                return try database.resultMessages(accession: accession)
            }
            return try JSONResponse.make(["messages": messages.map(MessageBody.init)])
        }
        routes.add(.get, "/api/reports/:accession/audio", roles: RouteAccess.editing) { request, context in
            let (_, accession) = try Self.caller(context, RouteAccess.editing)
            guard let audio = try await Blocking.run({ try database.latestAudio(accession: accession) }) else {
                throw APIError(.notFound, "report \(accession) has no dictation audio")
            }
            return try AudioResponse.make(audio.wav, range: request.headers[.range])
        }
    }

    static func caller(_ context: APIRequestContext, _ roles: Set<UserRole>) throws -> (StoredUser, String) {
        (try context.requireUser(in: roles), try context.parameters.require("accession"))
    }

    /// Replaces the text of the sections named in `body`; the others, and titles and codes, stay as stored.
    static func merge(_ body: SectionsBody, into report: StoredReport) throws -> [ReportSection] {
        var sections = report.sections
        for edit in body.sections {
            guard let index = sections.firstIndex(where: { $0.key == edit.key }) else {
                throw APIError(
                    .badRequest,
                    "report \(report.accession) has no section '\(edit.key)' (it has "
                        + sections.map(\.key).joined(separator: ", ") + ")"
                )
            }
            sections[index].text = edit.text
        }
        return sections
    }

    static func optionalBody<T: Decodable>(_ type: T.Type, _ request: Request, _ context: APIRequestContext) async throws
        -> T?
    {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else { return nil }
        return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
    }
}

/// WAV bytes with `Range` support: browsers seek audio (click a word to play from it) with range requests.
enum AudioResponse {
    static func make(_ data: Data, range: String?) throws -> Response {
        var headers: HTTPFields = [.contentType: "audio/wav", .acceptRanges: "bytes", .cacheControl: "no-store"]
        guard let range, let (start, end) = parse(range, length: data.count) else {
            if range != nil {
                headers[.contentRange] = "bytes */\(data.count)"
                return Response(status: .rangeNotSatisfiable, headers: headers)
            }
            headers[.contentLength] = String(data.count)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        headers[.contentRange] = "bytes \(start)-\(end)/\(data.count)"
        headers[.contentLength] = String(end - start + 1)
        return Response(
            status: .partialContent, headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: data[data.startIndex + start...data.startIndex + end]))
        )
    }

    /// One `bytes=a-b`, `bytes=a-` or `bytes=-n` range, clamped to the data; nil when unsatisfiable or malformed.
    static func parse(_ header: String, length: Int) -> (Int, Int)? {
        guard header.hasPrefix("bytes="), length > 0 else { return nil }
        let spec = header.dropFirst("bytes=".count).split(separator: ",").first.map(String.init) ?? ""
        let parts = spec.split(separator: "-", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard parts.count == 2 else { return nil }
        if parts[0].isEmpty {
            guard let suffix = Int(parts[1]), suffix > 0 else { return nil }
            return (max(0, length - suffix), length - 1)
        }
        guard let start = Int(parts[0]), start < length else { return nil }
        let end = parts[1].isEmpty ? length - 1 : min(Int(parts[1]) ?? -1, length - 1)
        return end >= start ? (start, end) : nil
    }
}
