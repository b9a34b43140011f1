import Foundation
import Hummingbird
import Store

/// `POST /api/auth/login` (OAuth2 password form or JSON) and `GET /api/auth/me`.
struct AuthRoutes: Sendable {
    let state: ServerState
    static let maxLoginBodyBytes = 64 << 10

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
        var request = request
        let credentials = try await readCredentials(&request)
        let username = credentials.username.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !username.isEmpty else { throw APIError.invalid("username", "must not be empty") }
        guard username.count <= 150 else { throw APIError.invalid("username", "must be at most 150 characters") }
        guard !credentials.password.isEmpty else { throw APIError.invalid("password", "must not be empty") }
        guard credentials.password.utf8.count <= 1024 else {
            throw APIError.invalid("password", "must be at most 1024 bytes")
        }
        let account = username.lowercased()
        let address = context.clientKey
        if let wait = state.addressFailures.blocked(address) ?? state.accountFailures.blocked(account) {
            throw APIError.rateLimited(retryAfter: Int(wait.rounded(.up)), "Too many failed logins; try again later")
        }
        let user = try await state.store.user(username: username)
        let password = credentials.password
        let stored = user?.passwordHash
        let matches = await BlockingPool.passwords.run {
            guard let stored else {
                PasswordHasher.spendEquivalentTime()
                return false
            }
            return PasswordHasher.verify(password, against: stored)
        }
        guard matches, let user, user.isActive else {
            state.accountFailures.recordFailure(account)
            state.addressFailures.recordFailure(address)
            context.logger.notice("login failed", metadata: ["username": .string(String(username.prefix(64)))])
            throw APIError.unauthorized("Incorrect username or password")
        }
        state.accountFailures.reset(account)
        let token = try await state.tokens.issue(for: user)
        context.logger.info("login", metadata: ["user": .string(user.username)])
        return JSONResponse.make(
            TokenResponse(accessToken: token, expiresIn: Int(state.tokens.lifetime)))
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
