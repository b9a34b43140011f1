import Hummingbird

/// CORS for the origins listed in `CORS_ORIGINS` (`*` allows any). With no list, no CORS headers are sent
/// and browsers allow only same-origin use, which is all the bundled pages need.
struct CORSPolicyMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let origins: Set<String>
    let allowsAny: Bool

    init(origins: [String]) {
        self.origins = Set(origins)
        allowsAny = origins.contains("*")
    }

    func handle(
        _ request: Request, context: APIRequestContext, next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let origin = request.headers[.origin], let allowed = allowedValue(for: origin) else {
            return try await next(request, context)
        }
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            return Response(
                status: .noContent,
                headers: [
                    .accessControlAllowOrigin: allowed,
                    .accessControlAllowMethods: "GET, POST, PUT, DELETE, OPTIONS",
                    .accessControlAllowHeaders: "Authorization, Content-Type, Accept, X-Request-Id",
                    .accessControlMaxAge: "600",
                    .vary: "Origin",
                ])
        }
        var response = try await next(request, context)
        response.headers[.accessControlAllowOrigin] = allowed
        response.headers[.accessControlExposeHeaders] = "X-Request-Id, Retry-After"
        response.headers[values: .vary].append("Origin")
        return response
    }

    private func allowedValue(for origin: String) -> String? {
        if allowsAny { return "*" }
        return origins.contains(origin) ? origin : nil
    }
}
