import Foundation
import Store
import Testing

@Suite struct UserTests {
    @Test(arguments: Engine.all) func createFindAndList(engine: Engine) async throws {
        try await withStore(engine) { store in
            let admin = try await store.createUser(
                NewUser(username: "admin", email: "admin@example.org", passwordHash: "pbkdf2$x", role: .admin))
            let viewer = try await store.createUser(
                NewUser(username: "zoë", passwordHash: "pbkdf2$y", role: .viewer, isActive: false))
            #expect(admin.id != viewer.id)
            #expect(admin.role == .admin && admin.isActive && admin.email == "admin@example.org")
            #expect(viewer.role == .viewer && !viewer.isActive && viewer.email == nil)
            #expect(try await store.user(username: "admin") == admin)
            #expect(try await store.user(username: "ADMIN") == admin)
            #expect(try await store.user(username: "zoë") == viewer)
            #expect(try await store.user(username: "nobody") == nil)
            #expect(try await store.users() == [admin, viewer])
        }
    }

    @Test(arguments: Engine.all) func aTakenUsernameIsAConflictWithoutTheHash(engine: Engine) async throws {
        try await withStore(engine) { store in
            _ = try await store.createUser(NewUser(username: "alice", passwordHash: "secret-hash-1", role: .viewer))
            do {
                _ = try await store.createUser(NewUser(username: "Alice", passwordHash: "secret-hash-2", role: .admin))
                Issue.record("duplicate username accepted")
            } catch let error as StoreError {
                #expect(error.code == .conflict)
                #expect(!error.description.contains("secret-hash"))
                #expect(!error.description.contains("INSERT"))
            }
            #expect(try await store.users().count == 1)
        }
    }

    @Test(arguments: Engine.all) func anEmptyUsernameIsInvalid(engine: Engine) async throws {
        try await withStore(engine) { store in
            let code = await storeErrorCode {
                _ = try await store.createUser(NewUser(username: "  ", passwordHash: "h", role: .viewer))
            }
            #expect(code == .invalidInput)
        }
    }

    @Test(arguments: Engine.all) func aChangeAppliesOnlyItsFieldsAndRenewsCredentials(engine: Engine) async throws {
        try await withStore(engine) { store in
            let user = try await store.createUser(NewUser(username: "bob", passwordHash: "h1", role: .viewer))
            #expect(user.credentialsChangedAt == nil)
            let promoted = try #require(try await store.updateUser(id: user.id, UserChange(role: .admin)))
            #expect(promoted.role == .admin && promoted.passwordHash == "h1" && promoted.isActive)
            #expect(promoted.credentialsChangedAt == nil)
            let disabled = try #require(try await store.updateUser(id: user.id, UserChange(isActive: false)))
            #expect(!disabled.isActive && disabled.credentialsChangedAt == nil && disabled.role == .admin)
            let before = Date().addingTimeInterval(-1)
            let renewed = try #require(
                try await store.updateUser(id: user.id, UserChange(passwordHash: "h2", isActive: true)))
            #expect(renewed.passwordHash == "h2" && renewed.isActive)
            #expect((renewed.credentialsChangedAt ?? .distantPast) >= before)
            #expect(try await store.user(id: user.id) == renewed)
            #expect(try await store.user(username: "bob") == renewed)
            #expect(try await store.updateUser(id: 9_999, UserChange(isActive: false)) == nil)
            #expect(try await store.user(id: 9_999) == nil)
        }
    }
}
