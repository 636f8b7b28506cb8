import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import RadScribeCore
import ReportStore
import Testing

@testable import RadScribeCLI
import TestSupport

@testable import RadScribeServer

@Suite("Workstation API", .integration, .tags(.validators))
struct WorkstationAPITests {
    /// Every route, tried by every role it does not admit, and without a session.
    @Test("each role is refused by each route it must not use; no session is 401")
    func unauthorizedAccess() async throws {
        let fixture = try WorkstationFixture.make(label: "ws-access")
        try fixture.dictatedDraft(script: "findings\nno pneumothorax period")
        let server = fixture.server()
        let (router, access) = server.makeRoutes()
        #expect(access.count >= 30, "the API lost routes: \(access.count)")
        let checked = access.compactMap(\.roles).map { UserRole.allCases.count - $0.count }.reduce(0, +)
        try await router.buildApplication().test(.router) { client in
            for route in access {
                guard let roles = route.roles else { continue }
                let path = route.path
                    .replacingOccurrences(of: ":accession", with: WorkstationFixture.accession)
                    .replacingOccurrences(of: ":slug", with: WorkstationFixture.template)
                    .replacingOccurrences(of: ":id", with: "1")
                let body = route.method == .get ? nil : "{}"
                let anonymous = try await client.call(route.method, path, as: nil, tokens: fixture.tokens, json: body)
                #expect(anonymous.status == .unauthorized, "\(route.method) \(path) without a session")
                for role in UserRole.allCases where !roles.contains(role) {
                    let answer = try await client.call(route.method, path, as: role, tokens: fixture.tokens, json: body)
                    #expect(answer.status == .forbidden, "\(route.method) \(path) as \(role.rawValue): \(answer.status)")
                    #expect((answer.body.json["error"] as? String)?.contains(role.rawValue) == true)
                }
            }
            // A forged or revoked token is no session.
            let forged = try await client.call(
                .get, "/api/worklist", as: nil, tokens: [:], headers: [.authorization: "Bearer 1.forged"]
            )
            #expect(forged.status == .unauthorized)
        }
        #expect(checked >= 50)
        // The report was only read, never changed, by the refused calls.
        #expect(try fixture.database.existingReport(accession: WorkstationFixture.accession).status == .draft)
    }

