import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import Testing

@testable import APIServer

/// `GET|POST /api/admin/users`, `PUT /api/admin/users/{id}` (issue 19): creating users, and the sessions a password
/// change, a disabled account or a re-enabled one end.
@Suite struct UserRoutesTests {
    @Test func usersAreCreatedChangedAndTheirSessionsEnded() async throws {
        let library = try await TestLibrary.make()
        let admin = try await library.token(for: library.admin)
        let viewer = try await library.token(for: library.viewer)
        // A pool of its own and a cheap cost: the shared pool's nice-10 threads, loaded by the other suites, made
        // this test's eight hashes (600,000 rounds each) wait for tens of seconds on a 2-core machine.
        let passwords = PasswordWork(pool: HashingPool(workers: 1), hasher: PasswordHasher(iterations: 2_000))
        try await library.application(passwords: passwords).test(.router) { client in
            func login(_ name: String, _ password: String) async throws -> (HTTPResponse.Status, String?) {
                let response = try await client.send(
                    .post, "/api/auth/login", body: #"{"username": "\#(name)", "password": "\#(password)"}"#)
                return (response.status, response.json["access_token"] as? String)
            }
            let forbidden = try await client.send(.get, "/api/admin/users", token: viewer)
            #expect(forbidden.status == .forbidden)
            let created = try await client.send(
                .post, "/api/admin/users", body: #"{"username": "carol", "password": "carol's first password"}"#,
                token: admin)
            #expect(created.status == .created && created.json["role"] as? String == "viewer")
            let id = try #require(created.json["id"] as? Int)
            // The application's hasher made the stored hash, with its cost.
            let stored = try await library.store.user(username: "carol")?.passwordHash
            #expect(stored?.hasPrefix("pbkdf2_sha256$2000$") == true, "\(stored ?? "none")")
            let taken = try await client.send(
                .post, "/api/admin/users", body: #"{"username": "CAROL", "password": "another long password"}"#,
                token: admin)
            #expect(taken.status == .conflict && taken.json["detail"] as? String == "this username is taken")
            let short = try await client.send(
                .post, "/api/admin/users", body: #"{"username": "dave", "password": "short"}"#, token: admin)
            #expect(short.status == .unprocessableContent && (short.text.contains("at least 12")))
            let badRole = try await client.send(
                .post, "/api/admin/users",
                body: #"{"username": "erin", "password": "erin's long password", "role": "root"}"#,
                token: admin)
            #expect(badRole.status == .unprocessableContent)
            let list = try await client.send(.get, "/api/admin/users", token: admin)
            let names = (list.json["users"] as? [[String: Any]])?.compactMap { $0["username"] as? String }
            #expect(names?.contains("carol") == true && names?.contains("admin-test") == true)

            // A session, then a new password: the session ends, the old password no longer signs in.
            let (status, first) = try await login("carol", "carol's first password")
            let session = try #require(first, "\(status)")
            #expect(try await client.send(.get, "/api/auth/me", token: session).status == .ok)
            let changed = try await client.send(
                .put, "/api/admin/users/\(id)", body: #"{"password": "carol's second password"}"#, token: admin)
            #expect(changed.status == .ok)
            #expect(try await client.send(.get, "/api/auth/me", token: session).status == .unauthorized)
            #expect(try await login("carol", "carol's first password").0 == .unauthorized)
            let second = try #require(try await login("carol", "carol's second password").1)
            #expect(try await client.send(.get, "/api/auth/me", token: second).status == .ok)

            // Disabled: refused at once, and no sign-in; enabled again: a new session, the old ones stay ended.
            let disabled = try await client.send(
                .put, "/api/admin/users/\(id)", body: #"{"is_active": false}"#, token: admin)
            #expect(disabled.status == .ok && disabled.json["is_active"] as? Bool == false)
            #expect(try await client.send(.get, "/api/auth/me", token: second).status == .unauthorized)
            #expect(try await login("carol", "carol's second password").0 == .unauthorized)
            _ = try await client.send(.put, "/api/admin/users/\(id)", body: #"{"is_active": true}"#, token: admin)
            #expect(try await client.send(.get, "/api/auth/me", token: second).status == .unauthorized)
            #expect(try await login("carol", "carol's second password").0 == .ok)

            // Promotion takes effect on the next token's checks; the admin's own account is protected.
            let promoted = try await client.send(
                .put, "/api/admin/users/\(id)", body: #"{"role": "admin"}"#, token: admin)
            #expect(promoted.json["role"] as? String == "admin")
            for body in [#"{"is_active": false}"#, #"{"role": "viewer"}"#] {
                let own = try await client.send(
                    .put, "/api/admin/users/\(library.admin.id)", body: body, token: admin)
                #expect(own.status == .conflict, "\(body)")
            }
            #expect(try await client.send(.get, "/api/auth/me", token: admin).status == .ok)
            let missing = try await client.send(
                .put, "/api/admin/users/99999", body: #"{"is_active": false}"#, token: admin)
            #expect(missing.status == .notFound)
            let empty = try await client.send(.put, "/api/admin/users/\(id)", body: "{}", token: admin)
            #expect(empty.status == .unprocessableContent)
            let unknown = try await client.send(
                .put, "/api/admin/users/\(id)", body: #"{"password_hash": "x"}"#, token: admin)
            #expect(unknown.status == .unprocessableContent)
        }
    }
}
