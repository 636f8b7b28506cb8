import Foundation
import RadScribeCore
import ReportStore
import Testing

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

    @Test("a wrong password opens no session and counts toward the lock-out")
    func lockout() throws {
        let database = try Self.database()
        let now = Date()
        let session = try database.login(name: "drsmith", password: "correct horse", at: now)
        for _ in 0..<ReportDatabase.maximumFailedLogins {
            #expect(throws: ReportStoreError.self) { _ = try database.login(name: "drsmith", password: "wrong one", at: now) }
        }
        #expect(performing: { _ = try database.login(name: "drsmith", password: "correct horse", at: now) }, throws: {
            ($0 as? ReportStoreError)?.code == .accountLocked
        })
        // A locked account's open sessions stop working too.
        #expect(performing: { _ = try database.authenticate(token: session.token, at: now) }, throws: {
            ($0 as? ReportStoreError)?.code == .accountLocked
        })
    }
}
