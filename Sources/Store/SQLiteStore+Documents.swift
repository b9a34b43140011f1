import Foundation
import GRDB

extension SQLiteStore {
    public func document(id: String) async throws -> StoredDocument? {
        try await read { db in
            // Cached statements: compiling them showed in profiles of the retrieve route.
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT \(SQLiteRows.documentColumns) FROM documents WHERE id = ?"),
                arguments: [id]
            ).map(SQLiteRows.document)
        }
    }

    public func documents(limit: Int, offset: Int) async throws -> [StoredDocument] {
        guard limit > 0 else { return [] }
        return try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(SQLiteRows.documentColumns) FROM documents
                    ORDER BY updated_at DESC, id LIMIT ? OFFSET ?
                    """,
                arguments: [limit, max(0, offset)]
            ).map(SQLiteRows.document)
        }
    }

    public func chunks(documentID: String) async throws -> [StoredChunk] {
        try await read { db in try Self.fetchChunks(db, documentID: documentID) }
    }

    public func chunk(id: String) async throws -> StoredChunk? {
        try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(SQLiteRows.chunkColumns) FROM chunks WHERE chunk_id = ?", arguments: [id]
            ).map(SQLiteRows.chunk)
        }
    }

    public func chunk(documentID: String, ordinal: Int) async throws -> StoredChunk? {
        try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(SQLiteRows.chunkColumns) FROM chunks WHERE document_id = ? AND ordinal = ?",
                arguments: [documentID, ordinal]
            ).map(SQLiteRows.chunk)
        }
    }

    public func chunks(ids: [String]) async throws -> [StoredChunk] {
        guard !ids.isEmpty else { return [] }
        let found = try await read { db in
            var byID: [String: StoredChunk] = [:]
            // Batches stay well under SQLite's bound-parameter limit.
            for start in stride(from: 0, to: ids.count, by: 500) {
                let batch = Array(ids[start..<min(start + 500, ids.count)])
                let sql = """
                    SELECT \(SQLiteRows.chunkColumns) FROM chunks
                    WHERE chunk_id IN (\(databaseQuestionMarks(count: batch.count)))
                    """
                // Searches ask for top_k (at most 50) ids: a cached statement per size saves compiling one per
                // request; the rarer large batches are compiled each time rather than fill the cache.
                let statement = batch.count <= 50 ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
                let rows = try Row.fetchAll(statement, arguments: StatementArguments(batch))
                for row in rows {
                    let chunk = try SQLiteRows.chunk(row)
                    byID[chunk.chunkID] = chunk
                }
            }
            return byID
        }
        return ids.compactMap { found[$0] }
    }

    public func chunkContentHashes() async throws -> [String: String] {
        try await read { db in
            var hashes: [String: String] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT chunk_id, content_hash FROM chunks")
            while let row = try rows.next() {
                hashes[try row.decode(String.self, atIndex: 0)] = try row.decode(String.self, atIndex: 1)
            }
            return hashes
        }
    }

    public func counts() async throws -> StoreCounts {
        try await read { db in
            StoreCounts(
                documents: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM documents") ?? 0,
                chunks: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM chunks") ?? 0)
        }
    }

    @discardableResult
    public func commitDocument(
        _ document: StoredDocument, chunks: [StoredChunk], removedChunkIDs: [String], vectors: [ChunkVectors],
        outbox: Bool
    ) async throws -> CommitSummary {
        try Self.validate(document: document, chunks: chunks)
        let metadata = try JSONColumn.encode(document.metadata)
        return try await write { db in
            let now = Date()
            let previous = try Row.fetchOne(
                db, sql: "SELECT created_at, title, source, url, type FROM documents WHERE id = ?",
                arguments: [document.id])
            let createdAt: Date = try previous.map { try $0.decode(forColumn: "created_at") } ?? now
            try db.execute(
                sql: """
                    INSERT INTO documents (id, title, source, url, type, content_hash, metadata, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET
                        title = excluded.title, source = excluded.source, url = excluded.url,
                        type = excluded.type, content_hash = excluded.content_hash, metadata = excluded.metadata,
                        updated_at = excluded.updated_at
                    """,
                arguments: [
                    document.id, document.title, document.source, document.url, document.type,
                    document.contentHash, metadata, createdAt, now,
                ])

            var removed: [String] = []
            let delete = try db.cachedStatement(sql: "DELETE FROM chunks WHERE chunk_id = ? AND document_id = ?")
            for id in removedChunkIDs {
                try delete.execute(arguments: [id, document.id])
                if db.changesCount > 0 { removed.append(id) }
            }

            let plan = DocumentCommitPlan(
                document: document, chunks: chunks, previous: try previous.map(Self.payloadFields),
                stored: try Self.fetchChunks(db, documentID: document.id), removed: removed, outbox: outbox)
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO chunks (chunk_id, document_id, ordinal, text, section, heading_path, page_start, page_end,
                                        char_start, char_end, token_count, content_hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(chunk_id) DO UPDATE SET
                        ordinal = excluded.ordinal, text = excluded.text, section = excluded.section,
                        heading_path = excluded.heading_path, page_start = excluded.page_start,
                        page_end = excluded.page_end, char_start = excluded.char_start, char_end = excluded.char_end,
                        token_count = excluded.token_count, content_hash = excluded.content_hash
                    WHERE chunks.document_id = excluded.document_id
                    """)
            for (chunk, _) in plan.writes {
                try upsert.execute(arguments: [
                    chunk.chunkID, chunk.documentID, chunk.ordinal, chunk.text, chunk.section,
                    try JSONColumn.encode(chunk.headingPath), chunk.pageStart, chunk.pageEnd, chunk.charStart,
                    chunk.charEnd, chunk.tokenCount, chunk.contentHash,
                ])
                // No change means the WHERE above refused: the id is another document's chunk.
                if db.changesCount == 0 {
                    throw StoreError(.conflict, "chunk id \(chunk.chunkID) belongs to another document")
                }
            }
            let kept = Set(chunks.map(\.chunkID))
            try Self.saveVectors(db, vectors.filter { kept.contains($0.chunkID) })
            let upserted = try Self.recordChanges(db, plan.changedIDs, documentID: document.id, .upsert, at: now)
            let deleted = try Self.recordChanges(db, plan.removedIDs, documentID: document.id, .delete, at: now)
            var summary = plan.summary
            if let first = (upserted ?? deleted)?.lowerBound, let last = (deleted ?? upserted)?.upperBound {
                summary.changes = first...last
            }
            summary.outboxEnqueued += try Self.enqueue(
                db, plan.outboxUpserts, documentID: document.id, .upsert, at: now)
            summary.outboxEnqueued += try Self.enqueue(
                db, plan.outboxDeletes, documentID: document.id, .delete, at: now)
            return summary
        }
    }

    @discardableResult
    public func deleteDocument(id: String, outbox: Bool) async throws -> [String] {
        try await write { db in
            let chunkIDs = try String.fetchAll(
                db, sql: "SELECT chunk_id FROM chunks WHERE document_id = ? ORDER BY ordinal, chunk_id",
                arguments: [id])
            try db.execute(sql: "DELETE FROM documents WHERE id = ?", arguments: [id])
            guard db.changesCount > 0 else {
                throw StoreError(.notFound, "no document with id \(id)")
            }
            let now = Date()
            try Self.recordChanges(db, chunkIDs, documentID: id, .delete, at: now)
            if outbox {
                try Self.enqueue(db, chunkIDs, documentID: id, .delete, at: now)
            }
            return chunkIDs
        }
    }

    // MARK: Helpers

    /// Rejects inputs that no database state could make valid, before opening a transaction.
    static func validate(document: StoredDocument, chunks: [StoredChunk]) throws {
        guard !document.id.isEmpty else {
            throw StoreError(.invalidInput, "a document needs a non-empty id")
        }
        var seen = Set<String>()
        for chunk in chunks {
            guard chunk.documentID == document.id else {
                throw StoreError(
                    .invalidInput, "chunk \(chunk.chunkID) belongs to \(chunk.documentID), not to \(document.id)")
            }
            guard seen.insert(chunk.chunkID).inserted else {
                throw StoreError(.invalidInput, "chunk id \(chunk.chunkID) appears twice in one commit")
            }
        }
    }

    /// The payload fields of a stored document row (title, source, url, type).
    static func payloadFields(_ row: Row) throws -> DocumentCommitPlan.PayloadFields {
        DocumentCommitPlan.PayloadFields(
            title: try row.decode(forColumn: "title"), source: try row.decode(forColumn: "source"),
            url: try row.decode(forColumn: "url"), type: try row.decode(forColumn: "type"))
    }

    static func fetchChunks(_ db: Database, documentID: String) throws -> [StoredChunk] {
        try Row.fetchAll(
            db,
            sql: "SELECT \(SQLiteRows.chunkColumns) FROM chunks WHERE document_id = ? ORDER BY ordinal, chunk_id",
            arguments: [documentID]
        ).map(SQLiteRows.chunk)
    }

    @discardableResult
    static func enqueue(
        _ db: Database, _ chunkIDs: [String], documentID: String, _ operation: OutboxOperation, at date: Date
    ) throws -> Int {
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO qdrant_outbox (chunk_id, document_id, operation, created_at, attempts)
                VALUES (?, ?, ?, ?, 0)
                """)
        for chunkID in chunkIDs {
            try insert.execute(arguments: [chunkID, documentID, operation.rawValue, date])
        }
        return chunkIDs.count
    }
}
