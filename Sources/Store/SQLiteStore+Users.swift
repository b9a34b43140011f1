import Foundation
import GRDB

extension SQLiteStore {
    public func createUser(_ user: NewUser) async throws -> User {
        let username = user.username.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !username.isEmpty else { throw StoreError(.invalidInput, "a username must not be empty") }
        do {
            return try await write { db in
                try db.execute(
                    sql: """
                        INSERT INTO users (username, email, password_hash, role, is_active, created_at)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [username, user.email, user.passwordHash, user.role.rawValue, user.isActive, Date()])
                let row = try Row.fetchOne(
                    db, sql: "SELECT \(SQLiteRows.userColumns) FROM users WHERE id = ?",
                    arguments: [db.lastInsertedRowID])
                guard let row else { throw StoreError(.database, "the new user row is missing") }
                return try SQLiteRows.user(row)
            }
        } catch let error as StoreError where error.code == .conflict {
            // SQLite's message names the column; say it plainly for the API's 409.
            throw StoreError(.conflict, "username \"\(username)\" is taken")
        }
    }

    public func user(username: String) async throws -> User? {
        let username = username.trimmingCharacters(in: .whitespacesAndNewlines)
        return try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(SQLiteRows.userColumns) FROM users WHERE username = ?", arguments: [username]
            ).map(SQLiteRows.user)
        }
    }

    public func users() async throws -> [User] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT \(SQLiteRows.userColumns) FROM users ORDER BY username, id")
                .map(SQLiteRows.user)
        }
    }

    public func user(id: Int64) async throws -> User? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT \(SQLiteRows.userColumns) FROM users WHERE id = ?", arguments: [id])
                .map(SQLiteRows.user)
        }
    }

    public func updateUser(id: Int64, _ change: UserChange) async throws -> User? {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE users SET password_hash = coalesce(?, password_hash), role = coalesce(?, role),
                        is_active = coalesce(?, is_active),
                        credentials_changed_at = CASE WHEN ? THEN ? ELSE credentials_changed_at END
                    WHERE id = ?
                    """,
                arguments: [
                    change.passwordHash, change.role?.rawValue, change.isActive, change.renewsCredentials, Date(), id,
                ])
            return try Row.fetchOne(
                db, sql: "SELECT \(SQLiteRows.userColumns) FROM users WHERE id = ?", arguments: [id]
            )
            .map(SQLiteRows.user)
        }
    }

    @discardableResult
    public func deleteUser(id: Int64) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM users WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }
}
