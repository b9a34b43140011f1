import Foundation
import GRDB

extension SQLiteStore {
    public func platformSettings() async throws -> [String: String] {
        try await read { db in try Self.fetchSettings(db) }
    }

    public func savePlatformSettings(_ changes: [String: String?], now: Date) async throws -> [String: String] {
        try await write { db in
            for (key, value) in changes.sorted(by: { $0.key < $1.key }) {
                if let value {
                    try db.execute(
                        sql: """
                            INSERT INTO platform_settings (key, value, updated_at) VALUES (?, ?, ?)
                            ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                            """,
                        arguments: [key, value, now])
                } else {
                    try db.execute(sql: "DELETE FROM platform_settings WHERE key = ?", arguments: [key])
                }
            }
            return try Self.fetchSettings(db)
        }
    }

    static func fetchSettings(_ db: Database) throws -> [String: String] {
        var settings: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT key, value FROM platform_settings") {
            settings[row["key"]] = row["value"]
        }
        return settings
    }
}
