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
}
