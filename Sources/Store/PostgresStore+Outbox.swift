import Foundation
import PostgresNIO

extension PostgresStore {
    public func pendingOutbox(limit: Int) async throws -> [OutboxEntry] {
        guard limit > 0 else { return [] }
        return try await read { connection in
            try await rows(
                "SELECT \(unescaped: PostgresRows.outboxColumns) FROM qdrant_outbox ORDER BY id LIMIT \(limit)",
                on: connection
            ).map(PostgresRows.outboxEntry)
        }
    }

    public func markOutboxDone(ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        try await transaction { connection in
            _ = try await connection.query("DELETE FROM qdrant_outbox WHERE id = ANY(\(ids))", logger: logger)
        }
    }

    public func markOutboxFailed(ids: [Int64], error: String) async throws {
        guard !ids.isEmpty else { return }
        let message = String(error.prefix(SQLiteStore.maximumOutboxErrorLength))
        try await transaction { connection in
            _ = try await connection.query(
                """
                UPDATE qdrant_outbox SET attempts = attempts + 1, last_error = \(message) WHERE id = ANY(\(ids))
                """, logger: logger)
        }
    }

    public func pendingOutboxCount() async throws -> Int {
        try await read { connection in
            guard let row = try await rows("SELECT COUNT(*) AS n FROM qdrant_outbox", on: connection).first else {
                return 0
            }
            return try PostgresRows.value(row, "n", Int.self)
        }
    }
}
