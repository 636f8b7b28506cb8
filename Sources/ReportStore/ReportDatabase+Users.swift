import Foundation
import GRDB
import HummingbirdBcrypt
import RadScribeCore

extension ReportDatabase {
    /// Failed logins in a row that lock an account.
    public static let maximumFailedLogins = 5
    /// How long a locked account stays locked.
    public static let lockoutDuration: TimeInterval = 15 * 60

    // MARK: Users

    /// Adds a user. The password, if any, is stored only as a bcrypt hash (HummingbirdBcrypt).
    /// - Parameters:
    ///   - name: the login name, also what `--as` and signatures name; letters, digits, `.`, `_`, `-`.
    ///   - role: what the user may do (see ``ReportLifecycle``).
    ///   - password: at least 8 characters, or nil for a user who acts only through the local command line.
    ///   - cost: bcrypt's log2 rounds; tests use the minimum, 4.
    ///   - creator: who adds the user, for the audit log.
    /// - Throws: ``ReportStoreError`` when the name is taken or malformed, or the password too short.
    @discardableResult
    public func addUser(
        name: String, role: UserRole, password: String?, cost: UInt8 = 12, by creator: String = "os:" + NSUserName()
    ) throws -> StoredUser {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "._-"))
        guard !name.isEmpty, name.count <= 64, name.unicodeScalars.allSatisfy(allowed.contains) else {
            throw ReportStoreError.invalidArgument(
                "a user name is 1 to 64 letters, digits, '.', '_' or '-'; '\(name)' is not"
            )
        }
        if let password, password.count < 8 {
            throw ReportStoreError.invalidArgument("a password needs at least 8 characters; nothing changed")
        }
        let hash = password.map { Bcrypt.hash($0, cost: cost) }  // slow by design: outside the write lock
        return try write { db in
            if try UserRecord.filter(Column("name") == name).fetchCount(db) > 0 {
                throw ReportStoreError.userExists(name)
            }
            let now = Date()
            var record = UserRecord(
                name: name, role: role.rawValue, passwordHash: hash, failedAttempts: 0, lockedUntil: nil, createdAt: now
            )
            try record.insert(db)
            try Self.audit(
                db, user: ActingUser(name: creator, role: nil), action: "user-add", reportID: nil, accession: nil,
                detail: "\(name) as \(role.rawValue)", at: now
            )
            return record.stored
        }
    }

    /// Every user, by name.
    public func users() throws -> [StoredUser] {
        try read { db in try UserRecord.order(Column("name")).fetchAll(db).map(\.stored) }
    }

    /// The user named `name`, if any.
    public func user(named name: String) throws -> StoredUser? {
        try read { db in try UserRecord.filter(Column("name") == name).fetchOne(db)?.stored }
    }

    /// Checks a password. After ``maximumFailedLogins`` failures in a row the account is locked for
    /// ``lockoutDuration``; a success resets the count. Every attempt is audited.
    /// - Returns: the user, when the password matches.
    /// - Throws: ``ReportStoreError`` `.authenticationFailed` (unknown user or wrong password, alike) or
    ///   `.accountLocked`.
    public func authenticate(name: String, password: String, at time: Date = Date()) throws -> StoredUser {
        let record = try read { db in try UserRecord.filter(Column("name") == name).fetchOne(db) }
        if let lockedUntil = record?.lockedUntil, lockedUntil > time {
            throw ReportStoreError.accountLocked(name, until: lockedUntil)
        }
        let matches = record?.passwordHash.map { Bcrypt.verify(password, hash: $0) } ?? false
        let outcome: Result<StoredUser, ReportStoreError> = try write { db in
            guard var user = try UserRecord.filter(Column("name") == name).fetchOne(db) else {
                try Self.audit(
                    db, user: ActingUser(name: name, role: nil), action: "login-failed", reportID: nil, accession: nil,
                    detail: "unknown user", at: time
                )
                return .failure(.authenticationFailed(name))
            }
            let acting = ActingUser(name: user.name, role: UserRole(rawValue: user.role))
            if matches {
                user.failedAttempts = 0
                user.lockedUntil = nil
                try user.update(db)
                try Self.audit(db, user: acting, action: "login", reportID: nil, accession: nil, detail: "", at: time)
                return .success(user.stored)
            }
            user.failedAttempts += 1
            var detail = "attempt \(user.failedAttempts)"
            if user.failedAttempts >= Self.maximumFailedLogins {
                user.lockedUntil = time.addingTimeInterval(Self.lockoutDuration)
                user.failedAttempts = 0
                detail += ", locked"
            }
            try user.update(db)
            try Self.audit(
                db, user: acting, action: "login-failed", reportID: nil, accession: nil, detail: detail, at: time
            )
            if let lockedUntil = user.lockedUntil {
                return .failure(.accountLocked(name, until: lockedUntil))
            }
            return .failure(.authenticationFailed(name))
        }
        return try outcome.get()
    }

    // MARK: Audit

    /// The audit log, oldest first; only one report's entries when `accession` is given.
    public func auditLog(accession: String? = nil, limit: Int = 1000) throws -> [AuditEntry] {
        try read { db in
            var request = AuditRecord.order(Column("id")).limit(limit)
            if let accession { request = request.filter(Column("accession") == accession) }
            return try request.fetchAll(db).map {
                AuditEntry(
                    at: $0.at, user: $0.userName, role: $0.userRole, action: $0.action, accession: $0.accession,
                    detail: $0.detail
                )
            }
        }
    }

    /// Appends one line to the audit log. Ids only: never report text or a patient's name.
    static func audit(
        _ db: Database, user: ActingUser, action: String, reportID: Int64?, accession: String?, detail: String,
        at time: Date
    ) throws {
        var record = AuditRecord(
            at: time, userName: user.name, userRole: user.role?.rawValue ?? "", action: action, reportId: reportID,
            accession: accession, detail: detail
        )
        try record.insert(db)
    }
}

extension UserRecord {
    var stored: StoredUser {
        StoredUser(
            name: name, role: UserRole(rawValue: role) ?? .transcriptionist, hasPassword: passwordHash != nil,
            failedAttempts: failedAttempts, lockedUntil: lockedUntil, createdAt: createdAt
        )
    }
}
