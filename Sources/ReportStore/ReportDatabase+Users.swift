import Foundation
import GRDB
import HummingbirdBcrypt
import RadScribeCore

extension ReportDatabase {
    /// Failed logins in a row that lock an account. Above the server's per-address limit, so that one client is
    /// throttled before it can lock anyone out.
    public static let maximumFailedLogins = 10
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
        guard Self.isUserName(name) else {
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

    /// Checks a password. After ``maximumFailedLogins`` failures in a row the account refuses password logins for
    /// ``lockoutDuration``; a success resets the count. Sessions already open stay open: a lock-out stops new logins
    /// only, so guessing at a radiologist's name cannot end their dictation. Every attempt is audited.
    ///
    /// Each attempt is counted in one transaction before its password is verified, so parallel guesses cannot
    /// exceed the limit. Unknown names, wrong passwords and locked accounts fail alike: the same error, and one
    /// bcrypt verification each (against a stand-in hash when there is no real one), so neither the answer nor its
    /// time tells which names exist.
    /// - Returns: the user, when the password matches.
    /// - Throws: ``ReportStoreError`` `.authenticationFailed`, for every kind of failure.
    public func authenticate(name: String, password: String, at time: Date = Date()) throws -> StoredUser {
        let loggedName = Self.loggableUserName(name)
        let attempt: LoginAttempt = try write { db in
            guard Self.isUserName(name), var user = try UserRecord.filter(Column("name") == name).fetchOne(db) else {
                return .unknown
            }
            if let lockedUntil = user.lockedUntil, lockedUntil > time { return .locked(user) }
            user.failedAttempts += 1
            let number = user.failedAttempts
            if number >= Self.maximumFailedLogins {
                user.lockedUntil = time.addingTimeInterval(Self.lockoutDuration)
                user.failedAttempts = 0
            }
            try user.update(db)
            return .counted(user, number: number)
        }
        let hash: String
        switch attempt {
        case .counted(let user, _): hash = user.passwordHash ?? Self.standInPasswordHash
        case .unknown, .locked: hash = Self.standInPasswordHash
        }
        let matches = Bcrypt.verify(password, hash: hash)
        // The audit line of a failure must be committed: the transaction returns the failure rather than throw it.
        let user: StoredUser? = try write { db in
            switch attempt {
            case .unknown:
                try Self.audit(
                    db, user: ActingUser(name: loggedName, role: nil), action: "login-failed", reportID: nil,
                    accession: nil, detail: "unknown user", at: time
                )
            case .locked(let user):
                try Self.audit(
                    db, user: ActingUser(name: user.name, role: UserRole(rawValue: user.role)), action: "login-failed",
                    reportID: nil, accession: nil, detail: "account locked", at: time
                )
            case .counted(let counted, let number):
                let acting = ActingUser(name: counted.name, role: UserRole(rawValue: counted.role))
                guard var user = try UserRecord.filter(Column("name") == counted.name).fetchOne(db) else { break }
                if matches, counted.passwordHash != nil {
                    user.failedAttempts = 0
                    user.lockedUntil = nil
                    try user.update(db)
                    try Self.audit(db, user: acting, action: "login", reportID: nil, accession: nil, detail: "", at: time)
                    return user.stored as StoredUser?
                }
                var detail = "attempt \(number)"
                if number >= Self.maximumFailedLogins { detail += ", locked" }
                try Self.audit(
                    db, user: acting, action: "login-failed", reportID: nil, accession: nil, detail: detail, at: time
                )
            }
            return nil
        }
        guard let user else { throw ReportStoreError.loginFailed }
        return user
    }

    /// What the first transaction of a login found.
    private enum LoginAttempt {
        case unknown
        case locked(UserRecord)
        /// Counted as a failure until the password proves otherwise; `number` in the current run of failures.
        case counted(UserRecord, number: Int)
    }

    /// A bcrypt hash of nothing anyone types, at the default cost: verified when a name has no hash of its own so
    /// that an unknown name takes as long to refuse as a wrong password.
    static let standInPasswordHash = Bcrypt.hash(UUID().uuidString, cost: 12)

    /// Whether `name` could be a user name (``addUser(name:role:password:cost:by:)``'s rule).
    static func isUserName(_ name: String) -> Bool {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "._-"))
        return !name.isEmpty && name.count <= 64 && name.unicodeScalars.allSatisfy(allowed.contains)
    }

    /// A submitted name as the audit log may keep it: at most 64 characters, control characters replaced, so an
    /// anonymous caller cannot fill the append-only log.
    static func loggableUserName(_ name: String) -> String {
        let cleaned = String(String.UnicodeScalarView(name.unicodeScalars.prefix(64).map {
            $0.properties.generalCategory == .control ? "?" : $0
        }))
        return name.unicodeScalars.count > 64 ? cleaned + "…" : cleaned
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

