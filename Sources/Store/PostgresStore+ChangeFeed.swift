import Foundation
import NIOCore
import PostgresNIO

extension PostgresStore {
    public func changes(after sequence: Int64, limit: Int) async throws -> [ChunkChange] {
        guard limit > 0 else { return [] }
        return try await read { connection in
            try await rows(
                """
                SELECT sequence, chunk_id, document_id, operation, changed_at FROM chunk_changes
                WHERE sequence > \(sequence) ORDER BY sequence LIMIT \(limit)
                """, on: connection
            ).map(PostgresRows.change)
        }
    }

    public func changeFeedStatus(after sequence: Int64) async throws -> ChangeFeedStatus {
        try await read { connection in
            // One statement, so one snapshot.
            let row = try await rows(
                """
                SELECT (SELECT pruned_through FROM change_feed_state WHERE id = 1) AS pruned,
                       (SELECT COALESCE(MAX(sequence), 0) FROM chunk_changes) AS head,
                       (SELECT COUNT(*) FROM chunk_changes WHERE sequence > \(sequence)) AS pending,
                       (SELECT MIN(changed_at) FROM chunk_changes WHERE sequence > \(sequence)) AS oldest
                """, on: connection
            ).first
            guard let row else { throw StoreError(.database, "the change feed status query returned no row") }
            let pruned = try PostgresRows.value(row, "pruned", Int64?.self) ?? 0
            return ChangeFeedStatus(
                head: max(try PostgresRows.value(row, "head", Int64.self), pruned), prunedThrough: pruned,
                pending: try PostgresRows.value(row, "pending", Int.self),
                oldestPendingAt: try PostgresRows.optionalDate(row, "oldest"))
        }
    }

    @discardableResult
    public func pruneChanges(before date: Date) async throws -> Int {
        try await transaction { connection in
            // By sequence, not by date: a clock step backwards must not leave an older entry behind a pruned
            // newer one.
            let newest = try await rows(
                "SELECT MAX(sequence) AS newest FROM chunk_changes WHERE changed_at < \(date)", on: connection
            ).first.flatMap { try PostgresRows.value($0, "newest", Int64?.self) }
            guard let newest else { return 0 }
            let removed = try await rows(
                "DELETE FROM chunk_changes WHERE sequence <= \(newest) RETURNING sequence", on: connection
            ).count
            try await connection.query(
                "UPDATE change_feed_state SET pruned_through = GREATEST(pruned_through, \(newest)) WHERE id = 1",
                logger: logger)
            return removed
        }
    }

    public func chunkVectors(ids: [String], model: String) async throws -> [String: ChunkVectors] {
        guard !ids.isEmpty else { return [:] }
        return try await read { connection in
            var found: [String: ChunkVectors] = [:]
            for start in stride(from: 0, to: ids.count, by: 1000) {
                let batch = Array(ids[start..<min(start + 1000, ids.count)])
                let rows = try await rows(
                    """
                    SELECT chunk_id, vector, windows FROM chunk_vectors
                    WHERE model = \(model) AND chunk_id = ANY(\(batch))
                    """, on: connection)
                for row in rows {
                    let id = try PostgresRows.value(row, "chunk_id", String.self)
                    let vector = try PostgresRows.value(row, "vector", ByteBuffer.self)
                    let windows = try PostgresRows.value(row, "windows", ByteBuffer.self)
                    if let vectors = ChunkVectors.decode(
                        chunkID: id, model: model, vector: Array(buffer: vector), windows: Array(buffer: windows))
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
        try await transaction { connection in try await writeVectors(connection, vectors) }
    }

    // MARK: Helpers

    /// Rows per statement of ``writeVectors(_:_:)``: a chunk with its windows is a few kilobytes.
    static let vectorBatch = 500

    /// Writes (or replaces) the vectors of chunks that exist; the others are skipped by the join.
    func writeVectors(_ connection: PostgresConnection, _ vectors: [ChunkVectors]) async throws {
        for start in stride(from: 0, to: vectors.count, by: Self.vectorBatch) {
            let batch = vectors[start..<min(start + Self.vectorBatch, vectors.count)]
            let ids = batch.map(\.chunkID)
            let models = batch.map(\.model)
            let mains = batch.map { ByteBuffer(bytes: ChunkVectors.bytes([$0.vector])) }
            let windows = batch.map { ByteBuffer(bytes: ChunkVectors.bytes($0.windows)) }
            try await connection.query(
                """
                INSERT INTO chunk_vectors (chunk_id, model, vector, windows)
                SELECT given.chunk_id, given.model, given.vector, given.windows
                FROM unnest(\(ids)::text[], \(models)::text[], \(mains)::bytea[], \(windows)::bytea[])
                    AS given(chunk_id, model, vector, windows)
                JOIN chunks ON chunks.chunk_id = given.chunk_id
                ON CONFLICT (chunk_id) DO UPDATE SET
                    model = excluded.model, vector = excluded.vector, windows = excluded.windows
                """, logger: logger)
        }
    }

    /// Appends one feed entry per (chunk, document), in the order given, all with `operation`.
    func recordChanges(
        _ connection: PostgresConnection, _ entries: [(String, String)], _ operation: OutboxOperation, _ date: Date
    ) async throws {
        try await recordChanges(connection, entries, operations: entries.map { _ in operation }, date)
    }

    /// Appends one feed entry per (chunk, document, operation), in the order given, holding the feed lock until
    /// the transaction ends (see ``PostgresMigration/changeFeedLockKey``), and returns their sequence numbers
    /// (consecutive: no other writer numbers while the lock is held). Call it last in a transaction.
    @discardableResult
    func recordChanges(
        _ connection: PostgresConnection, _ entries: [(String, String)], operations: [OutboxOperation], _ date: Date
    ) async throws -> ClosedRange<Int64>? {
        guard !entries.isEmpty else { return nil }
        try await connection.query(
            "SELECT pg_advisory_xact_lock(\(PostgresMigration.changeFeedLockKey))", logger: logger)
        let chunkIDs = entries.map(\.0)
        let documentIDs = entries.map(\.1)
        let names = operations.map(\.rawValue)
        let numbers = try await rows(
            """
            INSERT INTO chunk_changes (chunk_id, document_id, operation, changed_at)
            SELECT chunk_id, document_id, operation, \(date)
            FROM unnest(\(chunkIDs)::text[], \(documentIDs)::text[], \(names)::text[])
                WITH ORDINALITY AS given(chunk_id, document_id, operation, position)
            ORDER BY position
            RETURNING sequence
            """, on: connection
        ).map { try PostgresRows.value($0, "sequence", Int64.self) }
        guard let first = numbers.min(), let last = numbers.max() else { return nil }
        return first...last
    }
}
