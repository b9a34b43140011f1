import Foundation
import PostgresNIO

extension PostgresStore {
    public func document(id: String) async throws -> StoredDocument? {
        try await read { connection in
            try await rows(
                "SELECT \(unescaped: PostgresRows.documentColumns) FROM documents WHERE id = \(id)", on: connection
            ).first.map(PostgresRows.document)
        }
    }

    public func documents(limit: Int, offset: Int) async throws -> [StoredDocument] {
        guard limit > 0 else { return [] }
        return try await read { connection in
            try await rows(
                """
                SELECT \(unescaped: PostgresRows.documentColumns) FROM documents
                ORDER BY updated_at DESC, id LIMIT \(limit) OFFSET \(max(0, offset))
                """, on: connection
            ).map(PostgresRows.document)
        }
    }

    public func chunks(documentID: String) async throws -> [StoredChunk] {
        try await read { connection in try await fetchChunks(connection, documentID: documentID) }
    }

    public func chunk(id: String) async throws -> StoredChunk? {
        try await read { connection in
            try await rows(
                "SELECT \(unescaped: PostgresRows.chunkColumns) FROM chunks WHERE chunk_id = \(id)", on: connection
            ).first.map(PostgresRows.chunk)
        }
    }

    public func chunk(documentID: String, ordinal: Int) async throws -> StoredChunk? {
        try await read { connection in
            try await rows(
                """
                SELECT \(unescaped: PostgresRows.chunkColumns) FROM chunks
                WHERE document_id = \(documentID) AND ordinal = \(ordinal)
                """, on: connection
            ).first.map(PostgresRows.chunk)
        }
    }

    public func chunks(ids: [String]) async throws -> [StoredChunk] {
        guard !ids.isEmpty else { return [] }
        let found = try await read { connection in
            var byID: [String: StoredChunk] = [:]
            // One array parameter per batch keeps statements small.
            for start in stride(from: 0, to: ids.count, by: 1000) {
                let batch = Array(ids[start..<min(start + 1000, ids.count)])
                let found = try await rows(
                    "SELECT \(unescaped: PostgresRows.chunkColumns) FROM chunks WHERE chunk_id = ANY(\(batch))",
                    on: connection)
                for row in found {
                    let chunk = try PostgresRows.chunk(row)
                    byID[chunk.chunkID] = chunk
                }
            }
            return byID
        }
        return ids.compactMap { found[$0] }
    }

    public func chunkContentHashes() async throws -> [String: String] {
        try await read { connection in
            var hashes: [String: String] = [:]
            for row in try await rows("SELECT chunk_id, content_hash FROM chunks", on: connection) {
                hashes[try PostgresRows.value(row, "chunk_id", String.self)] = try PostgresRows.value(
                    row, "content_hash", String.self)
            }
            return hashes
        }
    }

    public func counts() async throws -> StoreCounts {
        try await read { connection in
            // One statement: both counts come from the same snapshot.
            let row = try await rows(
                "SELECT (SELECT COUNT(*) FROM documents) AS documents, (SELECT COUNT(*) FROM chunks) AS chunks",
                on: connection
            ).first
            guard let row else { throw StoreError(.database, "COUNT returned no row") }
            return StoreCounts(
                documents: try PostgresRows.value(row, "documents", Int.self),
                chunks: try PostgresRows.value(row, "chunks", Int.self))
        }
    }

