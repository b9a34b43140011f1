import ConcurrencySupport
import Foundation
import GRDB

extension SQLiteStore {
    public func createOrigin(_ draft: OriginDraft) async throws -> Origin {
        let draft = try draft.validated()
        let columns = try OriginColumns(draft)
        return try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO origins (url, title, source, frequency_hours, enabled, country_code, topic_tags,
                                         crawl_priority, allowed_path_patterns, excluded_path_patterns, sitemap_url,
                                         max_depth, max_pages)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    draft.url, draft.name, draft.source, draft.frequencyHours, draft.enabled, draft.countryCode,
                    columns.tags, draft.crawlPriority, columns.allowed, columns.excluded, draft.sitemapURL,
                    draft.maxDepth, draft.maxPages,
                ])
            guard let origin = try Self.fetchOrigin(db, id: db.lastInsertedRowID) else {
                throw StoreError(.database, "the new origin row is missing")
            }
            return origin
        }
    }

    @discardableResult
    public func updateOrigin(id: Int64, _ draft: OriginDraft) async throws -> Origin {
        let draft = try draft.validated()
        let columns = try OriginColumns(draft)
        return try await write { db in
            try db.execute(
                sql: """
                    UPDATE origins SET url = ?, title = ?, source = ?, frequency_hours = ?, enabled = ?,
                        country_code = ?, topic_tags = ?, crawl_priority = ?, allowed_path_patterns = ?,
                        excluded_path_patterns = ?, sitemap_url = ?, max_depth = ?, max_pages = ?
                    WHERE id = ?
                    """,
                arguments: [
                    draft.url, draft.name, draft.source, draft.frequencyHours, draft.enabled, draft.countryCode,
                    columns.tags, draft.crawlPriority, columns.allowed, columns.excluded, draft.sitemapURL,
                    draft.maxDepth, draft.maxPages, id,
                ])
            guard db.changesCount > 0, let origin = try Self.fetchOrigin(db, id: id) else {
                throw StoreError(.notFound, "no origin has id \(id)")
            }
            return origin
        }
    }

    public func deleteOrigin(id: Int64) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM origins WHERE id = ?", arguments: [id])
            guard db.changesCount > 0 else { throw StoreError(.notFound, "no origin has id \(id)") }
        }
    }

    public func origin(id: Int64) async throws -> Origin? {
        try await read { db in try Self.fetchOrigin(db, id: id) }
    }

    public func claimDueOrigin(owner: String, now: Date, lease: Duration) async throws -> Origin? {
        let until = now.addingTimeInterval(lease.timeInterval)
        // One writer at a time: the select and the update form one atomic claim.
        return try await write { db in
            guard
                let id = try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT id FROM origins
                        WHERE enabled = 1 AND (next_run IS NULL OR next_run <= ?)
                          AND (lease_expires_at IS NULL OR lease_expires_at <= ?)
                        ORDER BY crawl_priority DESC, next_run IS NOT NULL, next_run, id
                        LIMIT 1
                        """, arguments: [now, now])
            else { return nil }
            try db.execute(
                sql: "UPDATE origins SET lease_owner = ?, lease_expires_at = ? WHERE id = ?",
                arguments: [owner, until, id])
            return try Self.fetchOrigin(db, id: id)
        }
    }

    public func claimOrigin(id: Int64, owner: String, now: Date, lease: Duration) async throws -> Origin? {
        let until = now.addingTimeInterval(lease.timeInterval)
        return try await write { db in
            guard try Self.fetchOrigin(db, id: id) != nil else { throw StoreError(.notFound, "no origin has id \(id)") }
            try db.execute(
                sql: """
                    UPDATE origins SET lease_owner = ?, lease_expires_at = ?
                    WHERE id = ? AND (lease_expires_at IS NULL OR lease_expires_at <= ? OR lease_owner = ?)
                    """, arguments: [owner, until, id, now, owner])
            return db.changesCount > 0 ? try Self.fetchOrigin(db, id: id) : nil
        }
    }

    public func renewOriginLease(id: Int64, owner: String, now: Date, lease: Duration) async throws -> Bool {
        let until = now.addingTimeInterval(lease.timeInterval)
        return try await write { db in
            try db.execute(
                sql:
                    "UPDATE origins SET lease_expires_at = ? WHERE id = ? AND lease_owner = ? AND lease_expires_at > ?",
                arguments: [until, id, owner, now])
            return db.changesCount > 0
        }
    }

    public func finishOriginRun(
        id: Int64, owner: String, status: String, finishedAt: Date, nextRun: Date
    ) async throws -> Bool {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE origins SET last_fetched_at = ?, last_status = ?, next_run = ?, lease_owner = NULL,
                        lease_expires_at = NULL
                    WHERE id = ? AND lease_owner = ?
                    """,
                arguments: [finishedAt, String(status.prefix(200)), nextRun, id, owner])
            return db.changesCount > 0
        }
    }

    static func fetchOrigin(_ db: Database, id: Int64) throws -> Origin? {
        try Row.fetchOne(db, sql: "SELECT \(SQLiteRows.originColumns) FROM origins WHERE id = ?", arguments: [id])
            .map(SQLiteRows.origin)
    }
}

/// An origin draft's list columns as the JSON text both engines store.
struct OriginColumns {
    var tags: String
    var allowed: String
    var excluded: String

    init(_ draft: OriginDraft) throws {
        tags = try JSONColumn.encode(draft.topicTags)
        allowed = try JSONColumn.encode(draft.allowedPathPatterns)
        excluded = try JSONColumn.encode(draft.excludedPathPatterns)
    }
}
