import Foundation
import HTTPTypes
import Hummingbird
import RadScribeCore
import ReportStore
import ReportTemplates

/// The JSON API: everything the CLI does, for the workstation pages and for scripts (docs/web-api.md).
struct WorkstationAPI: Sendable {
    let database: ReportDatabase
    let loginThrottle: LoginThrottle
    /// Under TLS the session cookie is `Secure`: never sent over plain HTTP.
    var secureCookies = false

    func register(on routes: inout APIRouteBuilder) {
        registerSession(on: &routes)
        registerWorklist(on: &routes)
        registerReports(on: &routes)
        registerAdministration(on: &routes)
        registerExports(on: &routes)
    }

    // MARK: Session

    private func registerSession(on routes: inout APIRouteBuilder) {
        let (database, throttle, secure) = (database, loginThrottle, secureCookies)
        routes.add(.post, "/api/login", roles: nil) { request, context in
            let ticket: LoginThrottle.Ticket
            switch throttle.begin(context.clientAddress ?? "unknown") {
            case .success(let granted): ticket = granted
            case .failure(let wait):
                var refusal = APIError(
                    .tooManyRequests,
                    "too many failed logins from this computer; try again in \((wait.seconds + 59) / 60) minutes"
                )
                refusal.headers[.retryAfter] = "\(wait.seconds)"
                throw refusal
            }
            let body = try await request.decode(as: LoginBody.self, context: context)
            let session = try await Blocking.run { try database.login(name: body.name, password: body.password) }
            throttle.succeeded(ticket)
            var response = try JSONResponse.make(
                LoginResult(
                    token: session.token, expiresAt: session.expiresAt,
                    user: UserBody(name: session.user.name, role: session.user.role)
                )
            )
            response.setCookie(
                Cookie(
                    name: SessionAuthenticator.cookieName, value: session.token,
                    maxAge: Int(session.expiresAt.timeIntervalSinceNow), path: "/", secure: secure, httpOnly: true,
                    sameSite: .strict
                )
            )
            return response
        }
        routes.add(.post, "/api/logout", roles: RouteAccess.everyone) { _, context in
            if let token = context.token { try await Blocking.run { try database.logout(token: token) } }
            var response = Response(status: .noContent)
            response.setCookie(
                Cookie(
                    name: SessionAuthenticator.cookieName, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true,
                    sameSite: .strict
                )
            )
            return response
        }
        routes.add(.get, "/api/me", roles: RouteAccess.everyone) { _, context in
            let user = try context.requireUser(in: RouteAccess.everyone)
            return try JSONResponse.make(UserBody(name: user.name, role: user.role))
        }
    }

    // MARK: Worklist, orders, search, templates

    private func registerWorklist(on routes: inout APIRouteBuilder) {
        let database = database
        routes.add(.get, "/api/worklist", roles: RouteAccess.readers) { request, _ in
            let query = request.uri.queryParameters
            var filter = WorklistFilter()
            if let statuses = query["status"], !statuses.isEmpty {
                filter.statuses = try statuses.split(separator: ",").map { name in
                    guard let status = ReportStatus(rawValue: String(name)) else {
                        throw APIError(.badRequest, "unknown status '\(name)'")
                    }
                    return status
                }
            }
            if let modality = query["modality"], !modality.isEmpty { filter.modality = String(modality).uppercased() }
            if let priority = query["priority"], !priority.isEmpty {
                guard let value = OrderPriority(rawValue: String(priority).uppercased()) else {
                    throw APIError(.badRequest, "priority must be STAT, URGENT or ROUTINE")
                }
                filter.priority = value
            }
            if let assigned = query["assignedTo"], !assigned.isEmpty { filter.assignedTo = String(assigned) }
            if let limit = query["limit"] {
                guard let value = Int(limit), (1...5000).contains(value) else {
                    throw APIError(.badRequest, "limit must be 1…5000")
                }
                filter.limit = value
            }
            let items = try await Blocking.run { [filter] in try database.worklist(filter) }
            let now = Date()
            return try JSONResponse.make(["items": items.map { WorklistRow($0, now: now) }])
        }
        routes.add(.get, "/api/search", roles: RouteAccess.readers) { request, context in
            let user = try context.requireUser(in: RouteAccess.readers)
            guard let text = request.uri.queryParameters["q"].map(String.init), !text.isEmpty else {
                throw APIError(.badRequest, "search needs ?q=WORDS")
            }
            let limit = request.uri.queryParameters["limit"].flatMap { Int($0) } ?? 50
            let hits = try await Blocking.run { try database.search(text, limit: min(max(limit, 1), 500), by: user.name) }
            return try JSONResponse.make(["hits": hits.map(SearchHitBody.init)])
        }
        routes.add(.get, "/api/orders/:accession", roles: RouteAccess.everyone) { _, context in
            let accession = try context.parameters.require("accession")
            guard let order = try await Blocking.run({ try database.order(accession: accession) }) else {
                throw APIError(.notFound, "no order with accession \(accession)")
            }
            return try JSONResponse.make(order)
        }
        routes.add(.patch, "/api/orders/:accession", roles: [.administrator, .interface]) { request, context in
            let user = try context.requireUser(in: [.administrator, .interface])
            let accession = try context.parameters.require("accession")
            let update = try await request.decode(as: PatientUpdate.self, context: context)
            let order = try await Blocking.run { try database.updatePatient(accession: accession, update, by: user.name) }
            return try JSONResponse.make(order)
        }
        routes.add(.post, "/api/orders", roles: [.administrator, .interface]) { request, context in
            let user = try context.requireUser(in: [.administrator, .interface])
            let order = try await request.decode(as: NewOrderBody.self, context: context).order
            guard !order.accession.isEmpty else { throw APIError(.badRequest, "an order needs an accession") }
            try await Blocking.run { try database.addOrder(order, source: "api:\(user.name)") }
            return try JSONResponse.make(order, status: .created)
        }
        routes.add(.get, "/api/templates", roles: RouteAccess.readers) { _, _ in
            let templates = try await Blocking.run { try database.templates() }
            return try JSONResponse.make([
                "templates": templates.map {
                    TemplateSummary(slug: $0.slug, identifier: $0.identifier, title: $0.title, version: $0.version)
                }
            ])
        }
        routes.add(.get, "/api/templates/:slug", roles: RouteAccess.readers) { _, context in
            let slug = try context.parameters.require("slug")
            guard let stored = try await Blocking.run({ try database.template(slug: slug) }) else {
                throw APIError(.notFound, "no template '\(slug)'")
            }
            let template = try ReportTemplate.parse(html: stored.html).template
            return try JSONResponse.make(TemplateLayout(slug: stored.slug, version: stored.version, template: template))
        }
    }

