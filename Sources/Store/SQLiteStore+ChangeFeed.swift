import Foundation
import GRDB

extension SQLiteStore {
    public func changes(after sequence: Int64, limit: Int) async throws -> [ChunkChange] {
        guard limit > 0 else { return [] }
        return try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT sequence, chunk_id, document_id, operation, changed_at FROM chunk_changes
                    WHERE sequence > ? ORDER BY sequence LIMIT ?
                    """,
                arguments: [sequence, limit]
            ).map(SQLiteRows.change)
        }
    }

    public func changeFeedStatus(after sequence: Int64) async throws -> ChangeFeedStatus {
        try await read { db in
            // The pruned mark first: with it read in the same snapshot, a head of 0 after pruning everything still
            // reports the numbers already handed out.
            let pruned = try Int64.fetchOne(db, sql: "SELECT pruned_through FROM change_feed_state WHERE id = 1") ?? 0
            let head = try Int64.fetchOne(db, sql: "SELECT MAX(sequence) FROM chunk_changes") ?? pruned
            let row = try Row.fetchOne(
                db, sql: "SELECT COUNT(*) AS pending, MIN(changed_at) AS oldest FROM chunk_changes WHERE sequence > ?",
                arguments: [sequence])
            return ChangeFeedStatus(
                head: max(head, pruned), prunedThrough: pruned, pending: row?["pending"] ?? 0,
                oldestPendingAt: row?["oldest"])
        }
    }

    @discardableResult
    public func pruneChanges(before date: Date) async throws -> Int {
        try await write { db in
            guard
                let newest = try Int64.fetchOne(
                    db, sql: "SELECT MAX(sequence) FROM chunk_changes WHERE changed_at < ?", arguments: [date])
            else { return 0 }
            // By sequence, not by date: entries are numbered in commit order, and a clock step backwards must not
            // leave an older entry behind a pruned newer one.
            try db.execute(sql: "DELETE FROM chunk_changes WHERE sequence <= ?", arguments: [newest])
            let removed = db.changesCount
            try db.execute(
                sql: "UPDATE change_feed_state SET pruned_through = MAX(pruned_through, ?) WHERE id = 1",
                arguments: [newest])
            return removed
        }
    }

    public func chunkVectors(ids: [String], model: String) async throws -> [String: ChunkVectors] {
        guard !ids.isEmpty else { return [:] }
        return try await read { db in
            var found: [String: ChunkVectors] = [:]
            for start in stride(from: 0, to: ids.count, by: 500) {
                let batch = Array(ids[start..<min(start + 500, ids.count)])
                let marks = Array(repeating: "?", count: batch.count).joined(separator: ", ")
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT chunk_id, vector, windows FROM chunk_vectors
                        WHERE model = ? AND chunk_id IN (\(marks))
                        """,
                    arguments: StatementArguments([model] + batch))
                for row in rows {
                    let id: String = try row.decode(forColumn: "chunk_id")
                    let vector: Data = try row.decode(forColumn: "vector")
                    let windows: Data = try row.decode(forColumn: "windows")
                    if let vectors = ChunkVectors.decode(
                        chunkID: id, model: model, vector: Array(vector), windows: Array(windows))
                    {
                        found[id] = vectors
                    }
                }
            }
            return found
        }
    }

    public func saveChunkVectors(_ vectors: [ChunkVectors]) async throws {
        guard !vectors.isEmpty else { return }
        try await write { db in
            let exists = try db.cachedStatement(sql: "SELECT 1 FROM chunks WHERE chunk_id = ?")
            let present = try vectors.filter { try Int.fetchOne(exists, arguments: [$0.chunkID]) != nil }
            try Self.saveVectors(db, present)
        }
    }

    // MARK: Helpers

    /// Writes (or replaces) the vectors of chunks that exist in this transaction.
    static func saveVectors(_ db: Database, _ vectors: [ChunkVectors]) throws {
        let upsert = try db.cachedStatement(
            sql: """
                INSERT INTO chunk_vectors (chunk_id, model, vector, windows) VALUES (?, ?, ?, ?)
                ON CONFLICT(chunk_id) DO UPDATE SET
                    model = excluded.model, vector = excluded.vector, windows = excluded.windows
                """)
        for entry in vectors {
            try upsert.execute(arguments: [
                entry.chunkID, entry.model, Data(ChunkVectors.bytes([entry.vector])),
                Data(ChunkVectors.bytes(entry.windows)),
            ])
        }
    }

    /// Appends one feed entry per chunk, in the order given; returns their sequence numbers (consecutive: SQLite
    /// has one writer).
    @discardableResult
    static func recordChanges(
        _ db: Database, _ chunkIDs: [String], documentID: String, _ operation: OutboxOperation, at date: Date
    ) throws -> ClosedRange<Int64>? {
        let insert = try db.cachedStatement(
            sql: "INSERT INTO chunk_changes (chunk_id, document_id, operation, changed_at) VALUES (?, ?, ?, ?)")
        var first: Int64?
        for chunkID in chunkIDs {
            try insert.execute(arguments: [chunkID, documentID, operation.rawValue, date])
            if first == nil { first = db.lastInsertedRowID }
        }
        return first.map { $0...db.lastInsertedRowID }
    }
}
