import Foundation
import PostgresNIO

extension PostgresStore {
    public func tableCounts() async throws -> StoreTableCounts {
        try await read { connection in
            let row = try await rows(
                """
                SELECT (SELECT COUNT(*) FROM documents) AS documents, (SELECT COUNT(*) FROM chunks) AS chunks,
                       (SELECT COUNT(*) FROM users) AS users, (SELECT COUNT(*) FROM origins) AS origins,
                       (SELECT COUNT(*) FROM jobs) AS jobs, (SELECT COUNT(*) FROM qdrant_outbox) AS outbox
                """, on: connection
            ).first
            guard let row else { throw StoreError(.database, "COUNT returned no row") }
            return StoreTableCounts(
                documents: try PostgresRows.value(row, "documents", Int.self),
                chunks: try PostgresRows.value(row, "chunks", Int.self),
                users: try PostgresRows.value(row, "users", Int.self),
                origins: try PostgresRows.value(row, "origins", Int.self),
                jobs: try PostgresRows.value(row, "jobs", Int.self),
                outbox: try PostgresRows.value(row, "outbox", Int.self))
        }
    }

    public func exportDocuments(after id: String?, limit: Int) async throws -> [StoredDocument] {
        try await read { connection in
            try await rows(
                """
                SELECT \(unescaped: PostgresRows.documentColumns) FROM documents WHERE id > \(id ?? "")
                ORDER BY id LIMIT \(max(0, limit))
                """, on: connection
            ).map(PostgresRows.document)
        }
    }

    public func exportChunks(after id: String?, limit: Int) async throws -> [StoredChunk] {
        try await read { connection in
            try await rows(
                """
                SELECT \(unescaped: PostgresRows.chunkColumns) FROM chunks WHERE chunk_id > \(id ?? "")
                ORDER BY chunk_id LIMIT \(max(0, limit))
                """, on: connection
            ).map(PostgresRows.chunk)
        }
    }

    public func origins() async throws -> [Origin] {
        try await read { connection in
            try await rows("SELECT \(unescaped: PostgresRows.originColumns) FROM origins ORDER BY id", on: connection)
                .map(PostgresRows.origin)
        }
    }

    public func exportJobs(after id: String?, limit: Int) async throws -> [Job] {
        try await read { connection in
            try await rows(
                """
                SELECT \(unescaped: PostgresRows.jobColumns) FROM jobs WHERE id > \(id ?? "")
                ORDER BY id LIMIT \(max(0, limit))
                """, on: connection
            ).map(PostgresRows.job)
        }
    }

    public func exportOutbox(after id: Int64?, limit: Int) async throws -> [OutboxEntry] {
        try await read { connection in
            try await rows(
                """
                SELECT \(unescaped: PostgresRows.outboxColumns) FROM qdrant_outbox WHERE id > \(id ?? Int64.min)
                ORDER BY id LIMIT \(max(0, limit))
                """, on: connection
            ).map(PostgresRows.outboxEntry)
        }
    }

