import Foundation
import PostgresNIO

extension PostgresStore {
    static let crawlJobColumns =
        "id, origin_id, trigger, status, owner, created_at, started_at, finished_at, heartbeat_at, "
        + CrawlCounts.columnNames.joined(separator: ", ") + ", errors::text AS errors, error"

    public func createCrawlJob(originID: Int64?, trigger: CrawlTrigger, now: Date) async throws -> CrawlJob {
        let id = UUID().uuidString.lowercased()
        let now = PostgresRows.milliseconds(now)
        return try await transaction { connection in
            let row = try await rows(
                """
                INSERT INTO crawl_jobs (id, origin_id, trigger, status, created_at)
                VALUES (\(id), \(originID), \(trigger.rawValue), 'queued', \(now))
                RETURNING \(unescaped: Self.crawlJobColumns)
                """, on: connection
            ).first
            guard let row else { throw StoreError(.database, "the new crawl job row is missing") }
            return try Self.crawlJob(row)
        }
    }

    public func startCrawlJob(id: String, owner: String, now: Date) async throws -> CrawlJob {
        let now = PostgresRows.milliseconds(now)
        return try await transaction { connection in
            let current = try await rows(
                "SELECT status FROM crawl_jobs WHERE id = \(id) FOR UPDATE", on: connection
            ).first
            guard let current else { throw StoreError(.notFound, "no crawl job has id \(id)") }
            let status = try PostgresRows.value(current, "status", String.self)
            guard status == CrawlJobStatus.queued.rawValue else {
                throw StoreError(.conflict, "the crawl job is \(status)")
            }
            let row = try await rows(
                """
                UPDATE crawl_jobs SET status = 'running', owner = \(owner), started_at = \(now), heartbeat_at = \(now)
                WHERE id = \(id) RETURNING \(unescaped: Self.crawlJobColumns)
                """, on: connection
            ).first
            return try Self.crawlJob(row!)
        }
    }

    public func recordCrawlProgress(
        id: String, owner: String, counts: CrawlCounts, errors: [CrawlPageError], now: Date
    ) async throws -> Bool {
        let now = PostgresRows.milliseconds(now)
        return try await transaction { connection in
            try await saveProgress(id: id, owner: owner, counts: counts, errors: errors, now: now, on: connection)
        }
    }

    public func finishCrawlJob(
        id: String, owner: String, status: CrawlJobStatus, counts: CrawlCounts, errors: [CrawlPageError],
        error: String?, now: Date
    ) async throws -> Bool {
        guard status.isFinal else { throw StoreError(.invalidInput, "a crawl job ends completed, failed or cancelled") }
        let now = PostgresRows.milliseconds(now)
        let reason = error.map { String($0.prefix(500)) }
        // The final counts as progress, then the end, in one transaction: the owner check of the first (it updates
        // a running job of this owner, else nothing) decides whether the second runs.
        return try await transaction { connection in
            guard try await saveProgress(id: id, owner: owner, counts: counts, errors: errors, now: now, on: connection)
            else { return false }
            _ = try await rows(
                """
                UPDATE crawl_jobs SET error = \(reason), status = \(status.rawValue), finished_at = \(now)
                WHERE id = \(id) RETURNING id
                """, on: connection)
            return true
        }
    }

    /// Writes a running job's counts, failed pages and heartbeat when `owner` runs it; false (nothing written)
    /// otherwise. `now` is at the store's precision already.
    private func saveProgress(
        id: String, owner: String, counts c: CrawlCounts, errors: [CrawlPageError], now: Date,
        on connection: PostgresConnection
    ) async throws -> Bool {
        let errorsJSON = try JSONColumn.encode(Array(errors.prefix(CrawlJob.maxErrors)))
        return
            !(try await rows(
                """
                UPDATE crawl_jobs SET pages_attempted = \(c.pagesAttempted), pages_succeeded = \(c.pagesSucceeded),
                    pages_not_modified = \(c.pagesNotModified), pages_failed = \(c.pagesFailed),
                    pages_robots_disallowed = \(c.pagesRobotsDisallowed), documents_added = \(c.documentsAdded),
                    documents_updated = \(c.documentsUpdated), documents_unchanged = \(c.documentsUnchanged),
                    documents_removed = \(c.documentsRemoved), chunks_embedded = \(c.chunksEmbedded),
                    pages_irrelevant = \(c.pagesIrrelevant), errors = \(errorsJSON)::jsonb, heartbeat_at = \(now)
                WHERE id = \(id) AND owner = \(owner) AND status = 'running'
                RETURNING id
                """, on: connection
            ).isEmpty)
    }

    @discardableResult
    public func cancelCrawlJob(id: String, now: Date) async throws -> CrawlJob {
        let now = PostgresRows.milliseconds(now)
        return try await transaction { connection in
            let current = try await rows(
                "SELECT status FROM crawl_jobs WHERE id = \(id) FOR UPDATE", on: connection
            ).first
            guard let current else { throw StoreError(.notFound, "no crawl job has id \(id)") }
            let status = try PostgresRows.value(current, "status", String.self)
            guard let known = CrawlJobStatus(rawValue: status), !known.isFinal else {
                throw StoreError(.conflict, "the crawl job is \(status)")
            }
            let row = try await rows(
                """
                UPDATE crawl_jobs SET status = 'cancelled', finished_at = \(now), error = 'cancelled'
                WHERE id = \(id) RETURNING \(unescaped: Self.crawlJobColumns)
                """, on: connection
            ).first
            return try Self.crawlJob(row!)
        }
    }

