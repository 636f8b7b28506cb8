import ArgumentParser
import AudioCapture
import Foundation
import RadScribeCore
import ReportStore
import ReportTemplates
import SpeechRecognition

/// Exit codes scripts can rely on (the BSD sysexits values where one fits).
enum ExitStatus {
    static let refused: Int32 = 1  // the request conflicts with the report's state (e.g. signed twice)
    static let usage: Int32 = 64  // bad arguments (swift-argument-parser's own)
    static let badInput: Int32 = 65  // unreadable audio, broken template, malformed message
    static let notFound: Int32 = 66  // no such accession, template or file
    static let unavailable: Int32 = 69  // audio device or model missing
    static let software: Int32 = 70  // an internal error: please report it
    static let ioError: Int32 = 74  // disk full, read-only or unusable database
    static let tempFail: Int32 = 75  // a peer (the RIS) unreachable for now: try again later
    static let noPermission: Int32 = 77  // the user's role may not do this, or the login failed

    static let summary = """
        0 success; 1 refused by the report's state (e.g. already signed, illegal transition, an edit of a version \
        that is no longer the newest), a duplicate, or a \
        message rejected by the RIS (AE/AR); \
        64 usage error; 65 bad input (audio, template, message); 66 not found (accession, template, file, user); \
        69 unavailable (audio device, model files); 70 internal error; 74 storage error (disk full, read-only); \
        75 RIS unreachable, try again later; \
        77 not permitted for the user's role, or login failed.
        """

    static func code(for error: any Error) -> Int32 {
        switch error {
        case let error as CLIError: return error.exitCode
        case is ResultMessageRefusal: return refused
        case let error as AudioError:
            if error.isSameKind(as: .deviceNotFound("", alsaMessage: "")) || error.isSameKind(as: .deviceBusy("", alsaMessage: ""))
                || error.isSameKind(as: .deviceFormat("", alsaMessage: ""))
            {
                return unavailable
            }
            if error.isSameKind(as: .fileUnreadable("", reason: "")) { return notFound }
            return badInput
        case is TemplateError: return badInput
        case is RecognitionError: return unavailable
        case is ResourceError: return unavailable
        case let error as ReportStoreError:
            switch error.code {
            case .orderNotFound, .reportNotFound, .templateNotFound, .userNotFound, .outboxMessageNotFound: return notFound
            case .alreadySigned, .reportNotEditable, .illegalTransition, .userExists, .orderExists, .staleEdit:
                return refused
            case .notPermitted, .authenticationFailed, .accountLocked: return noPermission
            case .invalidArgument: return badInput
            case .storageFull, .readOnly, .databaseUnusable: return ioError
            }
        default: return software
        }
    }
}

/// A failure the CLI itself detects, with its exit code.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    var exitCode: Int32
}

/// Runs a command body; prints any failure as one `error:` line on stderr and exits with its code.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw exitError(for: error)
    }
}

/// The async twin of ``reportingErrors(_:)``, for the long-running service.
func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        throw exitError(for: error)
    }
}

private func exitError(for error: any Error) -> any Error {
    if error is ExitCode || error is ValidationError || error is CleanExit { return error }
    if let error = error as? ReportStoreError, let hint = commandLineHint(for: error) {
        Console.error("error: \(error); \(hint)")
    } else {
        Console.error("error: \(error)")
    }
    return ExitCode(ExitStatus.code(for: error))
}

/// What to type next, for the store errors a command line can help with (the store's own words name no command).
func commandLineHint(for error: ReportStoreError) -> String? {
    let subject = error.subject ?? "…"
    return switch error.code {
    case .reportNotFound: "dictate one with `radscribe dictate --accession \(subject) …`"
    case .templateNotFound: "see `radscribe template list`"
    case .userNotFound: "add one with `radscribe user add \(subject) --role ROLE`"
    case .outboxMessageNotFound: "see `radscribe hl7 queue`"
    default: nil
    }
}

/// Terminal output: results on stdout, diagnostics and progress on stderr.
enum Console {
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }

    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
