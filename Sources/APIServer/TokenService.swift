import Foundation
import JWTKit
import Settings
import Store

/// The claims of an access token: `iss`, `aud`, `sub` (the username), `uid` (the user's id), `role`, `iat`
/// and `exp`.
///
/// `uid` ties a token to one user row: store ids are never reused (SQLite `AUTOINCREMENT`, PostgreSQL
/// identity), so a user deleted and created again under the same name does not inherit the old tokens.
struct AccessClaims: JWTPayload, Equatable {
    var iss: IssuerClaim
    var aud: AudienceClaim
    var sub: SubjectClaim
    var uid: Int64
    var role: String
    var iat: IssuedAtClaim
    var exp: ExpirationClaim
    /// The user's `credentialsChangedAt` when the token was issued, in milliseconds since 1970 (absent when the
    /// credentials never changed): a token stops working when the password changes or the account is enabled
    /// again, to the millisecond, which `iat` in whole seconds could not say.
    var cv: Int64?

    /// A token issued by this server for the API.
    init(sub: String, uid: Int64, role: String, iat: Date, exp: Date, credentials: Date? = nil) {
        iss = IssuerClaim(value: TokenService.issuer)
        aud = AudienceClaim(value: [TokenService.audience])
        self.sub = SubjectClaim(value: sub)
        self.uid = uid
        self.role = role
        self.iat = IssuedAtClaim(value: iat)
        self.exp = ExpirationClaim(value: exp)
        cv = credentials.map(Self.credentialsVersion)
    }

    /// The `cv` of credentials changed at `date`.
    static func credentialsVersion(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        guard iss.value == TokenService.issuer else {
            throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "issuer")
        }
        try aud.verifyIntendedAudience(includes: TokenService.audience)
        // A token "issued" in the future was made with a clock or a key this server does not vouch for.
        guard iat.value <= Date().addingTimeInterval(TokenService.clockSkew) else {
            throw JWTError.claimVerificationFailure(failedClaim: iat, reason: "issued in the future")
        }
    }
}

/// Issues and checks HS256 access tokens signed with the server's key (`SECRET_KEY`, else the key file of
/// the data directory; see ``SigningKeyFile``).
///
/// The algorithm is pinned: a token whose header names anything but HS256 (`none`, RS256 with the secret
/// as a "public key", ...) is refused before any signature check, since the JWT library verifies with the
/// key it holds whatever the header says.
final class TokenService: Sendable {
    let keys: JWTKeyCollection
    let lifetime: TimeInterval
    /// Tokens longer than this are refused unread.
    static let maxTokenBytes = 4096
    static let issuer = "aigov"
    static let audience = "aigov-api"
    /// How far in the future an `iat` may lie before the token is refused (clocks of replicas differ a little).
    static let clockSkew: TimeInterval = 60
    /// The JWT library traps on shorter HS256 keys; configuration refuses them first.
    static let minimumKeyBytes = 32

    private init(keys: JWTKeyCollection, lifetime: TimeInterval) {
        self.keys = keys
        self.lifetime = lifetime
    }

    /// A service signing with `secret` for tokens that live `minutes`.
    ///
    /// - Throws: ``ConfigurationError`` for a key shorter than 32 bytes.
    static func make(secret: String, minutes: Int) async throws -> TokenService {
        guard secret.utf8.count >= minimumKeyBytes else {
            throw ConfigurationError(variable: "SECRET_KEY", message: "must be at least 32 bytes")
        }
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: Array(secret.utf8)), digestAlgorithm: .sha256)
        return TokenService(keys: keys, lifetime: TimeInterval(minutes) * 60)
    }

    /// A signed token for `user`.
    func issue(for user: User, now: Date = Date()) async throws -> String {
        let claims = AccessClaims(
            sub: user.username, uid: user.id, role: user.role.rawValue, iat: now,
            exp: now.addingTimeInterval(lifetime), credentials: user.credentialsChangedAt)
        return try await keys.sign(claims)
    }

    /// The claims of a valid, unexpired HS256 `token` of this issuer and audience; nil for anything else.
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