    @Test("draft → correction by a transcriptionist → signature with checks → ORU in the HL7 view")
    func correctionAndSigningFlow() async throws {
        let fixture = try WorkstationFixture.make(label: "ws-flow")
        try fixture.dictatedDraft(
            script: "findings\nno pneumothorax period\nthe left lung is clear period\ngo to impression\nno acute disease period"
        )
        let accession = WorkstationFixture.accession
        let tokens = fixture.tokens
        try await fixture.server().makeRouter().buildApplication().test(.router) { client in
            // Login sets an HttpOnly SameSite cookie and the cookie authenticates.
            let login = try await client.call(
                .post, "/api/login", as: nil, tokens: tokens,
                json: #"{"name":"radiologist","password":"\#(WorkstationFixture.password)"}"#
            )
            #expect(login.status == .ok)
            let cookie = try #require(login.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            let me = try await client.call(
                .get, "/api/me", as: nil, tokens: tokens,
                headers: [.cookie: String(cookie.split(separator: ";")[0])]
            )
            #expect(me.body.json["role"] as? String == "radiologist")
            let wrong = try await client.call(
                .post, "/api/login", as: nil, tokens: tokens, json: #"{"name":"radiologist","password":"nope-nope"}"#
            )
            #expect(wrong.status == .unauthorized)

            // Worklist: the STAT order, with its status.
            let worklist = try await client.call(.get, "/api/worklist", as: .radiologist, tokens: tokens)
            let rows = try #require(worklist.body.json["items"] as? [[String: Any]])
            #expect(rows.first?["accession"] as? String == accession)
            #expect(rows.first?["priority"] as? String == "STAT")
            #expect(rows.first?["status"] as? String == "draft")

            let sent = try await client.call(.post, "/api/reports/\(accession)/send-for-correction", as: .radiologist, tokens: tokens)
            #expect(sent.body.json["status"] as? String == "pending-correction")

            // The transcriptionist sees the words with their risks, and the audio plays from any byte.
            let draft = try await client.call(.get, "/api/reports/\(accession)", as: .transcriptionist, tokens: tokens)
            let coded = try #require(draft.body.json["findings"] as? [[String: Any]])
            #expect(coded.contains { $0["term"] as? String == "pneumothorax" && $0["presence"] as? String == "absent" })
            let words = try #require(draft.body.json["words"] as? [String: [[String: Any]]])
            let findings = try #require(words["findings"])
            let no = try #require(findings.first { $0["text"] as? String == "no" })
            #expect((no["risks"] as? [String])?.contains("negation") == true)
            let left = try #require(findings.first { $0["text"] as? String == "left" })
            #expect((left["risks"] as? [String])?.contains("laterality") == true)
            #expect((draft.body.json["allowedActions"] as? [String]) == ["correct"])

            let audio = try await client.call(
                .get, "/api/reports/\(accession)/audio", as: .transcriptionist, tokens: tokens,
                headers: [.range: "bytes=0-43"]
            )
            #expect(audio.status == .partialContent)
            #expect(audio.body.readableBytes == 44)
            #expect(String(decoding: audio.body.readableBytesView.prefix(4), as: UTF8.self) == "RIFF")
            #expect(audio.headers[.contentRange]?.hasPrefix("bytes 0-43/") == true)

            let refusedSign = try await client.call(.post, "/api/reports/\(accession)/sign", as: .transcriptionist, tokens: tokens, json: "{}")
            #expect(refusedSign.status == .forbidden)
            let badSection = try await client.call(
                .post, "/api/reports/\(accession)/correction", as: .transcriptionist, tokens: tokens,
                json: #"{"sections":[{"key":"no-such-section","text":"x"}]}"#
            )
            #expect(badSection.status == .badRequest)
            let corrected = try await client.call(
                .post, "/api/reports/\(accession)/correction", as: .transcriptionist, tokens: tokens,
                json: #"{"sections":[{"key":"findings","text":"No pneumothorax. The left lung is clear."}]}"#
            )
            #expect(corrected.status == .ok)
            #expect(corrected.body.json["status"] as? String == "corrected-draft")

            // The checks come first; a blocking problem refuses the signature with the checks in the answer.
            let checks = try await client.call(.get, "/api/reports/\(accession)/checks", as: .radiologist, tokens: tokens)
            #expect(checks.status == .ok)
            let blocking = checks.body.json["blocking"] as? Bool ?? false
            let sign = try await client.call(.post, "/api/reports/\(accession)/sign", as: .radiologist, tokens: tokens, json: "{}")
            if blocking {
                #expect(sign.status == .conflict)
                #expect((sign.body.json["checks"] as? [String: Any])?["results"] != nil)
                let forced = try await client.call(
                    .post, "/api/reports/\(accession)/sign", as: .radiologist, tokens: tokens, json: #"{"force":true}"#
                )
                #expect(forced.body.json["status"] as? String == "final")
            } else {
                #expect(sign.body.json["status"] as? String == "final")
            }
            let again = try await client.call(.post, "/api/reports/\(accession)/sign", as: .radiologist, tokens: tokens, json: "{}")
            #expect(again.status == .conflict)

            // The ORU is in the outbox, frozen, with the transcriptionist's text.
            let messages = try await client.call(.get, "/api/reports/\(accession)/messages", as: .radiologist, tokens: tokens)
            let list = try #require(messages.body.json["messages"] as? [[String: Any]])
            let final = try #require(list.last)
            #expect(final["resultStatus"] as? String == "F")
            let payload = try #require(final["payload"] as? String)
            #expect(payload.hasPrefix("MSH|^~\\&|"))
            #expect(payload.contains("ORU^R01"))
            #expect(payload.contains("No pneumothorax. The left lung is clear."))
            let queue = try await client.call(.get, "/api/hl7/queue?state=pending", as: .administrator, tokens: tokens)
            #expect((queue.body.json["messages"] as? [[String: Any]])?.isEmpty == false)

            // History and audit trail.
            let versions = try await client.call(.get, "/api/reports/\(accession)/versions", as: .radiologist, tokens: tokens)
            let versionList = try #require(versions.body.json["versions"] as? [[String: Any]])
            #expect(versionList.count >= 3)
            #expect(versionList.contains { ($0["diff"] as? String)?.contains("left lung is clear") == true })
            let audit = try await client.call(.get, "/api/reports/\(accession)/audit", as: .administrator, tokens: tokens)
            let actions = (audit.body.json["entries"] as? [[String: Any]])?.compactMap { $0["action"] as? String } ?? []
            #expect(actions.contains("sign"))

            // An addendum from the attending; a resident may not.
            let residentAddendum = try await client.call(
                .post, "/api/reports/\(accession)/addendum", as: .resident, tokens: tokens, json: #"{"text":"x"}"#
            )
            #expect(residentAddendum.status == .forbidden)
            let addendum = try await client.call(
                .post, "/api/reports/\(accession)/addendum", as: .radiologist, tokens: tokens,
                json: #"{"text":"Comparison with prior study shows no change."}"#
            )
            #expect(addendum.body.json["status"] as? String == "addended")
        }
        // Every result the flow queued passes a strict RIS's validator.
        let payloads = try fixture.database.resultMessages(accession: accession).compactMap(\.payload)
        #expect(!payloads.isEmpty)
        let verdict = try StrictHL7.validate(payloads)
        #expect(verdict.passed, "\(verdict.output)")
    }

    @Test("two editors of one draft: the one who saves second on the same version gets 409, and nothing is lost")
    func staleEditIsRefused() async throws {
        let fixture = try WorkstationFixture.make(label: "ws-stale")
        let loaded = try fixture.dictatedDraft(script: "findings\nno pneumothorax period\ngo to impression\nnormal period")
        let accession = WorkstationFixture.accession
        let tokens = fixture.tokens
        try await fixture.server().makeRouter().buildApplication().test(.router) { client in
            let first = try await client.call(
                .put, "/api/reports/\(accession)", as: .radiologist, tokens: tokens,
                json: #"{"sections":[{"key":"findings","text":"No pneumothorax. Small left effusion."}],"version":\#(loaded.versionNumber)}"#
            )
            #expect(first.status == .ok)
            let second = try await client.call(
                .put, "/api/reports/\(accession)", as: .radiologist, tokens: tokens,
                json: #"{"sections":[{"key":"impression","text":"Normal chest."}],"version":\#(loaded.versionNumber)}"#
            )
            #expect(second.status == .conflict)
            #expect((second.body.json["error"] as? String ?? "").contains("nothing was saved"), "\(second.body.json)")
            // The stale editor reloads and saves on the newest version: both changes stand.
            let newest = try await client.call(.get, "/api/reports/\(accession)", as: .radiologist, tokens: tokens)
            let version = try #require(newest.body.json["version"] as? Int)
            let retry = try await client.call(
                .put, "/api/reports/\(accession)", as: .radiologist, tokens: tokens,
                json: #"{"sections":[{"key":"impression","text":"Normal chest."}],"version":\#(version)}"#
            )
            #expect(retry.status == .ok)
        }
        let stored = try fixture.database.existingReport(accession: accession)
        #expect(stored.sections.first { $0.key == "findings" }?.text == "No pneumothorax. Small left effusion.")
        #expect(stored.sections.first { $0.key == "impression" }?.text == "Normal chest.")
    }

    @Test("a template changed after the dictation: the CLI's and the API's checks agree, against the version dictated")
    func checksAgreeAfterTemplateChange() async throws {
        let fixture = try WorkstationFixture.make(label: "ws-template-v2")
        let draft = try fixture.dictatedDraft(script: "findings\nno pneumothorax period\ngo to impression\nnormal chest period")
        let accession = WorkstationFixture.accession
        // Version 2 adds a section whose required field blocks signing: the report, dictated on version 1, lacks it.
        let v1 = try #require(try fixture.database.template(slug: WorkstationFixture.template))
        let added = """
            <section id="recommendation" data-section-name="Recommendation" data-section-required="true">
              <header class="level1">Recommendation</header>
              <p><input type="text" id="recommendation-text" name="Recommendation" data-field-type="TEXT"
                data-field-required="true" data-field-signature-latitude="PROHIBIT" value=""/></p>
            </section>
            </body>
            """
        let v2 = v1.html.replacingOccurrences(of: "</body>", with: added)
        try #require(v2 != v1.html)
        try fixture.database.storeTemplate(slug: v1.slug, identifier: v1.identifier, title: v1.title, html: v2)
        #expect(try fixture.database.template(slug: v1.slug)?.version == draft.templateVersion + 1)

        // The API, and what `report sign` and `dictate … "sign report"` run, while version 2 is the newest.
        let received = MessageLog()
        let tokens = fixture.tokens
        try await fixture.server().makeRouter().buildApplication().test(.router) { client in
            let checks = try await client.call(.get, "/api/reports/\(accession)/checks", as: .radiologist, tokens: tokens)
            #expect(checks.status == .ok)
            received.append(String(buffer: checks.body))
        }
        let api = ((received.objects.first?["results"] as? [[String: Any]]) ?? []).compactMap { $0["message"] as? String }
        let signing = try SigningChecks.results(accession: accession, store: fixture.database).map(\.message)
        #expect(Set(signing) == Set(api) && signing.count == api.count, "signing \(signing) / API \(api)")
        #expect(!api.contains { $0.localizedCaseInsensitiveContains("recommendation") }, "checked against v2: \(api)")
        // `report check`, as a user runs it, agrees too.
        let database = fixture.directory.appendingPathComponent("db.sqlite").path
        let check = try ProcessRunner.radscribe(["report", "check", accession, "--json", "--db", database])
        let cli = (try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [[String: Any]] ?? [])
            .compactMap { $0["message"] as? String }
        #expect(Set(cli) == Set(api) && cli.count == api.count, "report check \(cli) / API \(api); \(check.stderr)")
    }

    @Test("the HL7 queue finds a message by its id, past a report's first 200 messages (was a false 404)")
    func queueMessageById() async throws {
        let fixture = try WorkstationFixture.make(label: "ws-queue-201")
        try fixture.dictatedDraft(script: "findings\nno pneumothorax period\ngo to impression\nnormal chest period")
        let accession = WorkstationFixture.accession
        _ = try fixture.database.sign(accession: accession, by: UserRole.radiologist.rawValue)
        let current = try fixture.database.existingReport(accession: accession)
        for index in 0..<200 {  // each correction of the final report enqueues another ORU
            var sections = current.sections
            sections[0].text = "Correction \(index)."
            _ = try fixture.database.issueCorrection(accession: accession, sections: sections, by: UserRole.radiologist.rawValue)
        }
        let all = try fixture.database.resultMessages(accession: accession, limit: 1_000)
        #expect(all.count > 200)
        let last = try #require(all.last)
        let tokens = fixture.tokens
        try await fixture.server().makeRouter().buildApplication().test(.router) { client in
            let skipped = try await client.call(.post, "/api/hl7/queue/\(last.id)/skip", as: .administrator, tokens: tokens)
            #expect(skipped.status == .ok, "\(String(buffer: skipped.body))")
            #expect(skipped.body.json["state"] as? String == "skipped")
        }
    }

    @Test("a bundled template's text already stored is not stored again: an older binary cannot flip the newest version")
    func bundledTemplatesDoNotFlipFlop() throws {
        let fixture = try WorkstationFixture.make(label: "ws-bundle-sync")
        let bundled = try #require(try fixture.database.template(slug: WorkstationFixture.template))
        // A newer release's text, stored by a newer binary on the same database.
        let newer = bundled.html.replacingOccurrences(of: "</body>", with: "<p>Newer release.</p></body>")
        try #require(newer != bundled.html)
        try fixture.database.storeTemplate(slug: bundled.slug, identifier: bundled.identifier, title: bundled.title, html: newer)
        // This binary's bundle (the older text) syncs again, as every command does when it opens the database.
        try BundledTemplates.sync(into: fixture.database, from: try ResourceLocator.discover())
        let newest = try #require(try fixture.database.template(slug: bundled.slug))
        #expect(newest.version == bundled.version + 1 && newest.html == newer, "newest is v\(newest.version)")
    }

    @Test("administration: users, bad input and the HL7 queue")
    func administration() async throws {
        let fixture = try WorkstationFixture.make(label: "ws-admin")
        let tokens = fixture.tokens
        try await fixture.server().makeRouter().buildApplication().test(.router) { client in
            let added = try await client.call(
                .post, "/api/users", as: .administrator, tokens: tokens,
                json: #"{"name":"dr.new","role":"attending","password":"long-enough-1"}"#
            )
            #expect(added.status == .created)
            #expect(added.body.json["role"] as? String == "radiologist")
            let duplicate = try await client.call(
                .post, "/api/users", as: .administrator, tokens: tokens,
                json: #"{"name":"dr.new","role":"resident","password":"long-enough-1"}"#
            )
            #expect(duplicate.status == .conflict)
            let short = try await client.call(
                .post, "/api/users", as: .administrator, tokens: tokens,
                json: #"{"name":"dr.short","role":"resident","password":"short"}"#
            )
            #expect(short.status == .badRequest)
            let malformed = try await client.call(.post, "/api/users", as: .administrator, tokens: tokens, json: "{not json")
            #expect(malformed.status == .badRequest)
            let users = try await client.call(.get, "/api/users", as: .administrator, tokens: tokens)
            #expect((users.body.json["users"] as? [[String: Any]])?.count == UserRole.allCases.count + 1)
            let missing = try await client.call(.get, "/api/reports/NOPE", as: .radiologist, tokens: tokens)
            #expect(missing.status == .notFound)
            // The store's words, without the command line's instructions (a web user has no `radscribe`).
            let missingError = missing.body.json["error"] as? String ?? ""
            #expect(missingError.contains("NOPE") && !missingError.contains("radscribe"), "\(missingError)")
            let badFilter = try await client.call(.get, "/api/worklist?status=bogus", as: .radiologist, tokens: tokens)
            #expect(badFilter.status == .badRequest)
            let noMessage = try await client.call(.post, "/api/hl7/queue/999/retry", as: .administrator, tokens: tokens)
            #expect(noMessage.status == .notFound)
            #expect(!(noMessage.body.json["error"] as? String ?? "radscribe").contains("radscribe"))
            let page = try await client.call(.get, "/worklist.html", as: nil, tokens: tokens)
            #expect(page.status == .ok)
            #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
        }
    }

    @Test("FHIR and ORU exports, turnaround stats, MRRT template import and export", .needsShared)
    func exportsAndTemplates() async throws {
        let fixture = try WorkstationFixture.make(label: "ws-exports")
        try fixture.dictatedDraft(script: "findings\nno pneumothorax period\ngo to impression\nno acute disease period")
        _ = try fixture.database.sign(accession: WorkstationFixture.accession, by: UserRole.radiologist.rawValue)
        let accession = WorkstationFixture.accession
        let tokens = fixture.tokens
        let sample = ProjectPaths.shared.appendingPathComponent("mrrt-samples/Chest_Xray-2_Views.html")
        let sampleHTML = try String(contentsOf: sample, encoding: .utf8)
        try await fixture.server().makeRouter().buildApplication().test(.router) { client in
            let fhir = try await client.call(.get, "/api/reports/\(accession)/fhir", as: .interface, tokens: tokens)
            #expect(fhir.status == .ok)
            #expect(fhir.headers[.contentType]?.hasPrefix("application/fhir+json") == true)
            #expect(fhir.body.json["resourceType"] as? String == "DiagnosticReport")
            #expect(fhir.body.json["status"] as? String == "final")

            let oru = try await client.call(.get, "/api/reports/\(accession)/oru", as: .radiologist, tokens: tokens)
            let er7 = String(buffer: oru.body)
            #expect(er7.hasPrefix("MSH|^~\\&|") && er7.contains("ORU^R01") && er7.contains("\rOBR|"))

            let stats = try await client.call(.get, "/api/stats?days=7", as: .radiologist, tokens: tokens)
            let figures = try #require(stats.body.json["turnaround"] as? [[String: Any]])
            #expect(figures.first?["radiologist"] as? String == "radiologist")
            let badDays = try await client.call(.get, "/api/stats?days=0", as: .administrator, tokens: tokens)
            #expect(badDays.status == .badRequest)

            // A real RSNA template, imported leniently; the same text again is no new version.
            let body = { (slug: String, html: String) -> String in
                String(decoding: try! JSONSerialization.data(withJSONObject: ["slug": slug, "html": html]), as: UTF8.self)
            }
            let imported = try await client.call(
                .post, "/api/templates", as: .administrator, tokens: tokens, json: body("rsna-chest", sampleHTML)
            )
            #expect(imported.status == .created, "\(String(buffer: imported.body))")
            #expect(imported.body.json["version"] as? Int == 1)
            let again = try await client.call(
                .post, "/api/templates", as: .administrator, tokens: tokens, json: body("rsna-chest", sampleHTML)
            )
            #expect(again.status == .ok)
            #expect(again.body.json["isNewVersion"] as? Bool == false)
            let exported = try await client.call(.get, "/api/templates/rsna-chest/mrrt", as: .transcriptionist, tokens: tokens)
            #expect(String(buffer: exported.body) == sampleHTML)
            let layout = try await client.call(.get, "/api/templates/rsna-chest", as: .radiologist, tokens: tokens)
            #expect((layout.body.json["sections"] as? [Any])?.isEmpty == false)

            let broken = try await client.call(
                .post, "/api/templates", as: .administrator, tokens: tokens, json: body("broken", "<html><body>no template</body></html>")
            )
            #expect(broken.status == .badRequest)
            let bundled = try await client.call(
                .post, "/api/templates", as: .administrator, tokens: tokens, json: body("ct-head", sampleHTML)
            )
            #expect(bundled.status == .conflict)
            #expect(try fixture.database.template(slug: "broken") == nil)
            #expect(try fixture.database.templateVersions(slug: "ct-head").count == 1)
        }
    }

    @Test("openapi.yaml is valid and lists exactly the routes, with their roles")
    func openAPIMatchesRoutes() throws {
        let fixture = try WorkstationFixture.make(label: "ws-openapi")
        let access = fixture.server().makeRoutes().access
        let spec = ProjectPaths.root.appendingPathComponent("Sources/RadScribeServer/openapi.yaml")
        let result = try ProcessRunner.run(
            ProjectPaths.python, [ProjectPaths.root.appendingPathComponent("scripts/openapi_check.py").path, spec.path]
        )
        try #require(result.exitCode == 0, "openapi_check.py: \(result.stderr)")
        let operations = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
        )
        let documented = Set(operations.map { operation in
            "\(operation["method"] as? String ?? "") \(operation["path"] as? String ?? "") "
                + ((operation["roles"] as? [String]) ?? []).sorted().joined(separator: ",")
        })
        let routed = Set(access.map { route in
            let path = route.path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
                .joined(separator: "/")
            return "\(route.method.rawValue) /\(path) " + (route.roles ?? []).map(\.rawValue).sorted().joined(separator: ",")
        })
        #expect(routed.subtracting(documented).isEmpty, "routes missing from openapi.yaml (or with other roles)")
        #expect(documented.subtracting(routed).isEmpty, "openapi.yaml documents routes the server does not have")
    }
}

extension Router where Context == APIRequestContext {
    func buildApplication() -> some ApplicationProtocol {
        Application(router: self)
    }
}
