import Foundation
import Hummingbird

/// An HTTP error as the API reports it: the status, a stable machine-readable code for logs and tests, and a
/// `{"detail": "..."}` body in the old platform's (FastAPI's) shape.
///
/// The detail is written by this module from fixed phrases and validated field names; it never carries an
/// upstream body, a secret or an internal error's description.
public struct APIError: Error, Sendable, Equatable, HTTPResponseError, CustomStringConvertible {
    /// A stable identifier of the kind of failure.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let malformedBody = Code(rawValue: "malformed_body")
        public static let validation = Code(rawValue: "validation_error")
        public static let unsupportedMediaType = Code(rawValue: "unsupported_media_type")
        public static let tooLarge = Code(rawValue: "too_large")
        public static let unauthorized = Code(rawValue: "unauthorized")
        public static let forbidden = Code(rawValue: "forbidden")
        public static let notFound = Code(rawValue: "not_found")
        public static let methodNotAllowed = Code(rawValue: "method_not_allowed")
        public static let conflict = Code(rawValue: "conflict")
        public static let rateLimited = Code(rawValue: "rate_limited")
        public static let unavailable = Code(rawValue: "unavailable")
        public static let requestTimeout = Code(rawValue: "request_timeout")
        public static let internalError = Code(rawValue: "internal_error")
    }

    public let status: HTTPResponse.Status
    public let code: Code
    /// The message clients see.
    public let detail: String
    /// Extra response headers (`WWW-Authenticate`, `Retry-After`, `Allow`).
    public var headers: HTTPFields

    /// An error with every field given.
    public init(_ status: HTTPResponse.Status, _ code: Code, _ detail: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers
    }

    public var description: String { "\(status.code) \(code): \(detail)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONResponse.make(["detail": detail], status: status)
        response.headers.append(contentsOf: headers)
        return response
    }

    // MARK: Common errors

    /// 422: a field (or the body as a whole) breaks a rule; the message names the field.
    static func invalid(_ field: String, _ message: String) -> APIError {
        APIError(.unprocessableContent, .validation, "\(field): \(message)")
    }

    /// 400: the body is not parseable at all.
    static func malformed(_ message: String) -> APIError {
        APIError(.badRequest, .malformedBody, message)
    }

    static func unsupportedMediaType(expected: String) -> APIError {
        APIError(.unsupportedMediaType, .unsupportedMediaType, "the Content-Type must be \(expected)")
    }

    static func tooLarge(limit: Int) -> APIError {
        APIError(.contentTooLarge, .tooLarge, "the request body is over the \(limit)-byte limit")
    }

    /// 401 with the challenge a bearer-token client expects.
    static func unauthorized(_ message: String = "Not authenticated") -> APIError {
        APIError(.unauthorized, .unauthorized, message, headers: [.wwwAuthenticate: "Bearer"])
    }

    static func forbidden(_ message: String = "Not enough permissions") -> APIError {
        APIError(.forbidden, .forbidden, message)
    }

    static func notFound(_ message: String = "Not Found") -> APIError {
        APIError(.notFound, .notFound, message)
    }

    /// 429 telling the client how many whole seconds to wait.
    static func rateLimited(retryAfter seconds: Int, _ message: String) -> APIError {
        APIError(.tooManyRequests, .rateLimited, message, headers: [.retryAfter: String(max(1, seconds))])
    }

    static func unavailable(_ message: String, retryAfter seconds: Int? = nil) -> APIError {
        APIError(
            .serviceUnavailable, .unavailable, message,
            headers: seconds.map { [.retryAfter: String(max(1, $0))] } ?? [:])
    }

    /// The request body did not arrive whole (client gone, or cut by the body deadline).
    static let bodyNotReceived = APIError(.requestTimeout, .requestTimeout, "the request body did not arrive in time")

    static let serverFailure = APIError(.internalServerError, .internalError, "Internal server error")
}

/// JSON response helpers; every body the API writes goes through one encoder configuration.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    /// `value` as an `application/json` response. Encoding our own `Encodable` types cannot fail in practice;
    /// if it ever did, a fixed 500 body is sent rather than trapping.
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? encoder.encode(value)) ?? Data(#"{"detail":"Internal server error"}"#.utf8)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A JSON text written by hand (``JSONText``) as an `application/json` response.
    static func make(json: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: json)))
    }

    /// The JSON text of `value`, for server-sent events.
    static func string(_ value: some Encodable) -> String {
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