    public func importRows(_ rows: StoreRows) async throws {
        let metadata = try rows.documents.map { try JSONColumn.encode($0.metadata) }
        let headingPaths = try rows.chunks.map { try JSONColumn.encode($0.headingPath) }
        let payloads = try rows.jobs.map { try JSONColumn.encode($0.payload) }
        try await transaction { connection in
            for (document, metadata) in zip(rows.documents, metadata) {
                _ = try await connection.query(
                    """
                    INSERT INTO documents (id, title, source, url, type, content_hash, metadata, created_at,
                                           updated_at)
                    VALUES (\(document.id), \(document.title), \(document.source), \(document.url), \(document.type),
                            \(document.contentHash), \(metadata)::jsonb, \(document.createdAt), \(document.updatedAt))
                    """, logger: logger)
            }
            for (chunk, headingPath) in zip(rows.chunks, headingPaths) {
                _ = try await connection.query(
                    """
                    INSERT INTO chunks (chunk_id, document_id, ordinal, text, section, heading_path, page_start,
                                        page_end, char_start, char_end, token_count, content_hash)
                    VALUES (\(chunk.chunkID), \(chunk.documentID), \(chunk.ordinal), \(chunk.text), \(chunk.section),
                            \(headingPath)::jsonb, \(chunk.pageStart), \(chunk.pageEnd), \(chunk.charStart),
                            \(chunk.charEnd), \(chunk.tokenCount), \(chunk.contentHash))
                    """, logger: logger)
            }
            for user in rows.users {
                _ = try await connection.query(
                    """
                    INSERT INTO users (id, username, email, password_hash, role, is_active, created_at)
                    VALUES (\(user.id), \(user.username), \(user.email), \(user.passwordHash), \(user.role.rawValue),
                            \(user.isActive), \(user.createdAt))
                    """, logger: logger)
            }
            for origin in rows.origins {
                let tags = try JSONColumn.encode(origin.topicTags)
                let allowed = try JSONColumn.encode(origin.allowedPathPatterns)
                let excluded = try JSONColumn.encode(origin.excludedPathPatterns)
                _ = try await connection.query(
                    """
                    INSERT INTO origins (id, url, title, source, frequency_hours, last_fetched_at, last_status,
                                         enabled, country_code, topic_tags, crawl_priority, allowed_path_patterns,
                                         excluded_path_patterns, sitemap_url, max_depth, max_pages, next_run)
                    VALUES (\(origin.id), \(origin.url), \(origin.title), \(origin.source), \(origin.frequencyHours),
                            \(origin.lastFetchedAt), \(origin.lastStatus), \(origin.enabled), \(origin.countryCode),
                            \(tags)::jsonb, \(origin.crawlPriority), \(allowed)::jsonb, \(excluded)::jsonb,
                            \(origin.sitemapURL), \(origin.maxDepth), \(origin.maxPages), \(origin.nextRun))
                    """, logger: logger)
            }
            for (job, payload) in zip(rows.jobs, payloads) {
                _ = try await connection.query(
                    """
                    INSERT INTO jobs (id, kind, status, payload, created_at, started_at, finished_at, error)
                    VALUES (\(job.id), \(job.kind), \(job.status.rawValue), \(payload)::jsonb, \(job.createdAt),
                            \(job.startedAt), \(job.finishedAt), \(job.error))
                    """, logger: logger)
            }
            for entry in rows.outbox {
                _ = try await connection.query(
                    """
                    INSERT INTO qdrant_outbox (id, chunk_id, document_id, operation, created_at, attempts, last_error)
                    VALUES (\(entry.id), \(entry.chunkID), \(entry.documentID), \(entry.operation.rawValue),
                            \(entry.createdAt), \(entry.attempts), \(entry.lastError))
                    """, logger: logger)
            }
            // Explicit ids do not move identity sequences: without this the next createUser would collide.
            for table in ["users", "origins", "qdrant_outbox"] where !rows.isEmpty(table) {
                _ = try await connection.query(
                    PostgresQuery(
                        unsafeSQL: """
                            SELECT setval(pg_get_serial_sequence('\(table)', 'id'),
                                          COALESCE((SELECT MAX(id) FROM \(table)), 0) + 1, false)
                            """), logger: logger)
            }
            // Imported chunks enter the feed like committed ones, so replicas already following this store index
            // them. Last, as in a commit (see `PostgresMigration.changeFeedLockKey`).
            try await recordChanges(
                connection, rows.chunks.map { ($0.chunkID, $0.documentID) }, .upsert, PostgresRows.now())
        }
    }

    public func removeAllRows() async throws {
        try await transaction { connection in
            // The feed is emptied rather than given a delete per chunk: marking every number handed out as pruned
            // sends each follower to a full reconciliation, which finds the store empty.
            _ = try await connection.query(
                "SELECT pg_advisory_xact_lock(\(PostgresMigration.changeFeedLockKey))", logger: logger)
            _ = try await connection.query(
                """
                UPDATE change_feed_state
                SET pruned_through = GREATEST(pruned_through, (SELECT COALESCE(MAX(sequence), 0) FROM chunk_changes))
                WHERE id = 1
                """, logger: logger)
            _ = try await connection.query(
                """
                TRUNCATE qdrant_outbox, jobs, crawl_jobs, crawl_pages, origins, users, chunk_vectors, chunks, documents,
                    chunk_changes, platform_settings
                """,
                logger: logger)
        }
    }
}

extension StoreRows {
    /// Whether the batch holds no rows for `table`'s identity column.
    fileprivate func isEmpty(_ table: String) -> Bool {
        switch table {
        case "users": users.isEmpty
        case "origins": origins.isEmpty
        default: outbox.isEmpty
        }
    }
}
