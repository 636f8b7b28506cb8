import Foundation
import GRDB
import RadScribeCore

/// Why a store operation was refused. Descriptions carry ids only, never patient data or report text.
public struct ReportStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        case orderNotFound
        case reportNotFound
        case templateNotFound
        case alreadySigned
        case reportNotEditable
        /// The report's status does not allow the action (see `ReportLifecycle`).
        case illegalTransition
        /// The user's role does not allow the action.
        case notPermitted
        case userNotFound
        case userExists
        case orderExists
        case authenticationFailed
        case accountLocked
        /// An argument the store cannot use (an empty search, a file that is no RadScribe database).
        case invalidArgument
        case storageFull
        case readOnly
        case databaseUnusable
        /// No HL7 outbox row with that id.
        case outboxMessageNotFound
        /// An edit made on a version that is no longer the newest: someone saved in between.
        case staleEdit
    }

    public let code: Code
    /// What went wrong, in words for any front end: no command-line instructions (the CLI adds its own hints).
    public let message: String
    /// The accession, template, user name or message id the error is about, for a front end's own hint.
    public let subject: String?

    init(_ code: Code, _ message: String, subject: String? = nil) {
        self.code = code
        self.message = message
        self.subject = subject
    }

    public var description: String { message }

    static func orderNotFound(_ accession: String) -> ReportStoreError {
        ReportStoreError(.orderNotFound, "no order with accession \(accession); check the accession number")
    }

    static func reportNotFound(_ accession: String) -> ReportStoreError {
        ReportStoreError(.reportNotFound, "no report for accession \(accession)", subject: accession)
    }

    static func templateNotFound(_ identifier: String, known: [String]) -> ReportStoreError {
        let list = known.isEmpty ? "none are loaded" : "known: " + known.joined(separator: ", ")
        return ReportStoreError(.templateNotFound, "no template '\(identifier)' (\(list))", subject: identifier)
    }

    static func alreadySigned(_ accession: String, by user: String) -> ReportStoreError {
        ReportStoreError(.alreadySigned, "report \(accession) is already final (signed by \(user)); nothing changed")
    }

    static func reportNotEditable(_ accession: String, status: String) -> ReportStoreError {
        ReportStoreError(
            .reportNotEditable,
            "report \(accession) is \(status) and cannot be dictated over; a signed report changes only by addendum"
        )
    }

    static func refused(_ refusal: LifecycleRefusal, accession: String, user: String) -> ReportStoreError {
        switch refusal.kind {
        case .notPermitted:
            ReportStoreError(.notPermitted, "\(user) may not do that to report \(accession): \(refusal.reason)")
        case .illegalTransition:
            ReportStoreError(.illegalTransition, "report \(accession): \(refusal.reason); nothing changed")
        }
    }

    static func staleEdit(_ accession: String, basedOn: Int, current: Int) -> ReportStoreError {
        ReportStoreError(
            .staleEdit,
            "report \(accession) was changed since version \(basedOn) (it is now version \(current)); "
                + "nothing was saved: open the newest version and make the change again"
        )
    }

    static func userNotFound(_ name: String) -> ReportStoreError {
        ReportStoreError(.userNotFound, "no user named '\(name)'", subject: name)
    }

    static func userExists(_ name: String) -> ReportStoreError {
        ReportStoreError(.userExists, "a user named '\(name)' already exists; nothing changed")
    }

    static func orderExists(_ accession: String) -> ReportStoreError {
        ReportStoreError(.orderExists, "an order with accession \(accession) already exists; nothing changed")
    }

    static func authenticationFailed(_ name: String) -> ReportStoreError {
        ReportStoreError(.authenticationFailed, "wrong user name or password for '\(name)'")
    }

    /// Every failed password login, whatever the cause: the answer must not tell which names exist or are locked.
    static let loginFailed = ReportStoreError(
        .authenticationFailed,
        "wrong user name or password, or the account is locked after repeated failures (try again in 15 minutes or "
            + "ask an administrator)"
    )

    static func accountLocked(_ name: String, until: Date) -> ReportStoreError {
        let time = ISO8601DateFormatter().string(from: until)
        return ReportStoreError(
            .accountLocked, "the account '\(name)' is locked after repeated failed logins until \(time)"
        )
    }

    static func invalidArgument(_ message: String) -> ReportStoreError {
        ReportStoreError(.invalidArgument, message)
    }

    /// Maps SQLite failures a user can act on to plain sentences; anything else passes through unchanged.
    static func wrap(_ error: any Error, path: String) -> any Error {
        guard let error = error as? DatabaseError else { return error }
        switch error.resultCode {
        case .SQLITE_FULL:
            return ReportStoreError(.storageFull, "the disk holding \(path) is full; free space and try again (nothing was saved)")
        case .SQLITE_READONLY:
            return ReportStoreError(.readOnly, "the database \(path) is read-only; check its permissions (nothing was saved)")
        case .SQLITE_CANTOPEN:
            return ReportStoreError(.databaseUnusable, "cannot open the database \(path): check the folder exists and is writable")
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return ReportStoreError(.databaseUnusable, "\(path) is not a usable RadScribe database (\(error.resultCode))")
        default:
            return error
        }
    }
}
