import ConcurrencySupport
import Foundation
import PostgresNIO

extension PostgresStore {
    public func createOrigin(_ draft: OriginDraft) async throws -> Origin {
        let draft = try draft.validated()
        let columns = try OriginColumns(draft)
        return try await transaction { connection in
            let row = try await rows(
                """
                INSERT INTO origins (url, title, source, frequency_hours, enabled, country_code, topic_tags,
                                     crawl_priority, allowed_path_patterns, excluded_path_patterns, sitemap_url,
                                     max_depth, max_pages)
                VALUES (\(draft.url), \(draft.name), \(draft.source), \(draft.frequencyHours), \(draft.enabled),
                        \(draft.countryCode), \(columns.tags)::jsonb, \(draft.crawlPriority),
                        \(columns.allowed)::jsonb, \(columns.excluded)::jsonb, \(draft.sitemapURL), \(draft.maxDepth),
                        \(draft.maxPages))
                RETURNING \(unescaped: PostgresRows.originColumns)
                """, on: connection
            ).first
            guard let row else { throw StoreError(.database, "the new origin row is missing") }
            return try PostgresRows.origin(row)
        }
    }

    @discardableResult
    public func updateOrigin(id: Int64, _ draft: OriginDraft) async throws -> Origin {
        let draft = try draft.validated()
        let columns = try OriginColumns(draft)
        return try await transaction { connection in
            let row = try await rows(
                """
                UPDATE origins SET url = \(draft.url), title = \(draft.name), source = \(draft.source),
                    frequency_hours = \(draft.frequencyHours), enabled = \(draft.enabled),
                    country_code = \(draft.countryCode), topic_tags = \(columns.tags)::jsonb,
                    crawl_priority = \(draft.crawlPriority), allowed_path_patterns = \(columns.allowed)::jsonb,
                    excluded_path_patterns = \(columns.excluded)::jsonb, sitemap_url = \(draft.sitemapURL),
                    max_depth = \(draft.maxDepth), max_pages = \(draft.maxPages)
                WHERE id = \(id)
                RETURNING \(unescaped: PostgresRows.originColumns)
                """, on: connection
            ).first
            guard let row else { throw StoreError(.notFound, "no origin has id \(id)") }
            return try PostgresRows.origin(row)
        }
    }

    public func deleteOrigin(id: Int64) async throws {
        try await transaction { connection in
            let deleted = try await rows("DELETE FROM origins WHERE id = \(id) RETURNING id", on: connection)
            guard !deleted.isEmpty else { throw StoreError(.notFound, "no origin has id \(id)") }
        }
    }

    public func origin(id: Int64) async throws -> Origin? {
        try await transaction { connection in
            try await rows(
                "SELECT \(unescaped: PostgresRows.originColumns) FROM origins WHERE id = \(id)", on: connection
            ).first.map(PostgresRows.origin)
        }
    }

    public func claimDueOrigin(owner: String, now: Date, lease: Duration) async throws -> Origin? {
        let now = PostgresRows.milliseconds(now)
        let until = PostgresRows.milliseconds(now.addingTimeInterval(lease.timeInterval))
        // SKIP LOCKED: two replicas claiming at once take different origins (or one takes none), never the same.
        return try await transaction { connection in
            try await rows(
                """
                UPDATE origins SET lease_owner = \(owner), lease_expires_at = \(until)
                WHERE id = (
                    SELECT id FROM origins
                    WHERE enabled AND (next_run IS NULL OR next_run <= \(now))
                      AND (lease_expires_at IS NULL OR lease_expires_at <= \(now))
                    ORDER BY crawl_priority DESC, next_run NULLS FIRST, id
                    LIMIT 1
                    FOR UPDATE SKIP LOCKED)
                RETURNING \(unescaped: PostgresRows.originColumns)
                """, on: connection
            ).first.map(PostgresRows.origin)
        }
    }

    public func claimOrigin(id: Int64, owner: String, now: Date, lease: Duration) async throws -> Origin? {
        let now = PostgresRows.milliseconds(now)
        let until = PostgresRows.milliseconds(now.addingTimeInterval(lease.timeInterval))
        return try await transaction { connection in
            let exists = try await rows("SELECT id FROM origins WHERE id = \(id) FOR UPDATE", on: connection)
            guard !exists.isEmpty else { throw StoreError(.notFound, "no origin has id \(id)") }
            return try await rows(
                """
                UPDATE origins SET lease_owner = \(owner), lease_expires_at = \(until)
                WHERE id = \(id) AND (lease_expires_at IS NULL OR lease_expires_at <= \(now) OR lease_owner = \(owner))
                RETURNING \(unescaped: PostgresRows.originColumns)
                """, on: connection
            ).first.map(PostgresRows.origin)
        }
    }

    public func renewOriginLease(id: Int64, owner: String, now: Date, lease: Duration) async throws -> Bool {
        let now = PostgresRows.milliseconds(now)
        let until = PostgresRows.milliseconds(now.addingTimeInterval(lease.timeInterval))
        return try await transaction { connection in
            !(try await rows(
                """
                UPDATE origins SET lease_expires_at = \(until)
                WHERE id = \(id) AND lease_owner = \(owner) AND lease_expires_at > \(now)
                RETURNING id
                """, on: connection
            ).isEmpty)
        }
    }

    public func finishOriginRun(
        id: Int64, owner: String, status: String, finishedAt: Date, nextRun: Date
    ) async throws -> Bool {
        let finished = PostgresRows.milliseconds(finishedAt)
        let next = PostgresRows.milliseconds(nextRun)
        let status = String(status.prefix(200))
        return try await transaction { connection in
            !(try await rows(
                """
                UPDATE origins SET last_fetched_at = \(finished), last_status = \(status), next_run = \(next),
                    lease_owner = NULL, lease_expires_at = NULL
                WHERE id = \(id) AND lease_owner = \(owner)
                RETURNING id
                """, on: connection
            ).isEmpty)
        }
    }
}
