import Foundation
import HTTPTypes
import Hummingbird
import Store

/// `POST /api/auth/login` (OAuth2 password form or JSON) and `GET /api/auth/me`.
struct AuthRoutes: Sendable {
    let state: ServerState
    static let maxLoginBodyBytes = 64 << 10
    static let maxUsername = 150

    private struct Credentials: Decodable {
        var username: String
        var password: String

        enum CodingKeys: String, CodingKey, CaseIterable { case username, password }

        init(username: String, password: String) {
            self.username = username
            self.password = password
        }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(allowed: Set(CodingKeys.allCases.map(\.rawValue)))
            let container = try decoder.container(keyedBy: CodingKeys.self)
            username = try container.decode(String.self, forKey: .username)
            password = try container.decode(String.self, forKey: .password)
        }
    }

    struct TokenResponse: Encodable {
        var accessToken: String
        var tokenType = "bearer"
        var expiresIn: Int

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case tokenType = "token_type"
            case expiresIn = "expires_in"
        }
    }

    struct MeResponse: Encodable {
        var id: Int64
        var username: String
        var email: String?
        var role: String
        var isActive: Bool

        enum CodingKeys: String, CodingKey {
            case id, username, email, role
            case isActive = "is_active"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(username, forKey: .username)
            try container.encode(email, forKey: .email)
            try container.encode(role, forKey: .role)
            try container.encode(isActive, forKey: .isActive)
        }
    }

    func login(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        // Counted before the body is read: every attempt, right or wrong, may cost a hash.
        if let wait = state.loginLimiter.acquire(context.clientKey) {
            throw APIError.rateLimited(retryAfter: Int(wait.rounded(.up)), "Too many login requests; try again later")
        }
        guard !state.hashing.isSaturated else { throw Self.hashingBusy }
        var request = request
        let credentials = try await readCredentials(&request)
        let username = try Self.validUsername(credentials.username)
        let password = try Self.validPassword(credentials.password)
        let ticket: LoginThrottle.Ticket
        switch state.loginThrottle.reserve(account: Self.accountKey(username), address: context.clientKey) {
        case .success(let reserved): ticket = reserved
        case .failure(let wait):
            throw APIError.rateLimited(
                retryAfter: Int(wait.seconds.rounded(.up)), "Too many failed logins; try again later")
        }
        let user: User?
        do {
            user = try await state.store.user(username: username)
        } catch {
            state.loginThrottle.abandoned(ticket)
            throw error
        }
        let stored = user?.passwordHash
        let checked = await state.hashing.run {
            guard let stored else {
                PasswordHasher.spendEquivalentTime()
                return false
            }
            return PasswordHasher.verify(password, against: stored)
        }
        guard let matches = checked else {
            state.loginThrottle.abandoned(ticket)
            throw Self.hashingBusy
        }
        guard matches, let user, user.isActive else {
            state.loginThrottle.failed(ticket)
            context.logger.notice("login failed", metadata: ["username": .string(String(username.prefix(64)))])
            throw APIError.unauthorized("Incorrect username or password")
        }
        state.loginThrottle.succeeded(ticket)
        let token = try await state.tokens.issue(for: user)
        context.logger.info("login", metadata: ["user": .string(user.username)])
        var response = JSONResponse.make(TokenResponse(accessToken: token, expiresIn: Int(state.tokens.lifetime)))
        // RFC 6749 section 5.1: responses carrying tokens must not be stored by any cache.
        response.headers[.cacheControl] = "no-store"
        response.headers[HTTPField.Name("Pragma")!] = "no-cache"
        return response
    }

    static let hashingBusy = APIError.unavailable("Too many logins in progress; retry in a moment", retryAfter: 1)

    /// The login name as stored: trimmed, 1-150 Unicode scalars, no control characters (a NUL would be cut
    /// off by SQLite, so `admin\u{0}junk` would sign in as `admin` under a failure key of its own).
    static func validUsername(_ value: String) throws -> String {
        let username = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !username.isEmpty else { throw APIError.invalid("username", "must not be empty") }
        try TextRules.check(username, field: "username", maxScalars: maxUsername)
        return username
    }

    static func validPassword(_ value: String) throws -> String {
        guard !value.isEmpty else { throw APIError.invalid("password", "must not be empty") }
        guard value.utf8.count <= 1024 else { throw APIError.invalid("password", "must be at most 1024 bytes") }
        guard !value.unicodeScalars.contains("\u{0}") else {
            throw APIError.invalid("password", "must not contain NUL characters")
        }
        return value
    }

    /// The key failed logins count under: one per account however its name is spelt (case, compatibility
    /// forms such as full-width letters).
    static func accountKey(_ username: String) -> String {
        username.precomposedStringWithCompatibilityMapping.lowercased()
    }

    func me(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        guard let user = context.user else { throw APIError.unauthorized() }
        return JSONResponse.make(
            MeResponse(
                id: user.id, username: user.username, email: user.email, role: user.role.rawValue,
                isActive: user.isActive))
    }

    /// Credentials from an `application/x-www-form-urlencoded` body (OAuth2's password flow, which the old
    /// platform's clients send) or a JSON object.
    private func readCredentials(_ request: inout Request) async throws -> Credentials {
        switch RequestBodies.mediaType(of: request) {
        case "application/json":
            return try await RequestBodies.json(Credentials.self, from: &request, limit: Self.maxLoginBodyBytes)
        case "application/x-www-form-urlencoded":
            let buffer = try await RequestBodies.collect(&request, limit: Self.maxLoginBodyBytes)
            guard let text = String(validating: buffer.readableBytesView, as: UTF8.self),
                let fields = FormURLEncoding.parse(text)
            else { throw APIError.malformed("the form body is not valid URL-encoded UTF-8") }
            guard let username = fields["username"] else { throw APIError.invalid("username", "field required") }
            guard let password = fields["password"] else { throw APIError.invalid("password", "field required") }
            return Credentials(username: username, password: password)
        default:
            throw APIError.unsupportedMediaType(expected: "application/x-www-form-urlencoded or application/json")
        }
    }
}

/// `application/x-www-form-urlencoded` parsing: `+` is a space, `%XX` a byte; the first value of a repeated
/// name wins.
enum FormURLEncoding {
    static func parse(_ text: String) -> [String: String]? {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]) else { return nil }
            let value = parts.count > 1 ? decode(parts[1]) : ""
            guard let value else { return nil }
            if fields[name] == nil { fields[name] = value }
        }
        return fields
    }

    private static func decode(_ part: Substring) -> String? {
        part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
