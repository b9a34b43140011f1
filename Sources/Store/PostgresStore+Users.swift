import Foundation
import PostgresNIO

extension PostgresStore {
    public func createUser(_ user: NewUser) async throws -> User {
        let username = user.username.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !username.isEmpty else { throw StoreError(.invalidInput, "a username must not be empty") }
        do {
            return try await transaction { connection in
                let row = try await rows(
                    """
                    INSERT INTO users (username, email, password_hash, role, is_active, created_at)
                    VALUES (\(username), \(user.email), \(user.passwordHash), \(user.role.rawValue), \(user.isActive),
                            \(PostgresRows.now()))
                    RETURNING \(unescaped: PostgresRows.userColumns)
                    """, on: connection
                ).first
                guard let row else { throw StoreError(.database, "the new user row is missing") }
                return try PostgresRows.user(row)
            }
        } catch let error as StoreError where error.code == .conflict {
            // The server's message names the index; say it plainly for the API's 409.
            throw StoreError(.conflict, "username \"\(username)\" is taken")
        }
    }

    public func user(username: String) async throws -> User? {
        let username = username.trimmingCharacters(in: .whitespacesAndNewlines)
        return try await read { connection in
            try await rows(
                """
                SELECT \(unescaped: PostgresRows.userColumns) FROM users WHERE lower(username) = lower(\(username))
                """, on: connection
            ).first.map(PostgresRows.user)
        }
    }

    public func users() async throws -> [User] {
        try await read { connection in
            // Bytewise after folding case, like SQLite's NOCASE column, whatever the database's locale.
            try await rows(
                """
                SELECT \(unescaped: PostgresRows.userColumns) FROM users ORDER BY lower(username) COLLATE "C", id
                """, on: connection
            ).map(PostgresRows.user)
        }
    }

    public func user(id: Int64) async throws -> User? {
        try await read { connection in
            try await rows(
                "SELECT \(unescaped: PostgresRows.userColumns) FROM users WHERE id = \(id)", on: connection
            ).first.map(PostgresRows.user)
        }
    }

    public func updateUser(id: Int64, _ change: UserChange) async throws -> User? {
        let renewed: Date? = change.renewsCredentials ? PostgresRows.now() : nil
        return try await transaction { connection in
            try await rows(
                """
                UPDATE users SET password_hash = coalesce(\(change.passwordHash), password_hash),
                    role = coalesce(\(change.role?.rawValue), role), is_active = coalesce(\(change.isActive), is_active),
                    credentials_changed_at = coalesce(\(renewed), credentials_changed_at)
                WHERE id = \(id)
                RETURNING \(unescaped: PostgresRows.userColumns)
                """, on: connection
            ).first.map(PostgresRows.user)
        }
    }

    @discardableResult
    public func deleteUser(id: Int64) async throws -> Bool {
        try await transaction { connection in
            try await !rows("DELETE FROM users WHERE id = \(id) RETURNING id", on: connection).isEmpty
        }
    }
}
