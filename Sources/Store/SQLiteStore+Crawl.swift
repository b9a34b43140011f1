import Foundation
import GRDB

extension SQLiteStore {
    static let crawlJobColumns =
        "id, origin_id, trigger, status, owner, created_at, started_at, finished_at, heartbeat_at, "
        + CrawlCounts.columnNames.joined(separator: ", ") + ", errors, error"

    public func createCrawlJob(originID: Int64?, trigger: CrawlTrigger, now: Date) async throws -> CrawlJob {
        let id = UUID().uuidString.lowercased()
        return try await write { db in
            try db.execute(
                sql:
                    "INSERT INTO crawl_jobs (id, origin_id, trigger, status, created_at) VALUES (?, ?, ?, 'queued', ?)",
                arguments: [id, originID, trigger.rawValue, now])
            return try Self.fetchCrawlJob(db, id: id)!
        }
    }

    public func startCrawlJob(id: String, owner: String, now: Date) async throws -> CrawlJob {
        try await write { db in
            guard let job = try Self.fetchCrawlJob(db, id: id) else {
                throw StoreError(.notFound, "no crawl job has id \(id)")
            }
            guard job.status == .queued else { throw StoreError(.conflict, "the crawl job is \(job.status.rawValue)") }
            try db.execute(
                sql: """
                    UPDATE crawl_jobs SET status = 'running', owner = ?, started_at = ?, heartbeat_at = ?
                    WHERE id = ?
                    """, arguments: [owner, now, now, id])
            return try Self.fetchCrawlJob(db, id: id)!
        }
    }

    public func recordCrawlProgress(
        id: String, owner: String, counts: CrawlCounts, errors: [CrawlPageError], now: Date
    ) async throws -> Bool {
        let errorsJSON = try JSONColumn.encode(Array(errors.prefix(CrawlJob.maxErrors)))
        return try await write { db in
            let assignments = CrawlCounts.columnNames.map { "\($0) = ?" }.joined(separator: ", ")
            try db.execute(
                sql: """
                    UPDATE crawl_jobs SET \(assignments), errors = ?, heartbeat_at = ?
                    WHERE id = ? AND owner = ? AND status = 'running'
                    """,
                arguments: StatementArguments(counts.columns) + [errorsJSON, now, id, owner])
            return db.changesCount > 0
        }
    }

    public func finishCrawlJob(
        id: String, owner: String, status: CrawlJobStatus, counts: CrawlCounts, errors: [CrawlPageError],
        error: String?, now: Date
    ) async throws -> Bool {
        guard status.isFinal else { throw StoreError(.invalidInput, "a crawl job ends completed, failed or cancelled") }
        let errorsJSON = try JSONColumn.encode(Array(errors.prefix(CrawlJob.maxErrors)))
        return try await write { db in
            let assignments = CrawlCounts.columnNames.map { "\($0) = ?" }.joined(separator: ", ")
            try db.execute(
                sql: """
                    UPDATE crawl_jobs SET \(assignments), errors = ?, error = ?, status = ?, finished_at = ?,
                        heartbeat_at = ?
                    WHERE id = ? AND owner = ? AND status = 'running'
                    """,
                arguments: StatementArguments(counts.columns)
                    + [errorsJSON, error.map { String($0.prefix(500)) }, status.rawValue, now, now, id, owner])
            return db.changesCount > 0
        }
    }

    @discardableResult
    public func cancelCrawlJob(id: String, now: Date) async throws -> CrawlJob {
        try await write { db in
            guard let job = try Self.fetchCrawlJob(db, id: id) else {
                throw StoreError(.notFound, "no crawl job has id \(id)")
            }
            guard !job.status.isFinal else { throw StoreError(.conflict, "the crawl job is \(job.status.rawValue)") }
            try db.execute(
                sql: "UPDATE crawl_jobs SET status = 'cancelled', finished_at = ?, error = 'cancelled' WHERE id = ?",
                arguments: [now, id])
            return try Self.fetchCrawlJob(db, id: id)!
        }
    }

    public func crawlJob(id: String) async throws -> CrawlJob? {
        try await read { db in try Self.fetchCrawlJob(db, id: id) }
    }

