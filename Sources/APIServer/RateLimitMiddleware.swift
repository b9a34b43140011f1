import Hummingbird

/// Limits the public search routes per client address (`RATE_LIMIT_PER_MINUTE`); over the limit, 429 with
/// `Retry-After`.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let limiter: RateLimiter

    func handle(
        _ request: Request, context: APIRequestContext, next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        if let wait = limiter.acquire(context.clientKey) {
            throw APIError.rateLimited(
                retryAfter: Int(wait.rounded(.up)), "Too many requests; retry after the time in Retry-After")
        }
        return try await next(request, context)
    }
}
