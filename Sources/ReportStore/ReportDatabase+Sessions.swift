import Foundation
import GRDB
import HummingbirdBcrypt
import RadScribeCore

/// An API session: who holds a token, with which role, until when.
public struct APISession: Sendable, Hashable {
    /// The bearer token: `<session id>.<256 random bits, base64url>`. Shown once; the store keeps only a bcrypt hash.
    public var token: String
    public var user: StoredUser
    public var expiresAt: Date
}

extension ReportDatabase {
    /// How long an API token stays valid.
    public static let sessionLifetime: TimeInterval = 8 * 60 * 60

    /// Logs in with a password (with ``authenticate(name:password:at:)``'s lock-out and audit) and opens a session.
    /// - Returns: the session, whose token authenticates later requests with ``authenticate(token:at:)``.
    /// - Throws: ``ReportStoreError`` `.authenticationFailed` or `.accountLocked`.
    public func login(name: String, password: String, at time: Date = Date(), lifetime: TimeInterval = sessionLifetime)
        throws -> APISession
    {
        let user = try authenticate(name: name, password: password, at: time)
        var secretBytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()  // getrandom(2): cryptographically secure
        for index in secretBytes.indices { secretBytes[index] = generator.next() }
        let secret = Data(secretBytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let hash = Bcrypt.hash(secret, cost: 4)  // the secret is random: the cost guards nothing, keep it cheap
        let expires = time.addingTimeInterval(lifetime)
        let id: Int64 = try write { db in
            guard let userID = try Int64.fetchOne(db, sql: "SELECT id FROM users WHERE name = ?", arguments: [name]) else {
                throw ReportStoreError.authenticationFailed(name)
            }
            try db.execute(
                sql: "INSERT INTO api_sessions (user_id, secret_hash, created_at, expires_at) VALUES (?, ?, ?, ?)",
                arguments: [userID, hash, time, expires]
            )
            return db.lastInsertedRowID
        }
        return APISession(token: "\(id).\(secret)", user: user, expiresAt: expires)
    }

    /// The user (and role) a token belongs to.
    /// - Throws: ``ReportStoreError`` `.authenticationFailed` for a malformed, unknown, expired or revoked token.
    public func authenticate(token: String, at time: Date = Date()) throws -> StoredUser {
        let parts = token.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, let id = Int64(parts[0]) else {
            throw ReportStoreError(.authenticationFailed, "invalid or expired session token; log in again")
        }
        let found = try read { db -> (String, Date, Date?, UserRecord)? in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT user_id, secret_hash, expires_at, revoked_at FROM api_sessions WHERE id = ?",
                arguments: [id]
            ), let user = try UserRecord.fetchOne(db, key: row["user_id"] as Int64) else { return nil }
            return (row["secret_hash"], row["expires_at"], row["revoked_at"], user)
        }
        guard let (hash, expires, revoked, user) = found, revoked == nil, expires > time,
            Bcrypt.verify(String(parts[1]), hash: hash)
        else {
            throw ReportStoreError(.authenticationFailed, "invalid or expired session token; log in again")
        }
        // A lock-out stops new password logins only: a session opened before it stays valid.
        return user.stored
    }

    /// Ends a session (logout): its token no longer authenticates.
    public func logout(token: String, at time: Date = Date()) throws {
        guard let id = token.split(separator: ".", maxSplits: 1).first.flatMap({ Int64($0) }) else { return }
        _ = try authenticate(token: token, at: time)
        try write { db in
            try db.execute(sql: "UPDATE api_sessions SET revoked_at = ? WHERE id = ?", arguments: [time, id])
        }
    }

    /// API sessions: a bcrypt hash of each token's secret, never the token.
    static func migrateSessions(_ db: Database) throws {
        try db.create(table: "api_sessions") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("user_id", .integer).notNull().indexed().references("users", onDelete: .cascade)
            t.column("secret_hash", .text).notNull()
            t.column("created_at", .datetime).notNull()
            t.column("expires_at", .datetime).notNull()
            t.column("revoked_at", .datetime)
        }
    }
}
