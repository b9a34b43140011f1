import Foundation
import JWTKit
import Store

/// The claims of an access token: `sub` (the username), `role`, `iat` and `exp`.
struct AccessClaims: JWTPayload, Equatable {
    var sub: SubjectClaim
    var role: String
    var iat: IssuedAtClaim
    var exp: ExpirationClaim

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}

/// Issues and checks HS256 access tokens signed with `SECRET_KEY`.
///
/// The algorithm is pinned: a token whose header names anything but HS256 (`none`, RS256 with the secret
/// as a "public key", ...) is refused before any signature check, since the JWT library verifies with the
/// key it holds whatever the header says.
final class TokenService: Sendable {
    let keys: JWTKeyCollection
    let lifetime: TimeInterval
    /// Tokens longer than this are refused unread.
    static let maxTokenBytes = 4096

    private init(keys: JWTKeyCollection, lifetime: TimeInterval) {
        self.keys = keys
        self.lifetime = lifetime
    }

    /// A service signing with `secret` (at least 32 bytes: the configuration guarantees it) for tokens that
    /// live `minutes`.
    static func make(secret: String, minutes: Int) async -> TokenService {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: Array(secret.utf8)), digestAlgorithm: .sha256)
        return TokenService(keys: keys, lifetime: TimeInterval(minutes) * 60)
    }

    /// A signed token for `user`.
    func issue(for user: User, now: Date = Date()) async throws -> String {
        let claims = AccessClaims(
            sub: SubjectClaim(value: user.username), role: user.role.rawValue,
            iat: IssuedAtClaim(value: now), exp: ExpirationClaim(value: now.addingTimeInterval(lifetime)))
        return try await keys.sign(claims)
    }

    /// The claims of a valid, unexpired HS256 `token`; nil for anything else.
    func verify(_ token: String) async -> AccessClaims? {
        guard token.utf8.count <= Self.maxTokenBytes, Self.headerIsPinned(token) else { return nil }
        return try? await keys.verify(token, as: AccessClaims.self)
    }

    /// Whether the token's header is exactly what this service issues: `alg` HS256, `typ` JWT or absent, and
    /// no `crit` extensions it would be obliged to understand.
    static func headerIsPinned(_ token: String) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = base64URLDecode(String(parts[0])),
            let header = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return false }
        guard header["alg"] as? String == "HS256", header["crit"] == nil else { return false }
        if let type = header["typ"] { return (type as? String)?.uppercased() == "JWT" }
        return true
    }

    static func base64URLDecode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
