import Foundation
import Hummingbird
import HummingbirdTesting
import JWTKit
import Store
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
        let secret = TestLibrary.secret
        let admin = library.admin
        let now = Date()
        func signed(_ claims: AccessClaims, key: String = secret) async throws -> String {
            let keys = JWTKeyCollection()
            await keys.add(hmac: HMACKey(from: Array(key.utf8)), digestAlgorithm: .sha256)
            return try await keys.sign(claims)
        }
        func claims(
            sub: String = admin.username, uid: Int64 = admin.id, iat: Date = now,
            exp: Date = now.addingTimeInterval(600)
        ) -> AccessClaims {
            AccessClaims(sub: sub, uid: uid, role: "admin", iat: iat, exp: exp)
        }
        let expired = try await signed(
            claims(iat: now.addingTimeInterval(-7200), exp: now.addingTimeInterval(-3600)))
        let valid = claims()
        let otherKey = try await signed(valid, key: String(repeating: "x", count: 40))
        // The constant that signed every development server's tokens before keys were generated per data
        // directory: it is public, so a token made with it must be worthless.
        let formerDevelopmentKey = try await signed(valid, key: "aigov-development-secret-key-change-me-0123456789")
        // alg "none": the same claims, no signature.
        let payload = try JSONEncoder().encode(valid)
        let none = Self.base64URL(Data(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "." + Self.base64URL(payload) + "."
        // A header claiming another algorithm over a valid HS256 signature must still be refused.
        let good = try await signed(valid)
        let parts = good.split(separator: ".")
        let swapped = Self.base64URL(Data(#"{"alg":"HS512","typ":"JWT"}"#.utf8)) + "." + parts[1] + "." + parts[2]
        let unknownUser = try await signed(claims(sub: "ghost"))
        // Another user's id under the admin's name: what a token of a deleted and re-created "admin" looks like.
        let otherID = try await signed(claims(uid: admin.id + 1000))
        let future = try await signed(claims(iat: now.addingTimeInterval(3600), exp: now.addingTimeInterval(7200)))
        // Issued before the user existed: not a token this server gave that user.
        let beforeUser = try await signed(claims(iat: admin.createdAt.addingTimeInterval(-3600)))
        var wrongIssuer = valid
        wrongIssuer.iss = IssuerClaim(value: "someone-else")
        var wrongAudience = valid
        wrongAudience.aud = AudienceClaim(value: ["another-api"])
        let issuer = try await signed(wrongIssuer)
        let audience = try await signed(wrongAudience)

        try await library.application().test(.router) { client in
            let missing = try await client.send(.get, "/api/auth/me")
            #expect(missing.status == .unauthorized && missing.headers[.wwwAuthenticate] == "Bearer")
            let basic = try await client.send(.get, "/api/auth/me", headers: [.authorization: "Basic YWJjOmRlZg=="])
            #expect(basic.status == .unauthorized)
            for (name, token) in [
                ("expired", expired), ("other key", otherKey), ("former development key", formerDevelopmentKey),
                ("none", none), ("swapped", swapped), ("unknown user", unknownUser), ("other id", otherID),
                ("future iat", future), ("before the user", beforeUser), ("issuer", issuer), ("audience", audience),
                ("garbage", "not.a.jwt"),
                ("short", "x"), ("long", String(repeating: "a", count: 5000)),
            ] {
                for uri in ["/api/admin/documents", "/api/auth/me"] {
                    let response = try await client.send(.get, uri, token: token)
                    #expect(response.status == .unauthorized, "accepted the \(name) token on \(uri)")
                    #expect(response.headers[.wwwAuthenticate] == "Bearer")
                }
            }
            let accepted = try await client.send(.get, "/api/admin/documents", token: good)
            #expect(accepted.status == .ok)
        }
    }

    @Test func aRecreatedUserDoesNotInheritOldTokens() async throws {
        let library = try await TestLibrary.shared()
        let hash = try PasswordHasher(iterations: 1_000).hash(TestLibrary.password)
        let first = try await library.store.createUser(
            NewUser(username: "recreated-user", passwordHash: hash, role: .admin))
        let oldToken = try await library.token(for: first)
        try await library.store.deleteUser(id: first.id)
        let second = try await library.store.createUser(
            NewUser(username: "recreated-user", passwordHash: hash, role: .admin))
        #expect(second.id != first.id)
        try await library.application().test(.router) { client in
            #expect(try await client.send(.get, "/api/auth/me", token: oldToken).status == .unauthorized)
            let fresh = try await library.token(for: second)
            #expect(try await client.send(.get, "/api/auth/me", token: fresh).status == .ok)
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

    @Test func serversHashNewPasswordsAtTheProductionCostOnTheSharedPool() {
        let work = PasswordWork()
        #expect(work.hasher.iterations == 600_000 && work.pool === HashingPool.shared)
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