    public func crawlJob(id: String) async throws -> CrawlJob? {
        try await transaction { connection in
            try await rows(
                "SELECT \(unescaped: Self.crawlJobColumns) FROM crawl_jobs WHERE id = \(id)", on: connection
            ).first.map(Self.crawlJob)
        }
    }

    public func crawlJobs(originID: Int64?, limit: Int, offset: Int) async throws -> [CrawlJob] {
        try await transaction { connection in
            let found: [PostgresRandomAccessRow]
            if let originID {
                found = try await rows(
                    """
                    SELECT \(unescaped: Self.crawlJobColumns) FROM crawl_jobs WHERE origin_id = \(originID)
                    ORDER BY created_at DESC, id DESC LIMIT \(limit) OFFSET \(offset)
                    """, on: connection)
            } else {
                found = try await rows(
                    """
                    SELECT \(unescaped: Self.crawlJobColumns) FROM crawl_jobs
                    ORDER BY created_at DESC, id DESC LIMIT \(limit) OFFSET \(offset)
                    """, on: connection)
            }
            return try found.map(Self.crawlJob)
        }
    }

    public func failAbandonedCrawlJobs(heartbeatBefore: Date, now: Date) async throws -> [String] {
        let before = PostgresRows.milliseconds(heartbeatBefore)
        let now = PostgresRows.milliseconds(now)
        return try await transaction { connection in
            try await rows(
                """
                UPDATE crawl_jobs SET status = 'failed', finished_at = \(now),
                    error = 'abandoned: the replica running it stopped'
                WHERE status = 'running' AND heartbeat_at < \(before)
                RETURNING id
                """, on: connection
            ).map { try PostgresRows.value($0, "id", String.self) }.sorted()
        }
    }

    public func crawlPage(url: String) async throws -> CrawlPage? {
        try await transaction { connection in
            try await rows(
                """
                SELECT url, origin_id, document_id, etag, last_modified, content_hash, last_status, missing_runs,
                       fetched_at, links::text AS links
                FROM crawl_pages WHERE url = \(url)
                """, on: connection
            ).first.map { row in
                CrawlPage(
                    url: try PostgresRows.value(row, "url", String.self),
                    originID: try PostgresRows.value(row, "origin_id", Int64?.self),
                    documentID: try PostgresRows.value(row, "document_id", String?.self),
                    etag: try PostgresRows.value(row, "etag", String?.self),
                    lastModified: try PostgresRows.value(row, "last_modified", String?.self),
                    contentHash: try PostgresRows.value(row, "content_hash", String?.self),
                    lastStatus: try PostgresRows.value(row, "last_status", Int?.self),
                    missingRuns: try PostgresRows.value(row, "missing_runs", Int.self),
                    fetchedAt: try PostgresRows.optionalDate(row, "fetched_at"),
                    links: try JSONColumn.decode(
                        [String].self, from: try PostgresRows.value(row, "links", String.self),
                        column: "crawl_pages.links"))
            }
        }
    }

    public func saveCrawlPage(_ page: CrawlPage) async throws {
        let fetched = page.fetchedAt.map(PostgresRows.milliseconds)
        let links = try JSONColumn.encode(page.links)
        try await transaction { connection in
            _ = try await rows(
                """
                INSERT INTO crawl_pages (url, origin_id, document_id, etag, last_modified, content_hash, last_status,
                                         missing_runs, fetched_at, links)
                VALUES (\(page.url), \(page.originID), \(page.documentID), \(page.etag), \(page.lastModified),
                        \(page.contentHash), \(page.lastStatus), \(page.missingRuns), \(fetched), \(links)::jsonb)
                ON CONFLICT (url) DO UPDATE SET origin_id = excluded.origin_id, document_id = excluded.document_id,
                    etag = excluded.etag, last_modified = excluded.last_modified, content_hash = excluded.content_hash,
                    last_status = excluded.last_status, missing_runs = excluded.missing_runs,
                    fetched_at = excluded.fetched_at, links = excluded.links
                RETURNING url
                """, on: connection)
        }
    }

    public func crawledDocumentIDs(originID: Int64) async throws -> [String] {
        try await transaction { connection in
            try await rows(
                """
                SELECT DISTINCT document_id FROM crawl_pages
                WHERE origin_id = \(originID) AND document_id IS NOT NULL ORDER BY document_id
                """, on: connection
            ).map { try PostgresRows.value($0, "document_id", String.self) }
        }
    }

    static func crawlJob(_ row: PostgresRandomAccessRow) throws -> CrawlJob {
        guard let trigger = CrawlTrigger(rawValue: try PostgresRows.value(row, "trigger", String.self)),
            let status = CrawlJobStatus(rawValue: try PostgresRows.value(row, "status", String.self))
        else { throw StoreError(.corrupt, "crawl_jobs holds an unknown trigger or status") }
        let counts = try CrawlCounts.columnNames.map { try PostgresRows.value(row, $0, Int.self) }
        return CrawlJob(
            id: try PostgresRows.value(row, "id", String.self),
            originID: try PostgresRows.value(row, "origin_id", Int64?.self), trigger: trigger, status: status,
            owner: try PostgresRows.value(row, "owner", String?.self),
            createdAt: try PostgresRows.date(row, "created_at"),
            startedAt: try PostgresRows.optionalDate(row, "started_at"),
            finishedAt: try PostgresRows.optionalDate(row, "finished_at"),
            heartbeatAt: try PostgresRows.optionalDate(row, "heartbeat_at"), counts: CrawlCounts(columns: counts),
            errors: try JSONColumn.decode(
                [CrawlPageError].self, from: try PostgresRows.value(row, "errors", String.self),
                column: "crawl_jobs.errors"),
            error: try PostgresRows.value(row, "error", String?.self))
    }
}
