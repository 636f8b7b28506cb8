import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RadScribeCore
import ReportStore

/// An error answered as `{"error": "…"}` (plus details such as the checks that blocked a signature).
struct APIError: HTTPResponseError {
    var status: HTTPResponse.Status
    var message: String
    var checks: ChecksBody?
    /// What went wrong inside, for the server log only: never sent to the client.
    var underlying: String?

    init(_ status: HTTPResponse.Status, _ message: String, checks: ChecksBody? = nil) {
        self.status = status
        self.message = message
        self.checks = checks
    }

    /// Further headers of the answer (`Retry-After`).
    var headers: HTTPFields = [:]

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try JSONResponse.make(ErrorBody(error: message, checks: checks), status: status, headers: headers)
    }

    static let unauthenticated = APIError(.unauthorized, "log in first: POST /api/login, then send the session cookie or `Authorization: Bearer TOKEN`")

    /// The HTTP answer for any error: store and lifecycle refusals in their own words, framework errors (a body that
    /// is not JSON, a missing route) with their status, and anything else as a 500 that names no internals (the
    /// server log has them: ``underlying``).
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError: return error
        case let refusal as LifecycleRefusal:
            return APIError(refusal.kind == .notPermitted ? .forbidden : .conflict, refusal.reason)
        case let error as ReportStoreError:
            let status: HTTPResponse.Status =
                switch error.code {
                case .orderNotFound, .reportNotFound, .templateNotFound, .userNotFound, .outboxMessageNotFound: .notFound
                case .notPermitted: .forbidden
                case .authenticationFailed, .accountLocked: .unauthorized
                case .alreadySigned, .reportNotEditable, .illegalTransition, .userExists, .orderExists, .staleEdit: .conflict
                case .invalidArgument: .badRequest
                case .storageFull, .readOnly, .databaseUnusable: .serviceUnavailable
                }
            return APIError(status, error.message)
        case let refusal as ResultMessageRefusal:
            return APIError(.conflict, refusal.description)
        case let error as any UserFacingError:
            return APIError(.unprocessableContent, error.description)
        case is DecodingError:
            return APIError(.badRequest, "the request body is not the JSON this route takes: \(error)")
        case let error as HTTPError:
            return APIError(error.status, error.body ?? error.status.reasonPhrase)
        case let error as any HTTPResponseError:
            return APIError(error.status, error.status.reasonPhrase)
        default:
            var failure = APIError(
                .internalServerError, "the server could not complete this request; its log has the details"
            )
            failure.underlying = "\(error)"
            return failure
        }
    }
}

struct ErrorBody: Encodable {
    var error: String
    var checks: ChecksBody?
}

/// JSON with ISO 8601 dates, the one encoding every route uses.
enum JSONResponse {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(
            status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder().encode(value)))
        )
    }
}

extension APIError {
    /// The message a user sees for any error.
    static func describe(_ error: any Error) -> String {
        from(error).message
    }
}
