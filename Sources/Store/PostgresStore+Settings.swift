import Foundation
import PostgresNIO

extension PostgresStore {
    public func platformSettings() async throws -> [String: String] {
        try await transaction { connection in try await settings(on: connection) }
    }

    public func savePlatformSettings(_ changes: [String: String?], now: Date) async throws -> [String: String] {
        try await transaction { connection in
            for (key, value) in changes.sorted(by: { $0.key < $1.key }) {
                if let value {
                    _ = try await rows(
                        """
                        INSERT INTO platform_settings (key, value, updated_at) VALUES (\(key), \(value), \(now))
                        ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                        """, on: connection)
                } else {
                    _ = try await rows("DELETE FROM platform_settings WHERE key = \(key)", on: connection)
                }
            }
            return try await settings(on: connection)
        }
    }

    private func settings(on connection: PostgresConnection) async throws -> [String: String] {
        var settings: [String: String] = [:]
        for row in try await rows("SELECT key, value FROM platform_settings", on: connection) {
            settings[try PostgresRows.value(row, "key", String.self)] = try PostgresRows.value(
                row, "value", String.self)
        }
        return settings
    }
}
