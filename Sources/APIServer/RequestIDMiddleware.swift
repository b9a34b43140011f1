import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Gives every request an id: the client's `X-Request-Id` when it is a short token, else a new UUID. The id
/// goes into every log line of the request and back to the client in the response's `X-Request-Id`.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    static let header = HTTPField.Name("X-Request-Id")!

    func handle(
        _ request: Request, context: APIRequestContext, next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        let id = request.headers[Self.header].flatMap(Self.accepted) ?? UUID().uuidString.lowercased()
        context.requestID = id
        // Hummingbird's own key, so its log lines and `context.id` carry the same id as ours.
        context.logger[metadataKey: "hb.request.id"] = .string(id)
        var response = try await next(request, context)
        response.headers[Self.header] = id
        return response
    }

    /// A client id is echoed only if it is 1-128 characters of `[A-Za-z0-9._:-]`, so it cannot inject
    /// header or log syntax.
    static func accepted(_ value: String) -> String? {
        guard (1...128).contains(value.utf8.count),
            value.utf8.allSatisfy({ byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || byte == 0x2E || byte == 0x5F || byte == 0x3A || byte == 0x2D
            })
        else { return nil }
        return value
    }
}
