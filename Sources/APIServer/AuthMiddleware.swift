import Hummingbird
import Store

/// Requires a valid bearer token of an active user (any role, or `role`): 401 with `WWW-Authenticate:
/// Bearer` without one, 403 for a user of another role. The role is read from the store, not the token, so
/// demoting or deactivating a user takes effect at once.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let state: ServerState
    let role: UserRole?

    func handle(
        _ request: Request, context: APIRequestContext, next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        let user = try await authenticate(request)
        if let role, user.role != role { throw APIError.forbidden() }
        context.user = user
        context.logger[metadataKey: "user"] = .string(user.username)
        return try await next(request, context)
    }

    private func authenticate(_ request: Request) async throws -> User {
        guard let header = request.headers[.authorization] else { throw APIError.unauthorized() }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError.unauthorized("Authorization must be a bearer token")
        }
        guard let claims = await state.tokens.verify(String(parts[1]).trimmingCharacters(in: .whitespaces)) else {
            throw APIError.unauthorized("Could not validate credentials")
        }
        // The id as well as the name: a user deleted and created again under the same name is another user.
        // A token older than its user was not issued to it (a second's slack: `iat` is in whole seconds), and one
        // issued before the user's password last changed (or the account was enabled again) belongs to a session
        // that change ended.
        guard let user = try await state.store.user(username: claims.sub.value), user.id == claims.uid,
            user.isActive, claims.iat.value >= user.createdAt.addingTimeInterval(-1),
            claims.cv == user.credentialsChangedAt.map(AccessClaims.credentialsVersion)
        else {
            throw APIError.unauthorized("Could not validate credentials")
        }
        return user
    }
}