    @discardableResult
    public func commitDocument(
        _ document: StoredDocument, chunks: [StoredChunk], removedChunkIDs: [String], vectors: [ChunkVectors],
        outbox: Bool
    ) async throws -> CommitSummary {
        try SQLiteStore.validate(document: document, chunks: chunks)
        let metadata = try JSONColumn.encode(document.metadata)
        return try await transaction { connection in
            let now = PostgresRows.now()
            // FOR UPDATE: a concurrent commit of the same document waits instead of interleaving chunk writes.
            let previous = try await rows(
                "SELECT created_at, title, source, url, type FROM documents WHERE id = \(document.id) FOR UPDATE",
                on: connection
            ).first
            let createdAt = try previous.map { try PostgresRows.date($0, "created_at") } ?? now
            try await connection.query(
                """
                INSERT INTO documents (id, title, source, url, type, content_hash, metadata, created_at, updated_at)
                VALUES (\(document.id), \(document.title), \(document.source), \(document.url), \(document.type),
                        \(document.contentHash), \(metadata)::jsonb, \(createdAt), \(now))
                ON CONFLICT (id) DO UPDATE SET
                    title = excluded.title, source = excluded.source, url = excluded.url,
                    type = excluded.type, content_hash = excluded.content_hash, metadata = excluded.metadata,
                    updated_at = excluded.updated_at
                """, logger: logger)

            var removed: [String] = []
            if !removedChunkIDs.isEmpty {
                let deleted = Set(
                    try await rows(
                        """
                        DELETE FROM chunks WHERE document_id = \(document.id) AND chunk_id = ANY(\(removedChunkIDs))
                        RETURNING chunk_id
                        """, on: connection
                    ).map { try PostgresRows.value($0, "chunk_id", String.self) })
                // In the caller's order, each id once, as SQLite reports them.
                var seen = Set<String>()
                removed = removedChunkIDs.filter { deleted.contains($0) && seen.insert($0).inserted }
            }

            let plan = DocumentCommitPlan(
                document: document, chunks: chunks, previous: try previous.map(Self.payloadFields),
                stored: try await fetchChunks(connection, documentID: document.id), removed: removed, outbox: outbox)
            try await writeChunks(connection, plan.writes.map(\.chunk))
            let kept = Set(chunks.map(\.chunkID))
            try await writeVectors(connection, vectors.filter { kept.contains($0.chunkID) })
            var summary = plan.summary
            let upserts = plan.outboxUpserts
            summary.outboxEnqueued += try await enqueue(connection, upserts, documentID: document.id, .upsert, now)
            summary.outboxEnqueued += try await enqueue(
                connection, plan.outboxDeletes, documentID: document.id, .delete, now)
            // Last: the feed lock is held from here to the commit (see `PostgresMigration.changeFeedLockKey`).
            summary.changes = try await recordChanges(
                connection, plan.changedIDs.map { ($0, document.id) } + plan.removedIDs.map { ($0, document.id) },
                operations: plan.changedIDs.map { _ in .upsert } + plan.removedIDs.map { _ in .delete }, now)
            return summary
        }
    }

    /// The payload fields of a stored document row (title, source, url, type).
    static func payloadFields(_ row: PostgresRandomAccessRow) throws -> DocumentCommitPlan.PayloadFields {
        DocumentCommitPlan.PayloadFields(
            title: try PostgresRows.value(row, "title", String.self),
            source: try PostgresRows.value(row, "source", String.self),
            url: try PostgresRows.value(row, "url", String?.self),
            type: try PostgresRows.value(row, "type", String.self))
    }

    @discardableResult
    public func deleteDocument(id: String, outbox: Bool) async throws -> [String] {
        try await transaction { connection in
            let chunkIDs = try await rows(
                "SELECT chunk_id FROM chunks WHERE document_id = \(id) ORDER BY ordinal, chunk_id", on: connection
            ).map { try PostgresRows.value($0, "chunk_id", String.self) }
            let deleted = try await rows("DELETE FROM documents WHERE id = \(id) RETURNING id", on: connection)
            guard !deleted.isEmpty else {
                throw StoreError(.notFound, "no document with id \(id)")
            }
            let now = PostgresRows.now()
            if outbox {
                try await enqueue(connection, chunkIDs, documentID: id, .delete, now)
            }
            try await recordChanges(connection, chunkIDs.map { ($0, id) }, .delete, now)
            return chunkIDs
        }
    }

    // MARK: Helpers

    func fetchChunks(_ connection: PostgresConnection, documentID: String) async throws -> [StoredChunk] {
        try await rows(
            """
            SELECT \(unescaped: PostgresRows.chunkColumns) FROM chunks WHERE document_id = \(documentID)
            ORDER BY ordinal, chunk_id
            """, on: connection
        ).map(PostgresRows.chunk)
    }

    /// Rows per statement of ``writeChunks(_:_:)``: a statement's JSON stays a few megabytes at most.
    static let chunkBatch = 500

