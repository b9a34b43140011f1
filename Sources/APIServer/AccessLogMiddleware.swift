import ConcurrencySupport
import Foundation
import Hummingbird
import Logging

/// Logs one line per request (method, route template, status, duration; never the query string or the
/// body) and records it in the request metrics.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let metrics: ServerMetrics
    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    func handle(
        _ request: Request, context: APIRequestContext, next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            // The error middleware inside turns every error into a response; this is a last resort.
            record(request, context, status: 500, since: start)
            throw error
        }
        record(request, context, status: response.status.code, since: start)
        return response
    }

    private func record(
        _ request: Request, _ context: APIRequestContext, status: Int, since start: ContinuousClock.Instant
    ) {
        let seconds = (ContinuousClock.now - start).timeInterval
        let route = context.endpointPath ?? "NotFound"
        // Clients choose the method token: only known ones become label values, so labels stay bounded.
        let method = Self.knownMethods.contains(request.method.rawValue) ? request.method.rawValue : "OTHER"
        metrics.recordRequest(method: method, route: route, status: status, seconds: seconds)
        context.logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue), "path": .string(request.uri.path),
                "route": .string(route), "status": .stringConvertible(status),
                "duration_ms": .string(String(format: "%.1f", seconds * 1000)),
                "client": .string(context.clientAddress ?? "local"),
            ])
    }
}
