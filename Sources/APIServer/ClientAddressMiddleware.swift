import HTTPTypes
import Hummingbird

/// Replaces the TCP peer with the client a trusted proxy names in `X-Forwarded-For` (``TrustedProxies``), before
/// the access log and the rate limits read ``APIRequestContext/clientAddress``.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    let proxies: TrustedProxies

    func handle(
        _ request: Request, context: APIRequestContext, next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        let forwarded = request.headers[values: Self.forwardedFor]
        guard !forwarded.isEmpty else { return try await next(request, context) }
        var context = context
        context.clientAddress = proxies.client(peer: context.clientAddress, forwardedFor: forwarded)
        return try await next(request, context)
    }
}
