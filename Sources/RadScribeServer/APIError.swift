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

    init(_ status: HTTPResponse.Status, _ message: String, checks: ChecksBody? = nil) {
        self.status = status
        self.message = message
        self.checks = checks
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try JSONResponse.make(ErrorBody(error: message, checks: checks), status: status)
    }

    static let unauthenticated = APIError(.unauthorized, "log in first: POST /api/login, then send the session cookie or `Authorization: Bearer TOKEN`")

    /// The HTTP answer for an error thrown by the store or the lifecycle.
    static func from(_ error: any Error) -> any Error {
        switch error {
        case let error as APIError: return error
        case let error as any HTTPResponseError: return error
        case let refusal as LifecycleRefusal:
            return APIError(refusal.kind == .notPermitted ? .forbidden : .conflict, refusal.reason)
        case let error as ReportStoreError:
            let status: HTTPResponse.Status =
                switch error.code {
                case .orderNotFound, .reportNotFound, .templateNotFound, .userNotFound, .outboxMessageNotFound: .notFound
                case .notPermitted: .forbidden
                case .authenticationFailed, .accountLocked: .unauthorized
                case .alreadySigned, .reportNotEditable, .illegalTransition, .userExists, .orderExists: .conflict
                case .invalidArgument: .badRequest
                case .storageFull, .readOnly, .databaseUnusable: .serviceUnavailable
                }
            return APIError(status, error.message)
        case is DecodingError:
            return APIError(.badRequest, "the request body is not the JSON this route takes: \(error)")
        default:
            return APIError(.internalServerError, "\(error)")
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
        switch from(error) {
        case let error as APIError: error.message
        default: "\(error)"
        }
    }
}