    // MARK: Administration: users and the HL7 queue

    private func registerAdministration(on routes: inout APIRouteBuilder) {
        let database = database
        routes.add(.get, "/api/users", roles: RouteAccess.administration) { _, _ in
            let users = try await Blocking.run { try database.users() }
            let now = Date()
            return try JSONResponse.make([
                "users": users.map {
                    UserSummary(
                        name: $0.name, role: $0.role, locked: ($0.lockedUntil ?? .distantPast) > now, createdAt: $0.createdAt
                    )
                }
            ])
        }
        routes.add(.post, "/api/users", roles: RouteAccess.administration) { request, context in
            let admin = try context.requireUser(in: RouteAccess.administration)
            let body = try await request.decode(as: NewUserBody.self, context: context)
            guard let role = UserRole(spelling: body.role) else {
                throw APIError(.badRequest, "role must be one of " + UserRole.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let user = try await Blocking.run {
                try database.addUser(name: body.name, role: role, password: body.password, by: admin.name)
            }
            return try JSONResponse.make(UserBody(name: user.name, role: user.role), status: .created)
        }
        routes.add(.get, "/api/hl7/queue", roles: [.administrator, .interface]) { request, _ in
            let asked = request.uri.queryParameters["state"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
            let state = asked.flatMap(OutboxState.init(rawValue:))
            if asked != nil, state == nil {
                throw APIError(.badRequest, "state must be pending, failed, sent or skipped")
            }
            let messages = try await Blocking.run { try database.resultMessages(state: state, limit: 500) }
            return try JSONResponse.make(["messages": messages.map(MessageBody.init)])
        }
        for (verb, change) in [("retry", ReportDatabase.retryOutbox), ("skip", ReportDatabase.skipOutbox)] {
            routes.add(.post, "/api/hl7/queue/:id/\(verb)", roles: RouteAccess.administration) { _, context in
                guard let id = Int64(try context.parameters.require("id")) else {
                    throw APIError(.badRequest, "a message id is a number")
                }
                _ = try await Blocking.run { try change(database)(id) }
                // By id: a report's messages listed up to a limit would miss a message past it (a false 404).
                let message = try await Blocking.run { try database.resultMessage(id: id) }
                guard let message else { throw APIError(.notFound, "no HL7 message \(id)") }
                return try JSONResponse.make(MessageBody(message))
            }
        }
    }
}

struct SearchHitBody: Encodable {
    var accession: String
    var status: ReportStatus
    var modality: String
    var procedureName: String
    var snippet: String

    init(_ hit: SearchHit) {
        accession = hit.accession
        status = hit.status
        modality = hit.modality
        procedureName = hit.procedureName
        snippet = hit.snippet
    }
}
