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
        _ document: StoredDocument, chunks: [StoredChunk], removedChunkIDs: [String], outbox: Bool
    ) async throws -> CommitSummary {
        try SQLiteStore.validate(document: document, chunks: chunks)
        let metadata = try JSONColumn.encode(document.metadata)
        let headingPaths = try chunks.map { try JSONColumn.encode($0.headingPath) }
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

            let stored = Dictionary(
                try await fetchChunks(connection, documentID: document.id).map { ($0.chunkID, $0) },
                uniquingKeysWith: { first, _ in first })
            var summary = CommitSummary(
                documentCreated: previous == nil, chunksAdded: 0, chunksUpdated: 0, chunksUnchanged: 0,
                chunksRemoved: removed.count, outboxEnqueued: 0)
            var upserted: [String] = []
            for (chunk, headingPath) in zip(chunks, headingPaths) {
                let existing = stored[chunk.chunkID]
                if existing == chunk {
                    summary.chunksUnchanged += 1
                    continue
                }
                let written = try await rows(
                    """
                    INSERT INTO chunks (chunk_id, document_id, ordinal, text, section, heading_path, page_start,
                                        page_end, char_start, char_end, token_count, content_hash)
                    VALUES (\(chunk.chunkID), \(chunk.documentID), \(chunk.ordinal), \(chunk.text), \(chunk.section),
                            \(headingPath)::jsonb, \(chunk.pageStart), \(chunk.pageEnd), \(chunk.charStart),
                            \(chunk.charEnd), \(chunk.tokenCount), \(chunk.contentHash))
                    ON CONFLICT (chunk_id) DO UPDATE SET
                        ordinal = excluded.ordinal, text = excluded.text, section = excluded.section,
                        heading_path = excluded.heading_path, page_start = excluded.page_start,
                        page_end = excluded.page_end, char_start = excluded.char_start, char_end = excluded.char_end,
                        token_count = excluded.token_count, content_hash = excluded.content_hash
                    WHERE chunks.document_id = excluded.document_id
                    RETURNING chunk_id
                    """, on: connection)
                // No row means the WHERE above refused: the id is another document's chunk.
                if written.isEmpty {
                    throw StoreError(.conflict, "chunk id \(chunk.chunkID) belongs to another document")
                }
                if existing == nil { summary.chunksAdded += 1 } else { summary.chunksUpdated += 1 }
                upserted.append(chunk.chunkID)
            }

            if outbox {
                // Points carry the document's title, source, url and type: when one changed, every chunk of the
                // document needs pushing again, not only the chunks whose own columns changed.
                if let previous, try Self.payloadFieldsDiffer(previous, document) {
                    let written = Set(upserted)
                    upserted += stored.values.sorted { $0.ordinal < $1.ordinal }.map(\.chunkID).filter {
                        !written.contains($0)
                    }
                }
                summary.outboxEnqueued += try await enqueue(connection, upserted, documentID: document.id, .upsert, now)
                summary.outboxEnqueued += try await enqueue(connection, removed, documentID: document.id, .delete, now)
            }
            return summary
        }
    }

    /// Whether the stored document row differs from `document` in a field the Qdrant payload copies.
    static func payloadFieldsDiffer(_ row: PostgresRandomAccessRow, _ document: StoredDocument) throws -> Bool {
        let title = try PostgresRows.value(row, "title", String.self)
        let source = try PostgresRows.value(row, "source", String.self)
        let url = try PostgresRows.value(row, "url", String?.self)
        let type = try PostgresRows.value(row, "type", String.self)
        return title != document.title || source != document.source || url != document.url || type != document.type
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
            if outbox {
                try await enqueue(connection, chunkIDs, documentID: id, .delete, PostgresRows.now())
            }
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

    /// Queues one outbox row per chunk, one statement each so ids follow the order of `chunkIDs`.
    @discardableResult
    func enqueue(
        _ connection: PostgresConnection, _ chunkIDs: [String], documentID: String, _ operation: OutboxOperation,
        _ date: Date
    ) async throws -> Int {
        for chunkID in chunkIDs {
            try await connection.query(
                """
                INSERT INTO qdrant_outbox (chunk_id, document_id, operation, created_at, attempts)
                VALUES (\(chunkID), \(documentID), \(operation.rawValue), \(date), 0)
                """, logger: logger)
        }
        return chunkIDs.count
    }
}
