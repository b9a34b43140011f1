import Hummingbird
import Logging

/// Turns every error into a `{"detail": ...}` response: `APIError`s as they are, Hummingbird's HTTP errors
/// with their status (404 becomes 405 when the path exists under another method), and anything else into a
/// logged, detail-free 500, so no internal message or stack ever reaches a client.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(
        _ request: Request, context: APIRequestContext, next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            return try translate(error, request, context).response(from: request, context: context)
        } catch {
            let mapped = APIError.mapping(error)
            if mapped == nil || mapped!.status.code >= 500 {
                // Our modules' errors are written to be log-safe (no secrets, no upstream bodies).
                context.logger.error(
                    "request failed",
                    metadata: [
                        "error.type": .string(String(reflecting: type(of: error))),
                        "error": .string(String(describing: error)),
                    ])
            }
            return try (mapped ?? .serverFailure).response(from: request, context: context)
        }
    }

    private func translate(_ error: any HTTPResponseError, _ request: Request, _ context: APIRequestContext) -> APIError
    {
        switch error.status {
        case .notFound:
            let methods = RouteTable.methods(for: request.uri.path)
            if !methods.isEmpty, !methods.contains(request.method.rawValue) {
                let allow = methods.joined(separator: ", ")
                return APIError(
                    .methodNotAllowed, .methodNotAllowed, "Method Not Allowed",
                    headers: [.allow: allow])
            }
            return .notFound()
        case .contentTooLarge:
            return APIError(.contentTooLarge, .tooLarge, "the request body is too large")
        default:
            let status = error.status
            if status.code >= 500 {
                context.logger.error("server error", metadata: ["status": .stringConvertible(status.code)])
                return .serverFailure
            }
            return APIError(status, .validation, status.reasonPhrase)
        }
    }
}
