import Foundation
import Hummingbird
import HummingbirdTesting
import JWTKit
import Synchronization
import Testing

@testable import APIServer

@Suite(.serialized) struct AuthTests {
    @Test func loginWithFormAndJSONThenMe() async throws {
        let library = try await TestLibrary.shared()
        try await library.application().test(.router) { client in
            let form = try await client.send(
                .post, "/api/auth/login",
                body: "grant_type=password&username=viewer-test&password=correct+horse+battery+staple",
                contentType: "application/x-www-form-urlencoded")
            #expect(form.status == .ok && form.json["token_type"] as? String == "bearer")
            let token = try #require(form.json["access_token"] as? String)
            let me = try await client.send(.get, "/api/auth/me", token: token)
            #expect(me.status == .ok)
            #expect(me.json["username"] as? String == "viewer-test" && me.json["role"] as? String == "viewer")
            #expect(me.json["email"] as? String == "viewer@example.org" && me.json["is_active"] as? Bool == true)
            #expect(me.json["id"] is Int)

            let json = try await client.send(
                .post, "/api/auth/login", body: #"{"username": "ADMIN-test", "password": "\#(TestLibrary.password)"}"#)
            #expect(json.status == .ok)
            let adminToken = try #require(json.json["access_token"] as? String)
            let adminMe = try await client.send(.get, "/api/auth/me", token: adminToken)
            #expect(adminMe.json["role"] as? String == "admin")
        }
    }

    @Test func wrongPasswordAndUnknownUserAre401() async throws {
        let library = try await TestLibrary.shared()
        try await library.application().test(.router) { client in
            for body in [
                #"{"username": "viewer-test", "password": "wrong password"}"#,
                #"{"username": "nobody-here", "password": "whatever it is"}"#,
            ] {
                let response = try await client.send(.post, "/api/auth/login", body: body)
                #expect(response.status == .unauthorized)
                #expect(response.detail == "Incorrect username or password")
                #expect(response.headers[.wwwAuthenticate] == "Bearer")
            }
        }
    }

    @Test func missingBadExpiredAndForgedTokensAre401() async throws {
        let library = try await TestLibrary.shared()
        let secret = ServerConfiguration.developmentSecretKey
        let now = Date()
        func signed(_ claims: AccessClaims, key: String = secret) async throws -> String {
            let keys = JWTKeyCollection()
            await keys.add(hmac: HMACKey(from: Array(key.utf8)), digestAlgorithm: .sha256)
            return try await keys.sign(claims)
        }
        let expired = try await signed(
            AccessClaims(
                sub: "admin-test", role: "admin", iat: IssuedAtClaim(value: now.addingTimeInterval(-7200)),
                exp: ExpirationClaim(value: now.addingTimeInterval(-3600))))
        let valid = AccessClaims(
            sub: "admin-test", role: "admin", iat: IssuedAtClaim(value: now),
            exp: ExpirationClaim(value: now.addingTimeInterval(600)))
        let otherKey = try await signed(valid, key: String(repeating: "x", count: 40))
        // alg "none": the same claims, no signature.
        let payload = try JSONEncoder().encode(valid)
        let none = Self.base64URL(Data(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "." + Self.base64URL(payload) + "."
        // A header claiming another algorithm over a valid HS256 signature must still be refused.
        let good = try await signed(valid)
        let parts = good.split(separator: ".")
        let swapped = Self.base64URL(Data(#"{"alg":"HS512","typ":"JWT"}"#.utf8)) + "." + parts[1] + "." + parts[2]
        let unknownUser = try await signed(
            AccessClaims(sub: "ghost", role: "admin", iat: IssuedAtClaim(value: now), exp: valid.exp))

        try await library.application().test(.router) { client in
            let missing = try await client.send(.get, "/api/auth/me")
            #expect(missing.status == .unauthorized && missing.headers[.wwwAuthenticate] == "Bearer")
            let basic = try await client.send(.get, "/api/auth/me", headers: [.authorization: "Basic YWJjOmRlZg=="])
            #expect(basic.status == .unauthorized)
            for token in [
                expired, otherKey, none, swapped, unknownUser, "not.a.jwt", "x", String(repeating: "a", count: 5000),
            ] {
                let response = try await client.send(.get, "/api/admin/documents", token: token)
                #expect(response.status == .unauthorized, "accepted \(token.prefix(40))")
                #expect(response.headers[.wwwAuthenticate] == "Bearer")
            }
            let accepted = try await client.send(.get, "/api/admin/documents", token: good)
            #expect(accepted.status == .ok)
        }
    }

    @Test func viewerIsForbiddenFromAdminRoutes() async throws {
        let library = try await TestLibrary.shared()
        let token = try await library.token(for: library.viewer)
        try await library.application().test(.router) { client in
            for (method, uri) in [
                (HTTPRequest.Method.get, "/api/admin/documents"), (.get, "/api/admin/health"),
                (.delete, "/api/admin/documents/\(TestLibrary.eoDocumentID)"), (.post, "/api/content/ingest"),
            ] {
                let response = try await client.send(method, uri, body: "{}", token: token)
                #expect(response.status == .forbidden, "\(method) \(uri)")
                #expect(response.detail == "Not enough permissions")
            }
            // The document is still there.
            let admin = try await library.token(for: library.admin)
            let detail = try await client.send(.get, "/api/admin/documents/\(TestLibrary.eoDocumentID)", token: admin)
            #expect(detail.status == .ok)
        }
    }

    @Test func failedLoginsAreRateLimitedPerAccount() async throws {
        let library = try await TestLibrary.shared()
        try await library.application().test(.router) { client in
            let wrong = #"{"username": "admin-test", "password": "guess"}"#
            for _ in 0..<5 {
                #expect(try await client.send(.post, "/api/auth/login", body: wrong).status == .unauthorized)
            }
            let limited = try await client.send(.post, "/api/auth/login", body: wrong)
            #expect(limited.status == .tooManyRequests)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 > 0)
            // Even the right password waits: the account is locked for the window, not the guesser.
            let right = try await client.send(
                .post, "/api/auth/login", body: #"{"username": "admin-test", "password": "\#(TestLibrary.password)"}"#)
            #expect(right.status == .tooManyRequests)
            // Another account from the same address is not yet blocked (the address limit is 20).
            let other = try await client.send(
                .post, "/api/auth/login", body: #"{"username": "viewer-test", "password": "\#(TestLibrary.password)"}"#)
            #expect(other.status == .ok)
        }
    }

    @Test func failureWindowsCountPerAddress() {
        let clock = ManualClock()
        let window = FailureWindow(limit: 3, window: 60, clock: { clock.now })
        for _ in 0..<3 { window.recordFailure("10.0.0.1") }
        #expect(window.blocked("10.0.0.1") != nil && window.blocked("10.0.0.2") == nil)
        clock.advance(61)
        #expect(window.blocked("10.0.0.1") == nil)
    }

    @Test func passwordHashesAreSaltedAndSelfDescribing() throws {
        let hasher = PasswordHasher(iterations: 1000)
        let first = try hasher.hash("s3cret passphrase")
        let second = try hasher.hash("s3cret passphrase")
        #expect(first != second && first.hasPrefix("pbkdf2_sha256$1000$"))
        #expect(PasswordHasher.verify("s3cret passphrase", against: first))
        #expect(!PasswordHasher.verify("s3cret passphrasE", against: first))
        #expect(!PasswordHasher.verify("x", against: "pbkdf2_sha256$99999999999$AAAA$AAAA"))
        #expect(!PasswordHasher.verify("x", against: "plain"))
        #expect(PasswordHasher.defaultIterations >= 600_000)
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// A settable clock for the limiter tests.
final class ManualClock: Sendable {
    private let value = Mutex(1000.0)
    var now: Double { value.withLock { $0 } }
    func advance(_ seconds: Double) { value.withLock { $0 += seconds } }
}
