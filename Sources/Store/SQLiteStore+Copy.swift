import Foundation
import GRDB

extension SQLiteStore {
    public func tableCounts() async throws -> StoreTableCounts {
        try await read { db in
            func count(_ table: String) throws -> Int {
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
            }
            return StoreTableCounts(
                documents: try count("documents"), chunks: try count("chunks"), users: try count("users"),
                origins: try count("origins"), jobs: try count("jobs"), outbox: try count("qdrant_outbox"))
        }
    }

    public func exportDocuments(after id: String?, limit: Int) async throws -> [StoredDocument] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT \(SQLiteRows.documentColumns) FROM documents WHERE id > ? ORDER BY id LIMIT ?",
                arguments: [id ?? "", max(0, limit)]
            ).map(SQLiteRows.document)
        }
    }

    public func exportChunks(after id: String?, limit: Int) async throws -> [StoredChunk] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT \(SQLiteRows.chunkColumns) FROM chunks WHERE chunk_id > ? ORDER BY chunk_id LIMIT ?",
                arguments: [id ?? "", max(0, limit)]
            ).map(SQLiteRows.chunk)
        }
    }

    public func origins() async throws -> [Origin] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT \(SQLiteRows.originColumns) FROM origins ORDER BY id")
                .map(SQLiteRows.origin)
        }
    }

    public func exportJobs(after id: String?, limit: Int) async throws -> [Job] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(SQLiteRows.jobColumns) FROM jobs WHERE id > ? ORDER BY id LIMIT ?",
                arguments: [id ?? "", max(0, limit)]
            ).map(SQLiteRows.job)
        }
    }

    public func exportOutbox(after id: Int64?, limit: Int) async throws -> [OutboxEntry] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(SQLiteRows.outboxColumns) FROM qdrant_outbox WHERE id > ? ORDER BY id LIMIT ?",
                arguments: [id ?? Int64.min, max(0, limit)]
            ).map(SQLiteRows.outboxEntry)
        }
    }

    public func importRows(_ rows: StoreRows) async throws {
        let metadata = try rows.documents.map { try JSONColumn.encode($0.metadata) }
        let headingPaths = try rows.chunks.map { try JSONColumn.encode($0.headingPath) }
        let payloads = try rows.jobs.map { try JSONColumn.encode($0.payload) }
        try await write { db in
            for (document, metadata) in zip(rows.documents, metadata) {
                try db.execute(
                    sql: """
                        INSERT INTO documents (id, title, source, url, type, content_hash, metadata, created_at,
                                               updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        document.id, document.title, document.source, document.url, document.type,
                        document.contentHash, metadata, document.createdAt, document.updatedAt,
                    ])
            }
            let insertChunk = try db.cachedStatement(
                sql: """
                    INSERT INTO chunks (chunk_id, document_id, ordinal, text, section, heading_path, page_start,
                                        page_end, char_start, char_end, token_count, content_hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for (chunk, headingPath) in zip(rows.chunks, headingPaths) {
                try insertChunk.execute(arguments: [
                    chunk.chunkID, chunk.documentID, chunk.ordinal, chunk.text, chunk.section, headingPath,
                    chunk.pageStart, chunk.pageEnd, chunk.charStart, chunk.charEnd, chunk.tokenCount,
                    chunk.contentHash,
                ])
            }
            // Imported chunks enter the feed like committed ones, so replicas already following this store index
            // them.
            let now = Date()
            for chunk in rows.chunks {
                try Self.recordChanges(db, [chunk.chunkID], documentID: chunk.documentID, .upsert, at: now)
            }
            for user in rows.users {
                try db.execute(
                    sql: """
                        INSERT INTO users (id, username, email, password_hash, role, is_active, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        user.id, user.username, user.email, user.passwordHash, user.role.rawValue, user.isActive,
                        user.createdAt,
                    ])
            }
            for origin in rows.origins {
                try db.execute(
                    sql: """
                        INSERT INTO origins (id, url, title, source, frequency_hours, last_fetched_at, last_status,
                                             enabled, country_code, topic_tags, crawl_priority, allowed_path_patterns,
                                             excluded_path_patterns, sitemap_url, max_depth, max_pages, next_run)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        origin.id, origin.url, origin.title, origin.source, origin.frequencyHours,
                        origin.lastFetchedAt, origin.lastStatus, origin.enabled, origin.countryCode,
                        try JSONColumn.encode(origin.topicTags), origin.crawlPriority,
                        try JSONColumn.encode(origin.allowedPathPatterns),
                        try JSONColumn.encode(origin.excludedPathPatterns), origin.sitemapURL, origin.maxDepth,
                        origin.maxPages, origin.nextRun,
                    ])
            }
            for (job, payload) in zip(rows.jobs, payloads) {
                try db.execute(
                    sql: """
                        INSERT INTO jobs (id, kind, status, payload, created_at, started_at, finished_at, error)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        job.id, job.kind, job.status.rawValue, payload, job.createdAt, job.startedAt,
                        job.finishedAt, job.error,
                    ])
            }
            let insertOutbox = try db.cachedStatement(
                sql: """
                    INSERT INTO qdrant_outbox (id, chunk_id, document_id, operation, created_at, attempts,
                                               last_error)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
            for entry in rows.outbox {
                try insertOutbox.execute(arguments: [
                    entry.id, entry.chunkID, entry.documentID, entry.operation.rawValue, entry.createdAt,
                    entry.attempts, entry.lastError,
                ])
            }
        }
    }

    public func removeAllRows() async throws {
        try await write { db in
            // Chunks (and their vectors) go with their documents (ON DELETE CASCADE).
            for table in [
                "qdrant_outbox", "jobs", "crawl_jobs", "crawl_pages", "origins", "users", "documents",
                "platform_settings",
            ] {
                try db.execute(sql: "DELETE FROM \(table)")
            }
            // The feed is emptied rather than given a delete per chunk: marking every number handed out as pruned
            // sends each follower to a full reconciliation, which finds the store empty.
            try db.execute(
                sql: """
                    UPDATE change_feed_state
                    SET pruned_through = MAX(pruned_through, (SELECT COALESCE(MAX(sequence), 0) FROM chunk_changes))
                    WHERE id = 1
                    """)
            try db.execute(sql: "DELETE FROM chunk_changes")
        }
    }
}
