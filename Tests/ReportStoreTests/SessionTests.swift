import Foundation
import RadScribeCore
import Testing

@testable import ReportStore

@Suite("API sessions and tokens")
struct SessionTests {
    static func database() throws -> ReportDatabase {
        let database = try ReportDatabase.inMemory()
        try database.addUser(name: "drsmith", role: .radiologist, password: "correct horse", cost: 4)
        return database
    }

    @Test("login gives a 256-bit token that authenticates as the user and role; only a hash is stored")
    func loginAndAuthenticate() throws {
        let database = try Self.database()
        let now = Date()
        let session = try database.login(name: "drsmith", password: "correct horse", at: now)
        let secret = session.token.split(separator: ".").last.map(String.init) ?? ""
        #expect(secret.count == 43, "32 random bytes, base64url")
        #expect(session.expiresAt == now.addingTimeInterval(ReportDatabase.sessionLifetime))
        let user = try database.authenticate(token: session.token, at: now.addingTimeInterval(60))
        #expect(user.name == "drsmith" && user.role == .radiologist)
        let other = try database.login(name: "drsmith", password: "correct horse", at: now)
        #expect(other.token != session.token)
    }

    @Test("wrong, tampered, expired and revoked tokens are refused")
    func refused() throws {
        let database = try Self.database()
        let now = Date()
        let session = try database.login(name: "drsmith", password: "correct horse", at: now)
        let isAuthFailure = { (error: any Error) in (error as? ReportStoreError)?.code == .authenticationFailed }
        #expect(performing: { _ = try database.authenticate(token: "garbage", at: now) }, throws: isAuthFailure)
        let tampered = String(session.token.dropLast()) + (session.token.hasSuffix("A") ? "B" : "A")
        #expect(performing: { _ = try database.authenticate(token: tampered, at: now) }, throws: isAuthFailure)
        #expect(performing: {
            _ = try database.authenticate(token: session.token, at: now.addingTimeInterval(ReportDatabase.sessionLifetime + 1))
        }, throws: isAuthFailure)
        try database.logout(token: session.token, at: now)
        #expect(performing: { _ = try database.authenticate(token: session.token, at: now) }, throws: isAuthFailure)
    }

    @Test("a wrong password opens no session and counts toward the lock-out; the lock-out leaves open sessions alone")
    func lockout() throws {
        let database = try Self.database()
        let now = Date()
        let session = try database.login(name: "drsmith", password: "correct horse", at: now)
        for _ in 0..<ReportDatabase.maximumFailedLogins {
            #expect(throws: ReportStoreError.self) { _ = try database.login(name: "drsmith", password: "wrong one", at: now) }
        }
        #expect(performing: { _ = try database.login(name: "drsmith", password: "correct horse", at: now) }, throws: {
            ($0 as? ReportStoreError)?.code == .authenticationFailed
        })
        #expect(try database.user(named: "drsmith")?.lockedUntil != nil)
        // A radiologist mid-dictation keeps their session: the lock-out stops new password logins only.
        #expect(try database.authenticate(token: session.token, at: now).name == "drsmith")
        // After the lock-out the right password works again.
        let later = now.addingTimeInterval(ReportDatabase.lockoutDuration + 1)
        #expect(try database.login(name: "drsmith", password: "correct horse", at: later).user.name == "drsmith")
    }

    @Test("an unknown name, a wrong password and a locked account get the same answer")
    func sameAnswerForEveryFailure() throws {
        let database = try Self.database()
        let now = Date()
        func failure(_ name: String, _ password: String) -> String? {
            do {
                _ = try database.login(name: name, password: password, at: now)
                return nil
            } catch {
                return "\(error)"
            }
        }
        let unknown = failure("nobody", "whatever1")
        let wrong = failure("drsmith", "wrong one")
        #expect(unknown != nil && unknown == wrong)
        for _ in 0..<ReportDatabase.maximumFailedLogins { _ = failure("drsmith", "wrong one") }
        #expect(failure("drsmith", "correct horse") == unknown, "a locked account answers like an unknown name")
    }

    @Test("an unknown name is refused only after a bcrypt verification, as a wrong password is")
    func unknownNameTakesAsLong() throws {
        let database = try ReportDatabase.inMemory()
        try database.addUser(name: "drcost", role: .radiologist, password: "correct horse")  // the default cost
        _ = ReportDatabase.standInPasswordHash  // made once, outside the timing
        func seconds(_ name: String) -> Double {
            let start = ContinuousClock.now
            _ = try? database.login(name: name, password: "wrong one")
            let elapsed = ContinuousClock.now - start
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
        let known = (0..<3).map { _ in seconds("drcost") }.sorted()[1]
        let unknown = (0..<3).map { _ in seconds("nobody-\(UUID().uuidString.prefix(8))") }.sorted()[1]
        // Both are one bcrypt at cost 12 (≈0.2 s); an unknown name used to answer in about a millisecond.
        #expect(unknown > known / 2, "unknown \(unknown) s against known \(known) s")
    }

    @Test("parallel wrong guesses are counted in one transaction each: no more are checked than the limit")
    func parallelGuessesAreCounted() async throws {
        let database = try Self.database()
        let now = Date()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<24 {
                group.addTask { _ = try? database.login(name: "drsmith", password: "wrong one", at: now) }
            }
        }
        let checked = try database.auditLog().filter { $0.action == "login-failed" && $0.detail.hasPrefix("attempt") }
        #expect(checked.count == ReportDatabase.maximumFailedLogins, "\(checked.count) guesses were checked")
        #expect(try database.auditLog().filter { $0.detail == "account locked" }.count == 24 - checked.count)
    }

    @Test("a failed login for an unknown name logs at most 64 characters of it")
    func auditedNameIsBounded() throws {
        let database = try Self.database()
        let huge = String(repeating: "x", count: 100_000) + "\u{0}"
        #expect(throws: ReportStoreError.self) { _ = try database.login(name: huge, password: "whatever1") }
        let entry = try #require(try database.auditLog().last)
        #expect(entry.action == "login-failed" && entry.detail == "unknown user")
        #expect(entry.user.count <= 65)
    }
}
