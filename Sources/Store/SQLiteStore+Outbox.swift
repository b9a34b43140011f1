import Foundation
import GRDB

extension SQLiteStore {
    /// Longest `last_error` kept: enough to diagnose, too short to hold a whole upstream body.
    static let maximumOutboxErrorLength = 500

    public func pendingOutbox(limit: Int) async throws -> [OutboxEntry] {
        guard limit > 0 else { return [] }
        return try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(SQLiteRows.outboxColumns) FROM qdrant_outbox ORDER BY id LIMIT ?",
                arguments: [limit]
            ).map(SQLiteRows.outboxEntry)
        }
    }

    public func markOutboxDone(ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        try await write { db in
            let delete = try db.cachedStatement(sql: "DELETE FROM qdrant_outbox WHERE id = ?")
            for id in ids { try delete.execute(arguments: [id]) }
        }
    }

    public func markOutboxFailed(ids: [Int64], error: String) async throws {
        guard !ids.isEmpty else { return }
        let message = String(error.prefix(Self.maximumOutboxErrorLength))
        try await write { db in
            let update = try db.cachedStatement(
                sql: "UPDATE qdrant_outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?")
            for id in ids { try update.execute(arguments: [message, id]) }
        }
    }

    public func pendingOutboxCount() async throws -> Int {
        try await read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM qdrant_outbox") ?? 0 }
    }
}