    public func crawlJobs(originID: Int64?, limit: Int, offset: Int) async throws -> [CrawlJob] {
        try await read { db in
            let filter = originID == nil ? "" : "WHERE origin_id = ?"
            var arguments: StatementArguments = originID.map { [$0] } ?? []
            arguments += [limit, offset]
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.crawlJobColumns) FROM crawl_jobs \(filter)
                    ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?
                    """, arguments: arguments
            ).map(Self.crawlJob)
        }
    }

    public func failAbandonedCrawlJobs(heartbeatBefore: Date, now: Date) async throws -> [String] {
        try await write { db in
            let ids = try String.fetchAll(
                db, sql: "SELECT id FROM crawl_jobs WHERE status = 'running' AND heartbeat_at < ? ORDER BY id",
                arguments: [heartbeatBefore])
            for id in ids {
                try db.execute(
                    sql: """
                        UPDATE crawl_jobs SET status = 'failed', finished_at = ?,
                            error = 'abandoned: the replica running it stopped'
                        WHERE id = ?
                        """, arguments: [now, id])
            }
            return ids
        }
    }

    public func crawlPage(url: String) async throws -> CrawlPage? {
        try await read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT url, origin_id, document_id, etag, last_modified, content_hash, last_status, missing_runs,
                           fetched_at, links
                    FROM crawl_pages WHERE url = ?
                    """, arguments: [url]
            ).map { row in
                CrawlPage(
                    url: try row.decode(forColumn: "url"), originID: try row.decode(forColumn: "origin_id"),
                    documentID: try row.decode(forColumn: "document_id"), etag: try row.decode(forColumn: "etag"),
                    lastModified: try row.decode(forColumn: "last_modified"),
                    contentHash: try row.decode(forColumn: "content_hash"),
                    lastStatus: try row.decode(forColumn: "last_status"),
                    missingRuns: try row.decode(forColumn: "missing_runs"),
                    fetchedAt: try row.decode(forColumn: "fetched_at"),
                    links: try JSONColumn.decode(
                        [String].self, from: try row.decode(forColumn: "links"), column: "crawl_pages.links"))
            }
        }
    }

    public func saveCrawlPage(_ page: CrawlPage) async throws {
        let links = try JSONColumn.encode(page.links)
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO crawl_pages (url, origin_id, document_id, etag, last_modified, content_hash,
                                             last_status, missing_runs, fetched_at, links)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (url) DO UPDATE SET origin_id = excluded.origin_id, document_id = excluded.document_id,
                        etag = excluded.etag, last_modified = excluded.last_modified,
                        content_hash = excluded.content_hash, last_status = excluded.last_status,
                        missing_runs = excluded.missing_runs, fetched_at = excluded.fetched_at, links = excluded.links
                    """,
                arguments: [
                    page.url, page.originID, page.documentID, page.etag, page.lastModified, page.contentHash,
                    page.lastStatus, page.missingRuns, page.fetchedAt, links,
                ])
        }
    }

    public func crawledDocumentIDs(originID: Int64) async throws -> [String] {
        try await read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT document_id FROM crawl_pages
                    WHERE origin_id = ? AND document_id IS NOT NULL ORDER BY document_id
                    """, arguments: [originID])
        }
    }

    static func fetchCrawlJob(_ db: Database, id: String) throws -> CrawlJob? {
        try Row.fetchOne(db, sql: "SELECT \(crawlJobColumns) FROM crawl_jobs WHERE id = ?", arguments: [id])
            .map(crawlJob)
    }

    static func crawlJob(_ row: Row) throws -> CrawlJob {
        let trigger: String = try row.decode(forColumn: "trigger")
        let status: String = try row.decode(forColumn: "status")
        guard let trigger = CrawlTrigger(rawValue: trigger), let status = CrawlJobStatus(rawValue: status) else {
            throw StoreError(.corrupt, "crawl_jobs holds an unknown trigger or status")
        }
        let counts = try CrawlCounts.columnNames.map { name -> Int in try row.decode(forColumn: name) }
        return CrawlJob(
            id: try row.decode(forColumn: "id"), originID: try row.decode(forColumn: "origin_id"), trigger: trigger,
            status: status, owner: try row.decode(forColumn: "owner"),
            createdAt: try row.decode(forColumn: "created_at"),
            startedAt: try row.decode(forColumn: "started_at"), finishedAt: try row.decode(forColumn: "finished_at"),
            heartbeatAt: try row.decode(forColumn: "heartbeat_at"), counts: CrawlCounts(columns: counts),
            errors: try JSONColumn.decode(
                [CrawlPageError].self, from: try row.decode(forColumn: "errors"), column: "crawl_jobs.errors"),
            error: try row.decode(forColumn: "error"))
    }
}