    /// Writes one document's chunks, `chunkBatch` to a statement (a round trip per chunk made the AI Act's
    /// thousand chunks a thousand round trips). The rows travel as one JSON array, which carries the nullable
    /// columns that typed arrays cannot. A chunk id that another document owns is left alone by the conflict
    /// clause, and its absence from `RETURNING` raises the conflict, as the single-row statement did.
    func writeChunks(_ connection: PostgresConnection, _ chunks: [StoredChunk]) async throws {
        // Ids are unique here (`SQLiteStore.validate` refused a commit naming one twice), which an upsert needs:
        // it may not touch a row twice in one statement.
        let encoder = JSONEncoder()
        for start in stride(from: 0, to: chunks.count, by: Self.chunkBatch) {
            let batch = Array(chunks[start..<min(start + Self.chunkBatch, chunks.count)])
            let json = String(decoding: try encoder.encode(batch.map(ChunkRow.init)), as: UTF8.self)
            let written = try await rows(
                """
                INSERT INTO chunks (chunk_id, document_id, ordinal, text, section, heading_path, page_start,
                                    page_end, char_start, char_end, token_count, content_hash)
                SELECT chunk_id, document_id, ordinal, text, section, heading_path, page_start, page_end, char_start,
                       char_end, token_count, content_hash
                FROM jsonb_to_recordset(\(json)::jsonb) AS row(
                    chunk_id text, document_id text, ordinal bigint, text text, section text, heading_path jsonb,
                    page_start bigint, page_end bigint, char_start bigint, char_end bigint, token_count bigint,
                    content_hash text)
                ON CONFLICT (chunk_id) DO UPDATE SET
                    ordinal = excluded.ordinal, text = excluded.text, section = excluded.section,
                    heading_path = excluded.heading_path, page_start = excluded.page_start,
                    page_end = excluded.page_end, char_start = excluded.char_start, char_end = excluded.char_end,
                    token_count = excluded.token_count, content_hash = excluded.content_hash
                WHERE chunks.document_id = excluded.document_id
                RETURNING chunk_id
                """, on: connection)
            let ids = Set(try written.map { try PostgresRows.value($0, "chunk_id", String.self) })
            if let refused = batch.first(where: { !ids.contains($0.chunkID) }) {
                throw StoreError(.conflict, "chunk id \(refused.chunkID) belongs to another document")
            }
        }
    }

    /// A chunk as one element of ``writeChunks(_:_:)``'s JSON array, under the column names.
    private struct ChunkRow: Encodable {
        let chunk: StoredChunk

        enum Key: String, CodingKey {
            case chunkID = "chunk_id"
            case documentID = "document_id"
            case ordinal, text, section
            case headingPath = "heading_path"
            case pageStart = "page_start"
            case pageEnd = "page_end"
            case charStart = "char_start"
            case charEnd = "char_end"
            case tokenCount = "token_count"
            case contentHash = "content_hash"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(chunk.chunkID, forKey: .chunkID)
            try container.encode(chunk.documentID, forKey: .documentID)
            try container.encode(chunk.ordinal, forKey: .ordinal)
            try container.encode(chunk.text, forKey: .text)
            // Explicit nulls: jsonb_to_recordset reads a missing key as null too, but the row says what it means.
            try container.encode(chunk.section, forKey: .section)
            try container.encode(chunk.headingPath, forKey: .headingPath)
            try container.encode(chunk.pageStart, forKey: .pageStart)
            try container.encode(chunk.pageEnd, forKey: .pageEnd)
            try container.encode(chunk.charStart, forKey: .charStart)
            try container.encode(chunk.charEnd, forKey: .charEnd)
            try container.encode(chunk.tokenCount, forKey: .tokenCount)
            try container.encode(chunk.contentHash, forKey: .contentHash)
        }
    }

    /// Queues one outbox row per chunk, in one statement whose ids follow the order of `chunkIDs`.
    @discardableResult
    func enqueue(
        _ connection: PostgresConnection, _ chunkIDs: [String], documentID: String, _ operation: OutboxOperation,
        _ date: Date
    ) async throws -> Int {
        guard !chunkIDs.isEmpty else { return 0 }
        // One statement for the whole list (a round trip per row made large commits slow), in the list's order.
        try await connection.query(
            """
            INSERT INTO qdrant_outbox (chunk_id, document_id, operation, created_at, attempts)
            SELECT id, \(documentID), \(operation.rawValue), \(date), 0
            FROM unnest(\(chunkIDs)::text[]) WITH ORDINALITY AS ids(id, position) ORDER BY position
            """, logger: logger)
        return chunkIDs.count
    }
}
